"""SGD's convergence theorems for strongly convex functions, and many
seeded runs to measure them against.

The bounds are Theorems 4.6 and 4.7 of Bottou, Curtis and Nocedal (2018),
written in the course's notation: their strong-convexity constant c is the
course's ``mu``, and for an unbiased gradient estimate their first-moment
constants (also named mu and mu_G there) are 1. ``M`` and ``M_V`` bound the
variance of the estimate, ``V[g(x)] <= M + M_V ||grad f(x)||^2``, and
``M_G = M_V + 1``. Steps are counted from 0 (``x_0`` the start, their w_1).

:func:`walkers` runs many independent copies of SGD with additive Gaussian
gradient noise on a separable quadratic, vectorized, so that an expectation
such as E[f(x_t)] is estimated by an average over copies.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import (check_count, check_limit, check_nonnegative, check_point,
                               check_positive)
from d2lhelpers.data import make_rng
from d2lhelpers.optim import sgd as sgd_rule


def _check_steps(steps) -> np.ndarray:
    steps = np.asarray(steps)
    if steps.size == 0 or not np.issubdtype(steps.dtype, np.integer) or np.any(steps < 0):
        raise ValueError(f"steps must be whole numbers >= 0, got {steps!r}")
    return steps


def fixed_step_bound(steps, eta: float, L: float, mu: float, M: float,
                     gap0: float, M_G: float = 1.0) -> np.ndarray:
    """Bottou et al. (2018), Theorem 4.6: for 0 < eta <= 1/(L M_G),

    E[f(x_t)] - f* <= eta L M / (2 mu) + (1 - eta mu)^t (gap0 - eta L M / (2 mu)),

    with ``gap0 = f(x_0) - f*``. Returns the bound at each t in ``steps``.
    """
    steps = _check_steps(steps)
    for name, v in (("eta", eta), ("L", L), ("mu", mu), ("M_G", M_G)):
        check_positive(name, v)
    if M < 0 or gap0 < 0:
        raise ValueError(f"M and gap0 must be >= 0, got M={M!r}, gap0={gap0!r}")
    if mu > L:
        raise ValueError(f"mu must be at most L, got mu={mu}, L={L}")
    if eta > 1 / (L * M_G):
        raise ValueError(f"Theorem 4.6 needs eta <= 1/(L M_G) = {1 / (L * M_G):.4g}, "
                         f"got eta={eta}")
    ball = eta * L * M / (2 * mu)
    return ball + (1 - eta * mu) ** steps * (gap0 - ball)


def diminishing_step(beta: float, gamma: float) -> Callable[[int], float]:
    """The step size of Theorem 4.7 for step t = 1, 2, ...: beta / (gamma + t)."""
    check_positive("beta", beta)
    check_positive("gamma", gamma)
    return lambda t: beta / (gamma + t)


def diminishing_step_bound(steps, beta: float, gamma: float, L: float, mu: float,
                           M: float, gap0: float, M_G: float = 1.0) -> np.ndarray:
    """Bottou et al. (2018), Theorem 4.7: with steps beta / (gamma + t),
    beta > 1/mu, gamma > 0 and a first step beta/(gamma + 1) <= 1/(L M_G),

    E[f(x_t)] - f* <= nu / (gamma + t + 1),
    nu = max(beta^2 L M / (2 (beta mu - 1)), (gamma + 1) gap0).

    (The theorem's w_k is our x_{k-1}, hence the + 1.)
    """
    steps = _check_steps(steps)
    for name, v in (("beta", beta), ("gamma", gamma), ("L", L), ("mu", mu), ("M_G", M_G)):
        check_positive(name, v)
    if M < 0 or gap0 < 0:
        raise ValueError(f"M and gap0 must be >= 0, got M={M!r}, gap0={gap0!r}")
    if beta * mu <= 1:
        raise ValueError(f"Theorem 4.7 needs beta > 1/mu = {1 / mu:.4g}, got beta={beta}")
    if beta / (gamma + 1) > 1 / (L * M_G):
        raise ValueError(f"Theorem 4.7 needs beta/(gamma + 1) <= 1/(L M_G) = "
                         f"{1 / (L * M_G):.4g}, got {beta / (gamma + 1):.4g}")
    nu = max(beta ** 2 * L * M / (2 * (beta * mu - 1)), (gamma + 1) * gap0)
    return nu / (gamma + steps + 1)


@dataclass
class WalkerRun:
    """Many seeded SGD runs on f(x) = sum_i lambda_i x_i^2 / 2.

    ``mean_f[k]`` is the average over runs of f at step ``steps[k]``;
    ``mean_f_avg[k]`` the same for the running average of the iterates from
    step ``average_from`` on (nan before it).
    """
    steps: np.ndarray
    mean_f: np.ndarray
    mean_f_avg: np.ndarray
    average_from: int


def walkers(curvatures: Sequence[float], x0: Sequence[float], schedule: Callable[[int], float],
            steps: int, *, runs: int = 1000, noise: float = 1.0, seed: int = 0,
            record: Sequence[int] = (), average_from: int = 0) -> WalkerRun:
    """``runs`` independent runs of ``x <- x - eta_t (lambda * x + noise * z)``,
    z ~ N(0, I), eta_t = ``schedule(t)`` for t = 1, ..., ``steps``.

    Records the mean of f over runs at the steps in ``record`` (default: every
    step), for the iterates and for their average over steps
    ``average_from + 1`` to t (Polyak-Ruppert averaging of the tail).
    """
    lam = np.asarray(curvatures, dtype=float).reshape(-1)
    x = check_point("x0", x0).reshape(-1)
    if lam.size == 0 or lam.shape != x.shape or np.any(lam <= 0):
        raise ValueError("curvatures must be positive and shaped like x0, got "
                         f"{curvatures!r} and {x0!r}")
    steps = check_count("steps", steps)
    runs = check_count("runs", runs)
    check_limit("steps * runs", steps * runs, 10 ** 8, "walker steps")
    check_positive("noise", noise)
    if not callable(schedule):
        raise TypeError(f"schedule must be a function of the step, got {schedule!r}")
    if not 0 <= average_from < steps:
        raise ValueError(f"average_from must be in [0, steps), got {average_from!r}")
    record = np.arange(steps + 1) if len(record) == 0 else _check_steps(record)
    if record.max() > steps:
        raise ValueError(f"record goes beyond steps={steps}")
    rng = make_rng(seed)
    X = np.tile(x, (runs, 1))
    total = np.zeros_like(X)
    want = {int(k) for k in record}
    mean_f, mean_avg = {}, {}

    def f(Z):
        return 0.5 * (lam * Z ** 2).sum(axis=1).mean()

    for t in range(steps + 1):
        if t > 0:
            g = lam * X + noise * rng.standard_normal(X.shape)
            X, _ = sgd_rule(schedule(t)).step(X, g, 0.0)
            if t > average_from:
                total += X
        if t in want:
            mean_f[t] = f(X)
            mean_avg[t] = f(total / (t - average_from)) if t > average_from else np.nan
    return WalkerRun(record, np.array([mean_f[int(k)] for k in record]),
                     np.array([mean_avg[int(k)] for k in record]), average_from)


def stationary_mean_f(curvatures: Sequence[float], eta: float, noise: float = 1.0) -> float:
    """E[f] of constant-step SGD once the start is forgotten: per coordinate,
    ``x <- (1 - eta lambda) x - eta noise z`` has stationary variance
    ``eta noise^2 / (lambda (2 - eta lambda))``."""
    lam = check_point("curvatures", curvatures)
    check_positive("eta", eta)
    check_nonnegative("noise", noise)
    if np.any(lam * eta <= 0) or np.any(lam * eta >= 2):
        raise ValueError(f"no stationary distribution: need 0 < eta lambda < 2, "
                         f"got eta={eta}, curvatures={curvatures!r}")
    return float((eta * noise ** 2 / (2 * (2 - eta * lam))).sum())


def averaged_mean_f(curvatures: Sequence[float], t: int, noise: float = 1.0) -> float:
    """The large-t value of E[f] at the average of t stationary iterates of
    constant-step SGD: sum_i noise^2 / (2 lambda_i t), whatever the step
    (Polyak and Juditsky 1992)."""
    lam = check_point("curvatures", curvatures)
    t = check_count("t", t)
    check_nonnegative("noise", noise)
    if np.any(lam <= 0):
        raise ValueError(f"curvatures must be positive, got {curvatures!r}")
    return float((noise ** 2 / (2 * lam * t)).sum())
