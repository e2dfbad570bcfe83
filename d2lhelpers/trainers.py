"""Mini-batch training of linear regression, three ways, on the one loop.

:func:`train_scratch` (MXNet ndarray + autograd), :func:`train_gluon` (Dense,
L2Loss, Trainer) and :func:`train_fused` (the same steps compiled into one
hybridized Gluon block, for speed) minimise the same objective, the mean over a
batch of ``(yhat - y)^2 / 2``, visit the batches in the same order, record the
same full-data loss and stop a diverging run the same way, because all three
run :func:`d2lhelpers.training.train_epochs`; each says only what one step does.
A chapter can put them side by side and a test can check that they agree.

A learning rate that changes is a :class:`d2lhelpers.schedules.Schedule`
(``schedule(t)`` is the rate of update t = 1, 2, ...): the Gluon trainer
attaches it to the ``Trainer``; the from-scratch and fused trainers take an
optimizer factory ``eta -> Optimizer`` (such as :func:`d2lhelpers.optim.sgd`)
and use ``opt(schedule(t))`` for update t.
"""
from __future__ import annotations

from typing import Callable, Optional, Union

import numpy as np

from d2lhelpers.checks import check_count, check_lr, check_mxnet_optimizer
from d2lhelpers.data import check_regression_data
from d2lhelpers.history import History, Recorder
from d2lhelpers.optim import Optimizer
from d2lhelpers.training import (EpochPlan, apply_update, as_numpy, epoch_data, gluon_step,
                                 init_params, linear_measure, linear_net, rule_per_update,
                                 train_epochs)

OptimizerOrSchedule = Union[Optimizer, Callable[[int], Optimizer]]


def train_scratch(opt, X, y, batch_size: int, epochs: int, *, seed: int = 0, w0=None,
                  b0=None, record_every: Optional[int] = None, schedule=None,
                  label: str = "") -> History:
    """Mini-batch training of ``yhat = X w + b`` with MXNet ndarray and autograd.

    ``opt`` is an :class:`~d2lhelpers.optim.Optimizer`; or, with a
    ``schedule``, a factory ``eta -> Optimizer`` (the optimizer state carries
    over when the rate changes). Batches come from ``batch_order(n,
    batch_size, epochs, seed=seed)``. (A function ``epoch -> Optimizer`` is
    still accepted as ``opt``, for older code.)
    """
    from mxnet import autograd, nd

    X, y = check_regression_data(X, y)
    n, d = X.shape
    rule_of, _ = rule_per_update(opt, schedule)
    plan = EpochPlan(n, batch_size, epochs, seed)
    w_np, b_np = init_params(d, seed=seed, w0=w0, b0=b0)
    w, b = nd.array(w_np).reshape((d, 1)), nd.array([b_np])
    params = [w, b]
    for p in params:
        p.attach_grad()
    states = [rule_of(1, 1).init(p) for p in params]
    rec = Recorder(n, plan.batch_size, record_every, label or "train_scratch",
                   linear_measure(X, y, lambda: as_numpy(w, b)))
    now = {"epoch": 0, "update": 0}

    def start_epoch(epoch, rows):
        now["epoch"] = epoch
        now["X"], now["y"] = epoch_data(X, y, rows)

    def step(lo, hi):
        now["update"] += 1
        xb, yb = now["X"][lo:hi], now["y"][lo:hi]
        with autograd.record():
            loss = ((nd.dot(xb, w) + b - yb) ** 2 / 2).sum()
        loss.backward()
        apply_update(rule_of(now["update"], now["epoch"]), params, states, hi - lo)

    return train_epochs(plan, step, rec, start_epoch=start_epoch)


