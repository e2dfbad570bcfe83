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
from d2lhelpers.checks import (allow_divergence, as_vector, check_bool, check_callable,
                               check_count, check_figsize, check_limit, check_lr,
                               check_point, check_positive, check_real, check_sequence,
                               check_steps, check_text, check_trace, finite_prefix)
from d2lhelpers.history import History
from d2lhelpers.functions import ILL_CONDITIONED, ROSENBROCK, SADDLE
from d2lhelpers.momentum import momentum, nesterov
from d2lhelpers.optim import Optimizer, gd, grad_2d, run
from d2lhelpers.plotting import draw_contours, new_axes

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
        "gd": gd, "momentum": lambda e: momentum(e, beta),
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
        from d2lhelpers.checks import as_number
        with np.errstate(all="ignore"):
            return np.array([as_number("f", self.f(a, b))
                             for a, b in np.asarray(traj, dtype=float)])

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
    if not isinstance(optimizers, Mapping):
        raise TypeError(f"optimizers must map names to Optimizers, got {optimizers!r}")
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


# --- several starts: tune on some, score on the others ---------------------------

def _starts(key: str, rng: np.random.Generator, count: int) -> list:
    if key == "quadratic":          # on the level set of the classic start
        level = ILL_CONDITIONED.f(-5.0, -2.0)
        angle = rng.uniform(0, 2 * math.pi, count)
        return list(zip(np.sqrt(level / 0.1) * np.cos(angle),
                        np.sqrt(level / 2.0) * np.sin(angle)))
    if key == "rosenbrock":         # anywhere in the window
        return list(zip(rng.uniform(-2.0, 2.0, count), rng.uniform(-1.0, 3.0, count)))
    sign = rng.choice((-1.0, 1.0), count)   # saddle: just off the ridge
    return list(zip(rng.uniform(-1.2, -0.8, count),
                    sign * 10.0 ** rng.uniform(-4.0, -2.0, count)))


def starts(key: str, tuning: int = 4, held_out: int = 8, seed: int = 0
           ) -> Tuple[list, list]:
    """Seeded starting points for problem ``key``: ``(tuning, held_out)``.

    The first tuning start is the problem's classic one. Quadratic starts lie
    on the level set f = f(-5, -2); Rosenbrock starts anywhere in the window;
    saddle starts near (-1, 0), a distance 1e-4 to 1e-2 off the ridge.
    """
    if not isinstance(key, str) or key not in PROBLEMS:
        raise ValueError(f"key must be one of {tuple(PROBLEMS)}, got {key!r}")
    tuning, held_out = check_count("tuning", tuning), check_count("held_out", held_out, 0)
    check_limit("tuning + held_out", tuning + held_out, MAX_STARTS, "starting points")
    seed = check_count("seed", seed, 0)
    rng = np.random.default_rng([seed, list(PROBLEMS).index(key)])
    points = [PROBLEMS[key].x0] + _starts(key, rng, tuning + held_out - 1)
    points = [(float(a), float(b)) for a, b in points]
    return points[:tuning], points[tuning:]


#: The most starts :func:`run_starts` runs side by side, and the most updates
#: (steps x starts) of one call.
MAX_STARTS = 100_000
MAX_UPDATES = 10 ** 8


def _check_problem(problem) -> None:
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a race.Problem, got {problem!r}")


def run_starts(opt: Optimizer, problem: Problem, points: Sequence,
               steps: Optional[int] = None) -> np.ndarray:
    """``opt`` from every point at once; iterates of shape (steps + 1, 2, S).

    The update rules are elementwise, so the starts run side by side as the
    columns of one array. A start whose run diverges keeps inf or nan from
    there on without disturbing the others.
    """
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a d2lhelpers.optim.Optimizer, got {opt!r}")
    _check_problem(problem)
    steps = problem.steps if steps is None else check_steps(steps)
    if isinstance(points, (str, bytes)):
        raise TypeError(f"points must be a sequence of (x1, x2) pairs, got {points!r}")
    x = check_point("points", points)
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"points must be a non-empty sequence of (x1, x2) pairs, "
                         f"got shape {x.shape}")
    check_limit("len(points)", len(x), MAX_STARTS, "starting points")
    check_limit("steps x len(points)", steps * len(x), MAX_UPDATES, "updates")
    x = x.T.copy()
    state = opt.init(x)
    rows = [x]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = as_vector("problem.grad", problem.grad(x[0], x[1]), x.shape)
            x, state = opt.step(x, g, state)
            rows.append(np.asarray(x, dtype=float))
    return np.array(rows)


