"""Facts the momentum chapter prints (its opening runs and rate tables)."""
from __future__ import annotations
import math
import numpy as np
import pytest
from d2lhelpers.functions import ILL_CONDITIONED
from d2lhelpers.momentum import (iteration_matrix,
                                 momentum, radius_closed_form, rate)
from d2lhelpers.optim import as_trainer, grad_2d, run, sgd
from d2lhelpers.drivers import train_2d


pytestmark = pytest.mark.chapter

G = grad_2d(ILL_CONDITIONED.grad)
X0 = (-5.0, -2.0)


def test_chapter_opening_runs():
    """The numbers the chapter prints (20 steps from (-5, -2)), via train_2d too."""
    end = {}
    for key, opt in {"gd0.4": sgd(0.4), "hb": momentum(0.6, 0.5),
                     "hb.25": momentum(0.6, 0.25)}.items():
        pts = train_2d(as_trainer(opt), 20, f_grad=ILL_CONDITIONED.grad, verbose=False)
        np.testing.assert_array_equal(np.array(pts), run(opt, G, X0, 20))
        end[key] = pts[-1]
    # GD: each coordinate is multiplied by 1 - eta * lam per step.
    assert end["gd0.4"] == pytest.approx((-5 * 0.92 ** 20, -2 * (-0.6) ** 20), rel=1e-12)
    assert end["hb"] == pytest.approx((0.007188, 0.002553), abs=5e-7)
    assert end["hb.25"] == pytest.approx((-0.126340, -0.186632), abs=5e-7)
    # Independently: 20 powers of each coordinate's 2x2 iteration matrix.
    for key, beta in (("hb", 0.5), ("hb.25", 0.25)):
        for i, lam in enumerate(ILL_CONDITIONED.eigenvalues):
            vx = np.linalg.matrix_power(iteration_matrix(0.6, beta, lam), 20) @ [0.0, X0[i]]
            assert vx[1] == pytest.approx(end[key][i], rel=1e-10)
    gd6 = run(sgd(0.6), G, X0, 20)[-1]
    assert gd6 == pytest.approx((-5 * 0.88 ** 20, -2 * (-1.4) ** 20), rel=1e-12)


def test_exercise_numbers():
    xs = run(momentum(1.0, 0.9), lambda x: np.array([1.0]), [0.0], 50)[:, 0]
    steps = -np.diff(xs)
    assert steps[43] >= 9.9 > steps[42]
    assert round(steps[43], 3) == 9.903 and round(steps[42], 3) == 9.892
    lams = ILL_CONDITIONED.eigenvalues
    betas = np.linspace(0, 0.99, 100)
    rates = [rate(0.4, b, lams) for b in betas]
    assert betas[int(np.argmin(rates))] == pytest.approx(0.52)
    assert min(rates) == pytest.approx(0.7211, abs=1e-4)
    fine = np.linspace(0, 0.99, 10_000)
    r = radius_closed_form(0.4, fine[:, None], np.array(lams)).max(axis=1)
    assert fine[np.argmin(r)] == pytest.approx((1 - math.sqrt(0.08)) ** 2, abs=2e-4)
    assert r.min() == pytest.approx(math.sqrt((1 - math.sqrt(0.08)) ** 2), abs=2e-4)
