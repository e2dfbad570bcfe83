"""The adaptive optimizers: first steps by hand, the papers' algorithms, the
bias-correction claims of the chapter, agreement with MXNet/Gluon, bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers.adaptive import adadelta, adagrad, adam, adamax, nadam, rmsprop
from d2lhelpers.functions import ILL_CONDITIONED
from d2lhelpers.optim import as_trainer, grad_2d, run

from helpers import mxnet_updates, reference_like, steps_of

pytestmark = pytest.mark.unit

mx = pytest.importorskip("mxnet")
nd = mx.nd

X0 = (-5.0, -2.0)
G = grad_2d(ILL_CONDITIONED.grad)  # gradient (0.2 x1, 4 x2)


# --- first steps against hand computation -------------------------------------

def test_adagrad_first_two_steps_by_hand():
    path = run(adagrad(0.4), G, X0, 2)
    # step 1: g = (-1, -8), s = (1, 64)
    x1 = np.array([-5 + 0.4 * 1 / math.sqrt(1 + 1e-6), -2 + 0.4 * 8 / math.sqrt(64 + 1e-6)])
    np.testing.assert_allclose(path[1], x1, rtol=0, atol=1e-15)
    g2 = np.array([0.2 * x1[0], 4 * x1[1]])
    s2 = np.array([1.0, 64.0]) + g2 ** 2
    np.testing.assert_allclose(path[2], x1 - 0.4 * g2 / np.sqrt(s2 + 1e-6), rtol=0, atol=1e-15)


def test_rmsprop_first_two_steps_by_hand():
    path = run(rmsprop(0.4, gamma=0.9), G, X0, 2)
    g1 = np.array([-1.0, -8.0])
    s1 = 0.1 * g1 ** 2
    x1 = np.array(X0) - 0.4 * g1 / np.sqrt(s1 + 1e-6)
    np.testing.assert_allclose(path[1], x1, atol=1e-15)
    # the chapter's claim: every coordinate moves by eta / sqrt(1 - gamma) first
    np.testing.assert_allclose(np.abs(path[1] - X0), 0.4 / math.sqrt(0.1), rtol=1e-5)
    g2 = np.array([0.2 * x1[0], 4 * x1[1]])
    s2 = 0.9 * s1 + 0.1 * g2 ** 2
    np.testing.assert_allclose(path[2], x1 - 0.4 * g2 / np.sqrt(s2 + 1e-6), atol=1e-15)


def test_adadelta_first_two_steps_by_hand():
    rho, eps = 0.9, 1e-5
    xs = steps_of(adadelta(rho, eps), [3.0, -1.0], x0=1.0)
    s1 = (1 - rho) * 9
    dx1 = math.sqrt(eps) / math.sqrt(s1 + eps) * 3
    d1 = (1 - rho) * dx1 ** 2
    s2 = rho * s1 + (1 - rho) * 1
    dx2 = math.sqrt(d1 + eps) / math.sqrt(s2 + eps) * -1
    assert xs[0] == pytest.approx(1 - dx1, abs=1e-15)
    assert xs[1] == pytest.approx(1 - dx1 - dx2, abs=1e-15)
    # the chapter's claim: the first step is about sqrt(eps / (1 - rho)) = 0.01
    assert dx1 == pytest.approx(math.sqrt(eps / (1 - rho)), rel=1e-5)


def test_adam_first_two_steps_by_hand():
    eta, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    xs = steps_of(adam(eta, b1, b2, eps), [2.0, -1.0], x0=0.0)
    m1, v1 = 0.1 * 2, 0.001 * 4
    x1 = -eta * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + eps)
    m2, v2 = 0.9 * m1 + 0.1 * -1, 0.999 * v1 + 0.001 * 1
    x2 = x1 - eta * (m2 / (1 - 0.9 ** 2)) / (math.sqrt(v2 / (1 - 0.999 ** 2)) + eps)
    assert xs[0] == pytest.approx(x1, abs=1e-15)
    assert xs[1] == pytest.approx(x2, abs=1e-15)
    assert xs[0] == pytest.approx(-eta, rel=1e-8)  # the first step has length eta


def test_adamax_first_two_steps_by_hand():
    eta = 0.002
    xs = steps_of(adamax(eta, 0.9, 0.999), [2.0, -5.0], x0=1.0)
    m1, u1 = 0.2, 2.0
    x1 = 1 - eta / 0.1 * m1 / u1
    m2, u2 = 0.9 * m1 + 0.1 * -5, max(0.999 * u1, 5.0)
    assert xs[0] == pytest.approx(x1, abs=1e-15)
    assert xs[1] == pytest.approx(x1 - eta / (1 - 0.81) * m2 / u2, abs=1e-15)


def test_adamax_keeps_the_decayed_norm_when_the_gradient_drops():
    # u = max(beta2 u, |g|): a small gradient after a large one keeps u = beta2 * u
    opt = adamax(0.1, 0.9, 0.5)
    x, s = opt.step(0.0, 4.0, opt.init(0.0))
    x, s = opt.step(x, 1.0, s)
    assert s[1] == pytest.approx(2.0, abs=1e-15)


def test_nadam_first_step_by_hand_and_constant_schedule():
    eta, b1, b2, eps, psi = 0.01, 0.9, 0.999, 1e-8, 0.004
    mu = [b1 * (1 - 0.5 * 0.96 ** (t * psi)) for t in (1, 2)]
    g = 3.0
    m1, v1 = (1 - b1) * g, (1 - b2) * g * g
    m_bar = (1 - mu[0]) * g / (1 - mu[0]) + mu[1] * m1 / (1 - mu[0] * mu[1])
    expected = -eta * m_bar / (math.sqrt(v1 / (1 - b2)) + eps)
    assert steps_of(nadam(eta, b1, b2, eps), [g])[0] == pytest.approx(expected, abs=1e-15)
    # constant momentum mu_t = beta1: the simplified Nadam of the chapter
    m_bar = (1 - b1) * g / (1 - b1) + b1 * m1 / (1 - b1 ** 2)
    expected = -eta * m_bar / (math.sqrt(v1 / (1 - b2)) + eps)
    got = steps_of(nadam(eta, b1, b2, eps, schedule_decay=None), [g])[0]
    assert got == pytest.approx(expected, abs=1e-15)


# --- the classic demo numbers ---------------------------------------------------


def test_as_trainer_and_run_agree():
    path = d2l.train_2d(as_trainer(adam(0.4)), f_grad=ILL_CONDITIONED.grad, verbose=False)
    np.testing.assert_allclose(np.array(path), run(adam(0.4), G, X0, 20), atol=1e-14)


# --- against the papers' algorithms, transcribed independently -------------------

def reference(method, grads, x0, **h):
    """Literal transcriptions of the papers' pseudo-code, on numpy vectors."""
    x = np.array(x0, dtype=float)
    a = np.zeros_like(x)
    b = np.zeros_like(x)
    prod = 1.0
    out = []
    for t, g in enumerate(grads, start=1):
        if method == "adagrad":                 # Duchi et al. with eps inside the root
            a += g * g
            x = x - h["eta"] * g / np.sqrt(a + h["eps"])
        elif method == "rmsprop":               # Hinton, lecture 6a
            a = h["gamma"] * a + (1 - h["gamma"]) * g * g
            x = x - h["eta"] * g / np.sqrt(a + h["eps"])
        elif method == "adadelta":              # Zeiler, Algorithm 1
            a = h["rho"] * a + (1 - h["rho"]) * g * g
            rms_dx = np.sqrt(b + h["eps"])
            dx = -rms_dx / np.sqrt(a + h["eps"]) * g
            b = h["rho"] * b + (1 - h["rho"]) * dx * dx
            x = x + dx
        elif method == "adam":                  # Kingma and Ba, Algorithm 1
            a = h["beta1"] * a + (1 - h["beta1"]) * g
            b = h["beta2"] * b + (1 - h["beta2"]) * g * g
            m_hat = a / (1 - h["beta1"] ** t)
            v_hat = b / (1 - h["beta2"] ** t)
            x = x - h["eta"] * m_hat / (np.sqrt(v_hat) + h["eps"])
        elif method == "adamax":                # Kingma and Ba, Algorithm 2
            a = h["beta1"] * a + (1 - h["beta1"]) * g
            b = np.maximum(h["beta2"] * b, np.abs(g))
            x = x - (h["eta"] / (1 - h["beta1"] ** t)) * a / b
        elif method == "nadam":                 # Dozat, with the warming schedule
            mu_t = h["beta1"] * (1 - 0.5 * 0.96 ** (t * 0.004))
            mu_next = h["beta1"] * (1 - 0.5 * 0.96 ** ((t + 1) * 0.004))
            prod *= mu_t
            g_hat = g / (1 - prod)
            a = h["beta1"] * a + (1 - h["beta1"]) * g
            m_hat = a / (1 - prod * mu_next)
            b = h["beta2"] * b + (1 - h["beta2"]) * g * g
            n_hat = b / (1 - h["beta2"] ** t)
            m_bar = (1 - mu_t) * g_hat + mu_next * m_hat
            x = x - h["eta"] * m_bar / (np.sqrt(n_hat) + h["eps"])
        out.append(x.copy())
    return np.array(out)


