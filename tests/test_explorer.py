"""The in-browser momentum explorer: parity with Python, keyboard use, the
movable start, bad input.

The page is built from the explorer's own cell output with ``set_content``, so
these tests need neither the built site nor a network.
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.explorer import explorer_script, momentum_explorer
from d2lhelpers.functions import CLASSIC, ILL_CONDITIONED, Quadratic2D
from d2lhelpers.momentum import momentum, nesterov, rate
from d2lhelpers.optim import grad_2d, run

X0 = (-5.0, -2.0)
STEPS = 60
# Converging, well tuned, under-damped, at the edge and diverging (fast and slow).
PAIRS = [(0.4, 0.0), (0.6, 0.5), (0.6, 0.25), (0.1, 0.9), (0.05, 0.99), (0.5, 0.0),
         (0.75, 0.5), (0.9, 0.0), (1.0, 0.99), (0.6, 0.1), (0.3, 0.7), (0.95, 0.95)]
METHODS = {"momentum": momentum, "nesterov": nesterov}


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def python_iterates(method, eta, beta, f=ILL_CONDITIONED, steps=STEPS):
    """The reference: d2lhelpers.optim.run, which stops at the first non-finite row."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return run(METHODS[method](eta, beta), grad_2d(f.grad), X0, steps)


def finite_rows(rows):
    rows = np.asarray(rows, dtype=float)
    ok = np.all(np.isfinite(rows), axis=1)
    return rows[: int(np.argmin(ok))] if not ok.all() else rows


def js_iterates(page, method, eta, beta, f=ILL_CONDITIONED, steps=STEPS):
    # JSON cannot carry Infinity/NaN, so non-finite values come back as strings.
    rows = page.evaluate(
        """([m, eta, beta, a, b, x0, steps]) =>
             MomentumExplorer.iterate(m, eta, beta, a, b, x0, steps)
             .map(r => r.map(v => isFinite(v) ? v : String(v)))""",
        [method, eta, beta, f.a, f.b, list(X0), steps])
    return [[float(v) for v in r] for r in rows]


@pytest.mark.browser
@pytest.mark.parametrize("method", ["momentum", "nesterov"])
def test_browser_iterates_equal_python(page, method):
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=explorer_script())
    diverging = 0
    for f in (ILL_CONDITIONED, CLASSIC):
        for eta, beta in PAIRS:
            py = python_iterates(method, eta, beta, f)
            js = js_iterates(page, method, eta, beta, f)
            assert len(js) == len(py), (method, eta, beta)  # same stopping step
            py_f, js_f = finite_rows(py), finite_rows(js)
            assert len(py_f) == len(js_f) >= 2
            scale = np.maximum(1.0, np.abs(py_f))
            assert np.all(np.abs(js_f - py_f) <= 1e-12 * scale), (method, eta, beta)
            diverging += len(py_f) < len(py) or not np.all(np.abs(py_f[-1]) < 1e3)
    assert diverging >= 4  # the set really includes runs that blow up
    assert page.errors == []


@pytest.mark.browser
def test_browser_rate_equals_python(page):
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=explorer_script())
    f = ILL_CONDITIONED
    for method in METHODS:
        for eta, beta in PAIRS:
            js = page.evaluate("([m, e, b, a, c]) => MomentumExplorer.rate(m, e, b, a, c)",
                               [method, eta, beta, f.a, f.b])
            assert js == pytest.approx(rate(eta, beta, f.eigenvalues, method), abs=1e-9)


@pytest.mark.browser
def test_run_stops_at_first_nonfinite_like_python(page):
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=explorer_script())
    js = js_iterates(page, "momentum", 1.0, 0.0, steps=2000)
    py = python_iterates("momentum", 1.0, 0.0, steps=2000)
    # Python's trace ends at the last finite iterate; the browser's run also
    # keeps the first non-finite row (it draws up to the row before it)
    assert len(js) == len(py) + 1 <= 2001
    assert not math.isfinite(js[-1][1]) and math.isfinite(js[-2][1])
    assert np.array_equal(np.asarray(js[:-1], dtype=float), py)


def canvas_pixels(page, element_id, role):
    return page.evaluate(
        """([id, role]) => document.querySelector(
             '#' + id + ' [data-role=' + role + ']').toDataURL()""",
        [element_id, role])


