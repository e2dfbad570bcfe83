"""Reddi et al.'s counterexample: Adam ends at +1, AMSGrad at the optimum -1."""
import numpy as np
import pytest

from d2lhelpers import counterexample as CE

pytestmark = pytest.mark.unit


def test_the_average_loss_is_minimized_at_minus_one():
    C = 3.0
    mean_slope = np.mean([CE.gradient(t, C) for t in range(1, 3001)])
    assert mean_slope == pytest.approx((C - 2) / 3)


@pytest.mark.slow
def test_adam_goes_to_plus_one_and_amsgrad_to_minus_one():
    adam = CE.online_adam(3.0, 30000)
    ams = CE.online_adam(3.0, 30000, amsgrad=True)
    assert adam[-3000:].mean() > 0.99
    assert ams[-3000:].mean() < -0.99


def test_first_steps_by_hand():
    """t = 1: g = 3, s = 0.9 * 9 = 8.1 (beta2 = 0.1), x = 0 - 0.5 * 3 / sqrt(8.1)."""
    x = CE.online_adam(3.0, 2)
    assert x[0] == pytest.approx(-0.5 * 3 / np.sqrt(8.1))
    s2 = 0.1 * 8.1 + 0.9 * 1.0
    assert x[1] == pytest.approx(x[0] + 0.5 / np.sqrt(2) / np.sqrt(s2))
    ams = CE.online_adam(3.0, 2, amsgrad=True)
    assert ams[1] == pytest.approx(x[0] + 0.5 / np.sqrt(2) / np.sqrt(8.1))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="C must be"):
        CE.online_adam(2.0)
    with pytest.raises(ValueError, match="steps"):
        CE.online_adam(3.0, 0)


@pytest.mark.slow
def test_with_the_usual_beta2_adam_solves_this_problem():
    assert CE.online_adam(3.0, 30000, beta2=0.999)[-3000:].mean() < -0.99
