"""SGD with a noisy gradient: the 2D demo, its noise ball, the two wells."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.unit


def test_noisy_sgd_is_seeded_and_matches_hand_computation():
    from d2lhelpers.drivers import train_2d
    from d2lhelpers.functions import CLASSIC
    from d2lhelpers.noisy import inverse_time, noisy_sgd
    a = train_2d(noisy_sgd(0.1, seed=3), steps=5, f_grad=CLASSIC.grad, verbose=False)
    b = train_2d(noisy_sgd(0.1, seed=3), steps=5, f_grad=CLASSIC.grad, verbose=False)
    assert a == b
    # by hand: the same N(0, 1) draws, two per step, and the decayed rate 0.1 / (1 + 0.5 t)
    z = np.random.default_rng(3).standard_normal(10).reshape(5, 2)
    x1, x2 = -5.0, -2.0
    run = train_2d(noisy_sgd(0.1, seed=3, schedule=inverse_time(0.5)), steps=5,
                   f_grad=CLASSIC.grad, verbose=False)
    for t in range(1, 6):
        eta = 0.1 / (1 + 0.5 * t)
        x1, x2 = x1 - eta * (2 * x1 + z[t - 1, 0]), x2 - eta * (4 * x2 + z[t - 1, 1])
        assert run[t] == pytest.approx((x1, x2), abs=1e-12)


def test_noisy_sgd_block_draws_equal_step_by_step_draws():
    """A seed is drawn in blocks of pairs, a Generator passed in pair by pair
    (it may be shared); over several blocks the runs agree to the last bit,
    and the shared Generator ends where 2 draws per step leave it."""
    from d2lhelpers.drivers import train_2d
    from d2lhelpers.functions import CLASSIC
    from d2lhelpers.noisy import inverse_time, noisy_sgd
    steps = 1300                                 # more than two blocks of 512
    for schedule in (None, inverse_time(0.1)):
        blocks = train_2d(noisy_sgd(0.1, seed=7, schedule=schedule), steps=steps,
                          f_grad=CLASSIC.grad, verbose=False)
        shared = np.random.default_rng(7)
        pairs = train_2d(noisy_sgd(0.1, seed=shared, schedule=schedule),
                         steps=steps, f_grad=CLASSIC.grad, verbose=False)
        assert np.array_equal(np.array(blocks), np.array(pairs))
        assert all(type(v) is float for point in blocks for v in point)
        after = np.random.default_rng(7)
        after.standard_normal(2 * steps)
        assert shared.standard_normal() == after.standard_normal()


def test_noisy_bad_arguments():
    from d2lhelpers.noisy import inverse_time, noisy_sgd
    with pytest.raises(ValueError, match="learning rate"):
        noisy_sgd(0.0)
    with pytest.raises(ValueError, match="decay"):
        inverse_time(-1)
    with pytest.raises(TypeError, match="schedule"):
        noisy_sgd(0.1, schedule=3)


@pytest.mark.slow
def test_two_wells_gradient_and_escape():
    from d2lhelpers.noisy import TwoWells, noisy_descent
    wells = TwoWells()
    xs = np.linspace(-3, 3, 13)
    numeric = (wells.f(xs + 1e-6) - wells.f(xs - 1e-6)) / 2e-6
    np.testing.assert_allclose(wells.grad(xs), numeric, atol=1e-5)
    assert wells.f(0.998) < wells.f(-1.0)           # the sharp well is the deeper one
    calm = noisy_descent(wells.grad, 1.0, 0.015, 2000, 0.0, walkers=5)
    np.testing.assert_allclose(calm[-1], 0.998, atol=2e-3)
    noisy_end = noisy_descent(wells.grad, 1.0, 0.015, 2000, 6.0, walkers=200, seed=0)[-1]
    assert np.mean(noisy_end < 0.5) > 0.6
