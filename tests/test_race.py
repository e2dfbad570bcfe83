"""The optimizer race: the runs and scores, the pictures and
the animation, and the claims the chapter makes about the results."""
from __future__ import annotations

import base64
import math
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from d2lhelpers import race  # noqa: E402
from d2lhelpers.functions import ROSENBROCK  # noqa: E402

pytestmark = pytest.mark.unit
from d2lhelpers.optim import grad_2d, run, sgd  # noqa: E402

GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def new_ax():
    return Figure(figsize=(5, 3.3)).add_subplot()


# --- contenders, runs and scores ----------------------------------------------------

def test_contender_builds_each_optimizer():
    for name in race.ORDER:
        opt = race.contender(name, None if name == "adadelta" else 0.1)
        assert opt.name == name
    assert race.contender("momentum", 0.1).hyper == {"eta": 0.1, "beta": 0.9}
    assert race.contender("rmsprop", 0.1).hyper["gamma"] == 0.9
    assert race.contender("adadelta").hyper == {"rho": 0.9, "eps": 1e-5}


@pytest.mark.parametrize("call, match", [
    (lambda: race.contender("lbfgs", 0.1), "name must be one of"),
    (lambda: race.contender("adadelta", 0.1), "adadelta has no learning rate"),
    (lambda: race.contender("adam", None), "learning rate"),
    (lambda: race.contender("gd", -1.0), "learning rate"),
    (lambda: race.tune("gd", race.PROBLEMS["quadratic"], ()), "etas"),
    (lambda: race.race_animation(race.PROBLEMS["saddle"], {}, [], alt=str), "frames"),
    (lambda: race.race_animation(race.PROBLEMS["saddle"], {}, [-1], alt=str), "frames"),
])
def test_bad_input_raises_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_run_race_rejects_a_non_problem():
    with pytest.raises(TypeError, match="problem"):
        race.run_race({"gd": sgd(0.1)}, "rosenbrock")


def test_gd_on_the_quadratic_race_follows_the_closed_form():
    problem = race.PROBLEMS["quadratic"]
    path = race.run_race({"gd": race.contender("gd", 0.2)}, problem)["gd"]
    k = np.arange(problem.steps + 1)
    np.testing.assert_allclose(path[:, 0], -5 * (1 - 0.2 * 0.2) ** k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], -2 * (1 - 4 * 0.2) ** k, rtol=1e-12, atol=1e-300)
    assert problem.score(path) == pytest.approx(0.1 * path[-1, 0] ** 2 + 2 * path[-1, 1] ** 2)


def test_run_race_uses_the_shared_runner():
    problem = race.PROBLEMS["rosenbrock"]
    opt = race.contender("adam", 0.1)
    path = race.run_race({"adam": opt}, problem, steps=40)["adam"]
    np.testing.assert_array_equal(path, run(opt, grad_2d(ROSENBROCK.grad), (-1.2, 1.0), 40))


def test_saddle_escape_step_matches_the_closed_form():
    """GD on x1^2 - x2^2: x1 = x1_0 (1 - 2 eta)^t, x2 = x2_0 (1 + 2 eta)^t."""
    problem = race.PROBLEMS["saddle"]
    for eta, steps in ((0.1, 30), (0.1, 60), (0.3, 30)):
        path = race.run_race({"gd": race.contender("gd", eta)}, problem, steps=steps)["gd"]
        t = np.arange(steps + 1)
        f = (-(1 - 2 * eta) ** t) ** 2 - (1e-3 * (1 + 2 * eta) ** t) ** 2
        first = np.nonzero(f < -1)[0]
        expected = float(first[0]) if first.size and first[0] <= steps else math.inf
        assert problem.score(path) == expected
    # the chapter: within 30 steps GD's x2 only reaches 1e-3 * 1.2^30 ~ 0.24
    path = race.run_race({"gd": race.contender("gd", 0.1)}, problem)["gd"]
    assert path[-1, 1] == pytest.approx(1e-3 * 1.2 ** 30, rel=1e-12)
    assert 0.23 < path[-1, 1] < 0.25


def test_a_diverged_run_scores_infinity():
    problem = race.PROBLEMS["rosenbrock"]
    with pytest.warns(Warning, match="diverged"):
        path = race.run_race({"gd": race.contender("gd", 0.1)}, problem)["gd"]
    assert len(path) < problem.steps + 1
    assert problem.score(path) == math.inf


def test_tune_returns_the_best_eta_of_the_grid():
    problem = race.PROBLEMS["quadratic"]
    best, scores = race.tune("gd", problem, GRID)
    assert set(scores) == set(GRID)
    for eta in GRID:
        path = run(sgd(eta), grad_2d(problem.grad), problem.x0, problem.steps)
        assert scores[eta] == pytest.approx(problem.score(path))
    assert best == 0.2 and scores[best] == min(scores.values())


def test_rotated_quadratic_turns_the_start_with_the_function():
    turned = race.rotated_quadratic()
    aligned = race.PROBLEMS["quadratic"]
    # gradient descent cannot tell the difference
    assert race.tune("gd", turned, GRID)[1] == pytest.approx(race.tune("gd", aligned, GRID)[1])
    # the start is turned with the function: R x0 = (-5, -2)
    c = s = math.sqrt(0.5)
    x1, x2 = turned.x0
    assert (c * x1 - s * x2, s * x1 + c * x2) == pytest.approx((-5.0, -2.0))


