"""Tests for d2lhelpers.sgd_theory: the bounds of Bottou et al. (2018)
Theorems 4.6 and 4.7 against closed forms, and the walkers against exact
second-moment recursions."""
import numpy as np
import pytest

from d2lhelpers import sgd_theory as st

pytestmark = pytest.mark.unit

LAM, X0, L, MU, M = (2.0, 4.0), (-5.0, -2.0), 4.0, 2.0, 2.0
GAP0 = 33.0


def exact_mean_f(schedule, steps, lam=LAM, x0=X0):
    """E[f(x_t)] from the recursion E x^2 <- (1 - a lam)^2 E x^2 + a^2."""
    lam, ex = np.array(lam), np.array(x0) ** 2
    out = [0.5 * (lam * ex).sum()]
    for t in range(1, steps + 1):
        a = schedule(t)
        ex = (1 - a * lam) ** 2 * ex + a * a
        out.append(0.5 * (lam * ex).sum())
    return np.array(out)


def test_fixed_step_bound_closed_form_and_limit():
    b = st.fixed_step_bound(np.array([0, 1, 10, 10 ** 6]), 0.1, L, MU, M, GAP0)
    ball = 0.1 * L * M / (2 * MU)
    assert b[0] == pytest.approx(GAP0)
    assert b[1] == pytest.approx(ball + 0.8 * (GAP0 - ball))
    assert b[-1] == pytest.approx(0.2)


def test_fixed_step_bound_holds_at_every_step_exactly():
    exact = exact_mean_f(lambda t: 0.1, 3000)
    bound = st.fixed_step_bound(np.arange(3001), 0.1, L, MU, M, GAP0)
    assert np.all(exact <= bound + 1e-12)
    assert exact[-1] == pytest.approx(st.stationary_mean_f(LAM, 0.1), rel=1e-6)
    assert bound[-1] / exact[-1] == pytest.approx(0.2 / 0.059027, rel=1e-3)


@pytest.mark.slow
def test_diminishing_step_bound_holds_and_is_loose_by_the_start():
    sched = st.diminishing_step(1.0, 3.0)
    exact = exact_mean_f(sched, 10000)
    bound = st.diminishing_step_bound(np.arange(10001), 1.0, 3.0, L, MU, M, GAP0)
    assert np.all(exact <= bound)
    # nu = max(beta^2 L M / (2 (beta mu - 1)), (gamma + 1) gap0) = max(4, 132)
    assert bound[0] == pytest.approx(132 / 4)
    assert 150 < bound[-1] / exact[-1] < 250


@pytest.mark.parametrize("kwargs, match", [
    ({"eta": 0.3}, "1/\\(L M_G\\)"),
    ({"mu": 5.0}, "at most L"),
    ({"M": -1.0}, "M and gap0"),
])
def test_fixed_step_bound_checks_hypotheses(kwargs, match):
    args = {"eta": 0.1, "L": L, "mu": MU, "M": M, "gap0": GAP0} | kwargs
    with pytest.raises(ValueError, match=match):
        st.fixed_step_bound([1, 2], **args)


def test_diminishing_step_bound_checks_hypotheses():
    with pytest.raises(ValueError, match="beta > 1/mu"):
        st.diminishing_step_bound([1], 0.5, 3.0, L, MU, M, GAP0)
    with pytest.raises(ValueError, match="beta/\\(gamma \\+ 1\\)"):
        st.diminishing_step_bound([1], 2.0, 3.0, L, MU, M, GAP0)
    with pytest.raises(ValueError, match="steps"):
        st.diminishing_step_bound([1.5], 1.0, 3.0, L, MU, M, GAP0)


@pytest.mark.slow
def test_walkers_match_exact_recursion_and_average_theory():
    ts = [10, 100, 1000, 3000]
    run = st.walkers(LAM, X0, lambda t: 0.1, 3000, runs=2000, seed=0,
                     record=ts, average_from=100)
    exact = exact_mean_f(lambda t: 0.1, 3000)[ts]
    # mean of 2000 runs: relative standard error about sqrt(2/2000) ~ 3%
    np.testing.assert_allclose(run.mean_f, exact, rtol=0.12)
    assert np.isnan(run.mean_f_avg[:2]).all()
    assert run.mean_f_avg[-1] == pytest.approx(
        st.averaged_mean_f(LAM, 2900), rel=0.15)


def test_walkers_seeded_and_bad_input():
    a = st.walkers(LAM, X0, lambda t: 0.1, 50, runs=10, seed=3, record=[50])
    b = st.walkers(LAM, X0, lambda t: 0.1, 50, runs=10, seed=3, record=[50])
    assert a.mean_f == b.mean_f
    with pytest.raises(ValueError, match="curvatures"):
        st.walkers((2.0,), X0, lambda t: 0.1, 10)
    with pytest.raises(TypeError, match="schedule"):
        st.walkers(LAM, X0, 0.1, 10)
    with pytest.raises(ValueError, match="record"):
        st.walkers(LAM, X0, lambda t: 0.1, 10, record=[11])
    with pytest.raises(ValueError, match="average_from"):
        st.walkers(LAM, X0, lambda t: 0.1, 10, average_from=10)


def test_stationary_and_averaged_closed_forms():
    assert st.stationary_mean_f(LAM, 0.1) == pytest.approx(0.0278 + 0.03125, abs=1e-4)
    assert st.averaged_mean_f(LAM, 100) == pytest.approx(0.375 / 100)
    with pytest.raises(ValueError, match="stationary"):
        st.stationary_mean_f(LAM, 0.5)
