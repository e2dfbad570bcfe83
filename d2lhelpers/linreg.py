"""Mini-batch training of linear regression, from scratch and with Gluon.

Three trainers: :func:`train_scratch` (MXNet ndarray + autograd),
:func:`train_gluon` (Dense, L2Loss, Trainer) and :func:`train_fused` (the same
steps compiled into one hybridized Gluon block, for speed); the textbook's
``sgd`` and ``train``; and the plots of a run's loss. The gradient statistics
the SGD chapter studies live in :mod:`d2lhelpers.gradients`.

All trainers minimise the same objective, the mean over a batch of
``(yhat - y)^2 / 2``, visit the batches in the same order (from
:func:`d2lhelpers.data.batch_order`) and record the same full-data loss, so a
chapter can put them side by side and a test can check that they agree.

The gradient convention, shared by all of them (and by Gluon itself): the loss of a
batch is *summed* over its samples, ``backward()`` gives the gradient of that
sum, and the update divides it by the batch size. In Gluon this division is
``trainer.step(batch_size)``, which sets the optimizer's ``rescale_grad`` to
``1 / batch_size``; every Gluon optimizer ('sgd', 'nag', 'adagrad', 'rmsprop',
'adadelta', 'adam') then sees the gradient of the batch *mean*, which is what a
from-scratch :class:`~d2lhelpers.optim.Optimizer` receives here.
"""
from __future__ import annotations

import math
import numbers
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

from d2lhelpers import style
from d2lhelpers.checks import DivergenceWarning, check_count, check_lr
from d2lhelpers.data import batch_order, check_regression_data, synthetic_regression
from d2lhelpers.mxnet_import import quiet_import_mxnet
from d2lhelpers.optim import Optimizer
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.plotting import new_axes


@dataclass
class History:
    """What a training run recorded.

    ``loss[k]`` is the full-data loss after ``samples[k]`` samples (``epoch[k]``
    epochs, ``time[k]`` seconds of wall clock since the start); ``params[k]`` the
    parameters ``(w..., b)`` at that moment. ``w`` and ``b`` are the final
    parameters. ``diverged_at`` is None, or the index into ``loss`` of the first
    non-finite loss (the run stops there).
    """
    loss: List[float] = field(default_factory=list)
    w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    b: float = 0.0
    diverged_at: Optional[int] = None
    samples: List[int] = field(default_factory=list)
    epoch: List[float] = field(default_factory=list)
    time: List[float] = field(default_factory=list)
    params: List[np.ndarray] = field(default_factory=list)
    label: str = ""

    def __repr__(self) -> str:
        status = (f"diverged at record {self.diverged_at}" if self.diverged_at is not None
                  else f"final loss {self.loss[-1]:.4e}" if self.loss else "empty")
        return f"History({self.label or 'run'}: {len(self.loss)} records, {status})"


def full_loss(X: np.ndarray, y: np.ndarray, w, b) -> float:
    """The objective on all the data, mean of (x.w + b - y)^2 / 2, in float64."""
    with np.errstate(all="ignore"):
        r = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + float(b) - y
        return float(np.mean(r * r) / 2)


def init_params(d: int, *, seed: int = 0, w0=None, b0=None):
    """Initial ``(w, b)`` as float32 numpy: w ~ N(0, 0.01^2), b = 0 unless given.

    The draw uses its own stream (not the batch order's), so both trainers start
    from the same point for the same seed.
    """
    if w0 is None:
        w0 = np.random.default_rng([int(seed), 1]).normal(0.0, 0.01, size=d)
    w0 = np.asarray(w0, dtype=np.float32).reshape(-1)
    if w0.shape != (d,):
        raise ValueError(f"w0 must have {d} entries (one per feature), got shape {w0.shape}")
    b0 = 0.0 if b0 is None else b0
    if not isinstance(b0, numbers.Real) and np.ndim(b0) != 0:
        raise TypeError(f"b0 must be a number, got {b0!r}")
    return w0, float(b0)


