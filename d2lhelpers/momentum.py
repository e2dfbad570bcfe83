"""Momentum methods (heavy ball and Nesterov) and their analysis on quadratics.

The update rules are :class:`~d2lhelpers.optim.Optimizer` objects, so the same
rule runs on floats, numpy arrays and MXNet NDArrays; the chapter, its sliders,
the in-browser explorer's parity test and the optimizer race all use them.

On a quadratic with Hessian eigenvalue ``lam`` each eigen-coordinate evolves by
a 2x2 linear map (:func:`iteration_matrix`); its spectral radius is the rate of
convergence, which is why these few functions explain everything the chapter
shows about stability and tuning.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable, Tuple

import numpy as np

from d2lhelpers.checks import (as_vector, check_callable, check_count, check_limit, check_lr,
                               check_positive, check_steps, check_point, check_unit_interval,
                               warn_divergence)
from d2lhelpers.functions import DippedParabola  # noqa: F401  (its old home)
from d2lhelpers.optim import Optimizer

__all__ = [
    "momentum", "nesterov", "momentum_minus_form", "momentum_scaled_form",
    "nesterov_lookahead", "DippedParabola", "iteration_matrix", "spectral_radius",
    "radius_closed_form", "rate",
    "optimal_heavy_ball", "optimal_gd", "convergence_region_contains", "best_eta", "measured_rate",
]


def _check(eta, beta) -> Tuple[float, float]:
    return check_lr(eta), check_unit_interval("momentum beta", beta)


# --- the update rules ----------------------------------------------------------

def momentum(eta: float, beta: float) -> Optimizer:
    """Heavy ball: ``v <- beta v + g``, ``x <- x - eta v`` (v starts at 0).

    ``v`` is a leaky sum of past gradients; with ``beta = 0`` this is the
    plain step of :func:`~d2lhelpers.optim.gd` (or ``sgd``).
    """
    eta, beta = _check(eta, beta)

    def step(x, g, v):
        v = beta * v + g
        return x - eta * v, v

    return Optimizer("momentum", init=lambda x: 0.0, step=step,
                     hyper={"eta": eta, "beta": beta})


def nesterov(eta: float, beta: float) -> Optimizer:
    """Nesterov's accelerated gradient in the form MXNet's ``'nag'`` computes.

    ``v <- beta v + g``, ``x <- x - eta (g + beta v)`` with the *new* v and the
    gradient taken at the stored x. The stored x is the look-ahead point
    ``theta + mu u`` of the textbook form (:func:`nesterov_lookahead`), with
    ``mu = beta`` and velocity ``u = -eta v``; so both forms make the same moves.
    MXNet's ``nag_mom_update`` kernel keeps ``mom = -eta v`` (it folds in the
    learning rate, as ``sgd_mom_update`` does) and makes the same moves too.
    """
    eta, beta = _check(eta, beta)

    def step(x, g, v):
        v = beta * v + g
        return x - eta * (g + beta * v), v

    return Optimizer("nesterov", init=lambda x: 0.0, step=step,
                     hyper={"eta": eta, "beta": beta})


def momentum_minus_form(eta: float, mu: float) -> Optimizer:
    """Heavy ball as MXNet's ``sgd_mom_update`` writes it: ``v <- mu v - eta g``, ``x <- x + v``.

    The state folds in the learning rate: it equals ``-eta`` times the state of
    :func:`momentum`, so the iterates agree for a constant eta.
    """
    eta, mu = check_lr(eta), check_unit_interval("momentum mu", mu)

    def step(x, g, v):
        v = mu * v - eta * g
        return x + v, v

    return Optimizer("momentum_minus_form", init=lambda x: 0.0, step=step,
                     hyper={"eta": eta, "mu": mu})


def momentum_scaled_form(eta: float, gamma: float) -> Optimizer:
    """Heavy ball as lecture slides often write it: ``u <- gamma u + eta g``, ``x <- x - u``.

    Here ``u = eta v``: the same iterates as :func:`momentum` for a constant eta.
    """
    eta, gamma = check_lr(eta), check_unit_interval("momentum gamma", gamma)

    def step(x, g, u):
        u = gamma * u + eta * g
        return x - u, u

    return Optimizer("momentum_scaled_form", init=lambda x: 0.0, step=step,
                     hyper={"eta": eta, "gamma": gamma})


def nesterov_lookahead(eta: float, mu: float, grad: Callable, x0, steps: int) -> np.ndarray:
    """The look-ahead form of Nesterov's method (Sutskever et al., 2013).

    ``u <- mu u - eta grad(theta + mu u)``, ``theta <- theta + u``. It needs the
    gradient at a point other than the iterate, so it is a driver rather than an
    :class:`Optimizer`. Returns the rows ``(theta_k, u_k)`` concatenated, shape
    (steps + 1, 2 d), so a caller can form ``theta_k + mu u_k``.
    """
    eta, mu, steps = check_lr(eta), check_unit_interval("momentum mu", mu), check_steps(steps)
    check_callable("grad", grad)
    theta = check_point("x0", x0).reshape(-1)
    u = np.zeros_like(theta)
    rows = [np.concatenate([theta, u])]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            u = mu * u - eta * as_vector("grad", grad(theta + mu * u), theta.shape)
            theta = theta + u
            row = np.concatenate([theta, u])
            if not np.all(np.isfinite(row)):      # stop at the last finite iterate
                warn_divergence("Nesterov's look-ahead form", k)
                break
            rows.append(row)
    return np.vstack(rows)


# --- analysis on quadratics ----------------------------------------------------

def iteration_matrix(eta: float, beta: float, lam: float, method: str = "momentum") -> np.ndarray:
    """The 2x2 matrix ``M`` with ``(v, x)_{k+1} = M (v, x)_k`` along an eigenvector.

    For f = lam x^2 / 2 the gradient is ``lam x``. Heavy ball:
    ``[[beta, lam], [-eta beta, 1 - eta lam]]``; Nesterov (the form above):
    ``[[beta, lam], [-eta beta^2, 1 - eta lam (1 + beta)]]``.
    """
    eta, beta = _check(eta, beta)
    lam = check_positive("eigenvalue lam", lam)
    if method == "momentum":
        return np.array([[beta, lam], [-eta * beta, 1 - eta * lam]])
    if method == "nesterov":
        return np.array([[beta, lam], [-eta * beta ** 2, 1 - eta * lam * (1 + beta)]])
    raise ValueError(f"method must be 'momentum' or 'nesterov', got {method!r}")


def spectral_radius(eta: float, beta: float, lam: float, method: str = "momentum") -> float:
    """Largest |eigenvalue| of :func:`iteration_matrix`: the asymptotic rate along lam."""
    return float(np.max(np.abs(np.linalg.eigvals(iteration_matrix(eta, beta, lam, method)))))


def radius_closed_form(eta, beta, lam, method: str = "momentum"):
    """:func:`spectral_radius` from the characteristic polynomial, vectorized.

    The eigenvalues are the roots of ``z^2 - t z + d``: heavy ball
    ``t = 1 + beta - eta lam``, ``d = beta``; Nesterov ``t = (1 + beta)(1 - eta lam)``,
    ``d = beta (1 - eta lam)``. Complex roots (``t^2 < 4 d``) have modulus
    ``sqrt(d)``. Accepts numpy arrays (broadcast), for fast scans over a grid.
    """
    eta, beta, lam = (np.asarray(v, dtype=float) for v in (eta, beta, lam))
    if not (np.all(eta > 0) and np.all(np.isfinite(eta))):
        raise ValueError("learning rate eta must be positive and finite")
    if not np.all((beta >= 0) & (beta < 1)):
        raise ValueError("momentum beta must lie in [0, 1)")
    if not (np.all(lam > 0) and np.all(np.isfinite(lam))):
        raise ValueError("eigenvalue lam must be positive and finite")
    if method == "momentum":
        t, d = 1 + beta - eta * lam, beta + 0 * lam
    elif method == "nesterov":
        t, d = (1 + beta) * (1 - eta * lam), beta * (1 - eta * lam)
    else:
        raise ValueError(f"method must be 'momentum' or 'nesterov', got {method!r}")
    disc = t * t - 4 * d
    root = np.sqrt(np.abs(disc))
    real = np.maximum(np.abs(t + root), np.abs(t - root)) / 2
    return np.where(disc < 0, np.sqrt(np.abs(d)), real)


def rate(eta: float, beta: float, lams: Iterable[float], method: str = "momentum") -> float:
    """The convergence rate on a quadratic: the worst spectral radius over its eigenvalues."""
    return max(spectral_radius(eta, beta, lam, method) for lam in lams)


def convergence_region_contains(eta: float, beta: float, lam: float) -> bool:
    """Heavy ball converges along lam iff ``0 < eta lam < 2 (1 + beta)`` (for 0 <= beta < 1)."""
    eta, beta = _check(eta, beta)
    return 0 < eta * check_positive("eigenvalue lam", lam) < 2 * (1 + beta)


def optimal_heavy_ball(lam_min: float, lam_max: float) -> Tuple[float, float, float]:
    """Polyak's tuning for eigenvalues in [lam_min, lam_max]: ``(eta, beta, rate)``.

    ``eta = 4 / (sqrt(L) + sqrt(mu))^2``, ``beta = ((sqrt(k) - 1) / (sqrt(k) + 1))^2``
    and the rate ``sqrt(beta) = (sqrt(k) - 1) / (sqrt(k) + 1)``, with k = L / mu.
    """
    mu, L = check_positive("lam_min", lam_min), check_positive("lam_max", lam_max)
    if mu > L:
        raise ValueError(f"lam_min must not exceed lam_max, got {mu} > {L}")
    rk = math.sqrt(L / mu)
    eta = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    r = (rk - 1) / (rk + 1)
    return eta, r ** 2, r


def optimal_gd(lam_min: float, lam_max: float) -> Tuple[float, float]:
    """Best constant step for gradient descent: ``eta = 2 / (mu + L)``, rate
    ``(k - 1) / (k + 1)``."""
    mu, L = check_positive("lam_min", lam_min), check_positive("lam_max", lam_max)
    if mu > L:
        raise ValueError(f"lam_min must not exceed lam_max, got {mu} > {L}")
    return 2 / (mu + L), (L - mu) / (L + mu)


def best_eta(beta: float, lams: Iterable[float], method: str = "momentum",
             num: int = 2001) -> Tuple[float, float]:
    """For a fixed beta, the learning rate with the smallest :func:`rate`: ``(eta, rate)``.

    A grid search over the stable range (0, 2 (1 + beta) / max lam), refined
    three times around the best point; enough for figures and for checking closed forms.
    """
    beta = check_unit_interval("momentum beta", beta)
    num = check_count("num", num, 2)
    check_limit("num", num, 10 ** 6, "grid points")
    lams = np.array([check_positive("eigenvalue lam", lam) for lam in lams])[:, None]
    if lams.size == 0:
        raise ValueError("lams must hold at least one eigenvalue lam")
    hi = 2 * (1 + beta) / lams.max()
    grid = np.linspace(hi / num, hi, num, endpoint=False)
    for _ in range(4):
        rates = radius_closed_form(grid[None, :], beta, lams, method).max(axis=0)
        i = int(np.argmin(rates))
        h = grid[1] - grid[0]
        eta, best = float(grid[i]), float(rates[i])
        grid = np.linspace(max(eta - h, h / num), eta + h, num)
    return eta, best


def measured_rate(points, k0: int, k1: int, window: int = 20) -> float:
    """The per-step contraction a run actually shows between steps k0 and k1.

    ``(max |x| over steps k1-window..k1) / (same near k0)`` to the power
    ``1 / (k1 - k0)``: taking maxima over a window lets an oscillating run
    (complex eigenvalues) be measured as reliably as a monotone one.
    """
    if isinstance(points, (str, bytes)):
        raise TypeError(f"points must be the iterates of a run, got {points!r}")
    pts = np.asarray(check_point("points", points))
    pts = pts.reshape(len(pts), -1) if pts.ndim else pts
    k0, k1 = check_steps(k0, "k0"), check_steps(k1, "k1")
    window = check_steps(window, "window")
    if not window <= k0 < k1 < len(pts):
        raise ValueError(f"need window <= k0 < k1 < len(points) = {len(pts)}, "
                         f"got window={window}, k0={k0}, k1={k1}")
    norms = np.linalg.norm(pts, axis=1)
    return float((norms[k1 - window:k1 + 1].max() / norms[k0 - window:k0 + 1].max())
                 ** (1 / (k1 - k0)))
