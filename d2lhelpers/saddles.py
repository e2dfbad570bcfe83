"""Escaping strict saddle points: escape times and perturbed gradient descent.

Near a strict saddle (the Hessian has an eigenvalue lambda_min < 0) gradient
descent multiplies the unstable coordinate by 1 + eta |lambda_min| per step,
so it needs about log(1/distance) / (eta |lambda_min|) steps to leave, and it
never leaves from the stable manifold itself. A small random kick when the
gradient is small fixes that (Jin et al. 2017); convexity chapter.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from d2lhelpers.checks import (as_vector, check_callable, check_count, check_lr, check_point,
                               check_positive, check_steps, warn_divergence)

__all__ = ["escape_time", "perturbed_gd", "run_until"]


def run_until(grad: Callable, x0, eta: float, done: Callable, max_steps: int):
    """Gradient descent from x0 until ``done(x)``; returns the step count, or
    None when ``max_steps`` steps pass without it."""
    check_callable("grad", grad)
    check_callable("done", done)
    eta, max_steps = check_lr(eta), check_steps(max_steps, "max_steps")
    x = check_point("x0", x0).reshape(-1)
    for k in range(max_steps + 1):
        if done(x):
            return k
        with np.errstate(over="ignore", invalid="ignore"):
            x = x - eta * as_vector("grad", grad(x), x.shape)
        if not np.all(np.isfinite(x)):      # done(x) can no longer be decided
            warn_divergence("gradient descent", k + 1)
            return None
    return None


def escape_time(grad: Callable, x0, eta: float, coordinate: int = 1,
                radius: float = 1.0, max_steps: int = 100_000):
    """Steps of gradient descent until |x[coordinate]| first reaches ``radius``
    (None if it never does within ``max_steps``)."""
    radius = check_positive("radius", radius)
    return run_until(grad, x0, eta, lambda x: abs(x[coordinate]) >= radius, max_steps)


def perturbed_gd(grad: Callable, x0, eta: float, steps: int, radius: float,
                 g_thres: float, t_thres: int, rng: np.random.Generator):
    """Gradient descent that adds a point drawn uniformly from the ball of
    ``radius`` whenever the gradient's norm is at most ``g_thres`` and no
    kick happened in the last ``t_thres`` steps (Jin et al. 2017, Algorithm 2,
    without its stopping rule). Returns ``(X, kicks)``: the iterates and the
    steps at which a kick was added."""
    check_callable("grad", grad)
    eta, steps = check_lr(eta), check_steps(steps)
    radius, g_thres = check_positive("radius", radius), check_positive("g_thres", g_thres)
    t_thres = check_count("t_thres", t_thres)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {rng!r}")
    x = check_point("x0", x0).reshape(-1)
    rows, kicks, last = [x.copy()], [], -t_thres - 1
    for k in range(steps):
        g = as_vector("grad", grad(x), x.shape)
        if np.linalg.norm(g) <= g_thres and k - last > t_thres:
            u = rng.standard_normal(x.size)
            u *= radius * rng.random() ** (1 / x.size) / np.linalg.norm(u)
            x = x + u
            kicks.append(k)
            last = k
            g = as_vector("grad", grad(x), x.shape)
        with np.errstate(over="ignore", invalid="ignore"):
            x = x - eta * g
        if not np.all(np.isfinite(x)):      # stop at the last finite iterate
            warn_divergence("perturbed gradient descent", k + 1)
            break
        rows.append(x.copy())
    return np.vstack(rows), kicks
