"""The course's hostile-input suite: bad arguments to every public function.

Each case is one row: the call (as a learner would type it), the bad input,
and the one outcome the helpers promise (see the README, "What the helpers
promise for bad input"):

* ``Bad(ValueError | TypeError, "name")``: a ValueError or TypeError whose
  message names the argument (a regular expression), raised before any work;
* ``Theirs(ExcType)``: the user's own exception from their callable,
  propagating unchanged (the very object they raised);
* ``Diverges()``: a DivergenceWarning, and only for genuine divergence.

No case may end in a silent result, and a case expecting an error may not
warn of divergence on the way (the project's pytest settings turn a
DivergenceWarning into an error).
"""
from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

import numpy as np
import pytest

import d2lhelpers
from d2lhelpers import (accelerated, adaptive, bounds, checks, compat, counterexample, data,
                        decoupled, digits, explorer, functions, gradients, inline, linesearch,
                        linreg, lrfinder, lstsq_sgd, mlp, momentum, newton, noisescale, noisy,
                        optim, plotting, progress, quadratic, quasinewton, race, ratesweep,
                        saddles, schedules, sgd_theory, sharpness, slider, sweep, textbook,
                        training, tuning)
from d2lhelpers.checks import DivergenceWarning

pytestmark = pytest.mark.unit

nan, inf = math.nan, math.inf
ERR = (ValueError, TypeError)


class Theirs(Exception):
    """An exception only the user's code raises."""


@dataclass(frozen=True)
class Bad:
    types: Tuple[type, ...]
    names: str                      # a regex the message must match


def bad(names: str) -> Bad:
    return Bad(ERR, names)


@dataclass(frozen=True)
class Propagates:
    exc: type


@dataclass(frozen=True)
class Diverges:
    pass


@dataclass(frozen=True)
class Case:
    call: str                       # what the learner typed
    bad_input: str                  # what is wrong with it
    run: Callable[[], object]
    expect: object

    def __str__(self) -> str:
        return f"{self.call} [{self.bad_input}]"


CASES: List[Case] = []


def case(call: str, bad_input: str, expect, run: Callable[[], object]) -> None:
    CASES.append(Case(call, bad_input, run, expect))


def raise_theirs(*args, **kwargs):
    raise Theirs("the user's own bug")


def zero_division(*args, **kwargs):
    return 1 / 0


# --- bad values shared by many rows ---------------------------------------------

BAD_POSITIVE = [0, -1, -0.5, nan, inf, "0.1", None, True, [0.1]]
BAD_UNIT = [-0.1, 1.0, 1.5, nan, "0.9", None, [0.5]]
BAD_STEPS = [-1, 2.5, "10", None, True, nan]
BAD_POINT_1D = [nan, inf, -inf, "abc", None, [1.0, 2.0]]
BAD_POINT_2D = [(1, 2, 3), (1,), (nan, 1.0), (1.0, inf), ("1", "2"), "ab", None, 5.0]


def each(call: str, param: str, values, make: Callable, names: Optional[str] = None):
    for v in values:
        case(call, f"{param}={v!r}", bad(names or param), lambda v=v: make(v))


SLOW: set = set()           # calls of 0.12 s or more: run by `make test`, not `make unit`


def slow_case(call: str, bad_input: str, expect, run: Callable[[], object]) -> None:
    case(call, bad_input, expect, run)
    SLOW.add(len(CASES) - 1)


def each_slow(call: str, param: str, values, make: Callable, names: Optional[str] = None):
    for v in values:
        slow_case(call, f"{param}={v!r}", bad(names or param), lambda v=v: make(v))


def sq_grad(x):
    return 2 * x


def grad2(x1, x2):
    return 2 * x1, 4 * x2


def f2(x1, x2):
    return x1 ** 2 + 2 * x2 ** 2


# --- the 1D and 2D drivers (d2lhelpers.gd, run_1d, train_2d) ---------------------

each("gd(eta, f_grad)", "eta", BAD_POSITIVE, lambda v: d2lhelpers.gd(v, sq_grad, verbose=False))
each("gd(0.1, f_grad, x0)", "x0", BAD_POINT_1D,
     lambda v: d2lhelpers.gd(0.1, sq_grad, x0=v, verbose=False))
each("gd(0.1, f_grad, steps)", "steps", BAD_STEPS + [10 ** 9],
     lambda v: d2lhelpers.gd(0.1, sq_grad, steps=v, verbose=False))
each("gd(0.1, f_grad)", "f_grad", [None, 3.0, "x**2"],
     lambda v: d2lhelpers.gd(0.1, v, verbose=False))
for ret in ["3.0", None, [1.0], (1.0,), 1 + 2j, np.array([1.0, 2.0])]:
    case("gd(0.1, f_grad)", f"f_grad returns {ret!r}", bad("f_grad"),
         lambda r=ret: d2lhelpers.gd(0.1, lambda x: r, verbose=False))
case("gd(0.1, f_grad)", "f_grad divides by zero", Propagates(ZeroDivisionError),
     lambda: d2lhelpers.gd(0.1, zero_division, verbose=False))
case("gd(0.1, f_grad)", "f_grad raises the user's error", Propagates(Theirs),
     lambda: d2lhelpers.gd(0.1, raise_theirs, verbose=False))
case("gd(1.5, 2x, steps=2000)", "a rate beyond 2/L", Diverges(),
     lambda: d2lhelpers.gd(1.5, sq_grad, steps=2000, verbose=False))

each("run_1d(update, x0)", "x0", BAD_POINT_1D,
     lambda v: d2lhelpers.run_1d(lambda x: x / 2, x0=v, verbose=False))
each("run_1d(update, steps)", "steps", BAD_STEPS + [10 ** 9],
     lambda v: d2lhelpers.run_1d(lambda x: x / 2, steps=v, verbose=False))
each("run_1d(update)", "update", [None, 0.5, "x / 2"],
     lambda v: d2lhelpers.run_1d(v, verbose=False))
for ret in ["3.0", None, [1.0], 1j, np.ones(3), b"1"]:
    case("run_1d(update)", f"update returns {ret!r}", bad("update"),
         lambda r=ret: d2lhelpers.run_1d(lambda x: r, verbose=False))
case("run_1d(update)", "update divides by zero", Propagates(ZeroDivisionError),
     lambda: d2lhelpers.run_1d(zero_division, verbose=False))
case("run_1d(update)", "update raises the user's error", Propagates(Theirs),
     lambda: d2lhelpers.run_1d(raise_theirs, verbose=False))
case("run_1d(update)", "update raises KeyError", Propagates(KeyError),
     lambda: d2lhelpers.run_1d(lambda x: {}["k"], verbose=False))
case("run_1d(x -> x**2, x0=10)", "squares overflow", Diverges(),
     lambda: d2lhelpers.run_1d(lambda x: x ** 2, steps=20, verbose=False))
case("run_1d(x -> 1e200 x)", "inf iterate", Diverges(),
     lambda: d2lhelpers.run_1d(lambda x: x * 1e200, steps=5, verbose=False))


def gd_2d(x1, x2, s1, s2, f_grad):
    g1, g2 = f_grad(x1, x2)
    return x1 - 0.1 * g1, x2 - 0.1 * g2, s1, s2


each("train_2d(trainer, x0)", "x0", BAD_POINT_2D,
     lambda v: d2lhelpers.train_2d(gd_2d, f_grad=grad2, x0=v, verbose=False))
each("train_2d(trainer, steps)", "steps", BAD_STEPS + [10 ** 9],
     lambda v: d2lhelpers.train_2d(gd_2d, steps=v, f_grad=grad2, verbose=False))
each("train_2d(trainer)", "trainer", [None, "gd", 0.1],
     lambda v: d2lhelpers.train_2d(v, f_grad=grad2, verbose=False))
each("train_2d(trainer, f_grad)", "f_grad", ["grad", 3],
     lambda v: d2lhelpers.train_2d(gd_2d, f_grad=v, verbose=False))
for ret in [("1.0", "2.0", 0, 0), (1.0, "2.0", 0, 0), (None, 1.0, 0, 0), (1.0, 2.0, 0),
            None, 3.0, "1234", (np.ones(2), 1.0, 0, 0), ([1.0], 1.0, 0, 0)]:
    case("train_2d(trainer)", f"trainer returns {ret!r}", bad("trainer"),
         lambda r=ret: d2lhelpers.train_2d(lambda *a: r, verbose=False))
case("train_2d(trainer)", "trainer divides by zero", Propagates(ZeroDivisionError),
     lambda: d2lhelpers.train_2d(zero_division, verbose=False))
case("train_2d(trainer, f_grad)", "f_grad raises the user's error", Propagates(Theirs),
     lambda: d2lhelpers.train_2d(gd_2d, f_grad=raise_theirs, verbose=False))
case("train_2d(trainer, f_grad)", "f_grad returns None", Propagates(TypeError),
     lambda: d2lhelpers.train_2d(gd_2d, f_grad=lambda a, b: None, verbose=False))
case("train_2d(gd eta=0.9 on x1^2+2x2^2)", "a rate beyond 2/L", Diverges(),
     lambda: d2lhelpers.train_2d(optim.as_trainer(optim.gd(0.9)), steps=2000,
                                 f_grad=grad2, verbose=False))

# --- the optimizer protocol (optim) and the update rules ---------------------------

for name, make in [("optim.gd", optim.gd), ("optim.sgd", optim.sgd),
                   ("adaptive.adagrad", adaptive.adagrad), ("adaptive.rmsprop", adaptive.rmsprop),
                   ("adaptive.adam", adaptive.adam), ("adaptive.adamax", adaptive.adamax),
                   ("adaptive.nadam", adaptive.nadam),
                   ("momentum.momentum", lambda e: momentum.momentum(e, 0.5)),
                   ("momentum.nesterov", lambda e: momentum.nesterov(e, 0.5)),
                   ("momentum.momentum_minus_form", lambda e: momentum.momentum_minus_form(e, 0.5)),
                   ("momentum.momentum_scaled_form",
                    lambda e: momentum.momentum_scaled_form(e, 0.5))]:
    each(f"{name}(eta)", "eta", BAD_POSITIVE, make)

for call, make, names in [
        ("adaptive.rmsprop(0.1, gamma)", lambda v: adaptive.rmsprop(0.1, v), "gamma"),
        ("adaptive.adadelta(rho)", lambda v: adaptive.adadelta(v), "rho"),
        ("adaptive.adam(beta1=...)", lambda v: adaptive.adam(beta1=v), "beta1"),
        ("adaptive.adam(beta2=...)", lambda v: adaptive.adam(beta2=v), "beta2"),
        ("adaptive.adamax(beta1=...)", lambda v: adaptive.adamax(beta1=v), "beta1"),
        ("adaptive.nadam(beta2=...)", lambda v: adaptive.nadam(beta2=v), "beta2"),
        ("momentum.momentum(0.1, beta)", lambda v: momentum.momentum(0.1, v), "beta"),
        ("momentum.nesterov(0.1, beta)", lambda v: momentum.nesterov(0.1, v), "beta"),
        ("momentum.momentum_minus_form(0.1, mu)",
         lambda v: momentum.momentum_minus_form(0.1, v), "mu")]:
    each(call, names, BAD_UNIT, make)

for call, make in [("adaptive.adagrad(0.1, eps)", lambda v: adaptive.adagrad(0.1, v)),
                   ("adaptive.rmsprop(0.1, eps=...)", lambda v: adaptive.rmsprop(0.1, eps=v)),
                   ("adaptive.adam(eps=...)", lambda v: adaptive.adam(eps=v)),
                   ("adaptive.adadelta(eps=...)", lambda v: adaptive.adadelta(eps=v))]:
    each(call, "eps", [-1e-8, nan, inf, "1e-8", None], make)
each("adaptive.adam(bias_correction)", "bias_correction", ["sometimes", None, 1],
     lambda v: adaptive.adam(bias_correction=v))

GD = optim.gd(0.1)
each("optim.run(opt, grad, x0, 10)", "x0", [[nan, 1.0], [1.0, inf], ["1", "2"], "ab", None,
                                           [[1.0], [2.0, 3.0]]],
     lambda v: optim.run(GD, lambda x: 2 * x, v, 10))
each("optim.run(opt, grad, x0, steps)", "steps", BAD_STEPS + [10 ** 9],
     lambda v: optim.run(GD, lambda x: 2 * x, [1.0, 2.0], v))
each("optim.run(opt, ...)", "opt", [None, "gd", optim.gd],
     lambda v: optim.run(v, lambda x: 2 * x, [1.0, 2.0], 10))
each("optim.run(opt, grad, ...)", "grad", [None, "2x", 2.0],
     lambda v: optim.run(GD, v, [1.0, 2.0], 10))
for ret, label in [(lambda x: 1.0, "a scalar for a 2-vector"),
                   (lambda x: np.ones(3), "3 entries for 2"),
                   (lambda x: np.ones((2, 1)), "shape (2, 1) for (2,)"),
                   (lambda x: None, "None"),
                   (lambda x: ["1", "2"], "strings"),
                   (lambda x: np.array([1.0, 2.0], dtype=object), "objects")]:
    case("optim.run(opt, grad, [1, 2], 10)", f"grad returns {label}", bad("grad"),
         lambda r=ret: optim.run(GD, r, [1.0, 2.0], 10))
case("optim.run(opt, grad, ...)", "grad divides by zero", Propagates(ZeroDivisionError),
     lambda: optim.run(GD, zero_division, [1.0, 2.0], 10))
case("optim.run(opt, grad, ...)", "grad raises the user's error", Propagates(Theirs),
     lambda: optim.run(GD, raise_theirs, [1.0, 2.0], 10))
case("optim.run(gd(1.5), 2x, ...)", "a rate beyond 2/L", Diverges(),
     lambda: optim.run(optim.gd(1.5), lambda x: 2 * x, [1.0, 2.0], 3000))
each("optim.as_trainer(opt)", "opt", [None, "gd", optim.gd], optim.as_trainer)
each("optim.grad_2d(f_grad)", "f_grad", [None, "g"], optim.grad_2d)
each("optim.one_pass(opt, X, y)", "X", [np.ones(3), np.ones((0, 2)), [["a", "b"]]],
     lambda v: optim.one_pass(GD, v, np.ones(3)), names="X")
each("optim.one_pass(opt, X, y)", "y", [np.ones(4), np.ones((3, 2)), None],
     lambda v: optim.one_pass(GD, np.ones((3, 2)), v), names="y")
each("optim.one_pass(opt, ...)", "opt", [None, "gd"],
     lambda v: optim.one_pass(v, np.ones((3, 2)), np.ones(3)))

# --- schedules ------------------------------------------------------------------------

for name, make in [("Constant", lambda e: schedules.Constant(e)),
                   ("Factor", lambda e: schedules.Factor(e, 10)),
                   ("MultiStep", lambda e: schedules.MultiStep(e, (5, 10))),
                   ("Exponential", lambda e: schedules.Exponential(e, 0.9)),
                   ("InversePower", lambda e: schedules.InversePower(e)),
                   ("InverseTime", lambda e: schedules.InverseTime(e, 0.1)),
                   ("Polynomial", lambda e: schedules.Polynomial(e, 100)),
                   ("Cosine", lambda e: schedules.Cosine(e, 100)),
                   ("warmup_cosine", lambda e: schedules.warmup_cosine(e, 10, 100))]:
    each(f"schedules.{name}(eta0, ...)", "eta0", [0, -1, nan, inf, "0.1", None], make)

each("schedules.Factor(0.1, step)", "step", [0, -1, 2.5, "10", None],
     lambda v: schedules.Factor(0.1, v))
each("schedules.Factor(0.1, 10, factor)", "factor", [0, -0.5, 1.5, nan, "0.5"],
     lambda v: schedules.Factor(0.1, 10, factor=v))
each("schedules.Factor(0.1, 10, stop_lr)", "stop_lr", [1.0, 0.2, -1e-8, nan, "0"],
     lambda v: schedules.Factor(0.1, 10, stop_lr=v))
each("schedules.MultiStep(0.1, milestones)", "milestones",
     [(10, 5), (0,), (-3,), "abc", (2.5,), None, (5, 5)],
     lambda v: schedules.MultiStep(0.1, v), names="milestone")
each("schedules.Exponential(0.1, gamma)", "gamma", [0, -0.1, 1.5, nan, "0.9"],
     lambda v: schedules.Exponential(0.1, v))
each("schedules.InverseTime(0.1, decay)", "decay", [-0.1, nan, inf, "0.1"],
     lambda v: schedules.InverseTime(0.1, v))
