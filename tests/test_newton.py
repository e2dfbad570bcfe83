"""Newton's method (d2lhelpers.newton): exact steps on quadratics, iterates on
cosh and x cos(cx) against closed forms, the remedies, and clear errors."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers.functions import CLASSIC, ILL_CONDITIONED, Cosh, XCos, square, square_grad
from d2lhelpers.newton import (backtracking, convergence_orders, modified_curvature, newton,
                               newton_step, newton_step_nd, newton_trainer)
from d2lhelpers.optim import grad_2d, run, sgd
from d2lhelpers.quadratic import with_condition_number

pytestmark = pytest.mark.unit

COSH = Cosh(0.5)
XCOS = XCos(0.15 * math.pi)


def bisect_root(fn, lo, hi, iterations=200):
    """A root of fn by bisection: independent of Newton's method."""
    for _ in range(iterations):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if fn(lo) * fn(mid) <= 0 else (mid, hi)
    return (lo + hi) / 2


X_MIN = bisect_root(XCOS.grad, 7.0, 7.5)      # the local minimum near 7.27
X_MAX = bisect_root(XCOS.grad, 26.0, 27.5)    # the local maximum near 26.83
X_FAR = bisect_root(XCOS.grad, 20.0, 21.0)    # the deeper minimum near 20.22


# --- the update ------------------------------------------------------------------

def test_newton_step_1d_by_hand():
    assert newton_step(3.0, 2.0, 4.0) == 2.5
    assert newton_step(3.0, 2.0, 4.0, eta=0.5) == 2.75
    assert newton_step(3.0, 2.0, -4.0) == 3.5      # negative curvature climbs


def test_one_step_on_a_1d_quadratic(capsys):
    results = newton(1, square_grad, lambda x: 2.0, steps=1)
    assert results == [10.0, 0.0]
    assert capsys.readouterr().out == "epoch 1, x: 0.000000\n"


@pytest.mark.parametrize("q", [CLASSIC, ILL_CONDITIONED, with_condition_number(1000)])
@pytest.mark.parametrize("x0", [(-5.0, -2.0), (3.0, 7.0), (1e3, -1e-3)])
def test_one_step_exact_on_quadratics(q, x0):
    x = newton_step_nd(x0, q.grad(*x0), q.hess())
    np.testing.assert_allclose(x, [0.0, 0.0], atol=1e-15 * max(map(abs, x0)))


def test_newton_trainer_through_train_2d(capsys):
    for q in (CLASSIC, ILL_CONDITIONED):
        results = d2l.train_2d(newton_trainer(q.hess), steps=1, f_grad=q.grad)
        assert results[0] == (-5.0, -2.0)
        np.testing.assert_allclose(results[1], (0.0, 0.0), atol=1e-15)
    assert capsys.readouterr().out == "epoch 1, x1: 0.000000, x2: 0.000000\n" * 2


def test_newton_step_nd_solves_a_full_hessian():
    hess = np.array([[3.0, 1.0], [1.0, 2.0]])
    g = np.array([1.0, 4.0])
    # By hand: H^{-1} = [[2, -1], [-1, 3]] / 5, so H^{-1} g = (-2/5, 11/5).
    np.testing.assert_allclose(newton_step_nd([0.0, 0.0], g, hess), [0.4, -2.2])
    np.testing.assert_allclose(newton_step_nd([1.0, 1.0], g, hess, eta=0.5), [1.2, -0.1])


def test_newton_is_gd_after_preconditioning():
    q = ILL_CONDITIONED
    S = np.sqrt(q.hess())
    def g_grad(y):
        return np.linalg.solve(S, grad_2d(q.grad)(np.linalg.solve(S, y)))
    ys = run(sgd(0.5), g_grad, S @ np.array([-5.0, -2.0]), steps=5)
    xs = np.linalg.solve(S, ys.T).T
    x = np.array([-5.0, -2.0])
    for k in range(1, 6):
        x = newton_step_nd(x, q.grad(*x), q.hess(), eta=0.5)
        np.testing.assert_allclose(xs[k], x, atol=1e-14)
        np.testing.assert_allclose(x, [-5 * 0.5 ** k, -2 * 0.5 ** k], atol=1e-14)


