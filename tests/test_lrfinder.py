"""The range test on problems whose stable range is known in closed form."""
import math

import numpy as np
import pytest

from d2lhelpers.lrfinder import (geometric_rates, plot_range_test, quadratic_stepper,
                                 range_test)

pytestmark = pytest.mark.unit


def _scaled_square(L):
    """f(x) = L x^2 / 2: gradient descent contracts by |1 - eta L|, stable iff eta < 2/L."""
    return (lambda x: L * x ** 2 / 2), (lambda x: L * x)


@pytest.mark.parametrize("L", [0.5, 2.0, 4.0, 30.0])
def test_minimum_sits_at_the_stability_bound(L):
    f, grad = _scaled_square(L)
    etas = geometric_rates(1e-4, 100.0, 71)
    result = range_test(quadratic_stepper(f, grad, [3.0]), etas)
    k = int(np.argmin(result.losses))
    # The loss falls exactly while eta < 2/L and rises from the first eta > 2/L.
    assert result.etas[k] < 2 / L < etas[k + 1]
    assert result.eta_at_min == result.etas[k]
    assert np.all(np.diff(result.losses[k:]) > 0)
    assert np.all(np.diff(result.losses[:k + 1]) < 0)
    assert result.blew_up and result.losses[-1] > 4 * result.start_loss
    assert np.all(result.losses[:-1] <= 4 * result.start_loss)  # stopped at the first blow-up
    assert result.suggestion() == pytest.approx(result.etas[k] / 10)


def test_losses_are_the_iterates_of_gradient_descent():
    f, grad = _scaled_square(2.0)
    etas = np.array([0.1, 0.2, 0.4])
    result = range_test(quadratic_stepper(f, grad, [10.0]), etas)
    x = 10.0
    expected = []
    for eta in etas:  # x <- (1 - 2 eta) x, by hand
        x *= 1 - 2 * eta
        expected.append(x ** 2)
    np.testing.assert_allclose(result.losses, expected, rtol=1e-12)
    assert result.start_loss == 100.0 and not result.blew_up


def test_smoothing_is_a_bias_corrected_average():
    losses = iter([4.0, 2.0, 1.0])
    result = range_test(lambda eta: 8.0 if eta is None else next(losses), [1.0, 2.0, 3.0],
                        smoothing=0.5)
    # avg_k = 0.5 avg_{k-1} + 0.5 loss_k, divided by 1 - 0.5^k
    assert result.smoothed.tolist() == pytest.approx([4.0, (1 + 1) / 0.75, (1 + 0.5) / 0.875])


def test_readings_of_a_recorded_curve():
    values = iter([8.0, 2.0, 1.0, 0.5, 0.6, 1.2, 3.0])
    etas = [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0]
    result = range_test(lambda eta: 10.0 if eta is None else next(values), etas)
    assert result.eta_at_min == 10.0
    assert result.eta_leaving_floor() == 1000.0       # 1.2 > 2 x 0.5
    assert result.eta_leaving_floor(factor=5) == 10000.0  # 3.0 > 5 x 0.5
    assert math.isnan(result.eta_leaving_floor(factor=10))  # never 10x the minimum
    assert result.eta_steepest == 0.1                 # 8 -> 2 is the steepest fall
    assert not result.blew_up


def test_stops_at_a_non_finite_loss():
    values = iter([1.0, 0.5, math.inf, 0.1])
    result = range_test(lambda eta: 2.0 if eta is None else next(values), [1, 2, 3, 4])
    assert result.blew_up and result.etas.tolist() == [1, 2]


def test_geometric_rates():
    etas = geometric_rates(1e-3, 10, 5)
    np.testing.assert_allclose(etas, [1e-3, 1e-2, 1e-1, 1, 10])


@pytest.mark.parametrize("call, match", [
    (lambda: geometric_rates(0, 1, 5), "eta_min"),
    (lambda: geometric_rates(1, 0.5, 5), "eta_max"),
    (lambda: geometric_rates(1e-3, 1, 1), "num"),
    (lambda: range_test(lambda e: 1.0, [0.1]), "etas"),
    (lambda: range_test(lambda e: 1.0, [0.2, 0.1]), "etas"),
    (lambda: range_test(lambda e: 1.0, [0.1, 0.2], smoothing=1.0), "smoothing"),
    (lambda: range_test(lambda e: 1.0, [0.1, 0.2], blowup=1.0), "blowup"),
    (lambda: range_test(lambda e: math.nan, [0.1, 0.2]), "start"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
    with pytest.raises(TypeError, match="step"):
        range_test(3.0, [0.1, 0.2])


def test_plot_shows_the_curve_and_the_minimum():
    f, grad = _scaled_square(2.0)
    result = range_test(quadratic_stepper(f, grad, [3.0]), geometric_rates(1e-3, 10, 40))
    ax = plot_range_test(result, mark=(1.0, "2/L"))
    xs, ys = ax.lines[0].get_data()
    np.testing.assert_allclose(xs, result.etas)
    np.testing.assert_allclose(ys, result.losses)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("minimum" in s for s in labels) and "2/L" in labels
    assert ax.get_xscale() == "log" and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
