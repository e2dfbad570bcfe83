"""d2lhelpers.quasinewton: the BFGS update against hand computation and the
direct (Hessian) form, quadratic termination, and L-BFGS against BFGS."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.functions import ROSENBROCK
from d2lhelpers.quasinewton import bfgs, bfgs_update, lbfgs, two_loop

pytestmark = pytest.mark.unit

A3 = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
B3 = np.array([1.0, -2.0, 0.5])


def quad_f(x):
    return 0.5 * x @ A3 @ x - B3 @ x


def quad_grad(x):
    return A3 @ x - B3


def exact_step(x, g, d):
    return -(g @ d) / (d @ A3 @ d)


def rosen_f(x):
    return ROSENBROCK.f(x[0], x[1])


def rosen_grad(x):
    return np.array(ROSENBROCK.grad(x[0], x[1]))


def test_update_by_hand():
    # s = (1, 0), y = (2, 0): r = 1/2, (I - r s y^T) = diag(0, 1).
    new = bfgs_update(np.eye(2), [1.0, 0.0], [2.0, 0.0])
    np.testing.assert_allclose(new, np.diag([0.5, 1.0]))


def test_update_is_the_inverse_of_the_direct_bfgs_update():
    rng = np.random.default_rng(1)
    for _ in range(5):
        m = rng.standard_normal((4, 4))
        b = m @ m.T + 4 * np.eye(4)            # a Hessian approximation
        s = rng.standard_normal(4)
        y = b @ s + 0.1 * rng.standard_normal(4)
        assert y @ s > 0
        bs = b @ s
        b_new = b - np.outer(bs, bs) / (s @ bs) + np.outer(y, y) / (y @ s)
        h_new = bfgs_update(np.linalg.inv(b), s, y)
        np.testing.assert_allclose(h_new, np.linalg.inv(b_new), rtol=1e-9)
        np.testing.assert_allclose(h_new @ y, s, rtol=1e-10)    # secant
        np.testing.assert_allclose(h_new, h_new.T, atol=1e-12)
        assert np.all(np.linalg.eigvalsh(h_new) > 0)


def test_quadratic_termination_with_exact_line_search():
    x_star = np.linalg.solve(A3, B3)
    run = bfgs(quad_f, quad_grad, np.zeros(3), steps=3,
               line_search=exact_step)
    np.testing.assert_allclose(run.xs[-1], x_star, atol=1e-12)
    np.testing.assert_allclose(run.inv_hess, np.linalg.inv(A3), atol=1e-12)


def test_two_loop_with_one_pair_is_one_update():
    s, y, g = np.array([1.0, 2.0]), np.array([3.0, 1.0]), np.array([1.0, -1])
    np.testing.assert_allclose(two_loop(g, [(s, y)]),
                               bfgs_update(np.eye(2), s, y) @ g)
    h = bfgs_update(bfgs_update(0.5 * np.eye(2), s, y), y, 2 * s + y)
    np.testing.assert_allclose(two_loop(g, [(s, y), (y, 2 * s + y)], 0.5),
                               h @ g)


def test_lbfgs_with_full_memory_and_no_scaling_is_bfgs():
    x0 = [-1.2, 1.0]
    full = bfgs(rosen_f, rosen_grad, x0, steps=25)
    limited = lbfgs(rosen_f, rosen_grad, x0, steps=25, memory=25,
                    scale=False)
    np.testing.assert_allclose(limited.xs, full.xs, rtol=1e-9, atol=1e-12)


def test_bfgs_and_lbfgs_solve_rosenbrock():
    for method in (bfgs, lbfgs):
        run = method(rosen_f, rosen_grad, [-1.2, 1.0], steps=200, gtol=1e-8)
        assert np.linalg.norm(rosen_grad(run.xs[-1])) <= 1e-8
        np.testing.assert_allclose(run.xs[-1], [1.0, 1.0], atol=1e-7)
        assert run.grad_evals == len(run.xs)       # one per iterate
        assert run.f_evals >= len(run.xs) - 1      # at least one per step


@pytest.mark.parametrize("call, exc, word", [
    (lambda: bfgs_update(np.eye(2), [1.0, 0.0], [-1.0, 0.0]), ValueError,
     "dg.dx > 0"),
    (lambda: bfgs_update(np.eye(3), [1.0, 0.0], [1.0, 0.0]), ValueError,
     "fit"),
    (lambda: bfgs("f", quad_grad, np.zeros(3)), TypeError, "f must"),
    (lambda: bfgs(quad_f, quad_grad, np.zeros(3), steps=-1), ValueError,
     "steps"),
    (lambda: bfgs(quad_f, quad_grad, np.zeros(3), inv_hess0=np.eye(2)),
     ValueError, "inv_hess0"),
    (lambda: lbfgs(quad_f, quad_grad, np.zeros(3), memory=0), ValueError,
     "memory"),
    (lambda: bfgs(quad_f, quad_grad, np.zeros(3), gtol=-1), ValueError,
     "gtol"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


# A gradient of the wrong sign (or any non-descent direction) used to stall:
# backtracking shrank the step until the rise of f fell below rounding, the
# iterate crept uphill by 1e-16 per step, and the run came back as if done.

@pytest.mark.parametrize("method", [bfgs, lbfgs])
def test_a_gradient_of_the_wrong_sign_is_reported_not_stalled(method):
    with pytest.raises(ValueError, match="no step that lowers f at step 1.*grad") as info:
        method(quad_f, lambda x: -quad_grad(x), np.zeros(3), steps=50)
    assert "sign" in str(info.value)


@pytest.mark.parametrize("method", [bfgs, lbfgs])
def test_a_gradient_that_is_not_f_s_is_reported(method):
    """A constant "gradient" whose step d = -other climbs f = x.A.x / 2 from
    x0 = (1, 1, 1): there grad f = A x0 = (5, 5, 3) and grad f . d = 12 > 0."""
    other = np.array([-1.0, -2.0, 1.0])
    assert A3 @ np.ones(3) @ -other == 12.0
    with pytest.raises(ValueError, match="lowers f"):
        method(lambda x: 0.5 * x @ A3 @ x, lambda x: other, np.ones(3), steps=50)


def test_a_line_search_that_climbs_is_reported():
    """From 0 the direction is b; f(5 b) = 25 b.A.b / 2 - 5 b.b = 105 > f(0) = 0."""
    assert quad_f(5 * B3) == 105.0
    with pytest.raises(ValueError, match="line_search's step 5 raises f from 0.0 to 105.0"):
        bfgs(quad_f, quad_grad, np.zeros(3), line_search=lambda x, g, d: 5.0)


@pytest.mark.parametrize("step", [0.0, -0.5, float("nan"), "1"])
def test_a_line_search_step_must_be_positive(step):
    with pytest.raises((ValueError, TypeError), match="line_search"):
        bfgs(quad_f, quad_grad, np.zeros(3), line_search=lambda x, g, d: step)


def test_a_correct_run_that_reaches_rounding_still_ends_quietly():
    """At the rounding floor a full step may tie f: that is not an error.
    f* = 7 here, so f's last digits are lost long before x is exact."""
    run = bfgs(lambda x: quad_f(x) + 7.0, quad_grad, np.zeros(3), steps=60)
    x_star = np.linalg.solve(A3, B3)
    assert np.allclose(run.xs[-1], x_star, atol=1e-7) and len(run.xs) == 61


@pytest.mark.parametrize("ret, exc", [(None, TypeError), ("abc", TypeError),
                                      (np.ones(2), ValueError), ([1.0, 2.0, "3"], TypeError)])
def test_grad_returning_a_wrong_value_is_named(ret, exc):
    with pytest.raises(exc, match="grad"):
        bfgs(quad_f, lambda x: ret, np.zeros(3))


def test_f_returning_a_string_is_named_not_coerced():
    with pytest.raises(TypeError, match="f must return a real number"):
        bfgs(lambda x: "3.0", quad_grad, np.zeros(3))
