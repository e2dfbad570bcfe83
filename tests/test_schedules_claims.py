"""The schedules chapter's stated facts, recomputed with numpy written here.

The tuned comparison on the regression (every peak rate interior, the held-out
medians the text quotes), the stationary mean of the noisy range test, and
the float32 against float64 floor of the full-batch range test.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import loop, tuning
from d2lhelpers import schedules as S
from d2lhelpers.data import batch_order, synthetic_regression
from d2lhelpers.linreg import init_params

pytestmark = pytest.mark.unit

T_REG, BATCH, EPOCHS = 400, 20, 10
SHAPES = {
    "constant": lambda e: S.Constant(e),
    "step: x0.5 every 100": lambda e: S.Factor(e, step=100, factor=0.5),
    "multi-step at 200, 300": lambda e: S.MultiStep(e, (200, 300), factor=0.1),
    "exponential 0.99": lambda e: S.Exponential(e, 0.99),
    "polynomial p = 2": lambda e: S.Polynomial(e, T_REG, power=2),
    "1/sqrt(t)": lambda e: S.InversePower(e, alpha=0.5),
    "cosine": lambda e: S.Cosine(e, T_REG),
    "warm-up 40 + cosine": lambda e: S.warmup_cosine(e, 40, T_REG),
}


@pytest.fixture(scope="module")
def data():
    X, y = synthetic_regression(1000, seed=0)
    (X_train, y_train), _ = loop.holdout_split(X, y, 0.2, seed=0)
    A = np.c_[X_train, np.ones(len(X_train))].astype(float)
    theta, *_ = np.linalg.lstsq(A, y_train.astype(float), rcond=None)
    best = np.mean((A @ theta - y_train) ** 2) / 2
    return X_train, y_train, best


def _my_excess(rates, X, y, best, seeds):
    """Plain SGD with a rate per update, one seed at a time (written here)."""
    X, y = X.astype(float), y.astype(float)
    out = []
    for seed in seeds:
        w0, b0 = init_params(2, seed=seed)
        w, b = w0.astype(float), float(b0)
        for t, idx in enumerate(batch_order(len(X), BATCH, EPOCHS, seed=seed)):
            r = X[idx] @ w + b - y[idx]
            w, b = w - rates[t] * (r @ X[idx]) / len(idx), b - rates[t] * r.mean()
        r = X @ w + b - y
        out.append(max(np.mean(r * r) / 2 - best, 1e-16))
    return np.array(out)


@pytest.fixture(scope="module")
def tuned(data):
    X, y, best = data
    u = np.arange(1, T_REG + 1)

    def score(make, e):
        loss = tuning.regression_runs(make(e).values(u), X, y, BATCH, EPOCHS, range(4))[-1]
        gap = np.maximum(loss - best, 1e-16)
        return np.mean(np.log10(gap)) if np.all(np.isfinite(gap)) else np.inf
    return {name: tuning.search(lambda e, m=make: score(m, e),
                                tuning.geometric_grid(2 ** -4, 1))
            for name, make in SHAPES.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SHAPES))
def test_every_tuned_peak_rate_is_interior(data, tuned, name):
    X, y, best = data
    u = np.arange(1, T_REG + 1)
    found = tuned[name]
    assert found.interior
    mine = {e: np.mean(np.log10(_my_excess(SHAPES[name](e).values(u), X, y, best,
                                           range(4))))
            for e in (found.best / 2, found.best, found.best * 2)}
    assert mine[found.best] < mine[found.best / 2]
    assert mine[found.best] < mine[found.best * 2]


@pytest.mark.slow
def test_tuned_schedule_table_claims(data, tuned):
    X, y, best = data
    u = np.arange(1, T_REG + 1)
    held = {name: _my_excess(SHAPES[name](tuned[name].best).values(u), X, y, best,
                             range(4, 12))
            for name in SHAPES}
    med = {n: np.median(v) for n, v in held.items()}
    assert tuned["constant"].best == 2 ** -5
    assert tuned["multi-step at 200, 300"].best == 2 ** -2
    assert 0.8e-8 < med["constant"] < 1.4e-8                  # "about 1e-8"
    assert min(med, key=med.get) == "exponential 0.99"
    assert med["exponential 0.99"] == pytest.approx(2e-10, rel=0.15)
    five = ["polynomial p = 2", "cosine", "warm-up 40 + cosine", "step: x0.5 every 100"]
    for name in five:
        assert 7e-10 < med[name] < 1.3e-9
    for name in five + ["exponential 0.99"]:
        assert 9 <= med["constant"] / med[name] <= 55          # "roughly 10 to 50"
    # the five overlap: each range meets every other's
    group = five + ["exponential 0.99"]
    for a in group:
        for b in group:
            assert held[a].min() < held[b].max()
    ratio = med["constant"] / med["1/sqrt(t)"]
    assert 1.5 < ratio < 3                                         # "a factor of 2"
    assert med["multi-step at 200, 300"] > med["constant"]         # "ends above it"
    assert med["multi-step at 200, 300"] == pytest.approx(3e-8, rel=0.1)


def test_noisy_range_test_minimum_is_below_the_stationary_mean():
    etas = np.geomspace(1e-3, 10, 100)
    rng = np.random.default_rng(5)
    x, losses = np.array([-5.0, -2.0]), []
    start = 25 + 8
    for eta in etas:
        g = np.array([2 * x[0], 4 * x[1]]) + rng.standard_normal(2)
        x = x - eta * g
        losses.append(x[0] ** 2 + 2 * x[1] ** 2)
        if not np.isfinite(losses[-1]) or losses[-1] > 4 * start:
            break
    k = int(np.argmin(losses))
    e = etas[k]
    mean = e / (4 * (1 - e)) + e / (4 * (1 - 2 * e))
    assert mean / losses[k] == pytest.approx(9.1, rel=0.02)     # "about 9 times"
    # the package's range test made the same run
    from d2lhelpers.functions import CLASSIC
    from d2lhelpers.lrfinder import geometric_rates, quadratic_stepper, range_test
    rng2 = np.random.default_rng(5)

    def noisy_grad(x1, x2):
        g1, g2 = CLASSIC.grad(x1, x2)
        n1, n2 = rng2.standard_normal(2)
        return g1 + n1, g2 + n2
    got = range_test(quadratic_stepper(CLASSIC.f, noisy_grad, (-5.0, -2.0)),
                     geometric_rates(1e-3, 10, 100))
    assert got.eta_at_min == pytest.approx(e)


def _full_batch_range_test(dtype):
    X, y = synthetic_regression(1000, seed=0)
    (X_train, y_train), _ = loop.holdout_split(X, y, 0.2, seed=0)
    A = np.c_[X_train, np.ones(len(X_train))].astype(dtype)
    yy = y_train.astype(dtype)
    w0, b0 = init_params(2, seed=0)
    p = np.append(w0, b0).astype(dtype)
    etas = np.geomspace(1e-3, 10, 81)
    start = np.mean((A @ p - yy) ** 2) / 2
    losses = []
    for e in etas:
        p = p - dtype(e) * (A.T @ (A @ p - yy)) / dtype(len(yy))
        losses.append(np.mean((A @ p - yy) ** 2) / 2)
        if not np.isfinite(losses[-1]) or losses[-1] > 4 * start:
            break
    losses = np.array(losses)
    k = int(np.argmin(losses))
    above = np.nonzero(losses[k:] > 2 * losses[k])[0]
    return etas[k + above[0]], etas[k + above[0] - 1]


def test_full_batch_range_test_leaves_its_floor_late_because_of_float32():
    left32, _ = _full_batch_range_test(np.float32)
    left64, last_on_floor = _full_batch_range_test(np.float64)
    assert left32 == pytest.approx(7.08, abs=0.005)
    assert left64 == pytest.approx(10.0) and last_on_floor == pytest.approx(8.91, abs=0.005)
    X, y = synthetic_regression(1000, seed=0)
    (X_train, _), _ = loop.holdout_split(X, y, 0.2, seed=0)
    A = np.c_[X_train, np.ones(len(X_train))].astype(float)
    lam_max = np.linalg.eigvalsh(A.T @ A / len(A)).max()
    assert 3.5 < left32 / (2 / lam_max) < 4.2                 # "four times 2/lambda_max"


@pytest.mark.slow
def test_gluon_trainer_makes_the_numpy_run(data, tuned):
    from d2lhelpers.linreg import train_gluon
    X, y, _ = data
    u = np.arange(1, T_REG + 1)
    cosine = SHAPES["cosine"](tuned["cosine"].best)
    h = train_gluon("sgd", {"lr_scheduler": cosine.to_mxnet()}, X, y, BATCH, EPOCHS, seed=4)
    mine = tuning.regression_runs(cosine.values(u), X, y, BATCH, EPOCHS, [4])[-1, 0]
    assert h.loss[-1] == pytest.approx(mine, rel=1e-4)


def test_partial_sum_claims():
    """sum 1/t grows by ln 10 per decade; sum t^-1.5 tends to zeta(1.5)."""
    t = np.arange(1, 10 ** 5 + 1)
    s2 = np.cumsum(1.0 / t)
    per_decade = s2[[9999, 99999]] - s2[[999, 9999]]
    np.testing.assert_allclose(per_decade, math.log(10), rtol=1e-3)
    assert np.sum(t ** -1.5) == pytest.approx(2.612, abs=0.01)
