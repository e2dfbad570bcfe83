"""Armijo backtracking and exact line search (d2lhelpers.linesearch): steps by
hand, the Armijo condition at every accepted step, the guaranteed step size,
the zig-zag closed form and the ((kappa-1)/(kappa+1))^2 rate."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers import bounds, linesearch
from d2lhelpers.functions import LogCoshBowl, Rosenbrock

pytestmark = pytest.mark.unit


def test_armijo_step_by_hand():
    # f = x^2 at x = 1, g = 2: t = 1 gives f(-1) = 1 > 1 - 0.3*4; t = 0.5 gives 0 <= 0.4
    f = lambda x: float(x @ x)
    assert linesearch.armijo_step(f, np.array([1.0]), np.array([2.0]),
                                  c=0.3, tau=0.5) == 0.5
    assert linesearch.armijo_step(f, np.array([1.0]), np.array([2.0]), t0=0.25,
                                  c=0.3, tau=0.5) == 0.25


def rosen_pair():
    r = Rosenbrock()
    return (lambda x: r.f(*x)), (lambda x: np.array(r.grad(*x)))


@pytest.mark.slow
@pytest.mark.parametrize("c, tau", [(0.3, 0.5), (0.1, 0.8), (0.45, 0.2)])
def test_armijo_holds_at_every_accepted_step(c, tau):
    f, g = rosen_pair()
    X, ts = linesearch.backtracking_gd(f, g, [-1.5, 2.0], 300, c=c, tau=tau)
    assert X.shape == (301, 2) and ts.shape == (300,)
    for k in range(300):
        gk = g(X[k])
        np.testing.assert_allclose(X[k + 1], X[k] - ts[k] * gk)
        assert f(X[k + 1]) <= f(X[k]) - c * ts[k] * (gk @ gk)
        # and the step before it (t / tau) failed, unless t was the first trial
        if ts[k] < 1.0:
            t_prev = ts[k] / tau
            assert f(X[k] - t_prev * gk) > f(X[k]) - c * t_prev * (gk @ gk)


@pytest.mark.parametrize("c, tau", [(0.3, 0.8), (0.1, 0.5), (0.49, 0.9)])
def test_accepted_step_is_at_least_the_guaranteed_one(c, tau):
    bowl = LogCoshBowl(mu=0.1, c=0.9, lam2=3.0)          # L = 3
    f = lambda x: bowl.f(*x)
    g = lambda x: np.array(bowl.grad(*x))
    _, ts = linesearch.backtracking_gd(f, g, [4.0, 2.0], 60, t0=2.0, c=c, tau=tau)
    assert np.all(ts >= min(2.0, 2 * tau * (1 - c) / bowl.L) * (1 - 1e-12))


def test_exact_step_by_hand():
    A = np.diag([1.0, 10.0])
    assert linesearch.exact_step(A, np.array([10.0, 10.0])) == pytest.approx(2 / 11)


def test_exact_line_search_zigzag_closed_form():
    # Boyd & Vandenberghe 9.3.2: from (gamma, 1), x_k = r^k (gamma, (-1)^k)
    gamma = 10.0
    A = np.diag([1.0, gamma])
    X, ts = linesearch.exact_line_search_gd(A, np.zeros(2), [gamma, 1.0], 30)
    r = (gamma - 1) / (gamma + 1)
    k = np.arange(31)
    closed = np.stack([gamma * r ** k, (-1.0) ** k * r ** k], axis=1)
    np.testing.assert_allclose(X, closed, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(ts, 2 / (1 + gamma))
    # successive gradients are orthogonal
    G = X @ A
    assert np.max(np.abs(np.sum(G[1:] * G[:-1], axis=1))) < 1e-8 * np.max(np.sum(G * G, axis=1))


@pytest.mark.parametrize("seed", range(6))
def test_exact_line_search_rate_holds_every_step(seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lam = np.array([0.5, 1.0, 3.0, 8.0])
    A = (q * lam) @ q.T
    b = rng.standard_normal(4)
    x_star = np.linalg.solve(A, b)
    f = lambda x: 0.5 * x @ A @ x - b @ x
    X, _ = linesearch.exact_line_search_gd(A, b, rng.standard_normal(4) * 5, 40, tol=1e-12)
    gaps = np.array([f(x) - f(x_star) for x in X])
    rate = bounds.exact_line_search_rate(16.0)
    assert np.all(gaps[1:] <= rate * gaps[:-1] + 1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_backtracking_rate_holds_every_step(seed):
    rng = np.random.default_rng(seed)
    A = np.diag([1.0, 4.0, 10.0])
    f = lambda x: 0.5 * x @ A @ x
    X, _ = linesearch.backtracking_gd(f, lambda x: A @ x, rng.standard_normal(3) * 4,
                                      60, c=0.2, tau=0.6)
    gaps = np.array([f(x) for x in X])
    rate = bounds.backtracking_rate(1.0, 10.0, 0.2, 0.6)
    assert np.all(gaps[1:] <= rate * gaps[:-1] + 1e-300)


def test_exact_line_search_stops_at_the_minimum():
    A = np.eye(2)
    X, ts = linesearch.exact_line_search_gd(A, np.zeros(2), [1.0, 2.0], 10)
    np.testing.assert_allclose(X, [[1.0, 2.0], [0.0, 0.0]])
    assert ts.tolist() == [1.0]


@pytest.mark.parametrize("c, tau, match", [
    (0.5, 0.5, "c must"), (0.0, 0.5, "c must"), (0.3, 1.0, "tau"), (0.3, 0.0, "tau")])
def test_bad_constants_name_the_argument(c, tau, match):
    f = lambda x: float(x @ x)
    with pytest.raises(ValueError, match=match):
        linesearch.armijo_step(f, np.ones(1), np.ones(1), c=c, tau=tau)


def test_a_wrong_gradient_raises_instead_of_looping():
    f = lambda x: float(x @ x)
    with pytest.raises(ValueError, match="Armijo"):
        linesearch.armijo_step(f, np.array([1.0]), np.array([-2.0]))
    with pytest.raises(ValueError, match="initial step"):
        linesearch.armijo_step(f, np.array([1.0]), np.array([2.0]), t0=0)


def test_exact_step_rejects_a_zero_or_indefinite_direction():
    with pytest.raises(ValueError, match="positive"):
        linesearch.exact_step(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="positive"):
        linesearch.exact_step(np.diag([1.0, -1.0]), np.array([0.0, 1.0]))


def test_backtracking_gd_checks_its_arguments_first():
    f = lambda x: float(x @ x)
    with pytest.raises(ValueError, match="initial step"):
        linesearch.backtracking_gd(f, lambda x: 2 * x, [1.0], 3, t0=-1.0)
    with pytest.raises(ValueError, match="tau"):
        linesearch.backtracking_gd(f, lambda x: 2 * x, [1.0], 3, tau=2.0)
    with pytest.raises(ValueError, match="A must be"):
        linesearch.exact_line_search_gd(np.eye(3), np.zeros(2), [1.0, 1.0], 3)
