"""Nesterov's accelerated method (d2lhelpers.accelerated): the momentum
schedule and iterates by hand, and the constant-momentum version against the
textbook two-sequence form computed independently."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import accelerated

pytestmark = pytest.mark.unit


def test_momentum_schedule_by_hand():
    t2 = (1 + math.sqrt(5)) / 2
    t3 = (1 + math.sqrt(1 + 4 * t2 ** 2)) / 2
    betas = accelerated.momentum_schedule(3)
    np.testing.assert_allclose(betas[:2], [0.0, (t2 - 1) / t3])
    long = accelerated.momentum_schedule(2000)
    assert np.all(np.diff(long) > 0) and long[-1] < 1
    k = np.arange(1, 2001)
    assert np.max(np.abs(long - (k - 1) / (k + 2))) < 0.05


def test_nesterov_convex_iterates_by_hand():
    # f = x^2 (L = 2): x1 = y1 - f'(y1)/2 = 0 from any start; take f = x^2 / 2, L = 2
    grad = lambda x: x                      # f = x^2/2, curvature 1, use L = 2
    X = accelerated.nesterov_convex(grad, [4.0], 2.0, 3)
    t2 = (1 + math.sqrt(5)) / 2
    t3 = (1 + math.sqrt(1 + 4 * t2 ** 2)) / 2
    x1 = 4.0 - 4.0 / 2                      # y1 = x0 = 4
    y2 = x1 + 0.0 * (x1 - 4.0)
    x2 = y2 - y2 / 2
    y3 = x2 + (t2 - 1) / t3 * (x2 - x1)
    x3 = y3 - y3 / 2
    np.testing.assert_allclose(X[:, 0], [4.0, x1, x2, x3])


def test_constant_momentum_matches_the_two_sequence_form():
    rng = np.random.default_rng(1)
    A = np.diag([0.5, 2.0, 9.0])
    b = rng.standard_normal(3)
    grad = lambda x: A @ x - b
    mu, L = 0.5, 9.0
    beta = (math.sqrt(L / mu) - 1) / (math.sqrt(L / mu) + 1)
    x = y = np.array([1.0, -2.0, 3.0])
    expected = [x]
    for _ in range(25):
        x_new = y - grad(y) / L
        y = x_new + beta * (x_new - x)
        x = x_new
        expected.append(x)
    got = accelerated.nesterov_strongly_convex(grad, [1.0, -2.0, 3.0], mu, L, 25)
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-12, atol=1e-14)


def test_bad_input():
    with pytest.raises(ValueError, match="L"):
        accelerated.nesterov_convex(lambda x: x, [1.0], 0.0, 3)
    with pytest.raises(ValueError, match="mu must not exceed L"):
        accelerated.nesterov_strongly_convex(lambda x: x, [1.0], 2.0, 1.0, 3)
    with pytest.raises(ValueError, match="steps"):
        accelerated.momentum_schedule(-1)
