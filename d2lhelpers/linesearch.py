"""Step sizes chosen along the way: Armijo backtracking and exact line search.

Gradient descent with a line search picks eta at every step from the function
itself instead of from L (Boyd & Vandenberghe 2004, §9.2; convexity chapter).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from d2lhelpers.checks import (as_number, as_vector, check_callable, check_point, check_positive,
                               check_steps)

__all__ = [
    "armijo_step",
    "backtracking_gd",
    "check_armijo",
    "exact_line_search_gd",
    "exact_step",
]


def check_armijo(c, tau) -> tuple[float, float]:
    """Backtracking's constants: the sufficient-decrease fraction 0 < c < 1/2
    and the shrink factor 0 < tau < 1 (Boyd & Vandenberghe write alpha, beta;
    the course keeps beta for momentum)."""
    c, tau = check_positive("c", c), check_positive("tau", tau)
    if c >= 0.5:
        raise ValueError(f"c must lie in (0, 1/2), got {c!r}")
    if tau >= 1:
        raise ValueError(f"tau must lie in (0, 1), got {tau!r}")
    return c, tau


def armijo_step(f: Callable, x, g, t0: float = 1.0, c: float = 0.3,
                tau: float = 0.8, max_halvings: int = 60) -> float:
    """The first t in t0, tau t0, tau^2 t0, ... with the Armijo condition
    f(x - t g) <= f(x) - c t ||g||^2 (the step along -g).

    For an L-smooth f every t <= 2 (1 - c) / L passes, so it stops after
    about log(t0 L) / log(1/tau) trials; ``max_halvings`` only guards against an f
    that is not smooth (then a ValueError says so).
    """
    check_callable("f", f)
    c, tau = check_armijo(c, tau)
    t = check_positive("initial step t0", t0)
    x, g = np.asarray(x, dtype=float), np.asarray(g, dtype=float)
    fx, gg = as_number("f", f(x)), float(g @ g)
    for _ in range(max_halvings):
        with np.errstate(over="ignore", invalid="ignore"):
            fnew = as_number("f", f(x - t * g))
        if np.isfinite(fnew) and fnew <= fx - c * t * gg:
            return t
        t *= tau
    raise ValueError("no step satisfied the Armijo condition: is f smooth "
                     "and g its gradient at x?")


def backtracking_gd(f: Callable, grad: Callable, x0, steps: int, t0: float = 1.0,
                    c: float = 0.3, tau: float = 0.8):
    """Gradient descent with Armijo backtracking from t0 at every step.

    Returns ``(X, ts)``: the iterates, shape (steps + 1, d), and the accepted
    steps, shape (steps,). ``f`` and ``grad`` take a vector. The run stops
    early once even the first trial's required decrease c t0 ||g||^2 is
    below the rounding error of f(x): f has converged to its precision, and
    no step could pass the test in floating point.
    """
    steps, t0 = check_steps(steps), check_positive("initial step t0", t0)
    c, tau = check_armijo(c, tau)
    x = check_point("x0", x0).reshape(-1)
    rows, ts = [x.copy()], []
    check_callable("f", f)
    check_callable("grad", grad)
    for _ in range(steps):
        g = as_vector("grad", grad(x), x.shape)
        if c * t0 * float(g @ g) <= 4 * np.finfo(float).eps * abs(as_number("f", f(x))):
            break
        t = armijo_step(f, x, g, t0, c, tau)
        x = x - t * g
        rows.append(x.copy())
        ts.append(t)
    return np.vstack(rows), np.array(ts)


def exact_step(A, g) -> float:
    """The exact minimizer t of f(x - t g) for f = x^T A x / 2 - b^T x,
    g = grad f(x): t = g^T g / g^T A g (A symmetric positive definite)."""
    A, g = np.asarray(A, dtype=float), np.asarray(g, dtype=float)
    curv = float(g @ A @ g)
    if curv <= 0:
        raise ValueError("g^T A g must be positive: A positive definite, g != 0")
    return float(g @ g) / curv


def exact_line_search_gd(A, b, x0, steps: int, tol: float = 0.0):
    """Gradient descent with exact line search on x^T A x / 2 - b^T x.

    Returns ``(X, ts)`` like :func:`backtracking_gd`. The run stops early once
    the gradient's norm is at most ``tol`` (the step is then undefined at 0).
    """
    steps = check_steps(steps)
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    x = check_point("x0", x0).reshape(-1)
    if A.shape != (x.size, x.size) or b.shape != (x.size,):
        raise ValueError(f"A must be {x.size} x {x.size} and b of length {x.size} "
                         f"to match x0; got A {A.shape}, b {b.shape}")
    rows, ts = [x.copy()], []
    for _ in range(steps):
        g = A @ x - b
        if np.linalg.norm(g) <= tol or not np.any(g):
            break
        t = exact_step(A, g)
        x = x - t * g
        rows.append(x.copy())
        ts.append(t)
    return np.vstack(rows), np.array(ts)