CASES = [
    ("adagrad", adagrad, dict(eta=0.3, eps=1e-6)),
    ("rmsprop", rmsprop, dict(eta=0.05, gamma=0.8, eps=1e-6)),
    ("adadelta", adadelta, dict(rho=0.95, eps=1e-6)),
    ("adam", adam, dict(eta=0.05, beta1=0.9, beta2=0.999, eps=1e-8)),
    ("adamax", adamax, dict(eta=0.05, beta1=0.9, beta2=0.999)),
    ("nadam", nadam, dict(eta=0.05, beta1=0.9, beta2=0.999, eps=1e-8)),
]


@pytest.mark.parametrize("method, make, hyper", CASES, ids=[c[0] for c in CASES])
def test_matches_the_paper_on_random_gradients(method, make, hyper):
    grads = np.random.default_rng(3).normal(0.5, 2.0, size=(30, 4))
    x0 = np.array([1.0, -2.0, 0.5, 3.0])
    opt = make(**hyper)
    x, state, ours = x0.copy(), opt.init(x0), []
    for g in grads:
        x, state = opt.step(x, g, state)
        ours.append(x)
    np.testing.assert_allclose(np.array(ours), reference(method, grads, x0, **hyper),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("method, make, hyper", CASES, ids=[c[0] for c in CASES])
def test_same_rule_on_floats_arrays_and_ndarrays(method, make, hyper):
    grads = [1.5, -0.5, 2.0, 0.25]
    opt = make(**hyper)
    floats = steps_of(opt, grads, x0=1.0)
    arrays = steps_of(opt, [np.array([g]) for g in grads], x0=np.array([1.0]))
    nds = steps_of(opt, [nd.array([g], dtype="float64") for g in grads],
                   x0=nd.array([1.0], dtype="float64"))
    np.testing.assert_allclose(np.ravel(arrays), floats, rtol=1e-13)
    np.testing.assert_allclose([v.asnumpy()[0] for v in nds], floats, rtol=1e-12)


def test_step_does_not_mutate_the_state():
    opt = adam(0.1)
    x = np.array([1.0, 2.0])
    state = opt.init(x)
    m_before = state[0].copy()
    opt.step(x, np.array([1.0, -1.0]), state)
    np.testing.assert_array_equal(state[0], m_before)
    assert state[2] == 0


# --- the chapter's claims about the statistics ------------------------------------

def test_adagrad_effective_rate_is_eta_over_root_t_for_a_constant_gradient():
    opt = adagrad(0.4, eps=1e-6)
    x, s = 0.0, opt.init(0.0)
    for t in range(1, 51):
        x, s = opt.step(x, 3.0, s)
        assert s == pytest.approx(9.0 * t, rel=1e-15)
        assert 0.4 / math.sqrt(s) == pytest.approx(0.4 / (3 * math.sqrt(t)), rel=1e-14)


def test_rmsprop_state_is_the_weighted_sum_of_past_squares():
    gamma, grads = 0.8, np.random.default_rng(0).normal(size=25)
    opt = rmsprop(0.1, gamma)
    x, s = 0.0, opt.init(0.0)
    for g in grads:
        x, s = opt.step(x, g, s)
    t = len(grads)
    weights = (1 - gamma) * gamma ** np.arange(t)
    assert s == pytest.approx(np.sum(weights * grads[::-1] ** 2), rel=1e-13)
    assert weights.sum() == pytest.approx(1 - gamma ** t, rel=1e-13)


def test_moments_of_a_constant_gradient_are_biased_by_one_minus_beta_power_t():
    opt = adam(0.01, 0.9, 0.999)
    x, state = 0.0, opt.init(0.0)
    for t in range(1, 31):
        x, state = opt.step(x, 2.0, state)
        m, v, count = state
        assert count == t
        assert m == pytest.approx((1 - 0.9 ** t) * 2.0, rel=1e-12)
        assert v == pytest.approx((1 - 0.999 ** t) * 4.0, rel=1e-12)


def test_bias_corrections_set_the_step_lengths():
    """Constant gradient: corrected steps have length eta; correcting only m makes
    them 1/sqrt(1-b2^t) too long, only v (1-b1^t) too short, neither the ratio."""
    eta, b1, b2 = 0.01, 0.9, 0.999
    paths = {mode: run(adam(eta, b1, b2, bias_correction=mode), lambda x: np.ones_like(x),
                       (0.0,), 100)[:, 0] for mode in ("both", "first", "second", "none")}
    t = np.arange(1, 101)
    expected = {"both": np.ones(100), "first": 1 / np.sqrt(1 - b2 ** t),
                "second": 1 - b1 ** t, "none": (1 - b1 ** t) / np.sqrt(1 - b2 ** t)}
    for mode, path in paths.items():
        np.testing.assert_allclose(-np.diff(path) / eta, expected[mode], rtol=1e-6)
    assert expected["second"][0] == pytest.approx(0.1)        # ten times too short
    assert expected["first"][0] == pytest.approx(31.6228, rel=1e-5)
    assert expected["none"][0] == pytest.approx(3.16228, rel=1e-5)
    assert expected["none"].max() > 6.5                          # "over 6 times"
    assert 5 <= int(np.argmax(expected["none"])) + 1 <= 15       # "around t = 10"


# --- MXNet and Gluon ------------------------------------------------------------


MX_CASES = [
    ("adagrad", dict(learning_rate=0.3, eps=1e-6), adagrad(0.3, eps=1e-6)),
    ("rmsprop", dict(learning_rate=0.05, gamma1=0.8, epsilon=1e-6), rmsprop(0.05, 0.8, 1e-6)),
    ("adadelta", dict(rho=0.9, epsilon=1e-5), adadelta(0.9, 1e-5)),
    ("adamax", dict(learning_rate=0.05), adamax(0.05)),
    ("nadam", dict(learning_rate=0.05), nadam(0.05)),
]


@pytest.mark.parametrize("name, kw, opt", MX_CASES, ids=[c[0] for c in MX_CASES])
def test_same_updates_as_mxnet_optimizer(name, kw, opt):
    grads = np.random.default_rng(5).normal(0.3, 1.5, size=(25, 3))
    x0 = np.array([1.0, -2.0, 0.5])
    ours = reference_like(opt, grads, x0)
    np.testing.assert_allclose(mxnet_updates(name, grads, x0, **kw), ours, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def regression():
    from d2lhelpers.data import synthetic_regression
    return synthetic_regression(200, seed=0)


GLUON_CASES = [
    (adagrad(0.3, eps=1e-7), "adagrad", {"learning_rate": 0.3, "eps": 1e-7}),
    (rmsprop(0.03, 0.9, 1e-8), "rmsprop", {"learning_rate": 0.03, "gamma1": 0.9, "epsilon": 1e-8}),
    (adadelta(0.9, 1e-5), "adadelta", {"rho": 0.9, "epsilon": 1e-5}),
    (adam(0.03), "adam", {"learning_rate": 0.03}),
    (adamax(0.03), "adamax", {"learning_rate": 0.03}),
]


@pytest.mark.slow
@pytest.mark.parametrize("opt, name, hyper", GLUON_CASES, ids=[c[1] for c in GLUON_CASES])
def test_scratch_and_gluon_trainer_agree(regression, opt, name, hyper):
    from d2lhelpers.trainers import train_gluon, train_scratch
    X, y = regression
    scratch = train_scratch(opt, X, y, 10, 2, seed=0, record_every=50)
    gluon = train_gluon(name, hyper, X, y, 10, 2, seed=0, record_every=50)
    assert len(scratch.params) == len(gluon.params) == 9
    # the parameters moved, and both implementations moved them the same way
    assert np.max(np.abs(scratch.params[-1] - scratch.params[0])) > 0.05
    np.testing.assert_allclose(np.array(scratch.params), np.array(gluon.params), atol=5e-5)


# --- bad hyperparameters -----------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: adam(beta1=1.0), "beta1"),
    (lambda: adam(beta1=-0.1), "beta1"),
    (lambda: adam(beta2=1.0), "beta2"),
    (lambda: adam(beta2=float("nan")), "beta2"),
    (lambda: adam(eps=0.0), "eps"),
    (lambda: adam(eps=-1e-8), "eps"),
    (lambda: adam(eta=0.0), "learning rate"),
    (lambda: adam(bias_correction="sometimes"), "bias_correction"),
    (lambda: adagrad(-0.1), "learning rate"),
    (lambda: adagrad(0.1, eps=0), "eps"),
    (lambda: rmsprop(0.1, gamma=1.0), "gamma"),
    (lambda: rmsprop(0.1, eps=float("inf")), "eps"),
    (lambda: adadelta(rho=1.5), "rho"),
    (lambda: adadelta(eps=0.0), "eps"),
    (lambda: adamax(beta1=1), "beta1"),
    (lambda: adamax(eta=float("nan")), "learning rate"),
    (lambda: nadam(beta2=1.0), "beta2"),
    (lambda: nadam(schedule_decay=0.0), "schedule_decay"),
    (lambda: adagrad("0.1"), "learning rate"),
    (lambda: adam(beta1=True), "beta1"),
])
def test_bad_hyperparameters_raise_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


