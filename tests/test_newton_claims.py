"""The Newton chapter's stated numbers, recomputed here by code independent
of the chapter's cells (plain numpy loops, a batched solve, BFGS in its
direct form), and compared with the package's runs where the chapter uses
them."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers.adaptive import adam
from d2lhelpers.functions import (
    ILL_CONDITIONED,
    ROSENBROCK,
    LogCosh2D,
    SaddleAndTwoMinima,
    XCos,
)
from d2lhelpers.newton import newton, newton_nd
from d2lhelpers.optim import gd, run
from d2lhelpers.quasinewton import bfgs, bfgs_update, lbfgs

pytestmark = pytest.mark.unit

C = 0.15 * math.pi


def fp(x):
    return math.cos(C * x) - C * x * math.sin(C * x)


def fpp(x):
    return -2 * C * math.sin(C * x) - x * C ** 2 * math.cos(C * x)


def plain_newton(x, curvature, steps=10):
    xs = [x]
    for _ in range(steps):
        x = x - fp(x) / curvature(fpp(x))
        xs.append(x)
    return xs


def test_the_numpy_loop_is_the_package_rule():
    xcos = XCos(C)
    for eta in (0.5, 1.0):
        xs, x = [10.0], 10.0
        for _ in range(10):
            x = x - eta * xcos.grad(x) / xcos.hess(x)
            xs.append(x)
        assert newton(eta, xcos.grad, xcos.hess, verbose=False) == \
            pytest.approx(xs, rel=1e-14)


def test_a_fixed_shift_wanders_from_25():
    assert fpp(25.0) + 1 == pytest.approx(-2.26, abs=0.005)
    xs = plain_newton(25.0, lambda h: h + 1.0)
    np.testing.assert_allclose(xs[:6], [25, 29.0, 24.76, 30.57, 38.03, 42.57],
                               atol=0.005)
    assert xs[10] == pytest.approx(-20.2494, abs=5e-5)
    assert f"{xs[10] * math.cos(C * xs[10]):.2f}" == "20.11"
    assert fpp(xs[10]) + 1 == pytest.approx(-3.58, abs=0.005)
    x_max = xs[10]
    for _ in range(50):
        x_max = x_max - fp(x_max) / (fpp(x_max) + 1)
    assert abs(fp(x_max)) < 1e-12 and fpp(x_max) < 0     # a maximum
    assert x_max == pytest.approx(-20.22, abs=0.005)
    xcos = XCos(C)
    assert newton(1, xcos.grad, xcos.hess, x0=25.0, curvature="shift",
                  tau=1.0, verbose=False) == pytest.approx(xs, rel=1e-12)


def test_the_fixed_shift_from_10_meets_only_positive_curvature():
    x, curvatures = 10.0, []
    for _ in range(10):
        curvatures.append(fpp(x))
        x = x - fp(x) / (fpp(x) + 1)
    assert min(curvatures) == pytest.approx(0.94, abs=0.005)
    assert min(curvatures) == fpp(10.0)
    assert fpp(25.0) == pytest.approx(-3.26, abs=0.005)
    assert fp(25.0) / 0.1 == pytest.approx(90, abs=0.5)


def test_positive_curvatures_without_a_search_jump_far():
    absolute = plain_newton(10.0, abs)
    floored = plain_newton(10.0, lambda h: max(h, 0.1))
    np.testing.assert_allclose(absolute[1:4], [5.0, 24.99, 22.21], atol=0.005)
    np.testing.assert_allclose(floored[1:4], [5.0, 24.99, -65.55], atol=0.005)
    assert absolute[-1] == pytest.approx(20.2219, abs=5e-5)
    assert floored[-1] == pytest.approx(-66.7341, abs=5e-5)
    assert fpp(absolute[-1]) == pytest.approx(4.56, abs=0.005)
    assert fpp(floored[-1]) == pytest.approx(14.84, abs=0.005)
    xcos = XCos(C)
    assert newton(1, xcos.grad, xcos.hess, curvature="floor", eps=0.1,
                  verbose=False) == pytest.approx(floored, rel=1e-12)


@pytest.mark.parametrize("eta, x10, where", [
    (0.1, 8.0783, "not converged"), (0.2, 7.5061, "not converged"),
    (0.3, 7.3229, "not converged"), (0.5, 7.2699, "not converged"),
    (0.7, 7.2694, "not converged"), (0.9, 7.2694, "minimum"),
    (0.95, 13.6604, "maximum"), (0.99, 20.2219, "minimum"),
    (1.0, 26.8341, "maximum"),
])
def test_damping_table(eta, x10, where):
    x = 10.0
    for _ in range(10):
        x = x - eta * fp(x) / fpp(x)
    assert x == pytest.approx(x10, abs=5e-5)
    if abs(fp(x)) >= 1e-6:
        got = "not converged"
    else:
        got = "minimum" if fpp(x) > 0 else "maximum"
    assert got == where
    if eta == 0.1:
        assert fp(x) == pytest.approx(1.56, abs=0.005)   # not "near" 7.27


@pytest.mark.slow
def test_saddle_basin_share():
    """Pure Newton from a 101 x 101 grid: a batched solve, not the
    chapter's closed form."""
    grid = np.linspace(-2.5, 2.5, 101)
    x = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    with np.errstate(all="ignore"):
        for _ in range(40):
            g = np.stack([x[:, 0] ** 3 - x[:, 0] + x[:, 1] / 2,
                          x[:, 1] + x[:, 0] / 2], axis=1)
            h = np.empty((len(x), 2, 2))
            h[:, 0, 0] = 3 * x[:, 0] ** 2 - 1
            h[:, 0, 1] = h[:, 1, 0] = 0.5
            h[:, 1, 1] = 1.0
            ok = np.all(np.isfinite(h), axis=(1, 2)) & (
                np.abs(np.linalg.det(np.nan_to_num(h))) > 0)
            step = np.full_like(x, np.nan)
            step[ok] = np.linalg.solve(h[ok], g[ok][..., None])[..., 0]
            x = x - step
    at_saddle = np.linalg.norm(x, axis=1) < 1e-6
    r = math.sqrt(5) / 2
    at_min = ((np.linalg.norm(x - [r, -r / 2], axis=1) < 1e-6)
              | (np.linalg.norm(x + [r, -r / 2], axis=1) < 1e-6))
    assert round(100 * at_saddle.mean(), 1) == 18.8
    starts = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    off_edge = np.abs(np.abs(starts[:, 0]) - 0.5) > 1e-9
    assert np.array_equal(at_saddle[off_edge],
                          np.abs(starts[off_edge, 0]) < 0.5)
    # x1 = 1/2 is a 2-cycle of the x1 update x - (x^3 - 5x/4) / (3x^2 - 5/4).
    assert 0.5 - (0.125 - 0.625) / (0.75 - 1.25) == -0.5
    assert round(100 * at_min.mean(), 1) == 79.2


