"""Synthetic linear-regression data and seeded mini-batch orders.

Every training loop of the course (from scratch and with Gluon) takes its batch
order from here, so two implementations given the same seed visit the samples in
exactly the same order and their trajectories can be compared step by step.
"""
from __future__ import annotations

import numbers
from typing import Iterator, List, Sequence, Tuple, Union

import numpy as np

from d2lhelpers.checks import check_count, check_labels, check_limit, check_point, check_positive

#: The most numbers one data set, batch order or draw of indices holds (800 MB
#: of float64), far above the course's 10^5 samples.
MAX_VALUES = 10 ** 8

Seed = Union[int, np.random.Generator]


def make_rng(seed: Seed) -> np.random.Generator:
    """A numpy Generator from a seed, or the Generator itself (to share one stream)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0 or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def synthetic_regression(n: int, *, seed: int = 0, true_w: Sequence[float] = (2.0, -3.4),
                         true_b: float = 4.2, noise: float = 0.01
                         ) -> Tuple[np.ndarray, np.ndarray]:
    """Draw ``y = X @ true_w + true_b + noise * N(0, 1)`` with ``X ~ N(0, I)``.

    Returns ``X`` of shape (n, len(true_w)) and ``y`` of shape (n,), both float32
    (MXNet's default type, so the data need no conversion).
    """
    n = check_count("n", n)
    true_w = check_point("true_w", true_w).reshape(-1)
    check_limit("n x len(true_w)", n * true_w.size, MAX_VALUES, "numbers in one data set")
    if true_w.size == 0 or not np.all(np.isfinite(true_w)):
        raise ValueError(f"true_w must be a non-empty sequence of finite numbers, got {true_w!r}")
    if noise != 0:
        check_positive("noise", noise)
    rng = make_rng(seed)
    X = rng.standard_normal((n, true_w.size))
    y = X @ true_w + float(true_b) + noise * rng.standard_normal(n)
    return X.astype(np.float32), y.astype(np.float32)


def minibatch_indices(n: int, batch_size: int, *,
                      seed: Seed) -> Iterator[np.ndarray]:
    """Yield the index arrays of ONE epoch: a random permutation of range(n)
    cut into consecutive batches (the last one smaller when batch_size does
    not divide n). Every sample appears exactly once: sampling without
    replacement.

    ``seed`` is an int or a numpy Generator (pass the same Generator again to
    draw the next epoch's permutation).
    """
    n = check_count("n", n)
    check_limit("n", n, MAX_VALUES, "samples")
    batch_size = check_count("batch_size", batch_size)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of "
                         f"samples n={n}, got {batch_size}")
    perm = make_rng(seed).permutation(n)
    for start in range(0, n, batch_size):
        yield perm[start:start + batch_size]


def batch_order(n: int, batch_size: int, epochs: int, *, seed: Seed) -> List[np.ndarray]:
    """The index arrays for all ``epochs`` epochs, each a fresh permutation drawn
    from one Generator seeded with ``seed`` (so the first epoch equals
    ``list(minibatch_indices(n, batch_size, seed=seed))``)."""
    epochs = check_count("epochs", epochs)
    rng = make_rng(seed)
    return [idx for _ in range(epochs) for idx in minibatch_indices(n, batch_size, seed=rng)]


def with_replacement(n: int, batch_size: int, steps: int, *, seed: Seed) -> List[np.ndarray]:
    """``steps`` batches of ``batch_size`` indices drawn uniformly WITH replacement:
    a sample can repeat within a batch and many are never drawn."""
    n = check_count("n", n)
    batch_size = check_count("batch_size", batch_size)
    steps = check_count("steps", steps)
    check_limit("steps x batch_size", steps * batch_size, MAX_VALUES, "drawn indices")
    rng = make_rng(seed)
    return list(rng.integers(0, n, size=(steps, batch_size)))


def check_regression_data(X, y):
    """``(X, y)`` as float32 arrays of shapes (n, d) and (n,), or a clear ValueError."""
    X = check_point("X", X).astype(np.float32)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2D array (samples, features), got shape {X.shape}")
    y = check_labels("y", y, X.shape[0])
    if not np.all(np.isfinite(y)):
        raise ValueError("y must be finite")
    return X, y