#: Gaps below this count as "reached the minimum" (and tie).
TOL = 1e-10


def _check_paths(problem, paths) -> np.ndarray:
    _check_problem(problem)
    if isinstance(paths, (str, bytes)) or paths is None:
        raise TypeError(f"paths must be the iterates of run_starts, got {paths!r}")
    arr = np.asarray(paths)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"paths must hold numbers, got {paths!r}")
    if arr.ndim != 3 or arr.shape[1] != 2 or 0 in arr.shape:
        raise ValueError("paths must be the iterates of run_starts, shape (steps + 1, 2, "
                         f"starts), got shape {arr.shape}")
    return arr.astype(float)


def start_scores(problem: Problem, paths: np.ndarray, tol: float = TOL
                 ) -> Tuple[np.ndarray, np.ndarray]:
    """Per start: ``(gap, hit)``.

    With a minimum, gap = f(x_T) - f* (inf if the run diverged) and hit = the
    first step with f - f* <= tol (inf if none). Without one (the saddle),
    gap is f(x_T) and hit the first step with f below ``escape_level``.
    """
    paths, tol = _check_paths(problem, paths), check_positive("tol", tol)
    with np.errstate(all="ignore"):
        vals = problem.f(paths[:, 0], paths[:, 1])            # (steps + 1, S)
    broken = np.cumsum(~np.isfinite(vals), axis=0) > 0
    if problem.f_min is not None:
        gaps = np.where(broken, np.inf, vals - problem.f_min)
        reached = gaps <= tol
    else:
        gaps = np.where(broken, -np.inf, vals)
        reached = gaps < problem.escape_level
    hit = np.where(reached.any(axis=0), reached.argmax(axis=0), np.inf)
    gap = gaps[-1]
    if problem.f_min is not None:
        gap = np.where(broken[-1], np.inf, gap)
    return gap, hit.astype(float)


def tuning_score(problem: Problem, paths: np.ndarray, tol: float = TOL) -> tuple:
    """One number pair to minimise over the tuning starts: the mean of
    log10(max(gap, tol)), then the mean step at which the gap reached tol
    (steps + 1 where it did not). Any diverged start makes it (inf, inf)."""
    _check_paths(problem, paths)
    gap, hit = start_scores(problem, paths, tol)
    if not np.all(np.isfinite(gap)):
        return (math.inf, math.inf)
    hit = np.where(np.isfinite(hit), hit, problem.steps + 1)
    return (float(np.mean(np.log10(np.maximum(gap, tol)))), float(np.mean(hit)))


#: The hyperparameter each contender is tuned over (Adadelta has no eta).
TUNED = {name: ("eps" if name == "adadelta" else "eta") for name in ORDER}

#: The grid every search starts from, before it is extended (powers of 2).
START_GRID = tuple(2.0 ** k for k in range(-10, 1))
EPS_GRID = tuple(10.0 ** k for k in range(-8, 0))


def make(name: str, value: float) -> Optimizer:
    """The contender ``name`` with its tuned hyperparameter set to ``value``."""
    if TUNED.get(name) == "eps":
        return contender(name, eps_adadelta=value)
    return contender(name, value)


def tune_on_starts(name: str, problem: Problem, points: Sequence, grid=None):
    """The :class:`~d2lhelpers.tuning.Search` of ``name``'s hyperparameter on
    ``problem`` from ``points``, extended until its best value is interior."""
    from d2lhelpers.tuning import search
    if not isinstance(name, str) or name not in TUNED:
        raise ValueError(f"name must be one of {ORDER}, got {name!r}")
    _check_problem(problem)
    eps = TUNED.get(name) == "eps"
    grid = (EPS_GRID if eps else START_GRID) if grid is None else grid
    return search(lambda v: tuning_score(problem, run_starts(make(name, v), problem,
                                                             points)),
                  grid, factor=10.0 if eps else 2.0)


