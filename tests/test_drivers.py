"""The 1D and 2D drivers: exact iterates, the textbook conventions, bad input."""
import math
import warnings

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.functions import CLASSIC, square_grad
from d2lhelpers.optim import as_trainer, sgd

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("eta", [0.05, 0.2, 0.45, 0.5, 0.8, 1.0, 1.1])
def test_gd_on_square_matches_closed_form(eta):
    results = d2l.gd(eta, square_grad, verbose=False)
    assert len(results) == 11
    for k, x in enumerate(results):
        assert x == pytest.approx(10 * (1 - 2 * eta) ** k, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("eta, printed", [
    (0.2, "epoch 10, x: 0.060466"),    # 10 * 0.6**10
    (0.05, "epoch 10, x: 3.486784"),   # 10 * 0.9**10
    (1.1, "epoch 10, x: 61.917364"),   # 10 * (-1.2)**10
])
def test_gd_prints_the_classic_line(capsys, eta, printed):
    d2l.gd(eta, square_grad)
    assert capsys.readouterr().out.strip() == printed


def test_gd_start_and_steps_are_configurable():
    results = d2l.gd(0.25, square_grad, x0=-4.0, steps=3, verbose=False)
    assert results == [-4.0, -2.0, -1.0, -0.5]


@pytest.mark.parametrize("eta", [0, -0.1, math.inf, math.nan, "0.1", None, True])
def test_gd_rejects_bad_learning_rates(eta):
    with pytest.raises(ValueError, match="learning rate"):
        d2l.gd(eta, square_grad)


@pytest.mark.parametrize("steps", [-1, 2.5, "3", None])
def test_bad_step_counts_are_rejected(steps):
    with pytest.raises(ValueError, match="steps"):
        d2l.gd(0.1, square_grad, steps=steps)
    with pytest.raises(ValueError, match="steps"):
        d2l.train_2d(as_trainer(sgd(0.1)), steps=steps, f_grad=CLASSIC.grad)


def test_zero_steps_returns_only_the_start(capsys):
    assert d2l.train_2d(as_trainer(sgd(0.1)), steps=0, f_grad=CLASSIC.grad) == [(-5.0, -2.0)]
    assert capsys.readouterr().out.strip() == "epoch 0, x1: -5.000000, x2: -2.000000"


def test_train_2d_convention(capsys):
    """Start (-5, -2), state starts at 0 and is passed back, steps + 1 points."""
    seen_states = []

    def trainer(x1, x2, s1, s2):
        seen_states.append((s1, s2))
        return x1 + 1, x2 * 0.5, s1 + 1, s2 + 10

    results = d2l.train_2d(trainer, steps=3)
    assert results == [(-5.0, -2.0), (-4.0, -1.0), (-3.0, -0.5), (-2.0, -0.25)]
    assert seen_states == [(0, 0), (1, 10), (2, 20)]
    assert capsys.readouterr().out.strip() == "epoch 3, x1: -2.000000, x2: -0.250000"


def test_train_2d_passes_f_grad_only_when_given():
    calls = []

    def trainer(*args):
        calls.append(len(args))
        return args[0], args[1], 0, 0

    d2l.train_2d(trainer, steps=1, verbose=False)
    d2l.train_2d(trainer, steps=1, f_grad=CLASSIC.grad, verbose=False)
    assert calls == [4, 5]


def test_classic_2d_demo_matches_per_coordinate_closed_form(capsys):
    """GD on x1^2 + 2 x2^2 with eta = 0.1: x1 contracts by 0.8, x2 by 0.6 per step."""
    results = d2l.train_2d(as_trainer(sgd(0.1)), f_grad=CLASSIC.grad)
    assert len(results) == 21
    for k, (x1, x2) in enumerate(results):
        assert x1 == pytest.approx(-5 * 0.8 ** k, rel=1e-12)
        assert x2 == pytest.approx(-2 * 0.6 ** k, rel=1e-12)
    assert capsys.readouterr().out.strip() == "epoch 20, x1: -0.057646, x2: -0.000073"


@pytest.mark.parametrize("bad", [(1, 2, 3), [1, 2], None, 5, (1, "x", 0, 0)])
def test_malformed_trainer_gets_a_clear_error(bad):
    with pytest.raises(TypeError, match="trainer"):
        d2l.train_2d(lambda x1, x2, s1, s2: bad, steps=2, verbose=False)


def test_non_callable_trainer():
    with pytest.raises(TypeError, match="callable"):
        d2l.train_2d("sgd", steps=2)


def test_divergence_stops_at_the_last_finite_point_with_a_warning():
    with pytest.warns(DivergenceWarning, match="step 2"):
        results = d2l.train_2d(lambda x1, x2, s1, s2: (x1 * 1e200, x2, s1, s2),
                               steps=20, verbose=False)
    # -5, -5e200, then -5e400 = -inf at step 2: the trace keeps the two finite points
    assert results == [(-5.0, -2.0), (-5.0 * 1e200, -2.0)] and results.diverged_at == 2


def test_1d_overflow_is_reported_not_raised():
    with pytest.warns(DivergenceWarning, match="step 1"):
        results = d2l.run_1d(lambda x: x ** 2, x0=1e200, steps=5, verbose=False)
    assert results == [1e200] and results.diverged_at == 1


def test_run_1d_drops_a_nan_iterate_and_says_it_diverged(capsys):
    """The reviewer's case: an update that returns nan at step 3. The trace ends
    at the last finite point (x_2), not at the nan, and the run says so."""
    def update(x):
        return x / 2 if x > 3 else math.nan
    with pytest.warns(DivergenceWarning, match="diverged.*step 3"):
        results = d2l.run_1d(update, x0=10.0, steps=10)
    assert results == [10.0, 5.0, 2.5] and results.diverged_at == 3
    assert all(math.isfinite(x) for x in results)
    out = capsys.readouterr().out
    assert out == "epoch 2, x: 2.500000 (diverged: step 3 is not finite)\n"


def test_gd_and_train_2d_keep_one_convention_with_optim_run():
    """run_1d, gd, train_2d and optim.run all end at the last finite iterate."""
    from d2lhelpers import optim
    with d2l.allow_divergence():
        one = d2l.gd(1e155, lambda x: x * x, x0=1.0, steps=10, verbose=False)
        two = d2l.train_2d(optim.as_trainer(optim.gd(1e155)),
                           f_grad=lambda a, b: (a * a, b), x0=(1.0, 1.0), steps=10,
                           verbose=False)
        arr = optim.run(optim.gd(1e155), lambda x: x * x, [1.0], 10)
    # 1, then 1 - 1e155, then 1e155 * 1e310 = inf at step 2
    assert one.diverged_at == two.diverged_at == len(arr) == len(one) == 2
    assert np.all(np.isfinite(arr)) and np.all(np.isfinite(np.array(two)))
    np.testing.assert_array_equal(arr[:, 0], one)
    np.testing.assert_array_equal(np.array(two)[:, 0], one)


def test_a_finished_run_has_no_divergence():
    results = d2l.run_1d(lambda x: x / 2, steps=3, verbose=False)
    assert results == [10.0, 5.0, 2.5, 1.25] and results.diverged_at is None


def test_allow_divergence_silences_only_divergence():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with d2l.allow_divergence():
            d2l.run_1d(lambda x: x * 1e300, x0=1e10, steps=3, verbose=False)
