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


@dataclass(frozen=True)
class DippedParabola:
    """f(x) = x^2 / 20 - a exp(-(x - c)^2 / (2 s^2)): a wide bowl with a small dip.

    With the defaults the dip holds a shallow local minimum near x = -3.79
    (f = 0.26), walled off from the global minimum at 0 by a low barrier near
    x = -3.04 (f = 0.38): gradient descent from the left stops in the dip,
    momentum can carry through the barrier.
    """
    a: float = 0.5
    c: float = -4.0
    s: float = 0.5

    def f(self, x):
        return x ** 2 / 20 - self.a * np.exp(-(x - self.c) ** 2 / (2 * self.s ** 2))

    def grad(self, x):
        bump = np.exp(-(x - self.c) ** 2 / (2 * self.s ** 2))
        return x / 10 + self.a * (x - self.c) / self.s ** 2 * bump


class TwoWells:
    """f(x) = -d1 exp(-(x - 1)^2 / (2 w1^2)) - d2 exp(-(x + 1)^2 / (2 w2^2)).

    With the defaults, a sharp well at x ~ 1 (width 0.1, the deeper one) and a
    wide well at x ~ -1 (width 1): a picture of sharp and flat minima.
    """

    def __init__(self, d1: float = 1.2, w1: float = 0.1, d2: float = 1.0, w2: float = 1.0):
        self.d1, self.w1, self.d2, self.w2 = d1, w1, d2, w2

    def f(self, x):
        return (-self.d1 * np.exp(-(x - 1) ** 2 / (2 * self.w1 ** 2))
                - self.d2 * np.exp(-(x + 1) ** 2 / (2 * self.w2 ** 2)))

    def grad(self, x):
        return (self.d1 * (x - 1) / self.w1 ** 2 * np.exp(-(x - 1) ** 2 / (2 * self.w1 ** 2))
                + self.d2 * (x + 1) / self.w2 ** 2 * np.exp(-(x + 1) ** 2 / (2 * self.w2 ** 2)))


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
