"""Learning-rate schedules: the rate eta_t used by update number t.

Update numbers follow MXNet's optimizer: ``num_update`` counts the updates made
so far *including* the current one, so the first mini-batch is trained with
``eta_1``. Every schedule here reproduces MXNet's ``mx.lr_scheduler`` exactly
where MXNet has one (see :meth:`Schedule.to_mxnet` and :func:`mxnet_values`),
including the conventions its docstrings get wrong:

* ``FactorScheduler(step=s)`` multiplies by the factor after updates s, 2s, ...,
  so ``eta_t = eta0 * factor ** ((t - 1) // s)`` (not ``t // s``), and never
  lets a decayed rate fall below ``stop_factor_lr``;
* ``MultiFactorScheduler`` decays once ``t > milestone`` (not ``>=``);
* a linear warm-up gives ``begin + (eta0 - begin) * t / w`` for ``t < w``, so the
  first update already uses more than ``begin``; Factor/MultiFactor count their
  steps from update 0, Poly/Cosine start their decay at update ``w``.
"""
from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence, Tuple

import numpy as np

from d2lhelpers.checks import check_count, check_nonnegative, check_positive


# --- argument checks -----------------------------------------------------------

def _check_factor(name: str, value) -> float:
    """A decay multiplier: 0 < value <= 1 (MXNet refuses factors above 1)."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not math.isfinite(value) or not 0 < value <= 1):
        raise ValueError(f"{name} must lie in (0, 1], got {value!r}")
    return float(value)


def check_update(t) -> int:
    """An update number: a whole number >= 1 (the first update is t = 1)."""
    return check_count("update number t", t, 1)


# --- the schedules ---------------------------------------------------------------

class Schedule:
    """Base class: ``schedule(t)`` is the learning rate of update number t."""

    def __call__(self, t) -> float:
        return self._eta(check_update(t))

    def _eta(self, t: int) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def values(self, ts: Iterable[int]) -> np.ndarray:
        """The learning rates at several update numbers, as a float array."""
        return np.array([self(t) for t in ts], dtype=float)

    def to_mxnet(self):
        """A fresh ``mx.lr_scheduler`` object with the same values.

        Schedules MXNet lacks are wrapped in a thin LRScheduler subclass that
        calls this object, so every schedule attaches to a Gluon Trainer alike.
        """
        return MXNetAdapter(self)


class _WarmedUp(Schedule):
    """A schedule with MXNet's optional linear warm-up, from ``warmup_begin`` at
    t = 0 towards ``eta0`` at t = ``warmup_steps``; ``_eta`` covers the updates
    after it. Subclasses declare the fields ``eta0``, ``warmup_steps`` and
    ``warmup_begin`` and call :meth:`_check_warmup` after checking ``eta0``."""

    def __call__(self, t) -> float:
        t = check_update(t)
        if t < self.warmup_steps:
            begin = self.warmup_begin
            return begin + (self.eta0 - begin) * t / self.warmup_steps
        return self._eta(t)

    def _check_warmup(self) -> None:
        w = check_count("warmup_steps", self.warmup_steps, 0)
        begin = check_nonnegative("warmup_begin", self.warmup_begin)
        if begin > self.eta0:
            raise ValueError(f"warmup_begin ({begin!r}) must not exceed eta0 ({self.eta0!r})")
        object.__setattr__(self, "warmup_steps", w)
        object.__setattr__(self, "warmup_begin", begin)


@dataclass(frozen=True)
class Constant(Schedule):
    """eta_t = eta0: what plain SGD uses, and what keeps it in a noise ball."""
    eta0: float

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))

    def _eta(self, t):
        return self.eta0


@dataclass(frozen=True)
class Factor(_WarmedUp):
    """Step decay: multiply by ``factor`` after every ``step`` updates.

    ``eta_t = max(eta0 * factor ** k, stop_lr)`` with ``k = (t - 1) // step``
    (``eta0`` itself while k = 0), as MXNet's FactorScheduler computes it.
    """
    eta0: float
    step: int
    factor: float = 0.5
    stop_lr: float = 1e-8
    warmup_steps: int = 0
    warmup_begin: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        object.__setattr__(self, "step", check_count("step", self.step, 1))
        object.__setattr__(self, "factor", _check_factor("factor", self.factor))
        object.__setattr__(self, "stop_lr", check_nonnegative("stop_lr", self.stop_lr))
        if self.stop_lr > self.eta0:      # the floor would raise the rate, not bound it
            raise ValueError(f"stop_lr must not exceed eta0 = {self.eta0:g}, got {self.stop_lr!r}")
        self._check_warmup()

    def _eta(self, t):
        k = (t - 1) // self.step
        return self.eta0 if k == 0 else max(self.eta0 * self.factor ** k, self.stop_lr)

    def to_mxnet(self):
        import mxnet as mx
        return mx.lr_scheduler.FactorScheduler(
            step=self.step, factor=self.factor, stop_factor_lr=self.stop_lr,
            base_lr=self.eta0, warmup_steps=self.warmup_steps,
            warmup_begin_lr=self.warmup_begin)


@dataclass(frozen=True)
class MultiStep(_WarmedUp):
    """Multiply by ``factor`` once past each milestone: k = #{m : t > m}."""
    eta0: float
    milestones: Tuple[int, ...]
    factor: float = 0.1
    warmup_steps: int = 0
    warmup_begin: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        if isinstance(self.milestones, (str, bytes)) or not isinstance(self.milestones, Sequence):
            raise TypeError(f"milestones must be a sequence of update numbers, "
                            f"got {self.milestones!r}")
        ms = tuple(check_count("each milestone", m, 1) for m in self.milestones)
        if not ms or any(b <= a for a, b in zip(ms, ms[1:])):
            raise ValueError(f"milestones must be a non-empty, strictly increasing "
                             f"sequence, got {self.milestones!r}")
        object.__setattr__(self, "milestones", ms)
        object.__setattr__(self, "factor", _check_factor("factor", self.factor))
        self._check_warmup()

    def _eta(self, t):
        return self.eta0 * self.factor ** sum(t > m for m in self.milestones)

    def to_mxnet(self):
        import mxnet as mx
        return mx.lr_scheduler.MultiFactorScheduler(
            step=list(self.milestones), factor=self.factor, base_lr=self.eta0,
            warmup_steps=self.warmup_steps, warmup_begin_lr=self.warmup_begin)


