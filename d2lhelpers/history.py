"""The record of a training run, and the recorder that fills it.

Every trainer of the course (the three linear-regression trainers and
:func:`d2lhelpers.loop.fit`) returns a :class:`History` filled by a
:class:`Recorder`, so a run reads the same whoever made it and divergence has
one convention: ``diverged_at`` is the index of the first record whose loss is
not finite, and the run stops there.
"""
from __future__ import annotations

import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional

import numpy as np

from d2lhelpers.checks import (DivergenceWarning, check_callable, check_count, check_labels,
                               check_text)


@dataclass
class History:
    """What a training run recorded.

    ``loss[k]`` is the loss on the training data after ``samples[k]`` samples
    (``epoch[k]`` epochs, ``time[k]`` seconds of wall clock since the start).
    ``diverged_at`` is None, or the index ``k`` of the first non-finite loss
    (the run stopped there; for :func:`~d2lhelpers.loop.fit`, which records
    once per epoch, it is also the epoch).

    Linear-regression trainers also store ``params[k]``, the parameters
    ``(w..., b)`` at record k, and the final ``w`` and ``b``.
    :func:`~d2lhelpers.loop.fit` also stores ``valid_loss[k]`` (held-out data),
    and per update ``lr`` (the rate used) and ``batch_loss`` (the mini-batch
    mean loss), with ``updates_per_epoch``.
    """
    loss: List[float] = field(default_factory=list)
    w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    b: float = 0.0
    diverged_at: Optional[int] = None
    samples: List[int] = field(default_factory=list)
    epoch: List[float] = field(default_factory=list)
    time: List[float] = field(default_factory=list)
    params: List[np.ndarray] = field(default_factory=list)
    label: str = ""
    valid_loss: List[float] = field(default_factory=list)
    lr: List[float] = field(default_factory=list)
    batch_loss: List[float] = field(default_factory=list)
    updates_per_epoch: int = 0
    records: List[Any] = field(default_factory=list)

    @property
    def train_loss(self) -> List[float]:
        """The recorded training loss (the same list as ``loss``)."""
        return self.loss

    def __repr__(self) -> str:
        status = (f"diverged at record {self.diverged_at}" if self.diverged_at is not None
                  else f"final loss {self.loss[-1]:.4e}" if self.loss else "empty")
        return f"History({self.label or 'run'}: {len(self.loss)} records, {status})"


def full_loss(X: np.ndarray, y: np.ndarray, w, b) -> float:
    """The objective on all the data, mean of (x.w + b - y)^2 / 2, in float64."""
    if np.ndim(y) != 1 or len(y) != len(X):
        y = check_labels("y", y, len(X))
    with np.errstate(all="ignore"):
        r = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + float(b) - y
        return float(np.mean(r * r) / 2)


def _outside_package() -> int:
    """The stacklevel of the first caller outside d2lhelpers, so a warning
    points at the chapter's or test's line that started the run."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("d2lhelpers"):
        frame, level = frame.f_back, level + 1
    return level


class Recorder:
    """Fills a :class:`History`: a record every ``record_every`` samples (a
    multiple of the batch size) and at every epoch end, and the stop at the
    first non-finite loss.

    ``measure(history)`` returns the loss to record and may append whatever
    else the trainer keeps per record (parameters, a held-out loss); it is
    called only at a record, since reading values back waits for MXNet's engine.
    With ``stop_on_divergence=False`` a non-finite loss only sets
    ``diverged_at`` (no warning, no stop), for a bank of networks whose caller
    reports divergence network by network.
    """

    def __init__(self, n: int, batch_size: int, record_every: Optional[int], label: str,
                 measure: Callable[[History], float], *, what: str = "full-data loss",
                 stop_on_divergence: bool = True):
        n, batch_size = check_count("n", n), check_count("batch_size", batch_size)
        check_callable("measure", measure)
        check_text("label", label)
        if record_every is not None:
            record_every = check_count("record_every", record_every)
            if record_every % batch_size:
                raise ValueError(f"record_every must be a multiple of batch_size={batch_size}, "
                                 f"got {record_every}")
        self.n, self.every, self.measure, self.what = n, record_every, measure, what
        self.stop_on_divergence = stop_on_divergence
        self.history = History(label=label)
        self.start = time.perf_counter()

    @property
    def stopped(self) -> bool:
        """True once a recorded loss was not finite: training must end there."""
        return self.stop_on_divergence and self.history.diverged_at is not None

    def after_batch(self, in_epoch: int, seen: int) -> bool:
        """Record if ``in_epoch`` samples of this epoch end a recording period.
        Returns False once training must stop."""
        if in_epoch == self.n or (self.every is not None and in_epoch % self.every == 0):
            return self.record(seen)
        return True

    def record(self, seen: int) -> bool:
        """Store one record; return False once the loss is no longer finite."""
        h = self.history
        h.time.append(time.perf_counter() - self.start)
        loss = float(self.measure(h))
        h.loss.append(loss)
        h.samples.append(seen)
        h.epoch.append(seen / self.n)
        if not math.isfinite(loss) and h.diverged_at is None:
            h.diverged_at = len(h.loss) - 1
            if not self.stop_on_divergence:      # the caller reports it per network
                return True
            warnings.warn(f"{h.label or 'training'} diverged: the {self.what} is {loss} "
                          f"after {seen} samples (epoch {seen / self.n:.2f}); training "
                          "stopped there", DivergenceWarning, stacklevel=_outside_package())
            return False
        return True


def report(history: History) -> None:
    """Print the end of a run: the final loss and parameters, or where it diverged."""
    if not isinstance(history, History):
        raise TypeError(f"history must be a d2lhelpers.history.History, got {history!r}")
    if history.diverged_at is not None:
        k = history.diverged_at
        print(f"{history.label}: DIVERGED - the loss is {history.loss[k]} after "
              f"{history.samples[k]} samples (epoch {history.epoch[k]:.2f}); the last finite "
              f"loss was {history.loss[k - 1]:.4e}")
        return
    w = ", ".join(f"{v:.4f}" for v in history.w)
    print(f"{history.label}: loss {history.loss[-1]:.4e}, w = [{w}], b = {history.b:.4f}")
