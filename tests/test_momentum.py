"""Momentum and Nesterov: iterates by hand, the equivalent forms, the quadratic
analysis (stability region, optimal tuning, the sqrt(kappa) rate) and agreement
with MXNet's optimizers."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers.functions import ILL_CONDITIONED, Quadratic2D, square_grad
from d2lhelpers.momentum import (best_eta, convergence_region_contains, iteration_matrix,
                                 measured_rate, momentum, momentum_minus_form, momentum_scaled_form,
                                 nesterov, nesterov_lookahead, optimal_gd,
                                 optimal_heavy_ball, radius_closed_form, rate,
                                 spectral_radius)
from d2lhelpers.optim import grad_2d, run, sgd

from helpers import quiet_run

pytestmark = pytest.mark.unit

G = grad_2d(ILL_CONDITIONED.grad)
X0 = (-5.0, -2.0)


# --- iterates by hand ------------------------------------------------------------

def test_heavy_ball_first_steps_by_hand():
    # f = x^2 from 1 with eta = 0.1, beta = 0.9:
    # v = 2, x = 0.8; v = 1.8 + 1.6 = 3.4, x = 0.46; v = 3.06 + 0.92 = 3.98, x = 0.062
    xs = run(momentum(0.1, 0.9), square_grad, [1.0], 3)[:, 0]
    assert xs == pytest.approx([1.0, 0.8, 0.46, 0.062], abs=1e-15)


def test_heavy_ball_on_ill_conditioned_by_hand():
    # g = (-1, -8): v = g, x = (-5 + 0.6, -2 + 4.8); then g = (-0.88, 11.2),
    # v = (-0.5 - 0.88, -4 + 11.2) = (-1.38, 7.2), x = (-4.4 + 0.828, 2.8 - 4.32).
    xs = run(momentum(0.6, 0.5), G, X0, 2)
    assert xs[1] == pytest.approx([-4.4, 2.8], abs=1e-14)
    assert xs[2] == pytest.approx([-3.572, -1.52], abs=1e-14)


def test_nesterov_first_steps_by_hand():
    # f = x^2 from 1, eta = 0.1, beta = 0.9: v = 2, x = 1 - 0.1 (2 + 1.8) = 0.62;
    # g = 1.24, v = 1.8 + 1.24 = 3.04, x = 0.62 - 0.1 (1.24 + 2.736) = 0.2224.
    xs = run(nesterov(0.1, 0.9), square_grad, [1.0], 2)[:, 0]
    assert xs == pytest.approx([1.0, 0.62, 0.2224], abs=1e-15)


def test_beta_zero_is_gradient_descent():
    np.testing.assert_array_equal(run(momentum(0.3, 0.0), G, X0, 30), run(sgd(0.3), G, X0, 30))


# --- the three forms and Nesterov's two forms -------------------------------------

@pytest.mark.parametrize("eta, beta", [(0.6, 0.5), (0.1, 0.9), (0.4, 0.0), (0.9, 0.7)])
def test_three_forms_of_heavy_ball_agree(eta, beta):
    ref = quiet_run(momentum(eta, beta), G, X0, 40)
    for other in (momentum_minus_form(eta, beta), momentum_scaled_form(eta, beta)):
        got = quiet_run(other, G, X0, 40)
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


def test_state_of_the_forms_is_rescaled():
    """minus form state = -eta v, scaled form state = eta v."""
    x = np.array([1.0, -2.0])
    hb, mi, sc = momentum(0.3, 0.8), momentum_minus_form(0.3, 0.8), momentum_scaled_form(0.3, 0.8)
    s = [o.init(x) for o in (hb, mi, sc)]
    xs = [x, x, x]
    for k in range(5):
        g = np.array([0.5 * k - 1, 2.0])
        out = [o.step(xi, g, si) for o, xi, si in zip((hb, mi, sc), xs, s)]
        xs, s = [o[0] for o in out], [o[1] for o in out]
    np.testing.assert_allclose(s[1], -0.3 * s[0], rtol=1e-14)
    np.testing.assert_allclose(s[2], 0.3 * s[0], rtol=1e-14)


@pytest.mark.parametrize("eta, mu", [(0.3, 0.5), (0.1, 0.9), (0.6, 0.5)])
def test_nesterov_is_the_lookahead_form_shifted(eta, mu):
    """MXNet's form stores theta + mu u, where theta, u follow the look-ahead form."""
    ref = quiet_run(nesterov(eta, mu), G, X0, 30)
    la = nesterov_lookahead(eta, mu, G, X0, 30)
    shifted = la[:, :2] + mu * la[:, 2:]
    n = len(ref)
    np.testing.assert_allclose(shifted[:n], ref, rtol=1e-10, atol=1e-12)


