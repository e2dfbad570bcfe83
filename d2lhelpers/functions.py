"""The objectives the course optimizes, each with its derivatives.

Chapters, sliders and tests take them from here, so a formula is written once.
Every function accepts floats or numpy arrays.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


# --- one dimension -------------------------------------------------------------

def square(x):
    """f(x) = x^2, minimum 0 at x = 0."""
    return x ** 2


def square_grad(x):
    return 2 * x


@dataclass(frozen=True)
class XCos:
    """f(x) = x cos(cx): non-convex, with infinitely many local minima."""
    c: float = 0.15 * math.pi

    def f(self, x):
        return x * np.cos(self.c * x)

    def grad(self, x):
        return np.cos(self.c * x) - self.c * x * np.sin(self.c * x)

    def hess(self, x):
        return -2 * self.c * np.sin(self.c * x) - self.c ** 2 * x * np.cos(self.c * x)


@dataclass(frozen=True)
class Cosh:
    """f(x) = cosh(cx): convex, minimum 1 at x = 0."""
    c: float = 0.5

    def f(self, x):
        return np.cosh(self.c * x)

    def grad(self, x):
        return self.c * np.sinh(self.c * x)

    def hess(self, x):
        return self.c ** 2 * np.cosh(self.c * x)


# --- two dimensions ------------------------------------------------------------

@dataclass(frozen=True)
class Quadratic2D:
    """f(x1, x2) = a x1^2 + b x2^2 (a, b > 0): Hessian diag(2a, 2b), minimum at 0.

    ``Quadratic2D(1, 2)`` is the classic demo; ``Quadratic2D(0.1, 2)`` the
    ill-conditioned one (condition number b / a = 20).
    """
    a: float = 1.0
    b: float = 2.0

    def f(self, x1, x2):
        return self.a * x1 ** 2 + self.b * x2 ** 2

    def grad(self, x1, x2):
        return (2 * self.a * x1, 2 * self.b * x2)

    def hess(self, x1=None, x2=None):
        return np.diag([2 * self.a, 2 * self.b])

    @property
    def eigenvalues(self):
        """Hessian eigenvalues (curvatures along x1 and x2)."""
        return (2 * self.a, 2 * self.b)

    @property
    def condition_number(self) -> float:
        lo, hi = sorted(self.eigenvalues)
        return hi / lo


#: The classic demo f = x1^2 + 2 x2^2 and the ill-conditioned f = 0.1 x1^2 + 2 x2^2.
CLASSIC = Quadratic2D(1.0, 2.0)
ILL_CONDITIONED = Quadratic2D(0.1, 2.0)


@dataclass(frozen=True)
class Rosenbrock:
    """f(x1, x2) = (a - x1)^2 + b (x2 - x1^2)^2: a curved, narrow valley.

    The minimum is 0 at (a, a^2); with the usual b = 100 the Hessian there has
    condition number about 2500, and the valley floor bends, so no fixed
    per-coordinate scaling fits it everywhere (Rosenbrock, 1960).
    """
    a: float = 1.0
    b: float = 100.0

    def f(self, x1, x2):
        return (self.a - x1) ** 2 + self.b * (x2 - x1 ** 2) ** 2

    def grad(self, x1, x2):
        return (-2 * (self.a - x1) - 4 * self.b * x1 * (x2 - x1 ** 2),
                2 * self.b * (x2 - x1 ** 2))

    def hess(self, x1, x2):
        return np.array([[2 - 4 * self.b * (x2 - x1 ** 2) + 8 * self.b * x1 ** 2,
                          -4 * self.b * x1],
                         [-4 * self.b * x1, 2 * self.b]])

    @property
    def minimum(self):
        return (self.a, self.a ** 2)


@dataclass(frozen=True)
class Saddle:
    """f(x1, x2) = x1^2 - x2^2: a saddle point at 0, unbounded below along x2.

    Started near the x1 axis, a method first slides toward the saddle (where the
    gradient vanishes) and must then notice the tiny x2 gradient to escape.
    """

    def f(self, x1, x2):
        return x1 ** 2 - x2 ** 2

    def grad(self, x1, x2):
        return (2 * x1, -2 * x2)

    def hess(self, x1=None, x2=None):
        return np.diag([2.0, -2.0])


#: The Rosenbrock function with the usual a = 1, b = 100, and the saddle x1^2 - x2^2.
ROSENBROCK = Rosenbrock()
SADDLE = Saddle()


# --- functions of a vector x, for Newton's method in several dimensions -------

@dataclass(frozen=True)
class SaddleAndTwoMinima:
    """f(x) = x1^4/4 - x1^2/2 + x2^2/2 + x1 x2/2, on a vector x.

    A saddle point at 0 (Hessian eigenvalues -+sqrt(5)/2) between two minima
    at +-(sqrt(5)/2, -sqrt(5)/4), where f = -25/64.
    """

    def f(self, x):
        x1, x2 = x[0], x[1]
        return x1 ** 4 / 4 - x1 ** 2 / 2 + x2 ** 2 / 2 + x1 * x2 / 2

    def grad(self, x):
        x1, x2 = x[0], x[1]
        return np.array([x1 ** 3 - x1 + x2 / 2, x2 + x1 / 2])

    def hess(self, x):
        return np.array([[3 * x[0] ** 2 - 1, 0.5], [0.5, 1.0]])

    @property
    def minima(self):
        r = np.sqrt(5) / 2
        return (np.array([r, -r / 2]), np.array([-r, r / 2]))


@dataclass(frozen=True)
class LogCosh2D:
    """f(x) = log cosh(x1 + 2 x2) + log cosh(x1 - x2) + mu |x|^2 / 2.

    Strongly convex (every Hessian eigenvalue is at least mu), with its
    minimum f* = 0 at 0; far from it the curvature of the log cosh terms
    vanishes, so the pure Newton step overshoots.
    """
    mu: float = 0.1

    A = np.array([[1.0, 2.0], [1.0, -1.0]])

    def f(self, x):
        z = self.A @ np.asarray(x, dtype=float)
        return (float(np.sum(np.logaddexp(z, -z) - np.log(2)))
                + self.mu / 2 * float(np.dot(x, x)))

    def grad(self, x):
        x = np.asarray(x, dtype=float)
        return self.A.T @ np.tanh(self.A @ x) + self.mu * x

    def hess(self, x):
        z = self.A @ np.asarray(x, dtype=float)
        return (self.A.T * (1 / np.cosh(z) ** 2)) @ self.A + self.mu * np.eye(2)