each("schedules.Polynomial(0.1, max_update)", "max_update", [0, -5, 2.5, "100"],
     lambda v: schedules.Polynomial(0.1, v))
each("schedules.Cosine(0.1, 100, final)", "final", [-0.1, nan, 0.5],
     lambda v: schedules.Cosine(0.1, 100, final=v))
each("schedules.Cosine(0.1, 100, warmup_steps)", "warmup", [-1, 2.5, 100, 500],
     lambda v: schedules.Cosine(0.1, 100, warmup_steps=v))
each("schedules.Constant(0.1)(t)", "update number t", [0, -1, 1.5, "1", None, nan],
     lambda v: schedules.Constant(0.1)(v))
each("schedules.PerEpoch(rate_of_epoch, n)", "updates_per_epoch", [0, 2.5, "10"],
     lambda v: schedules.PerEpoch(lambda e: 0.1, v))
each("schedules.PerEpoch(rate_of_epoch, 10)", "rate_of_epoch", [None, 0.1],
     lambda v: schedules.PerEpoch(v, 10))
case("schedules.PerEpoch(raises, 10)(1)", "rate_of_epoch raises the user's error",
     Propagates(Theirs), lambda: schedules.PerEpoch(raise_theirs, 10)(1))
each("schedules.MXNetAdapter(schedule)", "schedule", [None, 0.1, lambda t: 0.1],
     schedules.MXNetAdapter)
each("noisy.inverse_time(decay)", "decay", [-1, nan, "0.1", None], noisy.inverse_time)

# --- noisy SGD ---------------------------------------------------------------------------

each("noisy.noisy_descent(grad, 1.0, 0.1, steps, 1.0)", "steps", BAD_STEPS + [10 ** 9],
     lambda v: noisy.noisy_descent(sq_grad, 1.0, 0.1, v, 1.0))
each("noisy.noisy_descent(grad, 1.0, eta, 10, 1.0)", "eta", BAD_POSITIVE,
     lambda v: noisy.noisy_descent(sq_grad, 1.0, v, 10, 1.0))
each("noisy.noisy_descent(grad, x0, 0.1, 10, 1.0)", "x0", BAD_POINT_1D,
     lambda v: noisy.noisy_descent(sq_grad, v, 0.1, 10, 1.0))
each("noisy.noisy_descent(grad, 1.0, 0.1, 10, noise)", "noise", [-1, nan, inf, "1"],
     lambda v: noisy.noisy_descent(sq_grad, 1.0, 0.1, 10, v))
each("noisy.noisy_descent(..., walkers)", "walkers", [0, -1, 2.5, "3", 10 ** 7],
     lambda v: noisy.noisy_descent(sq_grad, 1.0, 0.1, 10, 1.0, walkers=v))
each("noisy.noisy_descent(grad, ...)", "grad", [None, "2x"],
     lambda v: noisy.noisy_descent(v, 1.0, 0.1, 10, 1.0))
case("noisy.noisy_descent(grad, ...)", "grad returns a string", bad("grad"),
     lambda: noisy.noisy_descent(lambda x: "1", 1.0, 0.1, 10, 1.0))
case("noisy.noisy_descent(grad, ..., walkers=3)", "grad returns 2 values for 3", bad("grad"),
     lambda: noisy.noisy_descent(lambda x: np.ones(2), 1.0, 0.1, 10, 1.0, walkers=3))
case("noisy.noisy_descent(grad, ...)", "grad raises the user's error", Propagates(Theirs),
     lambda: noisy.noisy_descent(raise_theirs, 1.0, 0.1, 10, 1.0))
each("noisy.noisy_sgd(eta)", "eta", BAD_POSITIVE, noisy.noisy_sgd)
each("noisy.noisy_sgd(0.1, noise)", "noise", [-1, nan, "1"],
     lambda v: noisy.noisy_sgd(0.1, noise=v))
each("noisy.noisy_sgd(0.1, schedule)", "schedule", ["inverse", 0.5, lambda t: 1.0],
     lambda v: noisy.noisy_sgd(0.1, schedule=v))
each("noisy.stationary_mean_f(eta)", "eta", BAD_POSITIVE + [1.0, 5.0], noisy.stationary_mean_f)

# --- data, the record, and the trainers ----------------------------------------------------

each("data.make_rng(seed)", "seed", [-1, 1.5, "0", True, None], data.make_rng)
each("data.synthetic_regression(n)", "n", [0, -5, 2.5, "100", None],
     data.synthetic_regression)
each("data.synthetic_regression(10, true_w)", "true_w", [(), (nan, 1.0), ("a", "b")],
     lambda v: data.synthetic_regression(10, true_w=v))
each("data.synthetic_regression(10, noise)", "noise", [-0.1, nan, "0.01"],
     lambda v: data.synthetic_regression(10, noise=v))
each("data.minibatch_indices(n, 5)", "n", [0, -1, 2.5],
     lambda v: list(data.minibatch_indices(v, 5, seed=0)))
each("data.minibatch_indices(10, batch_size)", "batch_size", [0, 11, 2.5, "5"],
     lambda v: list(data.minibatch_indices(10, v, seed=0)))
each("data.batch_order(10, 5, epochs)", "epochs", [0, -1, 1.5],
     lambda v: data.batch_order(10, 5, v, seed=0))
each("data.with_replacement(10, 5, steps)", "steps", [0, -1, 1.5],
     lambda v: data.with_replacement(10, 5, v, seed=0))

X100, Y100 = data.synthetic_regression(100)
BAD_XY = [("y of shape (50, 2) for 100 samples", X100, Y100[:100].reshape(50, 2), "y"),
          ("y of shape (100, 2)", X100, np.stack([Y100, Y100], 1), "y"),
          ("y of 99 values", X100, Y100[:99], "y"),
          ("X one-dimensional", X100[:, 0], Y100, "X"),
          ("X of strings", np.array([["a", "b"]] * 100), Y100, "X"),
          ("y with nan", X100, np.full(100, nan), "y"),
          ("X empty", np.ones((0, 2)), np.ones(0), "X")]
for label, X, y, name in BAD_XY:
    case("data.check_regression_data(X, y)", label, bad(name),
         lambda X=X, y=y: data.check_regression_data(X, y))
    case("linreg.train_scratch(gd, X, y, 10, 1)", label, bad(name),
         lambda X=X, y=y: linreg.train_scratch(optim.sgd(0.1), X, y, 10, 1))
    case("linreg.train_fused(gd, X, y, 10, 1)", label, bad(name),
         lambda X=X, y=y: linreg.train_fused(optim.sgd(0.1), X, y, 10, 1))
    case("linreg.train_gluon('sgd', ..., X, y, 10, 1)", label, bad(name),
         lambda X=X, y=y: linreg.train_gluon("sgd", {"learning_rate": 0.1}, X, y, 10, 1))

for name, trainer in [("train_scratch", linreg.train_scratch),
                      ("train_fused", linreg.train_fused)]:
    each(f"linreg.{name}(opt, X, y, batch_size, 1)", "batch_size", [0, -1, 2.5, "10"],
         lambda v, t=trainer: t(optim.sgd(0.1), X100, Y100, v, 1))
    each(f"linreg.{name}(opt, X, y, 10, epochs)", "epochs", [0, -1, 2.5, "3"],
         lambda v, t=trainer: t(optim.sgd(0.1), X100, Y100, 10, v))
    each(f"linreg.{name}(opt, ...)", "opt", ["sgd", None, 0.1],
         lambda v, t=trainer: t(v, X100, Y100, 10, 1))
    each(f"linreg.{name}(opt, ..., schedule)", "schedule", ["cosine", 0.1],
         lambda v, t=trainer: t(optim.sgd, X100, Y100, 10, 1, schedule=v))
    each(f"linreg.{name}(opt, ..., w0)", "w0", [np.ones(3), [nan, 1.0], ["a", "b"]],
         lambda v, t=trainer: t(optim.sgd(0.1), X100, Y100, 10, 1, w0=v))
each("linreg.train_gluon(optimizer, ...)", "optimizer", [5, None],
     lambda v: linreg.train_gluon(v, {"learning_rate": 0.1}, X100, Y100, 10, 1))
each("linreg.train_gluon('sgd', hyper, ...)", "hyper", [[0.1], "lr=0.1"],
     lambda v: linreg.train_gluon("sgd", v, X100, Y100, 10, 1))
each("linreg.train_gluon('sgd', {'learning_rate': eta}, ...)", "eta", [0, -1, nan, "0.1"],
     lambda v: linreg.train_gluon("sgd", {"learning_rate": v}, X100, Y100, 10, 1))
each("linreg.train_gluon('sgd', ..., batch_size, 1)", "batch_size", [0, 2.5],
     lambda v: linreg.train_gluon("sgd", {"learning_rate": 0.1}, X100, Y100, v, 1))


def mx_param():
    from mxnet import nd
    w = nd.ones((2, 1))
    w.attach_grad()
    return w


each("linreg.sgd([w], lr, 10)", "eta", [0, -0.1, nan, "0.1"],
     lambda v: linreg.sgd([mx_param()], v, 10))
each("linreg.sgd([w], 0.1, batch_size)", "batch_size", [0, -1, 2.5, "10", None],
     lambda v: linreg.sgd([mx_param()], 0.1, v))
each("linreg.decay_schedule(lr, 10)", "eta", [0, -1, nan, "0.1"],
     lambda v: linreg.decay_schedule(v, 10))
each("linreg.decay_schedule(0.1, updates_per_epoch)", "updates_per_epoch", [0, 2.5],
     lambda v: linreg.decay_schedule(0.1, v))
each("linreg.train(batch_size, 0.1)", "batch_size", [0, -1, 2.5],
     lambda v: linreg.train(v, 0.1, verbose=False))
each("linreg.train(10, lr)", "eta", [0, -1, nan, "0.1"],
     lambda v: linreg.train(10, v, verbose=False))
each("linreg.init_params(2, w0)", "w0", [np.ones(3), [[1.0, 2.0, 3.0]]],
     lambda v: linreg.init_params(2, w0=v))
each("linreg.init_params(2, b0)", "b0", ["x", [1.0, 2.0]], lambda v: linreg.init_params(2, b0=v))
each("linreg.full_loss(X, y, w, b)", "y|X", [Y100[:10], Y100.reshape(50, 2)],
     lambda v: linreg.full_loss(X100, v, np.zeros(2), 0.0))
each("linreg.sweep(batch_sizes, lrs, X, y)", "batch_size", [[0], [2.5]],
     lambda v: sweep.sweep(v, [0.1], X100, Y100, progress=False))
each("linreg.sweep(batch_sizes, lrs, X, y)", "eta", [[0], [-1.0]],
     lambda v: sweep.sweep([10], v, X100, Y100, progress=False))
each("training.EpochPlan(100, batch_size, 1, 0)", "batch_size", [0, 2.5],
     lambda v: training.EpochPlan(100, v, 1, 0))
each("training.rule_per_update(opt, None)", "opt", ["sgd", 0.1],
     lambda v: training.rule_per_update(v, None))

# --- the Gluon loop (loop.fit and friends) --------------------------------------------------

each("loop.holdout_split(X, y, valid_fraction)", "valid_fraction", [0.0, 1.0, 1, -0.2, "0.2",
                                                                   nan, 1e-9],
     lambda v: __import__("d2lhelpers.loop").loop.holdout_split(X100, Y100, v))
case("loop.holdout_split(X, y)", "y of 99 values", bad("y"),
     lambda: __import__("d2lhelpers.loop").loop.holdout_split(X100, Y100[:99]))


def fit_call(y, yv=None, **kw):
    from mxnet import gluon

    from d2lhelpers import loop
    net = loop.linear_net(2)
    tr = loop.make_trainer(net, schedules.Constant(0.1))
    yv = Y100[:20] if yv is None else yv
    args = dict(batch_size=10, epochs=1)
    args.update(kw)
    return loop.fit(net, gluon.loss.L2Loss(), tr, (X100, y), (X100[:20], yv), **args)


case("loop.fit(net, loss, tr, (X, y), valid)", "y of shape (50, 2) for 100 samples",
     bad("y"), lambda: fit_call(Y100.reshape(50, 2)))
case("loop.fit(net, loss, tr, (X, y), valid)", "y of 99 values", bad("y"),
     lambda: fit_call(Y100[:99]))
case("loop.fit(net, loss, tr, train, (Xv, yv))", "yv of shape (10, 2)", bad("y"),
     lambda: fit_call(Y100, Y100[:20].reshape(10, 2)))
each("loop.fit(..., batch_size)", "batch_size", [0, 2.5], lambda v: fit_call(Y100, batch_size=v))
each("loop.fit(..., epochs)", "epochs", [0, 1.5], lambda v: fit_call(Y100, epochs=v))
each("loop.make_trainer(net, schedule)", "schedule", [0.1, "cosine", None],
     lambda v: __import__("d2lhelpers.loop").loop.make_trainer(None, v))
each("loop.linear_net(d)", "d", [0, 2.5, "2"],
     lambda v: __import__("d2lhelpers.loop").loop.linear_net(v))

# --- the slider, the explorer and the race ----------------------------------------------------


def draw_line(ax, **params):
    ax.plot([0, 1], [0, 1])


def alt_text(**params):
    return "a line"


def make_slider(grid, **kw):
    kw.setdefault("alt", alt_text)
    return slider.precomputed_slider(kw.pop("draw", draw_line), grid, **kw)


each("precomputed_slider(draw, grid)", "grid",
     [{"eta": "abc"}, {"eta": b"ab"}, {"eta": 0.1}, {"eta": None}, {"eta": {"a": 1}}, "eta",
      [("eta", [1, 2])], {}, {"a": [1], "b": [1], "c": [1]}, {"eta": []},
      {"eta": list(range(40)), "beta": list(range(40))}, {"eta": list(range(1000))}],
     make_slider)
each("precomputed_slider(draw, grid, initial)", "initial",
     [{"gamma": 0.1}, {"eta": 5.0}, {"eta": -1.0}, {"eta": "0.1"}, {"eta": nan}],
     lambda v: make_slider({"eta": [0.1, 0.2, 0.3]}, initial=v))
case("precomputed_slider(draw, {'m': ['gd', 'adam']}, initial)", "initial not in the grid",
     bad("initial"), lambda: make_slider({"m": ["gd", "adam"]}, initial={"m": "sgd"}))
each("precomputed_slider(draw, grid, labels)", "labels", [{"gamma": "γ"}],
     lambda v: make_slider({"eta": [0.1, 0.2]}, labels=v))
each("precomputed_slider(draw, ...)", "draw", [None, "plot"],
     lambda v: make_slider({"eta": [0.1]}, draw=v))
each("precomputed_slider(..., alt)", "alt", [None, "a line"],
     lambda v: make_slider({"eta": [0.1]}, alt=v))
case("precomputed_slider(..., alt)", "alt returns None", bad("alt"),
     lambda: make_slider({"eta": [0.1]}, alt=lambda **p: None))
case("precomputed_slider(draw, ...)", "draw raises the user's error", Propagates(Theirs),
     lambda: make_slider({"eta": [0.1]}, draw=raise_theirs))
case("precomputed_slider(draw, ...)", "draw divides by zero", Propagates(ZeroDivisionError),
     lambda: make_slider({"eta": [0.1]}, draw=zero_division))

ME = explorer.momentum_explorer
each("momentum_explorer(eta_range)", "eta_range",
     [(1.0, 0.01, 0.01), (0.01, 1.0, -0.01), (0.01, 1.0, 5.0), (0.01, 1.0, 0),
      (0.0, 1.0, 0.01), ("0.01", "1.0", "0.01"), (0.01, 1.0), (0.01, inf, 0.01),
      (0.01, 1.0, 1e-9), None],
     lambda v: ME(eta_range=v))
each("momentum_explorer(beta_range)", "beta_range",
     [(0.9, 0.1, 0.01), (0.0, 0.99, 2.0), (0.0, 1.0, 0.01), (-0.5, 0.9, 0.1), "0-1"],
     lambda v: ME(beta_range=v))
each("momentum_explorer(eta)", "eta", [0, -1, nan, "0.4", 2.0], lambda v: ME(eta=v))
each("momentum_explorer(beta)", "beta", [-0.1, 1.0, nan, "0.5"], lambda v: ME(beta=v))
each("momentum_explorer(x0)", "x0", BAD_POINT_2D, lambda v: ME(x0=v))
each("momentum_explorer(steps)", "steps", [0, -1, 2.5, 10 ** 6], lambda v: ME(steps=v))
each("momentum_explorer(method)", "method", ["adam", None, ["momentum"]],
     lambda v: ME(method=v))
