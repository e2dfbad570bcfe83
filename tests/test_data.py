"""Synthetic regression data and the seeded mini-batch order."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers.data import batch_order, minibatch_indices, synthetic_regression, with_replacement

pytestmark = pytest.mark.unit


def test_synthetic_regression_shapes_and_truth():
    X, y = synthetic_regression(2000, seed=1)
    assert X.shape == (2000, 2) and y.shape == (2000,)
    assert X.dtype == np.float32 and y.dtype == np.float32
    # least squares recovers the generating parameters to within the noise
    A = np.hstack([X, np.ones((2000, 1), np.float32)]).astype(np.float64)
    coef = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)[0]
    np.testing.assert_allclose(coef, [2.0, -3.4, 4.2], atol=2e-3)
    resid = y - A @ coef
    assert 0.009 < resid.std() < 0.011          # the noise level 0.01
    X2, y2 = synthetic_regression(2000, seed=1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, synthetic_regression(2000, seed=2)[0])


def test_every_sample_exactly_once_per_epoch():
    batches = list(minibatch_indices(103, 10, seed=5))
    assert [len(b) for b in batches] == [10] * 10 + [3]
    assert sorted(np.concatenate(batches).tolist()) == list(range(103))
    # shuffled, not in order
    assert np.concatenate(batches).tolist() != list(range(103))


def test_batch_order_seeded_and_fresh_each_epoch():
    a = batch_order(50, 7, 3, seed=11)
    b = batch_order(50, 7, 3, seed=11)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    per_epoch = math.ceil(50 / 7)
    assert len(a) == 3 * per_epoch
    epochs = [np.concatenate(a[e * per_epoch:(e + 1) * per_epoch]) for e in range(3)]
    for perm in epochs:
        assert sorted(perm.tolist()) == list(range(50))
    assert not np.array_equal(epochs[0], epochs[1])
    first = np.concatenate(list(minibatch_indices(50, 7, seed=11)))
    assert np.array_equal(first, epochs[0])
    c = np.concatenate(batch_order(50, 7, 1, seed=12))
    assert not np.array_equal(c, epochs[0])


def test_with_replacement_repeats_samples():
    draws = with_replacement(20, 20, 1, seed=0)[0]
    assert len(draws) == 20 and len(set(draws.tolist())) < 20


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=0, batch_size=1), "n"), (dict(n=10, batch_size=0), "batch_size"),
    (dict(n=10, batch_size=11), "batch_size"), (dict(n=10, batch_size=2.5), "batch_size"),
])
def test_bad_iterator_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        list(minibatch_indices(seed=0, **kwargs))


def test_bad_seed_and_epochs():
    with pytest.raises(TypeError, match="seed"):
        list(minibatch_indices(10, 2, seed="a"))
    with pytest.raises(ValueError, match="epochs"):
        batch_order(10, 2, 0, seed=0)
