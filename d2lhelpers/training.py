"""The course's one training loop, and the pieces every trainer shares.

:func:`train_epochs` is the epoch and mini-batch loop. The from-scratch, Gluon
and fused trainers of :mod:`d2lhelpers.trainers` and :func:`d2lhelpers.loop.fit`
differ only in what one step does and what a record measures; the order of the
batches (:class:`EpochPlan`, from :func:`d2lhelpers.data.batch_order`), when a
loss is recorded and where a diverging run stops are decided here, once.

The gradient convention, shared by all trainers (and by Gluon itself): the loss
of a batch is *summed* over its samples, ``backward()`` gives the gradient of
that sum, and the update divides it by the batch size. In Gluon this division
is ``trainer.step(batch_size)``, which sets the optimizer's ``rescale_grad`` to
``1 / batch_size``; every Gluon optimizer then sees the gradient of the batch
*mean*, which is what a from-scratch :class:`~d2lhelpers.optim.Optimizer`
receives.
"""
from __future__ import annotations

import math
from typing import Callable, Optional, Sequence, Tuple

import numpy as np

from d2lhelpers.checks import (MAX_STEPS, check_callable, check_count, check_limit, check_point,
                               check_real)
from d2lhelpers.data import batch_order, check_regression_data
from d2lhelpers.history import History, Recorder
from d2lhelpers.optim import Optimizer


class EpochPlan:
    """Which samples each update uses.

    ``rows[e - 1]`` is epoch e's shuffled sample order (the batches of
    ``batch_order(n, batch_size, epochs, seed=seed)`` one after the other), and
    ``slices`` are the ``(lo, hi)`` positions in it that one call of a step
    covers: one batch each, or with ``group = k`` up to k whole batches at a
    time (the short last batch always alone), for a step that runs several
    updates at once.
    """

    def __init__(self, n: int, batch_size: int, epochs: int, seed, group: int = 1):
        self.n = n
        self.batch_size = batch_size = check_count("batch_size", batch_size)
        self.epochs = epochs = check_count("epochs", epochs)
        self.updates_per_epoch = per_epoch = math.ceil(n / batch_size)
        check_limit("epochs x updates per epoch", epochs * per_epoch, MAX_STEPS, "updates")
        order = batch_order(n, batch_size, epochs, seed=seed)
        self.rows = [np.concatenate(order[e * per_epoch:(e + 1) * per_epoch])
                     for e in range(epochs)]
        full, rest = divmod(n, batch_size)
        group = max(1, int(group))
        self.slices = [(j * batch_size, min(j + group, full) * batch_size)
                       for j in range(0, full, group)]
        if rest:
            self.slices.append((full * batch_size, n))


def train_epochs(plan: EpochPlan, step: Callable[[int, int], None],
                 recorder: Recorder, *,
                 start_epoch: Optional[Callable[[int, np.ndarray], None]]
                 = None,
                 end_epoch: Optional[Callable[[int], None]] = None
                 ) -> History:
    """The training loop: for each epoch, each mini-batch, one step.

    ``start_epoch(epoch, rows)`` prepares an epoch (its shuffled data, a
    rate);
    ``step(lo, hi)`` trains on samples ``lo:hi`` of the epoch's order;
    ``recorder`` records the loss at the start, every ``record_every`` samples
    and at each epoch's end, and stops the run at the first non-finite loss;
    ``end_epoch(epoch)`` follows each epoch that did not stop the run.
    """
    if not isinstance(plan, EpochPlan):
        raise TypeError(f"plan must be a training.EpochPlan, got {plan!r}")
    check_callable("step", step)
    if not isinstance(recorder, Recorder):
        raise TypeError("recorder must be a history.Recorder, got "
                        f"{recorder!r}")
    recorder.record(0)
    seen = 0
    for epoch, rows in enumerate(plan.rows, start=1):
        if recorder.stopped:
            break
        if start_epoch is not None:
            start_epoch(epoch, rows)            # the epoch's data (and rate)
        for lo, hi in plan.slices:
            step(lo, hi)                        # model, loss, gradient, step
            seen += hi - lo
            if not recorder.after_batch(hi, seen):  # log; stop if diverged
                break
        else:
            if end_epoch is not None:
                end_epoch(epoch)                # evaluation, progress
    return recorder.history


# --- what the linear-regression trainers share ------------------------------------

def init_params(d: int, *, seed: int = 0, w0=None, b0=None):
    """Initial ``(w, b)`` as float32 numpy: w ~ N(0, 0.01^2), b = 0 unless given.

    The draw uses its own stream (not the batch order's), so all trainers start
    from the same point for the same seed.
    """
    if w0 is None:
        w0 = np.random.default_rng([int(seed), 1]).normal(0.0, 0.01, size=d)
    w0 = check_point("w0", w0).astype(np.float32).reshape(-1)
    if w0.shape != (d,):
        raise ValueError(f"w0 must have {d} entries (one per feature), got shape {w0.shape}")
    return w0, 0.0 if b0 is None else check_real("b0", b0)


