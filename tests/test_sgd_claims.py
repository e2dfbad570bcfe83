"""Facts the SGD chapter states about its runs."""
from __future__ import annotations

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
