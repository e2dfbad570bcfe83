"""The learning-rate range test: one short run with a rate that grows every update.

Smith (2017) raised the rate linearly over a few epochs; the common variant used
here raises it geometrically, eta_k = eta_min * (eta_max / eta_min) ** (k / (n - 1)),
so every decade of rates gets the same number of updates. The loss falls while
the rate is useful and blows up once it is too large; the plot of loss against
rate shows both ends of the usable range in one run.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from d2lhelpers import style
from d2lhelpers.checks import (as_number, as_vector, check_callable, check_count, check_limit,
                               check_point, check_positive, check_text)
from d2lhelpers.optim import sgd
from d2lhelpers.plotting import new_axes


def geometric_rates(eta_min: float, eta_max: float, num: int) -> np.ndarray:
    """``num`` rates from eta_min to eta_max, equally spaced on a log scale."""
    eta_min = check_positive("eta_min", eta_min)
    eta_max = check_positive("eta_max", eta_max)
    if eta_max <= eta_min:
        raise ValueError(f"eta_max ({eta_max!r}) must exceed eta_min ({eta_min!r})")
    num = check_count("num", num, 2)
    check_limit("num", num, 10 ** 6, "rates")
    return np.geomspace(eta_min, eta_max, num)


@dataclass(frozen=True)
class RangeTest:
    """What a range test recorded: ``losses[k]`` is the loss right after the
    update made with ``etas[k]``; ``smoothed`` its bias-corrected moving
    average; ``start_loss`` the loss before the first update. The arrays stop
    where the run stopped (``blew_up`` says whether the loss exploded)."""
    etas: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    start_loss: float
    blew_up: bool

    @property
    def eta_at_min(self) -> float:
        """The rate at which the (smoothed) loss was lowest."""
        return float(self.etas[int(np.argmin(self.smoothed))])

    @property
    def eta_steepest(self) -> float:
        """The rate at which the smoothed loss fell fastest per decade of rate."""
        if len(self.etas) < 2:
            return float(self.etas[0])
        slope = np.diff(np.log(self.smoothed)) / np.diff(np.log10(self.etas))
        return float(self.etas[int(np.argmin(slope)) + 1])

    def eta_leaving_floor(self, factor: float = 2.0) -> float:
        """The first rate after the minimum at which the smoothed loss is more
        than ``factor`` times its minimum: where the loss starts to climb out of
        its floor (nan if it never does before the run stops)."""
        factor = check_positive("factor", factor)
        k = int(np.argmin(self.smoothed))
        above = np.nonzero(self.smoothed[k:] > factor * self.smoothed[k])[0]
        return float(self.etas[k + above[0]]) if above.size else math.nan

    def suggestion(self) -> float:
        """A cautious pick: a tenth of the rate at the loss minimum, since the
        minimum sits just below the rates that blow up."""
        return self.eta_at_min / 10


def range_test(step: Callable[[float], float], etas: np.ndarray, *,
               smoothing: float = 0.0, blowup: float = 4.0) -> RangeTest:
    """Run ``step(eta)`` once for each rate in ``etas`` (increasing) and record the loss.

    ``step(eta)`` makes ONE update with learning rate eta, continuing from the
    previous one, and returns the loss afterwards; ``step(None)`` (called
    first) returns the loss at the start without updating. The run stops at a
    non-finite loss or once the smoothed loss exceeds ``blowup`` times the start
    loss (it has blown up). ``smoothing`` in [0, 1) is the weight of
    the past in the moving average (0: raw losses, right for a deterministic
    problem; about 0.9 for mini-batch noise).
    """
    if not callable(step):
        raise TypeError(f"step must be a function eta -> loss, got {step!r}")
    etas = check_point("etas", etas).reshape(-1)
    check_limit("len(etas)", etas.size, 10 ** 6, "rates")
    if etas.size < 2 or not np.all(np.isfinite(etas)) or np.any(etas <= 0) \
            or np.any(np.diff(etas) <= 0):
        raise ValueError("etas must hold at least two positive, finite, increasing rates")
    if isinstance(smoothing, bool) or not isinstance(smoothing, numbers.Real) \
            or not 0 <= smoothing < 1:
        raise ValueError(f"smoothing must lie in [0, 1), got {smoothing!r}")
    blowup = check_positive("blowup", blowup)
    if blowup <= 1:
        raise ValueError(f"blowup must exceed 1, got {blowup!r}")

    start = as_number("step", step(None))
    if not math.isfinite(start):
        raise ValueError(f"the loss at the start is not finite ({start!r})")
    losses, smoothed, avg, blew_up = [], [], 0.0, False
    for k, eta in enumerate(etas, start=1):
        loss = as_number("step", step(float(eta)))
        if not math.isfinite(loss):
            blew_up = True
            break
        avg = smoothing * avg + (1 - smoothing) * loss
        smooth = avg / (1 - smoothing ** k)
        losses.append(loss)
        smoothed.append(smooth)
        if smooth > blowup * start:
            blew_up = True
            break
    n = len(losses)
    return RangeTest(etas[:n], np.array(losses), np.array(smoothed), start, blew_up)


def quadratic_stepper(f: Callable, grad: Callable, x0) -> Callable[[Optional[float]], float]:
    """A ``step`` for :func:`range_test`: gradient descent (``optim.sgd``) on
    f(x1, x2) from x0, one update per call."""
    check_callable("f", f)
    check_callable("grad", grad)
    x = check_point("x0", x0).reshape(-1)

    def step(eta):
        nonlocal x
        if eta is not None:
            x, _ = sgd(eta).step(x, as_vector("grad", grad(*x), x.shape), None)
        return as_number("f", f(*x))

    return step


def plot_range_test(result: RangeTest, ax=None, title: str = "Learning-rate range test",
                    mark=None):
    """Loss against rate (log-log); the raw losses faint, the smoothed bold, the
    minimum marked, and optionally a known bound ``mark = (eta, label)``."""
    if not isinstance(result, RangeTest):
        raise TypeError(f"result must be a lrfinder.RangeTest, got {result!r}")
    check_text("title", title)
    if mark is not None:
        if not isinstance(mark, (tuple, list)) or len(mark) != 2:
            raise TypeError(f"mark must be a pair (eta, label), got {mark!r}")
        check_positive("mark's eta", mark[0])
        check_text("mark's label", mark[1])
    ax = new_axes(ax)
    if not np.allclose(result.smoothed, result.losses):
        ax.loglog(result.etas, result.losses, color=style.SKY, lw=0.8, label="loss")
    ax.loglog(result.etas, result.smoothed, color=style.BLUE, lw=1.6,
              label="smoothed loss" if not np.allclose(result.smoothed, result.losses) else "loss")
    ax.axhline(result.start_loss, color=style.BLACK, lw=0.8, ls=":", label="loss at the start")
    ax.plot([result.eta_at_min], [result.smoothed.min()], "o", color=style.VERMILLION,
            label=f"minimum at $\\eta$ = {result.eta_at_min:.3g}")
    if mark is not None:
        ax.axvline(mark[0], color=style.GREEN, ls="--", lw=1.2, label=mark[1])
    ax.set(xlabel="learning rate $\\eta$ (log scale)", ylabel="loss (log scale)", title=title)
    ax.legend(fontsize=8)
    return ax
