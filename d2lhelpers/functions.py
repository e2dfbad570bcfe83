"""The objectives the course optimizes, each with its derivatives.

Chapters, sliders and tests take them from here, so a formula is written once.
Every function accepts floats or numpy arrays.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from d2lhelpers.checks import check_count, check_nonnegative, check_positive, check_real


def _check_params(obj, reals=(), positive=()) -> None:
    """The constants of a test function: finite numbers (widths > 0)."""
    for name in reals:
        check_real(name, getattr(obj, name))
    for name in positive:
        check_positive(name, getattr(obj, name))


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

    def __post_init__(self):
        _check_params(self, reals=("c",))

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

    def __post_init__(self):
        _check_params(self, reals=("c",))

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

    def __post_init__(self):
        _check_params(self, reals=("a", "c"), positive=("s",))

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
        _check_params(self, reals=("d1", "d2"), positive=("w1", "w2"))

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

    def __post_init__(self):
        _check_params(self, reals=("a", "b"))   # signs are checked where they matter

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

    def __post_init__(self):
        _check_params(self, reals=("a", "b"))

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


# --- the convexity chapter ----------------------------------------------------
# Functions written for vectors take x of shape (..., d), so a whole trace
# (one row per iterate) is evaluated in one call.

def _tridiagonal_laplacian(n: int) -> np.ndarray:
    a = 2.0 * np.eye(n)
    idx = np.arange(n - 1)
    a[idx, idx + 1] = a[idx + 1, idx] = -1.0
    return a


class _QuadraticChain:
    """f(x) = x^T A x / 2 - b^T x for the chain functions below (A, b set by
    the subclass); x may hold one iterate per row."""

    def f(self, x):
        x = np.asarray(x, dtype=float)
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.A, x) - x @ self.b

    def grad(self, x):
        return np.asarray(x, dtype=float) @ self.A - self.b

    def hess(self, x=None):
        return self.A


class NesterovWorstCase(_QuadraticChain):
    """Nesterov's worst convex L-smooth function in R^n (Nesterov 2018, §2.1.2).

    f(x) = (L/4) [ (x_1^2 + sum_{i<n} (x_i - x_{i+1})^2 + x_n^2) / 2 - x_1 ],
    a quadratic 0.5 x^T A x - b^T x with A = (L/4) tridiag(-1, 2, -1) and
    b = (L/4) e_1. Its Hessian's eigenvalues lie in (0, L), so f is convex and
    L-smooth. A method whose iterates stay in x_0 + span of the past gradients,
    started at 0, has x_k in span(e_1, ..., e_k): it cannot see the rest of the
    chain, which is why no such method beats O(1/k^2) (Theorem 2.1.7 there).
    The minimizer is x*_i = 1 - i / (n + 1), with f* = (L/8)(1/(n + 1) - 1).
    """

    def __init__(self, n: int, L: float = 1.0):
        self.n = check_count("dimension n", n)
        self.L = check_positive("smoothness constant L", L)
        self.A = self.L / 4 * _tridiagonal_laplacian(self.n)
        self.b = np.zeros(self.n)
        self.b[0] = self.L / 4

    @property
    def minimizer(self) -> np.ndarray:
        i = np.arange(1, self.n + 1)
        return 1 - i / (self.n + 1)

    @property
    def f_star(self) -> float:
        return self.L / 8 * (1 / (self.n + 1) - 1)

    def krylov_floor(self, k):
        """The least f(x) - f* over x in span(e_1, ..., e_k), k = 0, 1, ...

        Equal to (L/8)(1/(k + 1) - 1/(n + 1)): the minimum of the same chain
        cut after k links. Every method of the Krylov class from x_0 = 0 stays
        above it, so it is the exact lower bound at step k on this function.
        """
        k = np.asarray(k)
        if k.dtype.kind not in "iu" or np.any(k < 0):
            raise ValueError(f"step count k must be whole numbers >= 0, got {k!r}")
        k = np.minimum(k.astype(float), self.n)
        return self.L / 8 * (1 / (k + 1) - 1 / (self.n + 1))


class NesterovStronglyConvex(_QuadraticChain):
    """Nesterov's worst mu-strongly convex, L-smooth function, cut to R^n.

    f(x) = (mu (kappa - 1) / 8) [x_1^2 + sum_{i<n} (x_i - x_{i+1})^2 - 2 x_1]
    + (mu / 2) ||x||^2, with kappa = L / mu (Nesterov 2018, §2.1.4). In
    infinite dimensions its minimizer is x*_i = q^i, q = (sqrt(kappa) - 1) /
    (sqrt(kappa) + 1); here the minimizer is computed exactly for the cut chain.
    The Hessian's eigenvalues lie in [mu, L) (the cut keeps them there: the
    last diagonal entry is smaller than in the infinite chain).
    """

    def __init__(self, n: int, mu: float = 1.0, kappa: float = 100.0):
        self.n = check_count("dimension n", n)
        self.mu = check_positive("strong-convexity constant mu", mu)
        kappa = check_positive("condition number kappa", kappa)
        if kappa <= 1:
            raise ValueError(f"condition number kappa must exceed 1, got {kappa!r}")
        self.kappa, self.L = kappa, kappa * self.mu
        c = self.mu * (kappa - 1) / 4
        lap = _tridiagonal_laplacian(self.n)
        lap[-1, -1] = 1.0   # x_n appears in one difference only
        self.A = c * lap + self.mu * np.eye(self.n)
        self.b = np.zeros(self.n)
        self.b[0] = c

    @property
    def q(self) -> float:
        r = math.sqrt(self.kappa)
        return (r - 1) / (r + 1)

    @property
    def minimizer(self) -> np.ndarray:
        return np.linalg.solve(self.A, self.b)

    @property
    def f_star(self) -> float:
        return float(self.f(self.minimizer))


@dataclass(frozen=True)
class Huber:
    """The Huber function scaled to curvature L: (L/2) x^2 for |x| <= delta,
    L delta (|x| - delta / 2) beyond. Convex and L-smooth, minimum 0 at 0.

    Gradient descent with eta = 1/L walks down its linear part in steps of
    exactly delta with the gradient's size fixed at L delta: with
    delta = R / (2K + 1) it is Drori and Teboulle's worst case for the convex
    rate after K steps, and it makes the non-convex gradient bound nearly
    tight too.
    """
    delta: float = 1.0
    L: float = 1.0

    def __post_init__(self):
        check_positive("delta", self.delta)
        check_positive("smoothness constant L", self.L)

    def f(self, x):
        a = np.abs(x)
        return np.where(a <= self.delta, self.L / 2 * a ** 2,
                        self.L * self.delta * (a - self.delta / 2))

    def grad(self, x):
        return self.L * np.clip(x, -self.delta, self.delta)


def _log_cosh(x):
    """log cosh x without cancellation near 0 or overflow far out:
    log1p(2 sinh^2(x/2)) for |x| <= 20, |x| - log 2 + log1p(e^{-2|x|}) beyond."""
    a = np.abs(np.asarray(x, dtype=float))
    near = np.log1p(2 * np.sinh(np.minimum(a, 20.0) / 2) ** 2)
    far = a - math.log(2) + np.log1p(np.exp(-2 * a))
    return np.where(a <= 20, near, far)


@dataclass(frozen=True)
class LogCoshBowl:
    """f(x1, x2) = mu x1^2 / 2 + c log cosh(x1) + lam2 x2^2 / 2.

    The curvature along x1 is mu + c sech^2(x1), from mu far out up to mu + c
    at the minimum (0, 0), f* = 0; along x2 it is lam2. So f is L-smooth with
    L = max(mu + c, lam2), min(mu, lam2)-strongly convex (mu-strongly convex
    when lam2 >= mu, as in the chapter), and merely convex for mu = 0. Far from the
    minimum it is as flat as the theory allows; near it,
    much better conditioned: the functions on which the bounds are loose.
    """
    mu: float = 0.1
    c: float = 0.9
    lam2: float = 1.0

    def __post_init__(self):
        for name in ("mu", "c", "lam2"):
            check_nonnegative(name, getattr(self, name))

    def f(self, x1, x2):
        return (self.mu * x1 ** 2 / 2 + self.c * _log_cosh(x1)
                + self.lam2 * x2 ** 2 / 2)

    def grad(self, x1, x2):
        return (self.mu * x1 + self.c * np.tanh(x1), self.lam2 * x2)

    @property
    def L(self) -> float:
        return max(self.mu + self.c, self.lam2)


@dataclass(frozen=True)
class CosineSaddle:
    """f(x1, x2) = a x1^2 / 2 + b (1 + cos x2): a strict saddle at the origin.

    The Hessian there is diag(a, -b), so the saddle is strict with
    lambda_min = -b; the minima are (0, +-pi) with f* = 0 and the saddle's value
    is 2b. Its Hessian diag(a, -b cos x2) is bounded, so f is L-smooth with
    L = max(a, b) on all of R^2, and bounded below: it meets the hypotheses of
    the non-convex rate. Started on the line x2 = 0, gradient descent converges
    to the saddle; started at distance delta from it, it leaves after about
    log(1 / delta) / log(1 + eta b) steps.
    """
    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        check_positive("curvature a", self.a)
        check_positive("b (= |lambda_min| at the saddle)", self.b)

    def f(self, x1, x2):
        return self.a * x1 ** 2 / 2 + self.b * (1 + np.cos(x2))

    def grad(self, x1, x2):
        return (self.a * x1, -self.b * np.sin(x2))

    def hess(self, x1, x2):
        return np.array([[self.a, 0.0], [0.0, -self.b * np.cos(x2)]])

    @property
    def L(self) -> float:
        return max(self.a, self.b)

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

    def __post_init__(self):
        check_nonnegative("mu", self.mu)

    def f(self, x):
        z = np.abs(self.A @ np.asarray(x, dtype=float))
        # log cosh z = log1p(2 sinh(z/2)^2) keeps its digits near 0, where
        # logaddexp(z, -z) - log 2 cancels to 0 (|z| < 1e-8); the second
        # form avoids overflow far out.
        with np.errstate(over="ignore"):
            small = np.log1p(2 * np.sinh(z / 2) ** 2)
        large = z + np.log1p(np.exp(-2 * z)) - np.log(2)
        log_cosh = np.where(z < 1, small, large)
        return (float(np.sum(log_cosh))
                + self.mu / 2 * float(np.dot(x, x)))

    def grad(self, x):
        x = np.asarray(x, dtype=float)
        return self.A.T @ np.tanh(self.A @ x) + self.mu * x

    def hess(self, x):
        z = self.A @ np.asarray(x, dtype=float)
        return (self.A.T * (1 / np.cosh(z) ** 2)) @ self.A + self.mu * np.eye(2)
