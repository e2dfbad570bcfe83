"""Tests for the SGD chapter's helpers: data, batch order, the three trainers,
gradient estimates, the noisy 2D demo and the progress reporter."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.data import batch_order, minibatch_indices, synthetic_regression, with_replacement
from d2lhelpers.gradients import minibatch_grads, sample_grads
from d2lhelpers.linreg import (History, decayed, full_loss, sgd, train, train_fused, train_gluon,
                               train_scratch)
from d2lhelpers.optim import Optimizer
from d2lhelpers.optim import sgd as sgd_rule


# --- data and batch order -----------------------------------------------------

def test_synthetic_regression_shapes_and_truth():
    X, y = synthetic_regression(2000, seed=1)
    assert X.shape == (2000, 2) and y.shape == (2000,)
    assert X.dtype == np.float32 and y.dtype == np.float32
    # least squares recovers the generating parameters to within the noise
    A = np.hstack([X, np.ones((2000, 1), np.float32)]).astype(np.float64)
    coef = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)[0]
    np.testing.assert_allclose(coef, [2.0, -3.4, 4.2], atol=2e-3)
    resid = y - A @ coef
    assert 0.009 < resid.std() < 0.011          # the noise level 0.01
    X2, y2 = synthetic_regression(2000, seed=1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, synthetic_regression(2000, seed=2)[0])


def test_every_sample_exactly_once_per_epoch():
    batches = list(minibatch_indices(103, 10, seed=5))
    assert [len(b) for b in batches] == [10] * 10 + [3]
    assert sorted(np.concatenate(batches).tolist()) == list(range(103))
    # shuffled, not in order
    assert np.concatenate(batches).tolist() != list(range(103))


def test_batch_order_seeded_and_fresh_each_epoch():
    a = batch_order(50, 7, 3, seed=11)
    b = batch_order(50, 7, 3, seed=11)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    per_epoch = math.ceil(50 / 7)
    assert len(a) == 3 * per_epoch
    epochs = [np.concatenate(a[e * per_epoch:(e + 1) * per_epoch]) for e in range(3)]
    for perm in epochs:
        assert sorted(perm.tolist()) == list(range(50))
    assert not np.array_equal(epochs[0], epochs[1])
    first = np.concatenate(list(minibatch_indices(50, 7, seed=11)))
    assert np.array_equal(first, epochs[0])
    c = np.concatenate(batch_order(50, 7, 1, seed=12))
    assert not np.array_equal(c, epochs[0])


def test_with_replacement_repeats_samples():
    draws = with_replacement(20, 20, 1, seed=0)[0]
    assert len(draws) == 20 and len(set(draws.tolist())) < 20


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=0, batch_size=1), "n"), (dict(n=10, batch_size=0), "batch_size"),
    (dict(n=10, batch_size=11), "batch_size"), (dict(n=10, batch_size=2.5), "batch_size"),
])
def test_bad_iterator_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        list(minibatch_indices(seed=0, **kwargs))


def test_bad_seed_and_epochs():
    with pytest.raises(TypeError, match="seed"):
        list(minibatch_indices(10, 2, seed="a"))
    with pytest.raises(ValueError, match="epochs"):
        batch_order(10, 2, 0, seed=0)


# --- the trainers --------------------------------------------------------------

def _hand_sgd(X, y, w, b, lr, order):
    """Plain numpy mini-batch SGD on mean (x.w + b - y)^2 / 2, float64."""
    w, b = np.array(w, float), float(b)
    out = [np.append(w, b)]
    for idx in order:
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


def test_textbook_sgd_divides_by_batch_size():
    from mxnet import nd
    p = nd.array([1.0, 2.0])
    p.attach_grad()
    p.grad[:] = nd.array([4.0, -8.0])
    sgd([p], 0.5, 4)
    np.testing.assert_allclose(p.asnumpy(), [0.5, 3.0])


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
    assert [decayed(0.2, e) for e in (1, 2, 3, 4)] == pytest.approx([0.2, 0.2, 0.02, 0.002])
    order = batch_order(60, 60, 3, seed=0)
    hand = [np.array([0.0, 0.0, 0.0])]
    for e, idx in enumerate(order, start=1):
        hand.append(_hand_sgd(X.astype(float), y.astype(float), hand[-1][:2], hand[-1][2],
                              decayed(0.2, e), [idx])[-1])
    hs = train_scratch(lambda e: sgd_rule(decayed(0.2, e)), X, y, 60, 3, w0=[0, 0], b0=0)
    hg = train_gluon("sgd", {"learning_rate": 0.2}, X, y, 60, 3, w0=[0, 0], b0=0,
                     lr_schedule=lambda e: decayed(0.2, e))
    np.testing.assert_allclose(np.array(hs.params), np.array(hand), atol=1e-5)
    np.testing.assert_allclose(np.array(hg.params), np.array(hand), atol=1e-5)


def test_divergence_is_detected_and_reported(capsys):
    import matplotlib
    matplotlib.use("Agg")
    with pytest.warns(DivergenceWarning, match="diverged"):
        h = train(10, 5.0, epochs=3, period=10, seed=0)
    k = h.diverged_at
    assert k is not None and 0 < k < len(h.loss)
    assert not math.isfinite(h.loss[k]) and all(math.isfinite(v) for v in h.loss[:k])
    assert len(h.loss) == k + 1          # the run stopped there
    assert "DIVERGED" in capsys.readouterr().out
    with pytest.warns(DivergenceWarning):
        hf = train_fused(sgd_rule(5.0), *synthetic_regression(1000, seed=0), 10, 3,
                         record_every=10)
    assert hf.diverged_at is not None


def test_converging_runs_of_the_chapter(capsys):
    import matplotlib
    matplotlib.use("Agg")
    h = train(1000, 0.999, epochs=3, period=1000, seed=0)
    assert h.diverged_at is None and h.loss[-1] < h.loss[0]
    slow = train(10, 0.002, epochs=3, period=10, seed=0)
    assert slow.loss[-1] > 100 * h.loss[-1]
    out = capsys.readouterr().out
    assert "batch 1000, lr 0.999" in out


@pytest.mark.parametrize("call, match", [
    (lambda X, y: train_scratch(sgd_rule(0.1), X, y, 0, 1), "batch_size"),
    (lambda X, y: train_scratch(sgd_rule(0.1), X, y, 4, 1, record_every=6), "record_every"),
    (lambda X, y: train_scratch("sgd", X, y, 4, 1), "opt"),
    (lambda X, y: train_gluon(0.1, {}, X, y, 4, 1), "optimizer"),
    (lambda X, y: train_gluon("sgd", {"learning_rate": -1}, X, y, 4, 1), "learning rate"),
    (lambda X, y: train_fused(sgd_rule(0.1), X[:5], y, 4, 1), "same number of samples"),
    (lambda X, y: train_fused(sgd_rule(0.1), X, y, 4, 1, w0=[1, 2, 3]), "w0"),
    (lambda X, y: train(4, float("nan")), "learning rate"),
])
def test_bad_training_arguments(small, call, match):
    X, y = small
    with pytest.raises((ValueError, TypeError), match=match):
        call(X, y)


# --- gradient estimates ----------------------------------------------------------

def test_sample_grads_match_autograd(small):
    from mxnet import autograd, nd
    X, y = small
    w, b = np.array([0.3, -0.2]), 0.7
    G = sample_grads(X, y, w, b)
    wn, bn = nd.array(w).reshape((2, 1)), nd.array([b])
    wn.attach_grad(), bn.attach_grad()
    with autograd.record():
        loss = ((nd.dot(nd.array(X), wn) + bn - nd.array(y).reshape((-1, 1))) ** 2 / 2).mean()
    loss.backward()
    np.testing.assert_allclose(G.mean(axis=0)[:2], wn.grad.asnumpy().ravel(), rtol=1e-4)
    np.testing.assert_allclose(G.mean(axis=0)[2], bn.grad.asscalar(), rtol=1e-4)


@pytest.mark.parametrize("replace", [True, False])
def test_minibatch_gradient_unbiased_variance_one_over_b(replace):
    X, y = synthetic_regression(200, seed=0)
    w, b = np.zeros(2), 0.0
    G = sample_grads(X, y, w, b)
    full, sigma2 = G.mean(axis=0), G.var(axis=0)          # population variance
    n = len(G)
    for bs in (1, 4, 16, 64):
        est = minibatch_grads(X, y, w, b, bs, 4000, seed=bs, replace=replace)
        expected = sigma2 / bs * (1 if replace else (n - bs) / (n - 1))
        # unbiased: the mean of 4000 draws is within 4 standard errors of the full gradient
        assert np.all(np.abs(est.mean(axis=0) - full) < 4 * np.sqrt(expected / 4000))
        np.testing.assert_allclose(est.var(axis=0), expected, rtol=0.1)


def test_fused_schedule_matches_scratch(small):
    X, y = small
    sched = lambda e: sgd_rule(decayed(0.3, e))
    hs = train_scratch(sched, X, y, 4, 3, seed=1, record_every=20)
    hf = train_fused(sched, X, y, 4, 3, seed=1, record_every=20)
    np.testing.assert_allclose(np.array(hs.params), np.array(hf.params), atol=1e-5)


def test_accumulated_gradient_is_the_full_gradient(small):
    from d2lhelpers.gradients import accumulated_gradient
    X, y = small
    full = sample_grads(X, y, [0.2, 0.1], -0.4).mean(axis=0)
    for bs in (1, 7, 60):
        np.testing.assert_allclose(accumulated_gradient(X, y, [0.2, 0.1], -0.4, bs), full,
                                   rtol=1e-5)


# --- the noisy 2D demo, the two wells, progress, plots ------------------------------

def test_noisy_sgd_is_seeded_and_matches_hand_computation():
    from d2lhelpers.drivers import train_2d
    from d2lhelpers.functions import CLASSIC
    from d2lhelpers.noisy import inverse_time, noisy_sgd
    a = train_2d(noisy_sgd(0.1, seed=3), steps=5, f_grad=CLASSIC.grad, verbose=False)
    b = train_2d(noisy_sgd(0.1, seed=3), steps=5, f_grad=CLASSIC.grad, verbose=False)
    assert a == b
    # by hand: the same N(0, 1) draws, two per step, and the decayed rate 0.1 / (1 + 0.5 t)
    z = np.random.default_rng(3).standard_normal(10).reshape(5, 2)
    x1, x2 = -5.0, -2.0
    run = train_2d(noisy_sgd(0.1, seed=3, schedule=inverse_time(0.5)), steps=5,
                   f_grad=CLASSIC.grad, verbose=False)
    for t in range(1, 6):
        eta = 0.1 / (1 + 0.5 * t)
        x1, x2 = x1 - eta * (2 * x1 + z[t - 1, 0]), x2 - eta * (4 * x2 + z[t - 1, 1])
        assert run[t] == pytest.approx((x1, x2), abs=1e-12)


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


def test_noisy_bad_arguments():
    from d2lhelpers.noisy import inverse_time, noisy_sgd
    with pytest.raises(ValueError, match="learning rate"):
        noisy_sgd(0.0)
    with pytest.raises(ValueError, match="decay"):
        inverse_time(-1)
    with pytest.raises(TypeError, match="schedule"):
        noisy_sgd(0.1, schedule=3)


def test_two_wells_gradient_and_escape():
    from d2lhelpers.noisy import TwoWells, noisy_descent
    wells = TwoWells()
    xs = np.linspace(-3, 3, 13)
    numeric = (wells.f(xs + 1e-6) - wells.f(xs - 1e-6)) / 2e-6
    np.testing.assert_allclose(wells.grad(xs), numeric, atol=1e-5)
    assert wells.f(0.998) < wells.f(-1.0)           # the sharp well is the deeper one
    calm = noisy_descent(wells.grad, 1.0, 0.015, 2000, 0.0, walkers=5)
    np.testing.assert_allclose(calm[-1], 0.998, atol=2e-3)
    noisy_end = noisy_descent(wells.grad, 1.0, 0.015, 2000, 6.0, walkers=200, seed=0)[-1]
    assert np.mean(noisy_end < 0.5) > 0.6


def test_progress_lines_are_deterministic(capsys):
    from d2lhelpers.progress import Progress
    p = Progress(2, "runs")
    assert p.done("first") == "[1/2] runs: first"
    assert p.done() == "[2/2] runs"
    assert capsys.readouterr().out == "[1/2] runs: first\n[2/2] runs\n"
    with pytest.raises(ValueError, match="already done"):
        p.done("third")
    with pytest.raises(ValueError, match="total"):
        Progress(0)


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
    assert any(len(l.get_xdata()) == 2 and np.allclose(l.get_xdata(), bad.epoch[k])
               for l in ax.get_lines())
    assert any("diverged" in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="x must be"):
        linreg_plot(good, x="steps")


def linreg_plot(h, **kw):
    from d2lhelpers.linreg import plot_history
    return plot_history(h, **kw)


def test_sweep_records_and_progress(capsys):
    from d2lhelpers.linreg import sweep
    X, y = synthetic_regression(200, seed=0)
    runs = sweep([1, 200], [0.1, 1.0], X, y, epochs=2)
    assert capsys.readouterr().out.splitlines() == [
        "[1/2] batch sizes: batch size 1 done", "[2/2] batch sizes: batch size 200 done"]
    assert runs[0].samples == list(range(0, 401, 20))
    assert runs[1].samples == [0, 200, 400]
    np.testing.assert_allclose(runs[0].w, [2.0, -3.4], atol=0.02)
    assert runs[1].loss[-1] < runs[1].loss[0] / 100     # two full-batch steps
    with pytest.raises(ValueError, match="same length"):
        sweep([1, 2], [0.1], X, y)


def test_time_gradient_shapes_and_bad_input():
    from d2lhelpers.gradients import time_gradient
    X, y = synthetic_regression(100, seed=0)
    t = time_gradient(X, y, [1, 100], repeats=2)
    assert t.batch_sizes.tolist() == [1, 100] and t.per_step.shape == (2,)
    assert np.all(t.per_step > 0)
    with pytest.raises(ValueError, match="exceeds"):
        time_gradient(X, y, [101])


def test_bench_baseline_trains_and_profiles():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "bench" / "bench_sgd.py"
    spec = importlib.util.spec_from_file_location("bench_sgd", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    X, y = synthetic_regression(500, seed=0)
    w, b = bench.straightforward(X, y, 10, 0.1, epochs=3)
    np.testing.assert_allclose(np.append(w, b), [2.0, -3.4, 4.2], atol=0.01)
    prof = bench.profile_batch_size_1(X, y, steps=50)
    assert set(prof) == {"NDArrayIter + reshape", "forward", "backward", "trainer.step"}
    assert all(v > 0 for v in prof.values())


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
