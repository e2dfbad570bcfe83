"""The scratch AdamW against MXNet's fused ``contrib.adamw_update`` and Adam."""
import numpy as np
import pytest

from d2lhelpers import decoupled
from d2lhelpers.optim import Optimizer

pytestmark = pytest.mark.unit


def _grads(steps, shape, seed=0):
    return np.random.default_rng(seed).normal(size=(steps,) + shape).astype(np.float32)


def test_protocol_adamw_matches_mxnet_contrib_adamw_update():
    """contrib.adamw_update has no bias correction; folding it into the rate and
    epsilon gives exactly AdamW: m_hat / (sqrt(s_hat) + eps) =
    c * m / (sqrt(s) + eps * sqrt(1 - b2^t)), c = sqrt(1 - b2^t) / (1 - b1^t)."""
    from mxnet import nd
    alpha, b1, b2, eps, lam = 0.01, 0.9, 0.999, 1e-8, 0.003
    opt = decoupled.adamw(alpha, b1, b2, eps, wd=lam)
    assert isinstance(opt, Optimizer)
    w0 = np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32)
    w, m, s = nd.array(w0), nd.zeros((5, 3)), nd.zeros((5, 3))
    for t, g in enumerate(_grads(20, (5, 3)), start=1):
        # each step from MXNet's own float32 state, so only one rounding differs
        state = (m.asnumpy().astype(float), s.asnumpy().astype(float), t - 1)
        x, state = opt.step(w.asnumpy().astype(float), g.astype(float), state)
        c = np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        nd.contrib.adamw_update(w, nd.array(g), m, s, rescale_grad=nd.array([1.0]),
                                lr=alpha * c, beta1=b1, beta2=b2,
                                epsilon=eps * np.sqrt(1 - b2 ** t), wd=lam, eta=1.0,
                                out=w)
        np.testing.assert_allclose(w.asnumpy(), x, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(m.asnumpy(), state[0], rtol=1e-6, atol=1e-7)
    assert not np.allclose(x, w0)


def test_mxnet_adapter_runs_the_same_rule_with_a_schedule():
    """In a Trainer the rate is eta_t * alpha and the decay eta_t * lam."""
    from mxnet import nd

    from d2lhelpers import schedules as S
    sched = S.Cosine(0.02, 10)
    opt = decoupled.mxnet_adamw(wd=0.01, lr_scheduler=sched.to_mxnet())
    w0 = np.random.default_rng(2).normal(size=(4,)).astype(np.float32)
    w = nd.array(w0)
    state = opt.create_state(0, w)
    x, m, s = w0.astype(float), 0.0, 0.0
    for t, g in enumerate(_grads(10, (4,), seed=3), start=1):
        opt.update(0, w, nd.array(g), state)
        eta_t = sched(t) / sched.eta0          # the multiplier: rate over base rate
        x, m, s = decoupled.adamw_update(x, g.astype(float), m, s, t, lr=sched(t),
                                         decay=eta_t * 0.01, beta1=0.9, beta2=0.999,
                                         eps=1e-8)
        np.testing.assert_allclose(w.asnumpy(), x, rtol=2e-6, atol=2e-7)


def test_without_decay_it_is_mxnet_adam_up_to_where_epsilon_sits():
    """MXNet's adam divides by sqrt(s) + eps before the bias correction of s, so
    the two agree to float32 rounding whenever eps << sqrt(s)."""
    from mxnet import nd, optimizer
    ours = decoupled.mxnet_adamw(learning_rate=0.01)
    theirs = optimizer.create("adam", learning_rate=0.01)
    w0 = np.random.default_rng(4).normal(size=(6,)).astype(np.float32)
    a, b = nd.array(w0), nd.array(w0)
    sa, sb = ours.create_state(0, a), theirs.create_state(0, b)
    for g in _grads(15, (6,), seed=5):
        ours.update(0, a, nd.array(g), sa)
        theirs.update(0, b, nd.array(g), sb)
    np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-5, atol=1e-6)


def test_l2_and_decoupled_decay_coincide_for_sgd_but_not_for_adam():
    g, w, lam, eta = np.array([10.0, 0.01]), np.array([1.0, 1.0]), 0.1, 0.05
    l2_sgd = w - eta * (g + lam * w)
    decoupled_sgd = w - eta * g - eta * lam * w
    np.testing.assert_allclose(l2_sgd, decoupled_sgd)
    # first Adam step: the update is eta * sign-like(g + lam w), so the decay
    # is rescaled by each coordinate's gradient size under L2 only
    l2_adam, _, _ = decoupled.adamw_update(w, g + lam * w, 0.0, 0.0, 1, lr=eta, decay=0.0,
                                           beta1=0.9, beta2=0.999, eps=1e-8)
    dec_adam, _, _ = decoupled.adamw_update(w, g, 0.0, 0.0, 1, lr=eta, decay=eta * lam,
                                            beta1=0.9, beta2=0.999, eps=1e-8)
    assert not np.allclose(l2_adam, dec_adam)
    np.testing.assert_allclose(dec_adam, w - eta * np.sign(g) - eta * lam * w, rtol=1e-6)


def test_bad_hyperparameters_are_named():
    with pytest.raises(ValueError, match="learning rate"):
        decoupled.adamw(-1.0)
    with pytest.raises(ValueError, match="beta2"):
        decoupled.adamw(0.1, beta2=1.0)
    with pytest.raises(ValueError, match="wd"):
        decoupled.mxnet_adamw(wd=-0.1)
