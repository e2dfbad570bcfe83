"""The optimizer race: every optimizer of the course on the same problems.

A :class:`Problem` bundles an objective with its start, budget and window; the
race runs each optimizer with :func:`d2lhelpers.optim.run` (the same rules the
chapters teach) and the plot functions draw the results side by side, as loss
curves and as an animation that plays on the static site.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, Mapping, Optional, Sequence, Tuple

import ipywidgets as widgets
import numpy as np

from d2lhelpers import style
from d2lhelpers.adaptive import adadelta, adagrad, adam, rmsprop
from d2lhelpers.checks import (allow_divergence, check_callable, check_limit, check_lr,
                               check_point, check_real, check_steps, check_trace,
                               finite_prefix)
from d2lhelpers.history import History
from d2lhelpers.functions import ILL_CONDITIONED, ROSENBROCK, SADDLE
from d2lhelpers.momentum import momentum, nesterov
from d2lhelpers.optim import Optimizer, grad_2d, run, sgd
from d2lhelpers.plotting import draw_contours, figure_png, new_axes
from d2lhelpers.slider import image_html

#: The contenders, in the order the course introduces them.
ORDER = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
COLORS = dict(zip(ORDER, (style.BLACK, style.BLUE, style.SKY, style.ORANGE,
                          style.GREEN, style.PINK, style.VERMILLION)))
MARKERS = dict(zip(ORDER, ("o", "s", "D", "^", "v", "P", "X")))


def contender(name: str, eta: Optional[float] = None, *, beta: float = 0.9,
              gamma: float = 0.9, rho: float = 0.9, eps_adadelta: float = 1e-5) -> Optimizer:
    """The optimizer called ``name`` (one of :data:`ORDER`) with learning rate ``eta``.

    Momentum and Nesterov use ``beta``, RMSProp ``gamma``; Adam keeps the
    paper's betas. Adadelta has no learning rate (``eta`` must be None) and uses
    MXNet's defaults rho = 0.9, eps = 1e-5.
    """
    if name == "adadelta":
        if eta is not None:
            raise ValueError("adadelta has no learning rate: pass eta=None")
        return adadelta(rho, eps_adadelta)
    makers: Dict[str, Callable[[float], Optimizer]] = {
        "gd": sgd, "momentum": lambda e: momentum(e, beta),
        "nesterov": lambda e: nesterov(e, beta), "adagrad": adagrad,
        "rmsprop": lambda e: rmsprop(e, gamma), "adam": adam}
    if name not in makers:
        raise ValueError(f"name must be one of {ORDER}, got {name!r}")
    return makers[name](check_lr(eta))


@dataclass(frozen=True)
class Problem:
    """A 2D objective with a start, a step budget and a window to draw it in.

    ``f_min`` is the minimum value (None for an objective unbounded below, where
    the race measures how fast a method leaves the start instead).
    """
    name: str
    f: Callable
    grad: Callable
    x0: Tuple[float, float]
    steps: int
    bounds: Tuple[float, float, float, float]
    minimum: Optional[Tuple[float, float]] = None
    f_min: Optional[float] = None
    levels: object = 15
    escape_level: float = -1.0

    def __post_init__(self):
        check_callable("f", self.f)
        check_callable("grad", self.grad)
        check_point("x0", self.x0, 2)
        check_steps(self.steps)
        b = self.bounds
        if isinstance(b, (str, bytes)) or not hasattr(b, "__len__") or len(b) != 4:
            raise TypeError(f"bounds must be (x1_lo, x1_hi, x2_lo, x2_hi), got {b!r}")
        b = [check_real("bounds", v) for v in b]
        if not (b[0] < b[1] and b[2] < b[3]):
            raise ValueError(f"bounds must have x1_lo < x1_hi and x2_lo < x2_hi, got {b!r}")

    def values(self, traj: np.ndarray) -> np.ndarray:
        """f along a trajectory (rows = iterates)."""
        with np.errstate(all="ignore"):
            return np.array([self.f(a, b) for a, b in np.asarray(traj, dtype=float)])

    def score(self, traj: np.ndarray) -> float:
        """Lower is better. With a minimum: the final gap f - f_min (inf if the run
        diverged). Without: the first step at which f drops below ``escape_level``
        (inf if it never does)."""
        traj = np.asarray(traj, dtype=float)
        finished = finite_prefix([tuple(r) for r in traj]) == self.steps + 1
        if self.f_min is not None:
            return float(self.values(traj)[-1] - self.f_min) if finished else math.inf
        below = np.nonzero(self.values(traj) < self.escape_level)[0]
        return float(below[0]) if below.size else math.inf


PROBLEMS: Dict[str, Problem] = {
    "quadratic": Problem(
        "ill-conditioned quadratic $0.1x_1^2 + 2x_2^2$", ILL_CONDITIONED.f, ILL_CONDITIONED.grad,
        x0=(-5.0, -2.0), steps=50, bounds=(-5.5, 1.5, -2.5, 2.5), minimum=(0.0, 0.0), f_min=0.0),
    "rosenbrock": Problem(
        "Rosenbrock $(1 - x_1)^2 + 100(x_2 - x_1^2)^2$", ROSENBROCK.f, ROSENBROCK.grad,
        x0=(-1.2, 1.0), steps=300, bounds=(-2.0, 2.0, -1.0, 3.0), minimum=(1.0, 1.0),
        f_min=0.0, levels=np.logspace(-1, 3.3, 12)),
    "saddle": Problem(
        "saddle $x_1^2 - x_2^2$", SADDLE.f, SADDLE.grad, x0=(-1.0, 1e-3), steps=30,
        bounds=(-1.5, 1.5, -1.5, 1.5), levels=np.linspace(-2, 2, 9)),
}


def run_race(optimizers: Mapping[str, Optimizer], problem: Problem,
             steps: Optional[int] = None) -> Dict[str, np.ndarray]:
    """Run every optimizer from the problem's start; return name -> iterates (steps + 1, 2).

    A run that diverges stops at its first non-finite iterate (with a warning).
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a race.Problem, got {problem!r}")
    steps = problem.steps if steps is None else check_steps(steps)
    return {name: run(opt, grad_2d(problem.grad), problem.x0, steps)
            for name, opt in optimizers.items()}


