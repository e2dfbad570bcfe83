"""Small helpers several test files share (not a test module itself)."""
from __future__ import annotations

import queue
import time
import warnings

import numpy as np
import pytest

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


def run_cell(kc, code, timeout=120):
    """Execute ``code`` through the kernel client ``kc``; return the iopub
    messages it produced, until the kernel is idle again. An error in the
    cell or a timeout fails the test."""
    msg_id = kc.execute(code)
    messages, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=5)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            pytest.fail("cell failed: " + "\n".join(msg["content"]["traceback"]))
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    pytest.fail("cell timed out")
