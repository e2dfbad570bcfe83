"""Fair comparisons: grids whose best value is interior, and fast batched runs.

A comparison of tuned methods is only as fair as its tuning. :func:`search`
evaluates a score on a geometric grid and extends the grid past whichever end
holds the best value until the best is an interior point, so no method is
judged at the edge of what it was allowed to try. :func:`regression_runs`
trains linear regression for many seeds at once in plain float64 numpy (the
same objective, batches and start as :func:`d2lhelpers.linreg.train_scratch`),
fast enough to tune on some seeds and score on held-out ones.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, List, Sequence, Union

import numpy as np

from d2lhelpers.checks import (MAX_STEPS, check_callable, check_count, check_limit,
                               check_nonnegative, check_positive, check_real, check_sequence)
from d2lhelpers.data import batch_order, check_regression_data
from d2lhelpers.optim import Optimizer


@dataclass(frozen=True)
class Search:
    """The result of :func:`search`: the grid actually tried (ascending), the
    score of each value (lower is better) and the best value."""
    values: tuple
    scores: tuple
    best: float

    @property
    def best_index(self) -> int:
        return self.values.index(self.best)

    @property
    def interior(self) -> bool:
        """True when the best value has a tried neighbour on both sides."""
        return 0 < self.best_index < len(self.values) - 1

    def grid_text(self, fmt: str = "{:g}") -> str:
        """The tried values, the best one in brackets."""
        return " ".join(f"[{fmt.format(v)}]" if v == self.best else fmt.format(v)
                        for v in self.values)


#: The most values one search scores, and the longest grid geometric_grid makes.
MAX_VALUES = 1000
MAX_GRID = 100_000


def search(score: Callable[[float], object], grid: Sequence[float], *,
           factor: float = 2.0, max_values: int = 40) -> Search:
    """Score every value of ``grid``; extend it until the best is interior.

    While the best value is the smallest (largest) one tried, the value
    ``factor`` times smaller (larger) is added. Scores may be numbers or tuples
    (compared in order); ties go to the smaller value. Stops with a
    RuntimeError after ``max_values`` values rather than search for ever.
    """
    check_callable("score", score)
    values = sorted(check_positive("grid value", v) for v in check_sequence("grid", grid))
    if len(set(values)) != len(values):
        raise ValueError(f"grid must not repeat a value, got {grid!r}")
    factor = check_real("factor", factor)
    if not factor > 1:
        raise ValueError(f"factor must be > 1, got {factor!r}")
    max_values = check_count("max_values", max_values)
    check_limit("max_values", max_values, MAX_VALUES, "scored values")
    if max_values < len(values):
        raise ValueError(f"max_values must be at least the grid's {len(values)} values, "
                         f"got {max_values}")

    def scored(v):
        out = score(v)
        parts = out if isinstance(out, tuple) else (out,)
        if not parts or not all(isinstance(p, numbers.Real) and not isinstance(p, bool)
                                for p in parts):
            raise TypeError(f"score must return a number or a tuple of numbers, "
                            f"got {out!r} at grid value {v:g}")
        if any(math.isnan(p) for p in parts):
            raise ValueError(f"score returned nan at grid value {v:g}; return "
                             "inf for a run that failed, so it cannot win")
        return out

    scores = {v: scored(v) for v in values}
    while True:
        tried = sorted(scores)
        best = min(tried, key=lambda v: (scores[v], v))
        if best == tried[0]:
            new = tried[0] / factor
        elif best == tried[-1]:
            new = tried[-1] * factor
        else:
            return Search(tuple(tried), tuple(scores[v] for v in tried), best)
        if len(scores) >= max_values:
            raise RuntimeError(f"no interior best within {max_values} values "
                               f"(best so far {best:g})")
        scores[new] = scored(new)


def geometric_grid(low: float, high: float, factor: float = 2.0) -> List[float]:
    """``low, low*factor, ...`` up to ``high`` (inclusive, within rounding)."""
    low, high = check_positive("low", low), check_positive("high", high)
    if high < low:
        raise ValueError(f"high must be >= low, got low={low!r}, high={high!r}")
    factor = check_real("factor", factor)
    if not factor > 1:
        raise ValueError(f"factor must be > 1, got {factor!r}")
    span = (math.log(high / low) if math.isfinite(high / low)
            else math.log(high) - math.log(low))          # 1e300 / 1e-300 overflows
    n = math.floor(span / math.log(factor) + 1e-9)
    check_limit("the grid", n + 1, MAX_GRID, "values (low, high and factor)")
    return [low * factor ** k for k in range(n + 1)]


Rule = Union[Optimizer, Sequence[float]]


def regression_runs(rule: Rule, X, y, batch_size: int, epochs: int,
                    seeds: Sequence[int], *, record_every: int = 0) -> np.ndarray:
    """Mini-batch training of ``yhat = X w + b`` for every seed at once.

    ``rule`` is an :class:`~d2lhelpers.optim.Optimizer` applied to w and b
    (one state each, as in ``train_scratch``), or a sequence of learning rates,
    one per update, for plain SGD under a schedule. Seed s uses the batches of
    ``batch_order(n, batch_size, epochs, seed=s)`` and starts from
    ``init_params(d, seed=s)``. Returns the full-data loss, an array of shape
    (records, len(seeds)): after every ``record_every`` updates (0: only the
    start and the end). A diverged run records inf from then on.
    """
    from d2lhelpers.linreg import init_params

    X, y = check_regression_data(X, y)
    X, y = X.astype(np.float64), y.astype(np.float64)
    n, d = X.shape
    batch_size = check_count("batch_size", batch_size)
    epochs = check_count("epochs", epochs)
    check_limit("epochs x updates per epoch", epochs * -(-n // batch_size), MAX_STEPS,
                "updates")
    seeds = [check_count("each seed", s, 0) for s in check_sequence("seeds", seeds)]
    record_every = check_count("record_every", record_every, 0)
    orders = [batch_order(n, batch_size, epochs, seed=s) for s in seeds]
    updates = len(orders[0])
    if isinstance(rule, Optimizer):
        opt, rates = rule, None
    else:
        rates = np.array([check_nonnegative("each rate of rule", r)
                          for r in check_sequence("rule (an Optimizer or rates)", rule)])
        if rates.size != updates:
            raise ValueError(f"rule must give one rate per update ({updates}), "
                             f"got {rates.size}")
        opt = None
    starts = [init_params(d, seed=s) for s in seeds]
    w = np.array([w0 for w0, _ in starts], dtype=np.float64)      # (S, d)
    b = np.array([b0 for _, b0 in starts], dtype=np.float64)      # (S,)
    sw = sb = None
    if opt is not None:
        sw, sb = opt.init(w), opt.init(b)

    def loss():
        with np.errstate(all="ignore"):
            r = X @ w.T + b - y[:, None]
            out = np.mean(r * r, axis=0) / 2
        return np.where(np.isfinite(out), out, np.inf)

    records = [loss()]
    whole = all(len(idx) == batch_size for idx in orders[0])
    if whole:                                      # (updates, S, B, d) at once
        idx_all = np.stack([np.stack(order) for order in orders], axis=1)
        x_all, y_all = X[idx_all], y[idx_all]
    with np.errstate(all="ignore"):
        for t in range(updates):
            if whole:
                xb, yb = x_all[t], y_all[t]                         # (S, B, d)
                r = np.matmul(xb, w[:, :, None])[:, :, 0] + b[:, None] - yb
                gw = np.matmul(r[:, None, :], xb)[:, 0, :] / batch_size
                gb = r.mean(axis=1)
            else:                                  # a short last batch
                gw, gb = np.empty_like(w), np.empty_like(b)
                for k, order in enumerate(orders):
                    xb, yb = X[order[t]], y[order[t]]
                    r = xb @ w[k] + b[k] - yb
                    gw[k], gb[k] = r @ xb / len(r), r.mean()
            if opt is None:
                w, b = w - rates[t] * gw, b - rates[t] * gb
            else:
                w, sw = opt.step(w, gw, sw)
                b, sb = opt.step(b, gb, sb)
            if record_every and (t + 1) % record_every == 0 and t + 1 < updates:
                records.append(loss())
    records.append(loss())
    out = np.array(records)
    # once a seed's loss is not finite, it stays "diverged"
    return np.where(np.cumsum(~np.isfinite(out), axis=0) > 0, np.inf, out)
