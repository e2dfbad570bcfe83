"""Plots of recorded runs: the loss curve of a History, learning curves."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers import loop
from d2lhelpers import schedules as S
from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.data import synthetic_regression
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.trainers import train_fused

pytestmark = pytest.mark.unit


@pytest.mark.slow
def test_plot_history_draws_loss_and_marks_divergence():
    import matplotlib
    matplotlib.use("Agg")
    X, y = synthetic_regression(1000, seed=0)
    with pytest.warns(DivergenceWarning):
        bad = train_fused(sgd_rule(5.0), X, y, 10, 1, record_every=10, label="bad")
    good = train_fused(sgd_rule(0.2), X, y, 10, 1, record_every=100, label="good")
    ax = linreg_plot(good)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), good.epoch)
    np.testing.assert_allclose(line.get_ydata(), good.loss)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title()
    ax = linreg_plot(bad)
    k = bad.diverged_at
    assert len(ax.get_lines()[0].get_xdata()) == k       # only the finite part
    assert any(len(line.get_xdata()) == 2 and np.allclose(line.get_xdata(), bad.epoch[k])
               for line in ax.get_lines())
    assert any("diverged" in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="x must be"):
        linreg_plot(good, x="steps")


def linreg_plot(h, **kw):
    from d2lhelpers.curves import plot_history
    return plot_history(h, **kw)


def _gluon():
    from mxnet import gluon
    return gluon.loss.L2Loss()


def test_plot_learning_curves():
    X, y = synthetic_regression(40, seed=0)
    net = loop.linear_net(2)
    log = loop.fit(net, _gluon(), loop.make_trainer(net, S.Constant(0.1)), (X, y), (X, y),
                   batch_size=10, epochs=2)
    ax = loop.plot_learning_curves(log, title="curves")
    batch_line, train_line, valid_line = ax.lines
    np.testing.assert_allclose(batch_line.get_xdata(), np.arange(1, 9) / 4)
    np.testing.assert_allclose(batch_line.get_ydata(), log.batch_loss)
    np.testing.assert_allclose(train_line.get_ydata(), log.train_loss)
    np.testing.assert_allclose(valid_line.get_ydata(), log.valid_loss)
    assert ax.get_title() == "curves" and ax.get_xlabel() == "epoch" and ax.get_ylabel()
