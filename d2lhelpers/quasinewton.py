"""Quasi-Newton methods: BFGS and limited-memory BFGS (L-BFGS).

Both build curvature information from gradients alone. After a step
dx = x_new - x and the change in gradient dg = g_new - g (Nocedal and
Wright's s and y), BFGS updates an approximation of the inverse Hessian so
that it maps dg to dx (the secant equation); L-BFGS keeps only the last few
pairs (dx, dg) and applies the same update implicitly, in O(memory * d) time
and memory per step.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import (as_number, as_vector, check_callable, check_count,
                               check_nonnegative, check_positive, check_point, check_steps)
from d2lhelpers.newton import backtracking

#: A pair with dg.dx at most this fraction of |dx| |dg| is skipped: the
#: update needs dg.dx > 0 to keep the approximation positive definite.
CURVATURE_TOL = 1e-12


def bfgs_update(inv_hess, dx, dg) -> np.ndarray:
    """The BFGS update of an inverse-Hessian approximation B.

    V B V^T + r dx dx^T with V = I - r dx dg^T and r = 1 / (dg^T dx)
    (Nocedal and Wright, equation 6.17); needs dg^T dx > 0.
    """
    inv_hess = np.asarray(inv_hess, dtype=float)
    dx = np.asarray(dx, dtype=float).reshape(-1)
    dg = np.asarray(dg, dtype=float).reshape(-1)
    if inv_hess.shape != (dx.size, dx.size) or dg.size != dx.size:
        raise ValueError(f"inv_hess {inv_hess.shape}, dx {dx.shape} and "
                         f"dg {dg.shape} do not fit together")
    curvature = float(dg @ dx)
    if not curvature > 0:
        raise ValueError("the BFGS update needs dg.dx > 0, "
                         f"got {curvature!r}")
    r = 1.0 / curvature
    v = np.eye(dx.size) - r * np.outer(dx, dg)
    return v @ inv_hess @ v.T + r * np.outer(dx, dx)


def two_loop(g, pairs, scale: float = 1.0) -> np.ndarray:
    """B g for the L-BFGS approximation B built from the pairs (dx, dg),
    oldest first, on top of scale * I (Nocedal and Wright, Algorithm 7.4)."""
    scale = check_positive("scale", scale)
    q = np.array(g, dtype=float)
    coefficients = []
    for dx, dg in reversed(pairs):
        r = 1.0 / float(dg @ dx)
        a = r * float(dx @ q)
        q -= a * dg
        coefficients.append((r, a))
    z = scale * q
    for (dx, dg), (r, a) in zip(pairs, reversed(coefficients)):
        z += (a - r * float(dg @ z)) * dx
    return z


@dataclass
class QuasiNewtonRun:
    """Iterates (rows), how many times f and its gradient were evaluated
    (the line search included), and BFGS's final inverse-Hessian
    approximation."""
    xs: np.ndarray
    f_evals: int
    grad_evals: int
    inv_hess: np.ndarray | None = None


class _Counted:
    def __init__(self, fn, check):
        self.fn, self.calls, self.check = fn, 0, check

    def __call__(self, x):
        self.calls += 1
        return self.check(self.fn(x))

    def uncounted(self, x):
        return self.check(self.fn(x))


#: A backtracking search that had to shrink the full step below this fraction
#: and still found no lower f has not found descent (see _run).
NO_DESCENT_STEP = 2.0 ** -10


def _no_descent(k, x, why) -> ValueError:
    return ValueError(
        f"the line search found no step that lowers f at step {k} (x = {x!r}): {why}. "
        "The search direction -B grad(x) is not a descent direction for f, so grad "
        "is probably not the gradient of f (check its sign), or f is flat to "
        "rounding error there")


def _run(f, grad, x0, steps, direction, remember, gtol, line_search=None):
    check_callable("f", f)
    if line_search is not None:
        check_callable("line_search", line_search)
    check_callable("grad", grad)
    steps = check_steps(steps)
    gtol = check_nonnegative("gtol", gtol)
    x = check_point("x0", x0).reshape(-1)
    f = _Counted(f, lambda v: as_number("f", v))
    grad = _Counted(grad, lambda v: as_vector("grad", v, x.shape))
    g = grad(x)
    if not np.all(np.isfinite(g)):
        raise ValueError(f"grad(x0) must be finite, got {g!r}")
    xs = [x.copy()]
    f_x = f.uncounted(x)
    for k in range(1, steps + 1):
        if np.linalg.norm(g) <= gtol:
            break
        d = -direction(g)
        if line_search is None:
            t = backtracking(f, x, g, d)
        else:
            t = check_positive("the step line_search returned", line_search(x, g, d))
        x_new = x + t * d
        # A step that does not lower f means the search found no descent: with
        # backtracking, only after shrinking the step a thousandfold (an accepted
        # step may tie f within rounding near a minimum); with the caller's line
        # search, a rise beyond rounding. Either way, stop with the reason rather
        # than return a stalled run that looks converged.
        f_new = f.uncounted(x_new)
        slack = 4 * np.finfo(float).eps * max(1.0, abs(f_x))
        if line_search is None and t < NO_DESCENT_STEP and not f_new < f_x:
            raise _no_descent(k, x, f"even a step of {t:.2g} gives f = {f_new!r} "
                                    f">= f(x) = {f_x!r}")
        if line_search is not None and f_new > f_x + slack:
            raise _no_descent(k, x, f"line_search's step {t:.3g} raises f from {f_x!r} "
                                    f"to {f_new!r}")
        g_new = grad(x_new)
        dx, dg = x_new - x, g_new - g
        if float(dg @ dx) > (CURVATURE_TOL * np.linalg.norm(dx)
                             * np.linalg.norm(dg)):
            remember(dx, dg)
        x, g, f_x = x_new, g_new, f_new
        xs.append(x.copy())
    return QuasiNewtonRun(np.vstack(xs), f.calls, grad.calls)


def bfgs(f: Callable, grad: Callable, x0, steps: int = 100,
         inv_hess0=None, gtol: float = 0.0,
         line_search: Callable | None = None) -> QuasiNewtonRun:
    """BFGS with a backtracking (Armijo) line search from the full step.

    ``inv_hess0`` is the first inverse-Hessian approximation (default I);
    ``line_search(x, g, d)``, if given, returns the step length instead.
    Pairs with dg.dx <= 0, which a backtracking search cannot rule out on a
    non-convex f, are skipped. Stops when |grad| <= gtol.
    """
    x = check_point("x0", x0).reshape(-1)
    h = [np.eye(x.size) if inv_hess0 is None
         else np.array(inv_hess0, dtype=float)]
    if h[0].shape != (x.size, x.size):
        raise ValueError(f"inv_hess0 must be {x.size} x {x.size}, "
                         f"got shape {h[0].shape}")

    def remember(dx, dg):
        h[0] = bfgs_update(h[0], dx, dg)

    run = _run(f, grad, x, steps, lambda g: h[0] @ g, remember, gtol,
               line_search)
    run.inv_hess = h[0]
    return run


def lbfgs(f: Callable, grad: Callable, x0, steps: int = 100,
          memory: int = 5, scale: bool = False,
          gtol: float = 0.0) -> QuasiNewtonRun:
    """L-BFGS: BFGS from only the last ``memory`` pairs (dx, dg).

    The starting matrix is I, or with ``scale`` (dx.dg / dg.dg) I from the
    newest pair (Nocedal and Wright, equation 7.20). That scaling is meant
    for a Wolfe line search, which may lengthen a step; the backtracking
    search here only shortens it, and on Rosenbrock's function the scaled
    steps stay too short, so the default is I. With ``memory`` at least the
    number of steps, and I, the iterates are those of :func:`bfgs`.
    """
    memory = check_count("memory", memory)
    pairs: list = []

    def direction(g):
        if not pairs:
            return g
        dx, dg = pairs[-1]
        return two_loop(g, pairs, float(dx @ dg) / float(dg @ dg) if scale
                        else 1.0)

    def remember(dx, dg):
        pairs.append((dx, dg))
        del pairs[:-memory]

    return _run(f, grad, x0, steps, direction, remember, gtol)
