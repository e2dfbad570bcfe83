"""Drivers that run an update rule from a fixed start and record every iterate.

They keep the printing convention of the popular textbooks (``epoch 10, x: ...``
and ``epoch 20, x1: ..., x2: ...``, six decimals) so that code written for those
books runs unchanged here.
"""
from __future__ import annotations

import math
from typing import Callable, List, Optional, Tuple

from d2lhelpers.checks import (as_number, check_callable, check_lr, check_point, check_real,
                               check_steps, is_finite_point, warn_divergence)

Point2D = Tuple[float, float]


class Trace(list):
    """The iterates of :func:`run_1d`, :func:`gd` or :func:`train_2d`, start
    included: a list that ends at the last finite iterate. ``diverged_at`` is
    the step whose iterate was inf or nan (the run stopped there, with a
    DivergenceWarning), or None; the plot functions read it to say so."""
    diverged_at: Optional[int] = None


def run_1d(update: Callable[[float], float], x0: float = 10.0, steps: int = 10,
           verbose: bool = True, name: str = "iteration") -> List[float]:
    """Iterate ``x <- update(x)`` from ``x0``; return the steps + 1 iterates.

    The run stops early, with a DivergenceWarning, at the first non-finite
    iterate (or arithmetic overflow): later steps would only repeat nan. The
    :class:`Trace` then ends at the last finite iterate and ``diverged_at``
    names the step that was not. Any other exception of ``update`` (a
    ZeroDivisionError, say) is the caller's and propagates unchanged.
    """
    check_callable("update", update)
    steps = check_steps(steps)
    x = check_real("x0", x0)
    results = Trace([x])
    for k in range(1, steps + 1):
        try:
            x_new = as_number("update", update(x))
        except OverflowError:
            x_new = math.inf
        if not math.isfinite(x_new):
            results.diverged_at = k
            warn_divergence(name, k)
            break
        x = x_new
        results.append(x)
    if verbose:
        print(f"epoch {len(results) - 1}, x: {x:f}" + _diverged_note(results))
    return results


def _diverged_note(results: Trace) -> str:
    if results.diverged_at is None:
        return ""
    return f" (diverged: step {results.diverged_at} is not finite)"


def gd(eta: float, f_grad: Callable[[float], float], x0: float = 10.0,
       steps: int = 10, verbose: bool = True) -> List[float]:
    """Gradient descent in one dimension: ``x <- x - eta * f'(x)``."""
    eta = check_lr(eta)
    check_callable("f_grad", f_grad)
    return run_1d(lambda x: x - eta * as_number("f_grad", f_grad(x)),
                  x0=x0, steps=steps, verbose=verbose,
                  name="gradient descent")


def _as_four_numbers(out) -> Tuple:
    if type(out) is tuple and len(out) == 4 and type(out[0]) is float \
            and type(out[1]) is float:          # the common case, fast
        return out
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        raise TypeError(
            "a train_2d trainer must return four values (x1, x2, s1, s2); "
            f"got {type(out).__name__} {out!r}")
    return (as_number("trainer (x1)", out[0]), as_number("trainer (x2)", out[1]),
            out[2], out[3])


def train_2d(trainer: Callable, steps: int = 20, f_grad: Optional[Callable] = None,
             x0: Point2D = (-5.0, -2.0), verbose: bool = True) -> List[Point2D]:
    """Optimize a 2D objective with a custom trainer (the textbook convention).

    ``trainer(x1, x2, s1, s2[, f_grad])`` returns the next ``(x1, x2, s1, s2)``;
    ``s1`` and ``s2`` carry per-coordinate optimizer state and start at 0. The
    result holds steps + 1 points, the start included; a run that diverges
    stops as :func:`run_1d` does, at its last finite point.
    """
    steps = check_steps(steps)
    check_callable("trainer", trainer)
    if f_grad is not None:
        check_callable("f_grad", f_grad)
    x1, x2 = (float(v) for v in check_point("x0", x0, 2).reshape(-1))
    s1 = s2 = 0
    results = Trace([(x1, x2)])
    for k in range(1, steps + 1):
        try:
            out = trainer(x1, x2, s1, s2, f_grad) if f_grad else trainer(x1, x2, s1, s2)
        except OverflowError:
            out = (math.inf, math.inf, s1, s2)
        y1, y2, s1, s2 = _as_four_numbers(out)
        if not is_finite_point((y1, y2)):
            results.diverged_at = k
            warn_divergence("train_2d", k)
            break
        x1, x2 = y1, y2
        results.append((x1, x2))
    if verbose:
        print(f"epoch {len(results) - 1}, x1: {x1:f}, x2: {x2:f}" + _diverged_note(results))
    return results