def tune(name: str, problem: Problem, etas: Sequence[float], **kwargs) -> Tuple[float, Dict]:
    """The learning rate of ``etas`` with the best :meth:`Problem.score` for ``name``.

    Returns ``(best_eta, {eta: score})``; ties go to the smaller eta. Runs that
    diverge are part of the search, so their warnings are silenced.
    """
    if not etas:
        raise ValueError("etas must hold at least one learning rate")
    scores = {}
    with allow_divergence():
        for eta in sorted(etas):
            traj = run_race({name: contender(name, eta, **kwargs)}, problem)[name]
            scores[eta] = problem.score(traj)
    return min(scores, key=lambda e: (scores[e], e)), scores


# --- pictures --------------------------------------------------------------------

def _finite(traj) -> np.ndarray:
    traj = np.asarray(traj, dtype=float)
    return traj[:finite_prefix([tuple(r) for r in traj])]


def _check_race(problem, trajs) -> None:
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a race.Problem, got {problem!r}")
    if not isinstance(trajs, Mapping):
        raise TypeError(f"trajs must map names to trajectories, got {trajs!r}")
    for name, traj in trajs.items():
        try:
            check_trace(traj, 2)
        except (TypeError, ValueError) as err:
            raise type(err)(f"trajs[{name!r}]: {err}") from None