each("momentum_explorer(window)", "window", [(1, 2, 3, 4), (-1, 1), ("a", 1, -1, 1), None],
     lambda v: ME(window=v))
each("momentum_explorer(f)", "f", [None, "quadratic", functions.Rosenbrock()], lambda v: ME(f=v))
each("momentum_explorer(title, caption)", "title", [5, None], lambda v: ME(title=v))
each("momentum_explorer(caption)", "caption", [5, None], lambda v: ME(caption=v))

ROT = race.rotated_quadratic(steps=10)
TRAJS = race.run_race({"gd": optim.gd(0.1)}, ROT)
each("race.race_animation(problem, trajs, frames)", "frames",
     [list(range(1000)), "abc", [-1], [], [2.5], 5],
     lambda v: race.race_animation(ROT, TRAJS, v, alt=lambda k: "race"))
each("race.race_animation(..., alt)", "alt", [None, "race"],
     lambda v: race.race_animation(ROT, TRAJS, [0, 5], alt=v))
each("race.contender(name)", "name", ["sgd2", None, 5], lambda v: race.contender(v, 0.1))
each("race.contender('gd', eta)", "eta", [0, -1, nan, "0.1"], lambda v: race.contender("gd", v))
each("race.run_race(optimizers, problem)", "problem", [None, "rosenbrock"],
     lambda v: race.run_race({"gd": optim.gd(0.1)}, v))
