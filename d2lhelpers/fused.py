"""Many mini-batch steps of one update rule compiled into one MXNet graph.

:func:`fused_block` is what :func:`d2lhelpers.trainers.train_fused` calls: with
batch size 1, per-step Python and engine overhead is what costs time, and
running the steps between two records inside MXNet removes it (see
bench/bench_sgd.py).
"""
from __future__ import annotations

import numbers
from typing import List

from d2lhelpers.optim import Optimizer


def _check_opt(opt) -> None:
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a d2lhelpers.optim.Optimizer, got {opt!r}")


def leaves(state) -> List:
    """Split an optimizer state into its arrays (a number is a constant)."""
    if isinstance(state, (tuple, list)):
        return [leaf for part in state for leaf in leaves(part)]
    if state is None or isinstance(state, (str, bytes, bool)):
        raise TypeError(f"an optimizer state must be numbers and arrays, got {state!r}")
    return [] if isinstance(state, numbers.Real) else [state]


def rebuild(template, parts: list):
    """Inverse of :func:`leaves`: put ``parts`` (consumed in order) back in shape."""
    if not isinstance(parts, list):
        raise TypeError(f"parts must be a list of arrays, got {parts!r}")
    if isinstance(template, (tuple, list)):
        return type(template)(rebuild(part, parts) for part in template)
    if isinstance(template, numbers.Real):
        return template
    if not parts:
        raise ValueError("parts holds fewer arrays than the state template needs")
    return parts.pop(0)


def graph_state(opt: Optimizer, x):
    """``opt.init(x)`` in a form a graph can carry from step to step.

    A number in the state stays a constant if ``opt.step`` keeps it one (a
    stateless rule such as SGD); if a step turns it into an array (momentum's
    velocity starts as the number 0), every number becomes an array shaped
    like ``x``, so the loop's inputs and outputs match.
    """
    import numpy as np

    _check_opt(opt)
    state = opt.init(x)
    _, after = opt.step(x, np.zeros_like(x), state)
    if len(leaves(after)) == len(leaves(state)):
        return state

    def promote(part):
        if isinstance(part, (tuple, list)):
            return type(part)(promote(p) for p in part)
        return np.full_like(x, part) if isinstance(part, numbers.Real) else part
    return promote(state)


def fused_block(opt: Optimizer, state_w, state_b):
    """A HybridBlock that runs consecutive mini-batch steps of ``opt`` in ONE
    graph.

    Its inputs are the batches stacked as ``(steps, m, d)`` and
    ``(steps, m, 1)``, the Dense layer's weight (1, d) and bias (1,), and the
    optimizer state's arrays; ``contrib.foreach`` carries them from step to
    step. The gradient of
    the batch mean of ``(x.w + b - y)^2 / 2`` is written in closed form,
    ``mean(r x)`` and ``mean(r)`` with ``r = x.w + b - y`` (a test checks it
    against autograd), and the update is ``opt.step`` itself, the same rule
    the from-scratch trainer applies.
    """
    from mxnet import gluon

    _check_opt(opt)
    nw = len(leaves(state_w))

    class FusedSteps(gluon.HybridBlock):
        def hybrid_forward(self, F, xs, ys, weight, bias, *state):
            def body(data, loop):
                x, t = data
                w, b, *s = loop
                r = F.FullyConnected(x, w, b, num_hidden=1) - t
                gw = F.mean(F.broadcast_mul(r, x), axis=0, keepdims=True)
                gb = F.mean(r, axis=0)
                sw = rebuild(state_w, list(s[:nw]))
                sb = rebuild(state_b, list(s[nw:]))
                w, sw = opt.step(w, gw, sw)
                b, sb = opt.step(b, gb, sb)
                return [], [w, b] + leaves(sw) + leaves(sb)
            _, out = F.contrib.foreach(body, [xs, ys],
                                       [weight, bias] + list(state))
            return tuple(out)

    return FusedSteps()