def format_row(name: str, found, values: np.ndarray) -> str:
    """One line of a race table: the tuned value, the grid tried, and the
    median [min, max] of ``values`` over the held-out starts."""
    from d2lhelpers.tuning import Search
    check_text("name", name)
    if not isinstance(found, Search):
        raise TypeError(f"found must be a d2lhelpers.tuning.Search, got {found!r}")
    values = check_sequence("values", values)
    if np.asarray(values).dtype.kind not in "iuf" or np.ndim(values) != 1:
        raise TypeError(f"values must hold numbers, got {values!r}")
    eps = TUNED.get(name) == "eps"

    def show(v):
        return f"{v:.0e}" if eps else f"2^{round(math.log2(v))}"
    values = np.asarray(values, dtype=float)

    def num(v):
        return f"{v:.1e}" if np.isfinite(v) else "inf"
    spread = (f"{num(np.median(values))} [{num(values.min())}, "
              f"{num(values.max())}]")
    bad = int(np.sum(~np.isfinite(values)))
    if bad:
        spread += f" {bad} inf"
    key = "eps" if eps else "eta"
    return (f"{name:9s}{key} = {show(found.best):6s} tried {show(found.values[0])}.."
            f"{show(found.values[-1]):6s} {spread}")


# --- pictures --------------------------------------------------------------------

def _finite(traj) -> np.ndarray:
    traj = np.asarray(traj, dtype=float)
    return traj[:finite_prefix([tuple(r) for r in traj])]


def _check_title_legend(title, legend) -> None:
    if title is not None:
        check_text("title", title)
    check_bool("legend", legend)


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
    _check_title_legend(title, legend)
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
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return ax


def _check_scores(name: str, scores, ndim: int) -> None:
    """A non-empty map from method names to non-empty arrays of numbers of
    ``ndim`` dimensions (inf allowed: a diverged run; nan refused)."""
    if not isinstance(scores, Mapping) or not scores:
        raise TypeError(f"{name} must map method names to scores, got {scores!r}")
    for key, values in scores.items():
        check_text(f"each name in {name}", key)
        arr = np.asarray(values) if values is not None else np.asarray("")
        if arr.dtype.kind not in "iuf" or arr.ndim != ndim or arr.size == 0:
            raise ValueError(f"{name}[{key!r}] must be a non-empty {ndim}D array of numbers, "
                             f"got {values!r}")
        if np.any(np.isnan(arr)):
            raise ValueError(f"{name}[{key!r}] holds nan; a run that failed scores inf")


def draw_spread(ax, spread: Mapping[str, np.ndarray], *, log: bool = True,
                floor: Optional[float] = None, xlabel: str = "score",
                title: str = "Held-out starts (bar: median)",
                inf_label: str = "diverged"):
    """One row per method: a dot per held-out start, a bar at the median.

    ``spread`` maps names to per-start scores (lower is better). On a ``log``
    axis values below ``floor`` are drawn at it; a score of inf (a run that
    diverged, or never escaped) is drawn as a cross at the right edge, and a
    note in the corner says what a cross means (``inf_label``).
    """
    _check_scores("spread", spread, 1)
    log = check_bool("log", log)
    for key, text in (("xlabel", xlabel), ("title", title), ("inf_label", inf_label)):
        check_text(key, text)
    if floor is not None:
        floor = check_positive("floor", floor) if log else check_real("floor", floor)
    elif log and any(np.any(np.asarray(v, dtype=float) <= 0) for v in spread.values()):
        raise ValueError("spread holds a score <= 0, which a log axis cannot show: "
                         "give a floor or log=False")
    ax = new_axes(ax)
    names = list(spread)
    cols = {n: np.asarray(spread[n], dtype=float) for n in names}
    if floor is not None:
        cols = {n: np.maximum(v, floor) for n, v in cols.items()}
    finite = np.concatenate([v[np.isfinite(v)] for v in cols.values()] + [[]])
    top = finite.max() if finite.size else 1.0
    edge = top * 10 if log else top + 3
    for row, name in enumerate(names):
        vals = cols[name]
        ok = np.isfinite(vals)
        jitter = np.linspace(-0.2, 0.2, vals.size) if vals.size > 1 else np.zeros(1)
        color = COLORS.get(name, style.BLACK)
        ax.plot(vals[ok], row + jitter[ok], "o", ms=4, color=color, alpha=0.8,
                label=name)
        if (~ok).any():
            ax.plot(np.full(int((~ok).sum()), edge), row + jitter[~ok], "x", ms=6,
                    color=color, label="_diverged")
        med = np.median(vals) if vals.size else np.inf
        if np.isfinite(med):          # inf counts as worst; a median may exist
            ax.plot([med, med], [row - 0.35, row + 0.35], "-", color=style.BLACK,
                    lw=1.5, label="_median")
    if any((~np.isfinite(v)).any() for v in cols.values()):
        ax.text(0.99, 0.01, f"× {inf_label}", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=8)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    if log:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, title=title)
    ax.grid(axis="x", alpha=0.3)
    return ax


