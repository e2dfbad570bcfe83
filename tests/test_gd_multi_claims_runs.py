"""Facts the many-dimensions chapter prints (its demonstration runs)."""
from __future__ import annotations
import numpy as np
import pytest
import d2lhelpers as d2l
from d2lhelpers.functions import CLASSIC
from d2lhelpers.optim import as_trainer, sgd

pytestmark = pytest.mark.chapter


def test_classic_demo_matches_hand_computation(capsys):
    results = d2l.train_2d(as_trainer(sgd(0.1)), f_grad=CLASSIC.grad)
    assert capsys.readouterr().out == "epoch 20, x1: -0.057646, x2: -0.000073\n"
    # x1 <- (1 - 0.1*2) x1 = 0.8 x1 and x2 <- (1 - 0.1*4) x2 = 0.6 x2.
    expected = [(-5 * 0.8 ** k, -2 * 0.6 ** k) for k in range(21)]
    np.testing.assert_allclose(results, expected, rtol=1e-13)
    assert results[-1][0] == pytest.approx(-0.05764607523034242, rel=1e-12)
