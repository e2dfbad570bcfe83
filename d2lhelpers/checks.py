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
    if type(value) is float or type(value) is int:     # the common case, fast
        return True
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
    if type(value) is int and value >= minimum:         # the common case, fast
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


#: The most iterations one call of a driver runs: far above what any chapter
#: needs (20,000), far below what would hang a kernel without a word.
MAX_STEPS = 1_000_000
#: The most pictures one slider or animation renders into a page: each is a
#: PNG inlined in the page, so more makes the page too heavy to load.
MAX_PICTURES = 400


def check_steps(steps, name: str = "steps", limit: int = MAX_STEPS) -> int:
    """A number of iterations: a whole number in [0, limit]."""
    steps = check_count(name, steps, 0)
    check_limit(name, steps, limit, "iterations")
    return steps


def check_limit(name: str, value: int, limit: int, what: str) -> None:
    """Refuse work too large to finish in a page or a kernel, saying why."""
    if value > limit:
        raise ValueError(f"{name} = {value} asks for more than {limit:,} {what}, the limit "
                         "one call allows (it would run or render for too long)")


def check_callable(name: str, value) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {value!r}")


def check_real(name: str, value) -> float:
    """A finite real number (not a bool, not a numeric string)."""
    if not _is_real(value) and not (isinstance(value, np.ndarray) and value.ndim == 0
                                    and value.dtype.kind in "iuf"):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def _numeric_array(name: str, value, what: str) -> np.ndarray:
    # the common cases first, fast (they run at every step of a driver)
    if type(value) is np.ndarray and value.dtype == np.float64:
        return value.copy()
    if type(value) is tuple and all(type(v) is float for v in value):
        return np.array(value)
    if (type(value) is tuple and value and all(          # per-coordinate arrays
            type(v) is np.ndarray and v.dtype == np.float64 and v.shape == value[0].shape
            for v in value)):
        return np.array(value)
    try:
        with warnings.catch_warnings():   # numpy < 1.24 only warns for ragged input
            warnings.simplefilter("error", np.VisibleDeprecationWarning)
            arr = np.asarray(value)
    except (TypeError, ValueError, np.VisibleDeprecationWarning) as err:   # ragged
        raise TypeError(f"{name} {what} numbers, got {value!r}") from err
    if arr.dtype.kind not in "biuf" or arr.dtype.kind == "b":
        raise TypeError(f"{name} {what} numbers, got {value!r}")
    return arr.astype(float)


def check_point(name: str, value, dim: int | None = None) -> np.ndarray:
    """A starting point: finite numbers (a scalar or a vector of ``dim``)."""
    arr = _numeric_array(name, value, "must hold")
    if dim is not None and arr.size != dim:
        raise ValueError(f"{name} must hold {dim} coordinates, got {value!r}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def as_number(name: str, value) -> float:
    """What a user's callable returned, as a float; a str, None or array is
    refused with a TypeError naming the callable (never coerced)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return float(value)
    if not _is_real(value):
        raise TypeError(f"{name} must return a real number, got {value!r}")
    return float(value)


def as_vector(name: str, value, shape) -> np.ndarray:
    """What a user's callable returned, as a float array of ``shape`` (no
    broadcasting, no coercion of strings)."""
    arr = _numeric_array(name, value, "must return")
    if arr.ndim == 0 and tuple(shape) == (1,):     # a number for a one-coordinate x
        arr = arr.reshape(1)
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must return an array of shape {tuple(shape)}, "
                         f"got shape {arr.shape}")
    return arr


def check_trace(results, dim: int) -> np.ndarray:
    """A recorded trace to draw: a non-empty sequence of numbers (dim 1) or of
    pairs (dim 2) that starts at a finite point; later points may be inf/nan
    (a divergence, drawn up to its last finite point)."""
    if isinstance(results, (str, bytes)) or not hasattr(results, "__len__"):
        raise TypeError(f"results must be a sequence of iterates, got {results!r}")
    if len(results) == 0:
        raise ValueError("results must hold at least the starting point, got an empty trace")
    arr = _numeric_array("results", results, "must hold")
    if (dim == 1 and arr.ndim != 1) or (dim == 2 and (arr.ndim != 2 or arr.shape[1] != 2)):
        raise ValueError(f"results must hold {'numbers' if dim == 1 else 'pairs (x1, x2)'}, "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr[0])):
        raise ValueError(f"results must start at a finite point, got {results[0]!r}")
    return arr


def check_labels(name: str, y, n: int) -> np.ndarray:
    """Labels for n samples: shape (n,) or (n, 1), as a flat float32 array."""
    arr = _numeric_array(name, y, "must hold").astype(np.float32)
    if arr.shape not in ((n,), (n, 1)):
        raise ValueError(f"{name} must hold one label per sample, the same number of samples "
                         f"as X: shape ({n},) or ({n}, 1), got shape {arr.shape}")
    return arr.reshape(-1)


def check_nonnegative(name: str, value) -> float:
    """A finite number >= 0, such as a floor or a decay constant that may be 0."""
    if not _is_real(value) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def is_finite_point(point) -> bool:
    """True when every coordinate of a scalar, tuple, list or array is a finite number."""
    if type(point) is tuple and all(type(v) is float for v in point):   # a 2D iterate
        return all(map(math.isfinite, point))
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


def check_bool(name: str, value) -> bool:
    """A flag: True or False (not 1, "yes" or None, which would be coerced)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_density(density):
    """A picture's pixels per CSS pixel: a number >= 1 (2 is crisp on a
    high-density screen)."""
    if isinstance(density, bool) or not (isinstance(density, numbers.Real) and density >= 1):
        raise ValueError(f"density must be a number >= 1, got {density!r}")
    return density


