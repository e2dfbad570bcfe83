"""Stochastic gradient descent on a 2D quadratic with a noisy gradient.

The gradient of ``f`` is observed with N(0, 1) noise added to each coordinate,
which is what a stochastic gradient looks like from the optimizer's side. The
trainers plug into :func:`d2lhelpers.drivers.train_2d`; each owns its random
generator (seeded), so a run is reproducible and runs do not share state.
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from d2lhelpers.checks import (as_vector, check_callable, check_count, check_limit, check_lr,
                               check_nonnegative, check_real, check_steps)
from d2lhelpers.data import make_rng
from d2lhelpers.functions import CLASSIC, Quadratic2D, TwoWells  # noqa: F401  (its old home)
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.schedules import Constant, InverseTime, Schedule

#: No decay: the unit-rate schedule, so the rate is eta at every step.
constant = Constant(1.0)


def inverse_time(decay: float) -> InverseTime:
    """The unit-rate schedule ``1 / (1 + decay * t)`` at step t. For decay > 0 its
    sum diverges and the sum of its squares converges: the Robbins-Monro
    conditions."""
    return InverseTime(1.0, decay)


def noisy_sgd(eta: float, *, seed: int = 0, schedule: Optional[Schedule] = None,
              noise: float = 1.0) -> Callable:
    """A ``train_2d`` trainer ``(x1, x2, s1, s2, f_grad)``: one SGD step with the
    learning rate ``eta * schedule(t)`` (t = 1, 2, ...) along ``f_grad`` plus
    ``noise * N(0, 1)`` in each coordinate.

    ``schedule`` is a :class:`d2lhelpers.schedules.Schedule` of base rate 1
    (:data:`constant`, the default, or :func:`inverse_time`), scaled by ``eta``.
    """
    eta, noise = check_lr(eta), check_nonnegative("noise", noise)
    schedule = constant if schedule is None else schedule
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a d2lhelpers.schedules.Schedule, got {schedule!r}")
    draw = _noise_pairs(seed, noise)
    step = {"t": 0}

    def trainer(x1, x2, s1, s2, f_grad):
        step["t"] += 1
        g1, g2 = f_grad(x1, x2)
        n1, n2 = draw()
        rule = sgd_rule(eta * schedule(step["t"]))
        x1, _ = rule.step(x1, g1 + n1, 0.0)
        x2, _ = rule.step(x2, g2 + n2, 0.0)
        return x1, x2, s1, s2

    trainer.__name__ = "noisy_sgd"
    return trainer


def _noise_pairs(seed, noise: float, block: int = 512) -> Callable:
    """A function returning the next ``noise * N(0, 1)`` pair, as floats.

    A generator seeded here is drawn ``block`` pairs at a time: numpy fills
    an (n, 2) array from the same stream, in the same order, as n draws of 2,
    so the numbers are those of step-by-step draws, at a fraction of the
    cost. A Generator passed in may be shared, so it is drawn per step, to
    leave it where step-by-step draws would.
    """
    rng = make_rng(seed)
    if isinstance(seed, np.random.Generator):
        return lambda: (noise * rng.standard_normal(2)).tolist()
    pending = iter(())

    def draw():
        nonlocal pending
        pair = next(pending, None)
        if pair is None:
            pending = iter((noise * rng.standard_normal((block, 2))).tolist())
            pair = next(pending)
        return pair
    return draw


def stationary_mean_f(eta: float, f: Quadratic2D = CLASSIC, noise: float = 1.0) -> float:
    """E[f] once constant-rate SGD with noisy gradients has forgotten its start.

    Per coordinate with curvature 2a, ``x <- (1 - 2 a eta) x - eta * noise * z``
    has stationary variance ``eta noise^2 / (4 a (1 - a eta))`` (for 0 < a eta < 1),
    so E[a x^2] = eta noise^2 / (4 (1 - a eta)), summed over the two coordinates.
    """
    eta = check_lr(eta)
    total = 0.0
    for a in (f.a, f.b):
        if not 0 < a * eta < 1:
            raise ValueError(f"no stationary distribution for eta={eta} and curvature {2 * a}")
        total += eta * noise ** 2 / (4 * (1 - a * eta))
    return total


def noisy_descent(grad: Callable, x0: float, eta: float, steps: int, noise: float, *,
                  walkers: int = 1, seed: int = 0) -> np.ndarray:
    """``walkers`` independent 1D runs of SGD with gradient ``grad(x) + noise * N(0, 1)``
    from ``x0``; returns their iterates, shape (steps + 1, walkers)."""
    check_callable("grad", grad)
    eta, steps = check_lr(eta), check_steps(steps)
    noise, walkers = check_nonnegative("noise", noise), check_count("walkers", walkers)
    check_limit("steps * walkers", steps * walkers, 10 ** 7, "stored iterates")
    rng = make_rng(seed)
    rule = sgd_rule(eta)
    x = np.full(walkers, check_real("x0", x0))
    out = [x]
    for _ in range(steps):
        g = as_vector("grad", grad(x), x.shape)
        x, _ = rule.step(x, g + noise * rng.standard_normal(x.shape), 0.0)
        out.append(x)
    return np.array(out)
