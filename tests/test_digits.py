"""The digits split: seeded, disjoint, standardized with training statistics."""
import numpy as np
import pytest

from d2lhelpers import digits

pytestmark = pytest.mark.unit


@pytest.mark.slow
def test_split_is_deterministic_disjoint_and_complete():
    a, b = digits.load(seed=0), digits.load(seed=0)
    for part in ("train", "valid", "test"):
        np.testing.assert_array_equal(getattr(a, part)[0], getattr(b, part)[0])
        np.testing.assert_array_equal(getattr(a, part)[1], getattr(b, part)[1])
    assert [len(getattr(a, p)[0]) for p in ("train", "valid", "test")] == [1077, 360, 360]
    other = digits.load(seed=1)
    assert not np.array_equal(a.test[0], other.test[0])
    # undo the standardization: every original image appears exactly once
    from sklearn.datasets import load_digits
    X, _ = load_digits(return_X_y=True)
    back = np.concatenate([getattr(a, p)[0] for p in ("train", "valid", "test")])
    back = np.rint(back * a.std + a.mean)
    key = lambda M: sorted(map(tuple, M.astype(int)))
    assert key(back) == key(X)


def test_standardized_with_training_statistics_only():
    d = digits.load(seed=0)
    X = d.train[0]
    used = X.std(axis=0) > 0
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(X.std(axis=0)[used], 1, atol=1e-4)
    assert not np.allclose(d.valid[0].mean(axis=0)[used], 0, atol=1e-3)
    assert d.train[0].dtype == np.float32 and d.train[1].dtype == np.float32


def test_subset_is_seeded_and_checked():
    d = digits.load(seed=0)
    a, b = digits.subset(d.train, 100, seed=3), digits.subset(d.train, 100, seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert len(a[0]) == 100
    with pytest.raises(ValueError, match="n must be at most"):
        digits.subset(d.train, 5000)
    with pytest.raises(ValueError, match="n_valid"):
        digits.load(n_valid=0)
    with pytest.raises(ValueError, match="n_valid \\+ n_test"):
        digits.load(n_valid=1000, n_test=1000)
