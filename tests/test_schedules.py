"""Each schedule against a hand computation, against MXNet's own scheduler, and
inside a Gluon Trainer (which must step it once per update)."""
import math

import numpy as np
import pytest

from d2lhelpers import schedules as S

pytestmark = pytest.mark.unit

# --- values worked out by hand ------------------------------------------------------

HAND = [
    # Factor: halve after updates 10, 20, ...: t = 10 still 0.5, t = 11 is 0.25.
    (S.Factor(0.5, step=10, factor=0.5), {1: 0.5, 10: 0.5, 11: 0.25, 20: 0.25, 21: 0.125}),
    # The floor: 1, 0.1, 0.01, then 1e-3 for ever (1e-4 would be below it).
    (S.Factor(1.0, step=1, factor=0.1, stop_lr=1e-3), {1: 1.0, 2: 0.1, 3: 0.01, 4: 1e-3, 9: 1e-3}),
    # Warm-up 0 -> 1 over 5 updates, but the decays counted from update 0:
    # at t = 5, k = (5 - 1) // 3 = 1 already, so the rate jumps to 0.5, not 1.
    (S.Factor(1.0, step=3, factor=0.5, warmup_steps=5), {1: 0.2, 4: 0.8, 5: 0.5, 7: 0.25}),
    (S.MultiStep(1.0, (5, 8), factor=0.1), {5: 1.0, 6: 0.1, 8: 0.1, 9: 0.01, 100: 0.01}),
    (S.Exponential(2.0, 0.5), {1: 2.0, 2: 1.0, 4: 0.25}),
    (S.InversePower(1.0), {1: 1.0, 4: 0.5, 100: 0.1}),
    (S.InversePower(1.0, alpha=1.0), {8: 0.125}),
    (S.Polynomial(1.0, 10, power=2), {5: 0.25, 10: 0.0, 11: 0.0}),
    (S.Polynomial(1.0, 10, power=2, final=0.1), {5: 0.325, 10: 0.1, 50: 0.1}),
    (S.Cosine(1.0, 10), {5: 0.5, 10: 0.0, 12: 0.0}),
    (S.Cosine(1.0, 10, final=0.2), {5: 0.6}),
    # Warm-up from 0.2 over 4 updates, then cosine over the 8 updates 4..12.
    (S.warmup_cosine(1.0, 4, 12, warmup_begin=0.2), {1: 0.4, 3: 0.8, 4: 1.0, 8: 0.5, 12: 0.0}),
    (S.Constant(0.3), {1: 0.3, 1000: 0.3}),
]


@pytest.mark.parametrize("schedule, expected", HAND, ids=lambda x: type(x).__name__)
def test_values_by_hand(schedule, expected):
    for t, eta in expected.items():
        assert schedule(t) == pytest.approx(eta, rel=1e-12, abs=1e-15), t


# --- against MXNet ------------------------------------------------------------------

MXNET_CASES = [
    S.Factor(0.5, step=10, factor=0.5),
    S.Factor(0.5, step=3, factor=0.1),  # reaches the default floor 1e-8
    S.Factor(0.3, step=7, factor=0.5, warmup_steps=20, warmup_begin=0.01),
    S.MultiStep(0.5, (10, 50, 100), factor=0.3),
    S.MultiStep(0.5, (10, 50), factor=0.3, warmup_steps=30, warmup_begin=0.1),
    S.Exponential(0.5, 0.97),
    S.Polynomial(0.5, 200, power=2),
    S.Polynomial(0.5, 200, power=1.5, final=0.01, warmup_steps=20, warmup_begin=0.05),
    S.Cosine(0.5, 300),
    S.warmup_cosine(0.5, 25, 300, final=0.02),
    S.Constant(0.1),
    S.InversePower(0.5),
]


@pytest.mark.parametrize("schedule", MXNET_CASES, ids=lambda s: type(s).__name__)
def test_matches_mxnet_scheduler(schedule):
    ts = list(range(1, 400))
    np.testing.assert_allclose(schedule.values(ts), S.mxnet_values(schedule.to_mxnet(), ts),
                               rtol=1e-12, atol=1e-15)


def test_mxnet_values_walks_every_update_and_leaves_the_scheduler_alone():
    import mxnet as mx
    poly = mx.lr_scheduler.PolyScheduler(max_update=10, base_lr=1.0, pwr=1)
    # Called cold at t > max_update, MXNet returns its stale base rate ...
    assert mx.lr_scheduler.PolyScheduler(max_update=10, base_lr=1.0, pwr=1)(50) == 1.0
    # ... but walked update by update, as a Trainer does, it ends at final_lr.
    assert S.mxnet_values(poly, [50, 5]).tolist() == [0.0, 0.5]
    factor = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0)
    S.mxnet_values(factor, [40])
    assert factor.base_lr == 1.0 and factor.count == 0


