"""The three linear-regression trainers (from scratch, Gluon, fused) against
plain numpy SGD written out by hand, and against each other."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.data import batch_order, synthetic_regression
from d2lhelpers.history import History, full_loss
from d2lhelpers.optim import Optimizer
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.textbook import decay_schedule, decayed
from d2lhelpers.trainers import train_fused, train_gluon, train_scratch

pytestmark = pytest.mark.unit


def _hand_sgd(X, y, w, b, lr, order, rates=None):
    """Plain numpy mini-batch SGD on mean (x.w + b - y)^2 / 2, float64; the
    rate is ``lr``, or ``rates[k]`` for update k + 1."""
    w, b = np.array(w, float), float(b)
    out = [np.append(w, b)]
    for k, idx in enumerate(order):
        lr = lr if rates is None else rates[k]
        r = X[idx] @ w + b - y[idx]
        w = w - lr * (r[:, None] * X[idx]).mean(axis=0)
        b = b - lr * r.mean()
        out.append(np.append(w, b))
    return np.array(out)


@pytest.fixture(scope="module")
def small():
    return synthetic_regression(60, seed=3)


def test_scratch_gluon_fused_same_trajectory_as_hand(small):
    X, y = small
    X64, y64 = X.astype(float), y.astype(float)
    order = batch_order(60, 6, 2, seed=4)
    hand = _hand_sgd(X64, y64, [0.5, -1.0], 0.3, 0.1, order)
    runs = [train_scratch(sgd_rule(0.1), X, y, 6, 2, seed=4, w0=[0.5, -1.0], b0=0.3,
                          record_every=6),
            train_gluon("sgd", {"learning_rate": 0.1}, X, y, 6, 2, seed=4, w0=[0.5, -1.0],
                        b0=0.3, record_every=6),
            train_fused(sgd_rule(0.1), X, y, 6, 2, seed=4, w0=[0.5, -1.0], b0=0.3,
                        record_every=6)]
    for h in runs:
        assert isinstance(h, History) and h.diverged_at is None
        assert h.samples == list(range(0, 121, 6))
        np.testing.assert_allclose(np.array(h.params), hand, atol=2e-5)
        np.testing.assert_allclose(h.loss, [full_loss(X64, y64, p[:2], p[2]) for p in hand],
                                   rtol=1e-4)
        np.testing.assert_allclose(h.w, hand[-1, :2], atol=2e-5)
        assert h.b == pytest.approx(hand[-1, 2], abs=2e-5)


def test_first_step_by_hand():
    # two samples, one batch of 2: r = (x.w + b - y) = (1*1 + 0 + 0 - 3, 2*1 + 0 - 0) = (-2, 2)
    X = np.array([[1.0, 0.0], [2.0, 0.0]], np.float32)
    y = np.array([3.0, 0.0], np.float32)
    for h in (train_scratch(sgd_rule(0.5), X, y, 2, 1, w0=[1.0, 0.0], b0=0.0),
              train_gluon("sgd", {"learning_rate": 0.5}, X, y, 2, 1, w0=[1.0, 0.0], b0=0.0),
              train_fused(sgd_rule(0.5), X, y, 2, 1, w0=[1.0, 0.0], b0=0.0)):
        # grad_w1 = mean(r * x1) = (-2 + 4) / 2 = 1, grad_b = mean(r) = 0
        np.testing.assert_allclose(h.w, [0.5, 0.0], atol=1e-6)
        assert h.b == pytest.approx(0.0, abs=1e-6)
        # loss before: mean((-2)^2, 2^2) / 2 = 2; after, r = (-2.5, 1): (6.25 + 1) / 4
        assert h.loss == pytest.approx([2.0, 7.25 / 4])


def test_momentum_state_agrees_across_trainers(small):
    X, y = small
    mom = Optimizer("momentum", init=lambda x: 0 * x,
                    step=lambda x, g, v: (x - (0.9 * v + 0.05 * g), 0.9 * v + 0.05 * g))
    kw = dict(seed=2, record_every=10)
    hs = train_scratch(mom, X, y, 5, 2, **kw)
    hf = train_fused(mom, X, y, 5, 2, **kw)
    hg = train_gluon("sgd", {"learning_rate": 0.05, "momentum": 0.9}, X, y, 5, 2, **kw)
    np.testing.assert_allclose(np.array(hs.params), np.array(hf.params), atol=1e-5)
    np.testing.assert_allclose(np.array(hs.params), np.array(hg.params), atol=1e-5)


def test_schedule_changes_rate_per_epoch(small):
    X, y = small
    order = batch_order(60, 60, 3, seed=0)
    hand = [np.array([0.0, 0.0, 0.0])]
    for e, idx in enumerate(order, start=1):
        hand.append(_hand_sgd(X.astype(float), y.astype(float), hand[-1][:2], hand[-1][2],
                              decayed(0.2, e), [idx])[-1])
    sched = decay_schedule(0.2, updates_per_epoch=1)
    runs = [train_scratch(sgd_rule, X, y, 60, 3, w0=[0, 0], b0=0, schedule=sched),
            train_fused(sgd_rule, X, y, 60, 3, w0=[0, 0], b0=0, schedule=sched),
            train_gluon("sgd", {}, X, y, 60, 3, w0=[0, 0], b0=0, schedule=sched),
            # the older forms: a rule per epoch, a rate per epoch
            train_scratch(lambda e: sgd_rule(decayed(0.2, e)), X, y, 60, 3, w0=[0, 0], b0=0),
            train_gluon("sgd", {"learning_rate": 0.2}, X, y, 60, 3, w0=[0, 0], b0=0,
                        lr_schedule=lambda e: decayed(0.2, e))]
    for h in runs:
        np.testing.assert_allclose(np.array(h.params), np.array(hand), atol=1e-5)


@pytest.mark.slow
def test_fused_schedule_matches_scratch(small):
    """A rate that changes inside an epoch (every 2 updates, records every 5
    batches) splits the fused chunks where it changes."""
    from d2lhelpers import schedules as S
    X, y = small
    sched = S.Factor(0.3, step=2, factor=0.8)
    hs = train_scratch(sgd_rule, X, y, 4, 3, seed=1, record_every=20, schedule=sched)
    hf = train_fused(sgd_rule, X, y, 4, 3, seed=1, record_every=20, schedule=sched)
    np.testing.assert_allclose(np.array(hs.params), np.array(hf.params), atol=1e-5)
    hand = _hand_sgd(X.astype(float), y.astype(float), hs.params[0][:2], hs.params[0][2],
                     None, batch_order(60, 4, 3, seed=1), rates=sched.values(range(1, 46)))
    np.testing.assert_allclose(np.array(hs.params), hand[::5], atol=2e-5)


@pytest.mark.parametrize("call, match", [
    (lambda X, y: train_scratch(sgd_rule(0.1), X, y, 0, 1), "batch_size"),
    (lambda X, y: train_scratch(sgd_rule(0.1), X, y, 4, 1, record_every=6), "record_every"),
    (lambda X, y: train_scratch("sgd", X, y, 4, 1), "opt"),
    (lambda X, y: train_gluon(0.1, {}, X, y, 4, 1), "optimizer"),
    (lambda X, y: train_gluon("sgd", {"learning_rate": -1}, X, y, 4, 1), "learning rate"),
    (lambda X, y: train_fused(sgd_rule(0.1), X[:5], y, 4, 1), "same number of samples"),
    (lambda X, y: train_fused(sgd_rule(0.1), X, y, 4, 1, w0=[1, 2, 3]), "w0"),
    (lambda X, y: train_scratch(sgd_rule, X, y, 4, 1, schedule=lambda t: 0.1), "schedule"),
    (lambda X, y: train_gluon("sgd", {}, X, y, 4, 1, schedule=decay_schedule(0.1, 15),
                              lr_schedule=lambda e: 0.1), "not both"),
])
def test_bad_training_arguments(small, call, match):
    X, y = small
    with pytest.raises((ValueError, TypeError), match=match):
        call(X, y)


def test_short_last_batch_and_uneven_records_agree_with_hand():
    X, y = synthetic_regression(63, seed=8)
    order = batch_order(63, 6, 2, seed=1)               # ten batches of 6 and one of 3
    assert [len(b) for b in order[:11]] == [6] * 10 + [3]
    hand = _hand_sgd(X.astype(float), y.astype(float), [0.0, 0.0], 0.0, 0.05, order)
    # records after 12, 24, ..., 60 samples of each epoch and at its end (63)
    ends = np.cumsum([len(b) for b in order])
    keep = [0] + [k + 1 for k, s in enumerate(ends) if (s % 63) % 12 == 0 or s % 63 == 0]
    for train_fn in (train_scratch, train_fused):
        h = train_fn(sgd_rule(0.05), X, y, 6, 2, seed=1, w0=[0, 0], b0=0, record_every=12)
        assert h.samples == [0, 12, 24, 36, 48, 60, 63, 75, 87, 99, 111, 123, 126]
        np.testing.assert_allclose(np.array(h.params), hand[keep], atol=2e-5)
    hg = train_gluon("sgd", {"learning_rate": 0.05}, X, y, 6, 2, seed=1, w0=[0, 0], b0=0,
                     record_every=12)
    np.testing.assert_allclose(np.array(hg.params), hand[keep], atol=2e-5)
