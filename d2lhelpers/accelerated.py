"""Nesterov's accelerated gradient method, as the convexity chapter measures it.

Two versions, for the two theorems: on convex L-smooth functions the momentum
grows with k (Beck & Teboulle's t_k sequence); on mu-strongly convex ones it is
the constant (sqrt(kappa) - 1)/(sqrt(kappa) + 1) and the rule is the momentum
chapter's :func:`d2lhelpers.momentum.nesterov`. Both return the points
x_k = y_{k-1} - grad f(y_{k-1}) / L at which the theorems bound f.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from d2lhelpers.checks import (as_vector, check_callable, check_point, check_positive,
                               check_steps, warn_divergence)
from d2lhelpers.momentum import nesterov
from d2lhelpers.optim import run

__all__ = ["momentum_schedule", "nesterov_convex", "nesterov_strongly_convex"]


def momentum_schedule(steps: int) -> np.ndarray:
    """The momentum (t_k - 1)/t_{k+1} of step k = 1, ..., steps, with t_1 = 1
    and t_{k+1} = (1 + sqrt(1 + 4 t_k^2))/2; it rises from 0 toward 1 like
    (k - 1)/(k + 2)."""
    steps = check_steps(steps)
    t, out = 1.0, []
    for _ in range(steps):
        t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
        out.append((t - 1) / t_next)
        t = t_next
    return np.array(out)


def nesterov_convex(grad: Callable, x0, L: float, steps: int) -> np.ndarray:
    """Accelerated gradient for convex L-smooth f; rows x_0, ..., x_steps.

    x_k = y_k - grad(y_k)/L, y_{k+1} = x_k + beta_k (x_k - x_{k-1}), y_1 = x_0:
    FISTA with no proximal term (Beck & Teboulle 2009, §4).
    """
    check_callable("grad", grad)
    L = check_positive("smoothness constant L", L)
    betas = momentum_schedule(steps)
    x = check_point("x0", x0).reshape(-1)
    y, rows = x.copy(), [x.copy()]
    for k, beta in enumerate(betas, 1):
        with np.errstate(over="ignore", invalid="ignore"):
            x_new = y - as_vector("grad", grad(y), y.shape) / L
            y = x_new + beta * (x_new - x)
        if not np.all(np.isfinite(y)):      # stop at the last finite iterate
            warn_divergence("accelerated gradient", k)
            break
        x = x_new
        rows.append(x.copy())
    return np.vstack(rows)


def nesterov_strongly_convex(grad: Callable, x0, mu: float, L: float,
                             steps: int) -> np.ndarray:
    """Nesterov's method with eta = 1/L and beta = (sqrt(kappa)-1)/(sqrt(kappa)+1).

    Runs :func:`d2lhelpers.momentum.nesterov`, whose stored iterate is the
    look-ahead point y_k, and returns the gradient-step points x_k (x_0 first).
    """
    mu, L = check_positive("mu", mu), check_positive("L", L)
    if mu > L:
        raise ValueError(f"mu must not exceed L, got mu = {mu} > L = {L}")
    r = math.sqrt(L / mu)
    ys = run(nesterov(1 / L, (r - 1) / (r + 1)), grad, x0, steps)
    xs = [ys[0]] + [y - as_vector("grad", grad(y), y.shape) / L for y in ys[:-1]]
    return np.vstack(xs)
