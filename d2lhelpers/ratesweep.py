"""Train one optimizer at a grid of learning rates and several seeds at once.

Every (rate, seed) pair is one network of an :class:`d2lhelpers.mlp.MLPBank`
(rates are the bank's groups, given through ``lr_mult``; seeds its rows), and
the bank goes through the course's one training loop, :func:`loop.fit`. The
result keeps each network's loss and accuracy on the three splits after every
epoch, so one sweep serves the tuning table, the learning curves and the
sliders alike.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from d2lhelpers import loop, mlp
from d2lhelpers.checks import check_count, check_lr, check_nonnegative, check_sequence, check_text

METRICS = ("loss", "acc")
SPLITS = ("train", "valid", "test")


def _check_optimizer_args(name, schedule, hyper) -> None:
    from d2lhelpers.checks import check_mxnet_optimizer
    from d2lhelpers.schedules import Schedule
    if schedule is not None and not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a d2lhelpers.schedules.Schedule or None, "
                        f"got {schedule!r}")
    for key in ("learning_rate", "lr_scheduler"):
        if key in hyper:
            raise TypeError(f"{key} is set by the sweep (each group's rate and the "
                            "schedule): do not pass it")
    check_mxnet_optimizer(name, hyper, extra=("adamw",))


def make_optimizer(name: str, schedule=None, **hyper):
    """An MXNet optimizer at base rate 1 (each group's ``lr_mult`` is its rate),
    or with ``schedule`` (a :class:`d2lhelpers.schedules.Schedule` of peak 1)
    setting the rate's shape over the updates. ``"adamw"`` is the scratch
    :func:`d2lhelpers.decoupled.mxnet_adamw`; other names are MXNet's."""
    import mxnet as mx
    _check_optimizer_args(name, schedule, hyper)

    from d2lhelpers.decoupled import mxnet_adamw
    sched = schedule.to_mxnet() if schedule is not None else None
    lr = sched.base_lr if sched is not None else 1.0
    if name == "adamw":
        return mxnet_adamw(learning_rate=lr, lr_scheduler=sched, **hyper)
    return mx.optimizer.create(name, learning_rate=lr, lr_scheduler=sched, **hyper)


@dataclass
class Sweep:
    """``curves[split, metric]``: an array (epochs + 1, groups, seeds), e.g.
    ``curves["valid", "acc"][e, i, j]`` is the validation accuracy of group i
    (rate ``rates[i]``, weight decay ``decays[i]`` if swept), seed j after e
    epochs (nan after a network's loss stopped being finite);
    ``curves["weights", "norm"]`` is each network's Euclidean parameter norm."""
    label: str
    rates: tuple[float, ...]
    seeds: tuple[int, ...]
    decays: tuple[float, ...] | None = None
    curves: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    updates_per_epoch: int = 0

    def final(self, split: str, metric: str) -> np.ndarray:
        """After the last epoch: (rates, seeds)."""
        if (split, metric) not in self.curves:
            raise ValueError(f"split and metric must name a recorded curve, one of "
                             f"{sorted(self.curves)}, got {(split, metric)!r}")
        return self.curves[split, metric][-1]

    def diverged(self) -> np.ndarray:
        """(rates, seeds): True where the training loss (or, if the training
        split was not recorded, the first recorded split's loss) ever stopped
        being finite: non-finite weights make every split's loss so."""
        split = "train" if ("train", "loss") in self.curves else next(
            k[0] for k in self.curves if k[1] == "loss")
        return ~np.all(np.isfinite(self.curves[split, "loss"]), axis=0)

    def best(self, by: str = "valid") -> int:
        """The index of the rate with the best mean final accuracy on split
        ``by`` over the seeds (ties: the lower mean loss); a rate with a
        diverged seed never wins."""
        if by not in SPLITS:
            raise ValueError(f"by must be one of {SPLITS}, got {by!r}")
        acc = self.final(by, "acc").mean(axis=1)
        loss = self.final(by, "loss").mean(axis=1)
        ok = ~self.diverged().any(axis=1)
        if not ok.any():
            raise ValueError(f"{self.label}: every rate of the grid diverged")
        keys = [(-a, v) if good else (np.inf, np.inf) for a, v, good in zip(acc, loss, ok)]
        return min(range(len(keys)), key=lambda i: keys[i])

    def updates_to(self, target: float, split: str = "valid",
                   metric: str = "acc") -> np.ndarray:
        """(rates, seeds): the number of updates after which ``metric`` on
        ``split`` (one that rises, such as accuracy) first reaches ``target``,
        interpolated linearly between the records at the ends of epochs; nan
        where it never does. Records are per epoch, so the answer is exact
        only to within an epoch's shape."""
        target = float(target)
        curves = self.curves[split, metric]             # (epochs + 1, G, S)
        per = self.updates_per_epoch
        if per < 1:
            raise ValueError("this sweep does not know its updates per epoch")
        out = np.full(curves.shape[1:], np.nan)
        for idx in np.ndindex(*curves.shape[1:]):
            c = curves[(slice(None),) + idx]
            hit = np.flatnonzero(np.nan_to_num(c, nan=-np.inf) >= target)
            if hit.size == 0:
                continue
            e = hit[0]
            if e == 0:
                out[idx] = 0.0
                continue
            frac = (target - c[e - 1]) / (c[e] - c[e - 1])
            out[idx] = (e - 1 + frac) * per
        return out

    def best_is_interior(self, by: str = "valid") -> bool:
        """True when the best rate (:meth:`best`) has a neighbour on both sides."""
        return 0 < self.best(by) < len(self.rates) - 1


def _recorder(splits, names=SPLITS, keep_weights=False):
    """A ``record(net)`` computing every network's loss and accuracy on the
    ``splits`` (called ``names``) in one forward pass (and keeping every
    network's weights if ``keep_weights``)."""
    from mxnet import nd
    X = nd.array(np.concatenate([s[0] for s in splits]))
    y = np.concatenate([s[1] for s in splits])
    y_nd = nd.array(y)
    cuts = np.cumsum([len(s[0]) for s in splits])[:-1]

    def record(net):
        out = net(X)
        with np.errstate(invalid="ignore"):
            loss = mlp.cross_entropy(out, y_nd).asnumpy().astype(float)
            hit = (out.argmax(axis=-1).asnumpy() == y).astype(float)
        result = {}
        for name, l_part, h_part in zip(names, np.split(loss, cuts, axis=-1),
                                        np.split(hit, cuts, axis=-1)):
            l_mean = l_part.mean(axis=-1)
            a_mean = h_part.mean(axis=-1)
            a_mean[~np.isfinite(l_mean)] = np.nan
            result[name, "loss"], result[name, "acc"] = l_mean, a_mean
        theta = np.stack([net.group_param(g).data().asnumpy()
                          for g in range(net.groups)])       # (G, S, P)
        result["weights", "norm"] = np.linalg.norm(theta.astype(float), axis=-1)
        if keep_weights:
            result["weights", "theta"] = theta
        return result

    return record


def _check_sweep_args(data, optimizer, schedule, hyper, label, train, sizes,
                      batch_size, epochs, seeds) -> None:
    from d2lhelpers.checks import MAX_STEPS, check_limit
    if not all(hasattr(data, split) for split in SPLITS):
        raise TypeError(f"data must be a d2lhelpers.digits.Digits, got {data!r}")
    _check_optimizer_args(optimizer, schedule, hyper)
    if label is not None:
        check_text("label", label)
    sizes = mlp.check_sizes(sizes)
    for s in check_sequence("seeds", seeds):
        check_count("each seed", s, 0)
    for name, split in (("train", data.train if train is None else train),
                        ("data.valid", data.valid), ("data.test", data.test)):
        if not isinstance(split, (tuple, list)) or len(split) != 2:
            raise TypeError(f"{name} must be a pair (X, y), got {split!r}")
        mlp._check_data(sizes, *split, where=f"{name} ")
    n = len((data.train if train is None else train)[0])
    batch_size, epochs = check_count("batch_size", batch_size), check_count("epochs", epochs)
    check_limit("epochs x updates per epoch", epochs * -(-n // batch_size), MAX_STEPS,
                "updates")


def sweep(data, optimizer: str, rates: Sequence[float], seeds: Sequence[int], *,
          sizes: Sequence[int], batch_size: int, epochs: int, schedule=None,
          train: tuple | None = None, label: str | None = None,
          decays: Sequence[float] | None = None,
          splits: Sequence[str] = SPLITS, keep_weights: bool = False,
          **hyper) -> Sweep:
    """Train ``len(rates) x len(seeds)`` networks with ``optimizer`` on
    ``data`` (a :class:`d2lhelpers.digits.Digits`; ``train`` overrides its
    training split). Network (i, j) has rate ``rates[i]`` (times ``schedule``
    when given), starts from seed ``seeds[j]``'s weights and sees seed
    ``seeds[j]``'s batch order, so two sweeps with the same seeds share both.

    With ``decays`` the groups are weight decays instead: group i has decay
    ``decays[i]`` (the optimizer's ``wd`` is 1, each group's ``wd_mult`` its
    decay) and rate ``rates[i]``, or ``rates[0]`` for all if one rate is given.

    ``splits`` names the splits recorded after every epoch (by default all
    three; recording fewer saves a forward pass over the others, which at
    8 epochs costs about a third of the training's arithmetic). With
    ``keep_weights`` the record also keeps every network's weights after
    every epoch, ``curves["weights", "theta"]`` of shape (epochs + 1, groups,
    seeds, P), float32.
    """
    from mxnet import gluon
    _check_sweep_args(data, optimizer, schedule, hyper, label, train, sizes,
                      batch_size, epochs, seeds)
    rates = tuple(check_lr(r) for r in check_sequence("rates", rates))
    seeds = tuple(seeds)
    if decays is not None:
        decays = tuple(check_nonnegative("each decay", d)
                       for d in check_sequence("decays", decays))
        if "wd" in hyper:
            raise ValueError("give the weight decays as decays, not also as wd")
        if len(rates) == 1:
            rates = rates * len(decays)
        if len(rates) != len(decays):
            raise ValueError(f"rates must hold one rate or one per decay, got {len(rates)} "
                             f"rates for {len(decays)} decays")
        hyper["wd"] = 1.0
    train = data.train if train is None else train
    if isinstance(splits, str) or not splits or any(
            name not in SPLITS for name in splits) or len(set(splits)) < len(splits):
        raise ValueError(f"splits must name distinct splits among {SPLITS}, got {splits!r}")
    parts = {"train": train, "valid": data.valid, "test": data.test}
    net = mlp.bank(sizes, seeds, groups=len(rates))
    net.set_rates(rates)
    if decays is not None:
        for g, d in enumerate(decays):
            net.group_param(g).wd_mult = d
    trainer = gluon.Trainer(net.collect_params(), make_optimizer(optimizer, schedule, **hyper))
    log = loop.fit(net, mlp.cross_entropy, trainer, train, data.valid,
                   batch_size=batch_size, epochs=epochs, seed=list(seeds),
                   record=_recorder([parts[k] for k in splits], tuple(splits),
                                    bool(keep_weights)),
                   stop_on_divergence=False, track_loss=False)
    result = Sweep(label or optimizer, rates, seeds, decays,
                   updates_per_epoch=log.updates_per_epoch)
    for key in log.records[0]:
        result.curves[key] = np.stack([r[key] for r in log.records])
    return result
