"""The fused block: many steps of one rule in one MXNet graph, equal to the same
steps taken one by one."""
import numpy as np
import pytest

from d2lhelpers.fused import fused_block, graph_state, leaves, rebuild
from d2lhelpers.momentum import momentum
from d2lhelpers.optim import sgd

pytestmark = pytest.mark.unit


def test_leaves_and_rebuild_are_inverse():
    state = (1.0, [np.zeros(2), (np.ones(1), 3)])
    parts = leaves(state)
    assert len(parts) == 2
    back = rebuild(state, list(parts))
    assert back[0] == 1.0 and back[1][1][1] == 3 and back[1][0] is parts[0]


@pytest.mark.parametrize("rule", [sgd(0.1), momentum(0.05, 0.9)], ids=["sgd", "momentum"])
def test_block_equals_steps_by_hand(rule):
    from mxnet import nd
    rng = np.random.default_rng(0)
    steps, m, d = 4, 3, 2
    xs = rng.normal(size=(steps, m, d)).astype(np.float32)
    ys = rng.normal(size=(steps, m, 1)).astype(np.float32)
    w, b = np.array([[0.5, -0.2]], np.float32), np.array([0.1], np.float32)
    sw, sb = graph_state(rule, w), graph_state(rule, b)
    block = fused_block(rule, sw, sb)
    block.hybridize(static_alloc=True)
    state = [nd.array(np.broadcast_to(a, (1, d))) for a in leaves(sw)] + \
            [nd.array(np.broadcast_to(a, (1,))) for a in leaves(sb)]
    out = block(nd.array(xs), nd.array(ys), nd.array(w), nd.array(b), *state)
    hw, hb = w.astype(float), b.astype(float)
    hsw, hsb = rule.init(hw), rule.init(hb)
    for x, t in zip(xs.astype(float), ys.astype(float)):
        r = x @ hw.T + hb - t                          # (m, 1) residuals
        hw, hsw = rule.step(hw, (r * x).mean(axis=0, keepdims=True), hsw)
        hb, hsb = rule.step(hb, r.mean(axis=0), hsb)
    np.testing.assert_allclose(out[0].asnumpy(), hw, atol=1e-6)
    np.testing.assert_allclose(out[1].asnumpy(), hb, atol=1e-6)


def test_fused_trainer_runs_momentum_like_the_scratch_trainer():
    """Momentum's state starts as the number 0 and becomes an array."""
    from d2lhelpers.data import synthetic_regression
    from d2lhelpers.trainers import train_fused, train_scratch
    X, y = synthetic_regression(40, seed=0)
    a = train_scratch(momentum(0.05, 0.9), X, y, 4, 2, seed=1, record_every=20)
    b = train_fused(momentum(0.05, 0.9), X, y, 4, 2, seed=1, record_every=20)
    np.testing.assert_allclose(np.array(a.params), np.array(b.params), atol=1e-5)
    assert np.abs(a.params[-1] - a.params[0]).max() > 0.5
