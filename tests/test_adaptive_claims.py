"""The adaptive chapter's stated facts, recomputed with numpy written here,
independently of the package's optimizers and runners.

The race's protocol: every tuned value must be interior (each neighbour on the
grid scores worse, recomputed here), and the numbers the text quotes.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import race, tuning
from d2lhelpers.data import synthetic_regression

pytestmark = pytest.mark.unit

QUAD = np.array([0.2, 4.0])          # 0.1 x1^2 + 2 x2^2


# --- independent implementations (vectorized over starts: x has shape (2, S)) --

def _rule(name, v):
    """(init, step) of each contender, written from the formulas of the chapter."""
    if name == "gd":
        return (lambda x: None), (lambda x, g, s: (x - v * g, s))
    if name in ("momentum", "nesterov"):
        def step(x, g, s):
            s = 0.9 * s + g
            return (x - v * s if name == "momentum" else x - v * (g + 0.9 * s)), s
        return (lambda x: np.zeros_like(x)), step
    if name == "adagrad":
        def step(x, g, s):
            s = s + g * g
            return x - v * g / np.sqrt(s + 1e-6), s
        return (lambda x: np.zeros_like(x)), step
    if name == "rmsprop":
        def step(x, g, s):
            s = 0.9 * s + (1 - 0.9) * g * g
            return x - v * g / np.sqrt(s + 1e-6), s
        return (lambda x: np.zeros_like(x)), step
    if name == "adadelta":              # v is eps here
        def step(x, g, st):
            s, d = st
            s = 0.9 * s + (1 - 0.9) * g * g
            dx = np.sqrt(d + v) / np.sqrt(s + v) * g
            return x - dx, (s, 0.9 * d + (1 - 0.9) * dx * dx)
        return (lambda x: (np.zeros_like(x), np.zeros_like(x))), step
    if name == "adam":
        def step(x, g, st):
            m, s, t = st
            m = 0.9 * m + (1 - 0.9) * g
            s, t = 0.999 * s + (1 - 0.999) * g * g, t + 1
            mh, sh = m / (1 - 0.9 ** t), s / (1 - 0.999 ** t)
            return x - v * mh / (np.sqrt(sh) + 1e-8), (m, s, t)
        return (lambda x: (np.zeros_like(x), np.zeros_like(x), 0)), step
    raise KeyError(name)


def _quad_f(x):
    return 0.1 * x[0] ** 2 + 2 * x[1] ** 2


def _quad_g(x):
    return QUAD[:, None] * x


def _rosen_f(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def _rosen_g(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
                     200 * (x[1] - x[0] ** 2)])


def _rot(x, sign=1.0):
    c = s = math.sqrt(0.5)
    return np.array([c * x[0] - sign * s * x[1], sign * s * x[0] + c * x[1]])


def _rot_f(x):
    return _quad_f(_rot(x))


def _rot_g(x):
    return _rot(_quad_g(_rot(x)), sign=-1.0)    # R^T grad(R x)


def _final(name, v, f, g, points, steps):
    init, step = _rule(name, v)
    x = np.array(points, dtype=float).T
    st = init(x)
    vals = [f(x)]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            x, st = step(x, g(x), st)
            vals.append(f(x))
    return np.array(vals)                    # (steps + 1, S)


def _score(vals, tol=1e-10):
    """The chapter's tuning score, recomputed: mean log10 of the floored final
    gap, then mean first step below tol (steps + 1 if never); inf if any
    start diverged."""
    if not np.all(np.isfinite(vals)):
        return (math.inf, math.inf)
    gap = vals[-1]
    hit = [(np.nonzero(col <= tol)[0][0] if (col <= tol).any() else len(col))
           for col in vals.T]
    return (float(np.mean(np.log10(np.maximum(gap, tol)))), float(np.mean(hit)))


PROBLEMS = {
    "quadratic": (_quad_f, _quad_g, 50),
    "rosenbrock": (_rosen_f, _rosen_g, 300),
}


def _factor(name):
    return 10.0 if race.TUNED[name] == "eps" else 2.0


@pytest.fixture(scope="module")
def searches():
    out = {}
    for key in PROBLEMS:
        tune_at, _ = race.starts(key)
        for name in race.ORDER:
            out[key, name] = race.tune_on_starts(name, race.PROBLEMS[key], tune_at)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("key", list(PROBLEMS))
@pytest.mark.parametrize("name", race.ORDER)
def test_every_tuned_value_of_the_race_is_interior(searches, key, name):
    search = searches[key, name]
    assert search.interior
    f, g, steps = PROBLEMS[key]
    tune_at, _ = race.starts(key)
    best = search.best
    mine = {v: _score(_final(name, v, f, g, tune_at, steps))
            for v in (best / _factor(name), best, best * _factor(name))}
    assert mine[best] < mine[best / _factor(name)]
    assert mine[best] < mine[best * _factor(name)]
    # the package scored the best value as we do
    i = search.values.index(best)
    assert search.scores[i][0] == pytest.approx(mine[best][0], rel=1e-9, abs=1e-9)


def _held(key, name, search, f, g, steps):
    _, held_out = race.starts(key)
    vals = _final(name, search.best, f, g, held_out, steps)
    gap = np.where(np.all(np.isfinite(vals), axis=0), vals[-1], np.inf)
    return gap


@pytest.mark.slow
def test_quadratic_race_claims(searches):
    f, g, steps = PROBLEMS["quadratic"]
    med = {n: np.median(_held("quadratic", n, searches["quadratic", n], f, g, steps))
           for n in race.ORDER}
    ada = _held("quadratic", "adagrad", searches["quadratic", "adagrad"], f, g, steps)
    assert searches["quadratic", "adagrad"].best == 8.0
    assert ada.max() < 1e-44                              # "below 1e-44 from every"
    ranking = sorted(med, key=med.get)
    assert ranking[:3] == ["adagrad", "nesterov", "rmsprop"]
    assert med["nesterov"] == pytest.approx(4.2e-6, rel=0.03)
    assert med["rmsprop"] == pytest.approx(1e-3, rel=0.05)
    rms = _held("quadratic", "rmsprop", searches["quadratic", "rmsprop"], f, g, steps)
    assert np.log10(rms.max() / rms.min()) > 27           # "almost 30 decades"
    assert med["adam"] > med["momentum"]                  # "no better than momentum"
    assert ranking[-1] == "adadelta"
    assert med["gd"] == pytest.approx(4.2e-2, rel=0.03)


@pytest.mark.slow
def test_rosenbrock_race_claims(searches):
    f, g, steps = PROBLEMS["rosenbrock"]
    gaps = {n: _held("rosenbrock", n, searches["rosenbrock", n], f, g, steps)
            for n in race.ORDER}
    med = {n: np.median(v) for n, v in gaps.items()}
    assert min(med, key=med.get) in ("adam", "momentum")
    assert med["adam"] == pytest.approx(2e-2, rel=0.1)
    assert f"{med['momentum']:.1e}" == f"{med['adam']:.1e}"      # "to two digits"
    assert np.all(np.isfinite(gaps["adam"])) and gaps["adam"].max() < 0.4
    assert np.sum(~np.isfinite(gaps["momentum"])) == 3
    ok = np.isfinite(gaps["momentum"])
    assert ok.sum() == 5 and 0.005 < gaps["momentum"][ok].min()
    assert gaps["momentum"][ok].max() < 0.025                 # "0.006 to 0.024"
    assert np.sum(gaps["momentum"] < gaps["adam"]) == 2       # "ahead ... from two"
    assert np.sum(~np.isfinite(gaps["nesterov"])) == 2
    assert searches["rosenbrock", "nesterov"].best == searches["rosenbrock", "momentum"].best / 2
    for name in race.ORDER:
        if name not in ("momentum", "nesterov"):
            assert np.all(np.isfinite(gaps[name]))            # "Adam never diverged"
    assert med["rmsprop"] == pytest.approx(0.25, rel=0.05)
    assert med["gd"] == pytest.approx(0.21, rel=0.05)
    assert med["adagrad"] > med["rmsprop"] and med["adadelta"] > med["rmsprop"]


def _saddle_escape(name, points, steps=30):
    v = 1e-5 if name == "adadelta" else 0.1
    vals = _final(name, v, lambda x: x[0] ** 2 - x[1] ** 2,
                  lambda x: np.array([2 * x[0], -2 * x[1]]), points, steps)
    return np.array([np.nonzero(c < -1)[0][0] if (c < -1).any() else np.inf
                     for c in vals.T])


def test_saddle_escape_steps():
    tune_at, held_out = race.starts("saddle")
    points = tune_at + held_out
    assert points[0] == (-1.0, 1e-3) and len(points) == 12
    assert all(1e-4 <= abs(b) <= 1e-2 for _, b in points[1:])
    esc = {n: _saddle_escape(n, points) for n in race.ORDER}
    classic = {n: e[0] for n, e in esc.items()}
    assert classic == {"gd": math.inf, "momentum": 19, "nesterov": 16, "adagrad": 19,
                       "rmsprop": 4, "adadelta": 23, "adam": 11}
    spans = {n: (e.min(), e.max()) for n, e in esc.items() if n != "gd"}
    assert spans == {"momentum": (15, 24), "nesterov": (13, 20), "adagrad": (19, 21),
                     "rmsprop": (4, 5), "adadelta": (22, 25), "adam": (11, 11)}
    assert np.all(np.isinf(esc["gd"]))
    # Adagrad's steps along x2 shrink, RMSProp's stay large
    for name, first, last, low in (("adagrad", 0.1, 0.034, None), ("rmsprop", 0.32, None, 0.13)):
        vals = []
        init, step = _rule(name, 0.1)
        x = np.array([[-1.0], [1e-3]])
        st = init(x)
        for _ in range(20):
            x_new, st = step(x, np.array([2 * x[0], -2 * x[1]]), st)
            vals.append(abs(x_new[1, 0] - x[1, 0]))
            x = x_new
        assert max(vals[:3]) == pytest.approx(first, rel=0.02)
        if last is not None:
            assert vals[-1] == pytest.approx(last, rel=0.03)
        if low is not None:
            assert min(vals[1:]) > low
    # gradient descent's x2 after 30 steps from the classic start
    assert 1e-3 * 1.2 ** 30 == pytest.approx(0.237, rel=1e-2)


def _regression_final(name, v, X, y, seeds, batch=10):
    """One epoch of mini-batch training per seed, in plain numpy."""
    from d2lhelpers.data import batch_order
    from d2lhelpers.linreg import init_params
    X, y = X.astype(float), y.astype(float)
    out = []
    init, step = _rule(name, v)
    for seed in seeds:
        w0, b0 = init_params(2, seed=seed)
        p = np.append(w0.astype(float), b0)[:, None]
        st = init(p)
        with np.errstate(all="ignore"):
            for idx in batch_order(len(X), batch, 1, seed=seed):
                r = X[idx] @ p[:2, 0] + p[2, 0] - y[idx]
                grad = np.append(r @ X[idx], r.sum())[:, None] / len(idx)
                p, st = step(p, grad, st)
        r = X @ p[:2, 0] + p[2, 0] - y
        out.append(np.mean(r * r) / 2 if np.all(np.isfinite(p)) else np.inf)
    return np.array(out)


@pytest.fixture(scope="module")
def regression_searches():
    X, y = synthetic_regression(1000, seed=1)

    def score(name, v):
        loss = tuning.regression_runs(race.make(name, v), X, y, 10, 1, range(4))[-1]
        return np.mean(np.log10(loss)) if np.all(np.isfinite(loss)) else np.inf
    out = {}
    for name in race.ORDER:
        eps = race.TUNED[name] == "eps"
        out[name] = tuning.search(lambda v, n=name: score(n, v),
                                  race.EPS_GRID if eps else race.START_GRID,
                                  factor=_factor(name))
    return X, y, out


@pytest.mark.slow
@pytest.mark.parametrize("name", race.ORDER)
def test_regression_race_tuned_values_are_interior(regression_searches, name):
    X, y, searches = regression_searches
    best, k = searches[name].best, _factor(name)
    assert searches[name].interior

    def mine(v):
        loss = _regression_final(name, v, X, y, range(4))
        return np.mean(np.log10(loss)) if np.all(np.isfinite(loss)) else np.inf
    assert mine(best) < mine(best / k) and mine(best) < mine(best * k)


@pytest.mark.slow
def test_regression_race_claims(regression_searches):
    X, y, searches = regression_searches
    floor = np.mean((X.astype(float) @ [2.0, -3.4] + 4.2 - y) ** 2) / 2
    assert floor == pytest.approx(4.735e-5, rel=1e-3)
    final = {n: _regression_final(n, searches[n].best, X, y, range(4, 12))
             for n in race.ORDER}
    ratio = {n: np.median(v) / floor for n, v in final.items()}
    assert searches["adagrad"].best == 1.0
    for name in ("gd", "adagrad"):
        assert np.all(final[name] < 1.1 * floor)      # "on every held-out seed"
    for name in ("rmsprop", "adadelta"):
        assert 1.0 < ratio[name] < 1.2
    assert 1.4 < ratio["nesterov"] < 1.6
    assert 5 < ratio["momentum"] < 12 and 5 < ratio["adam"] < 12
    assert max(ratio, key=ratio.get) == "adam"                # "last in the regression"


@pytest.mark.slow
def test_rotated_quadratic_exercise():
    c = s = math.sqrt(0.5)
    tune_at, held_out = [[(c * a + s * b, -s * a + c * b) for a, b in pts]
                         for pts in race.starts("quadratic")]
    turned = race.rotated_quadratic()
    assert turned.x0 == pytest.approx(tune_at[0])
    med = {}
    for name in ("gd", "nesterov", "adagrad", "rmsprop", "adam"):
        search = race.tune_on_starts(name, turned, tune_at)
        assert search.interior
        vals = _final(name, search.best, _rot_f, _rot_g, held_out, 50)
        med[name] = (search.best, np.median(vals[-1]))
    assert med["gd"][1] == pytest.approx(4.2e-2, rel=0.03)
    assert med["nesterov"][1] == pytest.approx(4.2e-6, rel=0.03)
    assert med["adagrad"] == (4.0, pytest.approx(9.7e-3, rel=0.03))
    assert med["gd"][1] > med["adagrad"][1] > 100 * med["nesterov"][1]
    assert med["rmsprop"] == (0.25, pytest.approx(1.6e-4, rel=0.05))
    assert med["adam"][1] == pytest.approx(9.4e-3, rel=0.03)


# --- the chapter's other facts ------------------------------------------------

def _separable_run(lams, make, steps=20, eta=0.4, eps=1e-12):
    x, s = np.array([-5.0, -2.0]), np.zeros(2)
    for _ in range(steps):
        g = np.asarray(lams) * x
        s = s + g * g if make == "adagrad" else 0.9 * s + 0.1 * g * g
        x = x - eta * g / np.sqrt(s + eps)
    return x


@pytest.mark.parametrize("make", ["adagrad", "rmsprop"])
def test_iterates_do_not_depend_on_the_curvatures(make):
    ends = [_separable_run(lams, make) for lams in ((0.2, 4), (1, 1), (100, 0.01))]
    for e in ends[1:]:
        np.testing.assert_allclose(e, ends[0], rtol=0, atol=2e-8)
    # the package's rules give the same
    from d2lhelpers.adaptive import adagrad, rmsprop
    from d2lhelpers.optim import run
    opt = (adagrad if make == "adagrad" else rmsprop)(0.4, eps=1e-12)
    np.testing.assert_allclose(run(opt, lambda x: QUAD * x, (-5, -2), 20)[-1], ends[0],
                               rtol=1e-12)


def test_adagrad_effective_rate_exponent():
    x, s, rates = np.array([-5.0, -2.0]), np.zeros(2), []
    for _ in range(20):
        g = QUAD * x
        s = s + g * g
        x = x - 0.4 * g / np.sqrt(s + 1e-6)
        rates.append(0.4 / np.sqrt(s + 1e-6))
    rates = np.array(rates)
    slope = np.log(rates[19] / rates[9]) / np.log(2)
    assert slope[0] == pytest.approx(-0.29, abs=0.005)
    assert slope[1] == pytest.approx(-0.05, abs=0.01)


def test_eps_inside_acts_like_its_root_outside():
    g = np.logspace(-8, 2, 400)
    inside = g / np.sqrt(g * g + 1e-8)
    outside = g / (g + 1e-4)
    ratio = inside / outside
    assert ratio.min() >= 1 - 1e-12 and ratio.max() <= math.sqrt(2) + 1e-12
    assert inside[0] == pytest.approx(g[0] / 1e-4, rel=1e-6)
    # the printed table
    for gs, want in ((1e-6, (0.01, 0.99, 0.0099)), (1e-4, (0.707, 1.0, 0.5))):
        got = (gs / math.sqrt(gs * gs + 1e-8), gs / (gs + 1e-8), gs / (gs + 1e-4))
        assert got == pytest.approx(want, rel=2e-3)


@pytest.mark.slow
def test_sparse_demo_claims():
    rng = np.random.default_rng(0)
    n = 1000
    X = np.column_stack([5 * rng.standard_normal(n), (rng.random(n) < 0.01).astype(float)])
    w_true = np.array([2.0, -3.4])
    y = X @ w_true + 0.1 * rng.standard_normal(n)

    def one(kind, eta):
        w, s = np.zeros(2), np.zeros(2)
        with np.errstate(all="ignore"):
            for i in range(n):
                g = (X[i] @ w - y[i]) * X[i]
                if kind == "sgd":
                    w = w - eta * g
                else:
                    s = s + g * g
                    w = w - eta * g / np.sqrt(s + 1e-6)
        return np.abs(w - w_true)
    etas = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
    err = {(k, e): one(k, e) for k in ("sgd", "ada") for e in etas}
    total = {k: {e: err[k, e].sum() for e in etas} for k in ("sgd", "ada")}
    assert min(total["sgd"], key=lambda e: np.nan_to_num(total["sgd"][e], nan=np.inf)) == 0.03
    best = min(total["ada"], key=total["ada"].get)
    assert best == 3.0 and 0 < etas.index(best) < len(etas) - 1      # interior
    assert all(np.all(np.isfinite(err["ada", e])) for e in etas)
    for e in (0.001, 0.003, 0.01, 0.03):                 # worse than SGD on both
        assert np.all(err["ada", e] > err["sgd", e])
    assert err["sgd", 0.03][1] > 3.4 / 2
    for e in (1.0, 3.0, 10.0):
        assert err["ada", e][0] < 0.01 and err["ada", e][1] < 0.1
    for e in (0.001, 0.003, 0.01, 0.03, 0.1):
        assert err["ada", e][1] > 0.8 * 3.4                # rare weight barely moves


def _adadelta_f(gamma, eps, steps=50):
    x, s, d = np.array([-5.0, -2.0]), np.zeros(2), np.zeros(2)
    first = None
    for _ in range(steps):
        g = QUAD * x
        s = gamma * s + (1 - gamma) * g * g
        dx = np.sqrt(d + eps) / np.sqrt(s + eps) * g
        d = gamma * d + (1 - gamma) * dx * dx
        x = x - dx
        first = np.abs(dx) if first is None else first
    return _quad_f(x), first


def test_adadelta_exercise_five():
    f = {g: _adadelta_f(g, 1e-5) for g in (0.5, 0.9, 0.99)}
    assert [round(f[g][0], 1) for g in (0.5, 0.9, 0.99)] == [6.2, 6.3, 2.8]
    for g in (0.5, 0.9, 0.99):        # the first step is sqrt(eps / (1 - gamma))
        assert f[g][1] == pytest.approx(math.sqrt(1e-5 / (1 - g)), rel=1e-3)
    assert _adadelta_f(0.9, 1e-2)[0] == pytest.approx(6e-5, rel=0.05)


def test_mxnet_defaults_of_the_names_table():
    import mxnet as mx
    want = {"sgd": {"lr": 0.01, "momentum": 0.0}, "adagrad": {"lr": 0.01, "float_stable_eps": 1e-7},
            "rmsprop": {"lr": 0.001, "gamma1": 0.9, "epsilon": 1e-8},
            "adadelta": {"rho": 0.9, "epsilon": 1e-5},
            "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
            "adamax": {"lr": 0.002, "beta1": 0.9, "beta2": 0.999},
            "nadam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                      "schedule_decay": 0.004}}
    for name, attrs in want.items():
        opt = mx.optimizer.create(name)
        for key, value in attrs.items():
            assert getattr(opt, key) == pytest.approx(value), (name, key)


@pytest.mark.slow
def test_rmsprop_gap_to_gluon_is_float32_rounding():
    """Framework notes: Gluon's RMSProp equals a float32 numpy run of the rule
    (1 - gamma rounded to float32); float64 differs from both; small eta, small gap."""
    from d2lhelpers.adaptive import rmsprop
    from d2lhelpers.data import batch_order
    from d2lhelpers.linreg import init_params, train_gluon, train_scratch
    X, y = synthetic_regression(1000, seed=0)

    def numpy_run(eta, dtype):
        Xd, yd = X.astype(dtype), y.astype(dtype)
        w0, b0 = init_params(2, seed=0)
        p = np.append(w0, b0).astype(dtype)
        s = np.zeros(3, dtype)
        one_minus = dtype(1) - dtype(0.9)
        for idx in batch_order(1000, 10, 1, seed=0):
            r = Xd[idx] @ p[:2] + p[2] - yd[idx]
            g = np.append(r @ Xd[idx] / dtype(10), r.mean()).astype(dtype)
            s = dtype(0.9) * s + one_minus * g * g
            p = p - dtype(eta) * g / np.sqrt(s + dtype(1e-8))
        return p

    def params(h):
        return np.append(h.w, h.b)
    hyper = {"gamma1": 0.9, "epsilon": 1e-8}
    gaps = {}
    for eta in (0.03, 0.1):
        scratch = params(train_scratch(rmsprop(eta, 0.9, 1e-8), X, y, 10, 1, seed=0))
        gluon = params(train_gluon("rmsprop", dict(hyper, learning_rate=eta), X, y, 10, 1,
                                   seed=0))
        gaps[eta] = np.max(np.abs(scratch - gluon))
        if eta == 0.1:
            np.testing.assert_array_equal(gluon, numpy_run(eta, np.float32))
            f64 = numpy_run(eta, np.float64)
            assert 1.5e-5 < np.max(np.abs(scratch - f64)) < 4e-5
            assert 1.5e-5 < np.max(np.abs(gluon - f64)) < 4e-5
            assert np.max(np.abs(f64 - [2.0, -3.4, 4.2])) > 0.05      # rattling
    assert gaps[0.1] == pytest.approx(1.4e-5, rel=0.05)
    assert gaps[0.03] < 5e-7
    # Adam at the same rate: about 1e-6, less than RMSProp's gap
    from d2lhelpers.adaptive import adam
    scratch = params(train_scratch(adam(0.1), X, y, 10, 1, seed=0))
    gluon = params(train_gluon("adam", {"learning_rate": 0.1}, X, y, 10, 1, seed=0))
    adam_gap = np.max(np.abs(scratch - gluon))
    assert 5e-7 < adam_gap < 3e-6 and adam_gap < gaps[0.1]


# --- review (revadapt): the numbers of the corrected sentences -------------------

def test_saddle_first_steps_feel_eps():
    """From (-1, 1e-3) the gradient 2e-3 is not large against sqrt(eps): the
    first x2 step is 0.089 for Adagrad and 0.17 (not 0.32) for RMSProp."""
    firsts = {}
    for name in ("adagrad", "rmsprop"):
        init, step = _rule(name, 0.1)
        x = np.array([[-1.0], [1e-3]])
        st = init(x)
        steps = []
        for _ in range(20):
            x_new, st = step(x, np.array([2 * x[0], -2 * x[1]]), st)
            steps.append(abs(x_new[1, 0] - x[1, 0]))
            x = x_new
        firsts[name] = steps
    assert firsts["adagrad"][0] == pytest.approx(0.1 * 2e-3 / math.sqrt(5e-6))
    assert f"{firsts['adagrad'][0]:.3f}" == "0.089"
    assert firsts["rmsprop"][0] == pytest.approx(0.1 * 2e-3 / math.sqrt(1.4e-6))
    assert f"{firsts['rmsprop'][0]:.2f}" == "0.17"
    assert firsts["rmsprop"][1] == pytest.approx(0.1 / math.sqrt(0.1), rel=0.01)
    assert min(firsts["rmsprop"]) > 0.13


def test_rosenbrock_adam_gap_is_not_distance(searches):
    f, g, steps = PROBLEMS["rosenbrock"]
    _, held_out = race.starts("rosenbrock")
    init, step = _rule("adam", searches["rosenbrock", "adam"].best)
    x = np.array(held_out, dtype=float).T
    st = init(x)
    for _ in range(steps):
        x, st = step(x, _rosen_g(x), st)
    gap = _rosen_f(x)
    dist = np.hypot(x[0] - 1, x[1] - 1)
    assert gap.max() < 0.4
    assert f"{dist.max():.1f}" == "1.7"          # "1.7 away from one start"


def test_quadratic_adadelta_numbers(searches):
    f, g, steps = PROBLEMS["quadratic"]
    search = searches["quadratic", "adadelta"]
    assert search.best == pytest.approx(0.1)
    gap = _held("quadratic", "adadelta", search, f, g, steps)
    assert f"{np.median(gap):.2f}" == "0.44"
    assert f"{gap.min():.0e}" == "4e-11"
    assert _quad_f(np.array([-5.0, -2.0])) == pytest.approx(10.5)


@pytest.mark.slow
def test_regression_race_percentages(regression_searches):
    X, y, searches = regression_searches
    floor = np.mean((X.astype(float) @ [2.0, -3.4] + 4.2 - y) ** 2) / 2
    final = {n: _regression_final(n, searches[n].best, X, y, range(4, 12))
             for n in race.ORDER}
    worst = {n: round(100 * (v.max() / floor - 1)) for n, v in final.items()}
    med = {n: round(100 * (np.median(v) / floor - 1))
           for n, v in final.items()}
    assert worst["gd"] < 5 and worst["adagrad"] == 9
    assert (med["rmsprop"], med["adadelta"]) == (9, 15)
    assert (worst["rmsprop"], worst["adadelta"]) == (25, 42)
    assert round(np.median(final["momentum"]) / floor) == 6
    assert round(np.median(final["adam"]) / floor) == 11


def test_tuned_adagrad_from_the_classic_start(searches):
    """'It lands in one step; tuned Adagrad gets below 1e-40 in 50': the
    exact preconditioner does better, Adagrad comes close."""
    v = searches["quadratic", "adagrad"].best
    vals = _final("adagrad", v, _quad_f, _quad_g, [(-5.0, -2.0)], 50)
    assert 0 < vals[-1, 0] < 1e-40
    x0 = np.array([[-5.0], [-2.0]])
    assert np.all(x0 - _quad_g(x0) / QUAD[:, None] == 0)   # rates 1/lambda_i


@pytest.mark.slow
def test_sparse_demo_holds_on_ten_data_sets():
    """The sparse-feature demo is one draw; its conclusion is checked on the
    data sets of seeds 0..9 with single-sample numpy loops written here."""
    etas = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
    w_true = np.array([2.0, -3.4])

    def one_pass(name, eta, X, y):
        w, s = np.zeros(2), np.zeros(2)
        with np.errstate(all="ignore"):
            for xi, yi in zip(X, y):
                g = (xi @ w - yi) * xi
                if name == "sgd":
                    w = w - eta * g
                else:
                    s = s + g * g
                    w = w - eta * g / np.sqrt(s + 1e-6)
        err = np.abs(w - w_true)
        return err if np.all(np.isfinite(err)) and err.max() < 1e3 else \
            np.array([np.inf, np.inf])

    rares = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        X = np.column_stack([5 * rng.standard_normal(1000),
                             (rng.random(1000) < 0.01).astype(float)])
        y = X @ w_true + 0.1 * rng.standard_normal(1000)
        rares.append(int(X[:, 1].sum()))
        best = {}
        for name in ("sgd", "adagrad"):
            errs = {e: one_pass(name, e, X, y) for e in etas}
            eta = min(etas, key=lambda e: errs[e].sum())
            best[name] = eta, errs[eta]
        assert best["sgd"][0] == 0.03 and best["sgd"][1][1] >= 2.0
        assert 1.0 <= best["adagrad"][0] <= 10.0
        assert best["adagrad"][1][1] < 0.13
    assert (min(rares), max(rares)) == (3, 17)
