"""Tests for d2lhelpers.lstsq_sgd: the vectorized runs against a plain loop,
the exact loss, the stability limits, and bad input."""
import numpy as np
import pytest

from d2lhelpers import lstsq_sgd as ls
from d2lhelpers.data import synthetic_regression

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def small():
    return synthetic_regression(200, seed=0)


def loop_sgd(X, y, lr, bs, epochs, seed, replace=False):
    Xt = np.hstack([X.astype(float), np.ones((len(X), 1))])
    y = y.astype(float)
    rng = np.random.default_rng(seed)
    th = np.zeros(3)
    for _ in range(epochs):
        order = rng.integers(0, len(X), len(X)) if replace else rng.permutation(len(X))
        for lo in range(0, len(X), bs):
            i = order[lo:lo + bs]
            th = th - lr * Xt[i].T @ (Xt[i] @ th - y[i]) / len(i)
    return 0.5 * np.mean((Xt @ th - y) ** 2)


@pytest.mark.parametrize("bs, replace", [(1, False), (7, False), (1, True)])
def test_runs_equal_a_plain_loop(small, bs, replace):
    X, y = small
    r = ls.run_grid(X, y, bs, [0.05, 0.2], [0, 4], epochs=2, replace=replace)
    for i, lr in enumerate([0.05, 0.2]):
        for j, seed in enumerate([0, 4]):
            assert r.final_loss[i, j] == pytest.approx(
                loop_sgd(X, y, lr, bs, 2, seed, replace), rel=1e-9)


def test_f_star_and_steps_to_target(small):
    X, y = small
    Xt = np.hstack([X.astype(float), np.ones((200, 1))])
    theta = np.linalg.lstsq(Xt, y.astype(float), rcond=None)[0]
    r = ls.run_grid(X, y, 200, [1.0], [0], epochs=5, target=1e9)
    assert r.f_star == pytest.approx(0.5 * np.mean((Xt @ theta - y) ** 2))
    assert r.steps_to_target[0, 0] == 0            # already below at the start
    r = ls.run_grid(X, y, 200, [0.5], [0], epochs=3, target=0.0)
    assert r.steps_to_target[0, 0] == -1           # f* itself is never beaten


def test_divergence_and_best_lr(small):
    X, y = small
    r = ls.run_grid(X, y, 1, [0.1, 1.5], range(3), epochs=2, target=1.0)
    assert not r.diverged[0].any() and r.diverged[1].all()
    assert np.isinf(r.final_loss[1]).all()
    lr, i, med = ls.best_lr(r)
    assert (lr, i) == (0.1, 0) and np.isinf(med[1])
    bad = ls.run_grid(X, y, 1, [1.5], [0], epochs=1, target=1.0)
    with pytest.raises(ValueError, match="no learning rate"):
        ls.best_lr(bad)


@pytest.mark.slow
def test_limits_on_gaussian_features():
    X, _ = synthetic_regression(20000, seed=2)
    # E||x~||^2 = 3 for two standard normal features and the bias
    assert ls.per_sample_limit(X) == pytest.approx(2 / 3, rel=0.02)
    # for x~ = (x, 1), x ~ N(0, I_2), the map on diagonal P = diag(p, p, q) is
    # (1 - 2 eta) P + eta^2 [[4, 1], [2, 1]] (p, q): its top eigenvalue
    # (5 + sqrt 17)/2 puts the radius at 1 for eta = 4 / (5 + sqrt 17)
    assert ls.mean_square_limit(X, 1) == pytest.approx(4 / (5 + 17 ** 0.5),
                                                       rel=0.02)
    limits = [ls.mean_square_limit(X, bs) for bs in (1, 10, 1000)]
    assert limits == sorted(limits) and limits[-1] < 2.0


def test_bad_input(small):
    X, y = small
    with pytest.raises(ValueError, match="batch_size"):
        ls.run_grid(X, y, 500, [0.1], [0])
    with pytest.raises(ValueError, match="lr"):
        ls.run_grid(X, y, 1, [0.0], [0])
    with pytest.raises(ValueError, match="non-empty"):
        ls.run_grid(X, y, 1, [], [0])
    with pytest.raises(ValueError, match="start"):
        ls.run_grid(X, y, 1, [0.1], [0], start=[1.0])
    with pytest.raises(ValueError, match="batch_size"):
        ls.mean_square_limit(X, 0)
