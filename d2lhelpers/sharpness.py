"""The sharpness of a training loss: its Hessian's largest eigenvalue.

A Hessian-vector product needs no Hessian: ``H v`` is the directional
derivative of the gradient, here by central differences of two gradients,

    H v ~ (grad(w + eps v) - grad(w - eps v)) / (2 eps),

computed in float64 so that the difference of two nearly equal gradients keeps
its digits (second-order autograd would be exact, but MXNet 1.9.1 lacks it for
some operators). Power iteration on these products finds the eigenvalue of
largest magnitude, which on a network's loss is the largest positive one in
practice (checked against the smallest in the tests' exact example).
Vectors are arrays (..., P): each leading index is an independent problem (one
network of a bank), normalized and measured on its own.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from d2lhelpers.checks import (as_vector, check_bool, check_callable, check_count,
                               check_limit, check_point, check_positive)
from d2lhelpers.data import make_rng

#: The most power iterations one call runs (each costs two gradients).
MAX_ITERS = 10_000


def _check_iters(name: str, iters) -> int:
    iters = check_count(name, iters)
    check_limit(name, iters, MAX_ITERS, "power iterations")
    return iters


def hvp(grad: Callable[[np.ndarray], np.ndarray], w: np.ndarray, v: np.ndarray,
        eps: float = 1e-4, *, paired: bool = False) -> np.ndarray:
    """``H(w) v`` by a central difference of ``grad`` (float64 arrays (..., P)).
    The error is O(eps^2) on a smooth loss; ``v`` should have unit norm.

    With ``paired`` (arrays (..., S, P)) the two points go to ``grad`` in one
    call, stacked along the second-to-last axis as (..., 2S, P): one forward
    and backward pass of a bank with twice the rows instead of two passes."""
    check_callable("grad", grad)
    eps = check_positive("eps", eps)
    paired = check_bool("paired", paired)
    w, v = check_point("w", w), check_point("v", v)
    if w.shape != v.shape or w.size == 0:
        raise ValueError(f"w and v must be non-empty arrays of one shape, got shapes "
                         f"{w.shape} and {v.shape}")
    if not paired:
        return (as_vector("grad", grad(w + eps * v), w.shape)
                - as_vector("grad", grad(w - eps * v), w.shape)) / (2 * eps)
    if w.ndim < 2:
        raise ValueError(f"paired hvp needs w and v of one shape (..., S, P), got "
                         f"{w.shape}")
    stacked = w.shape[:-2] + (2 * w.shape[-2], w.shape[-1])
    both = as_vector("grad", grad(np.concatenate([w + eps * v, w - eps * v], axis=-2)),
                     stacked)
    plus, minus = np.split(both, 2, axis=-2)
    return (plus - minus) / (2 * eps)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    if not np.all(np.isfinite(norm)) or np.any(norm == 0):
        raise ValueError("power iteration met a zero or non-finite vector")
    return v / norm


def power_iteration(matvec: Callable[[np.ndarray], np.ndarray], v0: np.ndarray,
                    iters: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """``iters`` steps of ``v <- A v / |A v|`` from ``v0`` (shape (..., P)), each
    block on its own. Returns the Rayleigh quotients ``v . A v`` (shape (...))
    and the final unit vectors (pass them back as ``v0`` to warm-start)."""
    check_callable("matvec", matvec)
    iters = _check_iters("iters", iters)
    v0 = check_point("v0", v0)
    if v0.ndim == 0 or v0.size == 0:
        raise ValueError(f"v0 must be a non-empty array (..., P), got shape {v0.shape}")
    if np.any(np.linalg.norm(v0, axis=-1) == 0):
        raise ValueError("v0 must have no zero vector: power iteration cannot start from 0")
    v = _unit(v0)
    for k in range(iters):
        Av = as_vector("matvec", matvec(v), v.shape)
        norm = np.linalg.norm(Av, axis=-1)
        if not np.all(np.isfinite(norm)) or np.any(norm == 0):
            raise ValueError(f"matvec returned a zero or non-finite vector at iteration "
                             f"{k + 1}: A v must be finite and, for an eigenvalue of "
                             "largest magnitude to exist, not zero")
        lam = np.sum(v * Av, axis=-1)
        v = _unit(Av)
    return lam, v


def bank_gradient(net, X, y, loss_fn=None, *,
                  restore: bool = True) -> Callable[[np.ndarray], np.ndarray]:
    """``grad(theta)`` for an :class:`d2lhelpers.mlp.MLPBank`: ``theta`` of shape
    (groups, seeds, P) in float64 is loaded into ``net`` (which must be cast to
    float64) and each network's gradient of its mean loss on all of (X, y) is
    returned, same shape; ``loss_fn(scores, labels)`` gives per-sample losses
    (default :func:`d2lhelpers.mlp.cross_entropy`). The bank's own weights are
    restored after each call unless ``restore`` is False (then the last
    ``theta`` stays loaded)."""
    from mxnet import autograd, nd

    from d2lhelpers.mlp import _check_bank, _check_data, cross_entropy
    _check_bank("net", net)
    _check_data(net.sizes, X, y)
    restore = check_bool("restore", restore)
    if loss_fn is not None:
        check_callable("loss_fn", loss_fn)
    params = [net.group_param(g) for g in range(net.groups)]
    if params[0].data().dtype != np.float64:
        raise TypeError("cast the bank to float64 first (net.cast('float64'))")
    X_nd = nd.array(X, dtype="float64")
    y_nd = nd.array(y, dtype="float64")
    n = len(X)

    def grad(theta):
        theta = np.asarray(theta, dtype=np.float64)
        keep = [p.data().copy() for p in params] if restore else []
        for p, th in zip(params, theta):
            p.set_data(nd.array(th, dtype="float64"))
        with autograd.record():
            loss = (loss_fn or cross_entropy)(net(X_nd), y_nd)
        loss.backward()
        g = np.stack([p.grad().asnumpy() for p in params]) / n
        for p, k in zip(params, keep):
            p.set_data(k)
        return g

    return grad


def bank_sharpness(net64, X, y, theta: np.ndarray, *, iters: int = 20,
                   v0: np.ndarray | None = None, seed: int = 0, eps: float = 1e-6,
                   loss_fn=None) -> tuple[np.ndarray, np.ndarray]:
    """The largest Hessian eigenvalue of each network's training loss at
    ``theta`` (groups, seeds, P); returns (eigenvalues (groups, seeds), vectors).

    ``net64`` is a float64 bank with ``seeds`` rows, or with twice as many:
    then each product evaluates its two gradients in one pass (paired
    :func:`hvp`). Its weights are restored at the end."""
    grad = bank_gradient(net64, X, y, loss_fn, restore=False)
    iters = _check_iters("iters", iters)
    eps = check_positive("eps", eps)
    theta = check_point("theta", theta)
    rows, size = len(net64.seeds), net64.group_param(0).shape[1]
    if (theta.ndim != 3 or theta.shape[0] != net64.groups or theta.shape[2] != size
            or rows not in (theta.shape[1], 2 * theta.shape[1])):
        raise ValueError(f"theta must be (groups, seeds, P) = ({net64.groups}, {rows} or "
                         f"{rows // 2}, {size}) for this bank, got shape {theta.shape}")
    paired = rows == 2 * theta.shape[1]
    if v0 is None:
        v0 = make_rng(seed).standard_normal(theta.shape)
    elif np.shape(v0) != theta.shape:
        raise ValueError(f"v0 must have the shape of theta, {theta.shape}, got "
                         f"{np.shape(v0)}")
    params = [net64.group_param(g) for g in range(net64.groups)]
    keep = [p.data().copy() for p in params]
    try:
        return power_iteration(lambda v: hvp(grad, theta, v, eps, paired=paired),
                               v0, iters)
    finally:
        for p, k in zip(params, keep):
            p.set_data(k)


class SharpnessTracker:
    """A ``record`` for :func:`d2lhelpers.loop.fit` on a bank trained full-batch:
    after every update it stores each network's training loss, and every
    ``every`` updates the sharpness by ``iters`` power iterations warm-started
    from the last eigenvectors (``first_iters`` the first time, from a random
    start: on the chapter's network the top two eigenvalues at the start are
    32.2 and 26.8, so 20 iterations still read 31.7).

    ``loss[k]`` (groups,) is the loss after k updates; ``at`` lists the update
    numbers where ``sharp`` (groups,) was measured. A network whose loss is not
    finite gets nan from then on.
    """

    def __init__(self, sizes, seeds, groups, X, y, *, every: int = 10, iters: int = 8,
                 first_iters: int = 60, loss_fn=None, seed: int = 0):
        from d2lhelpers import mlp
        self.every, self.iters = check_count("every", every), _check_iters("iters", iters)
        self.first_iters = _check_iters("first_iters", first_iters)
        if loss_fn is not None:
            check_callable("loss_fn", loss_fn)
        make_rng(seed)
        mlp._check_data(mlp.check_sizes(sizes), X, y)
        self.X, self.y, self.loss_fn = X, y, loss_fn or mlp.cross_entropy
        # twice the rows: each product's two gradients in one pass
        self.net64 = mlp.bank(sizes, list(seeds) * 2, groups, hybridize=False)
        self.net64.cast("float64")
        self.net64.hybridize()
        self.seed = seed
        self.loss, self.at, self.sharp = [], [], []
        self._v = None

    def _single(self):
        """A float64 bank of one group, like :attr:`net64` (paired rows)."""
        from d2lhelpers import mlp
        one = mlp.bank(self.net64.sizes, self.net64.seeds, 1, hybridize=False)
        one.cast("float64")
        one.hybridize()
        return one

    def __call__(self, net):
        from mxnet import nd
        k = len(self.loss)
        out = net(nd.array(self.X))
        loss = self.loss_fn(out, nd.array(self.y)).mean(axis=-1).asnumpy()[:, 0]
        self.loss.append(loss.astype(float))
        if k % self.every == 0:
            theta = np.stack([net.group_param(g).data().asnumpy().astype(np.float64)
                              for g in range(net.groups)])
            ok = np.all(np.isfinite(theta.reshape(theta.shape[0], -1)), axis=1)
            theta[~ok] = 0.0
            if self._v is None and np.all(theta == theta[:1]):
                # The groups of a rate sweep start as one network: measure it
                # once (the longest measurement, from a random vector) and
                # start every group's later measurements from its vector.
                lam, v = bank_sharpness(
                    self._single(), self.X, self.y, theta[:1], seed=self.seed,
                    iters=self.first_iters, loss_fn=self.loss_fn)
                lam = np.repeat(lam, len(theta), axis=0)
                self._v = np.repeat(v, len(theta), axis=0)
            else:
                lam, self._v = bank_sharpness(
                    self.net64, self.X, self.y, theta, v0=self._v, seed=self.seed,
                    iters=self.first_iters if self._v is None else self.iters,
                    loss_fn=self.loss_fn)
            lam = lam[:, 0].astype(float)
            lam[~ok] = np.nan
            self.at.append(k)
            self.sharp.append(lam)
