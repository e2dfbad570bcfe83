"""One plain Gluon training loop: data, model, loss, gradient, update, schedule,
logging, held-out evaluation and progress, each a line you can point at.

The learning-rate schedule lives in the Trainer (``lr_scheduler``), which asks
it for a rate at every *update*; the loop only records the rate each update
used. Batches come from :func:`d2lhelpers.data.batch_order`, so a run is fixed
by its seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

from d2lhelpers import style
from d2lhelpers.checks import check_count, warn_divergence
from d2lhelpers.data import batch_order, make_rng, minibatch_indices
from d2lhelpers.linreg import init_params
from d2lhelpers.plotting import new_axes
from d2lhelpers.schedules import Schedule


@dataclass
class TrainLog:
    """``lr[u]`` and ``batch_loss[u]``: the rate and the mini-batch loss of update
    u + 1; ``train_loss[e]`` and ``valid_loss[e]``: the mean loss on each split
    after e epochs (e = 0 is the start). ``diverged_at`` is the first epoch whose
    loss was not finite, or None. ``records[e]`` is what :func:`fit`'s ``record``
    returned after e epochs (empty without ``record``)."""
    lr: List[float] = field(default_factory=list)
    batch_loss: List[float] = field(default_factory=list)
    train_loss: List[float] = field(default_factory=list)
    valid_loss: List[float] = field(default_factory=list)
    updates_per_epoch: int = 0
    diverged_at: Optional[int] = None
    records: List[Any] = field(default_factory=list)


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


def linear_net(d: int, *, seed: int = 0):
    """A Gluon ``Dense(1)`` started where :func:`d2lhelpers.linreg.init_params` starts."""
    import mxnet as mx
    from mxnet import gluon, nd
    w0, b0 = init_params(check_count("d", d), seed=seed)
    net = gluon.nn.Dense(1, in_units=d)
    net.initialize(ctx=mx.cpu())
    net.weight.set_data(nd.array(w0).reshape((1, d)))
    net.bias.set_data(nd.array([b0]))
    return net


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
    return gluon.Trainer(net.collect_params(), optimizer,
                         {"lr_scheduler": schedule.to_mxnet(), **hyper})


def evaluate(net, loss_fn, X, y) -> float:
    """The mean loss of ``net`` on (X, y), in one forward pass and no gradient."""
    from mxnet import nd
    out = loss_fn(net(nd.array(X)), nd.array(y).reshape((-1, 1)))
    return float(out.mean().asscalar())


def train_step(net, loss_fn, trainer, xb, yb, batch_size: Optional[int] = None):
    """One update on a mini-batch; returns its mean loss (an NDArray, not synced).

    ``batch_size`` (default ``xb.shape[0]``) is what the summed gradient is
    divided by; a bank of networks fed batches (S, B, d) passes B.
    """
    from mxnet import autograd
    with autograd.record():
        loss = loss_fn(net(xb), yb)          # model and loss, per sample
    loss.backward()                          # gradient of the summed loss
    trainer.step(batch_size or xb.shape[0])  # divide by the batch size, step with eta_t
    return loss.mean()


def _batch_orders(n: int, batch_size: int, epochs: int, seed) -> List[np.ndarray]:
    """One seeded order, or, for a sequence of seeds, the orders stacked batch by
    batch into index arrays (len(seeds), batch) (one order per network)."""
    if isinstance(seed, Sequence) and not isinstance(seed, (str, bytes)):
        if not seed:
            raise ValueError("seed must be a whole number or a non-empty sequence of them")
        orders = [batch_order(n, batch_size, epochs, seed=s) for s in seed]
        return [np.stack(batches) for batches in zip(*orders)]
    return batch_order(n, batch_size, epochs, seed=seed)


def fit(net, loss_fn, trainer, train: Tuple, valid: Tuple, *, batch_size: int, epochs: int,
        seed: Union[int, Sequence[int]] = 0, progress: Optional[Callable[..., None]] = None,
        record: Optional[Callable[[Any], Any]] = None,
        stop_on_divergence: bool = True, track_loss: bool = True) -> TrainLog:
    """Train ``net`` on ``train = (X, y)``; evaluate on both splits after each epoch.

    ``progress(epoch, epochs, train_loss=..., valid_loss=..., lr=...)`` is called
    after every epoch when given. The run stops, with a DivergenceWarning, at
    the first epoch whose training loss is not finite.

    Options for a bank of networks trained at once (:mod:`d2lhelpers.mlp`):
    ``seed`` may be a sequence of seeds, one batch order each, so the batches
    have shape (len(seed), batch_size, d); ``record(net)`` is called at the
    start and after every epoch and its results are kept in ``log.records``
    (per-network losses and accuracies, say); with ``stop_on_divergence=False``
    a non-finite loss only sets ``log.diverged_at`` and training goes on, for a
    caller that reports divergence network by network; with
    ``track_loss=False`` the loop skips its own evaluation of both splits
    (``record`` does it, say), leaves ``train_loss`` and ``valid_loss`` empty
    and judges divergence by the epoch's mini-batch losses.
    """
    from mxnet import nd
    (X, y), (Xv, yv) = train, valid
    n = len(X)
    batch_size, epochs = check_count("batch_size", batch_size), check_count("epochs", epochs)
    per_epoch = math.ceil(n / batch_size)
    order = _batch_orders(n, batch_size, epochs, seed)                  # data
    X_nd, y_nd = nd.array(X), nd.array(y).reshape((-1, 1))
    log = TrainLog(updates_per_epoch=per_epoch)
    if track_loss:
        log.train_loss.append(evaluate(net, loss_fn, X, y))
        log.valid_loss.append(evaluate(net, loss_fn, Xv, yv))
    if record is not None:
        log.records.append(record(net))
    for epoch in range(1, epochs + 1):
        batch_losses = []
        for idx in order[(epoch - 1) * per_epoch: epoch * per_epoch]:
            rows = nd.array(idx, dtype="int32")
            xb, yb = X_nd.take(rows), y_nd.take(rows)                    # a mini-batch
            batch_losses.append(train_step(net, loss_fn, trainer, xb, yb, idx.shape[-1]))
            log.lr.append(trainer.learning_rate)                         # eta_t it used
        epoch_losses = nd.concat(*batch_losses, dim=0).asnumpy().astype(float).tolist()
        log.batch_loss.extend(epoch_losses)
        if track_loss:
            log.train_loss.append(evaluate(net, loss_fn, X, y))          # logging
            log.valid_loss.append(evaluate(net, loss_fn, Xv, yv))        # evaluation
        if record is not None:
            log.records.append(record(net))
        finite = (math.isfinite(log.train_loss[-1]) if track_loss
                  else all(math.isfinite(v) for v in epoch_losses))
        if not finite and log.diverged_at is None:
            log.diverged_at = epoch
            if stop_on_divergence:
                warn_divergence("fit", epoch)
                break
        if progress is not None:                                         # progress
            progress(epoch, epochs, train_loss=log.train_loss[-1] if track_loss else None,
                     valid_loss=log.valid_loss[-1] if track_loss else None, lr=log.lr[-1])
    return log


def plot_learning_curves(log: TrainLog, ax=None, title: str = "Learning curves",
                         color: str = style.BLUE, label: str = "", batches: bool = True):
    """Training (solid) and held-out (dashed) loss per epoch on a log scale, with
    the mini-batch losses (faint) placed at their fraction of an epoch."""
    ax = new_axes(ax)
    stop = log.diverged_at if log.diverged_at is not None else len(log.train_loss)
    epochs = np.arange(stop)
    prefix = f"{label}: " if label else ""
    if batches and log.batch_loss:
        with np.errstate(all="ignore"):
            b = np.asarray(log.batch_loss[:max(stop - 1, 0) * log.updates_per_epoch], float)
        u = np.arange(1, b.size + 1) / log.updates_per_epoch
        ax.semilogy(u, b, color=color, alpha=0.25, lw=0.7,
                    label=f"{prefix}mini-batch loss")
    ax.semilogy(epochs, log.train_loss[:stop], "-o", color=color, ms=3, lw=1.5,
                label=f"{prefix}training loss")
    ax.semilogy(epochs, log.valid_loss[:stop], "--s", color=color, ms=3, lw=1.2,
                mfc="white", label=f"{prefix}held-out loss")
    ax.set(xlabel="epoch", ylabel="mean loss (log scale)", title=title)
    ax.legend(fontsize=7)
    return ax


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
