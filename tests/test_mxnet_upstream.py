"""Behaviour of MXNet itself that the chapters describe (upstream checks: they
fail when MXNet changes, not when the course does)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import schedules as S
from d2lhelpers.adaptive import adagrad, adam, nadam, rmsprop

from helpers import mxnet_updates, reference_like, steps_of

mx = pytest.importorskip("mxnet")
nd = mx.nd

pytestmark = pytest.mark.upstream


def test_mxnet_adam_is_the_paper_with_eps_over_root_of_one_minus_beta2_power_t():
    """MXNet folds the correction into the rate, lr_t = lr sqrt(1-b2^t)/(1-b1^t), and
    adds eps to sqrt(v): the paper's update with eps / sqrt(1 - b2^t)."""
    b1, b2, eps = 0.5, 0.5, 1.0
    grads = [1.0, 2.0, -1.0]
    theirs = mxnet_updates("adam", [[g] for g in grads], [0.0], learning_rate=1.0,
                           beta1=b1, beta2=b2, epsilon=eps)[:, 0]
    x, m, v = 0.0, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        x -= m_hat / (math.sqrt(v_hat) + eps / math.sqrt(1 - b2 ** t))
        assert theirs[t - 1] == pytest.approx(x, rel=1e-6)
    # and the first step differs visibly from the paper's own eps placement
    assert theirs[0] == pytest.approx(1 - math.sqrt(2), rel=1e-6)
    assert steps_of(adam(1.0, b1, b2, eps=eps), [1.0])[0] == pytest.approx(-0.5)


@pytest.mark.parametrize("name, kw, inside", [
    ("adagrad", dict(eps=1.0), -1 / math.sqrt(2)),
    ("rmsprop", dict(gamma1=0.5, epsilon=1.0), -1 / math.sqrt(1.5)),
])
def test_mxnet_puts_eps_inside_the_root(name, kw, inside):
    got = mxnet_updates(name, [[1.0]], [0.0], learning_rate=1.0, **kw)[0, 0]
    assert got == pytest.approx(inside, rel=1e-6)
    ours = adagrad(1.0, eps=1.0) if name == "adagrad" else rmsprop(1.0, 0.5, eps=1.0)
    assert steps_of(ours, [1.0])[0] == pytest.approx(inside, rel=1e-12)


def test_mxnet_nadam_shares_its_schedule_across_parameters():
    """The chapter's note: with two parameters MXNet's Nadam advances the product of
    momenta twice per step, so it differs from Dozat's update; with one it agrees."""
    grads = np.random.default_rng(2).normal(size=(10, 2))
    ours = reference_like(nadam(0.05), grads, np.zeros(2))
    one = mxnet_updates("nadam", grads, np.zeros(2), learning_rate=0.05)
    np.testing.assert_allclose(one, ours, rtol=1e-5, atol=1e-7)
    opt = mx.optimizer.create("nadam", learning_rate=0.05)
    w = [nd.zeros(1), nd.zeros(1)]
    states = [opt.create_state(i, w[i]) for i in range(2)]
    for g in grads:
        for i in range(2):
            opt.update(i, w[i], nd.array([g[i]]), states[i])
    two = np.array([w[0].asscalar(), w[1].asscalar()])
    assert np.max(np.abs(two - ours[-1])) > 1e-3


def test_mxnet_adam_uses_float32_betas_in_its_averages():
    """The chapter's explanation of the 1e-5 gap between scratch Adam and Gluon's."""
    opt = mx.optimizer.create("adam")
    w = nd.zeros(1, dtype="float64")
    mean, var = opt.create_state(0, w)
    opt.update(0, w, nd.ones(1, dtype="float64"), (mean, var))
    assert mean.asscalar() == pytest.approx(1 - float(np.float32(0.9)), rel=1e-12)
    assert var.asscalar() == pytest.approx(1 - float(np.float32(0.999)), rel=1e-9)
    assert abs(var.asscalar() - 0.001) > 1e-8


def test_mxnet_docstring_off_by_one():
    """MXNet documents base_lr * factor**floor(t / step); the code decays one later."""
    import mxnet as mx
    sched = mx.lr_scheduler.FactorScheduler(step=10, factor=0.5, base_lr=1.0)
    assert list(S.mxnet_values(sched, [9, 10, 11])) == [1.0, 1.0, 0.5]
    multi = mx.lr_scheduler.MultiFactorScheduler(step=[10], factor=0.5, base_lr=1.0)
    assert list(S.mxnet_values(multi, [10, 11])) == [1.0, 0.5]


def test_trainer_learning_rate_overwrites_only_factor_schedulers(capsys):
    """Given learning_rate too, MXNet sets the scheduler's base_lr (and prints a
    notice): FactorScheduler follows it, CosineScheduler keeps its own copy."""
    import mxnet as mx
    from mxnet import gluon
    w = gluon.Parameter("w", shape=(1,))
    w.initialize(ctx=mx.cpu())
    factor = mx.lr_scheduler.FactorScheduler(step=10, factor=0.5, base_lr=0.5)
    t1 = gluon.Trainer([w], "sgd", {"learning_rate": 0.1, "lr_scheduler": factor})
    assert t1.learning_rate == 0.1
    assert "overwritten" in capsys.readouterr().out
    cosine = mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=0.5)
    gluon.Trainer([w], "sgd", {"learning_rate": 0.1, "lr_scheduler": cosine})
    assert cosine(5) == pytest.approx(S.Cosine(0.5, 10)(5))     # its own 0.5, not 0.1
    assert factor.base_lr == 0.1
