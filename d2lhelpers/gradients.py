"""Per-sample and mini-batch gradients of linear regression, and their cost.

The SGD chapter measures with these that a mini-batch gradient is an unbiased
estimate of the full one, how its variance falls with the batch size, that
accumulating gradients over batches gives the full gradient exactly, and what
one gradient evaluation costs for each batch size. The loss is the one every
trainer in :mod:`d2lhelpers.linreg` minimises: ``(x.w + b - y)^2 / 2`` per sample.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from d2lhelpers.checks import check_bool, check_count, check_limit, check_real, check_sequence
from d2lhelpers.data import check_regression_data, make_rng

#: The most random numbers (draws x samples) one call of minibatch_grads draws,
#: and the most timed repeats per batch size.
MAX_DRAWN = 10 ** 8
MAX_REPEATS = 10_000


def sample_grads(X, y, w, b) -> np.ndarray:
    """The gradients of every f_i(w, b) = (x_i.w + b - y_i)^2 / 2, one row
    ``(r_i x_i, r_i)`` per sample with ``r_i = x_i.w + b - y_i``; float64."""
    from d2lhelpers.checks import check_point
    d = check_regression_data(X, y)[0].shape[1]          # shapes and values checked
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64).reshape(-1)
    w = check_point("w", w)
    if w.size != d or w.ndim > 2:
        raise ValueError(f"w must hold {d} weights, one per feature, got shape {w.shape}")
    r = X @ w.reshape(-1) + check_real("b", b) - y
    return np.hstack([r[:, None] * X, r[:, None]])


def minibatch_grads(X, y, w, b, batch_size: int, draws: int, *, seed: int = 0,
                    replace: bool = False) -> np.ndarray:
    """``draws`` independent mini-batch gradients at (w, b), one per row: each the
    mean of ``batch_size`` per-sample gradients drawn uniformly with or without
    replacement."""
    G = sample_grads(X, y, w, b)
    n = G.shape[0]
    batch_size = check_count("batch_size", batch_size)
    draws = check_count("draws", draws)
    replace = check_bool("replace", replace)
    if not replace and batch_size > n:
        raise ValueError(f"batch_size must be at most n={n} without replacement, got {batch_size}")
    check_limit("draws x samples", draws * (batch_size if replace else n), MAX_DRAWN,
                "random numbers")
    rng = make_rng(seed)
    if replace:
        idx = rng.integers(0, n, size=(draws, batch_size))
    else:
        idx = np.argsort(rng.random((draws, n)), axis=1)[:, :batch_size]
    return G[idx].mean(axis=1)


def accumulated_gradient(X, y, w, b, batch_size: int) -> np.ndarray:
    """The full-data gradient of the mean loss, built batch by batch with MXNet:
    ``grad_req='add'`` makes each ``backward()`` add to the stored gradient, so
    memory is bounded by one batch and the sum is exact. Returns (grad_w..., grad_b)."""
    from mxnet import autograd, nd

    X, y = check_regression_data(X, y)
    batch_size = check_count("batch_size", batch_size)
    sample_grads(X[:1], y[:1], w, b)          # w of d finite weights, b a number
    wn = nd.array(np.asarray(w, dtype=np.float32)).reshape((-1, 1))
    bn = nd.array([float(b)])
    for p in (wn, bn):
        p.attach_grad(grad_req="add")
        p.grad[:] = 0
    for lo in range(0, X.shape[0], batch_size):
        xb, yb = nd.array(X[lo:lo + batch_size]), nd.array(y[lo:lo + batch_size]).reshape((-1, 1))
        with autograd.record():
            loss = ((nd.dot(xb, wn) + bn - yb) ** 2 / 2).sum()
        loss.backward()
    return np.append(wn.grad.asnumpy().reshape(-1), bn.grad.asscalar()) / X.shape[0]


@dataclass
class GradientTiming:
    """Median seconds of one gradient evaluation (``per_step``) per batch size."""
    batch_sizes: np.ndarray
    per_step: np.ndarray


def time_gradient(X, y, batch_sizes: Sequence[int], repeats: int = 20) -> GradientTiming:
    """Time forward + backward of the mean loss with MXNet for each batch size
    (the median of ``repeats`` synchronized runs, after one warm-up)."""
    from mxnet import autograd, nd

    X, y = check_regression_data(X, y)
    repeats = check_count("repeats", repeats)
    check_limit("repeats", repeats, MAX_REPEATS, "timed runs per batch size")
    batch_sizes = check_sequence("batch_sizes", batch_sizes)
    w, b = nd.zeros((X.shape[1], 1)), nd.zeros((1,))
    w.attach_grad(), b.attach_grad()
    medians = []
    for bs in batch_sizes:
        bs = check_count("batch_size", bs)
        if bs > X.shape[0]:
            raise ValueError(f"batch size {bs} exceeds the {X.shape[0]} samples")
        xb, yb = nd.array(X[:bs]), nd.array(y[:bs]).reshape((-1, 1))
        times = []
        for _ in range(repeats + 1):
            start = time.perf_counter()
            with autograd.record():
                loss = ((nd.dot(xb, w) + b - yb) ** 2 / 2).mean()
            loss.backward()
            w.grad.wait_to_read()
            times.append(time.perf_counter() - start)
        medians.append(float(np.median(times[1:])))
    return GradientTiming(np.array(batch_sizes, dtype=int), np.array(medians))
