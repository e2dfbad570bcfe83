"""Argument checks and divergence reporting shared by every helper.

A bad hyperparameter must fail at once with a message that names it, rather
than produce a silent wrong picture later.
"""
from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from typing import Iterator, Sequence

import numpy as np


class DivergenceWarning(RuntimeWarning):
    """An iteration produced inf or nan; results stop at the last finite point."""


@contextlib.contextmanager
def allow_divergence() -> Iterator[None]:
    """Silence DivergenceWarning for a demo whose point is that it blows up.

    The strict book build turns every warning into an error, so a chapter that
    diverges on purpose says so explicitly with this context manager.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        yield


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_positive(name: str, value) -> float:
    """Return value as a float if it is a finite number > 0, else raise ValueError."""
    if not _is_real(value) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def check_lr(eta) -> float:
    """The learning rate: finite and strictly positive."""
    return check_positive("learning rate eta", eta)


def check_unit_interval(name: str, value) -> float:
    """A decay rate such as a momentum or beta: 0 <= value < 1."""
    if not _is_real(value) or not math.isfinite(value) or not 0 <= value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return float(value)


def check_count(name: str, value, minimum: int = 1) -> int:
    """A size or count such as a batch size: a whole number >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def check_steps(steps) -> int:
    """A number of iterations: a whole number >= 0."""
    return check_count("steps", steps, 0)


def check_nonnegative(name: str, value) -> float:
    """A finite number >= 0, such as a floor or a decay constant that may be 0."""
    if not _is_real(value) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def is_finite_point(point) -> bool:
    """True when every coordinate of a scalar, tuple, list or array is a finite number."""
    try:
        return bool(np.all(np.isfinite(np.asarray(point, dtype=float))))
    except (TypeError, ValueError, OverflowError):
        return False


def finite_prefix(results: Sequence) -> int:
    """How many leading entries of a trace are finite (the whole length if all are)."""
    for i, point in enumerate(results):
        if not is_finite_point(point):
            return i
    return len(results)


def warn_divergence(what: str, step: int) -> None:
    warnings.warn(
        f"{what} diverged: the iterate is no longer finite at step {step}; "
        "the trace stops at the last finite point",
        DivergenceWarning,
        stacklevel=3,
    )