class _Recorder:
    """Records the full-data loss every ``record_every`` samples and at every
    epoch end; flags divergence at the first non-finite loss."""

    def __init__(self, X, y, batch_size, record_every, label):
        n = X.shape[0]
        if record_every is not None:
            record_every = check_count("record_every", record_every)
            if record_every % batch_size:
                raise ValueError(f"record_every must be a multiple of batch_size={batch_size}, "
                                 f"got {record_every}")
        self.X, self.y, self.n, self.every = X, y, n, record_every
        self.history = History(label=label)
        self.start = time.perf_counter()

    @property
    def stopped(self) -> bool:
        """True once a recorded loss was not finite: training must end there."""
        return self.history.diverged_at is not None

    def after_batch(self, in_epoch: int, seen: int, read_params: Callable[[], tuple]) -> bool:
        """Record if ``in_epoch`` samples of this epoch end a recording period;
        ``read_params()`` gives ``(w, b)`` as numpy and is called only then, since
        reading parameters waits for MXNet's engine. Returns False to stop."""
        if in_epoch == self.n or (self.every is not None and in_epoch % self.every == 0):
            return self.record(seen, *read_params(), stacklevel=4)
        return True

    def record(self, seen: int, w: np.ndarray, b: float, stacklevel: int = 3) -> bool:
        """Store one record; return False once the loss is no longer finite.
        ``stacklevel`` points the warning at the code that called the trainer."""
        h = self.history
        h.time.append(time.perf_counter() - self.start)
        loss = full_loss(self.X, self.y, w, b)
        h.loss.append(loss)
        h.samples.append(seen)
        h.epoch.append(seen / self.n)
        h.params.append(np.append(w, b).astype(np.float64))
        h.w, h.b = np.asarray(w, dtype=np.float64).copy(), float(b)
        if not math.isfinite(loss):
            h.diverged_at = len(h.loss) - 1
            warnings.warn(f"{h.label or 'training'} diverged: the full-data loss is {loss} "
                          f"after {seen} samples (epoch {seen / self.n:.2f}); training "
                          "stopped there", DivergenceWarning, stacklevel=stacklevel)
            return False
        return True


def _as_numpy(w, b):
    """MXNet weight and bias as the ``(w, b)`` a :class:`_Recorder` stores."""
    return w.asnumpy().reshape(-1), float(b.asscalar())


def _epoch_batches(n, batch_size, epochs, seed):
    order = batch_order(n, batch_size, epochs, seed=seed)
    per_epoch = math.ceil(n / batch_size)
    return [order[e * per_epoch:(e + 1) * per_epoch] for e in range(epochs)]


def apply_update(opt: Optimizer, params: Sequence, states: list, batch_size: int) -> None:
    """One update of NDArray ``params`` in place from their ``.grad`` (the gradient
    of the loss *summed* over the batch), divided by ``batch_size`` first."""
    for i, p in enumerate(params):
        new, states[i] = opt.step(p, p.grad / batch_size, states[i])
        if new is not p:
            new.copyto(p)                  # in place, so p keeps its gradient buffer


def sgd(params: Sequence, lr: float, batch_size: int) -> None:
    """The textbook's ``sgd(params, lr, batch_size)``: ``p <- p - lr * p.grad /
    batch_size``, the grads being those of the summed batch loss. It is
    :func:`d2lhelpers.optim.sgd` applied by :func:`apply_update`."""
    apply_update(sgd_rule(lr), params, [0.0] * len(params), batch_size)


OptimizerOrSchedule = Union[Optimizer, Callable[[int], Optimizer]]


def _rule_per_epoch(opt: OptimizerOrSchedule) -> Tuple[Callable[[int], Optimizer], bool]:
    """``opt`` as a function epoch (1, 2, ...) -> Optimizer, and whether it varies."""
    if isinstance(opt, Optimizer):
        return (lambda e: opt), False
    if callable(opt):
        return opt, True
    raise TypeError(f"opt must be an Optimizer or a function epoch -> Optimizer, got {opt!r}")


