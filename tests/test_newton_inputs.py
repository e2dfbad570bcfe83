"""Hostile starts for the Newton drivers: bad input is named, divergence is
said and drawn only to its last finite point (found in the newton review)."""
import warnings

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.newton import newton, newton_nd

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("x0", [float("nan"), float("inf"), "a", [1.0, 2.0]])
def test_newton_names_a_bad_start(x0):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="x0"):
            newton(1, lambda x: 2 * x, lambda x: 2.0, x0=x0, verbose=False)


@pytest.mark.parametrize("x0", [[np.nan, 2.0], [1.0, np.inf], []])
def test_newton_nd_names_a_bad_start(x0):
    with pytest.raises(ValueError, match="x0"):
        newton_nd(None, lambda x: x, lambda x: np.eye(2), x0)


def test_newton_nd_divergence_is_said_and_stops_at_the_last_finite_point():
    # A gradient that overflows on the second step: x -> x - (x * 1e300).
    grad = lambda x: x * 1e300
    with pytest.warns(DivergenceWarning, match="step 2"), \
            np.errstate(over="ignore", invalid="ignore"):
        r = newton_nd(None, grad, lambda x: np.eye(2), [1.0, 1.0], steps=5)
    assert np.all(np.isfinite(r.xs))
    assert len(r.xs) == 2 and len(r.step_lengths) == 1
    np.testing.assert_array_equal(r.xs[1], [1.0 - 1e300, 1.0 - 1e300])