# --- pictures ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quad_paths():
    problem = race.PROBLEMS["quadratic"]
    return problem, race.run_race({"gd": race.contender("gd", 0.2),
                                   "adam": race.contender("adam", 0.5)}, problem)


def test_draw_race_draws_each_trajectory_up_to_the_frame(quad_paths):
    problem, paths = quad_paths
    ax = race.draw_race(new_ax(), problem, paths, upto=5)
    lines = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    assert set(lines) == {"gd", "adam"}
    for name, line in lines.items():
        np.testing.assert_allclose(line.get_xydata(), paths[name][:6])
        assert line.get_color() == race.COLORS[name]
    assert ax.get_title() == problem.name
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_xlim() == problem.bounds[:2]
    assert len(ax.collections) > 0                     # the contours


def test_draw_losses_plots_the_gap_on_a_log_scale(quad_paths):
    problem, paths = quad_paths
    ax = race.draw_losses(new_ax(), problem, paths)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    np.testing.assert_allclose(lines["gd"].get_ydata(), problem.values(paths["gd"]))
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step" and "f^\\star" in ax.get_ylabel() and ax.get_title()
    saddle = race.PROBLEMS["saddle"]
    ax = race.draw_losses(new_ax(), saddle, race.run_race({"gd": sgd(0.1)}, saddle))
    assert ax.get_yscale() == "symlog"


def test_show_race_has_a_loss_panel_a_spread_panel_and_one_legend(quad_paths):
    problem, paths = quad_paths
    fig = Figure(figsize=(7.2, 3.9))
    spread = {"gd": np.array([1e-3, 2e-3, math.inf]), "adam": np.array([1e-12, 1e-5])}
    axes = race.show_race(problem, paths, spread, labels={"gd": "GD!"},
                          axes=fig.subplots(1, 2))
    assert [ax.get_title() for ax in axes] == ["From the classic start",
                                                "Held-out starts (bar: median)"]
    assert all(ax.get_xlabel() for ax in axes)
    assert axes[0].get_legend() is None and len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["GD!", "adam"]
    dots = {ln.get_label(): ln for ln in axes[1].get_lines()
            if not ln.get_label().startswith("_")}
    np.testing.assert_allclose(dots["gd"].get_xdata(), [1e-3, 2e-3])   # inf: a cross
    np.testing.assert_allclose(dots["adam"].get_xdata(), [race.TOL, 1e-5])  # floored
    with pytest.raises(ValueError, match="2 panels"):
        race.show_race(problem, paths, spread, axes=fig.subplots(1, 3))


def test_a_diverged_trajectory_is_drawn_up_to_its_last_finite_point():
    problem = race.PROBLEMS["rosenbrock"]
    with pytest.warns(Warning, match="diverged"):
        paths = race.run_race({"gd": race.contender("gd", 0.1)}, problem)
    # the run stops at its last finite iterate, well short of the budget ...
    assert np.all(np.isfinite(paths["gd"])) and len(paths["gd"]) < problem.steps + 1
    ax = race.draw_race(new_ax(), problem, paths)
    data = [ln for ln in ax.get_lines() if ln.get_label() == "gd"][0].get_xydata()
    assert len(data) == len(paths["gd"])
    # ... and it scores as diverged
    assert problem.score(paths["gd"]) == math.inf


def _png(html):
    return base64.b64decode(re.search(r'base64,([^"]+)"', html).group(1))


@pytest.mark.slow
def test_animation_frames_are_precomputed_and_linked(quad_paths):
    problem, paths = quad_paths
    frames = [0, 3, 10]
    box = race.race_animation(problem, paths, frames, alt=lambda k: f"the race after {k} steps")
    assert box.frames == frames and len(box.pictures) == 3
    assert (box.play.min, box.play.max) == (0, 2)
    pngs = [_png(p.value) for p in box.pictures]
    assert all(p.startswith(b"\x89PNG") for p in pngs) and len(set(pngs)) == 3
    assert 'alt="the race after 10 steps"' in box.pictures[2].value
    # the Play widget drives the slider's stack (jslink in the browser, observe in a kernel)
    box.play.value = 2
    assert box.stack.selected_index == 2
    # the step slider is the course's precomputed slider, and Play is linked to it
    step = box.slider.sliders["step"]
    ends = {((ln.source[0], ln.source[1]), (ln.target[0], ln.target[1])) for ln in box.links}
    assert ((box.play, "value"), (step, "index")) in ends
    assert ((step, "index"), (box.stack, "selected_index")) in ends
    assert [label for label, _ in step.options] == [str(k) for k in frames]


# --- the noisy problem -----------------------------------------------------------------

def test_race_regression_gives_every_optimizer_the_same_batches_and_start():
    from d2lhelpers.data import synthetic_regression
    X, y = synthetic_regression(100, seed=1)
    runs = race.race_regression({"gd": race.contender("gd", 0.1),
                                 "adam": race.contender("adam", 0.1)}, X, y, 10, 1,
                                record_every=50)
    assert set(runs) == {"gd", "adam"}
    np.testing.assert_array_equal(runs["gd"].params[0], runs["adam"].params[0])
    assert runs["gd"].samples == [0, 50, 100]
    assert runs["gd"].loss[-1] < runs["gd"].loss[0] / 5
    ax = race.draw_regression_losses(new_ax(), runs)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    np.testing.assert_allclose(lines["adam"].get_ydata(), runs["adam"].loss)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "samples seen"
