"""The one training loop: which samples each step sees, when it records, where
a diverging run stops; and the run record every trainer returns."""
import math

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.data import batch_order
from d2lhelpers.history import Recorder
from d2lhelpers.training import EpochPlan, init_params, rule_per_update, train_epochs

pytestmark = pytest.mark.unit


def test_plan_slices_cover_each_epoch_in_batch_order():
    plan = EpochPlan(23, 5, 3, seed=4)
    order = batch_order(23, 5, 3, seed=4)
    assert plan.updates_per_epoch == 5
    assert plan.slices == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 23)]
    for e in range(3):
        batches = [plan.rows[e][lo:hi] for lo, hi in plan.slices]
        for got, want in zip(batches, order[5 * e:5 * e + 5]):
            np.testing.assert_array_equal(got, want)
        assert sorted(plan.rows[e]) == list(range(23))


def test_plan_groups_whole_batches_and_keeps_the_short_one_alone():
    assert EpochPlan(23, 5, 1, seed=0, group=3).slices == [(0, 15), (15, 20), (20, 23)]
    assert EpochPlan(20, 5, 1, seed=0, group=10).slices == [(0, 20)]
    assert EpochPlan(20, 5, 1, seed=0, group=0).slices[:2] == [(0, 5), (5, 10)]


def _fake_run(losses, n=10, batch_size=5, epochs=3, record_every=None, **hooks):
    """Drive train_epochs with a step that does nothing and a measure that
    returns the next of ``losses``; return the history and the calls seen."""
    calls = []
    it = iter(losses)
    plan = EpochPlan(n, batch_size, epochs, seed=0)
    rec = Recorder(n, batch_size, record_every, "fake", lambda h: next(it))
    h = train_epochs(plan, lambda lo, hi: calls.append(("step", lo, hi)), rec,
                     start_epoch=lambda e, rows: calls.append(("start", e)),
                     end_epoch=lambda e: calls.append(("end", e)))
    return h, calls


def test_loop_order_of_hooks_and_records():
    h, calls = _fake_run([4.0, 3.0, 2.0, 1.0])
    assert calls == [("start", 1), ("step", 0, 5), ("step", 5, 10), ("end", 1),
                     ("start", 2), ("step", 0, 5), ("step", 5, 10), ("end", 2),
                     ("start", 3), ("step", 0, 5), ("step", 5, 10), ("end", 3)]
    assert h.loss == [4.0, 3.0, 2.0, 1.0] and h.samples == [0, 10, 20, 30]
    assert h.epoch == [0.0, 1.0, 2.0, 3.0] and h.diverged_at is None
    assert len(h.time) == 4 and h.time == sorted(h.time)


def test_record_every_records_inside_the_epoch():
    h, _ = _fake_run([1.0] * 7, n=10, batch_size=5, epochs=3, record_every=5)
    assert h.samples == [0, 5, 10, 15, 20, 25, 30]


def test_divergence_stops_the_run_at_its_record():
    with pytest.warns(DivergenceWarning, match="fake diverged.*after 10 samples"):
        h, calls = _fake_run([4.0, math.nan, 0.0, 0.0])
    assert h.diverged_at == 1 and len(h.loss) == 2       # the index of the record
    assert ("end", 1) not in calls and ("start", 2) not in calls


def test_divergence_inside_an_epoch_skips_the_rest_of_it():
    with pytest.warns(DivergenceWarning):
        h, calls = _fake_run([1.0, math.inf, 0.0], n=10, batch_size=5, record_every=5)
    assert h.diverged_at == 1 and h.samples == [0, 5]
    assert calls == [("start", 1), ("step", 0, 5)]


def test_init_params_is_seeded_and_checked():
    w, b = init_params(3, seed=2)
    np.testing.assert_array_equal(w, init_params(3, seed=2)[0])
    assert w.dtype == np.float32 and b == 0.0 and np.all(np.abs(w) < 0.05)
    assert not np.array_equal(w, init_params(3, seed=3)[0])
    with pytest.raises(ValueError, match="w0"):
        init_params(2, w0=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="b0"):
        init_params(2, b0=[1.0, 2.0])


def test_rule_per_update_follows_the_schedule():
    from d2lhelpers import schedules as S
    from d2lhelpers.optim import Optimizer, sgd
    rule, varies = rule_per_update(sgd, S.MultiStep(0.4, (2,), factor=0.5))
    assert varies
    assert [rule(t, 1).hyper["eta"] for t in (1, 2, 3, 4)] == [0.4, 0.4, 0.2, 0.2]
    assert rule(3, 1) is rule(4, 1)          # one rule object while the rate stays
    fixed, varies = rule_per_update(sgd(0.1), None)
    assert not varies and fixed(7, 3).hyper == {"eta": 0.1}
    with pytest.raises(TypeError, match="schedule"):
        rule_per_update(sgd, lambda t: 0.1)
    with pytest.raises(TypeError, match="eta -> Optimizer"):
        rule_per_update(sgd(0.1), S.Constant(0.1))
    with pytest.raises(TypeError, match="opt"):
        rule_per_update("sgd", None)
    assert isinstance(fixed(1, 1), Optimizer)