@dataclass(frozen=True)
class Exponential(Schedule):
    """eta_t = eta0 * gamma ** (t - 1): a factor decay at every update.

    MXNet has it as ``FactorScheduler(step=1, factor=gamma)`` (with no floor).
    """
    eta0: float
    gamma: float

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        object.__setattr__(self, "gamma", _check_factor("gamma", self.gamma))

    def _eta(self, t):
        return self.eta0 * self.gamma ** (t - 1)

    def to_mxnet(self):
        import mxnet as mx
        return mx.lr_scheduler.FactorScheduler(step=1, factor=self.gamma,
                                               stop_factor_lr=0.0, base_lr=self.eta0)


@dataclass(frozen=True)
class InversePower(Schedule):
    """eta_t = eta0 / t ** alpha; alpha = 1/2 is the classic 1/sqrt(t).

    It meets the Robbins-Monro conditions exactly when 1/2 < alpha <= 1.
    """
    eta0: float
    alpha: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        object.__setattr__(self, "alpha", check_positive("alpha", self.alpha))

    def _eta(self, t):
        return self.eta0 / t ** self.alpha


@dataclass(frozen=True)
class InverseTime(Schedule):
    """eta_t = eta0 / (1 + decay * t): for decay > 0 its sum diverges and the sum
    of its squares converges (the Robbins-Monro conditions)."""
    eta0: float
    decay: float

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        object.__setattr__(self, "decay", check_nonnegative("decay", self.decay))

    def _eta(self, t):
        return self.eta0 / (1 + self.decay * t)


@dataclass(frozen=True)
class PerEpoch(Schedule):
    """A rate set once per epoch: ``eta_t = rate_of_epoch(e)`` for the updates of
    epoch e = 1, 2, ..., each epoch being ``updates_per_epoch`` updates (with n
    samples and batch size b, ceil(n / b))."""
    rate_of_epoch: Callable[[int], float]
    updates_per_epoch: int

    def __post_init__(self):
        if not callable(self.rate_of_epoch):
            raise TypeError(f"rate_of_epoch must be a function of the epoch, "
                            f"got {self.rate_of_epoch!r}")
        object.__setattr__(self, "updates_per_epoch",
                           check_count("updates_per_epoch", self.updates_per_epoch, 1))

    def _eta(self, t):
        epoch = (t - 1) // self.updates_per_epoch + 1
        return check_positive(f"the rate of epoch {epoch}", self.rate_of_epoch(epoch))


def _decay_fraction(t: int, warmup_steps: int, max_update: int) -> float:
    """How far the decay has gone: 0 at the end of the warm-up, 1 at max_update."""
    return (t - warmup_steps) / (max_update - warmup_steps)


def _check_horizon(max_update, warmup_steps) -> int:
    T = check_count("max_update", max_update, 1)
    if T <= warmup_steps:
        raise ValueError(f"max_update ({T}) must exceed warmup_steps ({warmup_steps})")
    return T