each("race.run_race(optimizers, problem, steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: race.run_race({"gd": optim.gd(0.1)}, ROT, v))
each("race.tune(name, problem, etas)", "etas", [[], [0.0], [-0.1]],
     lambda v: race.tune("gd", ROT, v), names="eta")
each("race.rotated_quadratic(steps=...)", "steps", [-1, 2.5],
     lambda v: race.rotated_quadratic(steps=v))

# --- theory helpers: bounds, momentum analysis, quadratics -------------------------------------

each("bounds.gd_convex(L, 1.0, 10)", "L", [0, -1, nan, "1"],
     lambda v: bounds.gd_convex(v, 1.0, 10))
each("bounds.gd_convex(1.0, 1.0, k)", "k", [0, -1, 2.5, "3"],
     lambda v: bounds.gd_convex(1.0, 1.0, v))
each("bounds.gd_strongly_convex(mu, 1.0, 1.0, 10)", "mu", [0, 2.0, nan],
     lambda v: bounds.gd_strongly_convex(v, 1.0, 1.0, 10))
each("bounds.gd_distance(0.1, 1.0, r0, 10)", "r0", [-1, nan],
     lambda v: bounds.gd_distance(0.1, 1.0, v, 10))
each("bounds.gd_nonconvex(1.0, gap0, 10)", "gap0", [-1, nan],
     lambda v: bounds.gd_nonconvex(1.0, v, 10))
each("bounds.accelerated_convex(1.0, 1.0, k)", "k", [-1, 1.5],
     lambda v: bounds.accelerated_convex(1.0, 1.0, v))
each("bounds.accelerated_strongly_convex(mu, L, ...)", "mu", [0, 5.0],
     lambda v: bounds.accelerated_strongly_convex(v, 1.0, 1.0, 1.0, 10))
each("bounds.lower_convex(L, 1.0, 10)", "L", [0, nan], lambda v: bounds.lower_convex(v, 1.0, 10))
each("bounds.lower_strongly_convex(mu, 1.0, ...)", "mu", [0, 3.0],
     lambda v: bounds.lower_strongly_convex(v, 1.0, 1.0, 10))
each("bounds.exact_line_search_rate(kappa)", "kappa", [0.5, 0, nan, "10"],
     bounds.exact_line_search_rate)
each("bounds.backtracking_rate(0.1, 1.0, c, 0.5)", "c", [0, 1.0, -0.1],
     lambda v: bounds.backtracking_rate(0.1, 1.0, v, 0.5))
each("bounds.backtracking_rate(0.1, 1.0, 0.3, tau)", "tau", [0, 1.0, 1.5],
     lambda v: bounds.backtracking_rate(0.1, 1.0, 0.3, v))
each("bounds.escape_steps(eta, 0.1, 1e-3)", "eta", [0, -1, nan],
     lambda v: bounds.escape_steps(v, 0.1, 1e-3))
each("momentum.iteration_matrix(0.1, 0.5, lam, method)", "method", ["adam", None],
     lambda v: momentum.iteration_matrix(0.1, 0.5, 1.0, v))
each("momentum.iteration_matrix(0.1, 0.5, lam)", "lam", [0, -1, nan, "1"],
     lambda v: momentum.iteration_matrix(0.1, 0.5, v))
each("momentum.spectral_radius(eta, 0.5, 1.0)", "eta", [0, -1, nan],
     lambda v: momentum.spectral_radius(v, 0.5, 1.0))
each("momentum.radius_closed_form(0.1, beta, 1.0)", "beta", [-0.1, 1.0, nan],
     lambda v: momentum.radius_closed_form(0.1, v, 1.0))
each("momentum.rate(0.1, 0.5, lams)", "lam", [[0.0], [-1.0], [nan]],
     lambda v: momentum.rate(0.1, 0.5, v))
each("momentum.optimal_heavy_ball(lam_min, 1.0)", "lam_min", [2.0, 0, nan],
     lambda v: momentum.optimal_heavy_ball(v, 1.0))
each("momentum.optimal_gd(0.1, lam_max)", "lam", [0.01, 0, inf],
     lambda v: momentum.optimal_gd(0.1, v))
each("momentum.best_eta(beta, [1.0])", "beta", [1.0, -0.5], lambda v: momentum.best_eta(v, [1.0]))
each("momentum.best_eta(0.5, [1.0], num)", "num", [0, 1, 2.5, 10 ** 9],
     lambda v: momentum.best_eta(0.5, [1.0], num=v))
each("momentum.measured_rate(points, k0, k1)", "k0|k1|window", [(5, 2), (0, 100), (-1, 5)],
     lambda v: momentum.measured_rate(np.ones((50, 2)), v[0], v[1], window=1))
each("momentum.nesterov_lookahead(0.1, 0.5, grad, x0, steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: momentum.nesterov_lookahead(0.1, 0.5, lambda x: 2 * x, [1.0], v))
case("momentum.nesterov_lookahead(..., grad)", "grad raises the user's error", Propagates(Theirs),
     lambda: momentum.nesterov_lookahead(0.1, 0.5, raise_theirs, [1.0], 5))

Q = functions.Quadratic2D(1.0, 2.0)
each("quadratic.with_condition_number(kappa)", "kappa", [0.5, 0, nan, inf, "10"],
     quadratic.with_condition_number)
each("quadratic.contraction_factors(q, eta)", "eta", [0, -1, nan],
     lambda v: quadratic.contraction_factors(Q, v))
each("quadratic.gd_closed_form(q, ...)", "q", [None, "q", functions.Rosenbrock()],
     lambda v: quadratic.gd_closed_form(v, 0.1))
each("quadratic.gd_closed_form(q, 0.1, steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: quadratic.gd_closed_form(Q, 0.1, steps=v))
each("quadratic.predicted_steps(q, 0.1, tol)", "tol", [0, 1.0, -1, nan],
     lambda v: quadratic.predicted_steps(Q, 0.1, tol=v))
each("quadratic.predicted_steps(q, eta)", "eta", [1.0, 5.0],
     lambda v: quadratic.predicted_steps(Q, v))
each("quadratic.steps_to_tolerance(q, 0.1, max_steps)", "max_steps", [-1, 10 ** 9],
     lambda v: quadratic.steps_to_tolerance(Q, 0.1, max_steps=v))
each("quadratic.gd_run(q, 0.1, x0)", "x0", [(1, 2, 3), (nan, 1.0)],
     lambda v: quadratic.gd_run(Q, 0.1, x0=v))
each("quadratic.stable_lr_bound(q)", "q", [None, 2.0], quadratic.stable_lr_bound)
each("quadratic.best_lr(q)", "q", [None, "q"], quadratic.best_lr)

# --- functions ---------------------------------------------------------------------------------

each("functions.Quadratic2D(a, 2.0)", "a", [nan, "1", None],
     lambda v: functions.Quadratic2D(v, 2.0))
each("functions.NesterovWorstCase(n)", "n", [0, -1, 2.5, "5"], functions.NesterovWorstCase)
each("functions.NesterovStronglyConvex(10, kappa=...)", "kappa", [0.5, 0, nan],
     lambda v: functions.NesterovStronglyConvex(10, kappa=v))
each("functions.Huber(delta)", "delta", [0, -1, nan], functions.Huber)
each("functions.LogCoshBowl(mu)", "mu", ["0.1", -1, nan], functions.LogCoshBowl)

# --- Newton, line search, quasi-Newton, saddles ---------------------------------------------------

each("newton.newton(eta, f', f'')", "eta", BAD_POSITIVE,
     lambda v: newton.newton(v, sq_grad, lambda x: 2.0, verbose=False))
each("newton.newton(1, f', f'', curvature)", "curvature", ["absolute", None, 5],
     lambda v: newton.newton(1.0, sq_grad, lambda x: 2.0, curvature=v, verbose=False))
each("newton.newton(1, f', f'', x0)", "x0", BAD_POINT_1D,
     lambda v: newton.newton(1.0, sq_grad, lambda x: 2.0, x0=v, verbose=False))
each("newton.newton(1, f', f'', steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: newton.newton(1.0, sq_grad, lambda x: 2.0, steps=v, verbose=False))
each("newton.newton(1, f_grad, f'')", "f_grad", [None, "g"],
     lambda v: newton.newton(1.0, v, lambda x: 2.0, verbose=False))
case("newton.newton(1, f', f'')", "f'' raises the user's error", Propagates(Theirs),
     lambda: newton.newton(1.0, sq_grad, raise_theirs, verbose=False))
case("newton.newton(1, f', f'')", "f' divides by zero", Propagates(ZeroDivisionError),
     lambda: newton.newton(1.0, zero_division, lambda x: 2.0, verbose=False))
each("newton.modified_curvature(h, curvature)", "curvature", ["absolute", None],
     lambda v: newton.modified_curvature(1.0, v))
each("newton.modified_curvature(h, 'shift', tau)", "tau", [None, 0, -1, nan],
     lambda v: newton.modified_curvature(1.0, "shift", tau=v))
each("newton.newton_nd(None, grad, hess, x0)", "x0", [[nan, 1.0], ["a", "b"]],
     lambda v: newton.newton_nd(None, lambda x: 2 * x, lambda x: 2 * np.eye(2), v))
each("newton.newton_nd(None, grad, hess, x0, steps)", "steps", [-1, 10 ** 9],
     lambda v: newton.newton_nd(None, lambda x: 2 * x, lambda x: 2 * np.eye(2), [1.0, 1.0], v))
case("newton.newton_nd(None, grad, hess, x0)", "hess of the wrong size", bad("Hessian"),
     lambda: newton.newton_nd(None, lambda x: 2 * x, lambda x: np.eye(3), [1.0, 1.0]))
each("newton.shift_to_positive_definite(hess)", "hess", [np.ones(3), np.ones((2, 3))],
     newton.shift_to_positive_definite)
each("linesearch.check_armijo(c, 0.5)", "c", [0, 1.0, -0.5, nan],
     lambda v: linesearch.check_armijo(v, 0.5))
each("linesearch.check_armijo(0.3, tau)", "tau", [0, 1.0, 2.0],
     lambda v: linesearch.check_armijo(0.3, v))
each("linesearch.backtracking_gd(f, grad, x0, steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: linesearch.backtracking_gd(lambda x: x @ x, lambda x: 2 * x, [1.0], v))
each("linesearch.backtracking_gd(f, grad, x0, 5, t0)", "t0", [0, -1, nan],
     lambda v: linesearch.backtracking_gd(lambda x: x @ x, lambda x: 2 * x, [1.0], 5, t0=v))
each("linesearch.exact_line_search_gd(A, b, x0, steps)", "steps", [-1, 10 ** 9],
     lambda v: linesearch.exact_line_search_gd(np.eye(2), np.zeros(2), [1.0, 1.0], v))
each("quasinewton.bfgs(f, grad, x0, steps)", "steps", [-1, 2.5, 10 ** 9],
     lambda v: quasinewton.bfgs(lambda x: x @ x, lambda x: 2 * x, [1.0, 1.0], v))
each("quasinewton.lbfgs(f, grad, x0, memory=...)", "memory", [0, -1, 2.5],
     lambda v: quasinewton.lbfgs(lambda x: x @ x, lambda x: 2 * x, [1.0, 1.0], memory=v))
case("quasinewton.bfgs(f, grad, ...)", "grad raises the user's error", Propagates(Theirs),
     lambda: quasinewton.bfgs(lambda x: x @ x, raise_theirs, [1.0, 1.0], 5))
each("saddles.run_until(grad, x0, 0.1, done, max_steps)", "max_steps", [-1, 10 ** 9],
     lambda v: saddles.run_until(lambda x: 2 * x, [1.0], 0.1, lambda x: False, v))
each("saddles.escape_time(grad, x0, eta)", "eta", [0, -1, nan],
     lambda v: saddles.escape_time(lambda x: 2 * x, [1.0, 1.0], v))
each("saddles.perturbed_gd(..., rng)", "rng", [0, None],
     lambda v: saddles.perturbed_gd(lambda x: 2 * x, [1.0, 1.0], 0.1, 5, 0.1, 0.1, 2, v))
each("accelerated.momentum_schedule(steps)", "steps", [-1, 2.5, 10 ** 9],
     accelerated.momentum_schedule)
each("accelerated.nesterov_convex(grad, x0, L, 5)", "L", [0, -1, nan],
     lambda v: accelerated.nesterov_convex(lambda x: 2 * x, [1.0], v, 5))
each("accelerated.nesterov_strongly_convex(grad, x0, mu, 1.0, 5)", "mu", [0, 2.0],
     lambda v: accelerated.nesterov_strongly_convex(lambda x: 2 * x, [1.0], v, 1.0, 5))

# --- SGD theory, range test, least squares, gradients -----------------------------------------

each("sgd_theory.fixed_step_bound(steps, eta, ...)", "eta", [0, -1, nan],
     lambda v: sgd_theory.fixed_step_bound(np.arange(5), v, 1.0, 0.5, 1.0, 1.0))
each("sgd_theory.diminishing_step(beta, gamma)", "beta|gamma", [(0, 1.0), (1.0, -1)],
     lambda v: sgd_theory.diminishing_step(*v))
each("sgd_theory.walkers(curv, x0, schedule, steps, runs)", "runs", [0, 2.5],
     lambda v: sgd_theory.walkers([1.0], [1.0], lambda t: 0.1, 10, runs=v))
each("sgd_theory.walkers(curv, x0, schedule, steps)", "steps", [-1, 10 ** 9],
     lambda v: sgd_theory.walkers([1.0], [1.0], lambda t: 0.1, v))
each("sgd_theory.stationary_mean_f(curv, eta)", "eta", [0, -1, nan],
     lambda v: sgd_theory.stationary_mean_f([1.0], v))
each("sgd_theory.averaged_mean_f(curv, t)", "t", [0, -1, 2.5],
     lambda v: sgd_theory.averaged_mean_f([1.0], v))
each("lrfinder.geometric_rates(eta_min, eta_max, num)", "eta_min|eta_max|num",
     [(1.0, 0.1, 10), (0, 1.0, 10), (0.1, 1.0, 1), (0.1, 1.0, 2.5), (0.1, 1.0, 10 ** 8)],
     lambda v: lrfinder.geometric_rates(*v))
each("lrfinder.range_test(step, etas, smoothing)", "smoothing", [1.0, -0.1, nan],
     lambda v: lrfinder.range_test(lambda e: 1.0, np.array([0.1, 0.2]), smoothing=v))
each("lrfinder.range_test(step, etas, blowup)", "blowup", [0.5, 0, nan],
     lambda v: lrfinder.range_test(lambda e: 1.0, np.array([0.1, 0.2]), blowup=v))
each("lrfinder.range_test(step, etas)", "step", [None, 0.1],
     lambda v: lrfinder.range_test(v, np.array([0.1, 0.2])))
case("lrfinder.range_test(step, etas)", "step raises the user's error", Propagates(Theirs),
     lambda: lrfinder.range_test(raise_theirs, np.array([0.1, 0.2])))
each("lstsq_sgd.mean_square_limit(X, batch_size)", "batch_size", [0, 2.5, "10"],
     lambda v: lstsq_sgd.mean_square_limit(X100, v))
each("lstsq_sgd.run_grid(X, y, 10, lrs, seeds)", "lrs", [[], [0.0], [-0.1]],
     lambda v: lstsq_sgd.run_grid(X100, Y100, 10, v, [0]), names="lr")
each("lstsq_sgd.run_grid(X, y, 10, [0.1], seeds)", "seeds", [[]],
     lambda v: lstsq_sgd.run_grid(X100, Y100, 10, [0.1], v))
each("gradients.minibatch_grads(X, y, w, b, batch_size, 5)", "batch_size", [0, 2.5, 1000],
     lambda v: gradients.minibatch_grads(X100, Y100, np.zeros(2), 0.0, v, 5))
each("gradients.minibatch_grads(X, y, w, b, 10, draws)", "draws", [0, 2.5],
     lambda v: gradients.minibatch_grads(X100, Y100, np.zeros(2), 0.0, 10, v))
each("gradients.accumulated_gradient(X, y, w, b, batch_size)", "batch_size", [0, 2.5],
     lambda v: gradients.accumulated_gradient(X100, Y100, np.zeros(2), 0.0, v))
each("gradients.sample_grads(X, y, w, b)", "w", [np.zeros(3), np.zeros(1)],
     lambda v: gradients.sample_grads(X100, Y100, v, 0.0))
each("gradients.time_gradient(X, y, batch_sizes, repeats)", "repeats", [0, 2.5],
     lambda v: gradients.time_gradient(X100, Y100, [10], repeats=v))

# --- plotting, progress, compat, checks ----------------------------------------------------------

each("show_trace(results, f)", "f", [None, "x**2"],
     lambda v: d2lhelpers.show_trace([1.0, 0.5], v))
each("show_trace(results, f)", "results", [[], "abc", None, [["a"]]],
     lambda v: d2lhelpers.show_trace(v, functions.square))
each("show_trace_2d(f, results)", "results", [[], [(1.0,)], "abc", None],
     lambda v: d2lhelpers.show_trace_2d(f2, v))
each("show_trace_2d(f, results)", "f", [None, 2.0],
     lambda v: d2lhelpers.show_trace_2d(v, [(1.0, 1.0)]))
each("plotting.draw_contours(f, ax, bounds)", "bounds", [(1, 2), (1, 0, 1, 2), None, "ab"],
     lambda v: plotting.draw_contours(f2, d2lhelpers.new_axes(pyplot=False), v))
each("plotting.add_trace_2d(results, ax)", "results", [[], "ab", [(1.0,)], [(nan, 0.0)]],
     lambda v: plotting.add_trace_2d(v, d2lhelpers.new_axes(pyplot=False)))
each("plotting.add_trace_2d(results, ax)", "ax", [None, "ax"],
     lambda v: plotting.add_trace_2d([(1.0, 1.0)], v))
each("plotting.figure_png(fig, dpi)", "dpi", [0, -10, 2.5, "90"],
     lambda v: plotting.figure_png(d2lhelpers.new_axes(pyplot=False).figure, v))
each("plotting.figure_png(fig)", "fig", [None, "figure"], plotting.figure_png)
each("plotting.figure_png(fig, 50, colors)", "colors", [1, 257, 2.5, "64"],
     lambda v: plotting.figure_png(d2lhelpers.new_axes(pyplot=False).figure, 50, v))
each("plotting.figure_png(fig, 50, tight)", "tight", [1, "yes", None],
     lambda v: plotting.figure_png(d2lhelpers.new_axes(pyplot=False).figure, 50, tight=v))
each("plotting.png_size(png)", "png", [None, "\x89PNG", b"GIF89a" + bytes(20), b"\x89PNG"],
     plotting.png_size)
each("inline.inline_png(fig)", "fig", [None, "figure"], inline.inline_png)
each("inline.inline_png(fig, density)", "density", [0, 0.5, True, "2", None],
     lambda v: inline.inline_png(d2lhelpers.new_axes(pyplot=False).figure, v))
each("inline.use_crisp_figures(enable)", "enable", [1, "yes", None], inline.use_crisp_figures)
each("plotting.new_axes(ax)", "ax", ["ax", 5], plotting.new_axes)
each("progress.Progress(total)", "total", [0, -1, 2.5, "10"], progress.Progress)
each("compat.arange(0, 1, step)", "step", [0, nan], lambda v: compat.arange(0, 1, v))
each("compat.arange(0, stop, 0.1)", "stop", [1e12], lambda v: compat.arange(0, v, 0.1),
     names="arange")
each("checks.check_lr(eta)", "eta", BAD_POSITIVE, checks.check_lr)
each("checks.check_unit_interval('beta', v)", "beta", BAD_UNIT,
     lambda v: checks.check_unit_interval("beta", v))
each("checks.check_count('n', v)", "n", [0, 2.5, "3", True, None],
     lambda v: checks.check_count("n", v))
each("checks.check_steps(v)", "steps", BAD_STEPS + [10 ** 9], checks.check_steps)
each("checks.check_point('x0', v, 2)", "x0", BAD_POINT_2D,
     lambda v: checks.check_point("x0", v, 2))
each("checks.check_labels('y', v, 4)", "y",
     [np.ones(3), np.ones((2, 2)), np.ones((4, 2)), ["a"] * 4],
     lambda v: checks.check_labels("y", v, 4))
each("checks.as_number('grad', v)", "grad", ["1.0", None, [1.0], 1j, True],
     lambda v: checks.as_number("grad", v))

each("checks.check_positive('noise', v)", "noise", BAD_POSITIVE,
     lambda v: checks.check_positive("noise", v))
each("checks.check_nonnegative('floor', v)", "floor", [-1, nan, inf, "0", None],
     lambda v: checks.check_nonnegative("floor", v))
each("checks.check_real('x0', v)", "x0", [nan, inf, "1", None, True, [1.0]],
     lambda v: checks.check_real("x0", v))
each("checks.check_callable('grad', v)", "grad", [None, 1.0, "f"],
     lambda v: checks.check_callable("grad", v))
each("checks.check_limit('steps', v, 10, 'iterations')", "steps", [11, 10 ** 9],
     lambda v: checks.check_limit("steps", v, 10, "iterations"))
each("checks.as_vector('grad', v, (2,))", "grad", [np.ones(3), 1.0, None, ["a", "b"]],
     lambda v: checks.as_vector("grad", v, (2,)))
each("checks.check_trace(results, 2)", "results", [[], "ab", [(1.0,)], [(nan, 1.0)], None],
     lambda v: checks.check_trace(v, 2))
each("compat.set_figsize(figsize)", "figsize", [(0, 2), (-1, 2), "big", (nan, 2), (1, 2, 3),
                                                ("3.5", "2.5"), (100, 2)],
     compat.set_figsize)
each("compat.meshgrid(*xi)", "xi|meshgrid", [("a", "b"), (None,)], lambda v: compat.meshgrid(*v))
each("compat.plot(X, Y)", "X|Y|x values", [("abc", None), ([1, 2, 3], [1, 2]), (None, None)],
     lambda v: compat.plot(v[0], v[1], axes=d2lhelpers.new_axes(pyplot=False)))
each("compat.set_axes(axes, ...)", "axes", [None, "ax"],
     lambda v: compat.set_axes(v, "x", "y", None, None, "linear", "linear", None))
each("curves.plot_history(history, x)", "x", ["samples", None],
     lambda v: curves_mod().plot_history(linreg.History(), x=v))
each("curves.plot_history(history)", "history", [None, [1.0, 2.0]],
     lambda v: curves_mod().plot_history(v))
each("curves.plot_learning_curves(log)", "log", [None, {"train_loss": [1.0]}],
     lambda v: curves_mod().plot_learning_curves(v))
each("functions.XCos(c)", "c", [nan, "0.5", None], functions.XCos)
each("functions.Cosh(c)", "c", [nan, inf, "0.5", None], functions.Cosh)
each("functions.DippedParabola(a)", "a", [nan, "0.5", None], functions.DippedParabola)
each("functions.DippedParabola(s=...)", "s", [0, -1, nan],
     lambda v: functions.DippedParabola(s=v))
each("functions.TwoWells(d1)", "d1", [nan, "1.2", None], functions.TwoWells)
each("functions.TwoWells(w1=...)", "w1", [0, -0.1, nan], lambda v: functions.TwoWells(w1=v))
each("functions.Rosenbrock(b=...)", "b", [nan, inf, "100", None],
     lambda v: functions.Rosenbrock(b=v))
each("functions.CosineSaddle(a)", "a", [nan, "1"], functions.CosineSaddle)
each("functions.LogCosh2D(mu)", "mu", [-1, nan, "0.1"], functions.LogCosh2D)
each("fused.graph_state(opt, x)", "opt", [None, "sgd"], lambda v: fused_mod().graph_state(v, 0.0))
each("fused.fused_block(opt, ...)", "opt", [None, "sgd"],
     lambda v: fused_mod().fused_block(v, 0.0, 0.0))
each("fused.leaves(state)", "state", [None, "abc"], lambda v: fused_mod().leaves(v))
each("fused.rebuild(template, parts)", "parts", [[], None, (np.ones(1),)],
     lambda v: fused_mod().rebuild((0.0, np.zeros(1)), v))
each("history.Recorder(n, batch_size, record_every, ...)", "record_every", [0, 2.5, -5],
     lambda v: linreg_history().Recorder(100, 10, v, "run", lambda h: 0.0))
each("history.Recorder(n, batch_size, ...)", "batch_size", [0, 2.5],
     lambda v: linreg_history().Recorder(100, v, None, "run", lambda h: 0.0))
each("history.report(history)", "history", [None, "h"], linreg.report)
each("linesearch.armijo_step(f, x, g, t0)", "t0", [0, -1, nan],
     lambda v: linesearch.armijo_step(lambda x: x @ x, np.ones(1), 2 * np.ones(1), t0=v))
each("linesearch.armijo_step(f, x, g, ...)", "f", [None, "f"],
     lambda v: linesearch.armijo_step(v, np.ones(1), 2 * np.ones(1)))
case("linesearch.armijo_step(f, x, g)", "f raises the user's error", Propagates(Theirs),
     lambda: linesearch.armijo_step(raise_theirs, np.ones(1), 2 * np.ones(1)))
each("linesearch.exact_step(A, g)", "A|g", [(np.zeros((2, 2)), np.ones(2)),
                                            (np.eye(3), np.ones(2))],
     lambda v: linesearch.exact_step(*v))
each("loop.evaluate(net, loss_fn, X, y)", "loss_fn", [None, "l2"],
     lambda v: loop_mod().evaluate(loop_mod().linear_net(2), v, X100, Y100))
each("loop.train_step(net, loss_fn, trainer, xb, yb)", "trainer", [None, "sgd"],
     lambda v: train_step_call(v))
each("loop.range_test_stepper(net, loss, X, y, batch_size)", "batch_size", [0, 2.5, "10"],
     lambda v: loop_mod().range_test_stepper(loop_mod().linear_net(2), l2(), X100, Y100, v))
each("lrfinder.quadratic_stepper(f, grad, x0)", "f|grad", [(None, sq_grad), (functions.square, 5)],
     lambda v: lrfinder.quadratic_stepper(v[0], v[1], [1.0]))
each("lrfinder.quadratic_stepper(f, grad, x0)", "x0", [[nan], ["a"], None],
     lambda v: lrfinder.quadratic_stepper(functions.square, sq_grad, v))
each("lrfinder.plot_range_test(result)", "result", [None, {"etas": [0.1]}],
     lrfinder.plot_range_test)
each("lstsq_sgd.augmented(X)", "X", [np.ones(3), [["a"]], None], lstsq_sgd.augmented)
each("lstsq_sgd.per_sample_limit(X)", "X", [np.ones(3), None], lstsq_sgd.per_sample_limit)
each("lstsq_sgd.best_lr(runs)", "runs", [None, {"lrs": [0.1]}], lstsq_sgd.best_lr)
each("momentum.convergence_region_contains(eta, 0.5, lam)", "lam", [0, -1, nan],
     lambda v: momentum.convergence_region_contains(0.1, 0.5, v))
each("momentum.convergence_region_contains(eta, beta, 1)", "eta|beta", [(0, 0.5), (0.1, 1.0)],
     lambda v: momentum.convergence_region_contains(v[0], v[1], 1.0))
each("newton.check_curvature(h, x)", "second derivative", [0.0, nan, -inf, "2"],
     lambda v: newton.check_curvature(v, 1.0))
each("newton.newton_step(x, g, h, eta)", "eta", [0, -1, nan],
     lambda v: newton.newton_step(1.0, 2.0, 2.0, v))
each("newton.backtracking(f, x, g, d, shrink=...)", "shrink", [0, 1.0, 1.5],
     lambda v: newton.backtracking(functions.square, 1.0, 2.0, -2.0, shrink=v))
case("newton.backtracking(f, x, g, d)", "an ascent direction", bad("descent"),
     lambda: newton.backtracking(functions.square, 1.0, 2.0, 2.0))
each("newton.newton_step_nd(x, g, hess)", "Hessian", [np.eye(3), np.zeros((2, 2)), np.ones(2)],
     lambda v: newton.newton_step_nd(np.ones(2), np.ones(2), v))
each("newton.newton_trainer(f_hess, eta)", "f_hess|eta", [(None, 1.0), (lambda a, b: 1, 0)],
     lambda v: newton.newton_trainer(*v))
each("newton.saddle_free(hess)", "hess", [np.ones(3), np.ones((2, 3)), [["a"]]],
     newton.saddle_free)
each("newton.convergence_orders(errors)", "errors", [[1.0, 0.5], [1.0, -1.0, 0.5], [nan] * 3],
     newton.convergence_orders)
each("quasinewton.bfgs_update(H, dx, dg)", "dx|dg|inv_hess", [(np.eye(2), np.ones(3), np.ones(2)),
                                                              (np.eye(2), np.ones(2), -np.ones(2))],
     lambda v: quasinewton.bfgs_update(*v))
each("quasinewton.two_loop(g, pairs, scale)", "scale", [0, -1, nan],
     lambda v: quasinewton.two_loop(np.ones(2), [], v))
each("race.Problem(name, f, grad, x0, steps, bounds)", "x0|steps|bounds|f|grad",
     [(f2, grad2, (1, 2, 3), 10, (-1, 1, -1, 1)), (f2, grad2, (1.0, 1.0), -1, (-1, 1, -1, 1)),
      (None, grad2, (1.0, 1.0), 10, (-1, 1, -1, 1)), (f2, grad2, (1.0, 1.0), 10, (1, 0, 1, 0))],
     lambda v: race.Problem("p", *v))
each("race.draw_race(ax, problem, trajs)", "problem", [None, "rosenbrock"],
     lambda v: race.draw_race(d2lhelpers.new_axes(pyplot=False), v, TRAJS))
each("race.draw_race(ax, problem, trajs, upto)", "upto", [-1, 2.5],
     lambda v: race.draw_race(d2lhelpers.new_axes(pyplot=False), ROT, TRAJS, upto=v))
each("race.draw_losses(ax, problem, trajs)", "trajs", [None, {"gd": "abc"}],
     lambda v: race.draw_losses(d2lhelpers.new_axes(pyplot=False), ROT, v))
each("race.show_race(problem, trajs, spread, axes=...)", "axes", [[]],
     lambda v: race.show_race(ROT, TRAJS, {}, axes=v))
each("race.race_regression(optimizers, X, y, batch_size, 1)", "batch_size", [0, 2.5],
     lambda v: race.race_regression({"gd": optim.gd(0.1)}, X100, Y100, v, 1))
case("race.race_regression(optimizers, X, y, 10, 1)", "y of shape (50, 2)", bad("y"),
     lambda: race.race_regression({"gd": optim.gd(0.1)}, X100, Y100.reshape(50, 2), 10, 1))
each("race.draw_regression_losses(ax, histories)", "histories", [None, {"gd": 1.0}],
     lambda v: race.draw_regression_losses(d2lhelpers.new_axes(pyplot=False), v))
each("schedules.check_update(t)", "update number t", [0, -1, 2.5, "1"], schedules.check_update)
each("schedules.mxnet_values(scheduler, ts)", "scheduler", [None, schedules.Constant(0.1)],
     lambda v: schedules.mxnet_values(v, [1, 2]))
each("sgd_theory.diminishing_step_bound(steps, beta, gamma, ...)", "beta|gamma|steps",
     [(np.arange(5), 0, 1.0), (np.arange(5), 1.0, -1.0), ([-1], 1.0, 1.0)],
     lambda v: sgd_theory.diminishing_step_bound(v[0], v[1], v[2], 1.0, 0.5, 1.0, 1.0))
each("slider.image_html(png, alt)", "png|alt", [("abc", "a"), (b"png", None), (b"png", 5)],
     lambda v: slider.image_html(*v))
each("textbook.decayed(lr, epoch)", "learning rate|epoch",
     [(0, 1), (0.1, 0), (0.1, 2.5), ("0.1", 1)],
     lambda v: textbook.decayed(*v))
each("training.train_epochs(plan, step, recorder)", "plan|step|recorder",
     [(None, lambda lo, hi: None), (training.EpochPlan(10, 5, 1, 0), None)],
     lambda v: training.train_epochs(v[0], v[1],
                                     linreg_history().Recorder(10, 5, None, "r", lambda h: 0.0)))
each("training.linear_measure(X, y, read_params)", "read_params|y", [(Y100, None),
                                                                    (Y100[:5], lambda: 0)],
     lambda v: training.linear_measure(X100, *v))
each("training.as_numpy(w, b)", "w|b", [(np.ones(2), 0.0), (None, None)],
     lambda v: training.as_numpy(*v))
each("training.epoch_data(X, y, rows)", "rows", [np.array([0, 500]), np.array([0.5]), "ab"],
     lambda v: training.epoch_data(X100, Y100, v))
each("training.apply_update(opt, params, states, batch_size)", "batch_size|opt",
     [(optim.sgd(0.1), 0), (optim.sgd(0.1), 2.5), (None, 10)],
     lambda v: training.apply_update(v[0], [mx_param()], [0.0], v[1]))
each("training.gluon_step(objective, trainer, xb, yb)", "objective|trainer",
     [(None, None), ("l2", "sgd")],
     lambda v: training.gluon_step(v[0], v[1], X100, Y100))

BAD_X0 = [[nan, 1.0], [1.0, inf], ["1", "2"], None]
for call, make in [
        ("momentum.nesterov_lookahead(0.1, 0.5, grad, x0, 5)",
         lambda x: momentum.nesterov_lookahead(0.1, 0.5, lambda v: 2 * v, x, 5)),
        ("accelerated.nesterov_convex(grad, x0, 1.0, 5)",
         lambda x: accelerated.nesterov_convex(lambda v: 2 * v, x, 1.0, 5)),
        ("accelerated.nesterov_strongly_convex(grad, x0, 0.5, 1.0, 5)",
         lambda x: accelerated.nesterov_strongly_convex(lambda v: 2 * v, x, 0.5, 1.0, 5)),
        ("saddles.run_until(grad, x0, 0.1, done, 5)",
         lambda x: saddles.run_until(lambda v: 2 * v, x, 0.1, lambda v: False, 5)),
        ("saddles.escape_time(grad, x0, 0.1)",
         lambda x: saddles.escape_time(lambda v: 2 * v, x, 0.1, max_steps=5)),
        ("saddles.perturbed_gd(grad, x0, ...)",
         lambda x: saddles.perturbed_gd(lambda v: 2 * v, x, 0.1, 5, 0.1, 0.1, 2,
                                        np.random.default_rng(0))),
        ("linesearch.backtracking_gd(f, grad, x0, 5)",
         lambda x: linesearch.backtracking_gd(lambda v: v @ v, lambda v: 2 * v, x, 5)),
        ("linesearch.exact_line_search_gd(A, b, x0, 5)",
         lambda x: linesearch.exact_line_search_gd(np.eye(2), np.zeros(2), x, 5)),
        ("quasinewton.bfgs(f, grad, x0, 5)",
         lambda x: quasinewton.bfgs(lambda v: v @ v, lambda v: 2 * v, x, 5)),
        ("quasinewton.lbfgs(f, grad, x0, 5)",
         lambda x: quasinewton.lbfgs(lambda v: v @ v, lambda v: 2 * v, x, 5)),
        ("sgd_theory.walkers(curvatures, x0, schedule, 5)",
         lambda x: sgd_theory.walkers([1.0, 1.0], x, lambda t: 0.1, 5, runs=3)),
        ("optim.one_pass(opt, X, y, x0)",
         lambda x: optim.one_pass(GD, np.ones((3, 2)), np.ones(3), x))]:
    each(call, "x0", BAD_X0 if "one_pass" not in call else BAD_X0[:3], make)


def curves_mod():
    from d2lhelpers import curves
    return curves


def fused_mod():
    from d2lhelpers import fused
    return fused


def linreg_history():
    from d2lhelpers import history
    return history


def loop_mod():
    from d2lhelpers import loop
    return loop


def l2():
    from mxnet import gluon
    return gluon.loss.L2Loss()


def train_step_call(trainer):
    from mxnet import nd
    loop = loop_mod()
    return loop.train_step(loop.linear_net(2), l2(), trainer, nd.array(X100[:10]),
                           nd.array(Y100[:10]).reshape((-1, 1)))



# --- quasi-Newton: a gradient that is not f's, or a line search that climbs -------

QF, QG = (lambda v: v @ v), (lambda v: 2 * v)
for method in ("bfgs", "lbfgs"):
    run_qn = getattr(quasinewton, method)
    case(f"quasinewton.{method}(f, grad, x0)", "grad of the wrong sign (stalled silently)",
         bad("grad"), lambda m=run_qn: m(QF, lambda v: -2 * v, np.ones(2), 20))
    case(f"quasinewton.{method}(f, grad, x0)", "grad of another function", bad("grad"),
         lambda m=run_qn: m(QF, lambda v: np.array([-1.0, -1.0]), np.ones(2), 20))
    for ret in [None, "abc", np.ones(3), [1.0, "2"], np.ones((2, 1))]:
        case(f"quasinewton.{method}(f, grad, x0)", f"grad returns {ret!r}", bad("grad"),
             lambda m=run_qn, r=ret: m(QF, lambda v: r, np.ones(2), 5))
    case(f"quasinewton.{method}(f, grad, x0)", "grad(x0) is nan", bad("grad"),
         lambda m=run_qn: m(QF, lambda v: np.full(2, nan), np.ones(2), 5))
    for ret in ["3.0", None, np.ones(2)]:
        case(f"quasinewton.{method}(f, grad, x0)", f"f returns {ret!r}", bad("f"),
             lambda m=run_qn, r=ret: m(lambda v: r, QG, np.ones(2), 5))
    case(f"quasinewton.{method}(f, grad, x0)", "grad raises the user's error",
         Propagates(Theirs), lambda m=run_qn: m(QF, raise_theirs, np.ones(2), 5))
    case(f"quasinewton.{method}(f, grad, x0)", "f divides by zero",
         Propagates(ZeroDivisionError), lambda m=run_qn: m(zero_division, QG, np.ones(2), 5))
each("quasinewton.bfgs(f, grad, x0, line_search=...)", "line_search",
     [lambda x, g, d: 0.0, lambda x, g, d: -1.0, lambda x, g, d: nan, lambda x, g, d: "1",
      lambda x, g, d: None, lambda x, g, d: 10.0, "exact"],
     lambda v: quasinewton.bfgs(QF, QG, np.ones(2), 5, line_search=v))
case("run_1d(update)", "update returns nan at step 3 (the trace ends at step 2)", Diverges(),
     lambda: d2lhelpers.run_1d(lambda x: x / 2 if x > 3 else nan, verbose=False))


# --- the vector drivers: what the user's gradient returns ---------------------------

X0_2 = np.ones(2)
VECTOR_DRIVERS = [
    ("newton.newton_nd(f, grad, hess, x0)",
     lambda g: newton.newton_nd(lambda v: v @ v, g, lambda v: 2 * np.eye(2), X0_2, steps=5)),
    ("linesearch.backtracking_gd(f, grad, x0, 5)",
     lambda g: linesearch.backtracking_gd(lambda v: v @ v, g, X0_2, 5)),
    ("saddles.run_until(grad, x0, 0.1, done, 5)",
     lambda g: saddles.run_until(g, X0_2, 0.1, lambda v: False, 5)),
    ("saddles.escape_time(grad, x0, 0.1)",
     lambda g: saddles.escape_time(g, X0_2 * 0.1, 0.1, max_steps=5)),
    ("saddles.perturbed_gd(grad, x0, ...)",
     lambda g: saddles.perturbed_gd(g, X0_2, 0.1, 5, 0.1, 0.1, 2, np.random.default_rng(0))),
    ("accelerated.nesterov_convex(grad, x0, 1.0, 5)",
     lambda g: accelerated.nesterov_convex(g, X0_2, 1.0, 5)),
    ("momentum.nesterov_lookahead(0.1, 0.5, grad, x0, 5)",
     lambda g: momentum.nesterov_lookahead(0.1, 0.5, g, X0_2, 5)),
]
for call, make in VECTOR_DRIVERS:
    for ret in [None, "ab", np.ones(3), np.ones((2, 1)), ["1", "2"]]:
        case(call, f"grad returns {ret!r}", bad("grad"), lambda m=make, r=ret: m(lambda v: r))
    case(call, "grad raises the user's error", Propagates(Theirs),
         lambda m=make: m(raise_theirs))
for call, make in VECTOR_DRIVERS[2:]:
    case(call, "grad is not callable", bad("grad"), lambda m=make: m(None))
case("saddles.run_until(grad, x0, 0.1, done, 5)", "done is not callable", bad("done"),
     lambda: saddles.run_until(lambda v: v, X0_2, 0.1, None, 5))
for call, make in [VECTOR_DRIVERS[i] for i in (2, 4, 5, 6)]:
    case(call, "a gradient that overflows to inf", Diverges(),
         lambda m=make: m(lambda v: np.full(2, inf)))
case("linesearch.backtracking_gd(f, grad, x0, 5)", "f returns '3.0'", bad("f"),
     lambda: linesearch.backtracking_gd(lambda v: "3.0", lambda v: 2 * v, X0_2, 5))


# --- Newton's callables: strings were coerced to numbers --------------------------

for ret in ["3.0", None, np.ones(2)]:
    case("newton.newton(1.0, f_grad, f_hess)", f"f_grad returns {ret!r}", bad("f_grad"),
         lambda r=ret: newton.newton(1.0, lambda x: r, lambda x: 2.0, verbose=False))
    case("newton.newton(1.0, f_grad, f_hess)", f"f_hess returns {ret!r}", bad("f_hess"),
         lambda r=ret: newton.newton(1.0, lambda x: 2 * x, lambda x: r, verbose=False))
each("newton.modified_curvature(h)", "f_hess|second derivative", ["2", None, [2.0]],
     newton.modified_curvature)
each("newton.newton_step_nd(x, g, hess)", "gradient g", [("1", "2"), (1.0, 2.0, 3.0), None],
     lambda v: newton.newton_step_nd(np.ones(2), v, 2 * np.eye(2)))
each("newton.newton_step_nd(x, g, hess)", "Hessian", ["H", [["a", "b"], ["c", "d"]]],
     lambda v: newton.newton_step_nd(np.ones(2), np.ones(2), v))
each("newton.newton_step_nd(x, g, hess)", "x", [(nan, 1.0), "ab"],
     lambda v: newton.newton_step_nd(v, np.ones(2), 2 * np.eye(2)))
case("train_2d(newton_trainer(f_hess), f_grad)", "f_grad returns strings", bad("gradient"),
     lambda: d2lhelpers.train_2d(newton.newton_trainer(lambda a, b: 2 * np.eye(2)),
                                 f_grad=lambda a, b: ("1", "2"), verbose=False))


@functools.lru_cache(maxsize=None)
def axes():
    """One shared axes: every row below fails before it draws on it."""
    return d2lhelpers.new_axes(pyplot=False)


# --- the plots: what f returns, titles, limits and levels ---------------------------

for ret in ["1", None, b"1"]:
    case("show_trace(results, f)", f"f returns {ret!r} (was coerced)", bad("f"),
         lambda r=ret: d2lhelpers.show_trace([1.0, 0.5], lambda x: r, ax=axes()))
    case("show_trace_2d(f, results)", f"f returns {ret!r}", bad("f"),
         lambda r=ret: d2lhelpers.show_trace_2d(lambda a, b: r, [(1.0, 1.0)], ax=axes()))
case("show_trace(results, f)", "f returns strings for arrays", bad("f"),
     lambda: d2lhelpers.show_trace([1.0, 0.5], lambda x: np.full(np.shape(x), "a"), ax=axes()))
each("show_trace(results, f, title|label|legend_loc)", "title|label|legend_loc",
     [dict(title=5), dict(title=None), dict(label=3), dict(legend_loc=None)],
     lambda v: d2lhelpers.show_trace([1.0, 0.5], functions.square, ax=axes(), **v))
each("show_trace(results, f, xlim)", "xlim", [(1, 0), "ab", (0,), (nan, 1), ("0", "1")],
     lambda v: d2lhelpers.show_trace([1.0, 0.5], functions.square, ax=axes(), xlim=v))
each("show_trace_2d(f, results, minimum)", "minimum", ["ab", (1, 2, 3), (nan, 0)],
     lambda v: d2lhelpers.show_trace_2d(f2, [(1.0, 1.0)], ax=axes(), minimum=v))
each("show_trace_2d(f, results, title)", "title|label", [dict(title=5), dict(label=[1])],
     lambda v: d2lhelpers.show_trace_2d(f2, [(1.0, 1.0)], ax=axes(), **v))
each("plotting.draw_contours(f, ax, bounds, levels)", "levels",
     [0, -3, 2.5, "15", None, 10 ** 6, [], [3, 2, 1], [nan, 1], list(range(2000))],
     lambda v: plotting.draw_contours(f2, axes(), (-1, 1, -1, 1), levels=v))
case("linesearch.armijo_step(f, x, g)", "f returns '1' (was coerced)", bad("f"),
     lambda: linesearch.armijo_step(lambda x: "1", np.ones(1), 2 * np.ones(1)))
case("race.Problem(...).values(traj)", "f returns strings", bad("f"),
     lambda: race.Problem("p", lambda a, b: "1", grad2, (1.0, 1.0), 5,
                          (-1, 1, -1, 1)).values(np.ones((2, 2))))


# --- sliders, animations, range tests and sampled gradients: options ----------------

each("precomputed_slider(draw, grid, figsize=...)", "figsize",
     [(0, 3), "ab", (7,), (nan, 3), (1000, 1000)],
     lambda v: make_slider({"eta": [0.1]}, figsize=v))
each("precomputed_slider(draw, grid, caption=...)", "caption", [5, b"c", ["c"]],
     lambda v: make_slider({"eta": [0.1]}, caption=v))
each("plotting.figure_png(fig, dpi)", "dpi", [10 ** 5, 1201],
     lambda v: plotting.figure_png(axes().figure, dpi=v))
each("race.race_animation(..., interval=...)", "interval", [0, -1, 2.5, "400", None],
     lambda v: race.race_animation(ROT, TRAJS, [0, 5], alt=lambda k: "r", interval=v))
each("race.race_animation(..., figsize=...)", "figsize", [(0, 4), "big", (1000, 4)],
     lambda v: race.race_animation(ROT, TRAJS, [0, 5], alt=lambda k: "r", figsize=v))
each("race.race_animation(..., labels=...)", "labels", [5, "gd", {"gd": 5}],
     lambda v: race.race_animation(ROT, TRAJS, [0, 5], alt=lambda k: "r", labels=v))
case("race.race_animation(problem, trajs, frames)", "a frame past the last step", bad("frames"),
     lambda: race.race_animation(ROT, TRAJS, [0, 500], alt=lambda k: "r"))
each("race.draw_race(ax, problem, trajs, title|legend)", "title|legend",
     [dict(title=5), dict(legend="x"), dict(legend=None)],
     lambda v: race.draw_race(axes(), ROT, TRAJS, **v))
each("race.draw_losses(ax, problem, trajs, title|legend)", "title|legend",
     [dict(title=5), dict(legend="x")],
     lambda v: race.draw_losses(axes(), ROT, TRAJS, **v))
each("race.run_race(optimizers, problem)", "optimizers", [[GD], GD, "gd", None],
     lambda v: race.run_race(v, ROT))
RT = lrfinder.range_test(lambda e: 1.0 if e is None else 1.0 + e,
                         lrfinder.geometric_rates(1e-3, 1.0, 5))
each("lrfinder.plot_range_test(result, title|mark)", "title|mark",
     [dict(title=5), dict(mark=0.1), dict(mark=(0.1,)), dict(mark=(-1, "x")),
      dict(mark=(0.1, 5))],
     lambda v: lrfinder.plot_range_test(RT, ax=axes(), **v))
W2D = np.zeros(2)
each("gradients.sample_grads(X, y, w, b)", "w|b|X|y",
     [("ab", 0.0), (np.zeros(3), 0.0), (W2D, nan), (W2D, "0"), (np.full(2, nan), 0.0)],
     lambda v: gradients.sample_grads(X100, Y100, *v))
case("gradients.sample_grads(X, y, w, b)", "y of 99 values", bad("y"),
     lambda: gradients.sample_grads(X100, Y100[:99], W2D, 0.0))
each("gradients.minibatch_grads(X, y, w, b, 10, draws)", "draws", [10 ** 9],
     lambda v: gradients.minibatch_grads(X100, Y100, W2D, 0.0, 10, v))
each("gradients.minibatch_grads(..., seed=...)", "seed", [-1, "0", 2.5],
     lambda v: gradients.minibatch_grads(X100, Y100, W2D, 0.0, 10, 5, seed=v))
each("gradients.minibatch_grads(..., replace=...)", "replace", ["no", 1, None],
     lambda v: gradients.minibatch_grads(X100, Y100, W2D, 0.0, 10, 5, replace=v))
each("gradients.time_gradient(X, y, batch_sizes, repeats)", "batch_sizes|repeats",
     [("ab", 5), ([], 5), ([10], 10 ** 9)],
     lambda v: gradients.time_gradient(X100, Y100, *v))
each("gradients.accumulated_gradient(X, y, w, b, 10)", "w|b",
     [(np.zeros(3), 0.0), (W2D, nan), ("ab", 0.0)],
     lambda v: gradients.accumulated_gradient(X100, Y100, *v, 10))


# --- curves, compat and the rest: options that were coerced or ignored ------------

@functools.lru_cache(maxsize=None)
def scratch_history():
    return linreg.train_scratch(optim.gd(0.1), X100, Y100, 10, 1)


each_slow("curves.plot_history(history, title|label)", "title|label",
          [dict(title=5), dict(label=["a"])],
          lambda v: curves_mod().plot_history(scratch_history(), ax=axes(), **v))
each_slow("curves.plot_learning_curves(log, title|label|batches)", "title|label|batches",
          [dict(title=5), dict(label=None), dict(batches="yes")],
          lambda v: curves_mod().plot_learning_curves(scratch_history(), ax=axes(), **v))
each_slow("linreg.train_scratch(opt, X, y, 10, 1, label=...)", "label", [5, ["a"]],
          lambda v: linreg.train_scratch(optim.gd(0.1), X100, Y100, 10, 1, label=v))
each("lstsq_sgd.run_grid(X, y, 10, lrs, seeds, epochs)", "epochs", [10 ** 9],
     lambda v: lstsq_sgd.run_grid(X100, Y100, 10, [0.1], [0], epochs=v))
each("lstsq_sgd.mean_square_limit(X, 10, tol)", "tol", [0, -1, nan, "1e-4"],
     lambda v: lstsq_sgd.mean_square_limit(X100, 10, tol=v))
each("noisy.noisy_sgd(eta, seed=...)", "seed", [-1, "0", 2.5],
     lambda v: noisy.noisy_sgd(0.1, seed=v))
each("noisy.noisy_descent(grad, x0, eta, steps, noise, seed=...)", "seed", [-1, "a"],
     lambda v: noisy.noisy_descent(sq_grad, 1.0, 0.1, 5, 0.1, seed=v))
each("compat.plot(X, Y, legend|xlim|ylim|fmts)", "legend|xlim|ylim|fmts",
     [dict(legend=5), dict(legend=[5]), dict(legend="ab"), dict(xlim="ab"), dict(ylim=(0, "1")),
      dict(xlim=(nan, 1)), dict(fmts=5), dict(fmts=[5])],
     lambda v: compat.plot([1, 2], [[1, 2]], axes=axes(), **v))


# --- optimizers' own steps, data sizes and theory helpers ----------------------------

for ret, what in [(None, "None"), (("a", 0), "a str iterate"), ((np.ones(3), 0), "3 coordinates"),
                  (1.0, "a bare number")]:
    case("optim.run(opt, grad, x0, 5)", f"opt.step returns {what}", bad("step"),
         lambda r=ret: optim.run(optim.Optimizer("mine", init=lambda x: 0, step=lambda x, g, s: r),
                                 sq_grad, [1.0, 2.0], 5))
case("train_2d(as_trainer(opt), f_grad)", "f_grad returns None", bad("f_grad"),
     lambda: d2lhelpers.train_2d(optim.as_trainer(GD), f_grad=lambda a, b: None, verbose=False))
case("train_2d(as_trainer(opt), f_grad)", "f_grad returns three values", bad("f_grad"),
     lambda: d2lhelpers.train_2d(optim.as_trainer(GD), f_grad=lambda a, b: (a, b, 1.0),
                                 verbose=False))
each("momentum.measured_rate(points, 5, 30)", "points", ["ab", None, [[nan, 1.0]] * 40],
     lambda v: momentum.measured_rate(v, 5, 30, window=2))
each("momentum.best_eta(0.5, lams)", "lam", [[], ["a"]], lambda v: momentum.best_eta(0.5, v))
each("sgd_theory.walkers(..., seed=...)", "seed", [-1, "0"],
     lambda v: sgd_theory.walkers([1.0], [1.0], lambda t: 0.1, 5, runs=2, seed=v))
each("sgd_theory.stationary_mean_f(curvatures, 0.1, noise)", "curvatures|noise",
     [(["a"], 1.0), (None, 1.0), ([1.0], -1.0), ([1.0], "1")],
     lambda v: sgd_theory.stationary_mean_f(v[0], 0.1, v[1]))
each("sgd_theory.averaged_mean_f(curvatures, 10, noise)", "curvatures|noise",
     [(["a"], 1.0), ([1.0], -1.0)],
     lambda v: sgd_theory.averaged_mean_f(v[0], 10, v[1]))
each("data.synthetic_regression(n)", "n", [10 ** 10], data.synthetic_regression)
each("data.minibatch_indices(n, batch_size)", "n", [10 ** 12],
     lambda v: list(data.minibatch_indices(v, 10, seed=0)))
each("data.with_replacement(n, batch_size, steps)", "steps", [10 ** 9],
     lambda v: data.with_replacement(10, 2, v, seed=0))


# --- the Gluon loop's options and MXNet's optimizer settings -------------------------

each_slow("loop.fit(..., progress|record=...)", "progress|record",
          [dict(progress="x"), dict(record=5)], lambda v: fit_call(Y100, **v))
each_slow("loop.fit(..., stop_on_divergence|track_loss=...)", "stop_on_divergence|track_loss",
          [dict(stop_on_divergence="no"), dict(track_loss=None), dict(track_loss=1)],
          lambda v: fit_call(Y100, **v))
case("loop.fit(net, loss, trainer, train, valid)", "train is X alone", bad("train"),
     lambda: loop_mod().fit(loop_mod().linear_net(2), l2(), None, X100, (X100, Y100),
                            batch_size=10, epochs=1))
each("loop.make_trainer(net, schedule, optimizer)", "optimizer",
     ["nope", None, 5], lambda v: loop_mod().make_trainer(None, schedules.Constant(0.1), v))
each("loop.make_trainer(net, schedule, 'sgd', **hyper)", "momentum|wd",
     [dict(momentum="0.9"), dict(momentum=1.5), dict(wd=-1.0)],
     lambda v: loop_mod().make_trainer(None, schedules.Constant(0.1), "sgd", **v))
each("linreg.train_gluon(optimizer, hyper, X, y, 10, 1)", "optimizer|momentum|learning rate",
     [("nope", {"learning_rate": 0.1}), ("sgd", {"learning_rate": 0.1, "momentum": "a"}),
      ("sgd", {"learning_rate": "0.1"})],
     lambda v: linreg.train_gluon(v[0], v[1], X100, Y100, 10, 1))
each("lrfinder.range_test(step, etas)", "etas", [np.geomspace(1e-3, 1, 10 ** 7), ["a", "b"]],
     lambda v: lrfinder.range_test(lambda e: 1.0, v))
each("checks.check_mxnet_optimizer(name, hyper)", "name|momentum",
     [("nope", {}), ("sgd", {"momentum": "a"})],
     lambda v: checks.check_mxnet_optimizer(*v))


# --- the modules that landed after the first table: the network chapter's
# (digits, mlp, ratesweep, decoupled, sharpness), the tuned race's (race,
# tuning), the adaptive explorer and the counterexample -----------------------

each("checks.check_bool(name, value)", "flag", [1, 0, "yes", None, 1.0],
     lambda v: checks.check_bool("flag", v))
each("checks.check_text(name, value)", "label", [5, None, b"x", ["a"]],
     lambda v: checks.check_text("label", v))
each("checks.check_density(density)", "density", [0, 0.5, -1, nan, True, "2", None, [2]],
     lambda v: checks.check_density(v))
each("checks.check_sequence(name, value)", "items",
     ["abc", b"ab", 5, None, {"a": 1}, [], np.ones((2, 2)), np.float64(1.0)],
     lambda v: checks.check_sequence("items", v))
each("checks.check_figsize(figsize)", "figsize",
     [(0, 3), (-1, 3), "ab", (7,), (7, 3, 1), (nan, 3), (7, inf), ("7", "3"), (100, 3), None],
     checks.check_figsize)

each("counterexample.gradient(t, 3.0)", "t", [0, -1, 2.5, "1", None, True],
     lambda v: counterexample.gradient(v, 3.0))
each("counterexample.gradient(1, C)", "C", [2.0, 1, nan, inf, "3", None, True],
     lambda v: counterexample.gradient(1, v))
each("counterexample.online_adam(C)", "C", [2.0, -3.0, nan, inf, "3", None],
     lambda v: counterexample.online_adam(v, steps=10))
each("counterexample.online_adam(3.0, steps)", "steps", [0, -1, 2.5, "10", None, 10 ** 9],
     lambda v: counterexample.online_adam(3.0, v))
each("counterexample.online_adam(3.0, 10, eta=...)", "eta", BAD_POSITIVE,
     lambda v: counterexample.online_adam(3.0, 10, eta=v))
each("counterexample.online_adam(3.0, 10, beta2=...)", "beta2",
     [v for v in BAD_UNIT if v is not None],                  # None: the paper's choice
     lambda v: counterexample.online_adam(3.0, 10, beta2=v))
each("counterexample.online_adam(3.0, 10, amsgrad=...)", "amsgrad", ["yes", 1, None],
     lambda v: counterexample.online_adam(3.0, 10, amsgrad=v))

ADAMW_KW = dict(lr=0.1, decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8)


def adamw_update_call(w=1.0, g=0.5, m=0.0, s=0.0, t=1, **kw):
    args = dict(ADAMW_KW)
    args.update(kw)
    return decoupled.adamw_update(w, g, m, s, t, **args)


each("decoupled.adamw_update(w, g, m, s, t, ...)", "t", [0, -1, 2.5, "1", None, True],
     lambda v: adamw_update_call(t=v))
for key, values in [("lr", [-0.1, nan, inf, "0.1", None]), ("decay", [-0.01, nan, "0", None]),
                    ("beta1", BAD_UNIT), ("beta2", BAD_UNIT),
                    ("eps", [0, -1e-8, nan, "1e-8", None])]:
    each(f"decoupled.adamw_update(w, g, m, s, 1, {key}=...)", key, values,
         lambda v, key=key: adamw_update_call(**{key: v}))
each("decoupled.adamw_update(w, g, m, s, 1, ...)", "w|g|m|s",
     [dict(w=np.ones((2, 1)), g=np.ones(2), m=np.zeros(2), s=np.zeros(2)),
      dict(w=np.ones(2), g=np.ones(3), m=np.zeros(2), s=np.zeros(2)),
      dict(w=np.ones(2), g=np.ones(2), m=np.zeros(3), s=np.zeros(2)),
      dict(w=np.ones(2), g=0.5, m=0.0, s=0.0),
      dict(w="1.0"), dict(g=None), dict(s="0")],
     lambda v: adamw_update_call(**v))
for key, values in [("eta", BAD_POSITIVE), ("beta1", BAD_UNIT), ("beta2", BAD_UNIT),
                    ("eps", [0, -1, nan, "1e-8"]), ("wd", [-0.1, nan, inf, "0.1", None])]:
    each(f"decoupled.adamw({key}=...)", key if key != "eta" else "eta", values,
         lambda v, key=key: decoupled.adamw(**{"eta": 0.1, key: v}))
    mx_key = "learning_rate" if key == "eta" else key
    each(f"decoupled.mxnet_adamw({mx_key}=...)", "eta" if key == "eta" else key, values,
         lambda v, k=mx_key: decoupled.mxnet_adamw(**{k: v}))
each("decoupled.mxnet_adamw(lr_scheduler=...)", "lr_scheduler",
     ["cosine", 0.1, schedules.Cosine(0.1, 100)],
     lambda v: decoupled.mxnet_adamw(lr_scheduler=v))

# digits: the checks come before the data are read, so these rows stay fast
each("digits.load(n_valid=...)", "n_valid", [0, -1, 2.5, "360", None],
     lambda v: digits.load(n_valid=v))
each("digits.load(n_test=...)", "n_test", [0, -1, 2.5, "360", None],
     lambda v: digits.load(n_test=v))
each_slow("digits.load(n_valid, n_test)", "n_valid \\+ n_test", [(1500, 360), (360, 1437)],
          lambda v: digits.load(n_valid=v[0], n_test=v[1]))
each("digits.load(seed=...)", "seed", [-1, 2.5, "0", None], lambda v: digits.load(seed=v))
SPLIT = (np.ones((6, 4), dtype=np.float32), np.arange(6, dtype=np.float32))
each("digits.subset(split, 2)", "split",
     [None, "ab", (np.ones(3),), (np.ones((5, 2)), np.ones(4)), 5, (np.ones(3), np.ones(3))],
     lambda v: digits.subset(v, 2))
each("digits.subset(split, n)", "n", [0, -1, 2.5, "2", None, 7],
     lambda v: digits.subset(SPLIT, v))
each("digits.subset(split, 2, seed=...)", "seed", [-1, "0", 2.5],
     lambda v: digits.subset(SPLIT, 2, seed=v))

AE = explorer.adaptive_explorer
each("adaptive_explorer(method)", "method", ["sgd", None, 5, ["adam"], "Adam"],
     lambda v: AE(v))
each("adaptive_explorer(problem=...)", "problem", ["rosenbrock", None, 5, ["quadratic"]],
     lambda v: AE(problem=v))
each("adaptive_explorer(steps=...)", "steps", [0, -1, 2.5, "50", None, True, 2001, 10 ** 9],
     lambda v: AE(steps=v))
each("adaptive_explorer(eta=...)", "eta", [0, -1, nan, inf, "0.4", True, 100.0, 1e-3],
     lambda v: AE(eta=v))
each("adaptive_explorer('adam', beta1=...)", "beta1", [-0.1, 1.0, nan, "0.9", 0.995],
     lambda v: AE("adam", beta1=v))
each("adaptive_explorer('adam', beta2=...)", "beta2", [0.1, 1.0, -0.5, nan, "0.9", 0.99999],
     lambda v: AE("adam", beta2=v))
case("adaptive_explorer('adagrad', beta1=0.9)", "a decay adagrad does not use", bad("beta1"),
     lambda: AE("adagrad", beta1=0.9))
case("adaptive_explorer('rmsprop', beta1=0.9)", "a decay rmsprop does not use", bad("beta1"),
     lambda: AE("rmsprop", beta1=0.9))
each("adaptive_explorer(x0=...)", "x0", [v for v in BAD_POINT_2D if v is not None],
     lambda v: AE(x0=v))                                      # None: the problem's start
each("adaptive_explorer(caption=...)", "caption", [5, None, b"text", ["a"]],
     lambda v: AE(caption=v))

# mlp: sizes, seeds, losses, banks
BAD_SIZES = [None, 5, "abc", [64], [], [64, 0, 10], [64, 2.5, 10], [64, -1, 10], [64, True, 10],
             [64, "32", 10], [64, 10 ** 6, 10 ** 6, 10]]
each("mlp.check_sizes(sizes)", "sizes", BAD_SIZES, mlp.check_sizes)
each("mlp.initial_weights(sizes, 0)", "sizes", BAD_SIZES[:4], lambda v: mlp.initial_weights(v, 0))
each("mlp.initial_weights((4, 3, 2), seed)", "seed", [-1, 2.5, "0", None],
     lambda v: mlp.initial_weights((4, 3, 2), v))
each("mlp.layout(sizes)", "sizes", BAD_SIZES[:4] + [[4, 0, 2]], mlp.layout)
each("mlp.flatten(layers)", "layers",
     [None, [], "ab", 5, [(np.ones((2, 2)),)], [(np.ones((2, 2)), "b")], [("W", np.ones(2))],
      [(np.ones((2, 3)), np.ones(2))]],
     mlp.flatten)
each("mlp.mlp(sizes)", "sizes", BAD_SIZES[:4] + [[4, 0, 2]], mlp.mlp)
each("mlp.mlp((4, 3, 2), seed=...)", "seed", [-1, "0", 2.5],
     lambda v: mlp.mlp((4, 3, 2), seed=v))
each("mlp.mlp((4, 3, 2), hybridize=...)", "hybridize", ["yes", None, 1],
     lambda v: mlp.mlp((4, 3, 2), hybridize=v))


def nd_array(value):
    from mxnet import nd
    return nd.array(value)


def scores_in(shape=(5, 3)):
    return nd_array(np.zeros(shape))


for loss_name in ("cross_entropy", "square_loss"):
    loss = getattr(mlp, loss_name)
    each(f"mlp.{loss_name}(out, label)", "out",
         [np.zeros((5, 3)), None, "scores", [[0.0, 1.0]]],
         lambda v, loss=loss: loss(v, nd_array(np.zeros(5))))
    each(f"mlp.{loss_name}(out, label)", "label",
         [np.zeros(5), None, [0, 1, 2, 0, 1]],
         lambda v, loss=loss: loss(scores_in(), v))
    each(f"mlp.{loss_name}(out, label)", "label",
         [np.zeros(4), np.zeros(6), np.zeros((5, 2)), np.zeros((2, 5, 1, 1)),
          np.array([0, 1, 3, 0, 1]), np.array([0, 1, -1, 0, 1]),
          np.array([0, 1, 2.5, 0, 1]), np.array([0, 1, nan, 0, 1])],
         lambda v, loss=loss: loss(scores_in(), nd_array(v)))

each("mlp.bank(sizes, seeds)", "sizes", BAD_SIZES[:4] + [[4, 0, 2]],
     lambda v: mlp.bank(v, [0]))
each("mlp.bank((4, 3, 2), seeds)", "seed", [[], None, 5, [-1], [2.5], ["a"], "ab"],
     lambda v: mlp.bank((4, 3, 2), v))
each("mlp.bank((4, 3, 2), [0], groups)", "groups", [0, -1, 2.5, "2", None],
     lambda v: mlp.bank((4, 3, 2), [0], v))
case("mlp.bank((64, 1000, 10), range(10_000))", "ten million parameters per network times "
     "10,000 networks", bad("parameters"),
     lambda: mlp.bank((64, 1000, 1000, 10), range(10_000)))
each("mlp.bank((4, 3, 2), [0], hybridize=...)", "hybridize", ["yes", None],
     lambda v: mlp.bank((4, 3, 2), [0], hybridize=v))


@functools.lru_cache(maxsize=None)
def small_bank(dtype="float32"):
    net = mlp.bank((4, 3, 2), [0, 1], 2, hybridize=dtype == "float32")
    if dtype == "float64":
        net.cast("float64")
        net.hybridize()
    return net


X6 = np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4)
Y6 = np.array([0, 1, 0, 1, 1, 0], dtype=np.float32)
each_slow("mlp.scores(net, X, y)", "net", [None, "net"], lambda v: mlp.scores(v, X6, Y6))
each_slow("mlp.scores(net, X, y)", "X|y",
          [(X6[:, :3], Y6), (X6, Y6[:5]), (X6, np.full(6, 2.0)), (X6.reshape(-1), Y6),
           ("abc", Y6), (X6, None), (np.full_like(X6, nan), Y6)],
          lambda v: mlp.scores(small_bank(), *v))

# race: several starts, the tuning scores, the pictures
each("race.starts(key)", "key", ["ros", None, 5, "Rosenbrock"], race.starts)
each("race.starts('quadratic', tuning)", "tuning", [0, -1, 2.5, "4", None, 10 ** 9],
     lambda v: race.starts("quadratic", v))
each("race.starts('quadratic', 4, held_out)", "held_out", [-1, 2.5, "8", None, 10 ** 9],
     lambda v: race.starts("quadratic", 4, v))
each("race.starts('quadratic', seed=...)", "seed", [-1, "0", 2.5, None],
     lambda v: race.starts("quadratic", seed=v))
QUAD = race.PROBLEMS["quadratic"]
PTS = [(-5.0, -2.0), (1.0, 1.0)]
each("race.run_starts(opt, problem, points)", "opt", [None, "gd", 0.1],
     lambda v: race.run_starts(v, QUAD, PTS))
each("race.run_starts(opt, problem, points)", "problem", [None, "quadratic"],
     lambda v: race.run_starts(GD, v, PTS))
each("race.run_starts(opt, problem, points)", "points",
     [[], None, [(1, 2, 3)], [(nan, 1.0)], [(1.0, inf)], [("a", "b")], (1.0, 2.0), "ab",
      [(1.0, 2.0), (1.0,)], np.ones((200_001, 2))],
     lambda v: race.run_starts(GD, QUAD, v))
each("race.run_starts(opt, problem, points, steps)", "steps", [-1, 2.5, "10", 10 ** 9],
     lambda v: race.run_starts(GD, QUAD, PTS, v))
case("race.run_starts(opt, problem, 1,000 points, 100,000 steps)", "10^8 updates",
     bad("steps"), lambda: race.run_starts(GD, QUAD, [(1.0, 1.0)] * 1000, 1_000_000))


def problem_with(grad):
    return race.Problem("p", QUAD.f, grad, x0=(1.0, 1.0), steps=5, bounds=(-1, 1, -1, 1),
                        f_min=0.0)


for ret, what in [(None, "None"), ((1.0,), "one coordinate"), ((1.0, 2.0, 3.0), "three"),
                  (("1", "2"), "strings"), (np.ones((3, 2)), "shape (3, 2)")]:
    case("race.run_starts(opt, problem, points)", f"problem.grad returns {what}", bad("grad"),
         lambda r=ret: race.run_starts(GD, problem_with(lambda a, b: r), PTS))
case("race.run_starts(opt, problem, points)", "problem.grad raises the user's error",
     Propagates(Theirs), lambda: race.run_starts(GD, problem_with(raise_theirs), PTS))
PATHS = race.run_starts(GD, QUAD, PTS, 5)
BAD_PATHS = [None, "abc", [], np.ones((5, 3, 2)), np.ones((5, 2)), np.ones(5),
             np.ones((0, 2, 2)), [[["a", "b"]]]]
each("race.start_scores(problem, paths)", "paths", BAD_PATHS,
     lambda v: race.start_scores(QUAD, v))
each("race.start_scores(problem, paths)", "problem", [None, "quadratic"],
     lambda v: race.start_scores(v, PATHS))
each("race.start_scores(problem, paths, tol)", "tol", [0, -1, nan, inf, "1e-10", None],
     lambda v: race.start_scores(QUAD, PATHS, v))
each("race.tuning_score(problem, paths)", "paths", BAD_PATHS[:5],
     lambda v: race.tuning_score(QUAD, v))
each("race.tuning_score(problem, paths, tol)", "tol", [0, -1, nan, "1e-10"],
     lambda v: race.tuning_score(QUAD, PATHS, v))
each("race.tuning_score(problem, paths)", "problem", [None, 5],
     lambda v: race.tuning_score(v, PATHS))
each("race.make(name, 0.1)", "name", ["sgd2", None, 5, "Adam"], lambda v: race.make(v, 0.1))
each("race.make('gd', value)", "eta", [0, -1, nan, "0.1", None], lambda v: race.make("gd", v))
each("race.make('adadelta', value)", "eps", [0, -1, nan, "1e-6", None],
     lambda v: race.make("adadelta", v))
each("race.tune_on_starts(name, problem, points)", "name", ["sgd2", None],
     lambda v: race.tune_on_starts(v, QUAD, PTS))
each("race.tune_on_starts('gd', problem, points)", "problem", [None, "quadratic"],
     lambda v: race.tune_on_starts("gd", v, PTS))
each("race.tune_on_starts('gd', problem, points)", "points", [[], None, [(nan, 1.0)], "ab"],
     lambda v: race.tune_on_starts("gd", QUAD, v))
each("race.tune_on_starts('gd', problem, points, grid)", "grid",
     [[], [0.0], [-0.1], ["a"], "abc", [nan], 0.1],
     lambda v: race.tune_on_starts("gd", QUAD, PTS, v))
FOUND = tuning.search(lambda v: (v - 0.25) ** 2, [0.125, 0.25, 0.5])
each("race.format_row(name, found, values)", "found", [None, "found", 0.25],
     lambda v: race.format_row("gd", v, [1.0, 2.0]))
each("race.format_row(name, found, values)", "values",
     [[], None, "abc", [[1.0, 2.0]], ["a", "b"]],
     lambda v: race.format_row("gd", FOUND, v))
each("race.format_row(name, found, values)", "name", [None, 5, ["gd"]],
     lambda v: race.format_row(v, FOUND, [1.0, 2.0]))


each("race.draw_spread(ax, spread)", "spread",
     [None, "abc", {}, {"gd": "abc"}, {"gd": [[1.0, 2.0]]}, {"gd": []}, {"gd": None},
      [("gd", [1.0])], {5: [1.0]}],
     lambda v: race.draw_spread(axes(), v))
each("race.draw_spread(ax, spread, floor=...)", "floor", [0, -1, nan, "1e-10"],
     lambda v: race.draw_spread(axes(), {"gd": [1.0, 2.0]}, floor=v))
case("race.draw_spread(ax, spread, log=True)", "a score <= 0 on a log axis", bad("spread|floor"),
     lambda: race.draw_spread(axes(), {"gd": [1.0, -2.0]}))
each("race.draw_spread(ax, spread, log=...)", "log", ["yes", None, 1],
     lambda v: race.draw_spread(axes(), {"gd": [1.0, 2.0]}, log=v))
each("race.draw_spread(ax, spread, xlabel|title|inf_label=...)", "xlabel|title|inf_label",
     [dict(xlabel=5), dict(title=None), dict(inf_label=["x"])],
     lambda v: race.draw_spread(axes(), {"gd": [1.0, 2.0]}, **v))
each("race.draw_spread(ax, ...)", "ax", ["ax", 5], lambda v: race.draw_spread(v, {"gd": [1.0]}))
CURVES = {"gd": np.ones((4, 3))}
each("race.draw_median_curves(ax, curves, every, 10)", "every",
     [0, -1, 2.5, "1", None], lambda v: race.draw_median_curves(axes(), CURVES, v, 10))
each("race.draw_median_curves(ax, curves, 5, batch_size)", "batch_size", [0, -1, 2.5, "10"],
     lambda v: race.draw_median_curves(axes(), CURVES, 5, v))
each("race.draw_median_curves(ax, curves, 5, 10)", "curves",
     [None, "abc", {}, {"gd": "abc"}, {"gd": np.ones(3)}, {"gd": np.ones((0, 3))},
      {"gd": -np.ones((4, 3))}, {"gd": np.full((4, 3), nan)}],
     lambda v: race.draw_median_curves(axes(), v, 5, 10))
each("race.draw_median_curves(ax, curves, 5, 10, floor)", "floor", [0, -1, nan, "0.1"],
     lambda v: race.draw_median_curves(axes(), CURVES, 5, 10, floor=v))
each("race.draw_median_curves(..., title=...)", "title", [5, None],
     lambda v: race.draw_median_curves(axes(), CURVES, 5, 10, title=v))
each("race.two_panels(title)", "title", [None, 5, ["t"]], race.two_panels)
each("race.two_panels(title, figsize)", "figsize",
     [(0, 3), (-1, 3), "big", (7,), (nan, 3), (7, "3"), None, (1000, 1000)],
     lambda v: race.two_panels("t", v))


@functools.lru_cache(maxsize=None)
def figure_with_lines():
    ax = d2lhelpers.new_axes(pyplot=False)
    ax.plot([0, 1], [0, 1], label="gd")
    return ax.figure, ax


each("race.shared_legend(fig, ax, names)", "fig", [None, "fig", 5],
     lambda v: race.shared_legend(v, figure_with_lines()[1], ["gd"]))
each("race.shared_legend(fig, ax, names)", "ax", [None, "ax"],
     lambda v: race.shared_legend(figure_with_lines()[0], v, ["gd"]))
each("race.shared_legend(fig, ax, names)", "names", [None, "gd", 5, [], ["adam"]],
     lambda v: race.shared_legend(*figure_with_lines(), v))
each("race.shared_legend(fig, ax, names, labels)", "labels", ["abc", 5, ["gd"], {"gd": 5}],
     lambda v: race.shared_legend(*figure_with_lines(), ["gd"], v))

# ratesweep: the optimizer, the record of a sweep and the sweep itself
each("ratesweep.make_optimizer(name)", "name", ["nope", None, 5, ["sgd"]],
     ratesweep.make_optimizer)
each("ratesweep.make_optimizer('sgd', schedule)", "schedule", ["cosine", 0.1, {"eta": 1}],
     lambda v: ratesweep.make_optimizer("sgd", v))
each("ratesweep.make_optimizer('sgd', **hyper)", "bogus|momentum|wd|learning_rate|lr_scheduler",
     [{"bogus": 1}, {"momentum": "0.9"}, {"momentum": nan}, {"wd": -1.0}, {"learning_rate": 2.0},
      {"lr_scheduler": None}],
     lambda v: ratesweep.make_optimizer("sgd", **v))
each("ratesweep.make_optimizer('adamw', **hyper)", "hyper|bogus|beta1|wd",
     [{"bogus": 1}, {"beta1": 1.5}, {"wd": nan}],
     lambda v: ratesweep.make_optimizer("adamw", **v))


def small_sweep():
    rates, seeds = (0.1, 0.2, 0.4), (0, 1)
    acc, loss = np.full((2, 3, 2), 0.5), np.full((2, 3, 2), 1.0)
    curves = {(s, m): (acc if m == "acc" else loss) for s in ratesweep.SPLITS
              for m in ratesweep.METRICS}
    return ratesweep.Sweep("gd", rates, seeds, curves=curves)


each("ratesweep.Sweep(...).best(by)", "by", ["nope", 5, None, "weights"],
     lambda v: small_sweep().best(v))
each("ratesweep.Sweep(...).final(split, metric)", "split|metric",
     [("nope", "acc"), ("valid", "accuracy"), (None, None)],
     lambda v: small_sweep().final(*v))
each("ratesweep.Sweep(...).best_is_interior(by)", "by", ["nope"],
     lambda v: small_sweep().best_is_interior(v))


def tiny_digits():
    part = (X6, Y6)
    return digits.Digits(part, part, part, np.zeros(4), np.ones(4))


SWEEP_KW = dict(sizes=(4, 3, 2), batch_size=3, epochs=1)


def sweep_call(*args, **kw):
    base = dict(SWEEP_KW)
    base.update(kw)
    args = args + (tiny_digits(), "sgd", [0.1], [0])[len(args):]
    return ratesweep.sweep(*args, **base)


each("ratesweep.sweep(data, 'sgd', rates, seeds, ...)", "data", [None, "digits", (X6, Y6)],
     lambda v: sweep_call(v))
each("ratesweep.sweep(data, optimizer, ...)", "optimizer", ["nope", None, 5],
     lambda v: sweep_call(tiny_digits(), v))
each("ratesweep.sweep(data, 'sgd', rates, ...)", "rate|eta",
     [[], [0], [-0.1], ["a"], 0.1, None, [nan], "0.1"],
     lambda v: sweep_call(tiny_digits(), "sgd", v))
each("ratesweep.sweep(data, 'sgd', [0.1], seeds)", "seed", [[], ["a"], [-1], [2.5], 5, None],
     lambda v: sweep_call(tiny_digits(), "sgd", [0.1], v))
each("ratesweep.sweep(..., batch_size=...)", "batch_size", [0, -1, 2.5, "3", None],
     lambda v: sweep_call(batch_size=v))
each("ratesweep.sweep(..., epochs=...)", "epochs", [0, -1, 1.5, "1", None, 10 ** 9],
     lambda v: sweep_call(epochs=v))
each("ratesweep.sweep(..., sizes=...)", "sizes", BAD_SIZES[:4] + [(5, 3, 2), (4, 3, 1)],
     lambda v: sweep_call(sizes=v))
each("ratesweep.sweep(..., decays=...)", "decay", [[-1.0], [nan], ["a"], 0.1, []],
     lambda v: sweep_call(decays=v))
case("ratesweep.sweep(..., rates=[0.1, 0.2], decays=[0, 1e-4, 1e-3])", "2 rates, 3 decays",
     bad("rates"), lambda: sweep_call(tiny_digits(), "sgd", [0.1, 0.2], decays=[0, 1e-4, 1e-3]))
case("ratesweep.sweep(..., decays=[0], wd=1e-4)", "decay given twice", bad("wd"),
     lambda: sweep_call(decays=[0.0], wd=1e-4))
each("ratesweep.sweep(..., train=...)", "train",
     ["abc", (X6, Y6[:5]), (X6[:, :3], Y6), (X6, Y6.reshape(3, 2)), (X6,)],
     lambda v: sweep_call(train=v))
each("ratesweep.sweep(..., schedule=...)", "schedule", ["cosine", 0.1],
     lambda v: sweep_call(schedule=v))
each("ratesweep.sweep(..., label=...)", "label", [5, ["a"]], lambda v: sweep_call(label=v))
each("ratesweep.sweep(..., bogus=...)", "bogus", [1], lambda v: sweep_call(bogus=v))

# sharpness: Hessian-vector products and power iteration
W2, V2 = np.array([1.0, 2.0]), np.array([1.0, 0.0])


def quad_grad(w):
    return np.asarray(w) * np.array([3.0, 1.0])


each("sharpness.hvp(grad, w, v)", "grad", [None, "g", 3.0],
     lambda v: sharpness.hvp(v, W2, V2))
for ret, what in [(None, "None"), ("abc", "a string"), (np.ones(3), "shape (3,)"),
                  (1.0, "a number"), (np.ones((2, 2)), "shape (2, 2)")]:
    case("sharpness.hvp(grad, w, v)", f"grad returns {what}", bad("grad"),
         lambda r=ret: sharpness.hvp(lambda w: r, W2, V2))
case("sharpness.hvp(grad, w, v)", "grad raises the user's error", Propagates(Theirs),
     lambda: sharpness.hvp(raise_theirs, W2, V2))
each("sharpness.hvp(grad, w, v)", "w|v",
     [(np.array([nan, 1.0]), V2), (W2, np.array([inf, 0.0])), (W2, np.ones(3)),
      (np.ones((3, 2)), V2), ("ab", V2), (W2, None), (np.ones(0), np.ones(0))],
     lambda v: sharpness.hvp(quad_grad, *v))
each("sharpness.hvp(grad, w, v, eps)", "eps", [0, -1e-4, nan, inf, "1e-4", None],
     lambda v: sharpness.hvp(quad_grad, W2, V2, v))
A2 = np.diag([3.0, 1.0])
each("sharpness.power_iteration(matvec, v0)", "matvec", [None, A2, "A"],
     lambda v: sharpness.power_iteration(v, V2))
for ret, what in [(None, "None"), (np.ones(3), "shape (3,)"), (np.full(2, nan), "nan"),
                  ("ab", "a string"), (np.zeros(2), "zeros")]:
    case("sharpness.power_iteration(matvec, v0)", f"matvec returns {what}", bad("matvec"),
         lambda r=ret: sharpness.power_iteration(lambda v: r, V2))
case("sharpness.power_iteration(matvec, v0)", "matvec raises the user's error",
     Propagates(Theirs), lambda: sharpness.power_iteration(raise_theirs, V2))
each("sharpness.power_iteration(matvec, v0)", "v0",
     [np.zeros(2), np.array([nan, 1.0]), None, "ab", np.ones(0), [[]]],
     lambda v: sharpness.power_iteration(lambda u: A2 @ u, v))
each("sharpness.power_iteration(matvec, v0, iters)", "iters",
     [0, -1, 2.5, "20", None, 10 ** 9],
     lambda v: sharpness.power_iteration(lambda u: A2 @ u, V2, v))
each("sharpness.bank_gradient(net, X, y)", "net", [None, "net", 5],
     lambda v: sharpness.bank_gradient(v, X6, Y6))
each_slow("sharpness.bank_gradient(net, X, y)", "float64|net", [None],
          lambda v: sharpness.bank_gradient(small_bank(), X6, Y6))
each_slow("sharpness.bank_gradient(net64, X, y)", "X|y",
          [(X6[:, :3], Y6), (X6, Y6[:5]), (X6, np.full(6, 2.0)), ("abc", Y6), (X6, None),
           (np.full_like(X6, nan), Y6)],
          lambda v: sharpness.bank_gradient(small_bank("float64"), *v))
each_slow("sharpness.bank_gradient(net64, X, y, loss_fn)", "loss_fn", ["l2", 5],
          lambda v: sharpness.bank_gradient(small_bank("float64"), X6, Y6, v))


def theta64():
    net = small_bank("float64")
    return np.stack([net.group_param(g).data().asnumpy() for g in range(net.groups)])


each_slow("sharpness.bank_sharpness(net64, X, y, theta)", "theta",
          [np.ones((2, 2, 5)), np.ones(3), None, "abc", np.full((2, 2, 17), nan)],
          lambda v: sharpness.bank_sharpness(small_bank("float64"), X6, Y6, v, iters=2))
each_slow("sharpness.bank_sharpness(net64, X, y, theta, iters=...)", "iters",
          [0, 2.5, 10 ** 9],
          lambda v: sharpness.bank_sharpness(small_bank("float64"), X6, Y6, theta64(), iters=v))
each_slow("sharpness.bank_sharpness(net64, X, y, theta, eps=...)", "eps", [0, nan, "1e-6"],
          lambda v: sharpness.bank_sharpness(small_bank("float64"), X6, Y6, theta64(), iters=2,
                                             eps=v))
each_slow("sharpness.bank_sharpness(net64, X, y, theta, v0=...)", "v0",
          [np.ones(3), np.zeros((2, 2, 17))],
          lambda v: sharpness.bank_sharpness(small_bank("float64"), X6, Y6, theta64(), iters=2,
                                             v0=v))
each_slow("sharpness.bank_sharpness(net64, X, y, theta, seed=...)", "seed", [-1, "0"],
          lambda v: sharpness.bank_sharpness(small_bank("float64"), X6, Y6, theta64(), iters=2,
                                             seed=v))
TRACK = ((4, 3, 2), [0], 1, X6, Y6)
for key, values in [("every", [0, -1, 2.5, "10"]), ("iters", [0, 2.5, 10 ** 9]),
                    ("first_iters", [0, "60", 10 ** 9]), ("loss_fn", ["l2", 5]),
                    ("seed", [-1, "0", 2.5])]:
    each(f"sharpness.SharpnessTracker(sizes, seeds, groups, X, y, {key}=...)", key, values,
         lambda v, key=key: sharpness.SharpnessTracker(*TRACK, **{key: v}))
each("sharpness.SharpnessTracker(sizes, seeds, groups, X, y)", "X|y",
     [(X6[:, :3], Y6), (X6, Y6[:5]), (X6, np.full(6, 2.0)), ("abc", Y6), (X6, None)],
     lambda v: sharpness.SharpnessTracker((4, 3, 2), [0], 1, *v))
each("sharpness.SharpnessTracker(sizes, ...)", "sizes|seed|groups",
     [((4, 0, 2), [0], 1), ((4, 3, 2), [], 1), ((4, 3, 2), [0], 0)],
     lambda v: sharpness.SharpnessTracker(*v, X6, Y6))

NOISE = "noisescale.simple_noise_scale(net64, X, y, theta, batch_size=2)"
each_slow(NOISE, "batch_size", [0, 2.5, 6, 100, None, "2", True],
          lambda v: noisescale.simple_noise_scale(small_bank("float64"), X6, Y6, theta64(),
                                                  batch_size=v))
each_slow(NOISE, "theta", [np.ones((2, 2, 5)), np.ones(3), None, "abc",
                           np.full((2, 2, 17), nan)],
          lambda v: noisescale.simple_noise_scale(small_bank("float64"), X6, Y6, v,
                                                  batch_size=2))
each_slow(NOISE, "net", [None, "bank", 3],
          lambda v: noisescale.simple_noise_scale(v, X6, Y6, theta64(), batch_size=2))
each_slow(NOISE, "X", [None, "abc", np.ones((6, 3)), np.full((6, 4), nan)],
          lambda v: noisescale.simple_noise_scale(small_bank("float64"), v, Y6, theta64(),
                                                  batch_size=2))
each_slow(NOISE, "seed", [-1, 2.5, "0", None],
          lambda v: noisescale.simple_noise_scale(small_bank("float64"), X6, Y6, theta64(),
                                                  batch_size=2, seed=v))

# tuning: the grid search and the batched regression runs
each("tuning.search(score, grid)", "score", [None, "f", 3.0],
     lambda v: tuning.search(v, [0.1, 0.2, 0.4]))
for ret, what in [(None, "None"), ("abc", "a string"), ([1.0], "a list"),
                  ((1.0, None), "a tuple holding None"), ((1.0, "a"), "a tuple holding a str"),
                  (np.ones(2), "an array"), (1 + 2j, "a complex number"), (nan, "nan"),
                  ((1.0, nan), "a tuple holding nan"), (True, "a bool")]:
    case("tuning.search(score, grid)", f"score returns {what}", bad("score"),
         lambda r=ret: tuning.search(lambda v: r, [0.1, 0.2, 0.4]))
case("tuning.search(score, grid)", "score raises the user's error", Propagates(Theirs),
     lambda: tuning.search(raise_theirs, [0.1, 0.2, 0.4]))
case("tuning.search(score, grid)", "score divides by zero", Propagates(ZeroDivisionError),
     lambda: tuning.search(zero_division, [0.1, 0.2, 0.4]))
each("tuning.search(score, grid)", "grid",
     [[], None, [0], [-0.1], ["a"], "abc", [nan], [inf], 0.1, [True], [0.1, 0.1, 0.2]],
     lambda v: tuning.search(lambda x: (x - 0.2) ** 2, v))
each("tuning.search(score, grid, factor=...)", "factor",
     [1.0, 0.5, 0, -2, nan, inf, "2", None],
     lambda v: tuning.search(lambda x: (x - 0.2) ** 2, [0.1, 0.2, 0.4], factor=v))
each("tuning.search(score, grid, max_values=...)", "max_values",
     [0, -1, 2.5, "40", None, 10 ** 9, 2],
     lambda v: tuning.search(lambda x: (x - 0.2) ** 2, [0.1, 0.2, 0.4], max_values=v))
each("tuning.geometric_grid(low, 1.0)", "low", BAD_POSITIVE,
     lambda v: tuning.geometric_grid(v, 1.0))
each("tuning.geometric_grid(0.1, high)", "high", BAD_POSITIVE + [0.05],
     lambda v: tuning.geometric_grid(0.1, v))
each("tuning.geometric_grid(0.1, 1.0, factor)", "factor", [1.0, 0.5, 0, -2, nan, inf, "2", None],
     lambda v: tuning.geometric_grid(0.1, 1.0, v))
case("tuning.geometric_grid(1e-300, 1e300, 1.000001)", "a billion values",
     bad("grid|factor|values"), lambda: tuning.geometric_grid(1e-300, 1e300, 1.000001))
each("tuning.regression_runs(rule, X, y, 10, 1, seeds)", "rule",
     [None, "abc", [0.1], [[0.1] * 10], [nan] * 10, [-0.1] * 10, [inf] * 10, ["a"] * 10, 0.1],
     lambda v: tuning.regression_runs(v, X100, Y100, 10, 1, [0]))
each("tuning.regression_runs(opt, X, y, 10, 1, seeds)", "seed",
     [[], ["a"], [2.5], [-1], 5, None, "ab"],
     lambda v: tuning.regression_runs(GD, X100, Y100, 10, 1, v))
each("tuning.regression_runs(opt, X, y, batch_size, 1, [0])", "batch_size",
     [0, -1, 2.5, "10", None, 101],
     lambda v: tuning.regression_runs(GD, X100, Y100, v, 1, [0]))
each("tuning.regression_runs(opt, X, y, 10, epochs, [0])", "epochs",
     [0, -1, 2.5, "1", None, 10 ** 9],
     lambda v: tuning.regression_runs(GD, X100, Y100, 10, v, [0]))
each("tuning.regression_runs(opt, X, y, 10, 1, [0], record_every=...)", "record_every",
     [-1, 2.5, "1", None, True],
     lambda v: tuning.regression_runs(GD, X100, Y100, 10, 1, [0], record_every=v))
each("tuning.regression_runs(opt, X, y, 10, 1, [0])", "X|y",
     [(X100, Y100[:99]), (X100, Y100.reshape(50, 2)), (X100[:, :1].reshape(-1), Y100),
      (np.full_like(X100, nan), Y100), ("abc", Y100)],
     lambda v: tuning.regression_runs(GD, *v, 10, 1, [0]))


# --- the runner ---------------------------------------------------------------------------------

# Object reprs carry memory addresses, which differ between pytest-xdist's
# workers; the ids must not.
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")



@pytest.mark.parametrize("c", [pytest.param(c, marks=pytest.mark.slow) if i in SLOW else c
                               for i, c in enumerate(CASES)],
                         ids=[ADDRESS.sub(">", f"{i:03d}:{c}") for i, c in enumerate(CASES)])
def test_hostile_input(c: Case):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        if isinstance(c.expect, Bad):
            with pytest.raises(c.expect.types, match=c.expect.names):
                c.run()
        elif isinstance(c.expect, Propagates):
            with pytest.raises(c.expect.exc) as info:
                c.run()
            assert type(info.value) is c.expect.exc     # unchanged, not wrapped
            assert "diverged" not in str(info.value)
    if isinstance(c.expect, Diverges):
        with pytest.warns(DivergenceWarning, match="diverged"):
            c.run()


# Public names with no argument a learner could get wrong: they take no
# arguments, or are the records a run returns (built by the package itself),
# or pure formulas with numpy's own semantics (square(x) is x ** 2).
NO_BAD_INPUT = {
    "checks.DivergenceWarning", "checks.allow_divergence", "checks.warn_divergence",
    "checks.is_finite_point", "checks.finite_prefix", "compat.use_svg_display",
    "explorer.explorer_script", "explorer.MomentumExplorer", "functions.Saddle",
    "functions.SaddleAndTwoMinima", "functions.square", "functions.square_grad",
    "gradients.GradientTiming", "history.History", "lrfinder.RangeTest", "lstsq_sgd.Runs",
    "newton.NewtonRun", "quasinewton.QuasiNewtonRun", "sgd_theory.WalkerRun",
    "slider.PrecomputedSlider", "optim.Optimizer", "schedules.Schedule",
    "drivers.Trace", "digits.Digits", "explorer.Explorer", "explorer.AdaptiveExplorer",
    "tuning.Search",
}


def public_names():
    import importlib
    import inspect
    import pkgutil
    for info in pkgutil.iter_modules(d2lhelpers.__path__):
        module = importlib.import_module(f"d2lhelpers.{info.name}")
        for name, obj in vars(module).items():
            if (not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
                    and (inspect.isfunction(obj) or inspect.isclass(obj))):
                yield f"{info.name}.{name}", name


@pytest.mark.slow
def test_the_table_is_large_and_covers_every_public_name():
    import re
    assert len(CASES) >= 300
    calls = " ".join(c.call for c in CASES)
    missing = [full for full, name in public_names()
               if full not in NO_BAD_INPUT | NOT_YET_COVERED
               and not re.search(rf"\b{re.escape(name)}\(", calls)]
    assert not missing, f"public names with no hostile case: {missing}"
    covered_now = [full for full in NOT_YET_COVERED
                   if re.search(rf"\b{re.escape(full.split('.')[-1])}\(", calls)]
    assert not covered_now, f"drop from NOT_YET_COVERED: {covered_now}"
    for name in d2lhelpers.__all__:             # what `import d2lhelpers` exposes
        assert name in NO_BAD_INPUT_TOP or re.search(rf"\b{name}\(", calls), name


NO_BAD_INPUT_TOP = {"DivergenceWarning", "allow_divergence", "plt"}

# Public names listed here have no rows yet (a module that landed after the
# table was last extended). The coverage test fails for any other public name
# without a row, and asks for a name to be dropped from this set once a row
# calls it; issue 16 is done while the set is empty.
NOT_YET_COVERED: set = set()
