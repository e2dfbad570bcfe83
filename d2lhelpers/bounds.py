"""The convergence theorems' bounds, as functions of the step count k.

Each function returns the right-hand side of one theorem of the convexity
chapter, vectorized over ``k`` (an int or an array of ints), so a chapter cell
or a test draws or checks the bound against a measured run at every step. The
hypotheses are in each docstring; the chapter states them with the citation.
"""
from __future__ import annotations

import math

import numpy as np

from d2lhelpers.checks import check_nonnegative, check_positive
from d2lhelpers.linesearch import check_armijo

__all__ = [
    "accelerated_convex",
    "accelerated_strongly_convex",
    "backtracking_rate",
    "escape_steps",
    "exact_line_search_rate",
    "gd_convex",
    "gd_distance",
    "gd_nonconvex",
    "gd_strongly_convex",
    "lower_convex",
    "lower_strongly_convex",
]


def _steps(k, minimum: int = 0) -> np.ndarray:
    k = np.asarray(k)
    if k.dtype.kind not in "iu" or np.any(k < minimum):
        raise ValueError(f"step count k must be whole numbers >= {minimum}, got {k!r}")
    return k.astype(float)


def _mu_L(mu, L):
    mu, L = check_positive("mu", mu), check_positive("L", L)
    if mu > L:
        raise ValueError(f"mu must not exceed L, got mu = {mu} > L = {L}")
    return mu, L


def gd_convex(L, r0_sq, k):
    """f(x_k) - f* <= L ||x_0 - x*||^2 / (2k), for k >= 1.

    f convex and L-smooth on R^d with a minimizer x*; gradient descent with
    eta = 1/L (Beck 2017, Theorem 10.21, with g = 0).
    """
    L, r0_sq = check_positive("L", L), check_nonnegative("r0_sq", r0_sq)
    return L * r0_sq / (2 * _steps(k, 1))


def gd_strongly_convex(mu, L, gap0, k):
    """f(x_k) - f* <= (1 - mu/L)^k (f(x_0) - f*).

    f mu-strongly convex (more generally mu-PL) and L-smooth on R^d; gradient
    descent with eta = 1/L (Karimi, Nutini & Schmidt 2016, Theorem 1).
    """
    mu, L = _mu_L(mu, L)
    return (1 - mu / L) ** _steps(k) * check_nonnegative("gap0", gap0)


def gd_distance(mu, L, r0, k):
    """||x_k - x*|| <= ((kappa - 1)/(kappa + 1))^k ||x_0 - x*||, kappa = L/mu.

    f mu-strongly convex and L-smooth on R^d; gradient descent with
    eta = 2/(L + mu) (Nesterov 2018, Theorem 2.1.15).
    """
    mu, L = _mu_L(mu, L)
    return ((L - mu) / (L + mu)) ** _steps(k) * check_nonnegative("r0", r0)


def gd_nonconvex(L, gap0, k):
    """min_{i<k} ||grad f(x_i)||^2 <= 2L (f(x_0) - f*) / k, for k >= 1.

    f L-smooth on R^d and bounded below by f*; gradient descent with eta = 1/L
    (Nesterov 2018, §1.2.3, the gradient method for smooth functions).
    """
    L, gap0 = check_positive("L", L), check_nonnegative("gap0", gap0)
    return 2 * L * gap0 / _steps(k, 1)


def accelerated_convex(L, r0_sq, k):
    """f(x_k) - f* <= 2 L ||x_0 - x*||^2 / (k + 1)^2, for k >= 1.

    f convex and L-smooth; Nesterov's accelerated method in the form of
    :func:`d2lhelpers.accelerated.nesterov_convex` (Beck & Teboulle 2009,
    Theorem 4.4, with g = 0).
    """
    L, r0_sq = check_positive("L", L), check_nonnegative("r0_sq", r0_sq)
    return 2 * L * r0_sq / (_steps(k, 1) + 1) ** 2


