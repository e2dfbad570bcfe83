"""Plots of recorded training runs: loss curves, learning curves."""
from __future__ import annotations

from typing import Optional

import numpy as np

from d2lhelpers import style
from d2lhelpers.checks import check_bool, check_text
from d2lhelpers.history import History
from d2lhelpers.plotting import new_axes


def plot_history(history: History, ax=None, x: str = "epoch", title: Optional[str] = None,
                 color: Optional[str] = None, label: Optional[str] = None):
    """Plot the recorded loss on a log scale against ``x`` ('epoch' or 'time').

    A diverged run is drawn up to its last finite loss, with a cross and a note
    where it blew up.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be a d2lhelpers.history.History, got {history!r}")
    if x not in ("epoch", "time"):
        raise ValueError(f"x must be 'epoch' or 'time', got {x!r}")
    for name, text in (("title", title), ("label", label)):
        if text is not None:
            check_text(name, text)
    ax = new_axes(ax)
    xs = np.asarray(history.epoch if x == "epoch" else history.time, dtype=float)
    loss = np.asarray(history.loss, dtype=float)
    stop = history.diverged_at if history.diverged_at is not None else len(loss)
    color = color or style.BLUE
    ax.semilogy(xs[:stop], loss[:stop], color=color, lw=1.4, label=label or history.label)
    if history.diverged_at is not None and stop > 0:
        # the cross marks the last finite loss; the dashed line and its note stay
        # visible even when the axes' limits cut the blown-up curve off
        ax.plot(xs[stop - 1], loss[stop - 1], "x", color=color, ms=10, mew=2)
        ax.axvline(xs[stop], color=color, ls="--", lw=1)
        lo, hi = ax.get_xlim()
        right = xs[stop] > lo + 0.6 * (hi - lo)
        ax.text(xs[stop], 0.5, f" diverged: loss {loss[stop]} \n at {x} {xs[stop]:.2f} ",
                transform=ax.get_xaxis_transform(), fontsize=8, color=color, va="center",
                ha="right" if right else "left")
    ax.set(xlabel="epoch" if x == "epoch" else "wall-clock time (s)",
           ylabel="full-data loss (log scale)",
           title=title or "Training loss")
    return ax


def plot_learning_curves(log: History, ax=None, title: str = "Learning curves",
                         color: str = style.BLUE, label: str = "", batches: bool = True):
    """Training (solid) and held-out (dashed) loss per epoch on a log scale, with
    the mini-batch losses (faint) placed at their fraction of an epoch; for a
    run of :func:`d2lhelpers.loop.fit`."""
    if not isinstance(log, History):
        raise TypeError(f"log must be a d2lhelpers.history.History, got {log!r}")
    check_text("title", title)
    check_text("label", label)
    check_bool("batches", batches)
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
