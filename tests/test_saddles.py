"""Escaping strict saddles (d2lhelpers.saddles): the escape time grows like
log(1/distance)/log(1 + eta |lambda_min|), the stable line never escapes, and
perturbed gradient descent does."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers import bounds, saddles
from d2lhelpers.functions import CosineSaddle
from d2lhelpers.optim import grad_2d

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("b, eta", [(0.25, 0.5), (0.5, 0.5), (1.0, 0.5), (1.0, 0.2)])
def test_escape_time_scaling(b, eta):
    grad = grad_2d(CosineSaddle(a=1.0, b=b).grad)
    deltas = 10.0 ** -np.arange(2, 13)
    T = np.array([saddles.escape_time(grad, [1.0, d], eta) for d in deltas])
    slope = np.polyfit(np.log(1 / deltas), T, 1)[0]
    assert slope == pytest.approx(1 / math.log1p(eta * b), rel=0.01)
    # and within a few steps of the linearized count at every distance
    assert np.all(np.abs(T - bounds.escape_steps(eta, -b, deltas)) <= 3 / (eta * b))


def test_escape_time_by_hand_on_the_linear_part():
    # x2 grows like sin: from 1e-3 the first steps multiply by ~1.5 (eta b = 0.5)
    grad = grad_2d(CosineSaddle(a=1.0, b=1.0).grad)
    assert saddles.escape_time(grad, [0.0, 0.5], 0.5, radius=0.5) == 0
    x = 0.5
    steps = 0
    while abs(x) < 1.0:
        x = x + 0.5 * math.sin(x)
        steps += 1
    assert saddles.escape_time(grad, [0.0, 0.5], 0.5) == steps


def test_the_stable_line_never_escapes():
    grad = grad_2d(CosineSaddle().grad)
    assert saddles.escape_time(grad, [1.5, 0.0], 0.5, max_steps=2000) is None


@pytest.mark.parametrize("seed", range(5))
def test_perturbed_gd_escapes_from_the_stable_line(seed):
    fn = CosineSaddle()
    grad = grad_2d(fn.grad)
    X, kicks = saddles.perturbed_gd(grad, [1.5, 0.0], 0.5, 150, radius=1e-3,
                                    g_thres=1e-2, t_thres=20,
                                    rng=np.random.default_rng(seed))
    assert kicks and fn.f(*X[-1]) < 1e-6
    k = kicks[0]
    assert np.linalg.norm(grad(X[k])) <= 1e-2
    assert np.all(np.linalg.norm(grad(X[j])) > 1e-2 for j in range(k))
    # the kick is at most the radius
    jump = X[k + 1] - (X[k] - 0.5 * grad(X[k]))
    assert np.linalg.norm(jump) <= 1e-3 * 1.01 + 0.5 * 1e-3
    X2, kicks2 = saddles.perturbed_gd(grad, [1.5, 0.0], 0.5, 150, radius=1e-3,
                                      g_thres=1e-2, t_thres=20,
                                      rng=np.random.default_rng(seed))
    np.testing.assert_array_equal(X, X2)
    assert kicks == kicks2


def test_bad_input():
    grad = grad_2d(CosineSaddle().grad)
    with pytest.raises(TypeError, match="rng"):
        saddles.perturbed_gd(grad, [1.0, 0.0], 0.5, 10, 1e-3, 1e-2, 5, rng=0)
    with pytest.raises(ValueError, match="radius"):
        saddles.escape_time(grad, [1.0, 0.1], 0.5, radius=0)
    with pytest.raises(ValueError, match="learning rate"):
        saddles.escape_time(grad, [1.0, 0.1], -0.5)