@pytest.mark.browser
def test_explorer_cell_output_runs_and_reacts_to_keyboard(page):
    ex = momentum_explorer(eta=0.4, beta=0.5)
    page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
    root = f"#{ex.element_id}"
    readout = page.locator(f"{root} [data-role=readout]")
    assert "\u03b7 = 0.40, \u03b2 = 0.50" in readout.text_content()
    # The readout's end point is the Python iterate after 40 steps.
    x_end = python_iterates("momentum", 0.4, 0.5, steps=40)[-1]
    shown = re.search(r"x = \(([^,]+), ([^)]+)\)", readout.text_content()).groups()
    assert [float(v) for v in shown] == pytest.approx(list(x_end), rel=1e-2)
    before = {r: canvas_pixels(page, ex.element_id, r) for r in ("trace", "loss")}

    eta = page.get_by_label("learning rate \u03b7")
    eta.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert eta.input_value() == "0.45"
    assert "\u03b7 = 0.45, \u03b2 = 0.50" in readout.text_content()
    after = {r: canvas_pixels(page, ex.element_id, r) for r in ("trace", "loss")}
    assert after["trace"] != before["trace"] and after["loss"] != before["loss"]

    # Tab to the momentum slider and push the run past the stability limit.
    page.keyboard.press("Tab")
    beta = page.get_by_label("momentum \u03b2")
    assert page.evaluate("document.activeElement.dataset.role") == "beta"
    page.keyboard.press("Home")
    assert beta.input_value() == "0"
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    eta.focus()
    page.keyboard.press("End")
    text = readout.text_content()
    assert "\u03b7 = 1.00, \u03b2 = 0.10" in text and "diverg" in text
    assert canvas_pixels(page, ex.element_id, "trace") != after["trace"]

    page.get_by_label("method").select_option("nesterov")
    assert readout.text_content().startswith("Nesterov")
    assert page.get_by_role("img").count() == 2
    assert "Trajectory" in page.locator(f"{root} [data-role=trace]").get_attribute("aria-label")
    assert page.errors == []


@pytest.mark.browser
def test_two_explorers_on_one_page_are_independent(page):
    a, b = momentum_explorer(eta=0.2), momentum_explorer(eta=0.3, method="nesterov")
    assert a.element_id != b.element_id
    page.set_content("<!doctype html><html><body>" + a.html + b.html + "</body></html>")
    ra = page.locator(f"#{a.element_id} [data-role=readout]")
    rb = page.locator(f"#{b.element_id} [data-role=readout]")
    page.locator(f"#{a.element_id}-eta").focus()
    page.keyboard.press("ArrowRight")
    assert "\u03b7 = 0.21" in ra.text_content() and "\u03b7 = 0.30" in rb.text_content()
    assert page.errors == []


@pytest.mark.browser
def test_identical_explorers_on_one_page(page):
    ex = momentum_explorer(eta=0.25)
    page.set_content("<!doctype html><html><body>" + ex.html + ex.html + "</body></html>")
    readouts = page.locator("[data-role=readout]")
    assert readouts.count() == 2
    assert all("\u03b7 = 0.25" in readouts.nth(i).text_content() for i in range(2))
    page.locator("[data-role=eta]").nth(1).focus()
    page.keyboard.press("ArrowLeft")
    assert "\u03b7 = 0.25" in readouts.nth(0).text_content()
    assert "\u03b7 = 0.24" in readouts.nth(1).text_content()
    assert page.errors == []


@pytest.mark.unit
def test_output_is_self_contained():
    ex = momentum_explorer()
    assert ex._repr_html_() == ex.html
    assert "<script>" in ex.html and "MomentumExplorer.mount" in ex.html
    assert "src=" not in ex.html and "http" not in ex.html and "_static" not in ex.html
    assert len(ex.html) < 30_000
    assert ex.html.count('type="range"') == 2 and ex.html.count("<label") == 3


