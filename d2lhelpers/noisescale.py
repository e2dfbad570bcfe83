"""The gradient noise scale of McCandlish, Kaplan and Amodei (2018).

Their *simple noise scale* is ``B_simple = tr(Sigma) / |G|^2``: ``G`` the
full-batch gradient of the training loss and ``Sigma`` the covariance of the
per-example gradients. It is the batch size at which a mini-batch gradient's
noise is as large as the gradient itself, and they find that the critical
batch size, beyond which a larger batch stops saving updates, tracks it.

No per-example gradient is needed. For batches of b drawn without
replacement from n examples,

    E |g_b|^2 = |G|^2 + tr(Sigma) (1/b - 1/n) n / (n - 1),

so the mean squared norm of the gradients of the batches of one seeded
partition of the training set and the full gradient's give both terms.
"""
from __future__ import annotations

import numpy as np

from d2lhelpers.checks import check_count, check_point
from d2lhelpers.data import make_rng


def simple_noise_scale(net64, X, y, theta, *, batch_size: int, seed: int = 0,
                       loss_fn=None):
    """``(tr_sigma, g2, b_simple)`` for every network of a float64
    :class:`d2lhelpers.mlp.MLPBank` at ``theta`` (groups, seeds, P): each an
    array (groups, seeds). The batches are one seeded partition of (X, y)
    into batches of ``batch_size`` (a remainder of fewer is left out).
    ``b_simple`` is nan where the estimate of tr(Sigma) is not positive."""
    from d2lhelpers.sharpness import bank_gradient
    # the sizes first (no gradient, no MXNet needed to refuse them)
    shape = check_point("X", X).shape
    if len(shape) != 2:
        raise ValueError(f"X must be a matrix (n examples, features), got shape {shape}")
    n = shape[0]
    b = check_count("batch_size", batch_size)
    if not b < n:
        raise ValueError(f"batch_size must be below the {n} examples, got {b}")
    seed = check_count("seed", seed, 0)
    grad = bank_gradient(net64, X, y, loss_fn)      # checks the bank and the data
    theta = check_point("theta", theta)
    shape = (net64.groups, len(net64.seeds), net64.group_param(0).shape[1])
    if theta.shape != shape:
        raise ValueError(f"theta must have shape (groups, seeds, P) = {shape}, "
                         f"got {theta.shape}")
    g2 = np.sum(grad(theta) ** 2, axis=-1)
    rows = make_rng(seed).permutation(n)[: (n // b) * b].reshape(-1, b)
    small = np.mean([np.sum(bank_gradient(net64, X[r], y[r], loss_fn)(theta) ** 2,
                            axis=-1) for r in rows], axis=0)
    tr_sigma = (small - g2) / ((1 / b - 1 / n) * n / (n - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        b_simple = np.where(tr_sigma > 0, tr_sigma / g2, np.nan)
    return tr_sigma, g2, b_simple
