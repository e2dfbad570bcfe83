"""Benchmark of the Gluon batch-size sweep of the SGD chapter.

Runs, side by side in one process, the sweep (batch sizes 1, 10, 100, 1000,
10000 with learning rates 0.1, 0.1, 0.5, 0.5, 1.0, 3 epochs on 10,000 samples)
three ways:

* straightforward: an ``NDArrayIter`` loop with imperative Gluon, as the
  sources write it (with the Dense layer and the ``autograd.record`` they lack);
* per-step Trainer: :func:`d2lhelpers.linreg.train_gluon` (data copied once per
  epoch, net and loss hybridized with ``static_alloc``, no per-step sync);
* fused: :func:`d2lhelpers.linreg.sweep`, i.e. :func:`train_fused`, whose
  steps between two loss records run inside one hybridized graph;

and first profiles where the straightforward batch-size-1 loop spends its time.

All three run the *same* run: the same initial parameters
(:func:`d2lhelpers.linreg.init_params`) and the same batch order
(:func:`d2lhelpers.data.batch_order`; the straightforward loop's
``NDArrayIter`` reads the data in that order instead of shuffling it itself),
so "max diff" measures only float32 rounding, not two different runs.
``run()`` returns a Markdown section; ``python bench/bench_sgd.py`` prints it.
"""
from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH_SIZES = (1, 10, 100, 1000, 10000)
LRS = (0.1, 0.1, 0.5, 0.5, 1.0)
EPOCHS = 3
N = 10_000


def _mx():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import mxnet
    return mxnet


def straightforward(X, y, batch_size, lr, epochs=EPOCHS, seed=0, timers=None):
    """The sources' loop, corrected. ``timers``, if a dict, accumulates the
    seconds spent in each part of a step (this synchronizes every step).
    Starts from ``init_params(seed)`` and visits ``batch_order(seed)``, as
    the course's trainers do."""
    mx = _mx()
    from mxnet import autograd, gluon

    from d2lhelpers.data import batch_order
    from d2lhelpers.linreg import init_params
    n, d = X.shape
    if n % batch_size:
        raise ValueError(f"batch_size must divide the n={n} samples, got {batch_size}")
    w0, b0 = init_params(d, seed=seed)
    order = batch_order(n, batch_size, epochs, seed=seed)
    per_epoch = -(-n // batch_size)
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(1))
    net.initialize()
    net(mx.nd.zeros((1, d)))                  # create the parameters, then set them
    net[0].weight.set_data(mx.nd.array(w0.reshape(1, d)))
    net[0].bias.set_data(mx.nd.array([b0]))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    clock = time.perf_counter
    for e in range(epochs):
        perm = np.concatenate(order[e * per_epoch:(e + 1) * per_epoch])
        data_iter = mx.io.NDArrayIter(X[perm], y[perm], batch_size=batch_size,
                                      shuffle=False)
        while True:
            t0 = clock()
            try:
                batch = next(data_iter)
            except StopIteration:
                break
            data = batch.data[0]
            label = batch.label[0].reshape((-1, 1))
            t1 = clock()
            with autograd.record():
                out = loss(net(data), label)
            if timers is not None:
                out.wait_to_read()
            t2 = clock()
            out.backward()
            if timers is not None:
                mx.nd.waitall()
            t3 = clock()
            trainer.step(data.shape[0])
            if timers is not None:
                mx.nd.waitall()
                t4 = clock()
                for key, dt in (("NDArrayIter + reshape", t1 - t0), ("forward", t2 - t1),
                                ("backward", t3 - t2), ("trainer.step", t4 - t3)):
                    timers[key] = timers.get(key, 0.0) + dt
    dense = net[0]
    return dense.weight.data().asnumpy().reshape(-1), float(dense.bias.data().asscalar())


def profile_batch_size_1(X, y, steps=3000):
    """Seconds per step in each part of the straightforward batch-size-1 loop."""
    timers = {}
    straightforward(X[:steps], y[:steps], 1, 0.1, epochs=1, timers=timers)
    return {k: v / steps for k, v in timers.items()}


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run() -> str:
    _mx()
    from d2lhelpers.data import synthetic_regression
    from d2lhelpers.linreg import sweep, train_gluon

    X, y = synthetic_regression(N, seed=0)
    prof = profile_batch_size_1(X, y)
    rows, tot = [], {"straight": 0.0, "trainer": 0.0, "fused": 0.0}
    max_diff = 0.0
    for bs, lr in zip(BATCH_SIZES, LRS):
        t_s, (w_s, b_s) = _timed(lambda: straightforward(X, y, bs, lr))
        t_t, h_t = _timed(lambda: train_gluon("sgd", {"learning_rate": lr}, X, y, bs, EPOCHS))
        t_f, (h_f,) = _timed(lambda: sweep([bs], [lr], X, y, EPOCHS, progress=False))
        est_s, est_f = np.append(w_s, b_s), np.append(h_f.w, h_f.b)
        est_t = np.append(h_t.w, h_t.b)
        # the same run three ways: any difference is float32 rounding
        diff = float(max(np.max(np.abs(est_s - est_f)), np.max(np.abs(est_s - est_t))))
        max_diff = max(max_diff, diff)
        tot["straight"] += t_s
        tot["trainer"] += t_t
        tot["fused"] += t_f
        rows.append(f"| {bs} | {lr} | {t_s:.2f} | {t_t:.2f} | {t_f:.2f} | {t_s / t_f:.1f}x | "
                    f"{', '.join(f'{v:.4f}' for v in est_f)} | {diff:.1e} |")
    speedup = tot["straight"] / tot["fused"]
    ok = speedup >= 5 and max_diff <= 1e-4
    per_step = sum(prof.values())
    lines = [
        "## SGD chapter: the Gluon batch-size sweep",
        "",
        f"10,000 samples, {EPOCHS} epochs, batch sizes {', '.join(map(str, BATCH_SIZES))}.",
        "",
        "Where the straightforward batch-size-1 loop spends its time (3,000 steps, "
        "synchronized after each part, so the total is a little above the free-running one):",
        "",
        "| part of a step | µs per step | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {k} | {v * 1e6:.0f} | {v / per_step:.0%} |" for k, v in prof.items()]
    lines += [
        f"| total | {per_step * 1e6:.0f} | 100% |",
        "",
        "| batch size | lr | straightforward (s) | Trainer per step (s) | fused (s) | "
        "speed-up | fused estimate w1, w2, b | max diff, same run |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
        *rows,
        f"| **all** | | **{tot['straight']:.2f}** | **{tot['trainer']:.2f}** | "
        f"**{tot['fused']:.2f}** | **{speedup:.1f}x** | | **{max_diff:.1e}** |",
        "",
        "The three loops run the same run (same start, same batch order), so the "
        "differences are float32 rounding.",
        "",
        f"Requirement (fused sweep >= 5x faster, estimates within 1e-4): "
        f"{'met' if ok else 'NOT MET'} (speed-up {speedup:.1f}x, the per-step Trainer "
        f"version {tot['straight'] / tot['trainer']:.1f}x; largest estimate difference "
        f"{max_diff:.1e}).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
