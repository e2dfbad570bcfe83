"""The in-browser adaptive-methods explorer: parity with the package's Adagrad,
RMSProp, Adam and heavy ball on the quadratic and its 45-degree turn, its
controls (keyboard, menus, the movable start), the theme's colours, bad input.

The page is built from the explorer's own cell output with ``set_content``, so
these tests need neither the built site nor a network.
"""
from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import test_explorer

from d2lhelpers import race
from d2lhelpers.adaptive import adagrad, adam, rmsprop
from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.explorer import (ADAPTIVE_DEFAULTS, ADAPTIVE_PROBLEMS, adaptive_explorer,
                                 explorer_script)
from d2lhelpers.functions import ILL_CONDITIONED
from d2lhelpers.momentum import momentum
from d2lhelpers.optim import grad_2d, run


# The momentum explorer's page fixture: a fresh context that records errors.
page = test_explorer.page
ROTATED = race.rotated_quadratic()
# The Python objective behind each problem of the explorer: gradient and start.
REFERENCE = {"quadratic": (ILL_CONDITIONED.grad, (-5.0, -2.0)),
             "rotated": (ROTATED.grad, ROTATED.x0)}

# (method, eta, beta1, beta2): converging, tuned, oscillating, stalled and
# diverging runs (momentum past its stability limit overflows to inf).
SETTINGS = [
    ("adagrad", 0.4, 0, 0), ("adagrad", 2.0, 0, 0), ("adagrad", 8.0, 0, 0),
    ("adagrad", 0.01, 0, 0), ("adagrad", 10.0, 0, 0),
    ("rmsprop", 0.4, 0, 0.9), ("rmsprop", 0.05, 0, 0.99), ("rmsprop", 1.0, 0, 0.5),
    ("rmsprop", 3.0, 0, 0.9999), ("rmsprop", 10.0, 0, 0.9),
    ("adam", 0.4, 0.9, 0.999), ("adam", 0.1, 0.0, 0.999), ("adam", 1.0, 0.99, 0.5),
    ("adam", 5.0, 0.9, 0.9999), ("adam", 0.01, 0.5, 0.9), ("adam", 10.0, 0.99, 0.9999),
    ("momentum", 0.4, 0.5, 0), ("momentum", 0.6, 0.5, 0), ("momentum", 1.0, 0.9, 0),
    ("momentum", 0.9, 0.0, 0), ("momentum", 0.3, 0.99, 0), ("momentum", 2.0, 0.5, 0),
    ("momentum", 5.0, 0.9, 0), ("momentum", 10.0, 0.5, 0),
]
STEPS = 300


def python_opt(method, eta, beta1, beta2):
    return {"adagrad": lambda: adagrad(eta), "rmsprop": lambda: rmsprop(eta, beta2),
            "adam": lambda: adam(eta, beta1, beta2),
            "momentum": lambda: momentum(eta, beta1)}[method]()


def python_iterates(problem, method, eta, beta1, beta2, steps=STEPS, x0=None):
    grad, start = REFERENCE[problem]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return run(python_opt(method, eta, beta1, beta2), grad_2d(grad),
                   start if x0 is None else x0, steps)


def js_iterates(page, problem, method, eta, beta1, beta2, steps=STEPS):
    eps = {"adagrad": 1e-6, "rmsprop": 1e-6, "adam": 1e-8, "momentum": 0.0}[method]
    prob = ADAPTIVE_PROBLEMS[problem]
    # JSON cannot carry Infinity/NaN, so non-finite values come back as strings.
    rows = page.evaluate(
        """([m, h, p, x0, steps]) => AdaptiveExplorer.iterate(m, h, p, x0, steps)
             .map(r => r.map(v => isFinite(v) ? v : String(v)))""",
        [method, {"eta": eta, "beta1": beta1, "beta2": beta2, "eps": eps},
         prob["p"], prob["x0"], steps])
    return np.array([[float(v) for v in r] for r in rows])


def finite_rows(rows):
    rows = np.asarray(rows, dtype=float)
    ok = np.all(np.isfinite(rows), axis=1)
    return rows[: int(np.argmin(ok))] if not ok.all() else rows


@pytest.fixture
def script_page(page):
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=explorer_script("adaptive"))
    return page


