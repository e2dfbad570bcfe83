"""Training any Gluon network: :func:`fit` with a held-out split, evaluation,
the rate of every update and progress, on the course's one loop
(:func:`d2lhelpers.training.train_epochs`).

The learning-rate schedule lives in the Trainer (``lr_scheduler``, see
:func:`make_trainer`), which asks it for a rate at every *update*; the loop only
records the rate each update used. Batches come from
:func:`d2lhelpers.data.batch_order`, so a run is fixed by its seed.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Tuple, Union

import numpy as np

from d2lhelpers.checks import (check_bool, check_callable, check_count, check_labels,
                               check_mxnet_optimizer)
from d2lhelpers.curves import plot_learning_curves
from d2lhelpers.data import make_rng, minibatch_indices
from d2lhelpers.history import History, Recorder
from d2lhelpers.schedules import Schedule
from d2lhelpers.training import EpochPlan, epoch_data, gluon_step, linear_net, train_epochs

__all__ = ["History", "TrainLog", "evaluate", "fit", "holdout_split", "linear_net",
           "make_trainer", "plot_learning_curves", "range_test_stepper", "train_step"]


TrainLog = History
"""What :func:`fit` returns: the course's one run record, :class:`History`
(``train_loss``, ``valid_loss``, ``lr``, ``batch_loss``, ``diverged_at``)."""


def holdout_split(X, y, valid_fraction: float = 0.2, *, seed: int = 0):
    """Shuffle once (seeded) and keep the last ``valid_fraction`` for evaluation."""
    if not isinstance(valid_fraction, float) or not 0 < valid_fraction < 1:
        raise ValueError(f"valid_fraction must be a float in (0, 1), got {valid_fraction!r}")
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X and y must hold the same number of samples, got {n} and {len(y)}")
    n_valid = int(round(valid_fraction * n))
    if not 1 <= n_valid < n:
        raise ValueError(f"valid_fraction={valid_fraction} leaves an empty split of {n} samples")
    perm = make_rng(seed).permutation(n)
    train, valid = perm[:n - n_valid], perm[n - n_valid:]
    return (X[train], y[train]), (X[valid], y[valid])


def make_trainer(net, schedule: Schedule, optimizer: str = "sgd", **hyper):
    """A Trainer whose rate comes from ``schedule`` at every update.

    The rate is given to the scheduler only: a ``learning_rate`` passed to the
    Trainer as well would overwrite the base rate of some MXNet schedulers.
    """
    from mxnet import gluon
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a d2lhelpers.schedules.Schedule, got {schedule!r}")
    if "learning_rate" in hyper:
        raise ValueError("give the learning rate to the schedule, not as learning_rate")
    check_mxnet_optimizer(optimizer, hyper)
    return gluon.Trainer(net.collect_params(), optimizer,
                         {"lr_scheduler": schedule.to_mxnet(), **hyper})


def evaluate(net, loss_fn, X, y) -> float:
    """The mean loss of ``net`` on (X, y), in one forward pass and no gradient."""
    from mxnet import nd
    check_callable("net", net)
    check_callable("loss_fn", loss_fn)
    out = loss_fn(net(nd.array(X)), nd.array(y).reshape((-1, 1)))
    return float(out.mean().asscalar())


def train_step(net, loss_fn, trainer, xb, yb,
               batch_size: Optional[int] = None):
    """One update on a mini-batch; returns its mean loss (an NDArray,
    not synced). ``batch_size`` defaults to ``xb.shape[0]``."""
    check_callable("loss_fn", loss_fn)

    def objective(x, y):
        return loss_fn(net(x), y)        # model and loss, per sample
    return gluon_step(objective, trainer, xb, yb, batch_size).mean()


def _seeds(seed):
    """A sequence of seeds as a tuple (one batch order per network of a bank),
    or None for a single seed."""
    if isinstance(seed, Sequence) and not isinstance(seed, (str, bytes)):
        if not seed:
            raise ValueError("seed must be a whole number or a non-empty sequence of them")
        return tuple(seed)
    return None


def fit(net, loss_fn, trainer, train: Tuple, valid: Tuple, *,
        batch_size: int, epochs: int,
        seed: Union[int, Sequence[int]] = 0,
        progress: Optional[Callable[..., None]] = None,
        record: Optional[Callable[[Any], Any]] = None,
        stop_on_divergence: bool = True,
        track_loss: bool = True) -> History:
    """Train ``net`` on ``train = (X, y)``; evaluate on both splits after
    each epoch.

    It runs the course's one loop, :func:`d2lhelpers.training.train_epochs`:
    one :func:`train_step` per mini-batch, a record after every epoch.
    ``progress(epoch, epochs, train_loss=..., valid_loss=..., lr=...)`` is
    called after every epoch when given. The run stops, with a
    DivergenceWarning, at the first epoch whose training loss is not finite
    (``diverged_at`` is then that epoch, the index of its record).

    Options for a bank of networks trained at once (:mod:`d2lhelpers.mlp`):
    ``seed`` may be a sequence of seeds, one batch order each, so the batches
    have shape (len(seed), batch_size, d); ``record(net)`` is called at every
    record and its results kept in ``records`` (per-network losses, say); with
    ``stop_on_divergence=False`` a non-finite loss only sets ``diverged_at``;
    with ``track_loss=False`` the loop skips its own evaluation (``record``
    does it), leaves ``valid_loss`` empty and records the mean mini-batch loss
    of the epoch as the training loss.
    """
    from mxnet import nd
    for name, split in (("train", train), ("valid", valid)):
        if not isinstance(split, (tuple, list)) or len(split) != 2:
            raise TypeError(f"{name} must be a pair (X, y), "
                            f"got {type(split).__name__}")
    for name, fn in (("progress", progress), ("record", record)):
        if fn is not None:
            check_callable(name, fn)
    stop_on_divergence = check_bool("stop_on_divergence", stop_on_divergence)
    track_loss = check_bool("track_loss", track_loss)
    (X, y), (Xv, yv) = train, valid
    n = len(X)
    y = check_labels("train y", y, n)    # not (n, 2): that would flatten
    yv = check_labels("valid y", yv, len(Xv))
    seeds = _seeds(seed)
    plans = [EpochPlan(n, batch_size, epochs, s) for s in (seeds or (seed,))]
    plan = plans[0]                                  # seeded shuffled batches
    batch_losses, data = [], {}

    def measure(log):                                # a record, every epoch
        losses = []
        if batch_losses:
            losses = nd.concat(*batch_losses, dim=0).asnumpy()
            losses = losses.astype(float).tolist()
            log.batch_loss.extend(losses)
            batch_losses.clear()
        if record is not None:
            log.records.append(record(net))
        if not track_loss:
            return float(np.mean(losses)) if losses else 0.0
        log.valid_loss.append(evaluate(net, loss_fn, Xv, yv))   # evaluation
        return evaluate(net, loss_fn, X, y)                     # logging

    rec = Recorder(n, plan.batch_size, None, "fit", measure,
                   what="training loss",
                   stop_on_divergence=stop_on_divergence)
    log = rec.history
    log.updates_per_epoch = plan.updates_per_epoch

    def start_epoch(epoch, rows):                    # data: the epoch's rows
        if seeds is None:
            data["X"], data["y"] = epoch_data(X, y, rows)
        else:                                # (S, n, d): an order per seed
            order = np.stack([p.rows[epoch - 1] for p in plans])
            data["X"] = nd.array(X[order])
            data["y"] = nd.array(y[order]).expand_dims(-1)

    def step(lo, hi):                                # one mini-batch
        if seeds is None:
            xb, yb = data["X"][lo:hi], data["y"][lo:hi]
        else:
            xb = nd.slice_axis(data["X"], axis=1, begin=lo, end=hi)
            yb = nd.slice_axis(data["y"], axis=1, begin=lo, end=hi)
        batch_losses.append(
            train_step(net, loss_fn, trainer, xb, yb, hi - lo))
        log.lr.append(trainer.learning_rate)         # eta_t it used

    def end_epoch(epoch):                            # progress
        if progress is not None:
            progress(epoch, epochs, train_loss=log.train_loss[-1],
                     valid_loss=log.valid_loss[-1] if track_loss else None,
                     lr=log.lr[-1])

    return train_epochs(plan, step, rec, start_epoch=start_epoch,
                        end_epoch=end_epoch)


def range_test_stepper(net, loss_fn, X, y, batch_size: int, *, seed: int = 0,
                       optimizer: str = "sgd"):
    """A ``step(eta)`` for :func:`d2lhelpers.lrfinder.range_test` on a Gluon model.

    Each call sets the rate, makes one :func:`train_step` on the next mini-batch
    (the seeded order of :func:`fit`) and returns the mean loss on all of (X, y);
    ``step(None)`` returns that loss without updating.
    """
    from mxnet import gluon, nd
    n = len(X)
    batch_size = check_count("batch_size", batch_size)
    rng = make_rng(seed)

    def epochs():  # the same batches, in the same order, as batch_order(..., seed=seed)
        while True:
            yield from minibatch_indices(n, batch_size, seed=rng)

    order = epochs()
    trainer = gluon.Trainer(net.collect_params(), optimizer, {"learning_rate": 1e-3})
    X_nd, y_nd = nd.array(X), nd.array(y).reshape((-1, 1))

    def step(eta):
        if eta is not None:
            trainer.set_learning_rate(eta)
            rows = nd.array(next(order), dtype="int32")
            train_step(net, loss_fn, trainer, X_nd.take(rows), y_nd.take(rows))
        return float(loss_fn(net(X_nd), y_nd).mean().asscalar())

    return step
