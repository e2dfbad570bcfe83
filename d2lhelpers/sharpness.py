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

from d2lhelpers.checks import check_count, check_positive
from d2lhelpers.data import make_rng


def hvp(grad: Callable[[np.ndarray], np.ndarray], w: np.ndarray, v: np.ndarray,
        eps: float = 1e-4, *, paired: bool = False) -> np.ndarray:
    """``H(w) v`` by a central difference of ``grad`` (float64 arrays (..., P)).
    The error is O(eps^2) on a smooth loss; ``v`` should have unit norm.

    With ``paired`` (arrays (..., S, P)) the two points go to ``grad`` in one
    call, stacked along the second-to-last axis as (..., 2S, P): one forward
    and backward pass of a bank with twice the rows instead of two passes."""
    eps = check_positive("eps", eps)
    w, v = np.asarray(w, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if not paired:
        return (grad(w + eps * v) - grad(w - eps * v)) / (2 * eps)
    if w.ndim < 2 or w.shape != v.shape:
        raise ValueError(f"paired hvp needs w and v of one shape (..., S, P), got "
                         f"{w.shape} and {v.shape}")
    both = grad(np.concatenate([w + eps * v, w - eps * v], axis=-2))
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
    iters = check_count("iters", iters)
    v = _unit(np.asarray(v0, dtype=np.float64))
    for _ in range(iters):
        Av = matvec(v)
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

    from d2lhelpers.mlp import cross_entropy
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
    theta = np.asarray(theta, dtype=np.float64)
    rows = len(net64.seeds)
    if theta.ndim != 3 or rows not in (theta.shape[1], 2 * theta.shape[1]):
        raise ValueError(f"theta must be (groups, seeds, P) with seeds = {rows} or "
                         f"{rows // 2} for this bank, got shape {theta.shape}")
    paired = rows == 2 * theta.shape[1]
    params = [net64.group_param(g) for g in range(net64.groups)]
    keep = [p.data().copy() for p in params]
    grad = bank_gradient(net64, X, y, loss_fn, restore=False)
    if v0 is None:
        v0 = make_rng(seed).standard_normal(theta.shape)
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
        self.every, self.iters = check_count("every", every), check_count("iters", iters)
        self.first_iters = check_count("first_iters", first_iters)
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
