"""Facts the SGD chapter states about its runs (the slower ones, which train)."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.textbook import train

pytestmark = pytest.mark.chapter


def test_converging_runs_of_the_chapter(capsys):
    import matplotlib
    matplotlib.use("Agg")
    h = train(1000, 0.999, epochs=3, period=1000, seed=0)
    assert h.diverged_at is None and h.loss[-1] < h.loss[0]
    slow = train(10, 0.002, epochs=3, period=10, seed=0)
    assert slow.loss[-1] > 100 * h.loss[-1]
    out = capsys.readouterr().out
    assert "batch 1000, lr 0.999" in out


def test_constant_rate_noise_ball_matches_theory():
    from d2lhelpers.drivers import train_2d
    from d2lhelpers.functions import CLASSIC
    from d2lhelpers.noisy import noisy_sgd, stationary_mean_f
    assert stationary_mean_f(0.1) == pytest.approx(0.1 / 3.6 + 0.1 / 3.2)
    run = train_2d(noisy_sgd(0.1, seed=0), steps=40000, f_grad=CLASSIC.grad, verbose=False)
    mean_f = np.mean([CLASSIC.f(*p) for p in run[1000:]])
    assert mean_f == pytest.approx(stationary_mean_f(0.1), rel=0.08)
    with pytest.raises(ValueError, match="stationary"):
        stationary_mean_f(0.6)                  # a * eta = 1.2 for the x2 coordinate
