"""Newton's method, its safeguards, and a way to read its convergence order.

Newton's update divides the gradient by the curvature (in 1D) or solves with
the Hessian (in d dimensions). It is only as good as that curvature: zero or
non-finite curvature makes the step undefined, which is reported at once, and
negative curvature makes it climb, which the remedies here (damping, a
modified curvature, a backtracking line search) are there to repair.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import (
    as_number,
    as_vector,
    check_callable,
    check_lr,
    check_nonnegative,
    check_point,
    check_positive,
    check_steps,
    check_unit_interval,
    is_finite_point,
    warn_divergence,
)
from d2lhelpers.drivers import run_1d

CURVATURES = ("exact", "abs", "shift", "floor")
CURVATURES_ND = ("exact", "abs", "shift_pd")


def modified_curvature(h, curvature: str = "exact", tau: float | None = None,
                       eps: float | None = None) -> float:
    """The curvature Newton divides by: f'', |f''|, f'' + tau or max(f'', eps).

    'shift' adds a fixed tau > 0, which does not make a negative f'' positive;
    'floor' adds the smallest shift that makes the curvature at least
    eps > 0 (Nocedal and Wright, section 3.4). The result must be non-zero and
    finite for the step to exist.
    """
    if curvature not in CURVATURES:
        raise ValueError(f"curvature must be one of {CURVATURES}, "
                         f"got {curvature!r}")
    if (curvature == "shift") != (tau is not None):
        raise ValueError("tau is required with curvature='shift' and only "
                         f"then, got curvature={curvature!r}, tau={tau!r}")
    if (curvature == "floor") != (eps is not None):
        raise ValueError("eps is required with curvature='floor' and only "
                         f"then, got curvature={curvature!r}, eps={eps!r}")
    h = as_number("f_hess (the second derivative f''(x))", h)
    if curvature == "abs":
        return abs(h)
    if curvature == "shift":
        return h + check_positive("tau", tau)
    if curvature == "floor":
        return max(h, check_positive("eps", eps)) if math.isfinite(h) else h
    return h


def check_curvature(h, x) -> float:
    """Return h as a float if the Newton step can divide by it, else ValueError."""
    h = as_number("f_hess (the second derivative f''(x))", h)
    if not math.isfinite(h):
        raise ValueError(f"the second derivative f''(x) = {h!r} at x = {x!r} "
                         "is not finite")
    if h == 0:
        raise ValueError(f"the second derivative f''(x) is zero at x = {x!r}: "
                         "the Newton step f'(x) / f''(x) is undefined")
    return h


def newton_step(x, g, h, eta=1.0) -> float:
    """One (damped) Newton step in 1D: x - eta * f'(x) / f''(x)."""
    eta = check_lr(eta)
    return x - eta * g / check_curvature(h, x)


def backtracking(f: Callable, x, g, d, eta=1.0, shrink=0.5, c1=1e-4,
                 max_halvings: int = 60) -> float:
    """Backtracking (Armijo) line search along a descent direction d.

    Starting from ``eta``, the step is multiplied by ``shrink`` until
    f(x + t d) <= f(x) + c1 t g.d (Nocedal and Wright, Algorithm 3.1).
    Changes below the rounding error of f(x) cannot be measured, so they
    are accepted.
    """
    check_callable("f", f)
    t = check_lr(eta)
    shrink = check_unit_interval("shrink", shrink)
    c1 = check_unit_interval("c1", c1)
    if shrink == 0 or c1 == 0:
        raise ValueError("shrink and c1 must lie in (0, 1), "
                         f"got shrink={shrink!r}, c1={c1!r}")
    slope = float(np.sum(np.asarray(g, dtype=float)
                         * np.asarray(d, dtype=float)))
    if not slope < 0:
        raise ValueError(f"the search direction d = {d!r} is not a descent "
                         f"direction at x = {x!r} (g.d = {slope!r} >= 0); "
                         "no step size lowers f. Use a positive curvature, "
                         "e.g. curvature='abs'.")
    f0 = float(f(x))
    slack = 4 * np.finfo(float).eps * max(1.0, abs(f0))
    for _ in range(max_halvings):
        if float(f(x + t * d)) <= f0 + c1 * t * slope + slack:
            return t
        t *= shrink
    raise ValueError(f"no step size down to {t:.3g} lowered f along "
                     f"d = {d!r} at x = {x!r}")


