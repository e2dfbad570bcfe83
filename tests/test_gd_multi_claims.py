"""The facts stated in chapters/gd-multi.md, each recomputed independently."""
import math

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers import quadratic
from d2lhelpers.functions import CLASSIC, ILL_CONDITIONED
from d2lhelpers.optim import as_trainer, gd

pytestmark = pytest.mark.unit


def _contour_axis_ratio(a, b, c=1.0):
    # f = a x1^2 + b x2^2 = c crosses the axes at sqrt(c/a) and sqrt(c/b);
    # find the crossings by bisection on f along each axis, not by the formula
    def crossing(g):
        lo, hi = 0.0, 1.0
        while g(hi) < c:
            hi *= 2
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if g(mid) < c else (lo, mid)
        return lo
    return crossing(lambda t: a * t * t) / crossing(lambda t: b * t * t)


@pytest.mark.parametrize("q, ratio", [(ILL_CONDITIONED, 4.47), (CLASSIC, 1.41)])
def test_contour_axis_ratio_is_sqrt_kappa_not_kappa(q, ratio):
    measured = _contour_axis_ratio(q.a, q.b)
    assert measured == pytest.approx(math.sqrt(q.condition_number), rel=1e-9)
    assert measured == pytest.approx(ratio, abs=5e-3)
    assert abs(measured - q.condition_number) > 1 or q.condition_number < 3


def test_contraction_by_rho_star_is_exact_in_2d_only():
    lams = np.array([0.2, 1.0, 4.0])            # a 3-D quadratic, kappa = 20
    eta = 2 / (lams.min() + lams.max())
    rho = (lams.max() - lams.min()) / (lams.max() + lams.min())
    x = np.ones(3)
    for _ in range(30):
        x = x - eta * lams * x                  # gd on 0.5 sum lam_i x_i^2
    per_step = np.abs(x) ** (1 / 30)
    assert per_step[0] == pytest.approx(rho, rel=1e-12)
    assert per_step[2] == pytest.approx(rho, rel=1e-12)
    assert per_step[1] < rho - 0.3              # the middle one is faster
    assert np.linalg.norm(x) <= rho ** 30 * math.sqrt(3)
    # in 2-D both coordinates contract by exactly rho*
    q = ILL_CONDITIONED
    factors = quadratic.contraction_factors(q, quadratic.best_lr(q))
    assert np.abs(factors) == pytest.approx([19 / 21, 19 / 21], rel=1e-12)


def test_numpy_loop_equals_the_package_trainer():
    xs = [np.array([-5.0, -2.0])]
    for _ in range(20):
        x = xs[-1]
        xs.append(x - 0.1 * np.array([2 * x[0], 4 * x[1]]))
    results = d2l.train_2d(as_trainer(gd(0.1)), f_grad=CLASSIC.grad,
                           verbose=False)
    assert np.array(results) == pytest.approx(np.array(xs), abs=0)
    assert xs[-1] == pytest.approx([-5 * 0.8 ** 20, -2 * 0.6 ** 20],
                                   rel=1e-12)


def test_steps_to_tolerance_runs_gd():
    # 139 steps for kappa = 20 at the best step (exercise 2), by a plain loop
    lams, eta = np.array([0.2, 4.0]), 2 / 4.2
    x, k = np.ones(2), 0
    while np.linalg.norm(x) > 1e-6 * math.sqrt(2):
        x, k = x - eta * lams * x, k + 1
    assert k == 139
    q = ILL_CONDITIONED
    assert quadratic.steps_to_tolerance(q, quadratic.best_lr(q)) == k
