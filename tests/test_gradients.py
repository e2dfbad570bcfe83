"""Per-sample and mini-batch gradients of the regression loss."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.data import synthetic_regression
from d2lhelpers.gradients import minibatch_grads, sample_grads

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def small():
    return synthetic_regression(60, seed=3)


def test_sample_grads_match_autograd(small):
    from mxnet import autograd, nd
    X, y = small
    w, b = np.array([0.3, -0.2]), 0.7
    G = sample_grads(X, y, w, b)
    wn, bn = nd.array(w).reshape((2, 1)), nd.array([b])
    wn.attach_grad(), bn.attach_grad()
    with autograd.record():
        loss = ((nd.dot(nd.array(X), wn) + bn - nd.array(y).reshape((-1, 1))) ** 2 / 2).mean()
    loss.backward()
    np.testing.assert_allclose(G.mean(axis=0)[:2], wn.grad.asnumpy().ravel(), rtol=1e-4)
    np.testing.assert_allclose(G.mean(axis=0)[2], bn.grad.asscalar(), rtol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("replace", [True, False])
def test_minibatch_gradient_unbiased_variance_one_over_b(replace):
    X, y = synthetic_regression(200, seed=0)
    w, b = np.zeros(2), 0.0
    G = sample_grads(X, y, w, b)
    full, sigma2 = G.mean(axis=0), G.var(axis=0)          # population variance
    n = len(G)
    for bs in (1, 4, 16, 64):
        est = minibatch_grads(X, y, w, b, bs, 4000, seed=bs, replace=replace)
        expected = sigma2 / bs * (1 if replace else (n - bs) / (n - 1))
        # unbiased: the mean of 4000 draws is within 4 standard errors of the full gradient
        assert np.all(np.abs(est.mean(axis=0) - full) < 4 * np.sqrt(expected / 4000))
        np.testing.assert_allclose(est.var(axis=0), expected, rtol=0.1)


def test_accumulated_gradient_is_the_full_gradient(small):
    from d2lhelpers.gradients import accumulated_gradient
    X, y = small
    full = sample_grads(X, y, [0.2, 0.1], -0.4).mean(axis=0)
    for bs in (1, 7, 60):
        np.testing.assert_allclose(accumulated_gradient(X, y, [0.2, 0.1], -0.4, bs), full,
                                   rtol=1e-5)


def test_time_gradient_shapes_and_bad_input():
    from d2lhelpers.gradients import time_gradient
    X, y = synthetic_regression(100, seed=0)
    t = time_gradient(X, y, [1, 100], repeats=2)
    assert t.batch_sizes.tolist() == [1, 100] and t.per_step.shape == (2,)
    assert np.all(t.per_step > 0)
    with pytest.raises(ValueError, match="exceeds"):
        time_gradient(X, y, [101])
