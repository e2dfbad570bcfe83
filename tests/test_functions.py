"""The objectives: derivatives against finite differences, minima, shapes."""
from __future__ import annotations
import numpy as np
import pytest
from d2lhelpers.functions import ROSENBROCK, SADDLE, Rosenbrock  # noqa: E402

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("fn", [ROSENBROCK, Rosenbrock(a=0.5, b=3.0), SADDLE])
@pytest.mark.parametrize("point", [(-1.2, 1.0), (0.3, -0.7), (1.5, 2.0)])
def test_gradient_and_hessian_match_finite_differences(fn, point):
    x1, x2, h = point[0], point[1], 1e-6
    fd = ((fn.f(x1 + h, x2) - fn.f(x1 - h, x2)) / (2 * h),
          (fn.f(x1, x2 + h) - fn.f(x1, x2 - h)) / (2 * h))
    np.testing.assert_allclose(fn.grad(x1, x2), fd, rtol=1e-6, atol=1e-6)
    hess_fd = np.column_stack([
        (np.array(fn.grad(x1 + h, x2)) - fn.grad(x1 - h, x2)) / (2 * h),
        (np.array(fn.grad(x1, x2 + h)) - fn.grad(x1, x2 - h)) / (2 * h)])
    np.testing.assert_allclose(fn.hess(x1, x2), hess_fd, rtol=1e-5, atol=1e-5)


def test_rosenbrock_minimum_and_conditioning():
    assert ROSENBROCK.minimum == (1.0, 1.0)
    assert ROSENBROCK.f(1.0, 1.0) == 0.0
    assert ROSENBROCK.grad(1.0, 1.0) == (0.0, 0.0)
    eig = np.linalg.eigvalsh(ROSENBROCK.hess(1.0, 1.0))
    assert eig.max() / eig.min() == pytest.approx(2508, rel=1e-3)  # "about 2500"


def test_saddle_is_a_saddle():
    assert SADDLE.grad(0.0, 0.0) == (0.0, 0.0)
    assert list(np.linalg.eigvalsh(SADDLE.hess())) == [-2.0, 2.0]


def test_functions_work_on_arrays():
    xs = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(ROSENBROCK.f(xs, xs), [(1 - v) ** 2 + 100 * (v - v * v) ** 2
                                                      for v in xs])