def linear_net(d: int, *, seed: int = 0, w0=None, b0=None):
    """A Gluon ``Dense(1)`` started where :func:`init_params` starts."""
    import mxnet as mx
    from mxnet import gluon, nd
    w_np, b_np = init_params(check_count("d", d), seed=seed, w0=w0, b0=b0)
    net = gluon.nn.Dense(1, in_units=d)
    net.initialize(ctx=mx.cpu())
    net.weight.set_data(nd.array(w_np).reshape((1, d)))
    net.bias.set_data(nd.array([b_np]))
    return net


def linear_measure(X, y, read_params: Callable[[], Tuple[np.ndarray, float]]):
    """A :class:`Recorder` measure for linear regression: it stores the
    parameters ``read_params()`` gives and returns their full-data loss."""
    from d2lhelpers.history import full_loss
    X, y = check_regression_data(X, y)
    check_callable("read_params", read_params)

    def measure(h: History) -> float:
        w, b = read_params()
        h.params.append(np.append(w, b).astype(np.float64))
        h.w, h.b = np.asarray(w, dtype=np.float64).copy(), float(b)
        return full_loss(X, y, w, b)
    return measure


def as_numpy(w, b) -> Tuple[np.ndarray, float]:
    """MXNet weight and bias as the flat ``(w, b)`` a record stores."""
    if not (hasattr(w, "asnumpy") and hasattr(b, "asscalar")):
        raise TypeError(f"w and b must be MXNet NDArrays, got {type(w).__name__} "
                        f"and {type(b).__name__}")
    return w.asnumpy().reshape(-1), float(b.asscalar())


def epoch_data(X, y, rows):
    """One epoch's shuffled samples as NDArrays, copied to the device once."""
    from mxnet import nd
    rows = np.asarray(rows)
    if rows.dtype.kind not in "iu" or rows.ndim != 1 or (
            rows.size and not 0 <= rows.min() <= rows.max() < len(X)):
        raise ValueError(f"rows must be sample indices in [0, {len(X)}), got {rows!r}")
    return nd.array(X[rows]), nd.array(y[rows]).reshape((-1, 1))


# --- one update ------------------------------------------------------------------

def apply_update(opt: Optimizer, params: Sequence, states: list,
                 batch_size: int) -> None:
    """One update of NDArray ``params`` in place from their ``.grad`` (the
    gradient of the loss *summed* over the batch), divided by ``batch_size``
    first."""
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a d2lhelpers.optim.Optimizer, "
                        f"got {opt!r}")
    batch_size = check_count("batch_size", batch_size)
    for i, p in enumerate(params):
        new, states[i] = opt.step(p, p.grad / batch_size, states[i])
        if new is not p:
            new.copyto(p)        # in place: p keeps its gradient buffer


def gluon_step(objective, trainer, xb, yb, batch_size=None):
    """One Gluon step: record the per-sample losses ``objective(xb, yb)``,
    backpropagate their sum, and let the Trainer divide by the batch size
    (``xb.shape[0]`` unless given: a bank's batches (S, B, d) pass B) and
    update. Returns the per-sample losses (an NDArray, not synced)."""
    from mxnet import autograd

    check_callable("objective", objective)
    if not hasattr(trainer, "step"):
        raise TypeError(f"trainer must be a gluon.Trainer, got {trainer!r}")
    with autograd.record():
        loss = objective(xb, yb)         # per-sample losses
    loss.backward()                      # gradient of their sum
    trainer.step(batch_size or xb.shape[0])  # divide by the batch size
    return loss


OptimizerFactory = Callable[[float], Optimizer]


def rule_per_update(opt, schedule) -> Tuple[Callable[[int, int], Optimizer], bool]:
    """The rule of update t in epoch e, as ``rule(t, e)``, and whether it varies.

    ``opt`` is an :class:`~d2lhelpers.optim.Optimizer` (and ``schedule`` None),
    or a factory ``eta -> Optimizer`` such as :func:`d2lhelpers.optim.sgd` with
    ``schedule`` a :class:`d2lhelpers.schedules.Schedule`: update t then uses
    ``opt(schedule(t))``. For compatibility ``opt`` may also be a function
    ``epoch -> Optimizer`` (``schedule`` None).
    """
    from d2lhelpers.schedules import Schedule

    if schedule is not None:
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a d2lhelpers.schedules.Schedule, got {schedule!r}")
        if isinstance(opt, Optimizer) or not callable(opt):
            raise TypeError("with a schedule, opt must be a function eta -> Optimizer "
                            f"(such as optim.sgd), got {opt!r}")
        made: dict = {}

        def scheduled(t, e):
            eta = schedule(t)
            if eta not in made:
                made.clear()
                made[eta] = opt(eta)
            return made[eta]
        return scheduled, True
    if isinstance(opt, Optimizer):
        return (lambda t, e: opt), False
    if callable(opt):
        per_epoch: dict = {}

        def of_epoch(t, e):
            if e not in per_epoch:
                per_epoch.clear()
                per_epoch[e] = opt(e)
            return per_epoch[e]
        return of_epoch, True
    raise TypeError(f"opt must be an Optimizer or a function epoch -> Optimizer, got {opt!r}")

