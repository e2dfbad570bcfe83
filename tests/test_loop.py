"""The Gluon training loop against a numpy re-computation of the same SGD steps."""
import numpy as np
import pytest

from d2lhelpers import schedules as S
from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.data import batch_order, synthetic_regression
from d2lhelpers.training import init_params
from d2lhelpers import loop

pytestmark = pytest.mark.unit


def _numpy_sgd(X, y, w, b, batches, rates):
    """Mini-batch SGD on mean((x.w + b - y)^2 / 2), written out by hand."""
    w, b = np.array(w, dtype=float), float(b)
    for idx, eta in zip(batches, rates):
        r = X[idx] @ w + b - y[idx]
        w, b = w - eta * X[idx].T @ r / len(idx), b - eta * r.mean()
    return w, b


def _gluon():
    from mxnet import gluon
    return gluon.loss.L2Loss()


def test_fit_makes_exactly_the_sgd_steps_of_its_schedule():
    X, y = synthetic_regression(12, seed=3)
    (Xt, yt), (Xv, yv) = loop.holdout_split(X, y, 0.25, seed=1)
    schedule = S.Factor(0.3, step=2, factor=0.5)
    net = loop.linear_net(2, seed=4)
    log = loop.fit(net, _gluon(), loop.make_trainer(net, schedule), (Xt, yt), (Xv, yv),
                   batch_size=4, epochs=3, seed=7)
    # 9 samples in batches of 4: 3 updates per epoch (4, 4, 1), 9 in all.
    assert log.updates_per_epoch == 3 and len(log.lr) == 9 and len(log.batch_loss) == 9
    np.testing.assert_allclose(log.lr, schedule.values(range(1, 10)), rtol=1e-12)
    w0, b0 = init_params(2, seed=4)
    batches = batch_order(len(Xt), 4, 3, seed=7)
    w, b = _numpy_sgd(Xt.astype(float), yt.astype(float), w0, b0, batches, log.lr)
    np.testing.assert_allclose(net.weight.data().asnumpy().ravel(), w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(net.bias.data().asnumpy(), [b], rtol=1e-5, atol=1e-6)
    # The logged losses are the mean halved squared errors on each split.
    res_t = Xt.astype(float) @ w + b - yt
    res_v = Xv.astype(float) @ w + b - yv
    assert log.train_loss[-1] == pytest.approx(np.mean(res_t ** 2) / 2, rel=1e-4)
    assert log.valid_loss[-1] == pytest.approx(np.mean(res_v ** 2) / 2, rel=1e-4)
    assert len(log.train_loss) == len(log.valid_loss) == 4
    assert all(isinstance(v, float) for v in log.batch_loss)


def test_progress_is_called_after_every_epoch():
    X, y = synthetic_regression(40, seed=0)
    calls = []
    net = loop.linear_net(2)
    log = loop.fit(net, _gluon(), loop.make_trainer(net, S.Constant(0.3)), (X, y), (X, y),
                   batch_size=10, epochs=3,
                   progress=lambda e, n, **m: calls.append((e, n, sorted(m))))
    assert calls == [(e, 3, ["lr", "train_loss", "valid_loss"]) for e in (1, 2, 3)]
    assert log.train_loss[-1] < log.train_loss[0] / 10


def test_divergence_stops_with_a_warning():
    X, y = synthetic_regression(100, seed=0)
    net = loop.linear_net(2)
    with pytest.warns(DivergenceWarning, match="fit diverged"):
        log = loop.fit(net, _gluon(), loop.make_trainer(net, S.Constant(50.0)), (X, y), (X, y),
                       batch_size=10, epochs=5)
    assert log.diverged_at is not None and log.diverged_at < 5
    assert len(log.train_loss) == log.diverged_at + 1


def test_make_trainer_checks_its_arguments():
    net = loop.linear_net(2)
    with pytest.raises(TypeError, match="schedule"):
        loop.make_trainer(net, 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        loop.make_trainer(net, S.Constant(0.1), learning_rate=0.1)


def test_holdout_split():
    X, y = synthetic_regression(50, seed=0)
    (Xt, yt), (Xv, yv) = loop.holdout_split(X, y, 0.2, seed=0)
    assert len(Xt) == 40 and len(Xv) == 10
    rows = {tuple(r) for r in np.vstack([Xt, Xv])}
    assert rows == {tuple(r) for r in X}
    again = loop.holdout_split(X, y, 0.2, seed=0)
    np.testing.assert_array_equal(again[1][0], Xv)
    for bad in (0.0, 1.0, 2, "0.2"):
        with pytest.raises(ValueError, match="valid_fraction"):
            loop.holdout_split(X, y, bad)
    with pytest.raises(ValueError, match="same number"):
        loop.holdout_split(X, y[:10], 0.2)


def test_range_test_stepper_updates_once_per_call():
    X, y = synthetic_regression(30, seed=2)
    net = loop.linear_net(2, seed=1)
    step = loop.range_test_stepper(net, _gluon(), X, y, 10, seed=5)
    w0, b0 = init_params(2, seed=1)
    start = step(None)
    assert start == pytest.approx(np.mean((X @ w0 + b0 - y) ** 2) / 2, rel=1e-5)
    assert step(None) == start  # no update
    etas = [0.01, 0.1, 0.3, 0.2]  # four updates: the batches of epoch 1, then epoch 2
    losses = [step(eta) for eta in etas]
    batches = batch_order(30, 10, 2, seed=5)[:4]
    w, b = _numpy_sgd(X.astype(float), y.astype(float), w0, b0, batches, etas)
    assert losses[-1] == pytest.approx(np.mean((X @ w + b - y) ** 2) / 2, rel=1e-4)


