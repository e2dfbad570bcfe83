"""The textbook's interface to mini-batch SGD: ``sgd(params, lr, batch_size)``
and ``train(batch_size, lr, epochs, period)``, on top of the course's trainers."""
from __future__ import annotations

import functools
import math
from typing import Optional, Sequence

from d2lhelpers.checks import check_count, check_lr
from d2lhelpers.curves import plot_history
from d2lhelpers.data import synthetic_regression
from d2lhelpers.history import History, report
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.schedules import PerEpoch
from d2lhelpers.trainers import train_fused, train_scratch
from d2lhelpers.training import apply_update


def sgd(params: Sequence, lr: float, batch_size: int) -> None:
    """The textbook's ``sgd(params, lr, batch_size)``:
    ``p <- p - lr * p.grad / batch_size``, the grads being those of the
    summed batch loss. It is
    :func:`d2lhelpers.optim.sgd` applied by :func:`apply_update`."""
    batch_size = check_count("batch_size", batch_size)
    apply_update(sgd_rule(lr), params, [0.0] * len(params), batch_size)


def decayed(lr: float, epoch: int, after: int = 2, factor: float = 0.1) -> float:
    """The learning rate of the textbook's ``train``: ``lr`` for the first
    ``after`` epochs, then ``factor`` times smaller at each further epoch."""
    lr, epoch = check_lr(lr), check_count("epoch", epoch)
    return lr * factor ** max(0, epoch - after)


def decay_schedule(lr: float, updates_per_epoch: int, after: int = 2,
                   factor: float = 0.1) -> PerEpoch:
    """:func:`decayed` as a schedule of the update number, for epochs of
    ``updates_per_epoch`` updates."""
    return PerEpoch(functools.partial(decayed, check_lr(lr), after=after, factor=factor),
                    updates_per_epoch)


def train(batch_size: int, lr: float, epochs: int = 3, period: int = 10, *, data=None,
          seed: int = 0, ax=None, verbose: bool = True, label: Optional[str] = None,
          fused: bool = False, color: Optional[str] = None,
          title: Optional[str] = None) -> History:
    """The textbook's ``train(batch_size, lr, epochs, period)`` on top of
    :func:`~d2lhelpers.trainers.train_scratch`: plain SGD whose learning rate
    drops 10x after epoch 2 (:func:`decay_schedule`), the full-data loss
    recorded every ``period`` samples and plotted on a log scale (on ``ax``),
    the learned w and b printed. ``data`` defaults to 1,000 samples of
    :func:`~d2lhelpers.data.synthetic_regression` with ``seed``.
    ``fused=True`` runs the same steps with
    :func:`~d2lhelpers.trainers.train_fused` (same trajectory, faster).
    """
    lr = check_lr(lr)
    X, y = data if data is not None else synthetic_regression(1000, seed=seed)
    batch_size = check_count("batch_size", batch_size)
    label = label or f"batch {batch_size}, lr {lr:g}"
    trainer = train_fused if fused else train_scratch
    schedule = decay_schedule(lr, math.ceil(len(X) / batch_size))
    history = trainer(sgd_rule, X, y, batch_size, epochs, seed=seed, record_every=period,
                      schedule=schedule, label=label)
    if verbose:
        report(history)
    plot_history(history, ax=ax, title=title or f"Mini-batch SGD: {label}", color=color)
    return history
