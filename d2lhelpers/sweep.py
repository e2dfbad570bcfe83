"""Plain SGD over a list of (batch size, learning rate) pairs, for comparisons."""
from __future__ import annotations

from typing import List, Sequence

import numpy as np

from d2lhelpers.checks import check_count
from d2lhelpers.history import History
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.progress import Progress
from d2lhelpers.trainers import train_fused


def sweep(batch_sizes: Sequence[int], lrs: Sequence[float], X, y, epochs: int = 3, *,
          seed: int = 0, records_per_epoch: int = 10, progress: bool = True) -> List[History]:
    """Plain SGD for each (batch size, learning rate) pair with
    :func:`~d2lhelpers.trainers.train_fused`, from the same initialization and
    seed; the loss is recorded about ``records_per_epoch`` times per epoch (at
    least once per batch)."""
    if len(batch_sizes) != len(lrs) or not batch_sizes:
        raise ValueError("batch_sizes and lrs must be non-empty and of the same length, got "
                         f"{len(batch_sizes)} and {len(lrs)}")
    n = np.asarray(X).shape[0]
    reporter = Progress(len(batch_sizes), "batch sizes") if progress else None
    runs = []
    for bs, lr in zip(batch_sizes, lrs):
        bs = check_count("batch_size", bs)
        every = max(bs, (n // records_per_epoch) // bs * bs)
        runs.append(train_fused(sgd_rule(lr), X, y, bs, epochs, seed=seed, record_every=every,
                                label=f"batch {bs}, lr {lr:g}"))
        if reporter:
            reporter.done(f"batch size {bs} done")
    return runs