def _trainer_rates(schedule, updates):
    """Train w with loss = w (gradient 1) and return the step sizes actually taken."""
    import mxnet as mx
    from mxnet import autograd, gluon
    w = gluon.Parameter("w", shape=(1,))
    w.initialize(init=mx.init.Zero(), ctx=mx.cpu())
    trainer = gluon.Trainer([w], "sgd", {"lr_scheduler": schedule.to_mxnet()})
    values, reported = [0.0], []
    for _ in range(updates):
        with autograd.record():
            loss = w.data().sum()
        loss.backward()
        trainer.step(1)
        values.append(float(w.data().asscalar()))
        reported.append(trainer.learning_rate)
    return -np.diff(np.array(values, dtype=np.float64)), np.array(reported)


def test_trainer_steps_the_scheduler_once_per_update():
    schedule = S.Factor(0.5, step=3, factor=0.5)
    steps, reported = _trainer_rates(schedule, 10)
    expected = schedule.values(range(1, 11))  # 0.5 x3, 0.25 x3, 0.125 x3, 0.0625
    np.testing.assert_allclose(steps, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(reported, expected, rtol=1e-12)
    # A per-epoch reading (one epoch = 3 updates) would keep 0.5 for 3 *epochs*.
    assert steps[3] == pytest.approx(0.25, rel=1e-6)


@pytest.mark.parametrize("schedule", MXNET_CASES + [S.warmup_cosine(0.4, 4, 12),
                                                   S.PerEpoch(lambda e: 0.3 / e, 4)],
                         ids=lambda s: type(s).__name__)
def test_every_schedule_drives_a_trainer_update_by_update(schedule):
    """to_mxnet() (MXNet's own scheduler where it has one, else a wrapper) makes
    a Trainer take exactly the steps eta_1, eta_2, ... of the schedule."""
    steps, _ = _trainer_rates(schedule, 30)
    # w is float32 and grows to a few units: its differences carry ~1e-6 error
    np.testing.assert_allclose(steps, schedule.values(range(1, 31)), rtol=1e-6, atol=2e-6)


# --- Robbins-Monro ------------------------------------------------------------------

def test_robbins_monro_partial_sums():
    """The schedules the chapter calls Robbins-Monro (1/t, inverse time) have a
    growing sum of rates and a bounded sum of squares; 1/sqrt(t) has an
    unbounded sum of squares, and a step decay a finite budget."""
    T = 10 ** 4
    t = np.arange(1, T + 1)
    one_over_t = S.InversePower(1.0, alpha=1.0).values(t)
    # the tails: sum_{t > T} 1/t^2 = 1/T - 1/(2T^2) + ..., H_T = log T + gamma + 1/(2T) - ...
    assert np.sum(one_over_t ** 2) == pytest.approx(math.pi ** 2 / 6 - 1 / T, abs=1e-8)
    assert np.sum(one_over_t) == pytest.approx(math.log(T) + 0.5772156649 + 1 / (2 * T),
                                               abs=1e-8)
    inv = S.InverseTime(1.0, 0.5).values(t)                 # 2 / (2 + t)
    assert np.sum(inv) - np.sum(inv[:T // 10]) > 2 * math.log(9)   # keeps growing
    assert np.sum(inv ** 2) < 4 * math.pi ** 2 / 6          # sum 4 / (2 + t)^2 converges
    root = S.InversePower(1.0, alpha=0.5).values(t)
    assert np.sum(root ** 2) == pytest.approx(np.sum(one_over_t), rel=1e-12)
    budget = S.Factor(1.0, step=10, factor=0.5, stop_lr=0.0).values(t)  # 10 (1 + 1/2 + ...)
    assert np.sum(budget) == pytest.approx(20.0, abs=1e-9)


# --- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("make, match", [
    (lambda: S.Constant(0), "eta0"),
    (lambda: S.Constant(float("nan")), "eta0"),
    (lambda: S.Factor(0.1, step=0), "step"),
    (lambda: S.Factor(0.1, step=2.5), "step"),
    (lambda: S.Factor(0.1, step=2, factor=1.5), "factor"),
    (lambda: S.Factor(0.1, step=2, factor=0), "factor"),
    (lambda: S.Factor(0.1, step=2, stop_lr=-1), "stop_lr"),
    (lambda: S.Factor(0.1, step=2, warmup_steps=-1), "warmup_steps"),
    (lambda: S.Factor(0.1, step=2, warmup_steps=3, warmup_begin=0.5), "warmup_begin"),
    (lambda: S.MultiStep(0.1, ()), "milestones"),
    (lambda: S.MultiStep(0.1, (5, 5)), "milestones"),
    (lambda: S.MultiStep(0.1, (5, 0)), "milestone"),
    (lambda: S.Exponential(0.1, 1.2), "gamma"),
    (lambda: S.InversePower(0.1, alpha=0), "alpha"),
    (lambda: S.Polynomial(0.1, 0), "max_update"),
    (lambda: S.Polynomial(0.1, 10, power=-1), "power"),
    (lambda: S.Polynomial(0.1, 10, final=0.2), "final"),
    (lambda: S.Cosine(0.1, 5, warmup_steps=5), "max_update"),
    (lambda: S.warmup_cosine(0.1, 0, 10), "warmup_steps"),
])
def test_bad_arguments_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_update_numbers_and_types():
    s = S.Cosine(0.1, 10)
    for t in (0, -1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="update number t"):
            s(t)
    assert s(np.int64(5)) == pytest.approx(0.05)
    with pytest.raises(TypeError, match="milestones"):
        S.MultiStep(0.1, 5)
    with pytest.raises(TypeError, match="scheduler"):
        S.mxnet_values(s, [1])
    with pytest.raises(TypeError, match="schedule"):
        S.MXNetAdapter(0.1)


# --- the one schedule protocol: per-epoch rates, noisy SGD, the trainers -------------

def test_per_epoch_schedule_holds_the_rate_through_each_epoch():
    sched = S.PerEpoch(lambda e: 1.0 / e, updates_per_epoch=3)
    assert sched.values(range(1, 8)).tolist() == [1, 1, 1, 0.5, 0.5, 0.5, 1 / 3]
    with pytest.raises(ValueError, match="rate of epoch 2"):
        S.PerEpoch(lambda e: 1.0 if e == 1 else -1.0, 2)(3)
    with pytest.raises(TypeError, match="rate_of_epoch"):
        S.PerEpoch(0.1, 2)
    with pytest.raises(ValueError, match="updates_per_epoch"):
        S.PerEpoch(lambda e: 0.1, 0)


def test_inverse_time_by_hand():
    sched = S.InverseTime(0.6, decay=0.5)
    assert [sched(t) for t in (1, 2, 4)] == pytest.approx([0.4, 0.3, 0.2])
    with pytest.raises(ValueError, match="decay"):
        S.InverseTime(1.0, -0.1)


def test_textbook_decay_is_a_per_epoch_schedule():
    from d2lhelpers.textbook import decay_schedule, decayed
    sched = decay_schedule(0.2, updates_per_epoch=4)
    rates = sched.values(range(1, 17))
    assert rates.tolist() == pytest.approx([0.2] * 8 + [0.02] * 4 + [0.002] * 4)
    assert [decayed(0.2, e) for e in (1, 2, 3, 4)] == pytest.approx([0.2, 0.2, 0.02, 0.002])


def test_gluon_trainer_takes_a_schedule_per_update():
    """train_gluon(schedule=...) steps with schedule(t) at update t: 12 samples,
    batches of 4, so 3 updates per epoch; the loss is linear in w only through
    the data, so compare with the scratch trainer on the same schedule."""
    from d2lhelpers.data import synthetic_regression
    from d2lhelpers.optim import sgd
    from d2lhelpers.trainers import train_gluon, train_scratch
    X, y = synthetic_regression(12, seed=0)
    sched = S.Factor(0.3, step=2, factor=0.5)
    g = train_gluon("sgd", {}, X, y, 4, 3, seed=1, record_every=4, schedule=sched)
    s = train_scratch(sgd, X, y, 4, 3, seed=1, record_every=4, schedule=sched)
    np.testing.assert_allclose(np.array(g.params), np.array(s.params), atol=1e-6)
    # a different schedule gives a different path: the schedule is really used
    c = train_scratch(sgd(0.3), X, y, 4, 3, seed=1, record_every=4)
    assert np.abs(np.array(c.params) - np.array(s.params)).max() > 1e-3
    with pytest.raises(ValueError, match="learning_rate"):
        train_gluon("sgd", {"learning_rate": 0.1}, X, y, 4, 1, schedule=sched)
    with pytest.raises(TypeError, match="schedule"):
        train_gluon("sgd", {}, X, y, 4, 1, schedule=lambda t: 0.1)


def test_noisy_sgd_scales_a_unit_schedule():
    from d2lhelpers.noisy import constant, inverse_time, noisy_sgd
    assert isinstance(constant, S.Schedule) and constant(5) == 1.0
    assert isinstance(inverse_time(0.5), S.Schedule)
    with pytest.raises(TypeError, match="schedule"):
        noisy_sgd(0.1, schedule=lambda t: 1.0)