@pytest.mark.slow
def test_gd_and_modified_newton_leave_the_saddle():
    grid = np.linspace(-2.5, 2.5, 101)
    x1, x2 = np.meshgrid(grid, grid)
    for _ in range(2000):
        x1, x2 = x1 - 0.1 * (x1 ** 3 - x1 + x2 / 2), x2 - 0.1 * (x2 + x1 / 2)
    r = math.sqrt(5) / 2
    at_min = ((np.hypot(x1 - r, x2 + r / 2) < 1e-6)
              | (np.hypot(x1 + r, x2 - r / 2) < 1e-6))
    assert at_min.sum() == x1.size - 1            # all but the saddle start
    fn = SaddleAndTwoMinima()
    for a in np.linspace(-2.5, 2.5, 11):
        for b in np.linspace(-2.5, 2.5, 11):
            if a == b == 0:
                continue
            for curvature in ("abs", "shift_pd"):
                end = newton_nd(fn.f, fn.grad, fn.hess, [a, b], steps=60,
                                curvature=curvature, line_search=True,
                                tol=1e-20).xs[-1]
                assert min(np.linalg.norm(end - m) for m in fn.minima) < 1e-6


def test_three_paths_from_one_start():
    fn = SaddleAndTwoMinima()
    pure = newton_nd(None, fn.grad, fn.hess, [0.3, 1.0], steps=6)
    assert np.linalg.norm(pure.xs[3]) < 1e-10           # three steps
    x = np.array([0.3, 1.0])
    for _ in range(60):
        x = x - 0.1 * fn.grad(x)
    np.testing.assert_allclose(x, [1.110047, -0.529726], atol=5e-7)
    np.testing.assert_allclose(run_gd(fn), x, rtol=1e-13)


def run_gd(fn):
    return run(gd(0.1), fn.grad, [0.3, 1.0], steps=60)[-1]


