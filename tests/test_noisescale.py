"""The simple noise scale against per-example gradients computed directly."""
import numpy as np
import pytest

from d2lhelpers import mlp
from d2lhelpers import noisescale as NS

pytestmark = pytest.mark.unit

D, K, N = 4, 3, 24


def _problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, D))
    y = rng.integers(0, K, size=N).astype(float)
    theta = rng.normal(size=(1, 2, D * K + K))
    net = mlp.bank((D, K), [0, 1], hybridize=False)
    net.cast("float64")
    return net, X, y, theta


def _per_example(theta, X, y):
    """Softmax regression's per-example gradients, by hand: (N, P)."""
    W, b = theta[:D * K].reshape(D, K), theta[D * K:]
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    r = p - np.eye(K)[y.astype(int)]
    return np.concatenate([(X[:, :, None] * r[:, None, :]).reshape(N, -1), r], axis=1)


@pytest.mark.slow
def test_batches_of_one_give_the_exact_trace():
    net, X, y, theta = _problem()
    tr, g2, bs = NS.simple_noise_scale(net, X, y, theta, batch_size=1)
    for s in range(2):
        g = _per_example(theta[0, s], X, y)
        G = g.mean(axis=0)
        exact = (g ** 2).sum(axis=1).mean() - (G ** 2).sum()
        assert g2[0, s] == pytest.approx((G ** 2).sum(), rel=1e-10)
        assert tr[0, s] == pytest.approx(exact, rel=1e-9)
        assert bs[0, s] == pytest.approx(exact / (G ** 2).sum(), rel=1e-9)


@pytest.mark.slow
def test_larger_batches_estimate_it_without_bias():
    net, X, y, theta = _problem()
    g = _per_example(theta[0, 0], X, y)
    G = g.mean(axis=0)
    exact = (g ** 2).sum(axis=1).mean() - (G ** 2).sum()
    est = [NS.simple_noise_scale(net, X, y, theta, batch_size=6, seed=s)[0][0, 0]
           for s in range(60)]
    assert np.mean(est) == pytest.approx(exact, rel=0.1)


def test_bad_batch_sizes():
    X, y = np.zeros((N, D)), np.zeros(N)
    for bad in (0, N, N + 1):          # checked before any gradient is taken
        with pytest.raises(ValueError, match="batch_size"):
            NS.simple_noise_scale(None, X, y, None, batch_size=bad)