@pytest.mark.unit
def test_problems_are_the_packages():
    """The explorer's two problems are ILL_CONDITIONED and race.rotated_quadratic()."""
    q, r = ADAPTIVE_PROBLEMS["quadratic"], ADAPTIVE_PROBLEMS["rotated"]
    assert q["p"] == {"a": 0.1, "b": 2.0, "c": 1.0, "s": 0.0} and q["x0"] == [-5.0, -2.0]
    assert tuple(r["x0"]) == ROTATED.x0
    assert (r["p"]["c"], r["p"]["s"]) == (math.cos(math.pi / 4), math.sin(math.pi / 4))
    # the same f at the same start: a rotation keeps the loss
    assert ROTATED.f(*ROTATED.x0) == pytest.approx(ILL_CONDITIONED.f(-5.0, -2.0), rel=1e-15)


@pytest.mark.browser
@pytest.mark.parametrize("problem", ["quadratic", "rotated"])
def test_browser_iterates_equal_python(script_page, problem):
    page, grew, blew_up, converged = script_page, 0, 0, 0
    for method, eta, beta1, beta2 in SETTINGS:
        py = python_iterates(problem, method, eta, beta1, beta2)
        js = js_iterates(page, problem, method, eta, beta1, beta2)
        key = (problem, method, eta, beta1, beta2)
        py_f, js_f = finite_rows(py), finite_rows(js)
        # the same stopping step: Python's trace ends at the last finite
        # iterate, the browser's run keeps the first non-finite row too
        blew = len(js_f) < len(js)
        assert len(js) == len(py) + blew, key
        assert len(py_f) == len(py) == len(js_f) >= 2, key
        scale = np.maximum(1.0, np.abs(py_f))
        assert np.all(np.abs(js_f - py_f) <= 1e-12 * scale), key
        with np.errstate(over="ignore"):
            f = [(ILL_CONDITIONED.f(*r) if problem == "quadratic" else ROTATED.f(*r))
                 for r in py_f]
        blew_up += blew
        grew += len(py_f) == len(py) and f[-1] > f[0]
        converged += f[-1] < 1e-6 * f[0]
    # the set really holds runs that overflow, runs that end above their start
    # loss without overflowing, and runs that converge
    assert blew_up >= 2 and grew >= 2 and converged >= 5
    assert page.errors == []


@pytest.mark.browser
def test_long_diverging_run_stops_at_first_nonfinite(script_page):
    js = js_iterates(script_page, "quadratic", "momentum", 1.0, 0.0, 0, steps=2000)
    py = python_iterates("quadratic", "momentum", 1.0, 0.0, 0, steps=2000)
    assert len(js) == len(py) + 1 <= 2001
    assert not np.isfinite(js[-1]).all() and np.isfinite(js[-2]).all()
    assert np.array_equal(js[:-1], py)


def readout(page, ex):
    return page.locator(f"#{ex.element_id} [data-role=readout]").text_content()


def shown_point(text, label):
    m = re.search(label + r" \(([^,]+), ([^)]+)\)", text)
    return [float(v) for v in m.groups()]


@pytest.mark.browser
def test_cell_output_runs_and_matches_python(page):
    ex = adaptive_explorer()
    page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
    text = readout(page, ex)
    assert text.startswith("Adam, \u03b7 = 0.4, \u03b2\u2081 = 0.90, \u03b2\u2082 = 0.9990")
    end = python_iterates("quadratic", "adam", 0.4, 0.9, 0.999, steps=50)[-1]
    assert shown_point(text, "x =") == pytest.approx(list(end), rel=1e-3, abs=1e-4)
    assert shown_point(text, "from") == [-5.0, -2.0]
    assert page.get_by_role("img").count() == 2
    assert page.errors == []


def pixels(page, ex, role="trace"):
    return page.evaluate(
        "([id, r]) => document.querySelector('#' + id + ' [data-role=' + r + ']').toDataURL()",
        [ex.element_id, role])