def train_scratch(opt: OptimizerOrSchedule, X, y, batch_size: int, epochs: int, *,
                  seed: int = 0, w0=None, b0=None, record_every: Optional[int] = None,
                  label: str = "") -> History:
    """Mini-batch training of ``yhat = X w + b`` with MXNet ndarray and autograd.

    ``opt`` is an :class:`~d2lhelpers.optim.Optimizer`, or a function of the
    epoch (1, 2, ...) returning one, for a learning rate that changes between
    epochs (the optimizer state carries over). Batches come from
    ``batch_order(n, batch_size, epochs, seed=seed)``.
    """
    quiet_import_mxnet()
    from mxnet import autograd, nd

    X, y = check_regression_data(X, y)
    n, d = X.shape
    batch_size = check_count("batch_size", batch_size)
    epochs = check_count("epochs", epochs)
    rule_for, _ = _rule_per_epoch(opt)
    w_np, b_np = init_params(d, seed=seed, w0=w0, b0=b0)
    rec = _Recorder(X, y, batch_size, record_every, label or "train_scratch")
    batches = _epoch_batches(n, batch_size, epochs, seed)

    w, b = nd.array(w_np).reshape((d, 1)), nd.array([b_np])
    params = [w, b]
    for p in params:
        p.attach_grad()
    first = rule_for(1)
    states = [first.init(p) for p in params]
    seen = 0
    rec.record(0, w_np, b_np)

    def read_params():
        return _as_numpy(w, b)

    for e in range(1, epochs + 1):
        if rec.stopped:
            break
        rule = rule_for(e)
        perm = np.concatenate(batches[e - 1])
        Xe, ye = nd.array(X[perm]), nd.array(y[perm]).reshape((-1, 1))
        in_epoch = 0
        for idx in batches[e - 1]:
            xb, yb = Xe[in_epoch:in_epoch + len(idx)], ye[in_epoch:in_epoch + len(idx)]
            with autograd.record():
                loss = ((nd.dot(xb, w) + b - yb) ** 2 / 2).sum()
            loss.backward()
            apply_update(rule, params, states, len(idx))
            in_epoch += len(idx)
            seen += len(idx)
            if not rec.after_batch(in_epoch, seen, read_params):
                break
    return rec.history


