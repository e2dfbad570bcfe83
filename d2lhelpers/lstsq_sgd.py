"""Mini-batch SGD on least squares in plain numpy: many runs at once, the
exact full-data loss after every step, and the stability limits of SGD.

The loss of linear regression is a quadratic, f(theta) = f* + (theta -
theta*)^T H (theta - theta*) / 2 with theta = (w, b) and H the mean of
x~ x~^T, x~ = (x, 1), so the full-data loss costs O(d^2) per step instead of
a pass over the data. That lets a chapter tune the learning rate of every
batch size on a grid, over several seeds, and count the steps each run needs
to reach a target loss.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import MAX_STEPS, check_count, check_limit, check_point, check_positive
from d2lhelpers.data import check_regression_data
from d2lhelpers.optim import sgd as sgd_rule


def augmented(X) -> np.ndarray:
    """The features with a column of ones for the bias, x~ = (x, 1), float64."""
    X = check_point("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2D array (samples, features), got shape {X.shape}")
    return np.hstack([X, np.ones((X.shape[0], 1))])


def per_sample_limit(X) -> float:
    """2 / mean ||x~_i||^2: the learning rate at which a typical single-sample
    step overshoots along its own direction (the curvature of f_i is
    ||x~_i||^2 along x~_i)."""
    X, _ = check_regression_data(X, np.zeros(np.shape(X)[:1]))
    return float(2 / (augmented(X) ** 2).sum(axis=1).mean())


def _ms_radius(eta, H, T, batch_size):
    """Spectral radius of the map P -> E[(I - eta S) P (I - eta S)] for the
    mini-batch Hessian S of ``batch_size`` samples drawn with replacement."""
    d = H.shape[0]
    cols = []
    for k in range(d * d):
        P = np.zeros(d * d)
        P[k] = 1.0
        P = P.reshape(d, d)
        HPH = H @ P @ H
        E_SPS = HPH + (np.einsum("ijkl,jk->il", T, P) - HPH) / batch_size
        cols.append((P - eta * (H @ P + P @ H) + eta ** 2 * E_SPS).reshape(-1))
    return float(np.abs(np.linalg.eigvals(np.array(cols).T)).max())


def mean_square_limit(X, batch_size: int, tol: float = 1e-4) -> float:
    """The largest learning rate for which the mean squared error of
    mini-batch SGD stays bounded (batches drawn with replacement): where the
    spectral radius of the second-moment map crosses 1 (by bisection)."""
    X, _ = check_regression_data(X, np.zeros(np.shape(X)[:1]))
    batch_size = check_count("batch_size", batch_size)
    tol = check_positive("tol", tol)
    Xt = augmented(X)
    H = Xt.T @ Xt / len(Xt)
    T = np.einsum("ni,nj,nk,nl->ijkl", Xt, Xt, Xt, Xt) / len(Xt)
    lo, hi = 0.0, 2 / np.linalg.eigvalsh(H).max() * (1 + 1e-9)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _ms_radius(mid, H, T, batch_size) < 1 else (lo, mid)
    return lo


@dataclass
class Runs:
    """Runs of mini-batch SGD, one per (learning rate, seed) pair.

    ``lrs`` and ``seeds`` are the grid; ``steps_to_target[i, j]`` is the first
    step after which the full-data loss of the run with ``lrs[i]`` and
    ``seeds[j]`` was at most ``target`` (-1 if never within the budget);
    ``diverged[i, j]`` whether it blew up; ``final_loss[i, j]`` its loss at
    the end (inf if diverged); ``f_star`` the minimum of the loss.
    """
    batch_size: int
    lrs: np.ndarray
    seeds: np.ndarray
    steps_to_target: np.ndarray
    diverged: np.ndarray
    final_loss: np.ndarray
    f_star: float
    target: float


def run_grid(X, y, batch_size: int, lrs: Sequence[float], seeds: Sequence[int], *,
             epochs: int = 3, target: float = 0.0, start=None,
             blowup: float = 1e6, replace: bool = False) -> Runs:
    """Constant-rate mini-batch SGD (shuffled once per epoch, every sample once
    per epoch) for every learning rate and seed, all runs side by side.

    A run counts as diverged when its loss exceeds ``blowup`` times the
    starting loss within the budget. Just below the almost-sure stability
    limit, a run can pass that bound in an excursion and later come back
    (the SGD chapter measures it), so this is a verdict about the budget. ``start`` is
    (w..., b), zeros by default. Stops early once
    every run has reached ``target`` or diverged. ``replace=True`` draws each
    "epoch" of n indices with replacement instead of reshuffling.
    """
    X, y = check_regression_data(X, y)
    Xt, y = augmented(X), y.astype(float)
    n, d = Xt.shape
    batch_size = check_count("batch_size", batch_size)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most n={n}, got {batch_size}")
    epochs = check_count("epochs", epochs)
    check_limit("epochs x updates per epoch", epochs * -(-n // batch_size), MAX_STEPS,
                "updates")
    lrs = np.array([check_positive("lr", v) for v in lrs])
    seeds = np.array([check_count("seed", s, minimum=0) for s in seeds], dtype=int)
    if lrs.size == 0 or seeds.size == 0:
        raise ValueError("lrs and seeds must be non-empty")
    H = Xt.T @ Xt / n
    theta_star = np.linalg.solve(H, Xt.T @ y / n)
    f_star = 0.5 * np.mean((Xt @ theta_star - y) ** 2)
    K = lrs.size * seeds.size
    rules = [(sgd_rule(lr), slice(i * seeds.size, (i + 1) * seeds.size))
             for i, lr in enumerate(lrs)]
    theta = np.zeros((K, d)) if start is None else np.tile(np.asarray(start, float), (K, 1))
    if theta.shape != (K, d):
        raise ValueError(f"start must have {d} entries (w..., b), got {start!r}")

    def loss(th):
        e = th - theta_star
        return f_star + 0.5 * np.einsum("ki,ij,kj->k", e, H, e)

    f0 = loss(theta)
    rngs = [np.random.default_rng(int(s)) for s in seeds]
    hit = np.full(K, -1)
    dead = np.zeros(K, bool)
    hit[f0 <= target] = 0
    step = 0
    for _ in range(epochs):
        perms = [r.integers(0, n, n) if replace else r.permutation(n)
                 for r in rngs]
        order = np.array([perms[j % seeds.size] for j in range(K)])
        for lo in range(0, n, batch_size):
            idx = order[:, lo:lo + batch_size]
            A = Xt[idx]                                   # (K, m, d)
            r = np.einsum("kmi,ki->km", A, theta) - y[idx]
            g = np.einsum("km,kmi->ki", r, A) / idx.shape[1]
            new = np.empty_like(theta)
            for rule, rows in rules:              # the course's one sgd rule
                new[rows], _ = rule.step(theta[rows], g[rows], 0.0)
            theta = np.where(dead[:, None], theta, new)
            step += 1
            f = loss(theta)
            dead |= ~np.isfinite(f) | (f > blowup * f0)
            hit[(hit < 0) & ~dead & (f <= target)] = step
            if np.all(dead | (hit >= 0)):
                break
        else:
            continue
        break
    final = np.where(dead, np.inf, loss(theta))
    shape = (lrs.size, seeds.size)
    return Runs(batch_size, lrs, seeds, hit.reshape(shape), dead.reshape(shape),
                final.reshape(shape), float(f_star), float(target))


def best_lr(runs: Runs) -> tuple:
    """The learning rate with the fewest median steps to target (runs that
    diverged or never got there count as never), its index in the grid, and
    the median steps of every grid point (inf where the median run failed)."""
    if not isinstance(runs, Runs):
        raise TypeError(f"runs must be a lstsq_sgd.Runs, got {runs!r}")
    steps = np.where(runs.steps_to_target < 0, np.inf, runs.steps_to_target).astype(float)
    steps[runs.diverged] = np.inf
    med = np.median(steps, axis=1)
    if not np.isfinite(med).any():
        raise ValueError(f"no learning rate of the grid reaches the target with batch size "
                         f"{runs.batch_size}: widen the grid or the budget")
    i = int(np.argmin(med))
    return float(runs.lrs[i]), i, med