@dataclass(frozen=True)
class _Annealed(_WarmedUp):
    """Shared shape of MXNet's PolyScheduler and CosineScheduler: an optional
    linear warm-up to eta0 over updates 0..w, a decay from eta0 to ``final`` over
    updates w..max_update given by ``_shape`` (1 at the start, 0 at the end),
    then ``final``."""
    eta0: float
    max_update: int
    final: float = 0.0
    warmup_steps: int = 0
    warmup_begin: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "eta0", check_positive("eta0", self.eta0))
        object.__setattr__(self, "final", check_nonnegative("final", self.final))
        if self.final > self.eta0:
            raise ValueError(f"final ({self.final!r}) must not exceed eta0 ({self.eta0!r})")
        self._check_warmup()
        object.__setattr__(self, "max_update", _check_horizon(self.max_update, self.warmup_steps))

    def _shape(self, frac: float) -> float:  # pragma: no cover - subclasses override
        raise NotImplementedError

    def _eta(self, t):
        if t > self.max_update:
            return self.final
        frac = _decay_fraction(t, self.warmup_steps, self.max_update)
        return self.final + (self.eta0 - self.final) * self._shape(frac)


@dataclass(frozen=True)
class Polynomial(_Annealed):
    """Polynomial decay from eta0 to ``final`` over updates w..max_update.

    ``eta_t = final + (eta0 - final) * (1 - (t - w) / (T - w)) ** power``, then
    ``final`` for t > T, as MXNet's PolyScheduler (w = warmup_steps).
    """
    power: float = 2.0

    def __post_init__(self):
        object.__setattr__(self, "power", check_positive("power", self.power))
        super().__post_init__()

    def _shape(self, frac):
        return (1 - frac) ** self.power

    def to_mxnet(self):
        import mxnet as mx
        return mx.lr_scheduler.PolyScheduler(
            max_update=self.max_update, base_lr=self.eta0, pwr=self.power,
            final_lr=self.final, warmup_steps=self.warmup_steps,
            warmup_begin_lr=self.warmup_begin)


@dataclass(frozen=True)
class Cosine(_Annealed):
    """Cosine annealing (Loshchilov and Hutter) after an optional linear warm-up.

    ``eta_t = final + (eta0 - final) * (1 + cos(pi (t - w) / (T - w))) / 2`` for
    w <= t <= T, then ``final``, as MXNet's CosineScheduler.
    """

    def _shape(self, frac):
        return (1 + math.cos(math.pi * frac)) / 2

    def to_mxnet(self):
        import mxnet as mx
        return mx.lr_scheduler.CosineScheduler(
            max_update=self.max_update, base_lr=self.eta0, final_lr=self.final,
            warmup_steps=self.warmup_steps, warmup_begin_lr=self.warmup_begin)


def warmup_cosine(eta0: float, warmup_steps: int, max_update: int,
                  final: float = 0.0, warmup_begin: float = 0.0) -> Cosine:
    """Linear warm-up over ``warmup_steps`` updates, then cosine down to ``final``."""
    check_count("warmup_steps", warmup_steps, 1)
    return Cosine(eta0, max_update, final=final, warmup_steps=warmup_steps,
                  warmup_begin=warmup_begin)


# --- MXNet -------------------------------------------------------------------------

class MXNetAdapter:
    """Makes one of our schedules usable as a Trainer's ``lr_scheduler``.

    MXNet's optimizer needs only a ``base_lr`` attribute (which it overwrites
    when the Trainer is also given a ``learning_rate``; the schedule ignores it)
    and a call ``scheduler(num_update)``.
    """

    def __init__(self, schedule: Schedule):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a Schedule, got {schedule!r}")
        self.schedule = schedule
        self.base_lr = schedule(1)

    def __call__(self, num_update):
        # MXNet asks for update 0 when the rate is read before the first step.
        return self.schedule(max(int(num_update), 1))


def mxnet_values(scheduler, ts: Iterable[int]) -> np.ndarray:
    """Read an ``mx.lr_scheduler`` object's learning rates at update numbers ts.

    MXNet's schedulers keep state (Factor/MultiFactor count decays, Poly/Cosine
    remember their last value), so a copy of ``scheduler`` is called at every
    update 1, 2, ..., max(ts) in order, exactly as an optimizer calls it, and
    the values at ``ts`` are returned. ``scheduler`` itself is left untouched.
    """
    if not callable(scheduler) or not hasattr(scheduler, "base_lr"):
        raise TypeError(f"scheduler must be an mx.lr_scheduler object, got {scheduler!r}")
    ts = [check_update(t) for t in ts]
    sched = copy.deepcopy(scheduler)
    seen = {}
    for t in range(1, max(ts, default=0) + 1):
        seen[t] = float(sched(t))
    return np.array([seen[t] for t in ts], dtype=float)