def newton(eta, f_grad: Callable, f_hess: Callable, x0=10.0, steps: int = 10,
           *, curvature: str = "exact", tau: float | None = None,
           eps: float | None = None, line_search: Callable | None = None,
           verbose: bool = True) -> list[float]:
    """Newton's method in 1D from x0; returns the steps + 1 iterates.

    ``eta`` damps the step (eta = 1 is the pure method); ``curvature``
    replaces f'' by |f''| ('abs'), f'' + tau ('shift') or max(f'', eps)
    ('floor'); passing the objective as ``line_search`` makes ``eta`` the
    first trial step of a backtracking search. Prints ``epoch N, x: ...``
    like :func:`d2lhelpers.drivers.gd`.
    """
    eta = check_lr(eta)
    _check_start(x0, ndim=0)
    check_callable("f_grad", f_grad)
    check_callable("f_hess", f_hess)
    modified_curvature(1.0, curvature, tau, eps)   # validate the options
    if line_search is not None:
        check_callable("line_search", line_search)

    def update(x):
        g = as_number("f_grad", f_grad(x))
        h = check_curvature(modified_curvature(f_hess(x), curvature, tau, eps),
                            x)
        if line_search is None:
            return newton_step(x, g, h, eta)
        d = -g / h
        if d == 0:
            return x
        return x + backtracking(line_search, x, g, d, eta=eta) * d

    return run_1d(update, x0=x0, steps=steps, verbose=verbose,
                  name="Newton's method")


def _check_start(x0, ndim=None):
    # A non-finite start is bad input, not a divergence.
    if ndim == 0 and np.ndim(x0) != 0:
        raise ValueError(f"x0 must be a finite number, got {x0!r}")
    if not is_finite_point(x0) or np.size(x0) == 0:
        raise ValueError(f"x0 must be finite, got {x0!r}")


def _check_hessian(hess, d: int, x) -> np.ndarray:
    hess = np.asarray(hess)
    if hess.dtype.kind not in "iuf":
        raise TypeError(f"the Hessian must be a {d} x {d} matrix of numbers, got {hess!r}")
    hess = hess.astype(float)
    if hess.shape != (d, d):
        raise ValueError(f"the Hessian must be a {d} x {d} matrix, "
                         f"got shape {hess.shape}")
    if not np.all(np.isfinite(hess)):
        raise ValueError(f"the Hessian at x = {np.asarray(x).tolist()} is "
                         f"not finite: {hess.tolist()}")
    return hess


def newton_step_nd(x, g, hess, eta=1.0) -> np.ndarray:
    """One Newton step with a Hessian: x - eta * H^{-1} g, by solving H p = g.

    Solving costs about (2/3) d^3 operations, a third of what forming the
    inverse would. A singular or non-finite Hessian is a ValueError.
    """
    eta = check_lr(eta)
    x = check_point("x", x)
    g = as_vector("the gradient g", g, x.shape)
    d = x.size
    hess = _check_hessian(hess, d, x)
    if np.linalg.cond(hess) > 1 / np.finfo(float).eps:
        raise ValueError(f"the Hessian at x = {x.tolist()} is singular: "
                         f"{hess.tolist()}")
    return x - eta * np.linalg.solve(hess, g.reshape(d)).reshape(x.shape)


def newton_trainer(f_hess: Callable, eta=1.0) -> Callable:
    """A ``train_2d`` trainer for Newton's method; ``f_hess(x1, x2)`` is the
    2 x 2 Hessian."""
    check_callable("f_hess", f_hess)
    eta = check_lr(eta)

    def trainer(x1, x2, s1, s2, f_grad):
        x = newton_step_nd((x1, x2), f_grad(x1, x2), f_hess(x1, x2), eta)
        return float(x[0]), float(x[1]), s1, s2
    trainer.__name__ = "newton_2d"
    return trainer


def shift_to_positive_definite(hess, beta: float = 1e-3,
                               max_tries: int = 100) -> tuple[float, np.ndarray]:
    """The shift tau >= 0 and H + tau I, positive definite.

    Nocedal and Wright's Algorithm 3.3 (Cholesky with added multiple of the
    identity): start from tau = 0 if every diagonal entry is positive, else
    from beta - min(diag H); double tau (at least to beta) until the Cholesky
    factorization of H + tau I succeeds.
    """
    hess = np.asarray(hess, dtype=float)
    if hess.ndim != 2 or hess.shape[0] != hess.shape[1]:
        raise ValueError(f"hess must be a square matrix, got shape "
                         f"{hess.shape}")
    hess = _check_hessian(hess, hess.shape[0], [])
    if not np.allclose(hess, hess.T, rtol=1e-12, atol=0):
        raise ValueError("hess must be symmetric")
    beta = check_positive("beta", beta)
    low = float(np.min(np.diag(hess)))
    tau = 0.0 if low > 0 else beta - low
    eye = np.eye(hess.shape[0])
    for _ in range(max_tries):
        try:
            np.linalg.cholesky(hess + tau * eye)
            return tau, hess + tau * eye
        except np.linalg.LinAlgError:
            tau = max(2 * tau, beta)
    raise ValueError(f"no shift up to {tau:.3g} made hess positive definite")