def check_text(name: str, value) -> str:
    """A title, label or caption: a str."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r}")
    return value


def check_sequence(name: str, value, minimum: int = 1) -> list:
    """A list, tuple, range or 1D array of at least ``minimum`` items, as a list
    (not a str, which would be read one character at a time)."""
    if (isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__")
            or not hasattr(value, "__iter__")
            or (isinstance(value, np.ndarray) and value.ndim != 1)):
        raise TypeError(f"{name} must be a sequence, got {value!r}")
    items = list(value)
    if len(items) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} item(s), got {value!r}")
    return items


#: The largest figure a helper draws, in inches per side (a page column is ~7).
MAX_FIGSIZE = 30.0


def check_figsize(figsize, name: str = "figsize") -> tuple:
    """A matplotlib figure size: (width, height) in inches, each in (0, MAX_FIGSIZE]."""
    if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
        raise TypeError(f"{name} must be a (width, height) pair in inches, got {figsize!r}")
    w, h = (check_positive(name, v) for v in figsize)
    if max(w, h) > MAX_FIGSIZE:
        raise ValueError(f"{name} must be at most {MAX_FIGSIZE:g} inches a side, got {figsize!r}")
    return w, h


def check_mxnet_optimizer(name, hyper: dict, *, extra: Sequence[str] = ()) -> None:
    """An MXNet optimizer name (or one of ``extra``, the course's own) and its
    settings: numbers where MXNet would take a string or a negative decay
    unchecked and train silently wrong (flags such as ``centered`` may be bools)."""
    import mxnet as mx
    names = mx.optimizer.Optimizer.opt_registry
    if not isinstance(name, str) or (name not in extra and name.lower() not in names):
        ours = f"one of {sorted(extra)} or " if extra else ""
        raise ValueError(f"optimizer name must be {ours}one of MXNet's {sorted(names)}, "
                         f"got {name!r}")
    for key, value in hyper.items():
        if isinstance(value, (bool, np.bool_)) or value is None or key == "lr_scheduler":
            continue
        _HYPER_CHECKS.get(key, check_real)(key, value)


_HYPER_CHECKS = {"momentum": check_unit_interval, "beta1": check_unit_interval,
                 "beta2": check_unit_interval, "rho": check_unit_interval,
                 "gamma1": check_unit_interval, "gamma2": check_unit_interval,
                 "wd": check_nonnegative, "epsilon": check_positive, "eps": check_positive,
                 "clip_gradient": check_positive, "rescale_grad": check_positive,
                 "learning_rate": check_positive}