def _gap_label(floor: float) -> str:
    return f"$f - f^\\star$ at the end (floor {floor:.0e})"


def show_race(problem: Problem, trajs: Mapping[str, np.ndarray],
              spread: Mapping[str, np.ndarray],
              labels: Optional[Mapping[str, str]] = None, axes=None):
    """The race on one problem in two panels: f against the step from the
    classic start, and the spread of the scores over the held-out starts.

    One legend (``labels``: name -> text, default the names) sits below both
    panels. ``axes`` is a pair of axes (a new figure when None); returns it.
    """
    if axes is None:
        _, axes = two_panels(f"The race on the {problem.name}")
    axes = list(np.ravel(axes))
    if len(axes) != 2:
        raise ValueError(f"axes must hold 2 panels, got {len(axes)}")
    draw_losses(axes[0], problem, trajs, title="From the classic start",
                legend=False)
    if problem.f_min is not None:
        draw_spread(axes[1], spread, floor=TOL, xlabel=_gap_label(TOL))
    else:
        draw_spread(axes[1], spread, log=False,
                    xlabel=f"first step with $f < {problem.escape_level:g}$",
                    title="All starts (bar: median)",
                    inf_label=f"never, in {problem.steps} steps")
    shared_legend(axes[0].figure, axes[0], list(trajs), labels)
    return axes


