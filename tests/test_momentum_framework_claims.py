"""The momentum chapter's Framework notes, checked against MXNet itself.

The chapter states these facts in a collapsed block instead of running them;
these tests keep each one.
"""
import numpy as np
import pytest

from d2lhelpers.momentum import momentum, nesterov
from d2lhelpers.optim import run

pytestmark = pytest.mark.upstream

LAMS = np.array([0.2, 4.0])
X0 = np.array([-5.0, -2.0])


def _grad(x):
    return LAMS * np.asarray(x, dtype=float)


def _drive(name, eta, beta, steps=10):
    import mxnet as mx

    opt = mx.optimizer.create(name, learning_rate=eta, momentum=beta)
    w = mx.nd.array(X0, dtype="float64")
    state = opt.create_state(0, w)
    for _ in range(steps):
        opt.update(0, w, mx.nd.array(_grad(w.asnumpy()), dtype="float64"), state)
    return w.asnumpy(), state.asnumpy()


@pytest.mark.parametrize("name, ours", [("sgd", momentum), ("nag", nesterov)])
def test_mxnet_state_is_minus_eta_v_and_moves_agree(name, ours):
    w, state = _drive(name, 0.375, 0.5)
    rule = ours(0.375, 0.5)
    x, v = X0.copy(), rule.init(X0)
    for _ in range(10):
        x, v = rule.step(x, _grad(x), v)
    assert np.abs(w - x).max() < 1e-15 * 10
    assert np.abs(state + 0.375 * v).max() < 1e-15


@pytest.mark.parametrize("name, ours", [("sgd", momentum), ("nag", nesterov)])
def test_a_learning_rate_inexact_in_float32_differs_in_the_eighth_digit(name, ours):
    # one step: eta = 0.6 reaches the kernel as float32(0.6)
    w, _ = _drive(name, 0.6, 0.5, steps=1)
    x = run(ours(0.6, 0.5), _grad, X0, 1)[-1]
    rel = np.abs((w - x) / x).max()
    assert 1e-8 < rel < 1e-7


@pytest.mark.parametrize("gluon_name, rule", [("sgd", momentum), ("nag", nesterov)])
def test_chapter_scale_run_agrees_with_gluon_to_about_1e6(gluon_name, rule):
    from d2lhelpers.data import synthetic_regression
    from d2lhelpers.linreg import train_gluon, train_scratch

    X, y = synthetic_regression(1000, seed=0)
    scratch = train_scratch(rule(0.01, 0.9), X, y, 10, 1, record_every=50)
    gluon = train_gluon(gluon_name, {"learning_rate": 0.01, "momentum": 0.9},
                        X, y, 10, 1, record_every=50)
    gap = np.abs(np.array(scratch.params) - np.array(gluon.params)).max()
    assert 1e-8 < gap < 3e-6