def test_damped_phase_table():
    fn = LogCosh2D(0.1)
    x, rows = np.array([3.0, 1.0]), []
    for _ in range(5):
        g, h = fn.grad(x), fn.hess(x)
        p = -np.linalg.solve(h, g)
        t = 1.0
        while fn.f(x + t * p) > fn.f(x) + 1e-4 * t * (g @ p):
            t /= 2
        rows.append((fn.f(x), -(g @ p) / 2, t))
        x = x + t * p
    gaps, halves, lengths = zip(*rows)
    assert lengths == (0.125, 0.5, 1.0, 1.0, 1.0)
    np.testing.assert_allclose(gaps[:4], [6.132, 1.284, 9.000e-2, 1.108e-3],
                               rtol=5e-4)
    assert halves[0] / gaps[0] == pytest.approx(4.9, abs=0.05)
    assert halves[2] / gaps[2] == pytest.approx(1.08, abs=0.005)   # 8% over
    assert halves[3] / gaps[3] == pytest.approx(1, abs=1e-3)
    run_ = newton_nd(fn.f, fn.grad, fn.hess, [3.0, 1.0], steps=20,
                     line_search=True, tol=1e-12)
    assert run_.step_lengths[:5] == list(lengths)
    y = np.array([3.0, 1.0])
    y = y - np.linalg.solve(fn.hess(y), fn.grad(y))
    np.testing.assert_allclose(y, [-16.2, -13.5], atol=0.05)


def direct_bfgs(x, steps=2000, gtol=1e-8):
    """BFGS keeping the Hessian approximation B (not its inverse)."""
    f = lambda z: ROSENBROCK.f(z[0], z[1])
    grad = lambda z: np.array(ROSENBROCK.grad(z[0], z[1]))
    b, g, k = np.eye(2), grad(x), 0
    while k < steps and np.linalg.norm(g) > gtol:
        p = -np.linalg.solve(b, g)
        t, f0 = 1.0, f(x)
        slack = 4 * np.finfo(float).eps * max(1.0, abs(f0))
        while f(x + t * p) > f0 + 1e-4 * t * (g @ p) + slack:
            t /= 2
        s = t * p
        y = grad(x + s) - g
        if y @ s > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            bs = b @ s
            b = b - np.outer(bs, bs) / (s @ bs) + np.outer(y, y) / (y @ s)
        x, g, k = x + s, g + y, k + 1
    return k, x


def plain_modified_newton(x, steps=200):
    """Newton with H + tau I (tau from trial Cholesky factorizations) and
    backtracking, written out without the package."""
    f = lambda z: ROSENBROCK.f(z[0], z[1])
    grad = lambda z: np.array(ROSENBROCK.grad(z[0], z[1]))
    k = 0
    for k in range(steps):
        g, h = grad(x), ROSENBROCK.hess(x[0], x[1])
        low = min(h[0, 0], h[1, 1])
        tau = 0.0 if low > 0 else 1e-3 - low
        while True:
            m = h + tau * np.eye(2)
            if m[0, 0] > 0 and np.linalg.det(m) > 0:     # 2 x 2: PD test
                break
            tau = max(2 * tau, 1e-3)
        p = -np.linalg.solve(m, g)
        if -(g @ p) / 2 <= 1e-20:
            return k, x
        t, f0 = 1.0, f(x)
        slack = 4 * np.finfo(float).eps * max(1.0, abs(f0))
        while f(x + t * p) > f0 + 1e-4 * t * (g @ p) + slack:
            t /= 2
        x = x + t * p
    return k + 1, x


def rosenbrock_starts():
    """The table's five starts: on a circle of radius 1.5 around (1, 1)."""
    angles = np.linspace(0, 2 * np.pi, 5, endpoint=False) + 0.3
    return [np.array([1.0, 1.0]) + 1.5 * np.array([np.cos(a), np.sin(a)])
            for a in angles]


def rosenbrock_nd():
    """Rosenbrock's f, gradient and Hessian on vectors."""
    return (lambda z: ROSENBROCK.f(z[0], z[1]),
            lambda z: np.array(ROSENBROCK.grad(z[0], z[1])),
            lambda z: ROSENBROCK.hess(z[0], z[1]))


def test_rosenbrock_table():
    starts, (f, grad, hess) = rosenbrock_starts(), rosenbrock_nd()
    direct = [direct_bfgs(x0) for x0 in starts]
    assert [k for k, _ in direct] == [49, 19, 42, 24, 36]
    for x0, (k, _) in zip(starts, direct):
        r = bfgs(f, grad, x0, steps=2000, gtol=1e-8)
        assert len(r.xs) - 1 == k
        assert np.linalg.norm(r.xs[-1] - 1) < 1e-9
    assert [len(lbfgs(f, grad, x0, steps=2000, gtol=1e-8).xs) - 1
            for x0 in starts] == [47, 14, 38, 27, 37]
    newton_steps = [len(newton_nd(f, grad, hess, x0, steps=200,
                                  curvature="shift_pd", line_search=True,
                                  tol=1e-20).xs) - 1 for x0 in starts]
    assert newton_steps == [17, 17, 24, 14, 14]
    assert [plain_modified_newton(x0)[0] for x0 in starts] == newton_steps


