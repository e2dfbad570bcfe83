"""The optimizer protocol and its drivers: gd, sgd, run, as_trainer, grad_2d,
one_pass, against iterates computed by hand."""
import math

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.optim import Optimizer, as_trainer, gd, grad_2d, one_pass, run, sgd

pytestmark = pytest.mark.unit


def test_gd_and_sgd_are_the_same_rule_with_two_names():
    for make, name in ((gd, "gd"), (sgd, "sgd")):
        opt = make(0.25)
        assert opt.name == name and repr(opt) == f"{name}(eta=0.25)"
        assert opt.step(2.0, 4.0, opt.init(2.0)) == (1.0, 0.0)
    with pytest.raises(ValueError, match="learning rate"):
        gd(0)


def test_run_on_a_quadratic_is_geometric():
    # f = x^2 / 2 per coordinate times (1, 3): x_k = x0 (1 - eta lam)^k
    lam = np.array([1.0, 3.0])
    rows = run(gd(0.2), lambda x: lam * x, (1.0, -2.0), 5)
    k = np.arange(6)[:, None]
    np.testing.assert_allclose(rows, np.array([1.0, -2.0]) * (1 - 0.2 * lam) ** k, rtol=1e-14)


def test_run_stops_at_the_last_finite_iterate():
    # x <- x + 1e300 x: 1, then about 1e300, then inf at step 2, which is left out
    with pytest.warns(DivergenceWarning, match="step 2"):
        rows = run(gd(1.0), lambda x: -1e300 * x, (1.0,), 10)
    assert rows.shape == (2, 1) and np.isfinite(rows).all()
    assert rows[1, 0] == 1.0 + 1e300


def test_as_trainer_keeps_one_state_per_coordinate():
    """A rule with state: x <- x - g - s, s <- s + 1 (so the state is visible)."""
    counter = Optimizer("count", init=lambda x: 0.0, step=lambda x, g, s: (x - g - s, s + 1))
    trainer = as_trainer(counter)
    x1, x2, s1, s2 = trainer(1.0, 2.0, 0, 0, lambda a, b: (0.0, 1.0))
    assert (x1, x2, s1, s2) == (1.0, 1.0, 1.0, 1.0)
    x1, x2, s1, s2 = trainer(x1, x2, s1, s2, lambda a, b: (0.0, 1.0))
    assert (x1, x2, s1, s2) == (0.0, -1.0, 2.0, 2.0)
    assert trainer.__name__ == "count_2d"


def test_grad_2d_adapts_a_two_argument_gradient():
    g = grad_2d(lambda x1, x2: (2 * x1, 4 * x2))
    np.testing.assert_array_equal(g(np.array([1.0, -1.0])), [2.0, -4.0])


def test_one_pass_visits_each_sample_once_in_order():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    y = np.array([1.0, 2.0, 0.0])
    path = one_pass(gd(0.5), X, y)
    w = np.zeros(2)
    expected = [w.copy()]
    for xi, yi in zip(X, y):
        w = w - 0.5 * (xi @ w - yi) * xi
        expected.append(w.copy())
    np.testing.assert_allclose(path, expected, rtol=1e-15)
    np.testing.assert_allclose(one_pass(gd(0.5), X, y, x0=(1.0, 1.0))[0], [1.0, 1.0])
    with pytest.raises(ValueError, match="X must be"):
        one_pass(gd(0.5), X, y[:2])
    assert math.isfinite(path[-1][0])
