"""The optimizer protocol: every update rule of the course is written once here
(or in a sibling module) and used by the chapters, the sliders and the tests.

An :class:`Optimizer` is a pair of pure functions. ``init(x)`` makes the state
for parameters shaped like ``x``; ``step(x, g, state)`` takes the parameters,
their gradient and the state and returns ``(new_x, new_state)``. Both use only
arithmetic (``+ - * / **``), so the same rule runs on Python floats, numpy
arrays and MXNet NDArrays, coordinate by coordinate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict

import numpy as np

from d2lhelpers.checks import (as_vector, check_callable, check_lr, check_point, check_steps,
                               warn_divergence)


@dataclass(frozen=True)
class Optimizer:
    name: str
    init: Callable[[Any], Any]
    step: Callable[[Any, Any, Any], tuple]
    hyper: Dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.hyper.items())
        return f"{self.name}({args})"


def _plain_step(name: str, eta: float) -> Optimizer:
    eta = check_lr(eta)
    return Optimizer(name, init=lambda x: 0.0,
                     step=lambda x, g, s: (x - eta * g, s),
                     hyper={"eta": eta})


def gd(eta: float) -> Optimizer:
    """Gradient descent, ``x <- x - eta * g``, no state (gd-1d, gd-multi).

    Given the exact gradient this is full-batch gradient descent; its name in
    figures and tables is ``gd``.
    """
    return _plain_step("gd", eta)


def sgd(eta: float) -> Optimizer:
    """The same step as :func:`gd`, named ``sgd`` for use with a stochastic
    (mini-batch) gradient (sgd chapter); the rule is identical."""
    return _plain_step("sgd", eta)


def run(opt: Optimizer, grad: Callable[[np.ndarray], np.ndarray], x0, steps: int) -> np.ndarray:
    """Run ``opt`` for ``steps`` steps from ``x0``; return an array (steps + 1, d).

    The rows are the iterates, the start included. At the first non-finite
    iterate the run stops with a DivergenceWarning and the array ends at the
    last finite iterate, so it is shorter.
    """
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a d2lhelpers.optim.Optimizer, got {opt!r}")
    check_callable("grad", grad)
    steps = check_steps(steps)
    x = check_point("x0", x0).reshape(-1)
    state = opt.init(x)
    rows = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            out = opt.step(x, as_vector("grad", grad(x), x.shape), state)
            if not isinstance(out, tuple) or len(out) != 2:
                raise TypeError(f"{opt.name}.step must return (x, state), got {out!r}")
            x, state = as_vector(f"{opt.name}.step", out[0], rows[0].shape), out[1]
            if not np.all(np.isfinite(x)):     # stop at the last finite iterate
                warn_divergence(repr(opt), k)
                break
            rows.append(np.array(x, dtype=float))
    return np.vstack(rows)


def as_trainer(opt: Optimizer) -> Callable:
    """Wrap an optimizer as a ``train_2d`` trainer ``(x1, x2, s1, s2, f_grad)``.

    ``s1`` and ``s2`` hold each coordinate's optimizer state; they start as the
    literal 0 of the convention and are replaced by ``opt.init`` on the first step.
    """
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a d2lhelpers.optim.Optimizer, got {opt!r}")

    def trainer(x1, x2, s1, s2, f_grad):
        if isinstance(s1, int) and s1 == 0 and isinstance(s2, int) and s2 == 0:
            s1, s2 = opt.init(float(x1)), opt.init(float(x2))
        g1, g2 = (float(g) for g in as_vector("f_grad", f_grad(x1, x2), (2,)))
        x1, s1 = opt.step(x1, g1, s1)
        x2, s2 = opt.step(x2, g2, s2)
        return x1, x2, s1, s2
    trainer.__name__ = f"{opt.name}_2d"
    return trainer


def grad_2d(f_grad: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """Adapt a gradient written as ``f_grad(x1, x2) -> (g1, g2)`` to arrays."""
    check_callable("f_grad", f_grad)
    return lambda x: np.asarray(f_grad(x[0], x[1]), dtype=float)


def one_pass(opt: Optimizer, X, y, x0=None) -> np.ndarray:
    """One pass of single-sample updates over the data, in order, on the
    least-squares loss ``(x_i . w - y_i)^2 / 2`` of sample i (no bias).

    Step i uses the gradient ``(x_i . w - y_i) x_i`` of sample i; returns the
    iterates as :func:`run` does, shape (n + 1, d) unless the run diverged.
    """
    X = check_point("X", X)
    y = check_point("y", y).reshape(-1)
    if X.ndim != 2 or len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X must be a non-empty (n, d) array and y hold n values, got "
                         f"shapes {X.shape} and {y.shape}")
    samples = iter(range(len(X)))

    def sample_grad(w):
        i = next(samples)
        return (X[i] @ w - y[i]) * X[i]
    return run(opt, sample_grad, np.zeros(X.shape[1]) if x0 is None else x0, len(X))
