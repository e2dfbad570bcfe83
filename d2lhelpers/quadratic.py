"""Gradient descent on a separable quadratic, in closed form and measured.

On f = a x1^2 + b x2^2 the Hessian is diag(lambda_1, lambda_2) = diag(2a, 2b), and
one gradient step multiplies each coordinate by its own factor 1 - eta*lambda_i.
Everything the chapter says about step sizes and conditioning follows from
those factors; the functions below state them once so that the chapter, its
sliders and the tests compare the optimizer against the same closed forms.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from d2lhelpers.checks import check_lr, check_positive, check_steps
from d2lhelpers.functions import Quadratic2D
from d2lhelpers.optim import gd, grad_2d


def _check_quadratic(q) -> Quadratic2D:
    if not isinstance(q, Quadratic2D):
        raise TypeError(f"q must be a Quadratic2D, got {type(q).__name__}")
    if not (q.a > 0 and q.b > 0):
        raise ValueError(f"q must have positive curvatures, got a={q.a!r}, b={q.b!r}")
    return q


def _check_tol(tol) -> float:
    tol = check_positive("tol", tol)
    if tol >= 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
    return tol


def _as_point(x0) -> np.ndarray:
    x = np.asarray(x0, dtype=float).reshape(-1)
    if x.shape != (2,) or not np.all(np.isfinite(x)) or not np.any(x):
        raise ValueError(f"x0 must be a finite, non-zero 2D point, got {x0!r}")
    return x


def with_condition_number(kappa, largest: float = 4.0) -> Quadratic2D:
    """The quadratic with Hessian eigenvalues (largest / kappa, largest).

    With the default largest = 4, kappa = 2 gives the classic x1^2 + 2 x2^2 and
    kappa = 20 the ill-conditioned 0.1 x1^2 + 2 x2^2.
    """
    if (not isinstance(kappa, numbers.Real) or isinstance(kappa, bool)
            or not math.isfinite(kappa) or kappa < 1):
        raise ValueError(f"condition number kappa must be a finite number >= 1, got {kappa!r}")
    largest = check_positive("largest", largest)
    return Quadratic2D(largest / (2 * kappa), largest / 2)


def contraction_factors(q: Quadratic2D, eta) -> np.ndarray:
    """The factors 1 - eta * lambda_i by which one GD step scales each coordinate."""
    q, eta = _check_quadratic(q), check_lr(eta)
    return 1 - eta * np.asarray(q.eigenvalues, dtype=float)


def gd_closed_form(q: Quadratic2D, eta, x0=(-5.0, -2.0), steps: int = 20) -> np.ndarray:
    """The iterates x_k = (1 - eta*lambda_i)^k x0_i, k = 0..steps, as rows."""
    factors = contraction_factors(q, eta)
    k = np.arange(check_steps(steps) + 1)[:, None]
    return np.asarray(x0, dtype=float)[None, :] * factors[None, :] ** k


def stable_lr_bound(q: Quadratic2D) -> float:
    """GD converges from every start iff 0 < eta < 2 / L, L the largest eigenvalue."""
    return 2 / max(_check_quadratic(q).eigenvalues)


def best_lr(q: Quadratic2D) -> float:
    """The fixed step 2 / (mu + L) that minimises the slowest factor max|1 - eta*lambda_i|.

    At it both extreme factors have size (kappa - 1) / (kappa + 1).
    """
    lo, hi = sorted(_check_quadratic(q).eigenvalues)
    return 2 / (lo + hi)


def predicted_steps(q: Quadratic2D, eta, tol=1e-6, x0=(1.0, 1.0)) -> int:
    """From the closed form: the first k with ||x_k|| <= tol * ||x_0||."""
    factors, tol, x = contraction_factors(q, eta), _check_tol(tol), _as_point(x0)
    rho = float(np.max(np.abs(factors)))
    if rho >= 1:
        raise ValueError(f"learning rate eta={eta!r} does not converge on this quadratic: "
                         f"it needs eta < 2/L = {stable_lr_bound(q):g}")
    # ||x_k|| <= rho^k ||x_0||, so the answer is at most this many steps.
    bound = 1 if rho == 0 else math.ceil(math.log(tol) / math.log(rho))
    k = np.arange(bound + 1)[:, None]
    norms = np.linalg.norm(x[None, :] * factors[None, :] ** k, axis=1)
    return int(np.argmax(norms <= tol * np.linalg.norm(x)))


def steps_to_tolerance(q: Quadratic2D, eta, tol=1e-6, x0=(1.0, 1.0),
                       max_steps: int = 100_000) -> int:
    """Run GD (``optim.gd``) until ||x_k|| <= tol * ||x_0||; return k.

    This measures what :func:`predicted_steps` computes from the closed form.
    """
    opt, tol, x = gd(eta), _check_tol(tol), _as_point(x0)
    max_steps = check_steps(max_steps, "max_steps")
    grad, target = grad_2d(_check_quadratic(q).grad), tol * np.linalg.norm(x)
    state = opt.init(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(max_steps + 1):
            norm = np.linalg.norm(x)
            if norm <= target:
                return k
            if not math.isfinite(norm):
                break
            x, state = opt.step(x, grad(x), state)
    raise ValueError(f"GD with eta={eta!r} did not reach tol={tol!r} in max_steps={max_steps} "
                     f"steps (it converges only for eta < 2/L = {stable_lr_bound(q):g})")


def gd_run(q: Quadratic2D, eta, steps: int = 20, x0=(-5.0, -2.0)) -> np.ndarray:
    """``steps`` steps of gradient descent on ``q`` from ``x0`` through
    :func:`d2lhelpers.drivers.train_2d`: the iterates, shape (steps + 1, 2)."""
    from d2lhelpers.drivers import train_2d
    from d2lhelpers.optim import as_trainer, gd
    return np.array(train_2d(as_trainer(gd(eta)), f_grad=_check_quadratic(q).grad,
                             steps=steps, x0=x0, verbose=False))
