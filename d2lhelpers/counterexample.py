"""Reddi, Kale and Kumar's (2018) one-dimensional problem on which Adam fails.

The losses are linear on the interval [-1, 1]: f_t(x) = C x when t mod 3 = 1
and f_t(x) = -x otherwise, with C > 2. Their average, (C - 2) x / 3, is
smallest at x = -1. With beta1 = 0 and beta2 = 1 / (1 + C^2), Adam's rare large
gradient C is forgotten so fast that the two small gradients -1 win, and the
iterate goes to +1; AMSGrad, which divides by the running maximum of s_t,
goes to -1 (their Theorem 1 and Section 4).
"""
from __future__ import annotations

import math

import numpy as np

from d2lhelpers.checks import (MAX_STEPS, check_bool, check_count, check_limit, check_lr,
                               check_real, check_unit_interval)


def _check_C(C) -> float:
    C = check_real("C", C)
    if not C > 2:
        raise ValueError(f"C must be a number > 2, got {C!r}")
    return C


def gradient(t: int, C: float) -> float:
    """f_t'(x): C on every third step (t = 1, 4, 7, ...), -1 otherwise."""
    t, C = check_count("t", t), _check_C(C)
    return C if t % 3 == 1 else -1.0


def online_adam(C: float = 3.0, steps: int = 30000, *, eta: float = 0.5,
                beta2=None, amsgrad: bool = False) -> np.ndarray:
    """The iterates x_1..x_steps of Adam (beta1 = 0, rate eta / sqrt(t), no
    bias correction, as in the paper's analysis, which writes alpha for eta)
    or AMSGrad, projected onto [-1, 1] after each step, from x = 0."""
    C = _check_C(C)
    steps, eta = check_count("steps", steps), check_lr(eta)
    check_limit("steps", steps, MAX_STEPS, "iterations")
    amsgrad = check_bool("amsgrad", amsgrad)
    if beta2 is None:
        beta2 = 1 / (1 + C * C)               # the paper's choice
    beta2 = check_unit_interval("beta2", beta2)
    x, s, s_max = 0.0, 0.0, 0.0
    xs = np.empty(steps)
    for t in range(1, steps + 1):
        g = C if t % 3 == 1 else -1.0    # gradient(t, C), unchecked
        s = beta2 * s + (1 - beta2) * g * g
        s_max = max(s_max, s)
        x -= eta / math.sqrt(t) * g / math.sqrt(s_max if amsgrad else s)
        x = min(1.0, max(-1.0, x))
        xs[t - 1] = x
    return xs