def saddle_free(hess) -> np.ndarray:
    """|H|: the Hessian with each eigenvalue replaced by its absolute value
    (the saddle-free Newton of Dauphin et al., 2014)."""
    hess = check_point("hess", hess)
    if hess.ndim != 2 or hess.shape[0] != hess.shape[1]:
        raise ValueError(f"hess must be a square matrix, got shape {hess.shape}")
    w, vecs = np.linalg.eigh(hess)
    return (vecs * np.abs(w)) @ vecs.T


@dataclass
class NewtonRun:
    """A d-dimensional Newton run: iterates (steps + 1, d), the step length
    accepted at each step, and the Newton decrement at each iterate."""
    xs: np.ndarray
    step_lengths: list
    decrements: list


def newton_nd(f: Callable | None, grad: Callable, hess: Callable, x0,
              steps: int = 20, *, curvature: str = "exact",
              line_search: bool = False, c1: float = 1e-4, tol: float = 0.0
              ) -> NewtonRun:
    """Newton's method in d dimensions on functions of a vector x.

    ``curvature`` uses H ('exact'), |H| ('abs', saddle-free) or H + tau I
    with tau from :func:`shift_to_positive_definite` ('shift_pd'). With
    ``line_search`` each step length is chosen by backtracking from 1 (f is
    then required). The run stops once the Newton decrement squared over 2
    (Boyd and Vandenberghe, section 9.5.1) is at most ``tol``.
    """
    if curvature not in CURVATURES_ND:
        raise ValueError(f"curvature must be one of {CURVATURES_ND}, "
                         f"got {curvature!r}")
    check_callable("grad", grad)
    check_callable("hess", hess)
    if line_search:
        check_callable("f", f)
    steps = check_steps(steps)
    tol = check_nonnegative("tol", tol)
    c1 = check_unit_interval("c1", c1)
    if c1 == 0:
        raise ValueError("c1 must lie in (0, 1), got 0")
    _check_start(x0)
    x = check_point("x0", x0).reshape(-1)
    xs, lengths, decrements = [x.copy()], [], []
    for step in range(1, steps + 1):
        g = as_vector("grad", grad(x), x.shape)
        h = _check_hessian(hess(x), x.size, x)
        if curvature == "abs":
            h = saddle_free(h)
        elif curvature == "shift_pd":
            h = shift_to_positive_definite(h)[1]
        p = newton_step_nd(np.zeros_like(x), g, h)     # -H^{-1} g
        decrement = math.sqrt(abs(float(g @ np.linalg.solve(h, g))))
        decrements.append(decrement)
        if decrement ** 2 / 2 <= tol:
            break
        t = backtracking(f, x, g, p, c1=c1) if line_search else 1.0
        x = x + t * p
        if not np.all(np.isfinite(x)):
            warn_divergence("Newton's method", step)
            break
        lengths.append(t)
        xs.append(x.copy())
    return NewtonRun(np.vstack(xs), lengths, decrements)


def convergence_orders(errors: Sequence[float]) -> list[float]:
    """Estimates of the order p from consecutive errors, assuming
    e_{k+1} ~ C e_k^p.

    Each estimate is log(e_{k+1}/e_k) / log(e_k/e_{k-1}); pass only errors
    well above the rounding floor, where the model holds.
    """
    e = [float(v) for v in errors]
    if len(e) < 3:
        raise ValueError(f"errors needs at least 3 values, got {len(e)}")
    if not all(math.isfinite(v) and v > 0 for v in e):
        raise ValueError(f"errors must be positive finite numbers, "
                         f"got {errors!r}")
    if any(a == b for a, b in itertools.pairwise(e)):
        raise ValueError(f"errors must change from step to step, "
                         f"got {errors!r}")
    return [math.log(e[k + 1] / e[k]) / math.log(e[k] / e[k - 1])
            for k in range(1, len(e) - 1)]