def test_adam_ignores_the_curvature():
    runs = []
    for lam in (0.01, 1.0, 100.0):
        x, m, s, xs = 1.0, 0.0, 0.0, []
        for t in range(1, 6):
            g = lam * x
            m = 0.9 * m + 0.1 * g
            s = 0.999 * s + 0.001 * g * g
            x -= 0.1 * (m / (1 - 0.9 ** t)) / (
                math.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
            xs.append(x)
        runs.append(xs)
        package = run(adam(0.1), lambda z, lam=lam: lam * z, [1.0], 5)[1:, 0]
        np.testing.assert_allclose(package, xs, rtol=1e-13)
        assert xs[0] == pytest.approx(0.9, abs=1e-6)        # a step of eta
    np.testing.assert_allclose(runs[0], runs[2], atol=1e-5)  # five digits
    np.testing.assert_allclose(runs[1], runs[2], atol=1e-7)


def test_diagonal_scaling_after_rotation():
    expected = {0: 1.00, 15: 6.36, 30: 15.47, 45: 20.00}
    for degrees, kappa in expected.items():
        a = math.radians(degrees)
        c, s = math.cos(a), math.sin(a)
        h = np.array([[0.2 * c * c + 4 * s * s, (0.2 - 4) * c * s],
                      [(0.2 - 4) * c * s, 0.2 * s * s + 4 * c * c]])
        d = np.diag(1 / np.sqrt(np.diag(h)))
        w = np.linalg.eigvalsh(d @ h @ d)
        assert w[-1] / w[0] == pytest.approx(kappa, abs=0.005)
    assert np.allclose(ILL_CONDITIONED.hess(), np.diag([0.2, 4.0]))


def test_exercise_5_saddle_free_without_a_search():
    fn = SaddleAndTwoMinima()
    run_ = newton_nd(None, fn.grad, fn.hess, [0.3, 1.0], steps=12,
                     curvature="abs")
    np.testing.assert_allclose(run_.xs[3], [0.508, -0.124], atol=5e-4)
    np.testing.assert_allclose(run_.xs[4], [1.579, -0.483], atol=5e-4)
    assert fn.f(run_.xs[3]) == pytest.approx(-0.136, abs=5e-4)
    assert fn.f(run_.xs[4]) == pytest.approx(0.044, abs=5e-4)
    np.testing.assert_allclose(run_.xs[8], fn.minima[0], atol=1e-3)
    np.testing.assert_allclose(run_.xs[-1], fn.minima[0], atol=1e-12)


def test_exercise_6_one_bfgs_update():
    new = bfgs_update(np.eye(2), [1.0, 0.0], [2.0, 0.0])
    np.testing.assert_array_equal(new, np.diag([0.5, 1.0]))
    np.testing.assert_array_equal(new @ [2.0, 0.0], [1.0, 0.0])


def test_gradient_norm_figure():
    a = 0.3
    x0 = np.array([1.0, 1.0]) + 1.5 * np.array([np.cos(a), np.sin(a)])
    f = lambda z: ROSENBROCK.f(z[0], z[1])
    grad = lambda z: np.array(ROSENBROCK.grad(z[0], z[1]))
    for method, steps in ((bfgs, 49), (lbfgs, 47)):
        xs = method(f, grad, x0, steps=2000, gtol=1e-8).xs
        norms = np.array([np.linalg.norm(grad(x)) for x in xs])
        assert len(xs) - 1 == steps
        assert 4000 < norms[0] < 5000
        assert 0.4 < norms[3:36].min() and norms[3:36].max() < 53
        if method is bfgs:
            assert 3e-3 < norms[-4] < 5e-3 and norms[-1] < 2e-9


def test_logcosh_value_keeps_its_digits_near_the_minimum():
    # log(cosh(z)) rounds to 0 for |z| < 1e-8, which printed f(x_5) = 5.6e-28
    # against nu^2/2 = 1.06e-26 in the damped-phase table; the true gap is
    # the Taylor value sum(z^2)/2 + mu |x|^2 / 2 there.
    fn = LogCosh2D(0.1)
    x = np.array([1e-14, 2e-14])
    z = fn.A @ x
    exact = float(z @ z) / 2 + 0.05 * float(x @ x)
    assert fn.f(x) == pytest.approx(exact, rel=1e-12)
    far = np.array([1000.0, -300.0])
    assert fn.f(far) == pytest.approx(
        float(np.abs(fn.A @ far).sum()) - 2 * np.log(2) + 0.05 * far @ far,
        rel=1e-14)
    run_ = newton_nd(fn.f, fn.grad, fn.hess, [3.0, 1.0], steps=20,
                     line_search=True, tol=1e-12)
    last = run_.xs[-1]
    assert fn.f(last) == pytest.approx(run_.decrements[-1] ** 2 / 2,
                                       rel=1e-3)
    assert 1e-27 < fn.f(last) < 1e-25


def test_newton_fewest_steps_only_in_the_median():
    # The chapter once said Newton "needs the fewest steps"; from the second
    # start L-BFGS needs fewer. Counts from the table test, recomputed here.
    starts, (f, grad, hess) = rosenbrock_starts(), rosenbrock_nd()
    newton_ = [len(newton_nd(f, grad, hess, x0, steps=200,
                             curvature="shift_pd", line_search=True,
                             tol=1e-20).xs) - 1 for x0 in starts]
    bfgs_ = [len(bfgs(f, grad, x0, steps=2000, gtol=1e-8).xs) - 1
             for x0 in starts]
    lbfgs_ = [len(lbfgs(f, grad, x0, steps=2000, gtol=1e-8).xs) - 1
              for x0 in starts]
    assert (np.median(newton_), np.median(bfgs_), np.median(lbfgs_)) == (
        17, 36, 37)
    assert lbfgs_[1] == 14 < newton_[1] == 17


# Review (revnewton): the cosh and x cos(cx) numbers the text quotes,
# recomputed from closed forms, not from the chapter's helpers.

def _cosh_newton(x, steps, c=0.5):
    out = [x]
    for _ in range(steps):
        x = x - math.tanh(c * x) / c
        out.append(x)
    return out


def test_cosh_cubic_prediction_and_orders():
    xs = _cosh_newton(10.0, 7)
    np.testing.assert_allclose(
        xs, newton(1, lambda x: 0.5 * math.sinh(0.5 * x),
                   lambda x: 0.25 * math.cosh(0.5 * x), steps=7,
                   verbose=False), rtol=1e-12)
    cubic = [0.25 * xs[t - 1] ** 3 / 3 for t in (6, 7)]
    assert 0.02 < cubic[0] / xs[6] - 1 < 0.03            # "within 3%"
    assert abs(cubic[1] / xs[7] - 1) < 5e-4                # four digits
    e = np.abs(xs[4:8])
    orders = [math.log(e[k + 1] / e[k]) / math.log(e[k] / e[k - 1])
              for k in (1, 2)]
    np.testing.assert_allclose(orders, [2.759, 2.993], atol=5e-4)
    assert 0.25 * math.cosh(5) == pytest.approx(18.6, abs=0.05)


def test_exercise_3_cosh_from_100():
    assert _cosh_newton(100.0, 52)[-1] == pytest.approx(1.36e-7, rel=5e-3)
    assert _cosh_newton(100.0, 51)[-1] == pytest.approx(0.0118, rel=5e-3)
    assert abs(_cosh_newton(100.0, 51)[-1]) > 1e-6


def test_xcos_local_constant_and_shift_rate():
    c = 0.15 * math.pi
    g = lambda x: math.cos(c * x) - c * x * math.sin(c * x)
    h = lambda x: -2 * c * math.sin(c * x) - c * c * x * math.cos(c * x)
    f3 = lambda x: -3 * c * c * math.cos(c * x) + c ** 3 * x * math.sin(c * x)
    lo, hi = 7.0, 7.5
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if g(lo) * g(mid) <= 0 else (mid, hi)
    x_star = (lo + hi) / 2
    assert abs(f3(x_star)) / (2 * h(x_star)) == pytest.approx(0.1175,
                                                              abs=5e-5)
    x, errs = 8.0, [abs(8.0 - x_star)]
    for _ in range(3):
        x = x - g(x) / h(x)
        errs.append(abs(x - x_star))
    assert errs[3] / errs[2] ** 2 == pytest.approx(0.1175, abs=5e-4)
    # fixed shift f'' + 1 from 10: linear rate 1 / (f''(x*) + 1) = 0.355
    x, errs = 10.0, []
    for _ in range(10):
        x = x - g(x) / (h(x) + 1)
        errs.append(abs(x - x_star))
    assert errs[-1] / errs[-2] == pytest.approx(1 / (h(x_star) + 1),
                                                abs=1e-3)
    assert 1 / (h(x_star) + 1) == pytest.approx(0.355, abs=5e-4)