def test_nesterov_matches_mxnet_nag_and_sgd_momentum():
    """MXNet's own kernels, in float64, with hyperparameters exact in float32."""
    import mxnet as mx

    for name, ours in (("nag", nesterov), ("sgd", momentum)):
        opt = mx.optimizer.create(name, learning_rate=0.375, momentum=0.5)
        w = mx.nd.array(X0, dtype="float64")
        state = opt.create_state(0, w)
        ref = run(ours(0.375, 0.5), G, X0, 15)
        for k in range(1, 16):
            opt.update(0, w, mx.nd.array(G(w.asnumpy()), dtype="float64"), state)
            np.testing.assert_allclose(w.asnumpy(), ref[k], rtol=1e-13, atol=1e-15)


def test_runs_on_ndarrays():
    import mxnet as mx

    for make in (momentum, nesterov):
        opt = make(0.25, 0.5)
        x, s = mx.nd.array([1.0, -2.0]), opt.init(None)
        xn, sn = np.array([1.0, -2.0]), 0.0
        for _ in range(4):
            x, s = opt.step(x, 2 * x, s)
            xn, sn = opt.step(xn, 2 * xn, sn)
        assert isinstance(x, mx.nd.NDArray)
        np.testing.assert_allclose(x.asnumpy(), xn, rtol=1e-6)


# --- leaky average ---------------------------------------------------------------

def test_constant_gradient_step_tends_to_eta_g_over_one_minus_beta():
    for beta in (0.5, 0.9):
        xs = run(momentum(0.1, beta), lambda x: np.array([3.0]), [0.0], 200)[:, 0]
        steps = -np.diff(xs)
        # step k is eta g (1 - beta^k) / (1 - beta) exactly
        k = np.arange(1, 201)
        np.testing.assert_allclose(steps, 0.1 * 3 * (1 - beta ** k) / (1 - beta), rtol=1e-10)
        assert steps[-1] == pytest.approx(0.3 / (1 - beta), rel=1e-9)


# --- analysis on quadratics -------------------------------------------------------

@pytest.mark.parametrize("method, make", [("momentum", momentum), ("nesterov", nesterov)])
def test_iteration_matrix_reproduces_the_iterates(method, make):
    lam, eta, beta = 3.0, 0.2, 0.7
    state = np.array([0.0, 1.5])  # (v, x)
    xs = run(make(eta, beta), lambda x: lam * x, [1.5], 10)[:, 0]
    M = iteration_matrix(eta, beta, lam, method)
    for k in range(1, 11):
        state = M @ state
        assert state[1] == pytest.approx(xs[k], rel=1e-12, abs=1e-15)


def test_closed_form_radius_equals_eigenvalues():
    rng = np.random.default_rng(0)
    for _ in range(300):
        eta, beta, lam = rng.uniform(0.01, 2), rng.uniform(0, 0.99), rng.uniform(0.1, 5)
        for method in ("momentum", "nesterov"):
            assert radius_closed_form(eta, beta, lam, method) == pytest.approx(
                spectral_radius(eta, beta, lam, method), abs=1e-6)


@pytest.mark.slow
def test_stability_region_of_heavy_ball():
    """radius < 1 exactly when 0 < eta lam < 2 (1 + beta); measured runs agree."""
    for beta in (0.0, 0.3, 0.6, 0.9):
        for eta_lam in (0.1, 1.0, 1.9, 2 * (1 + beta) - 0.05, 2 * (1 + beta) + 0.05, 4.5):
            inside = convergence_region_contains(eta_lam, beta, 1.0)
            assert inside == (eta_lam < 2 * (1 + beta))
            assert (spectral_radius(eta_lam, beta, 1.0) < 1) == inside
            # the slowest converging case here has radius 0.95: 1e-6 within 300 steps
            xs = quiet_run(momentum(eta_lam, beta), lambda x: x, [1.0], 1000)[:, 0]
            assert (abs(xs[-1]) < 1e-6) == inside


