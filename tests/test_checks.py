"""Argument checks and divergence reporting: every bad value is refused with its
name, every good one comes back as the plain Python number."""
import math
import warnings

import numpy as np
import pytest

from d2lhelpers import checks
from d2lhelpers.checks import DivergenceWarning

pytestmark = pytest.mark.unit

NOT_NUMBERS = [None, "0.1", True, [0.1], math.nan, math.inf, -math.inf]


@pytest.mark.parametrize("value", NOT_NUMBERS + [0, -1e-9])
def test_positive_refuses_and_names(value):
    with pytest.raises(ValueError, match="^eta0 must be a positive"):
        checks.check_positive("eta0", value)


def test_checks_return_floats_and_ints():
    assert checks.check_positive("x", np.float32(0.5)) == 0.5
    assert type(checks.check_lr(1)) is float
    assert checks.check_unit_interval("beta", 0) == 0.0
    assert type(checks.check_count("n", np.int64(3))) is int
    assert checks.check_steps(0) == 0
    assert checks.check_nonnegative("floor", 0) == 0.0


@pytest.mark.parametrize("value", NOT_NUMBERS + [1.0, -0.1])
def test_unit_interval_is_half_open(value):
    with pytest.raises(ValueError, match="beta must lie in"):
        checks.check_unit_interval("beta", value)


@pytest.mark.parametrize("value", [0, 2.0, "3", True, None, -1])
def test_count_needs_a_whole_number_at_least_the_minimum(value):
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
        checks.check_count("batch_size", value)


@pytest.mark.parametrize("value", NOT_NUMBERS[:5] + [-1.0])
def test_nonnegative(value):
    with pytest.raises(ValueError, match="decay must be a finite number >= 0"):
        checks.check_nonnegative("decay", value)


def test_finite_points_and_prefix():
    assert checks.is_finite_point((1.0, 2.0)) and checks.is_finite_point(3)
    assert not checks.is_finite_point((1.0, math.nan))
    assert not checks.is_finite_point("a") and not checks.is_finite_point(None)
    assert checks.finite_prefix([(0, 0), (1, 1), (math.inf, 0), (2, 2)]) == 2
    assert checks.finite_prefix([1.0, 2.0]) == 2 and checks.finite_prefix([]) == 0


def test_divergence_warning_names_the_step_and_is_silenced_only_inside():
    with pytest.warns(DivergenceWarning, match="gd diverged.*at step 7"):
        checks.warn_divergence("gd", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with checks.allow_divergence():
            checks.warn_divergence("gd", 1)           # silenced
            with pytest.raises(UserWarning):
                warnings.warn("other", UserWarning, stacklevel=1)   # others still raise


def test_as_vector_takes_a_gradient_given_as_per_coordinate_arrays():
    """A gradient written as ``(g1, g2)`` of arrays (one entry per start, as
    race.run_starts uses it) becomes one new (2, S) float array, as any other
    numeric input would; ragged or mismatched arrays are still refused."""
    from d2lhelpers.checks import as_vector
    g1, g2 = np.array([1.0, -2.5, np.inf]), np.array([0.5, 3.0, 7.0])
    arr = as_vector("grad", (g1, g2), (2, 3))
    assert arr.dtype == np.float64
    assert np.array_equal(arr, np.asarray((g1, g2)).astype(float))
    arr[0, 0] = 99.0
    assert g1[0] == 1.0                        # a copy, not a view of the input
    with pytest.raises(TypeError, match="numbers"):          # ragged
        as_vector("grad", (g1, g2[:2]), (2, 3))
    with pytest.raises(ValueError, match="shape"):
        as_vector("grad", (g1, g2), (3, 2))