def draw_race(ax, problem: Problem, trajs: Mapping[str, np.ndarray], upto: Optional[int] = None,
              title: Optional[str] = None, legend: bool = True):
    """All trajectories (their first ``upto`` steps) over the problem's contours."""
    _check_race(problem, trajs)
    if upto is not None:
        upto = check_steps(upto, "upto")
    ax = new_axes(ax)
    draw_contours(problem.f, ax, problem.bounds, levels=problem.levels)
    for name, traj in trajs.items():
        pts = _finite(traj)[: None if upto is None else upto + 1]
        ax.plot(pts[:, 0], pts[:, 1], "-", color=COLORS.get(name, style.BLACK), lw=1.2,
                marker=MARKERS.get(name, "o"), ms=3, markevery=max(1, len(pts) // 12),
                label=name)
    ax.plot(*problem.x0, "s", color=style.BLACK, ms=6)
    if problem.minimum is not None:
        ax.plot(*problem.minimum, "*", color=style.BLACK, ms=10)
    ax.set(xlim=problem.bounds[:2], ylim=problem.bounds[2:], xlabel="$x_1$", ylabel="$x_2$",
           title=title or problem.name)
    if legend:
        ax.legend(fontsize=7, loc="lower right", ncol=2)
    return ax


def draw_panels(axes, problem: Problem, trajs: Mapping[str, np.ndarray],
                labels: Optional[Mapping[str, str]] = None):
    """One panel per optimizer (side by side on the same contours); returns the axes."""
    axes = list(np.ravel(axes))
    if len(axes) < len(trajs):
        raise ValueError(f"axes must hold at least {len(trajs)} panels, got {len(axes)}")
    for ax, (name, traj) in zip(axes, trajs.items()):
        draw_race(ax, problem, {name: traj}, title=(labels or {}).get(name, name), legend=False)
        ax.set(xlabel="", ylabel="")
        ax.tick_params(labelsize=7)
    return axes


def show_race(problem: Problem, trajs: Mapping[str, np.ndarray],
              labels: Optional[Mapping[str, str]] = None, axes=None, figsize=(11, 5.4),
              dpi: int = 72):
    """The whole race on one problem: a panel per optimizer and a loss panel.

    ``axes`` holds at least len(trajs) + 1 axes (a new 2 x 4 figure when None);
    returns them.
    """
    if axes is None:
        import matplotlib.pyplot as plt
        # A modest dpi: the figure ships in the page.
        fig, axes = plt.subplots(2, 4, figsize=figsize, dpi=dpi, layout="constrained")
        fig.suptitle(f"The race on the {problem.name}")
    axes = list(np.ravel(axes))
    if len(axes) < len(trajs) + 1:
        raise ValueError(f"axes must hold at least {len(trajs) + 1} panels, got {len(axes)}")
    draw_panels(axes[:len(trajs)], problem, trajs, labels=labels)
    for ax in axes[:len(trajs)]:
        ax.set(xlabel="$x_1$", ylabel="$x_2$")
        ax.xaxis.label.set_size(8)
        ax.yaxis.label.set_size(8)
    draw_losses(axes[len(trajs)], problem, trajs)
    return axes


def draw_losses(ax, problem: Problem, trajs: Mapping[str, np.ndarray], title: Optional[str] = None):
    """f - f_min against the step on a log scale (f itself, symlog, without a minimum)."""
    _check_race(problem, trajs)
    ax = new_axes(ax)
    for name, traj in trajs.items():
        vals = problem.values(_finite(traj))
        y = vals - problem.f_min if problem.f_min is not None else vals
        ax.plot(np.arange(len(y)), y, color=COLORS.get(name, style.BLACK), lw=1.4,
                marker=MARKERS.get(name, "o"), ms=3, markevery=max(1, len(y) // 8), label=name)
    if problem.f_min is not None:
        ax.set_yscale("log")
        ylabel = "$f(x) - f^\\star$ (log scale)"
    else:
        ax.set_yscale("symlog", linthresh=1.0)
        ylabel = "$f(x)$ (symlog scale)"
    ax.set(xlabel="step", ylabel=ylabel, title=title or f"Loss on the {problem.name.split(' $')[0]}")
    ax.legend(fontsize=7, ncol=2)
    return ax


#: The most pictures one race animation renders (each is a PNG in the page).
MAX_FRAMES = 120


def race_animation(problem: Problem, trajs: Mapping[str, np.ndarray], frames: Sequence[int], *,
                   alt: Callable[[int], str], interval: int = 700, figsize=None,
                   dpi: int = style.SLIDER_DPI) -> widgets.VBox:
    """A Play button and a step slider over precomputed pictures of the race.

    Picture k shows every trajectory up to step ``frames[k]``, drawn by
    :func:`draw_race`. The pictures sit in a ``Stack`` whose index is jslinked to
    the Play widget and the slider, so the animation runs in the browser with
    no kernel; ``alt(step)`` gives each picture's alt text.
    """
    if isinstance(frames, (str, bytes)) or not hasattr(frames, "__len__"):
        raise TypeError(f"frames must be a sequence of step numbers, got {frames!r}")
    frames = [check_steps(k, "frames") for k in frames]
    if not frames:
        raise ValueError("frames must hold at least one step")
    check_limit("len(frames)", len(frames), MAX_FRAMES, "pictures in one animation")
    check_callable("alt", alt)
    pictures = []
    for k in frames:
        ax = new_axes(figsize=figsize or style.SLIDER_FIGSIZE, pyplot=False)
        draw_race(ax, problem, trajs, upto=k, title=f"{problem.name.split(' $')[0]}: step {k}")
        pictures.append(widgets.HTML(image_html(figure_png(ax.figure, dpi), alt(k))))
    play = widgets.Play(value=0, min=0, max=len(frames) - 1, step=1, interval=interval,
                        description="play the race")
    # The slider shows the step number each picture is drawn at; its index is
    # what the Play widget drives.
    slider = widgets.SelectionSlider(options=[(str(k), i) for i, k in enumerate(frames)],
                                     index=0, description="step",
                                     layout=widgets.Layout(width="min(100%, 360px)"))
    stack = widgets.Stack(children=pictures, selected_index=0)
    links = [widgets.jslink((play, "value"), (slider, "index")),
             widgets.jslink((play, "value"), (stack, "selected_index"))]
    play.observe(lambda change: setattr(stack, "selected_index", change["new"]), names="value")
    box = widgets.VBox([widgets.HBox([play, slider]), stack])
    box.frames, box.pictures, box.play, box.slider, box.stack, box.links = (
        frames, pictures, play, slider, stack, links)
    return box


# --- the noisy problem: linear regression ---------------------------------------

def race_regression(optimizers: Mapping[str, Optimizer], X, y, batch_size: int, epochs: int, *,
                    seed: int = 0, record_every: Optional[int] = None) -> Dict[str, object]:
    """Train linear regression with each optimizer on the same batches from the
    same start (:func:`d2lhelpers.linreg.train_scratch`); return name -> History."""
    from d2lhelpers.linreg import train_scratch
    return {name: train_scratch(opt, X, y, batch_size, epochs, seed=seed,
                                record_every=record_every, label=name)
            for name, opt in optimizers.items()}


def draw_regression_losses(ax, histories: Mapping[str, object], title: str = "Noisy linear regression"):
    """The full-data loss of each run against the number of samples seen, log scale."""
    if not isinstance(histories, Mapping) or not all(
            isinstance(h, History) for h in histories.values()):
        raise TypeError(f"histories must map names to History records, got {histories!r}")
    ax = new_axes(ax)
    for name, h in histories.items():
        stop = h.diverged_at if h.diverged_at is not None else len(h.loss)
        ax.plot(h.samples[:stop], h.loss[:stop], color=COLORS.get(name, style.BLACK), lw=1.4,
                marker=MARKERS.get(name, "o"), ms=3, markevery=max(1, stop // 8), label=name)
    ax.set_yscale("log")
    ax.set(xlabel="samples seen", ylabel="full-data loss (log scale)", title=title)
    ax.legend(fontsize=7, ncol=2)
    return ax


def rotated_quadratic(quad=ILL_CONDITIONED, angle: float = math.pi / 4, steps: int = 50) -> Problem:
    """The quadratic ``quad`` turned by ``angle``: ``f(x) = quad.f(R x)``, started at
    ``R^T (-5, -2)``.

    Gradient descent is blind to the rotation (its iterates are those on ``quad``
    turned by R^T), so any change in a method's score is due to the axes alone.
    """
    steps = check_steps(steps)
    c, s = math.cos(angle), math.sin(angle)

    def turn(x1, x2):
        return c * x1 - s * x2, s * x1 + c * x2

    def f(x1, x2):
        return quad.f(*turn(x1, x2))

    def grad(x1, x2):
        g1, g2 = quad.grad(*turn(x1, x2))
        return c * g1 + s * g2, -s * g1 + c * g2

    x0 = (c * -5.0 + s * -2.0, -s * -5.0 + c * -2.0)
    return Problem(f"quadratic turned by {math.degrees(angle):g} degrees", f, grad, x0=x0,
                   steps=steps, bounds=(-6.0, 6.0, -6.0, 6.0), minimum=(0.0, 0.0), f_min=0.0)
