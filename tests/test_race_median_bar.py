"""The spread panel marks the median whenever it is finite, so a method whose
median counts a few diverged runs as infinite (momentum on Rosenbrock, which
shares the lowest median with Adam) still shows its bar."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from d2lhelpers import race  # noqa: E402

pytestmark = pytest.mark.unit


def _bars(ax):
    return [ln.get_xdata()[0] for ln in ax.get_lines()
            if ln.get_label() == "_median"]


def test_median_bar_with_some_diverged_runs():
    _, ax = plt.subplots()
    spread = {"momentum": np.array([0.01, 0.02, 0.03, np.inf, np.inf]),
              "adam": np.array([0.5, 0.1, 0.2]),
              "gd": np.array([np.inf, np.inf, 1.0])}
    race.draw_spread(ax, spread, floor=1e-10)
    assert _bars(ax) == pytest.approx([0.03, 0.2])   # gd's median is inf
    plt.close("all")
