"""Hessian-vector products and power iteration against an exact Hessian.

A bank with widths (d, k) is a softmax regression, whose Hessian is known in
closed form: H = (1/n) sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i, with J_i the
map from the flat parameters (W row-major, then b) to the scores of sample i.
"""
import numpy as np
import pytest

from d2lhelpers import mlp
from d2lhelpers import sharpness as SH

pytestmark = pytest.mark.unit

D, K, N = 5, 3, 20


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    y = rng.integers(0, K, size=N).astype(float)
    return X, y


def _exact_hessian(theta, X):
    W, b = theta[:D * K].reshape(D, K), theta[D * K:]
    o = X @ W + b
    p = np.exp(o - o.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    H = np.zeros((D * K + K, D * K + K))
    for x, pi in zip(X, p):
        J = np.zeros((K, D * K + K))
        for c in range(K):
            J[c, np.arange(D) * K + c] = x
            J[c, D * K + c] = 1.0
        H += J.T @ (np.diag(pi) - np.outer(pi, pi)) @ J
    return H / N


def _bank(groups):
    net = mlp.bank((D, K), [0], groups=groups, hybridize=False)
    net.cast("float64")
    return net


def test_hvp_matches_the_exact_hessian():
    X, y = _problem()
    net = _bank(2)
    rng = np.random.default_rng(1)
    theta = rng.normal(size=(2, 1, D * K + K))
    v = rng.normal(size=theta.shape)
    v /= np.linalg.norm(v, axis=-1, keepdims=True)
    Hv = SH.hvp(SH.bank_gradient(net, X, y), theta, v, eps=1e-5)
    for g in range(2):
        exact = _exact_hessian(theta[g, 0], X) @ v[g, 0]
        np.testing.assert_allclose(Hv[g, 0], exact, rtol=1e-6, atol=1e-9)


def test_bank_gradient_restores_the_weights_and_needs_float64():
    X, y = _problem()
    net = _bank(1)
    before = net.group_param(0).data().asnumpy().copy()
    SH.bank_gradient(net, X, y)(np.ones((1, 1, D * K + K)))
    np.testing.assert_array_equal(net.group_param(0).data().asnumpy(), before)
    with pytest.raises(TypeError, match="float64"):
        SH.bank_gradient(mlp.bank((D, K), [0]), X, y)


@pytest.mark.slow
def test_power_iteration_finds_the_top_eigenvalue_of_each_block():
    X, y = _problem(2)
    net = _bank(2)
    theta = np.random.default_rng(3).normal(size=(2, 1, D * K + K))
    lam, v = SH.bank_sharpness(net, X, y, theta, iters=300, eps=1e-5)
    for g in range(2):
        eig = np.linalg.eigvalsh(_exact_hessian(theta[g, 0], X))
        assert abs(eig[0]) < eig[-1]          # largest magnitude is the top one
        assert lam[g, 0] == pytest.approx(eig[-1], rel=1e-6)
        H = _exact_hessian(theta[g, 0], X)
        np.testing.assert_allclose(H @ v[g, 0], eig[-1] * v[g, 0], atol=1e-5)


def test_power_iteration_on_a_known_matrix_and_bad_input():
    A = np.diag([5.0, 2.0, -1.0])
    lam, v = SH.power_iteration(lambda u: u @ A, np.ones(3), iters=200)
    assert lam == pytest.approx(5.0)
    np.testing.assert_allclose(np.abs(v), [1, 0, 0], atol=1e-12)
    with pytest.raises(ValueError, match="zero"):
        SH.power_iteration(lambda u: u, np.zeros(3))
    with pytest.raises(ValueError, match="eps"):
        SH.hvp(lambda w: w, np.ones(2), np.ones(2), eps=0.0)


@pytest.mark.slow
def test_a_dead_relu_network_has_sharpness_one_under_the_square_loss():
    """With every hidden unit off, only the output biases get a gradient and
    the Hessian of mean 0.5 |b - e_y|^2 in them is the identity."""
    X, y = _problem()
    sizes = (D, 4, K)
    net = mlp.bank(sizes, [0], hybridize=False)
    net.cast("float64")
    theta = np.zeros((1, 1, net.n_params))
    _, (b0, b1) = net.spans[0]
    theta[0, 0, b0:b1] = -10.0                  # first-layer biases: all units dead
    lam, _ = SH.bank_sharpness(net, X, y, theta, iters=30, loss_fn=mlp.square_loss)
    assert lam[0, 0] == pytest.approx(1.0, rel=1e-8)