def _objective_block(d: int):
    """A HybridBlock returning the per-sample L2 loss of a Dense(1) layer; the
    Dense layer is its attribute ``net``."""
    quiet_import_mxnet()
    from mxnet import gluon
    from mxnet.gluon import nn

    class Objective(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.net = nn.Dense(1, in_units=d)
            self.loss = gluon.loss.L2Loss()

        def hybrid_forward(self, F, x, y):
            return self.loss(self.net(x), y)

    return Objective()


def gluon_step(objective, trainer, xb, yb) -> None:
    """One Gluon step: record the per-sample losses, backpropagate their sum, and
    let the Trainer divide by the batch size and update."""
    from mxnet import autograd

    with autograd.record():
        loss = objective(xb, yb)
    loss.backward()
    trainer.step(xb.shape[0])


def train_gluon(optimizer: str, hyper: dict, X, y, batch_size: int, epochs: int, *,
                seed: int = 0, w0=None, b0=None, record_every: Optional[int] = None,
                lr_schedule: Optional[Callable[[int], float]] = None,
                hybridize: bool = True, label: str = "") -> History:
    """Mini-batch training with ``gluon.nn.Dense(1)``, ``gluon.loss.L2Loss`` and
    ``gluon.Trainer(net.collect_params(), optimizer, hyper)``.

    ``trainer.step(batch_size)`` rescales the summed gradient by 1/batch_size
    (see the module docstring). ``lr_schedule(epoch)``, if given, sets the
    learning rate at the start of each epoch (1, 2, ...). The per-step work is
    kept on MXNet's side: each epoch's shuffled data are copied to the device
    once and sliced into batches, the network and loss run as one hybridized
    graph (``static_alloc``), and parameters are read back only when a loss is
    recorded, never per step.
    """
    quiet_import_mxnet()
    import mxnet as mx
    from mxnet import gluon, nd

    X, y = check_regression_data(X, y)
    n, d = X.shape
    batch_size = check_count("batch_size", batch_size)
    epochs = check_count("epochs", epochs)
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be a Gluon optimizer name such as 'sgd', got {optimizer!r}")
    if not isinstance(hyper, dict):
        raise TypeError(f"hyper must be a dict of optimizer settings, got {hyper!r}")
    if "learning_rate" in hyper:
        check_lr(hyper["learning_rate"])
    w_np, b_np = init_params(d, seed=seed, w0=w0, b0=b0)
    rec = _Recorder(X, y, batch_size, record_every, label or f"train_gluon({optimizer})")
    batches = _epoch_batches(n, batch_size, epochs, seed)

    obj = _objective_block(d)
    obj.initialize(ctx=mx.cpu())
    obj.net.weight.set_data(nd.array(w_np).reshape((1, d)))
    obj.net.bias.set_data(nd.array([b_np]))
    if hybridize:
        obj.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(obj.net.collect_params(), optimizer, dict(hyper))

    def params_now():
        return _as_numpy(obj.net.weight.data(), obj.net.bias.data())

    seen = 0
    rec.record(0, w_np, b_np)
    for e in range(1, epochs + 1):
        if rec.stopped:
            break
        if lr_schedule is not None:
            trainer.set_learning_rate(check_lr(lr_schedule(e)))
        perm = np.concatenate(batches[e - 1])
        Xe, ye = nd.array(X[perm]), nd.array(y[perm]).reshape((-1, 1))
        in_epoch = 0
        for idx in batches[e - 1]:
            m = len(idx)
            gluon_step(obj, trainer, Xe[in_epoch:in_epoch + m], ye[in_epoch:in_epoch + m])
            in_epoch += m
            seen += m
            if not rec.after_batch(in_epoch, seen, params_now):
                break
    return rec.history


def _leaves(state):
    """Split an optimizer state into its arrays (a number is a constant)."""
    if isinstance(state, (tuple, list)):
        return [leaf for part in state for leaf in _leaves(part)]
    return [] if isinstance(state, numbers.Real) else [state]


def _rebuild(template, leaves):
    """Inverse of :func:`_leaves`: put ``leaves`` (consumed in order) back in shape."""
    if isinstance(template, (tuple, list)):
        return type(template)(_rebuild(part, leaves) for part in template)
    return template if isinstance(template, numbers.Real) else leaves.pop(0)


def _fused_block(opt: Optimizer, state_w, state_b):
    """A HybridBlock that runs consecutive mini-batch steps of ``opt`` in ONE graph.

    Its inputs are the batches stacked as ``(steps, m, d)`` and ``(steps, m, 1)``,
    the Dense layer's weight (1, d) and bias (1,), and the optimizer state's
    arrays; ``contrib.foreach`` carries them from step to step. The gradient of
    the batch mean of ``(x.w + b - y)^2 / 2`` is written in closed form,
    ``mean(r x)`` and ``mean(r)`` with ``r = x.w + b - y`` (a test checks it
    against autograd), and the update is ``opt.step`` itself, the same rule
    :func:`train_scratch` applies.
    """
    quiet_import_mxnet()
    from mxnet import gluon

    nw = len(_leaves(state_w))

    class FusedSteps(gluon.HybridBlock):
        def hybrid_forward(self, F, xs, ys, weight, bias, *state):
            def body(data, loop):
                x, t = data
                w, b, *s = loop
                r = F.FullyConnected(x, w, b, num_hidden=1) - t
                gw = F.mean(F.broadcast_mul(r, x), axis=0, keepdims=True)
                gb = F.mean(r, axis=0)
                sw, sb = _rebuild(state_w, list(s[:nw])), _rebuild(state_b, list(s[nw:]))
                w, sw = opt.step(w, gw, sw)
                b, sb = opt.step(b, gb, sb)
                return [], [w, b] + _leaves(sw) + _leaves(sb)
            _, out = F.contrib.foreach(body, [xs, ys], [weight, bias] + list(state))
            return tuple(out)

    return FusedSteps()


def train_fused(opt: OptimizerOrSchedule, X, y, batch_size: int, epochs: int, *, seed: int = 0,
                w0=None, b0=None, record_every: Optional[int] = None,
                label: str = "") -> History:
    """Mini-batch training whose inner loop runs inside MXNet, not Python.

    Same objective, batch order, initialization, update rule and records as
    :func:`train_scratch` and :func:`train_gluon` (so the same trajectory), but
    all the steps between two records are one call of a hybridized Gluon block
    (:func:`_fused_block`). With batch size 1, per-step Python and engine
    overhead is what costs time, and this removes it (see bench/bench_sgd.py).
    ``opt`` is an Optimizer or a function epoch -> Optimizer, as in
    :func:`train_scratch`; its state may be a number (a stateless rule) or
    arrays shaped like the parameter.
    """
    quiet_import_mxnet()
    from mxnet import nd

    rule_for, varies = _rule_per_epoch(opt)
    first = rule_for(1)
    X, y = check_regression_data(X, y)
    n, d = X.shape
    batch_size = check_count("batch_size", batch_size)
    epochs = check_count("epochs", epochs)
    w_np, b_np = init_params(d, seed=seed, w0=w0, b0=b0)
    rec = _Recorder(X, y, batch_size, record_every, label or f"train_fused({first!r})")
    batches = _epoch_batches(n, batch_size, epochs, seed)

    w, b = nd.array(w_np).reshape((1, d)), nd.array([b_np])
    state_w, state_b = first.init(w_np.reshape(1, d)), first.init(np.array([b_np], np.float32))
    state = [nd.array(np.broadcast_to(a, shape), dtype="float32") for a, shape in
             [(a, (1, d)) for a in _leaves(state_w)] + [(a, (1,)) for a in _leaves(state_b)]]
    per_chunk = (record_every or n) // batch_size
    seen = 0
    rec.record(0, w_np, b_np)

    def read_params():  # w and b are rebound by every chunk: read the current ones
        return _as_numpy(w, b)

    block = None
    for e in range(epochs):
        if rec.stopped:
            break
        if block is None or varies:
            block = _fused_block(rule_for(e + 1), state_w, state_b)
            block.hybridize(static_alloc=True)
        perm = np.concatenate(batches[e])
        Xe, ye = X[perm], y[perm]
        full, rest = divmod(n, batch_size)
        # chunks of whole batches, one record after each; then the short last batch
        bounds = [(j, min(j + per_chunk, full)) for j in range(0, full, per_chunk)]
        chunks = [(j * batch_size, k * batch_size, k - j, batch_size) for j, k in bounds]
        if rest:
            chunks.append((full * batch_size, n, 1, rest))
        for lo, hi, steps, m in chunks:
            xs = nd.array(Xe[lo:hi].reshape(steps, m, d))
            ys = nd.array(ye[lo:hi].reshape(steps, m, 1))
            w, b, *state = block(xs, ys, w, b, *state)
            seen += hi - lo
            if not rec.after_batch(hi, seen, read_params):
                break
    return rec.history


# --- the textbook's interface -----------------------------------------------------

def decayed(lr: float, epoch: int, after: int = 2, factor: float = 0.1) -> float:
    """The learning rate of the textbook's ``train``: ``lr`` for the first
    ``after`` epochs, then ``factor`` times smaller at each further epoch."""
    return lr * factor ** max(0, epoch - after)


def train(batch_size: int, lr: float, epochs: int = 3, period: int = 10, *, data=None,
          seed: int = 0, ax=None, verbose: bool = True, label: Optional[str] = None,
          fused: bool = False, color: Optional[str] = None,
          title: Optional[str] = None) -> History:
    """The textbook's ``train(batch_size, lr, epochs, period)`` on top of
    :func:`train_scratch`: plain SGD whose learning rate drops 10x after epoch 2,
    the full-data loss recorded every ``period`` samples and plotted on a log
    scale (on ``ax``), the learned w and b printed. ``data`` defaults to 1,000
    samples of :func:`~d2lhelpers.data.synthetic_regression` with ``seed``.
    ``fused=True`` runs the same steps with :func:`train_fused` (same trajectory,
    faster; for precomputed sliders).
    """
    lr = check_lr(lr)
    X, y = data if data is not None else synthetic_regression(1000, seed=seed)
    label = label or f"batch {batch_size}, lr {lr:g}"
    trainer = train_fused if fused else train_scratch
    history = trainer(lambda e: sgd_rule(decayed(lr, e)), X, y, batch_size, epochs,
                      seed=seed, record_every=period, label=label)
    if verbose:
        report(history)
    plot_history(history, ax=ax, title=title or f"Mini-batch SGD: {label}", color=color)
    return history


def report(history: History) -> None:
    """Print the end of a run: the final loss and parameters, or where it diverged."""
    if history.diverged_at is not None:
        k = history.diverged_at
        print(f"{history.label}: DIVERGED - the loss is {history.loss[k]} after "
              f"{history.samples[k]} samples (epoch {history.epoch[k]:.2f}); the last finite "
              f"loss was {history.loss[k - 1]:.4e}")
        return
    w = ", ".join(f"{v:.4f}" for v in history.w)
    print(f"{history.label}: loss {history.loss[-1]:.4e}, w = [{w}], b = {history.b:.4f}")


def plot_history(history: History, ax=None, x: str = "epoch", title: Optional[str] = None,
                 color: Optional[str] = None, label: Optional[str] = None):
    """Plot the recorded loss on a log scale against ``x`` ('epoch' or 'time').

    A diverged run is drawn up to its last finite loss, with a cross and a note
    where it blew up.
    """
    if x not in ("epoch", "time"):
        raise ValueError(f"x must be 'epoch' or 'time', got {x!r}")
    ax = new_axes(ax)
    xs = np.asarray(history.epoch if x == "epoch" else history.time, dtype=float)
    loss = np.asarray(history.loss, dtype=float)
    stop = history.diverged_at if history.diverged_at is not None else len(loss)
    color = color or style.BLUE
    ax.semilogy(xs[:stop], loss[:stop], color=color, lw=1.4, label=label or history.label)
    if history.diverged_at is not None and stop > 0:
        # the cross marks the last finite loss; the dashed line and its note stay
        # visible even when the axes' limits cut the blown-up curve off
        ax.plot(xs[stop - 1], loss[stop - 1], "x", color=color, ms=10, mew=2)
        ax.axvline(xs[stop], color=color, ls="--", lw=1)
        lo, hi = ax.get_xlim()
        right = xs[stop] > lo + 0.6 * (hi - lo)
        ax.text(xs[stop], 0.5, f" diverged: loss {loss[stop]} \n at {x} {xs[stop]:.2f} ",
                transform=ax.get_xaxis_transform(), fontsize=8, color=color, va="center",
                ha="right" if right else "left")
    ax.set(xlabel="epoch" if x == "epoch" else "wall-clock time (s)",
           ylabel="full-data loss (log scale)",
           title=title or "Training loss")
    return ax


def sweep(batch_sizes: Sequence[int], lrs: Sequence[float], X, y, epochs: int = 3, *,
          seed: int = 0, records_per_epoch: int = 10, progress: bool = True) -> List[History]:
    """Plain SGD for each (batch size, learning rate) pair with :func:`train_fused`,
    from the same initialization and seed; the loss is recorded about
    ``records_per_epoch`` times per epoch (at least once per batch)."""
    from d2lhelpers.progress import Progress

    if len(batch_sizes) != len(lrs) or not batch_sizes:
        raise ValueError("batch_sizes and lrs must be non-empty and of the same length, got "
                         f"{len(batch_sizes)} and {len(lrs)}")
    n = np.asarray(X).shape[0]
    reporter = Progress(len(batch_sizes), "batch sizes") if progress else None
    runs = []
    for bs, lr in zip(batch_sizes, lrs):
        bs = check_count("batch_size", bs)
        every = max(bs, (n // records_per_epoch) // bs * bs)
        runs.append(train_fused(sgd_rule(lr), X, y, bs, epochs, seed=seed, record_every=every,
                                label=f"batch {bs}, lr {lr:g}"))
        if reporter:
            reporter.done(f"batch size {bs} done")
    return runs