@pytest.mark.browser
def test_keyboard_menus_and_sliders(page):
    ex = adaptive_explorer()
    page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
    before = pixels(page, ex)
    eta = page.get_by_label("learning rate \u03b7")
    eta.focus()
    page.keyboard.press("ArrowRight")  # the log slider: 10^(-0.40 + 0.01)
    assert "\u03b7 = 0.41," in readout(page, ex)
    assert eta.get_attribute("aria-valuetext") == "0.41"
    assert pixels(page, ex) != before
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.role") == "beta1"
    page.keyboard.press("Home")
    assert "\u03b2\u2081 = 0.00" in readout(page, ex)

    # RMSProp: beta1 off, the second slider is gamma, its own settings kept.
    page.get_by_label("method").select_option("rmsprop")
    text = readout(page, ex)
    assert text.startswith("RMSProp, \u03b7 = 0.4, \u03b3 = 0.9000, on the quadratic")
    assert page.locator(f"#{ex.element_id}-beta1").is_disabled()
    assert page.get_by_label("decay \u03b3").is_enabled()
    page.get_by_label("decay \u03b3").focus()
    page.keyboard.press("End")
    assert "\u03b3 = 0.9999" in readout(page, ex)
    # back to Adam: its settings as the reader left them
    page.get_by_label("method").select_option("adam")
    assert readout(page, ex).startswith("Adam, \u03b7 = 0.41, \u03b2\u2081 = 0.00, ")

    page.get_by_label("method").select_option("adagrad")
    assert page.locator(f"#{ex.element_id}-beta2").is_disabled()
    page.get_by_label("problem").select_option("rotated")
    text = readout(page, ex)
    assert "on the quadratic turned by 45\u00b0" in text
    end = python_iterates("rotated", "adagrad", 0.4, 0, 0, steps=50)[-1]
    assert shown_point(text, "x =") == pytest.approx(list(end), rel=1e-3, abs=1e-4)
    page.get_by_label("method").select_option("momentum")
    page.get_by_label("learning rate \u03b7").focus()
    page.keyboard.press("End")  # eta = 10: heavy ball leaves the picture
    assert "f grew: this run does not converge" in readout(page, ex)
    assert page.errors == []


def client_point(page, ex, x1, x2):
    """Where the data point (x1, x2) of the trace panel is on the screen."""
    return page.evaluate("""([id, x1, x2, win]) => {
        const c = document.querySelector('#' + id + ' [data-role=trace]');
        const g = CourseExplorer.traceGeometry(c, win), r = c.getBoundingClientRect();
        return [r.left + g.px(x1) * r.width / g.w, r.top + g.py(x2) * r.height / g.h];
    }""", [ex.element_id, x1, x2, ADAPTIVE_PROBLEMS["quadratic"]["window"]])


@pytest.mark.browser
def test_start_moves_by_drag_and_keys(page):
    ex = adaptive_explorer(method="rmsprop")
    page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
    x, y = client_point(page, ex, 2.0, 1.0)
    page.mouse.move(x, y)
    page.mouse.down()
    x, y = client_point(page, ex, 3.0, -1.5)
    page.mouse.move(x, y, steps=4)
    page.mouse.up()
    start = shown_point(readout(page, ex), "from")
    assert start == pytest.approx([3.0, -1.5], abs=0.03)
    # the run is from the moved start: Python from the same start agrees
    end = python_iterates("quadratic", "rmsprop", 0.4, 0, 0.9, steps=50, x0=start)[-1]
    shown = shown_point(readout(page, ex), "x =")
    assert shown == pytest.approx(list(end), rel=1e-3, abs=1e-4)

    page.locator(f"#{ex.element_id} [data-role=trace]").focus()
    page.keyboard.press("Home")
    assert shown_point(readout(page, ex), "from") == [-5.0, -2.0]
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    assert shown_point(readout(page, ex), "from") == [-4.0, -1.0]
    # each problem keeps its own start
    page.get_by_label("problem").select_option("rotated")
    assert shown_point(readout(page, ex), "from") == pytest.approx(
        list(ROTATED.x0), abs=0.005)
    page.get_by_label("problem").select_option("quadratic")
    assert shown_point(readout(page, ex), "from") == [-4.0, -1.0]
    for _ in range(200):  # the start stays in the window
        page.keyboard.press("Shift+ArrowDown")
    assert shown_point(readout(page, ex), "from") == [-4.0, -3.0]
    assert page.errors == []


