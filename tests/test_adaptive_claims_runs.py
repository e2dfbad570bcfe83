"""Facts the adaptive-methods chapter prints in its opening runs and exercises."""
from __future__ import annotations

import math

import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers.adaptive import adagrad, adam, rmsprop
from d2lhelpers.functions import ILL_CONDITIONED
from d2lhelpers.optim import as_trainer, run


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
