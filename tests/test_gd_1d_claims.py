"""The facts stated in chapters/gd-1d.md, each recomputed.

The reference values come from a Newton solve of f'(x) = 0 written here, not
from the chapter's code path; the chapter's helpers are then checked against
them.
"""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import d2lhelpers as d2l  # noqa: E402
from d2lhelpers.functions import XCos, square_grad  # noqa: E402

pytestmark = pytest.mark.unit

C = 0.15 * math.pi


def _fp(x):
    return math.cos(C * x) - C * x * math.sin(C * x)


def _fpp(x):
    return -2 * C * math.sin(C * x) - C * C * x * math.cos(C * x)


def _newton_root(x):
    for _ in range(60):
        x -= _fp(x) / _fpp(x)
    return x


X_STAR = _newton_root(7.27)          # the valley the text discusses
X_OTHER = _newton_root(-1.83)        # the shallower one the big step finds


def _gd_end(eta, steps=300, x0=10.0):
    x = x0
    for _ in range(steps):
        x = x - eta * _fp(x)
    return x


def test_reference_minima():
    assert X_STAR == pytest.approx(7.2694, abs=1e-4)
    assert X_STAR * math.cos(C * X_STAR) == pytest.approx(-6.98, abs=5e-3)
    assert X_OTHER == pytest.approx(-1.8257, abs=1e-4)
    assert _fpp(X_STAR) == pytest.approx(1.81, abs=5e-3)
    assert 2 / _fpp(X_STAR) == pytest.approx(1.103, abs=1e-3)


def test_merely_differentiable_remainder_is_not_order_eps_squared():
    # f(x) = x + |x|^{3/2} at 0: f'(0) = 1, remainder |eps|^{3/2}.
    def f(x):
        return x + abs(x) ** 1.5

    ratios = [(f(e) - f(0) - e) / e ** 2 for e in (1e-2, 1e-4, 1e-6)]
    assert ratios[0] < ratios[1] < ratios[2]          # unbounded: not O(eps^2)
    assert ratios[2] > 999
    assert (f(1e-8) - f(0) - 1e-8) / 1e-8 < 1e-3      # but o(eps)


def test_hand_loop_equals_d2l_gd():
    xs = [10.0]
    for _ in range(10):
        xs.append(xs[-1] - 0.2 * square_grad(xs[-1]))
    assert d2l.gd(0.2, square_grad, verbose=False) == xs


@pytest.mark.parametrize("eta", [0.3, 1.0])
def test_linearized_factor_matches_successive_errors(eta):
    xs = d2l.gd(eta, XCos().grad, steps=20, verbose=False)
    ratio = (xs[20] - X_STAR) / (xs[19] - X_STAR)
    assert ratio == pytest.approx(1 - eta * _fpp(X_STAR), abs=3e-3)


@pytest.mark.parametrize("tol, largest", [
    (1e-2, 1.09), (1e-3, 1.09), (1e-4, 1.08), (1e-6, 1.08)])
@pytest.mark.slow
def test_exercise4_threshold_moves_with_the_tolerance(tol, largest):
    etas = np.round(np.linspace(1, 2, 101), 2)
    grad = XCos().grad
    settled = [abs(d2l.gd(e, grad, steps=300, verbose=False)[-1] - X_STAR) < tol
               for e in etas]
    # every eta up to `largest` settles and the next one does not
    first_bad = settled.index(False)
    assert etas[first_bad - 1] == largest
    assert all(settled[:first_bad])
    # the independent loop agrees
    assert abs(_gd_end(largest) - X_STAR) < tol
    assert abs(_gd_end(round(largest + 0.01, 2)) - X_STAR) >= tol


@pytest.mark.parametrize("eta, factor, error", [
    (1.08, 0.959, 7.2e-7), (1.09, 0.977, 1.7e-4), (1.10, 0.995, 0.029)])
def test_exercise4_quoted_factors_and_errors(eta, factor, error):
    assert abs(1 - eta * _fpp(X_STAR)) == pytest.approx(factor, abs=5e-4)
    assert abs(_gd_end(eta) - X_STAR) == pytest.approx(error, rel=0.05)


def test_exercise4_first_step_and_the_escape():
    x_max = -X_OTHER                  # f is odd: the maximum sits at 1.83
    # up to 1.73 the first step stays right of that maximum ...
    assert 10 - 1.73 * _fp(10) > x_max
    assert 10 - 1.74 * _fp(10) < x_max
    # ... and from 1.74 the run ends in the other valley
    assert _gd_end(1.74) == pytest.approx(X_OTHER, abs=1e-9)
    assert abs(_gd_end(1.73) - X_OTHER) > 1


@pytest.mark.slow
def test_xcos_legend_leaves_the_discussed_valley_visible():
    xcos = XCos()
    results = d2l.gd(2, xcos.grad, verbose=False)
    ax = d2l.show_trace(results, xcos.f, legend_loc="upper center")
    fig = ax.figure
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    # the valley floor and a neighbourhood of it, in display coordinates
    for x in np.linspace(X_STAR - 1.5, X_STAR + 1.5, 31):
        px, py = ax.transData.transform((x, xcos.f(x)))
        assert not box.contains(px, py), x
    plt.close(fig)
