"""Small helpers several test files share (not a test module itself)."""
from __future__ import annotations

import warnings

import numpy as np

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.optim import run


def steps_of(opt, grads, x0=0.0):
    """Apply opt to a given sequence of gradients; return the iterates."""
    x, state, out = x0, opt.init(x0), []
    for g in grads:
        x, state = opt.step(x, g, state)
        out.append(x)
    return out


def mxnet_updates(name, grads, x0, **kw):
    """MXNet's own optimizer applied to one float32 parameter (some MXNet states are
    always float32)."""
    import mxnet as mx
    opt = mx.optimizer.create(name, **kw)
    w = mx.nd.array(x0)
    states = opt.create_state(0, w)
    out = []
    for g in grads:
        opt.update(0, w, mx.nd.array(g), states)
        out.append(w.asnumpy().copy())
    return np.array(out)


def reference_like(opt, grads, x0):
    x, state, out = x0.copy(), opt.init(x0), []
    for g in grads:
        x, state = opt.step(x, g, state)
        out.append(x)
    return np.array(out)


def quiet_run(opt, grad, x0, steps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return run(opt, grad, x0, steps)