THEMED = """<!doctype html><html data-theme="{mode}"><head><style>
html[data-theme="light"] {{ --pst-color-text-base: #222832; --pst-color-background: #ffffff; }}
html[data-theme="dark"] {{ --pst-color-text-base: #ced6dd; --pst-color-background: #121212; }}
body {{ background: var(--pst-color-background); }}
</style></head><body>{body}</body></html>"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_follows_the_theme(page, mode):
    ex = adaptive_explorer()
    page.set_content(THEMED.format(mode=mode, body=ex.html))
    root = f"#{ex.element_id}"
    color = page.evaluate(f"getComputedStyle(document.querySelector('{root}')).color")
    assert color == ("rgb(206, 214, 221)" if mode == "dark" else "rgb(34, 40, 50)")
    # The explorer sits on the page's own background (no slab in either mode).
    assert page.evaluate(
        f"getComputedStyle(document.querySelector('{root}')).backgroundColor") == (
        "rgb(18, 18, 18)" if mode == "dark" else "rgb(255, 255, 255)")
    # The canvas is transparent where nothing is drawn, and its ink is the page's.
    corner, title = page.evaluate(f"""() => {{
        const c = document.querySelector('{root} [data-role=trace]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, Math.round(c.height * 0.09)).data;
        let best = 0, at = -1;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > best) {{ best = d[i + 3]; at = i; }}
        return [d[3], [d[at], d[at + 1], d[at + 2]]];
    }}""")
    assert corner == 0
    assert (min(title) > 150) if mode == "dark" else (max(title) < 90)
    # Switching the mode redraws in the new ink.
    before = pixels(page, ex)
    page.evaluate("m => document.documentElement.dataset.theme = m",
                  "light" if mode == "dark" else "dark")
    page.wait_for_function(f"document.querySelector('{root} [data-role=trace]').toDataURL() "
                           f"!== {before!r}")
    assert page.errors == []


@pytest.mark.unit
def test_output_is_self_contained():
    ex = adaptive_explorer()
    assert ex._repr_html_() == ex.html and "AdaptiveExplorer.mount" in ex.html
    assert "CourseExplorer" in ex.html
    assert "src=" not in ex.html and "http" not in ex.html and "_static" not in ex.html
    assert len(ex.html) < 40_000
    assert ex.html.count('type="range"') == 3 and ex.html.count("<select") == 2
    assert adaptive_explorer().element_id == ex.element_id
    assert adaptive_explorer(eta=0.5).element_id != ex.element_id


@pytest.mark.unit
def test_defaults_are_the_packages():
    from d2lhelpers.explorer import _eps_defaults
    assert _eps_defaults() == {"adagrad": 1e-6, "rmsprop": 1e-6, "adam": 1e-8,
                               "momentum": 0.0}
    assert ADAPTIVE_DEFAULTS["adam"] == {"eta": 0.4, "beta1": 0.9, "beta2": 0.999}


@pytest.mark.unit
@pytest.mark.parametrize("kwargs, error, match", [
    ({"method": "sgd"}, ValueError, "method"),
    ({"problem": "rosenbrock"}, ValueError, "problem"),
    ({"eta": 0.0}, ValueError, "learning rate eta"),
    ({"eta": 20.0}, ValueError, "outside its slider range"),
    ({"eta": 0.001}, ValueError, "outside its slider range"),
    ({"beta1": 1.0}, ValueError, "beta1"),
    ({"beta2": 0.99999}, ValueError, "outside its slider range"),
    ({"method": "adagrad", "beta1": 0.5}, ValueError, "does not apply to adagrad"),
    ({"method": "rmsprop", "beta1": 0.5}, ValueError, "does not apply to rmsprop"),
    ({"method": "momentum", "beta2": 0.9}, ValueError, "does not apply to momentum"),
    ({"steps": 0}, ValueError, "steps"),
    ({"steps": 2.5}, ValueError, "steps"),
    ({"steps": 10 ** 6}, ValueError, "steps must lie in"),
    ({"problem": ["quadratic"]}, ValueError, "problem"),
    ({"method": None}, ValueError, "method"),
    ({"eta": True}, ValueError, "eta"),
    ({"eta": math.nan}, ValueError, "eta"),
    ({"x0": (1.0,)}, TypeError, "x0"),
    ({"x0": (math.inf, 1.0)}, ValueError, "x0"),
    ({"x0": "ab"}, TypeError, "x0"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        adaptive_explorer(**kwargs)


@pytest.mark.browser
def test_next_to_a_momentum_explorer(page):
    """Both explorers on one page: one shared core, each independent."""
    from d2lhelpers.explorer import momentum_explorer
    a, m = adaptive_explorer(), momentum_explorer(eta=0.3)
    page.set_content("<!doctype html><html><body>" + m.html + a.html + "</body></html>")
    page.locator(f"#{a.element_id}-eta").focus()
    page.keyboard.press("ArrowLeft")
    assert "\u03b7 = 0.39," in readout(page, a)
    assert "\u03b7 = 0.30" in readout(page, m)
    assert page.errors == []


def final_loss(problem, method, eta, beta1=0.0, beta2=0.0):
    x = python_iterates(problem, method, eta, beta1, beta2, steps=50)[-1]
    return ILL_CONDITIONED.f(*x) if problem == "quadratic" else ROTATED.f(*x)


@pytest.mark.unit
def test_what_the_chapter_says_to_try():
    """The numbers of the adaptive chapter's explorer section (50 steps)."""
    # Adagrad near eta = 2 (the log slider's nearest values 10^0.29..10^0.31)
    for eta in (10 ** 0.29, 10 ** 0.30, 2.0, 10 ** 0.31):
        assert 1e-17 < final_loss("quadratic", "adagrad", eta) < 1e-15
        assert 4e-3 < final_loss("rotated", "adagrad", eta) < 6e-3
    # heavy ball: the same loss on both problems
    hb = final_loss("quadratic", "momentum", 0.4, 0.5)
    assert f"{hb:.2g}" == "8.6e-11"
    assert final_loss("rotated", "momentum", 0.4, 0.5) == pytest.approx(hb, rel=1e-6)
    # Adam at its defaults, with and without momentum
    assert f"{final_loss('quadratic', 'adam', 0.4, 0.9, 0.999):.1g}" == "0.03"
    assert f"{final_loss('quadratic', 'adam', 0.4, 0.0, 0.999):.1g}" == "2e-08"
    # With beta1 = 0, Adam's step is RMSProp's with gamma = beta2, its s corrected
    # and eps outside the root: the first step moves each coordinate by eta.
    first = python_iterates("quadratic", "adam", 0.4, 0.0, 0.999, steps=1)
    assert first[1] - first[0] == pytest.approx([0.4, 0.4], rel=1e-6)


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
THEME_VARS = """
html[data-theme="light"] { --pst-color-text-base: #222832; --pst-color-background: #ffffff;
  --pst-color-surface: #f5f5f5; --pst-color-border: #d1d5da; }
html[data-theme="dark"] { --pst-color-text-base: #ced6dd; --pst-color-background: #121212;
  --pst-color-surface: #29313d; --pst-color-border: #48566b; }
body { background: var(--pst-color-background); color: var(--pst-color-text-base); }"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_violations(page, mode):
    """Both explorers, with every slider state (used and unused), in both modes."""
    from d2lhelpers.explorer import momentum_explorer
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (package.json pins it)")
    body = "".join(ex.html for ex in (
        momentum_explorer(), adaptive_explorer(), adaptive_explorer(method="adagrad"),
        adaptive_explorer(method="momentum", problem="rotated")))
    page.set_content(f'<!doctype html><html lang="en" data-theme="{mode}"><head>'
                     f'<title>explorers</title><style>{THEME_VARS}</style></head>'
                     f'<body><main><h1>Explorers</h1>{body}</main></body></html>')
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations
        .map(v => ({id: v.id, impact: v.impact, html: v.nodes[0].html.slice(0, 120)}))""")
    bad = [v for v in found if v["impact"] in ("critical", "serious")]
    assert bad == []
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_on_the_built_site(site_url, browser, mode):
    """The adaptive chapter's explorer and the momentum chapter's run on the
    built pages, in the theme's colours, with no request off the machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                            f"localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    try:
        for name, cls in (("adaptive", "adaptive-explorer"), ("momentum", "momentum-explorer")):
            page.goto(f"{site_url}chapters/{name}.html", wait_until="load")
            assert page.evaluate("document.documentElement.dataset.theme") == mode
            root = page.locator(f".{cls}")
            assert root.count() == 1
            readout = root.locator("[data-role=readout]")
            page.wait_for_function("el => /after \\d+ steps/.test(el.textContent)",
                                   arg=readout.element_handle(), timeout=10000)
            text = readout.text_content()
            assert "after 50 steps" in text or "after 40 steps" in text
            root.locator("[data-role=eta]").focus()
            page.keyboard.press("ArrowRight")
            assert readout.text_content() != text
            ink = page.evaluate("el => getComputedStyle(el).color", root.element_handle())
            body = page.evaluate("getComputedStyle(document.querySelector('article') || "
                                 "document.body).color")
            assert ink == body  # the explorer's text is the page's text colour
        assert errors == []
        assert [u for u in requests if not u.startswith(site_url)
                and not u.startswith(("data:", "blob:", "about:"))] == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("column, side_by_side", [(672, True), (800, True), (358, False)])
def test_panels_fit_the_column(browser, column, side_by_side):
    """In the theme's column the two panels share a row; on a phone they stack;
    neither overflows the column, and each keeps its aspect ratio."""
    from d2lhelpers.explorer import momentum_explorer
    context = browser.new_context(viewport={"width": max(390, column + 40), "height": 900})
    page = context.new_page()
    try:
        for ex in (adaptive_explorer(), momentum_explorer()):
            page.set_content(f'<!doctype html><html><body><div id="col" style="width:{column}px">'
                             f'{ex.html}</div></body></html>')
            boxes = page.evaluate("""id => [...document.querySelectorAll('#' + id + ' canvas')]
                .map(c => { const r = c.getBoundingClientRect();
                            return [r.left, r.top, r.width, r.height]; })""", ex.element_id)
            (x1, y1, w1, h1), (x2, y2, w2, h2) = boxes
            assert (y1 == y2) == side_by_side
            left = page.evaluate("document.getElementById('col').getBoundingClientRect().left")
            assert max(x1 + w1, x2 + w2) <= left + column + 0.5
            assert w1 / h1 == pytest.approx(420 / 240, rel=0.02)
            assert w2 / h2 == pytest.approx(290 / 240, rel=0.02)
            assert w1 >= 250 and w2 >= 180
    finally:
        context.close()


@pytest.mark.browser
def test_mounts_when_inserted_like_a_live_notebook_output(page):
    """JupyterLab sets a trusted output's innerHTML (scripts inert) and then
    re-creates each <script>; after a momentum explorer's output, whose core
    is already loaded, the adaptive explorer mounts that way too."""
    from d2lhelpers.explorer import momentum_explorer
    ex = adaptive_explorer(method="rmsprop", problem="rotated")
    page.set_content("<!doctype html><html><body><div id='a'></div><div id='b'></div>"
                     "</body></html>")
    page.evaluate("""([one, two]) => {
        for (const [id, html] of [['a', one], ['b', two]]) {
            const out = document.getElementById(id);
            out.innerHTML = html;
            for (const old of Array.from(out.querySelectorAll('script'))) {
                const s = document.createElement('script');
                s.textContent = old.textContent;
                old.parentNode.replaceChild(s, old);
            }
        }
    }""", [momentum_explorer().html, ex.html])
    assert readout(page, ex).startswith("RMSProp, \u03b7 = 0.4, \u03b3 = 0.9000, on the "
                                        "quadratic turned by 45\u00b0")
    page.locator(f"#{ex.element_id}-beta2").focus()
    page.keyboard.press("ArrowRight")
    assert "\u03b3 = 0.9023" in readout(page, ex)  # 1 - 10^-(1.00 + 0.01)
    assert page.errors == []


@pytest.mark.unit
def test_windows_hold_the_default_runs():
    """Each problem's window holds the start and the minimum, and every method's
    default run (its defaults, 50 steps) stays inside it."""
    for problem, prob in ADAPTIVE_PROBLEMS.items():
        lo1, hi1, lo2, hi2 = prob["window"]
        assert lo1 < 0 < hi1 and lo2 < 0 < hi2
        for method, h in ADAPTIVE_DEFAULTS.items():
            rows = python_iterates(problem, method, h["eta"], h["beta1"], h["beta2"], steps=50)
            assert np.all((rows[:, 0] > lo1) & (rows[:, 0] < hi1)), (problem, method)
            assert np.all((rows[:, 1] > lo2) & (rows[:, 1] < hi2)), (problem, method)
