"""Gradient descent on the 2D quadratics: the optimizer against closed forms
computed by hand, and the helpers of d2lhelpers.quadratic."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

import d2lhelpers as d2l
from d2lhelpers import quadratic
from d2lhelpers.quadratic import gd_run
from d2lhelpers.functions import CLASSIC, ILL_CONDITIONED, Quadratic2D

pytestmark = pytest.mark.unit


def test_ill_conditioned_zigzags_and_crawls():
    trace = gd_run(ILL_CONDITIONED, 0.4)
    # Factors 1 - 0.4*0.2 = 0.92 on x1 and 1 - 0.4*4 = -0.6 on x2.
    k = np.arange(21)
    np.testing.assert_allclose(trace[:, 0], -5 * 0.92 ** k, rtol=1e-12)
    np.testing.assert_allclose(trace[:, 1], -2 * (-0.6) ** k, rtol=1e-12)
    signs = np.sign(trace[:, 1])
    assert np.all(signs[1:] == -signs[:-1])          # x2 changes sign every step
    assert np.all(np.diff(np.abs(trace[:, 0])) < 0)  # x1 creeps monotonically
    assert trace[-1, 0] == pytest.approx(-0.9434666458139835, rel=1e-12)


def test_closed_form_helper_matches_optimizer_for_any_eta():
    for q in (CLASSIC, ILL_CONDITIONED, quadratic.with_condition_number(7)):
        for eta in (0.05, 0.2, 0.3, 0.45):
            np.testing.assert_allclose(gd_run(q, eta), quadratic.gd_closed_form(q, eta),
                                       rtol=1e-12, atol=1e-300)


def test_contraction_factors_by_hand():
    np.testing.assert_allclose(quadratic.contraction_factors(CLASSIC, 0.1), [0.8, 0.6])
    np.testing.assert_allclose(quadratic.contraction_factors(ILL_CONDITIONED, 0.4), [0.92, -0.6])


def test_stable_range_is_two_over_L():
    for q in (CLASSIC, ILL_CONDITIONED):
        assert quadratic.stable_lr_bound(q) == pytest.approx(0.5)
        # Below the bound the distance shrinks, at it x2 bounces between -2 and 2,
        # above it the iterates grow.
        assert np.linalg.norm(gd_run(q, 0.49, steps=400)[-1]) < 1e-3
        bounce = gd_run(q, 0.5, steps=6)[:, 1]
        np.testing.assert_allclose(bounce, [-2, 2, -2, 2, -2, 2, -2])
        assert abs(gd_run(q, 0.51, steps=200)[-1, 1]) > 2 * 1.04 ** 199


def test_best_lr_minimises_the_slowest_factor():
    for q, kappa in ((CLASSIC, 2), (ILL_CONDITIONED, 20)):
        eta_star = quadratic.best_lr(q)
        rho_star = np.abs(quadratic.contraction_factors(q, eta_star)).max()
        assert rho_star == pytest.approx((kappa - 1) / (kappa + 1))
        grid = np.linspace(0.01, 0.49, 481)
        slowest = [np.abs(quadratic.contraction_factors(q, eta)).max() for eta in grid]
        assert grid[int(np.argmin(slowest))] == pytest.approx(eta_star, abs=1e-3)
    assert quadratic.best_lr(CLASSIC) == pytest.approx(1 / 3)
    assert quadratic.best_lr(ILL_CONDITIONED) == pytest.approx(2 / 4.2)


def test_condition_number_family_contains_the_demos():
    assert quadratic.with_condition_number(2) == CLASSIC
    q = quadratic.with_condition_number(20)
    assert (q.a, q.b) == pytest.approx((ILL_CONDITIONED.a, ILL_CONDITIONED.b))
    assert q.condition_number == pytest.approx(20)


@pytest.mark.slow
@pytest.mark.parametrize("kappa", [1, 2, 5, 20, 100, 1000])
def test_measured_steps_equal_the_closed_form(kappa):
    q = quadratic.with_condition_number(kappa)
    for eta in (quadratic.best_lr(q), 1 / max(q.eigenvalues)):
        assert quadratic.steps_to_tolerance(q, eta) == quadratic.predicted_steps(q, eta)


def test_steps_grow_in_proportion_to_kappa():
    # Hand computation: ln(1e6) / ln 3 = 12.6 -> 13 and ln(1e6) / ln(21/19) = 138.1 -> 139.
    assert quadratic.steps_to_tolerance(CLASSIC, quadratic.best_lr(CLASSIC), x0=(1, 1)) == 13
    assert quadratic.steps_to_tolerance(ILL_CONDITIONED, quadratic.best_lr(ILL_CONDITIONED)) == 139
    q = quadratic.with_condition_number(1000)
    steps = quadratic.steps_to_tolerance(q, quadratic.best_lr(q))
    assert steps == pytest.approx(1000 / 2 * math.log(1e6), rel=0.01)
    assert steps == math.ceil(math.log(1e-6) / math.log(999 / 1001))
    # One step suffices when the problem is perfectly conditioned.
    assert quadratic.steps_to_tolerance(quadratic.with_condition_number(1), 0.25) == 1


def test_divergent_runs_fail_clearly_and_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="eta"):
            quadratic.steps_to_tolerance(CLASSIC, 0.6, max_steps=5000)
        with pytest.raises(ValueError, match="eta"):
            quadratic.predicted_steps(CLASSIC, 0.5)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: quadratic.with_condition_number(0.5), ValueError, "kappa"),
    (lambda: quadratic.with_condition_number(float("nan")), ValueError, "kappa"),
    (lambda: quadratic.with_condition_number(True), ValueError, "kappa"),
    (lambda: quadratic.contraction_factors(CLASSIC, -0.1), ValueError, "eta"),
    (lambda: quadratic.contraction_factors("classic", 0.1), TypeError, "Quadratic2D"),
    (lambda: quadratic.best_lr(Quadratic2D(-1.0, 2.0)), ValueError, "curvatures"),
    (lambda: quadratic.steps_to_tolerance(CLASSIC, 0.1, tol=0), ValueError, "tol"),
    (lambda: quadratic.steps_to_tolerance(CLASSIC, 0.1, tol=1.5), ValueError, "tol"),
    (lambda: quadratic.steps_to_tolerance(CLASSIC, 0.1, x0=(0, 0)), ValueError, "x0"),
    (lambda: quadratic.predicted_steps(CLASSIC, 0.1, x0=(1, 2, 3)), ValueError, "x0"),
    (lambda: quadratic.steps_to_tolerance(CLASSIC, 0.1, max_steps=-1), ValueError, "steps"),
    (lambda: quadratic.gd_closed_form(CLASSIC, 0.1, steps=2.5), ValueError, "steps"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_trace_figure_holds_the_iterates():
    ax = Figure().add_subplot()
    trace = gd_run(ILL_CONDITIONED, 0.4)
    d2l.show_trace_2d(ILL_CONDITIONED.f, [tuple(p) for p in trace], ax=ax, minimum=(0, 0),
                      title="zig-zag")
    line = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 21][0]
    np.testing.assert_allclose(line.get_xdata(), trace[:, 0])
    np.testing.assert_allclose(line.get_ydata(), trace[:, 1])
    assert ax.get_title() == "zig-zag" and ax.get_xlabel() and ax.get_ylabel()
