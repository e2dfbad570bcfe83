"""The run record and its recorder."""
import math

import numpy as np
import pytest

from d2lhelpers.history import History, Recorder, full_loss, report

pytestmark = pytest.mark.unit


def test_record_every_must_be_a_multiple_of_the_batch_size():
    with pytest.raises(ValueError, match="record_every must be a multiple"):
        Recorder(10, 4, 6, "x", lambda h: 0.0)
    with pytest.raises(ValueError, match="record_every"):
        Recorder(10, 4, 0, "x", lambda h: 0.0)


def test_history_train_loss_is_the_loss():
    h = History(loss=[3.0, 2.0])
    assert h.train_loss is h.loss
    assert "final loss 2.0000e+00" in repr(h)


def test_full_loss_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    # residuals (1 + 1 - 0, 2 * 1 + 1 - 1) = (2, 2): mean of 4 / 2 = 2
    assert full_loss(X, np.array([0.0, 1.0]), [1.0, 1.0], 1.0) == 2.0
    assert math.isinf(full_loss(X, np.zeros(2), [1e300, 0.0], 0.0))


def test_report_gives_the_end_or_where_it_diverged(capsys):
    h = History(loss=[2.0, 1.0], w=np.array([1.5, -2.0]), b=0.25, samples=[0, 10],
                epoch=[0.0, 1.0], label="run")
    report(h)
    assert capsys.readouterr().out == "run: loss 1.0000e+00, w = [1.5000, -2.0000], b = 0.2500\n"
    h = History(loss=[2.0, 3.0, math.inf], samples=[0, 5, 10], epoch=[0.0, 0.5, 1.0],
                diverged_at=2, label="bad")
    report(h)
    assert capsys.readouterr().out == ("bad: DIVERGED - the loss is inf after 10 samples "
                                       "(epoch 1.00); the last finite loss was 3.0000e+00\n")