def draw_losses(ax, problem: Problem, trajs: Mapping[str, np.ndarray],
                title: Optional[str] = None, legend: bool = True):
    """f - f_min against the step on a log scale (f itself, symlog, without a minimum)."""
    _check_race(problem, trajs)
    _check_title_legend(title, legend)
    ax = new_axes(ax)
    for name, traj in trajs.items():
        vals = problem.values(_finite(traj))
        y = vals - problem.f_min if problem.f_min is not None else vals
        ax.plot(np.arange(len(y)), y, color=COLORS.get(name, style.BLACK), lw=1.4,
                marker=MARKERS.get(name, "o"), ms=3, markevery=max(1, len(y) // 8),
                label=name)
    if problem.f_min is not None:
        ax.set_yscale("log")
        ylabel = "$f(x) - f^\\star$ (log scale)"
    else:
        ax.set_yscale("symlog", linthresh=1.0)
        ylabel = "$f(x)$ (symlog scale)"
    ax.set(xlabel="step", ylabel=ylabel,
           title=title or f"Loss on the {problem.name.split(' $')[0]}")
    if legend:
        ax.legend(fontsize=7, ncol=2)
    return ax


#: The most pictures one race animation renders (each is a PNG in the page).
MAX_FRAMES = 120


def race_animation(problem: Problem, trajs: Mapping[str, np.ndarray],
                   frames: Sequence[int], *, alt: Callable[[int], str],
                   labels: Optional[Mapping[str, str]] = None,
                   interval: int = 400, figsize=(6.4, 4.0),
                   dpi: int = style.SLIDER_DPI) -> widgets.VBox:
    """A Play button over a precomputed step slider of the race.

    The step slider is :func:`d2lhelpers.slider.precomputed_slider` (one picture
    per step of ``frames``, drawn by :func:`draw_race`, switched in the browser
    by its Stack-and-jslink mechanism); the Play widget is jslinked to the
    slider's index, so the animation also runs on the static site. The legend
    sits outside the contour panel. ``alt(step)`` gives each picture's alt text.
    """
    from d2lhelpers.slider import precomputed_slider
    if isinstance(frames, (str, bytes)) or not hasattr(frames, "__len__"):
        raise TypeError(f"frames must be a sequence of step numbers, got {frames!r}")
    frames = [check_steps(k, "frames") for k in frames]
    if not frames:
        raise ValueError("frames must hold at least one step")
    check_limit("len(frames)", len(frames), MAX_FRAMES, "pictures in one animation")
    check_callable("alt", alt)
    _check_race(problem, trajs)
    last = max(len(t) for t in trajs.values()) - 1 if trajs else 0
    if max(frames) > last:
        raise ValueError(f"frames must be steps of the race, at most {last}, "
                         f"got {max(frames)}")
    interval = check_count("interval (ms per frame)", interval)
    figsize = check_figsize(figsize)
    if labels is not None and not (isinstance(labels, Mapping) and all(
            isinstance(v, str) for v in labels.values())):
        raise TypeError(f"labels must map names to legend text, got {labels!r}")
    short = problem.name.split(" $")[0]

    def draw(ax, step):
        draw_race(ax, problem, trajs, upto=step, title=f"{short}: step {step}",
                  legend=False)
        handles = [ln for ln in ax.get_lines() if ln.get_label() in trajs]
        ax.legend(handles, [(labels or {}).get(h.get_label(), h.get_label())
                            for h in handles],
                  loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8,
                  frameon=False)

    slider = precomputed_slider(draw, {"step": frames}, alt=lambda step: alt(step),
                                labels={"step": "step"},
                                initial={"step": frames[0]}, figsize=figsize,
                                dpi=dpi)
    step_slider = slider.sliders["step"]
    play = widgets.Play(value=0, min=0, max=len(frames) - 1, step=1,
                        interval=interval, description="play the race",
                        tooltip="play the race")
    link = widgets.jslink((play, "value"), (step_slider, "index"))
    # in a live kernel the Play widget moves the slider, which moves the stack
    play.observe(lambda change: setattr(step_slider, "index", change["new"]),
                 names="value")
    box = widgets.VBox([play, slider])
    box.frames, box.play, box.slider = frames, play, slider
    box.pictures, box.stack = slider.pictures, slider.root
    box.links = [link] + slider.links
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


def draw_median_curves(ax, curves: Mapping[str, np.ndarray], every: int,
                       batch_size: int, floor: Optional[float] = None,
                       title: str = "Median over the held-out seeds"):
    """The median (over seeds) of each run's loss records against samples seen.

    ``curves`` maps names to arrays (records, seeds) from
    :func:`d2lhelpers.tuning.regression_runs` with ``record_every=every``; a
    dotted line marks ``floor`` (the loss at the true parameters).
    """
    _check_scores("curves", curves, 2)
    if any(np.any(np.asarray(v, dtype=float) <= 0) for v in curves.values()):
        raise ValueError("curves hold a loss <= 0, which the log axis cannot show")
    every, batch_size = check_count("every", every), check_count("batch_size", batch_size)
    if floor is not None:
        check_positive("floor", floor)
    check_text("title", title)
    ax = new_axes(ax)
    for name, rec in curves.items():
        rec = np.asarray(rec, dtype=float)
        samples = np.arange(len(rec)) * every * batch_size
        ax.plot(samples, np.median(rec, axis=1), color=COLORS.get(name, style.BLACK),
                lw=1.4, marker=MARKERS.get(name, "o"), ms=3,
                markevery=max(1, len(rec) // 8), label=name)
    if floor is not None:
        ax.axhline(floor, color=style.BLACK, ls=":", lw=1, label="_floor")
    ax.set_yscale("log")
    ax.set(xlabel="samples seen", ylabel="full-data loss (log scale)", title=title)
    return ax


def two_panels(title: str, figsize=(7.2, 3.9)):
    """A figure with two panels side by side and room for a legend below."""
    import matplotlib.pyplot as plt
    check_text("title", title)
    figsize = check_figsize(figsize)
    fig, axes = plt.subplots(1, 2, figsize=figsize, layout="constrained")
    fig.suptitle(title, fontsize=11)
    return fig, axes


def shared_legend(fig, ax, names: Sequence[str],
                  labels: Optional[Mapping[str, str]] = None):
    """One legend for the whole figure, below the panels, from ``ax``'s lines."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {fig!r}")
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes, got {ax!r}")
    names = check_sequence("names", names)
    drawn = {ln.get_label() for ln in ax.get_lines()}
    for name in names:
        check_text("each of names", name)
        if name not in drawn:
            raise ValueError(f"names: ax has no line labelled {name!r}")
    if labels is not None:
        if not isinstance(labels, Mapping):
            raise TypeError(f"labels must map names to legend text, got {labels!r}")
        for key, text in labels.items():
            check_text(f"labels[{key!r}]", text)
    handles = [ln for ln in ax.get_lines() if ln.get_label() in names]
    text = [(labels or {}).get(h.get_label(), h.get_label()) for h in handles]
    return fig.legend(handles, text, loc="outside lower center", ncol=4,
                      fontsize=8, frameon=False)