# --- cosh: short first steps, then cubic convergence ------------------------------

def test_cosh_iterates_follow_the_tanh_closed_form(capsys):
    results = newton(1, COSH.grad, COSH.hess)
    assert capsys.readouterr().out == "epoch 10, x: 0.000000\n"
    x = 10.0
    for k in range(1, 8):
        x = x - math.tanh(0.5 * x) / 0.5
        assert results[k] == pytest.approx(x, rel=1e-12)
    steps = -np.diff(results[:5])
    assert np.all((steps > 1.9) & (steps < 2))     # bounded by 1/c = 2
    assert results[1] == pytest.approx(8.00018159147481, rel=1e-13)


def test_cosh_converges_with_order_three():
    results = newton(1, COSH.grad, COSH.hess, verbose=False)
    orders = convergence_orders(np.abs(results[4:8]))
    assert orders[-1] == pytest.approx(3, abs=0.02)
    # e_{k+1} ~ (c^2/3) e_k^3 near the minimum.
    assert results[7] == pytest.approx(0.25 * results[6] ** 3 / 3, rel=1e-3)


def test_generic_minimum_converges_with_order_two():
    results = newton(1, XCOS.grad, XCOS.hess, x0=8.0, steps=4, verbose=False)
    errors = np.abs(np.array(results) - X_MIN)
    assert convergence_orders(errors[:4])[-1] == pytest.approx(2, abs=0.02)
    c = XCOS.c
    f3 = -3 * c ** 2 * math.cos(c * X_MIN) + c ** 3 * X_MIN * math.sin(c * X_MIN)
    assert errors[3] / errors[2] ** 2 == pytest.approx(abs(f3) / (2 * XCOS.hess(X_MIN)), rel=0.01)


def test_convergence_order_of_exact_sequences():
    assert convergence_orders([1e-1, 1e-2, 1e-4, 1e-8]) == pytest.approx([2, 2])
    assert convergence_orders([0.5, 0.25, 0.125]) == pytest.approx([1])


# --- x cos(cx): the failure and the remedies ------------------------------------

def test_pure_newton_climbs_to_a_maximum(capsys):
    results = newton(1, XCOS.grad, XCOS.hess)
    assert capsys.readouterr().out == "epoch 10, x: 26.834133\n"
    assert results[1] == pytest.approx(5.0, abs=1e-12)   # 10 - 4.712 / 0.9425
    assert results[-1] == pytest.approx(X_MAX, abs=1e-9)
    assert XCOS.hess(results[-1]) < 0 and XCOS.f(results[-1]) > XCOS.f(10.0) + 26


def test_damping_converges_linearly_to_the_minimum(capsys):
    results = newton(0.5, XCOS.grad, XCOS.hess)
    assert capsys.readouterr().out == "epoch 10, x: 7.269860\n"
    assert results[1] == pytest.approx(7.5, abs=1e-12)
    errors = np.abs(np.array(results) - X_MIN)
    assert errors[-1] / errors[-2] == pytest.approx(0.5, abs=1e-3)


def test_absolute_curvature_finds_a_minimum():
    results = newton(1, XCOS.grad, XCOS.hess, curvature="abs", verbose=False)
    assert results[2] == pytest.approx(24.994879494193977, rel=1e-12)  # same long jump
    assert results[-1] == pytest.approx(X_FAR, abs=1e-9)
    assert XCOS.hess(results[-1]) > 0


def test_shifted_curvature_rate():
    results = newton(1, XCOS.grad, XCOS.hess, curvature="shift", tau=1.0, verbose=False)
    errors = np.abs(np.array(results) - X_MIN)
    assert errors[-1] / errors[-2] == pytest.approx(1 / (XCOS.hess(X_MIN) + 1), rel=1e-3)


def test_line_search_keeps_newton_fast():
    results = newton(1, XCOS.grad, XCOS.hess, line_search=XCOS.f, verbose=False)
    assert results[1] == pytest.approx(5.0, abs=1e-12)
    # From x = 5 the full step (to 25) and 1/2, 1/4 are rejected; 1/8 is accepted.
    g, h = XCOS.grad(results[1]), XCOS.hess(results[1])
    assert results[2] == pytest.approx(results[1] - g / h / 8, rel=1e-14)
    assert abs(results[-1] - X_MIN) < 1e-12