def test_measured_rate_matches_spectral_radius():
    for eta, beta in ((0.4, 0.0), (0.6, 0.5), (0.3, 0.8), (0.667, 0.4)):
        rho = rate(eta, beta, ILL_CONDITIONED.eigenvalues)
        xs = run(momentum(eta, beta), G, X0, 300)
        measured = measured_rate(xs, 200, 300)
        assert measured == pytest.approx(rho, rel=0.01)


def test_optimal_heavy_ball_is_optimal_and_scales_with_sqrt_kappa():
    for kappa in (4, 20, 100, 1000, 10_000):
        eta, beta, r = optimal_heavy_ball(1.0, kappa)
        sk = math.sqrt(kappa)
        assert r == pytest.approx((sk - 1) / (sk + 1), rel=1e-14)
        assert rate(eta, beta, [1.0, kappa]) == pytest.approx(r, abs=1e-6)
        # no (eta, beta) on a grid does better
        etas = np.linspace(0.01, 2.5, 400)[:, None] * eta
        betas = np.linspace(0, 0.999, 400)[None, :]
        worst = np.maximum(radius_closed_form(etas, betas, 1.0),
                           radius_closed_form(etas, betas, float(kappa)))
        assert worst.min() >= r - 1e-9
        # Steps per e-fold: 1 / -ln(rate) ~ sqrt(kappa) / 2 for momentum and
        # kappa / 2 for the best gradient descent.
        _, r_gd = optimal_gd(1.0, kappa)
        assert (1 / -math.log(r)) / sk == pytest.approx(0.5, rel=0.2 if kappa < 20 else 0.02)
        assert (1 / -math.log(r_gd)) / kappa == pytest.approx(0.5, rel=0.2 if kappa < 20 else 0.02)


@pytest.mark.slow
def test_measured_steps_scale_with_sqrt_kappa():
    """Steps to shrink the error 1e6 times: ~sqrt(kappa) for tuned momentum."""
    ratios = []
    for kappa in (25, 100, 400, 1600):
        q = Quadratic2D(0.5, 0.5 * kappa)  # eigenvalues 1 and kappa
        eta, beta, _ = optimal_heavy_ball(1.0, kappa)
        xs = run(momentum(eta, beta), grad_2d(q.grad), (1.0, 1.0), 5000)
        err = np.linalg.norm(xs, axis=1)
        k = int(np.argmax(err < 1e-6 * err[0]))
        assert k > 0
        ratios.append(k / math.sqrt(kappa))
    assert max(ratios) / min(ratios) < 1.6  # kappa grows 64x, steps about 8x


def test_best_eta_reaches_the_closed_forms():
    lams = ILL_CONDITIONED.eigenvalues
    eta, r = best_eta(0.0, lams)
    assert (eta, r) == pytest.approx(optimal_gd(*lams), rel=1e-6)
    e, b, rr = optimal_heavy_ball(*lams)
    assert best_eta(b, lams) == pytest.approx((e, rr), rel=1e-6)
    assert best_eta(0.9, lams)[1] == pytest.approx(math.sqrt(0.9), rel=1e-12)


# --- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("make", [momentum, nesterov, momentum_minus_form, momentum_scaled_form])
def test_bad_hyperparameters(make):
    with pytest.raises(ValueError, match="learning rate eta"):
        make(0.0, 0.5)
    with pytest.raises(ValueError, match="learning rate eta"):
        make(math.inf, 0.5)
    with pytest.raises(ValueError, match="momentum"):
        make(0.1, 1.0)
    with pytest.raises(ValueError, match="momentum"):
        make(0.1, -0.1)
    with pytest.raises(ValueError, match="momentum"):
        make(0.1, "0.9")


