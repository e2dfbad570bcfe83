"""Newton's method in several dimensions (d2lhelpers.newton): the shift that
makes a Hessian positive definite, |H|, the decrement, and the runs the
chapter describes (attraction to a saddle, the damped phase)."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.functions import ILL_CONDITIONED, LogCosh2D, SaddleAndTwoMinima
from d2lhelpers.newton import newton_nd, saddle_free, shift_to_positive_definite

pytestmark = pytest.mark.unit

SADDLE2 = SaddleAndTwoMinima()
LOGCOSH = LogCosh2D()


def test_shift_by_hand():
    # min diag -1 <= 0: tau = 1e-3 + 1, and the first factorization succeeds.
    tau, h = shift_to_positive_definite(np.diag([-1.0, 2.0]))
    assert tau == pytest.approx(1.001, rel=1e-15)
    np.testing.assert_allclose(h, np.diag([0.001, 3.001]))
    # Positive diagonal but eigenvalues 3 and -1: tau doubles from 1e-3
    # until it passes 1, at 1e-3 * 2^10 = 1.024.
    tau, _ = shift_to_positive_definite(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert tau == pytest.approx(1.024, rel=1e-15)
    assert shift_to_positive_definite(np.eye(2))[0] == 0.0


def test_saddle_free_takes_absolute_eigenvalues():
    np.testing.assert_allclose(saddle_free(np.diag([-1.0, 2.0])),
                               np.diag([1.0, 2.0]))
    h = np.array([[1.0, 2.0], [2.0, 1.0]])       # eigenvalues 3, -1
    np.testing.assert_allclose(saddle_free(h),
                               [[2.0, 1.0], [1.0, 2.0]], atol=1e-14)


def test_decrement_on_a_quadratic_is_twice_the_gap():
    q = ILL_CONDITIONED
    run = newton_nd(None, lambda x: np.array(q.grad(*x)), lambda x: q.hess(),
                    [-5.0, -2.0], steps=1)
    np.testing.assert_allclose(run.xs[-1], [0.0, 0.0], atol=1e-15)
    assert run.decrements[0] ** 2 / 2 == pytest.approx(q.f(-5.0, -2.0))


def test_saddle_function_facts():
    w = np.linalg.eigvalsh(SADDLE2.hess(np.zeros(2)))
    np.testing.assert_allclose(w, [-np.sqrt(5) / 2, np.sqrt(5) / 2])
    for m in SADDLE2.minima:
        np.testing.assert_allclose(SADDLE2.grad(m), 0.0, atol=1e-15)
        assert SADDLE2.f(m) == pytest.approx(-25 / 64)
        assert np.all(np.linalg.eigvalsh(SADDLE2.hess(m)) > 0)


def test_pure_newton_goes_to_the_saddle_and_the_repairs_do_not():
    x0 = [0.3, 1.0]
    pure = newton_nd(None, SADDLE2.grad, SADDLE2.hess, x0, steps=6)
    np.testing.assert_allclose(pure.xs[-1], 0.0, atol=1e-12)
    for curvature in ("abs", "shift_pd"):
        run = newton_nd(SADDLE2.f, SADDLE2.grad, SADDLE2.hess, x0, steps=40,
                        curvature=curvature, line_search=True, tol=1e-20)
        assert min(np.linalg.norm(run.xs[-1] - m)
                   for m in SADDLE2.minima) < 1e-8


def test_damped_phase_then_full_steps():
    run = newton_nd(LOGCOSH.f, LOGCOSH.grad, LOGCOSH.hess, [3.0, 1.0],
                    steps=20, line_search=True, tol=1e-12)
    assert run.step_lengths[:2] == [0.125, 0.5]
    assert all(t == 1.0 for t in run.step_lengths[2:])
    np.testing.assert_allclose(run.xs[-1], 0.0, atol=1e-6)
    # Pure Newton from the same start falls into a 2-cycle near +-(20, 10).
    pure = newton_nd(None, LOGCOSH.grad, LOGCOSH.hess, [3.0, 1.0], steps=8)
    np.testing.assert_allclose(np.abs(pure.xs[-1]), [20.0, 10.0], atol=1e-4)
    np.testing.assert_allclose(pure.xs[-1], -pure.xs[-2], atol=1e-4)


def test_logcosh_derivatives_by_differences():
    x, e = np.array([0.7, -0.4]), 1e-6
    for i in range(2):
        d = np.eye(2)[i] * e
        assert (LOGCOSH.f(x + d) - LOGCOSH.f(x - d)) / (2 * e) == \
            pytest.approx(LOGCOSH.grad(x)[i], rel=1e-7)
        np.testing.assert_allclose(
            (LOGCOSH.grad(x + d) - LOGCOSH.grad(x - d)) / (2 * e),
            LOGCOSH.hess(x)[i], rtol=1e-6)
    assert np.all(np.linalg.eigvalsh(LOGCOSH.hess(x)) >= LOGCOSH.mu)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: newton_nd(None, SADDLE2.grad, SADDLE2.hess, [1, 1],
                       curvature="flip"), ValueError, "curvature"),
    (lambda: newton_nd(None, SADDLE2.grad, SADDLE2.hess, [1, 1],
                       line_search=True), TypeError, "f must"),
    (lambda: newton_nd(None, SADDLE2.grad, lambda x: np.eye(3), [1, 1]),
     ValueError, "2 x 2"),
    (lambda: newton_nd(None, SADDLE2.grad, SADDLE2.hess, [1, 1], tol=-1),
     ValueError, "tol"),
    (lambda: newton_nd(SADDLE2.f, SADDLE2.grad, SADDLE2.hess, [1, 1],
                       line_search=True, c1=1.5), ValueError, "c1"),
    (lambda: newton_nd(None, SADDLE2.grad, SADDLE2.hess, [1, 1], steps=-1),
     ValueError, "steps"),
    (lambda: shift_to_positive_definite(np.ones((2, 3))), ValueError,
     "square"),
    (lambda: shift_to_positive_definite([[1.0, 2.0], [0.0, 1.0]]),
     ValueError, "symmetric"),
    (lambda: shift_to_positive_definite(np.eye(2), beta=0), ValueError,
     "beta"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()