def test_backtracking_by_hand():
    # f = x^2 at x = 1: Newton's direction -1 is accepted in full; the
    # direction -2 overshoots to f(-1) = 1 and is halved once to land on 0.
    assert backtracking(square, 1.0, square_grad(1.0), -1.0) == 1.0
    assert backtracking(square, 1.0, square_grad(1.0), -2.0) == 0.5
    assert backtracking(square, 1.0, square_grad(1.0), -8.0) == 0.125


def test_line_search_needs_a_descent_direction():
    with pytest.raises(ValueError, match="not a descent direction"):
        newton(1, XCOS.grad, XCOS.hess, x0=25.0, line_search=XCOS.f, verbose=False)
    end = newton(1, XCOS.grad, XCOS.hess, x0=25.0, line_search=XCOS.f, curvature="abs",
                 verbose=False)[-1]
    assert XCOS.hess(end) > 0 and abs(XCOS.grad(end)) < 1e-10


def test_modified_curvature_values():
    assert modified_curvature(-3.0) == -3.0
    assert modified_curvature(-3.0, "abs") == 3.0
    assert modified_curvature(-3.0, "shift", tau=5.0) == 2.0


# --- clear errors ------------------------------------------------------------------

@pytest.mark.parametrize("h, word", [(0.0, "zero"), (float("nan"), "not finite"),
                                     (float("inf"), "not finite")])
def test_bad_1d_curvature(h, word):
    with pytest.raises(ValueError, match=word):
        newton_step(1.0, 1.0, h)
    with pytest.raises(ValueError, match=word):
        newton(1, lambda x: 1.0, lambda x: h, verbose=False)


def test_zero_curvature_met_during_a_run():
    # f = x^3 / 6 + 2x: from x = 2 the step 2 - (2 + 2) / 2 lands on x = 0, where f'' = x = 0.
    with pytest.raises(ValueError, match="zero at x = 0.0"):
        newton(1, lambda x: x * x / 2 + 2, lambda x: x, x0=2.0, steps=3, verbose=False)


def test_shift_that_cancels_the_curvature():
    with pytest.raises(ValueError, match="zero"):
        newton(1, lambda x: 1.0, lambda x: -2.0, curvature="shift", tau=2.0, verbose=False)


@pytest.mark.parametrize("hess, word", [
    (np.array([[1.0, 2.0], [2.0, 4.0]]), "singular"),
    (np.zeros((2, 2)), "singular"),
    (np.array([[1.0, 0.0], [0.0, np.nan]]), "not finite"),
    (np.array([[np.inf, 0.0], [0.0, 1.0]]), "not finite"),
    (np.eye(3), "2 x 2"),
])
def test_bad_hessian(hess, word):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=word):
            newton_step_nd([1.0, 1.0], [1.0, 1.0], hess)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: newton(-1, COSH.grad, COSH.hess), ValueError, "eta"),
    (lambda: newton(1, "grad", COSH.hess), TypeError, "f_grad"),
    (lambda: newton(1, COSH.grad, None), TypeError, "f_hess"),
    (lambda: newton(1, COSH.grad, COSH.hess, curvature="square"), ValueError, "curvature"),
    (lambda: newton(1, COSH.grad, COSH.hess, curvature="shift"), ValueError, "tau"),
    (lambda: newton(1, COSH.grad, COSH.hess, tau=1.0), ValueError, "tau"),
    (lambda: newton(1, COSH.grad, COSH.hess, curvature="shift", tau=-1.0), ValueError, "tau"),
    (lambda: newton(1, COSH.grad, COSH.hess, steps=-1), ValueError, "steps"),
    (lambda: newton(1, COSH.grad, COSH.hess, line_search=3), TypeError, "line_search"),
    (lambda: newton_trainer("hess"), TypeError, "f_hess"),
    (lambda: backtracking(square, 1.0, 2.0, -1.0, shrink=1.0), ValueError, "shrink"),
    (lambda: convergence_orders([1.0, 0.5]), ValueError, "at least 3"),
    (lambda: convergence_orders([1.0, 0.0, 0.5]), ValueError, "positive"),
    (lambda: convergence_orders([1.0, 1.0, 0.5]), ValueError, "change"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()