@pytest.mark.unit
@pytest.mark.parametrize("kwargs, error, match", [
    ({"eta": 0.0}, ValueError, "learning rate eta"),
    ({"beta": 1.0}, ValueError, "momentum beta"),
    ({"eta": 2.0}, ValueError, "outside its slider range"),
    ({"steps": 0}, ValueError, "steps"),
    ({"steps": 2.5}, ValueError, "steps"),
    ({"method": "adam"}, ValueError, "method"),
    ({"x0": (1.0,)}, TypeError, "x0"),
    ({"x0": (math.nan, 1.0)}, ValueError, "x0"),
    ({"beta_range": (0.0, 1.0, 0.01)}, ValueError, "beta_range"),
    ({"eta_range": (0.0, 1.0, 0.01)}, ValueError, "eta_range"),
    ({"window": (1.0, 2.0, -1.0, 1.0)}, ValueError, "window"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        momentum_explorer(**kwargs)


@pytest.mark.unit
def test_rejects_other_functions():
    with pytest.raises(TypeError, match="Quadratic2D"):
        momentum_explorer(lambda x1, x2: x1)
    with pytest.raises(ValueError, match="f.a"):
        momentum_explorer(Quadratic2D(-1.0, 2.0))


@pytest.mark.browser
def test_works_when_inserted_like_a_live_notebook_output(page):
    """JupyterLab sets a trusted output's innerHTML (scripts inert) and then
    re-creates each <script> so it runs; the explorer must mount that way too."""
    ex = momentum_explorer(eta=0.3, beta=0.6)
    page.set_content("<!doctype html><html><body><div id='out'></div></body></html>")
    page.evaluate("""html => {
        const out = document.getElementById('out');
        out.innerHTML = html;
        for (const old of Array.from(out.querySelectorAll('script'))) {
            const s = document.createElement('script');
            s.textContent = old.textContent;
            old.parentNode.replaceChild(s, old);
        }
    }""", ex.html)
    readout = page.locator(f"#{ex.element_id} [data-role=readout]")
    assert "\u03b7 = 0.30, \u03b2 = 0.60" in readout.text_content()
    page.locator(f"#{ex.element_id}-beta").focus()
    page.keyboard.press("ArrowUp")
    assert "\u03b2 = 0.61" in readout.text_content()
    assert page.errors == []


def start_of(page, ex):
    text = page.locator(f"#{ex.element_id} [data-role=readout]").text_content()
    return [float(v) for v in re.search(r"from \(([^,]+), ([^)]+)\)", text).groups()]


@pytest.mark.browser
def test_start_point_moves_by_drag_and_by_keys(page):
    ex = momentum_explorer(eta=0.4, beta=0.5)
    page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
    assert start_of(page, ex) == [-5.0, -2.0]

    def screen(x1, x2):
        return page.evaluate("""([id, x1, x2, win]) => {
            const c = document.querySelector('#' + id + ' [data-role=trace]');
            const g = CourseExplorer.traceGeometry(c, win), r = c.getBoundingClientRect();
            return [r.left + g.px(x1) * r.width / g.w, r.top + g.py(x2) * r.height / g.h];
        }""", [ex.element_id, x1, x2, ex.config["window"]])

    page.mouse.move(*screen(-3.0, 2.0))
    page.mouse.down()
    page.mouse.move(*screen(4.0, 2.5), steps=5)
    page.mouse.up()
    start = start_of(page, ex)
    assert start == pytest.approx([4.0, 2.5], abs=0.03)
    # the run drawn and read out is the Python run from the moved start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        end = run(momentum(0.4, 0.5), grad_2d(ILL_CONDITIONED.grad), start, 40)[-1]
    text = page.locator(f"#{ex.element_id} [data-role=readout]").text_content()
    shown = re.search(r"x = \(([^,]+), ([^)]+)\)", text).groups()
    assert [float(v) for v in shown] == pytest.approx(list(end), rel=1e-2, abs=1e-4)

    # Keys: the trace panel takes focus; arrows move by 0.1, Shift by 1, Home resets.
    trace = page.locator(f"#{ex.element_id} [data-role=trace]")
    trace.focus()
    page.keyboard.press("Home")
    assert start_of(page, ex) == [-5.0, -2.0]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowUp")
    assert start_of(page, ex) == [-5.1, -1.0]
    for _ in range(20):
        page.keyboard.press("Shift+ArrowLeft")
    assert start_of(page, ex) == [-6.0, -1.0]  # kept in the window
    # the sliders keep the moved start
    page.locator(f"#{ex.element_id}-eta").focus()
    page.keyboard.press("ArrowLeft")
    assert start_of(page, ex) == [-6.0, -1.0]
    assert "drag the start" in trace.get_attribute("aria-label")
    assert page.errors == []