def accelerated_strongly_convex(mu, L, gap0, r0_sq, k):
    """f(x_k) - f* <= (1 - sqrt(mu/L))^k (f(x_0) - f* + mu ||x_0 - x*||^2 / 2).

    f mu-strongly convex and L-smooth; Nesterov's constant-momentum method,
    eta = 1/L, beta = (sqrt(kappa) - 1)/(sqrt(kappa) + 1) (Nesterov 2018,
    §2.2.1, the constant step scheme for strongly convex functions).
    """
    mu, L = _mu_L(mu, L)
    start = check_nonnegative("gap0", gap0) + mu / 2 * check_nonnegative("r0_sq", r0_sq)
    return (1 - math.sqrt(mu / L)) ** _steps(k) * start


def lower_convex(L, r0_sq, k):
    """No first-order method does better than 3 L ||x_0 - x*||^2 / (32 (k + 1)^2).

    For every k with 1 <= k <= (n - 1)/2 there is a convex L-smooth function on
    R^n (Nesterov's chain with 2k + 1 links) on which every method whose
    iterates stay in x_0 + span of the past gradients has f(x_k) - f* at least
    this (Nesterov 2018, Theorem 2.1.7).
    """
    L, r0_sq = check_positive("L", L), check_nonnegative("r0_sq", r0_sq)
    return 3 * L * r0_sq / (32 * (_steps(k, 1) + 1) ** 2)


def lower_strongly_convex(mu, L, r0_sq, k):
    """||x_k - x*||^2 >= q^(2k) ||x_0 - x*||^2, q = (sqrt(kappa)-1)/(sqrt(kappa)+1).

    On Nesterov's mu-strongly convex, L-smooth chain in infinite dimensions,
    for every method of the same class (Nesterov 2018, Theorem 2.1.13); there
    also f(x_k) - f* >= (mu/2) q^(2k) ||x_0 - x*||^2.
    """
    mu, L = _mu_L(mu, L)
    r = math.sqrt(L / mu)
    q = (r - 1) / (r + 1)
    return q ** (2 * _steps(k)) * check_nonnegative("r0_sq", r0_sq)


def exact_line_search_rate(kappa):
    """((kappa - 1)/(kappa + 1))^2: the per-step factor of f(x_k) - f* for
    gradient descent with exact line search on a strongly convex quadratic with
    condition number kappa (Nocedal & Wright 2006, Theorem 3.3; attained from
    the worst start, Boyd & Vandenberghe 2004, §9.3.2)."""
    kappa = check_positive("kappa", kappa)
    if kappa < 1:
        raise ValueError(f"kappa must be >= 1, got {kappa!r}")
    return ((kappa - 1) / (kappa + 1)) ** 2


def backtracking_rate(mu, L, c, tau):
    """1 - min(2 mu c, 2 tau c mu / L): the per-step factor of f(x_k) - f* for
    gradient descent with backtracking from t = 1 (Armijo fraction c, shrink
    factor tau) on a mu-strongly convex, L-smooth f (Boyd & Vandenberghe
    2004, §9.3.1, who write alpha and beta)."""
    mu, L = _mu_L(mu, L)
    c, tau = check_armijo(c, tau)
    return 1 - min(2 * mu * c, 2 * tau * c * mu / L)


def escape_steps(eta, lam_min, distance, radius=1.0):
    """Steps for gradient descent to carry a point at ``distance`` from a strict
    saddle out to ``radius``, in the linearization: the unstable coordinate
    grows by 1 + eta |lam_min| per step, so the count is
    log(radius / distance) / log(1 + eta |lam_min|), about
    log(1/distance) / (eta |lam_min|) for a small step; 0 for a point already
    at or beyond ``radius``."""
    eta = check_positive("learning rate eta", eta)
    lam = float(lam_min)
    if not math.isfinite(lam) or lam >= 0:
        raise ValueError(f"lam_min must be a negative number, got {lam_min!r}")
    distance = np.asarray(distance, dtype=float)
    if np.any(~np.isfinite(distance)) or np.any(distance <= 0):
        raise ValueError("distance must be positive and finite")
    radius = check_positive("radius", radius)
    return np.maximum(np.log(radius / distance), 0.0) / math.log1p(eta * abs(lam))
