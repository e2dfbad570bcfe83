"""The multilayer perceptron of the network chapter, alone or as a bank.

:func:`mlp` is one Gluon ReLU network. :class:`MLPBank` holds many of them,
``groups x len(seeds)`` independent networks evaluated by one hybridized
graph: the weights of the networks of a group are stacked along a first axis
and multiplied with ``batch_dot``, and each group is its own Gluon parameter,
so a Trainer can give each group its own learning rate through ``lr_mult``. The loss of
the bank is the sum of the networks' losses; since no
operation mixes two networks, each one receives exactly its own gradient and
trains exactly as it would alone (``tests/test_mlp.py`` checks it).
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from d2lhelpers.checks import (check_bool, check_count, check_limit, check_point,
                               check_sequence)
from d2lhelpers.data import make_rng

#: The most weights and biases one network, and one bank, may hold (float32:
#: 40 MB and 400 MB), far above the chapter's 3,500 per network.
MAX_PARAMS = 10_000_000
MAX_BANK_PARAMS = 100_000_000


def check_sizes(sizes) -> tuple[int, ...]:
    """The layer widths (input, hidden..., output), at least two whole numbers."""
    sizes = tuple(check_sequence("sizes", sizes, 0))
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least the input and output widths, got {sizes!r}")
    sizes = tuple(check_count("each layer width in sizes", s) for s in sizes)
    check_limit("sizes", sum(a * b + b for a, b in pairwise(sizes)), MAX_PARAMS,
                "parameters in one network")
    return sizes


def _check_loss_args(out, label):
    # out (..., B, classes) and label (B,), (B, 1) or (S, B): NDArrays whose batch
    # axes agree (MXNet would broadcast or fail deep inside), holding class indices
    from mxnet import nd
    for name, a in (("out", out), ("label", label)):
        if not isinstance(a, nd.NDArray):
            raise TypeError(f"{name} must be an mxnet NDArray, got {type(a).__name__}")
    shape = label.shape[:-1] if label.ndim > 1 and label.shape[-1] == 1 else label.shape
    if out.ndim < 2 or len(shape) > out.ndim - 1 or shape != out.shape[-1 - len(shape):-1]:
        raise ValueError(f"label of shape {label.shape} does not fit scores of shape "
                         f"{out.shape}: it must hold one class index per sample")
    values = label.asnumpy()
    bad = ~np.isfinite(values) | (values != np.floor(values)) | (values < 0) | (
        values >= out.shape[-1])
    if bad.any():
        raise ValueError(f"label must hold class indices 0..{out.shape[-1] - 1}, "
                         f"got {values[bad][0]!r}")
    return shape


def _check_bank(name: str, net):
    if not all(hasattr(net, a) for a in ("sizes", "seeds", "groups", "group_param")):
        raise TypeError(f"{name} must be a bank of networks from d2lhelpers.mlp.bank, got {net!r}")


def _check_data(sizes, X, y, where: str = ""):
    """(X, y) for networks of widths sizes: X (n, sizes[0]) finite, y n class indices."""
    from d2lhelpers.checks import check_labels
    X = check_point(f"{where}X", X)
    if X.ndim != 2 or len(X) == 0 or X.shape[1] != sizes[0]:
        raise ValueError(f"{where}X must have shape (n, sizes[0]) = (n, {sizes[0]}), "
                         f"got {X.shape}")
    y = check_labels(f"{where}y", y, len(X))
    if not np.all((y >= 0) & (y < sizes[-1]) & (y == np.floor(y))):
        raise ValueError(f"{where}y must hold class indices 0..{sizes[-1] - 1} "
                         f"(sizes[-1] = {sizes[-1]} classes)")


def initial_weights(sizes: Sequence[int], seed: int):
    """The starting ``[(W, b), ...]`` for ``seed``: W of shape (fan_in, fan_out)
    uniform with He's variance 2 / fan_in for the ReLU layers and Glorot's
    2 / (fan_in + fan_out) for the output layer; b = 0. float32."""
    sizes = check_sizes(sizes)
    rng = make_rng(seed)
    layers = []
    for k, (a, b) in enumerate(pairwise(sizes)):
        var = 2.0 / a if k < len(sizes) - 2 else 2.0 / (a + b)
        bound = np.sqrt(3.0 * var)
        W = rng.uniform(-bound, bound, size=(a, b)).astype(np.float32)
        layers.append((W, np.zeros(b, dtype=np.float32)))
    return layers


def mlp(sizes: Sequence[int], *, seed: int = 0, hybridize: bool = True):
    """One ReLU network with layer widths ``sizes`` (e.g. (64, 32, 32, 10)),
    started from :func:`initial_weights` of ``seed``."""
    import mxnet as mx
    from mxnet import gluon, nd
    sizes = check_sizes(sizes)
    make_rng(seed)
    hybridize = check_bool("hybridize", hybridize)
    net = gluon.nn.HybridSequential()
    for k, (a, b) in enumerate(pairwise(sizes)):
        act = "relu" if k < len(sizes) - 2 else None
        net.add(gluon.nn.Dense(b, in_units=a, activation=act))
    net.initialize(ctx=mx.cpu())
    for layer, (W, b) in zip(net, initial_weights(sizes, seed)):
        layer.weight.set_data(nd.array(W.T))
        layer.bias.set_data(nd.array(b))
    if hybridize:
        net.hybridize()
    return net


def cross_entropy(out, label):
    """Softmax cross-entropy per sample: ``out`` (..., B, classes) scores,
    ``label`` (B,), (B, 1) or (S, B) class indices broadcast against ``out``.
    Returns the losses, shaped like ``out`` without its last axis."""
    from mxnet import nd
    _check_loss_args(out, label)
    if label.ndim > 1 and label.shape[-1] == 1:
        label = label.reshape(label.shape[:-1])
    label = label.reshape((1,) * (out.ndim - 1 - label.ndim) + label.shape)
    logp = nd.log_softmax(out, axis=-1)
    onehot = nd.one_hot(label, out.shape[-1], dtype=out.dtype)
    return -nd.broadcast_mul(logp, onehot).sum(axis=-1)


def layout(sizes: Sequence[int]):
    """Where each layer's W (fan_in, fan_out) and b sit in a flat parameter
    vector: a list of ((start, stop, shape) of W, (start, stop) of b)."""
    sizes, spans, at = check_sizes(sizes), [], 0
    for a, b in pairwise(sizes):
        spans.append(((at, at + a * b, (a, b)), (at + a * b, at + a * b + b)))
        at += a * b + b
    return spans


def flatten(layers) -> np.ndarray:
    """``[(W, b), ...]`` as one flat vector in the order of :func:`layout`."""
    layers = check_sequence("layers", layers)
    for k, pair in enumerate(layers):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"layers[{k}] must be a pair (W, b), got {pair!r}")
        W, b = (check_point(f"layers[{k}]", a) for a in pair)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"layers[{k}] must be (W, b) with W of shape (fan_in, fan_out) "
                             f"and b of fan_out values, got shapes {W.shape} and {b.shape}")
    return np.concatenate([np.concatenate([W.reshape(-1), b.reshape(-1)]) for W, b in layers])


def square_loss(out, label):
    """Half the squared distance of the scores to the one-hot label, per sample
    (shapes as in :func:`cross_entropy`): the loss of Cohen et al.'s cleanest
    edge-of-stability runs, whose curvature does not fade as it is fitted."""
    from mxnet import nd
    _check_loss_args(out, label)
    if label.ndim > 1 and label.shape[-1] == 1:
        label = label.reshape(label.shape[:-1])
    label = label.reshape((1,) * (out.ndim - 1 - label.ndim) + label.shape)
    onehot = nd.one_hot(label, out.shape[-1], dtype=out.dtype)
    return 0.5 * nd.broadcast_sub(out, onehot).square().sum(axis=-1)


def _bank_block():
    from mxnet import gluon

    class MLPBank(gluon.HybridBlock):
        """``groups`` x ``len(seeds)`` ReLU networks of widths ``sizes``.

        Group g is one Gluon parameter ``theta_g`` of shape (S, P): row s holds
        all P weights and biases of network (g, s), laid out by :func:`layout`
        (one parameter per group keeps the optimizer's per-parameter cost low).
        Input (B, d) goes to every network; input (S, B, d) gives network s of
        every group its own batch. Output: scores (groups, S, B, classes).
        """

        def __init__(self, sizes, seeds, groups=1, **kwargs):
            super().__init__(**kwargs)
            self.sizes = check_sizes(sizes)
            self.seeds = tuple(check_count("each seed", s, 0) for s in seeds)
            if not self.seeds:
                raise ValueError("seeds must hold at least one seed")
            self.groups = check_count("groups", groups)
            self.spans = layout(self.sizes)
            self.n_params = self.spans[-1][1][1]
            self._keys = [f"theta{g}" for g in range(self.groups)]
            with self.name_scope():
                for key in self._keys:
                    setattr(self, key, self.params.get(
                        key, shape=(len(self.seeds), self.n_params)))

        def forward(self, x, *args):
            if x.ndim == 2:
                x = x.expand_dims(0).broadcast_axes(axis=0, size=len(self.seeds))
            return super().forward(x, *args)

        def hybrid_forward(self, F, x, **p):
            outs = []
            for key in self._keys:
                h = x
                for k, ((w0, w1, shape), (b0, b1)) in enumerate(self.spans):
                    W = F.slice_axis(p[key], axis=1, begin=w0, end=w1).reshape((0,) + shape)
                    b = F.slice_axis(p[key], axis=1, begin=b0, end=b1).expand_dims(1)
                    h = F.broadcast_add(F.batch_dot(h, W), b)
                    if k < len(self.spans) - 1:
                        h = F.relu(h)
                outs.append(h)
            return F.stack(*outs, axis=0)

        def group_param(self, g):
            """The Gluon parameter of group g, shape (S, P)."""
            return getattr(self, self._keys[g])

        def set_rates(self, rates):
            """Give group g the learning-rate multiplier ``rates[g]``."""
            rates = [float(r) for r in rates]
            if len(rates) != self.groups:
                raise ValueError(f"rates must hold one rate per group ({self.groups}), "
                                 f"got {len(rates)}")
            for g, r in enumerate(rates):
                self.group_param(g).lr_mult = r

        def member_weights(self, g, s):
            """Network (g, s)'s current ``[(W, b), ...]`` as numpy arrays."""
            theta = self.group_param(g).data()[s].asnumpy()
            return [(theta[w0:w1].reshape(shape), theta[b0:b1])
                    for (w0, w1, shape), (b0, b1) in self.spans]

    return MLPBank


def bank(sizes: Sequence[int], seeds: Sequence[int], groups: int = 1, *,
         hybridize: bool = True):
    """An initialized :class:`MLPBank`: network (g, s) starts from
    :func:`initial_weights` of ``seeds[s]`` in every group g (so the groups,
    given different learning rates, start from the same weights)."""
    import mxnet as mx
    from mxnet import nd
    sizes = check_sizes(sizes)
    seeds = [check_count("each seed", s, 0)
             for s in check_sequence("seeds (a seed per network)", seeds)]
    groups = check_count("groups", groups)
    hybridize = check_bool("hybridize", hybridize)
    per_net = sum(a * b + b for a, b in pairwise(sizes))
    check_limit("groups x len(seeds) x the parameters of one network",
                groups * len(seeds) * per_net, MAX_BANK_PARAMS, "parameters in one bank")
    net = _bank_block()(sizes, seeds, groups)
    net.initialize(mx.init.Zero(), ctx=mx.cpu())
    start = nd.array(np.stack([flatten(initial_weights(net.sizes, s)) for s in net.seeds]))
    for g in range(net.groups):
        net.group_param(g).set_data(start)
    if hybridize:
        net.hybridize()
    return net


def scores(net, X, y):
    """Mean loss and accuracy of every network of a bank on (X, y): two arrays
    (groups, S); a network whose loss is not finite gets accuracy nan."""
    from mxnet import nd
    _check_bank("net", net)
    _check_data(net.sizes, X, y)
    out = net(nd.array(X))
    labels = nd.array(y)
    loss = cross_entropy(out, labels).mean(axis=-1).asnumpy().astype(float)
    hit = (out.argmax(axis=-1) == labels.reshape((1, 1, -1))).mean(axis=-1)
    acc = hit.asnumpy().astype(float)
    acc[~np.isfinite(loss)] = np.nan
    return loss, acc
