"""Facts the adaptive-methods chapter prints, and the claims of its optimizer race."""
from __future__ import annotations

import math

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers import race
from d2lhelpers.adaptive import adagrad, adam, rmsprop
from d2lhelpers.functions import ILL_CONDITIONED
from d2lhelpers.optim import as_trainer, one_pass, run


pytestmark = pytest.mark.chapter

GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


@pytest.mark.parametrize("opt, end", [
    (adagrad(0.4), (-2.382563, -0.158591)),
    (adagrad(2), (-0.002295, -0.000000)),
    (rmsprop(0.4, 0.9), (-0.010599, 0.000000)),
])
def test_classic_demo_lines(opt, end, capsys):
    path = d2l.train_2d(as_trainer(opt), f_grad=ILL_CONDITIONED.grad)
    assert capsys.readouterr().out.strip() == f"epoch 20, x1: {end[0]:f}, x2: {end[1]:f}"
    np.testing.assert_allclose(path[-1], end, atol=5e-7)


def test_expected_first_moment_monte_carlo():
    """E[m_t] = (1 - b1^t) E[g] for stationary noisy gradients (as the chapter prints)."""
    opt, rng, n = adam(), np.random.default_rng(1), 100_000
    x, state = np.zeros(n), opt.init(np.zeros(n))
    for t in range(1, 6):
        x, state = opt.step(x, 1 + 2 * rng.standard_normal(n), state)
        m, v, _ = state
        # standard error of the mean of m_t is below 2 * 0.1 * ... / sqrt(n) < 0.007
        assert abs(m.mean() - (1 - 0.9 ** t)) < 0.007
        assert abs(v.mean() - (1 - 0.999 ** t) * 5) < 0.0005


def test_wrong_correction_exercise():
    """Correcting with 1 - beta instead of 1 - beta^t rescales the late steps by
    sqrt(1 - b2) / (1 - b1) ~ 0.316 (exercise 2)."""
    uncorrected = run(adam(0.01, bias_correction="none"), lambda x: np.ones_like(x), (0.0,), 5000)
    late = -(uncorrected[-1, 0] - uncorrected[-2, 0]) / 0.01 * math.sqrt(0.001) / 0.1
    assert late == pytest.approx(0.316, abs=0.002)


def test_buggy_accumulator_of_the_seed_grows_geometrically():
    """Exercise 1: the seed's `r += alpha * r + (1 - alpha) g^2` multiplies r by
    1.9 per step, while the course's RMSProp keeps the leaky average, which
    tends to g^2 = 1 as 1 - 0.9^t."""
    opt = rmsprop(0.01, 0.9)
    x, s, r = 0.0, opt.init(0.0), 0.0
    for _ in range(30):
        x, s = opt.step(x, 1.0, s)
        r += 0.9 * r + 0.1 * 1.0
    assert r == pytest.approx(0.1 * (1.9 ** 30 - 1) / 0.9, rel=1e-12)
    assert s == pytest.approx(1 - 0.9 ** 30, rel=1e-12)


def test_sparse_feature_experiment_of_the_chapter():
    """One pass of single-sample updates: a frequent feature of scale 5 and a rare
    indicator. SGD must stay at a small eta and leaves the rare weight far off;
    Adagrad gets both weights right at its best eta and never diverges."""
    rng = np.random.default_rng(0)
    n = 1000
    X = np.column_stack([5 * rng.standard_normal(n), (rng.random(n) < 0.01).astype(float)])
    w_true = np.array([2.0, -3.4])
    y = X @ w_true + 0.1 * rng.standard_normal(n)

    from d2lhelpers.optim import sgd
    etas = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
    results = {}
    with d2l.allow_divergence():
        for make in (sgd, adagrad):
            errs = {}
            for eta in etas:
                path = one_pass(make(eta), X, y)
                errs[eta] = np.abs(path[-1] - w_true) if len(path) == n + 1 else None
            results[make.__name__] = errs
    assert int(X[:, 1].sum()) == 17
    sgd_ok = {e: v for e, v in results["sgd"].items() if v is not None}
    assert sorted(set(etas) - set(sgd_ok)) == [0.3, 1.0, 3.0]
    best = min(sgd_ok, key=lambda e: sgd_ok[e].sum())
    assert best == 0.03 and sgd_ok[best][1] > 3.4 / 2       # less than half of the way
    ada = results["adagrad"]
    assert all(v is not None for v in ada.values())
    best = min(ada, key=lambda e: ada[e].sum())
    assert ada[best][0] < 0.01 and ada[best][1] < 0.1


@pytest.fixture(scope="module")
def tuned_results():
    """The race exactly as the chapter runs it."""
    out = {}
    for key in ("quadratic", "rosenbrock", "saddle"):
        problem = race.PROBLEMS[key]
        etas = {name: None if name == "adadelta" else
                (0.1 if key == "saddle" else race.tune(name, problem, GRID)[0])
                for name in race.ORDER}
        paths = race.run_race({n: race.contender(n, e) for n, e in etas.items()}, problem)
        out[key] = (etas, {n: problem.score(p) for n, p in paths.items()}, paths)
    return out


def test_race_claims_of_the_chapter(tuned_results):
    etas, scores, _ = tuned_results["quadratic"]
    ranking = sorted(scores, key=scores.get)
    assert ranking[:2] == ["rmsprop", "adagrad"] and ranking[-1] == "adadelta"
    assert scores["rmsprop"] < 1e-9 and scores["adagrad"] < 1e-4
    assert ranking.index("nesterov") < ranking.index("adam")
    etas, scores, _ = tuned_results["rosenbrock"]
    ranking = sorted(scores, key=scores.get)
    assert ranking[:3] == ["adam", "momentum", "nesterov"]
    assert scores["adam"] < 2e-3 and scores["momentum"] < 3e-3
    for name in ("adagrad", "rmsprop", "adadelta"):
        assert scores[name] >= scores["gd"]            # "no better than gradient descent"
    _, scores, _ = tuned_results["saddle"]
    assert scores["gd"] == math.inf
    assert sorted(scores, key=scores.get)[:2] == ["rmsprop", "adam"]
    assert scores["rmsprop"] == 4
    for key in tuned_results:                         # "Adam is never last"
        s = tuned_results[key][1]
        assert s["adam"] < max(s.values())


def test_rotated_quadratic_exercise():
    turned = race.rotated_quadratic()
    aligned = race.PROBLEMS["quadratic"]
    # gradient descent cannot tell the difference
    assert race.tune("gd", turned, GRID)[1] == pytest.approx(race.tune("gd", aligned, GRID)[1])
    best = {name: race.tune(name, turned, GRID) for name in ("nesterov", "adagrad", "rmsprop")}
    score = {name: s[e] for name, (e, s) in best.items()}
    assert score["rmsprop"] == pytest.approx(2.7e-3, rel=0.05)
    assert score["nesterov"] == pytest.approx(1.6e-3, rel=0.05)
    assert score["adagrad"] == pytest.approx(0.11, rel=0.05)
    assert score["adagrad"] > race.tune("gd", turned, GRID)[1][0.2]
    # the start is turned with the function: R x0 = (-5, -2)
    c = s = math.sqrt(0.5)
    x1, x2 = turned.x0
    assert (c * x1 - s * x2, s * x1 + c * x2) == pytest.approx((-5.0, -2.0))
