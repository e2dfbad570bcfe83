"""Hessian-vector products and power iteration against an exact Hessian.

A bank with widths (d, k) is a softmax regression, whose Hessian is known in
closed form: H = (1/n) sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i, with J_i the
map from the flat parameters (W row-major, then b) to the scores of sample i.
A tiny ReLU network (3-4-2), started away from every kink, is checked against
a Hessian computed without MXNet: central differences of a hand-written
numpy gradient in float64.
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


# --- a tiny ReLU network, against a Hessian computed without MXNet -----------

SIZES3 = (3, 4, 2)


def _unpack(theta):
    (w0, w1, s1), (b0, b1) = mlp.layout(SIZES3)[0]
    (v0, v1, s2), (c0, c1) = mlp.layout(SIZES3)[1]
    return (theta[w0:w1].reshape(s1), theta[b0:b1],
            theta[v0:v1].reshape(s2), theta[c0:c1])


def _numpy_grad(theta, X, y, loss):
    """The mean loss's gradient by hand-written backpropagation (float64)."""
    W1, b1, W2, b2 = _unpack(theta)
    z = X @ W1 + b1
    h = np.maximum(z, 0)
    o = h @ W2 + b2
    onehot = np.eye(SIZES3[-1])[y.astype(int)]
    if loss == "square":
        do = o - onehot
    else:
        p = np.exp(o - o.max(axis=1, keepdims=True))
        do = p / p.sum(axis=1, keepdims=True) - onehot
    do /= len(X)
    dh = do @ W2.T
    dz = dh * (z > 0)
    return np.concatenate([(X.T @ dz).ravel(), dz.sum(0),
                           (h.T @ do).ravel(), do.sum(0)])


def _tiny_problem():
    """A start whose hidden pre-activations all stay at least 0.1 from the
    ReLU's kink, so the loss is smooth (a polynomial, for the square loss)
    in a neighbourhood far larger than any difference step used here."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(12, 3))
    y = rng.integers(0, 2, size=12).astype(float)
    P = mlp.layout(SIZES3)[-1][1][1]
    for _ in range(1000):
        theta = rng.normal(size=P)
        W1, b1, _, _ = _unpack(theta)
        z = X @ W1 + b1
        if np.abs(z).min() > 0.1 and (z > 0).any(axis=0).all():
            return X, y, theta
    raise AssertionError("no start away from the kinks")


def _exact_hessian_fd(theta, X, y, loss, h=1e-4):
    """Central differences of the hand-written gradient: exact to O(h^2)."""
    P = theta.size
    H = np.empty((P, P))
    for i in range(P):
        e = np.zeros(P)
        e[i] = h
        H[:, i] = (_numpy_grad(theta + e, X, y, loss)
                   - _numpy_grad(theta - e, X, y, loss)) / (2 * h)
    return (H + H.T) / 2


def _loss_fn(loss):
    return mlp.square_loss if loss == "square" else mlp.cross_entropy


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["square", "cross-entropy"])
def test_tiny_mlp_gradient_and_hvp_match_a_hand_computed_hessian(loss):
    X, y, theta = _tiny_problem()
    net = mlp.bank(SIZES3, [0], hybridize=False)
    net.cast("float64")
    grad = SH.bank_gradient(net, X, y, _loss_fn(loss))
    np.testing.assert_allclose(grad(theta[None, None])[0, 0],
                               _numpy_grad(theta, X, y, loss),
                               rtol=1e-10, atol=1e-12)
    H = _exact_hessian_fd(theta, X, y, loss)
    rng = np.random.default_rng(8)
    for _ in range(3):
        v = rng.normal(size=theta.size)
        v /= np.linalg.norm(v)
        Hv = SH.hvp(grad, theta[None, None], v[None, None], eps=1e-6)[0, 0]
        np.testing.assert_allclose(Hv, H @ v, rtol=1e-6, atol=1e-8)
    # the two gradients of a product in one pass of a bank with twice the rows
    net2 = mlp.bank(SIZES3, [0, 0], hybridize=False)
    net2.cast("float64")
    Hv2 = SH.hvp(SH.bank_gradient(net2, X, y, _loss_fn(loss)),
                 theta[None, None], v[None, None], eps=1e-6, paired=True)
    np.testing.assert_allclose(Hv2[0, 0], Hv, rtol=1e-12, atol=1e-14)


@pytest.mark.slow
@pytest.mark.parametrize("rows", [1, 2])
def test_tiny_mlp_power_iteration_finds_the_top_eigenvalue(rows):
    X, y, theta = _tiny_problem()
    eig = np.linalg.eigvalsh(_exact_hessian_fd(theta, X, y, "square"))
    assert eig[-1] > abs(eig[0])          # the top one has the largest magnitude
    net = mlp.bank(SIZES3, [0] * rows, hybridize=False)
    net.cast("float64")
    before = net.group_param(0).data().asnumpy().copy()
    lam, v = SH.bank_sharpness(net, X, y, theta[None, None], iters=400,
                               loss_fn=mlp.square_loss)
    assert lam[0, 0] == pytest.approx(eig[-1], rel=1e-6)
    np.testing.assert_array_equal(net.group_param(0).data().asnumpy(), before)


@pytest.mark.slow
def test_tracker_measures_a_shared_start_once_and_later_groups_apart():
    """At the first record the groups of a rate sweep hold one network: the
    tracker measures it once and gives every group that value; a bank whose
    groups differ is measured group by group, and agrees with a lone one."""
    X, y = _problem()
    sizes = (D, 4, K)
    net = mlp.bank(sizes, [0], groups=3)
    tracker = SH.SharpnessTracker(sizes, [0], 3, X, y, every=1, first_iters=200,
                                  iters=300)
    tracker(net)
    first = tracker.sharp[0]
    assert first[0] == first[1] == first[2]
    theta = net.group_param(0).data().asnumpy().astype(np.float64)[None]
    one = mlp.bank(sizes, [0], hybridize=False)
    one.cast("float64")
    lam, _ = SH.bank_sharpness(one, X, y, theta, iters=200)
    assert first[0] == pytest.approx(lam[0, 0], rel=1e-9)
    # groups apart: the later measurement, warm-started, is each group's own
    net.group_param(1).set_data(net.group_param(1).data() * 1.5)
    tracker(net)
    theta1 = net.group_param(1).data().asnumpy().astype(np.float64)[None]
    lam1, _ = SH.bank_sharpness(one, X, y, theta1, iters=300)
    assert tracker.sharp[1][0] == pytest.approx(first[0], rel=1e-6)
    assert tracker.sharp[1][1] == pytest.approx(lam1[0, 0], rel=1e-3)
    assert abs(tracker.sharp[1][1] - first[1]) > 1e-3
