"""The handwritten-digits data of the network chapter, split and standardized.

scikit-learn ships the 1,797 8x8 digits of the UCI collection inside the
package, so nothing is downloaded. The split is a seeded permutation; the
standardization uses the training split's statistics only, so no information
from the held-out splits leaks into training.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import check_count
from d2lhelpers.data import make_rng

Split = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Digits:
    """``train``, ``valid``, ``test``: (X, y) pairs, X float32 (n, 64), standardized
    with the training ``mean`` and ``std``; y float32 class labels 0-9."""
    train: Split
    valid: Split
    test: Split
    mean: np.ndarray
    std: np.ndarray


def load(*, n_valid: int = 360, n_test: int = 360, seed: int = 0) -> Digits:
    """Shuffle the digits once with ``seed``; the first ``n_test`` samples are
    the test split, the next ``n_valid`` the validation split, the rest train."""
    n_valid, n_test = check_count("n_valid", n_valid), check_count("n_test", n_test)
    make_rng(seed)                         # a bad seed fails before the data are read
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    if n_valid + n_test >= len(X):
        raise ValueError(f"n_valid + n_test must leave training samples out of {len(X)}, "
                         f"got {n_valid} + {n_test}")
    perm = make_rng(seed).permutation(len(X))
    test, valid, train = np.split(perm, [n_test, n_test + n_valid])
    mean = X[train].mean(axis=0)
    std = X[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)      # pixels that are blank in every training image

    def part(idx):
        return (((X[idx] - mean) / std).astype(np.float32), y[idx].astype(np.float32))

    return Digits(part(train), part(valid), part(test), mean, std)


def subset(split: Split, n: int, *, seed: int = 0) -> Split:
    """A seeded random ``n`` samples of a split (for a smaller training set)."""
    if not isinstance(split, (tuple, list)) or len(split) != 2:
        raise TypeError(f"split must be a pair (X, y), got {split!r}")
    X, y = split
    if np.ndim(X) != 2 or np.ndim(y) != 1 or len(X) != len(y):
        raise ValueError(f"split must be (X, y) with X of shape (n, d) and y of n labels, "
                         f"got shapes {np.shape(X)} and {np.shape(y)}")
    n = check_count("n", n)
    if n > len(X):
        raise ValueError(f"n must be at most the split's {len(X)} samples, got {n}")
    idx = np.sort(make_rng(seed).permutation(len(X))[:n])
    return X[idx], y[idx]
