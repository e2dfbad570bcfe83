"""The convergence theorems' bounds (d2lhelpers.bounds): hand values, bad
input, and that each bound holds at every step of runs on functions meeting
its hypotheses (and the lower bounds on the worst-case chains)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import accelerated, bounds
from d2lhelpers.functions import (
    CosineSaddle,
    Huber,
    LogCoshBowl,
    NesterovStronglyConvex,
    NesterovWorstCase,
)
from d2lhelpers.optim import gd, grad_2d, run

pytestmark = pytest.mark.unit

RTOL = 1e-9


def random_quadratic(rng, d, mu, L, singular=False):
    """0.5 x^T A x with eigenvalues in [mu, L] (both ends included)."""
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.concatenate([[mu, L], rng.uniform(mu, L, d - 2)])
    if singular:
        lam[0] = 0.0
    return (q * lam) @ q.T


def test_hand_values():
    assert bounds.gd_convex(2.0, 3.0, 4) == pytest.approx(0.75)
    assert bounds.gd_strongly_convex(1, 4, 2.0, 2) == pytest.approx(2 * 0.75 ** 2)
    assert bounds.gd_distance(1, 3, 2.0, 3) == pytest.approx(2 * 0.5 ** 3)
    assert bounds.gd_nonconvex(1.5, 2.0, 3) == pytest.approx(2.0)
    assert bounds.accelerated_convex(1.0, 1.0, 3) == pytest.approx(2 / 16)
    assert bounds.lower_convex(1.0, 1.0, 1) == pytest.approx(3 / 128)
    assert bounds.lower_strongly_convex(1, 9, 1.0, 2) == pytest.approx(0.5 ** 4)
    assert bounds.accelerated_strongly_convex(1, 4, 1.0, 2.0, 2) == pytest.approx(2 * 0.25)
    assert bounds.exact_line_search_rate(10) == pytest.approx((9 / 11) ** 2)
    assert bounds.backtracking_rate(1, 10, 0.3, 0.8) == pytest.approx(0.952)
    assert bounds.escape_steps(0.5, -1.0, 1e-3) == pytest.approx(
        math.log(1000) / math.log(1.5))
    np.testing.assert_allclose(bounds.gd_convex(1, 1, np.arange(1, 4)),
                               [0.5, 0.25, 1 / 6])


@pytest.mark.parametrize("call, match", [
    (lambda: bounds.gd_convex(1, 1, 0), "k"),
    (lambda: bounds.gd_convex(1, 1, 1.5), "k"),
    (lambda: bounds.gd_convex(0, 1, 1), "L"),
    (lambda: bounds.gd_convex(1, -1, 1), "r0_sq"),
    (lambda: bounds.gd_strongly_convex(2, 1, 1, 1), "mu must not exceed L"),
    (lambda: bounds.gd_distance(-1, 1, 1, 1), "mu"),
    (lambda: bounds.gd_nonconvex(1, float("nan"), 1), "gap0"),
    (lambda: bounds.exact_line_search_rate(0.5), "kappa"),
    (lambda: bounds.backtracking_rate(1, 2, 0.6, 0.5), "c must"),
    (lambda: bounds.escape_steps(0.5, 1.0, 0.1), "lam_min"),
    (lambda: bounds.escape_steps(0.5, -1.0, 0.0), "distance"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def quad_f(A, X):
    return 0.5 * np.einsum("...i,ij,...j->...", X, A, X)


@pytest.mark.parametrize("seed", range(5))
def test_convex_bound_every_step_on_random_quadratics(seed):
    rng = np.random.default_rng(seed)
    A = random_quadratic(rng, 6, 0.0, 2.0, singular=True)
    x_star = np.zeros(6)
    x0 = rng.standard_normal(6)
    X = run(gd(1 / 2.0), lambda x: A @ x, x0, 200)
    k = np.arange(1, 201)
    err = quad_f(A, X[1:])
    assert np.all(err <= bounds.gd_convex(2.0, x0 @ x0, k) * (1 + RTOL))
    Xa = accelerated.nesterov_convex(lambda x: A @ x, x0, 2.0, 200)
    assert np.all(quad_f(A, Xa[1:]) <= bounds.accelerated_convex(2.0, x0 @ x0, k) * (1 + RTOL))
    del x_star


@pytest.mark.parametrize("fn, x0", [
    (Huber(delta=0.1, L=2.0), [3.0]),
    (NesterovWorstCase(31, L=2.0), np.zeros(31)),
])
def test_convex_bounds_every_step_on_the_named_functions(fn, x0):
    L = fn.L
    x0 = np.asarray(x0, dtype=float)
    if isinstance(fn, Huber):
        grad, f, x_star, f_star = fn.grad, (lambda X: fn.f(X[:, 0])), np.zeros(1), 0.0
    else:
        grad, f, x_star, f_star = fn.grad, fn.f, fn.minimizer, fn.f_star
    r0_sq = float((x0 - x_star) @ (x0 - x_star))
    k = np.arange(1, 151)
    X = run(gd(1 / L), grad, x0, 150)
    assert np.all(f(X[1:]) - f_star <= bounds.gd_convex(L, r0_sq, k) * (1 + RTOL))
    Xa = accelerated.nesterov_convex(grad, x0, L, 150)
    assert np.all(f(Xa[1:]) - f_star <= bounds.accelerated_convex(L, r0_sq, k) * (1 + RTOL))


def test_convex_bound_on_the_log_cosh_bowl():
    bowl = LogCoshBowl(mu=0.0, c=0.7, lam2=1.3)
    x0 = np.array([6.0, -2.0])
    X = run(gd(1 / bowl.L), grad_2d(bowl.grad), x0, 100)
    k = np.arange(1, 101)
    assert np.all(bowl.f(*X[1:].T) <= bounds.gd_convex(bowl.L, x0 @ x0, k))


@pytest.mark.parametrize("seed", range(5))
def test_strongly_convex_bounds_every_step(seed):
    rng = np.random.default_rng(seed)
    mu, L = 0.3, 5.0
    A = random_quadratic(rng, 5, mu, L)
    x0 = rng.standard_normal(5) * 3
    k = np.arange(0, 121)
    gaps = quad_f(A, run(gd(1 / L), lambda x: A @ x, x0, 120))
    assert np.all(gaps <= bounds.gd_strongly_convex(mu, L, gaps[0], k) * (1 + RTOL))
    dist = np.linalg.norm(run(gd(2 / (L + mu)), lambda x: A @ x, x0, 120), axis=1)
    assert np.all(dist <= bounds.gd_distance(mu, L, dist[0], k) * (1 + RTOL) + 1e-300)
    Xn = accelerated.nesterov_strongly_convex(lambda x: A @ x, x0, mu, L, 120)
    bound = bounds.accelerated_strongly_convex(mu, L, gaps[0], x0 @ x0, k)
    assert np.all(quad_f(A, Xn) <= bound * (1 + RTOL) + 1e-300)


def test_strongly_convex_bounds_on_non_quadratic_functions():
    bowl = LogCoshBowl(mu=0.2, c=0.6, lam2=0.5)          # mu = 0.2, L = 0.8
    mu, L = 0.2, bowl.L
    k = np.arange(0, 81)
    for x0 in ([5.0, 1.0], [-3.0, 4.0], [0.5, -0.2]):
        g = grad_2d(bowl.grad)
        gaps = bowl.f(*run(gd(1 / L), g, x0, 80).T)
        assert np.all(gaps <= bounds.gd_strongly_convex(mu, L, gaps[0], k) * (1 + RTOL))
        dist = np.linalg.norm(run(gd(2 / (L + mu)), g, x0, 80), axis=1)
        assert np.all(dist <= bounds.gd_distance(mu, L, dist[0], k) * (1 + RTOL))
        Xn = accelerated.nesterov_strongly_convex(g, x0, mu, L, 80)
        x0 = np.asarray(x0)
        bound = bounds.accelerated_strongly_convex(mu, L, gaps[0], x0 @ x0, k)
        assert np.all(bowl.f(*Xn.T) <= bound * (1 + RTOL))


def test_distance_bound_is_an_equality_along_an_extreme_eigenvector():
    mu, L = 0.1, 1.0
    A = np.diag([mu, L])
    k = np.arange(0, 41)
    for x0 in ([1.0, 0.0], [0.0, 1.0]):
        dist = np.linalg.norm(run(gd(2 / (L + mu)), lambda x: A @ x, x0, 40), axis=1)
        np.testing.assert_allclose(dist, bounds.gd_distance(mu, L, 1.0, k), rtol=1e-12)


@pytest.mark.parametrize("x0", [[2.0, 0.5], [-1.0, 3.0], [0.3, -0.01], [4.0, 6.0]])
def test_nonconvex_bound_every_step_on_the_cosine_saddle(x0):
    fn = CosineSaddle(a=1.0, b=2.0)
    X = run(gd(1 / fn.L), grad_2d(fn.grad), x0, 100)
    sq = np.sum(np.square(fn.grad(*X.T)), axis=0)
    best = np.minimum.accumulate(sq)[:-1]
    k = np.arange(1, 101)
    assert np.all(best <= bounds.gd_nonconvex(fn.L, float(fn.f(*x0)), k) * (1 + RTOL))


def test_nonconvex_bound_on_the_huber_ramp():
    ramp = Huber(delta=0.05, L=1.0)
    X = run(gd(1.0), ramp.grad, [1.0], 40)[:, 0]
    best = np.minimum.accumulate(ramp.grad(X) ** 2)[:-1]
    k = np.arange(1, 41)
    assert np.all(best <= bounds.gd_nonconvex(1.0, float(ramp.f(1.0)), k) * (1 + RTOL))


def test_no_krylov_method_goes_below_the_floor_on_the_chain():
    K = 30
    chain = NesterovWorstCase(2 * K + 1, L=1.0)
    x0 = np.zeros(chain.n)
    k = np.arange(1, K + 1)
    floor = chain.krylov_floor(k)
    runs = [run(gd(1.0), chain.grad, x0, K), run(gd(0.5), chain.grad, x0, K),
            accelerated.nesterov_convex(chain.grad, x0, 1.0, K),
            accelerated.nesterov_strongly_convex(chain.grad, x0, 1e-3, 1.0, K)]
    for X in runs:
        assert np.all(chain.f(X[1:]) - chain.f_star >= floor * (1 - 1e-12))
        # the iterate after k steps has touched only the first k coordinates
        for j in (1, 5, 17):
            assert np.all(X[j, j:] == 0)
    r2 = float(chain.minimizer @ chain.minimizer)
    assert floor[-1] >= bounds.lower_convex(1.0, r2, K)


def test_no_krylov_method_beats_q_on_the_strongly_convex_chain():
    sc = NesterovStronglyConvex(120, mu=1.0, kappa=50.0)
    x_star = sc.minimizer
    r2 = float(x_star @ x_star)
    k = np.arange(0, 60)
    floor = bounds.lower_strongly_convex(sc.mu, sc.L, r2, k)
    for X in (run(gd(2 / (sc.L + sc.mu)), sc.grad, np.zeros(sc.n), 59),
              accelerated.nesterov_strongly_convex(sc.grad, np.zeros(sc.n),
                                                   sc.mu, sc.L, 59)):
        dist = np.sum((X - x_star) ** 2, axis=1)
        assert np.all(dist >= floor * (1 - 1e-9))