def test_bad_analysis_arguments():
    with pytest.raises(ValueError, match="method"):
        iteration_matrix(0.1, 0.5, 1.0, method="adam")
    with pytest.raises(ValueError, match="lam"):
        spectral_radius(0.1, 0.5, -1.0)
    with pytest.raises(ValueError, match="lam_min"):
        optimal_heavy_ball(4.0, 1.0)
    with pytest.raises(ValueError, match="momentum beta"):
        radius_closed_form(0.1, np.array([0.5, 1.0]), 1.0)
    with pytest.raises(ValueError, match="steps"):
        nesterov_lookahead(0.1, 0.5, G, X0, -1)
    with pytest.raises(ValueError, match="k0"):
        measured_rate(np.ones((50, 2)), 40, 60)


# --- the chapter's other claims -------------------------------------------------

@pytest.mark.slow
def test_nesterov_stability_region_and_best_rate():
    for beta in (0.0, 0.25, 0.5, 0.9):
        edge = 2 * (1 + beta) / (1 + 2 * beta)
        for eta_lam in (0.5 * edge, 0.98 * edge, 1.02 * edge):
            assert (spectral_radius(eta_lam, beta, 1.0, "nesterov") < 1) == (eta_lam < edge)
    # Best Nesterov tuning on kappa = 20 (Lessard et al. 2016): rate 1 - 2 / sqrt(3 kappa + 1)
    lams = ILL_CONDITIONED.eigenvalues
    # with eta = 4 / (3 L + m), beta = (q - 2) / (q + 2), q = sqrt(3 kappa + 1)
    q = math.sqrt(61)
    tuned = rate(4 / (3 * 4 + 0.2), (q - 2) / (q + 2), lams, "nesterov")
    assert tuned == pytest.approx(1 - 2 / q, abs=1e-7)
    best = min(best_eta(b, lams, "nesterov")[1] for b in np.linspace(0.5, 0.7, 201))
    assert tuned - 1e-9 <= best <= tuned + 1e-3
    assert best > optimal_heavy_ball(*lams)[2] + 0.1


def test_barrier_gradient_descent_stops_momentum_passes():
    from d2lhelpers.momentum import DippedParabola
    dip = DippedParabola()
    x = np.array([-5.0, -3.5, -1.0, 2.0])
    h = 1e-6
    np.testing.assert_allclose((dip.f(x + h) - dip.f(x - h)) / (2 * h), dip.grad(x), atol=1e-8)
    grid = np.arange(-8, 2, 0.001) + 0.0005
    crossings = grid[np.nonzero(np.diff(np.sign(dip.grad(grid))))[0]]
    assert crossings == pytest.approx([-3.79, -3.04, 0.0], abs=0.01)
    assert dip.f(crossings) == pytest.approx([0.260, 0.383, 0.0], abs=1e-3)
    stuck = run(sgd(0.5), dip.grad, [-7.0], 80)[-1, 0]
    assert stuck == pytest.approx(-3.7934, abs=1e-4)
    assert run(momentum(0.5, 0.5), dip.grad, [-7.0], 80)[-1, 0] == pytest.approx(stuck, abs=1e-4)
    assert abs(run(momentum(0.5, 0.8), dip.grad, [-7.0], 80)[-1, 0]) < 1e-3


# --- scratch momentum against Gluon -----------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("gluon_name, rule", [("sgd", momentum), ("nag", nesterov)])
def test_scratch_matches_gluon(gluon_name, rule):
    from d2lhelpers.data import synthetic_regression
    from d2lhelpers.trainers import train_gluon, train_scratch

    X, y = synthetic_regression(400, seed=1)
    scratch = train_scratch(rule(0.01, 0.9), X, y, 10, 1, seed=1, record_every=40)
    gluon = train_gluon(gluon_name, {"learning_rate": 0.01, "momentum": 0.9}, X, y, 10, 1,
                        seed=1, record_every=40)
    a, b = np.array(scratch.params), np.array(gluon.params)
    assert a.shape == b.shape == (11, 3)
    np.testing.assert_allclose(a, b, atol=2e-5)
    assert np.abs(a[-1] - a[0]).max() > 1  # the runs really moved
    # plain SGD would follow another path: the momentum is really used
    plain = train_scratch(sgd(0.01), X, y, 10, 1, seed=1, record_every=40)
    assert np.abs(np.array(plain.params) - a).max() > 0.1