def _objective_block(net):
    """A HybridBlock returning the per-sample L2 loss of ``net``; the network
    is its attribute ``net``."""
    from mxnet import gluon

    class Objective(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.net = net
            self.loss = gluon.loss.L2Loss()

        def hybrid_forward(self, F, x, y):
            return self.loss(self.net(x), y)

    return Objective()


def train_gluon(optimizer: str, hyper: dict, X, y, batch_size: int, epochs: int, *,
                seed: int = 0, w0=None, b0=None, record_every: Optional[int] = None,
                schedule=None, lr_schedule: Optional[Callable[[int], float]] = None,
                hybridize: bool = True, label: str = "") -> History:
    """Mini-batch training with ``gluon.nn.Dense(1)``, ``gluon.loss.L2Loss`` and
    ``gluon.Trainer(net.collect_params(), optimizer, hyper)``.

    ``trainer.step(batch_size)`` rescales the summed gradient by 1/batch_size
    (see :mod:`d2lhelpers.training`). ``schedule``, a
    :class:`~d2lhelpers.schedules.Schedule`, becomes the Trainer's
    ``lr_scheduler``, which MXNet asks for the rate of every update (so give
    no ``learning_rate`` with it). ``lr_schedule(epoch)``, for older code, is a
    rate per epoch (1, 2, ...), turned into a
    :class:`~d2lhelpers.schedules.PerEpoch` schedule. The per-step work is
    kept on MXNet's side: each epoch's shuffled data are copied to the device
    once and sliced into batches, the network and loss run as one hybridized
    graph (``static_alloc``), and parameters are read back only when a loss is
    recorded, never per step.
    """
    import mxnet as mx  # noqa: F401  (MXNet must be importable before the checks below)
    from mxnet import gluon

    from d2lhelpers import schedules

    X, y = check_regression_data(X, y)
    n, d = X.shape
    plan = EpochPlan(n, batch_size, epochs, seed)
    if not isinstance(optimizer, str):
        raise TypeError("optimizer must be a Gluon optimizer name such as 'sgd', "
                        f"got {optimizer!r}")
    if not isinstance(hyper, dict):
        raise TypeError(f"hyper must be a dict of optimizer settings, got {hyper!r}")
    if "learning_rate" in hyper:
        check_lr(hyper["learning_rate"])
    check_mxnet_optimizer(optimizer, hyper)
    hyper = dict(hyper)
    if lr_schedule is not None:
        if schedule is not None:
            raise ValueError("give schedule or lr_schedule, not both")
        schedule = schedules.PerEpoch(lr_schedule, plan.updates_per_epoch)
        hyper.pop("learning_rate", None)      # the schedule gives every rate
    if schedule is not None:
        if not isinstance(schedule, schedules.Schedule):
            raise TypeError(f"schedule must be a d2lhelpers.schedules.Schedule, got {schedule!r}")
        if "learning_rate" in hyper or "lr_scheduler" in hyper:
            raise ValueError("with a schedule, give neither learning_rate nor lr_scheduler "
                             "(MXNet would overwrite the schedule's base rate)")
        hyper["lr_scheduler"] = schedule.to_mxnet()
    obj = _objective_block(linear_net(d, seed=seed, w0=w0, b0=b0))
    if hybridize:
        obj.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(obj.net.collect_params(), optimizer, hyper)
    rec = Recorder(n, plan.batch_size, record_every, label or f"train_gluon({optimizer})",
                   linear_measure(X, y, lambda: as_numpy(obj.net.weight.data(),
                                                         obj.net.bias.data())))
    now = {}

    def start_epoch(epoch, rows):
        now["X"], now["y"] = epoch_data(X, y, rows)

    def step(lo, hi):
        gluon_step(obj, trainer, now["X"][lo:hi], now["y"][lo:hi])

    return train_epochs(plan, step, rec, start_epoch=start_epoch)


def train_fused(opt, X, y, batch_size: int, epochs: int, *, seed: int = 0, w0=None,
                b0=None, record_every: Optional[int] = None, schedule=None,
                label: str = "") -> History:
    """Mini-batch training whose inner loop runs inside MXNet, not Python.

    Same objective, batch order, initialization, update rule and records as
    :func:`train_scratch` and :func:`train_gluon` (so the same trajectory), but
    all the steps between two records that share one rate are one call of a
    hybridized Gluon block (:func:`d2lhelpers.fused.fused_block`). ``opt`` and
    ``schedule`` are as in :func:`train_scratch`; the rule's state may be a
    number (a stateless rule) or arrays shaped like the parameter.
    """
    from mxnet import nd

    from d2lhelpers.fused import fused_block, graph_state, leaves

    rule_of, _ = rule_per_update(opt, schedule)
    first = rule_of(1, 1)
    X, y = check_regression_data(X, y)
    n, d = X.shape
    batch_size = check_count("batch_size", batch_size)
    now = {"epoch": 0, "update": 0, "rule": None, "block": None}
    rec = Recorder(n, batch_size, record_every, label or f"train_fused({first!r})",
                   linear_measure(X, y, lambda: as_numpy(now["w"], now["b"])))
    plan = EpochPlan(n, batch_size, epochs, seed, group=(record_every or n) // batch_size)
    w_np, b_np = init_params(d, seed=seed, w0=w0, b0=b0)
    state_w = graph_state(first, w_np.reshape(1, d))
    state_b = graph_state(first, np.array([b_np], np.float32))
    now["w"], now["b"] = nd.array(w_np).reshape((1, d)), nd.array([b_np])
    now["state"] = [nd.array(np.broadcast_to(a, shape), dtype="float32") for a, shape in
                    [(a, (1, d)) for a in leaves(state_w)] + [(a, (1,)) for a in leaves(state_b)]]

    def start_epoch(epoch, rows):
        now["epoch"], now["X"], now["y"] = epoch, X[rows], y[rows]

    def run(rule, lo, hi, m):
        """Updates on samples lo:hi in batches of m, all with ``rule``, in one call."""
        if rule is not now["rule"]:
            now["rule"], now["block"] = rule, fused_block(rule, state_w, state_b)
            now["block"].hybridize(static_alloc=True)
        steps = (hi - lo) // m
        xs = nd.array(now["X"][lo:hi].reshape(steps, m, d))
        ys = nd.array(now["y"][lo:hi].reshape(steps, m, 1))
        now["w"], now["b"], *now["state"] = now["block"](xs, ys, now["w"], now["b"],
                                                         *now["state"])

    def step(lo, hi):
        m = batch_size if (hi - lo) % batch_size == 0 else hi - lo   # the short last batch
        rules = []
        for _ in range((hi - lo) // m):
            now["update"] += 1
            rules.append(rule_of(now["update"], now["epoch"]))
        start = 0
        for k in range(1, len(rules) + 1):    # consecutive updates with one rule together
            if k == len(rules) or rules[k] is not rules[start]:
                run(rules[start], lo + start * m, lo + k * m, m)
                start = k

    return train_epochs(plan, step, rec, start_epoch=start_epoch)
