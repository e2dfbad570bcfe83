"""d2lhelpers.tuning: the interior-grid search and the batched regression runs."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import tuning
from d2lhelpers.adaptive import adam, rmsprop
from d2lhelpers.data import synthetic_regression
from d2lhelpers.momentum import momentum
from d2lhelpers.optim import sgd

pytestmark = pytest.mark.unit


def test_search_extends_the_grid_until_the_best_is_interior():
    calls = []

    def score(v):
        calls.append(v)
        return (math.log2(v) - 5) ** 2          # best at 32, far above the grid
    found = tuning.search(score, [1, 2, 4])
    assert found.best == 32 and found.interior
    assert found.values == (1, 2, 4, 8, 16, 32, 64)
    assert calls == [1, 2, 4, 8, 16, 32, 64]   # each value scored once
    low = tuning.search(lambda v: abs(math.log10(v) + 6), [1e-2, 1e-1], factor=10)
    assert low.best == pytest.approx(1e-6) and low.values[0] == pytest.approx(1e-7)
    assert "[1e-06]" in low.grid_text()


def test_search_with_tuples_breaks_ties_by_the_second_entry_then_the_smaller_value():
    found = tuning.search(lambda v: (0.0, abs(v - 4)), [1, 2, 4, 8, 16])
    assert found.best == 4
    with pytest.raises(RuntimeError):       # all tie: the smallest wins, for ever
        tuning.search(lambda v: 1.0, [1, 2, 4])
    # a diverged value (inf) is never the best
    assert tuning.search(lambda v: math.inf if v > 2 else -v, [1, 2, 4]).best == 2


def test_search_gives_up_loudly():
    with pytest.raises(RuntimeError, match="no interior best within 6"):
        tuning.search(lambda v: -v, [1, 2], max_values=6)


@pytest.mark.parametrize("call, match", [
    (lambda: tuning.search(lambda v: v, []), "grid"),
    (lambda: tuning.search(lambda v: v, [1, -2]), "grid value"),
    (lambda: tuning.search(lambda v: v, [1, 2], factor=1), "factor"),
    (lambda: tuning.geometric_grid(0, 1), "low"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_geometric_grid():
    assert tuning.geometric_grid(0.25, 4) == [0.25, 0.5, 1, 2, 4]
    assert tuning.geometric_grid(1e-3, 1, 10) == pytest.approx([1e-3, 1e-2, 1e-1, 1])


@pytest.fixture(scope="module")
def data():
    return synthetic_regression(200, seed=3)


@pytest.mark.parametrize("opt", [sgd(0.1), momentum(0.05, 0.9), rmsprop(0.2), adam(0.1)],
                         ids=["sgd", "momentum", "rmsprop", "adam"])
@pytest.mark.slow
def test_regression_runs_match_train_scratch(data, opt):
    """The numpy copy makes the same moves as the course's MXNet loop (float32)."""
    from d2lhelpers.linreg import train_scratch
    X, y = data
    runs = tuning.regression_runs(opt, X, y, 10, 2, [0, 5])
    for k, seed in enumerate((0, 5)):
        h = train_scratch(opt, X, y, 10, 2, seed=seed)
        assert runs[0, k] == pytest.approx(h.loss[0], rel=1e-6)
        assert runs[-1, k] == pytest.approx(h.loss[-1], rel=2e-3)
        assert runs[-1, k] < runs[0, k] / 10


def test_regression_runs_records_and_short_batches(data):
    X, y = data
    rec = tuning.regression_runs(sgd(0.1), X, y, 30, 1, [0], record_every=2)
    assert rec.shape == (1 + 3 + 1, 1)       # 7 updates (the last batch has 20 rows)
    rates = tuning.regression_runs([0.1] * 7, X, y, 30, 1, [0], record_every=2)
    np.testing.assert_allclose(rates, rec)
    with pytest.raises(ValueError, match="one rate per update"):
        tuning.regression_runs([0.1] * 6, X, y, 30, 1, [0])
    with pytest.raises(ValueError, match="seeds"):
        tuning.regression_runs(sgd(0.1), X, y, 30, 1, [])


def test_a_diverging_seed_stays_inf_and_does_not_touch_the_others(data):
    X, y = data
    rec = tuning.regression_runs(sgd(1e3), X, y, 10, 5, [0, 1], record_every=1)
    assert np.all(np.isinf(rec[-1]))
    first_inf = np.argmax(np.isinf(rec[:, 0]))
    assert np.all(np.isinf(rec[first_inf:, 0]))
    ok = tuning.regression_runs(sgd(0.1), X, y, 10, 3, [1])
    both = tuning.regression_runs(sgd(0.1), X, y, 10, 3, [0, 1])
    assert both[-1, 1] == pytest.approx(ok[-1, 0], rel=1e-12)
