"""The in-browser explorers (momentum; the adaptive methods), emitted from a
notebook cell.

The cell's ``text/html`` output carries the markup and *inlines* two small
JavaScript files: ``web/explorer_core.js`` (the objectives, the contour and
loss panels, the theme's colours, the movable start; shared by both) and the
explorer's own ``web/momentum_explorer.js`` or ``web/adaptive_explorer.js``
(its update rules and controls). On the static site the browser runs them with
no kernel and no network, and in a live notebook the same output runs too. The
scripts iterate the methods themselves, with the same floating-point
operations as :mod:`d2lhelpers.momentum` and :mod:`d2lhelpers.adaptive` (the
parity tests check they agree), so every slider move redraws at once.
"""
from __future__ import annotations

import hashlib
import html
import json
import math
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from d2lhelpers.checks import (check_limit, check_lr, check_point, check_positive, check_real,
                               check_steps, check_unit_interval)
from d2lhelpers.functions import ILL_CONDITIONED, Quadratic2D

WEB = Path(__file__).resolve().parent / "web"
CORE_PATH = WEB / "explorer_core.js"
SCRIPT_PATH = WEB / "momentum_explorer.js"
ADAPTIVE_PATH = WEB / "adaptive_explorer.js"
_SCRIPTS = {"momentum": SCRIPT_PATH, "adaptive": ADAPTIVE_PATH}


def explorer_script(kind: str = "momentum") -> str:
    """The JavaScript of explorer ``kind`` ('momentum' or 'adaptive'): the shared
    core followed by the explorer's own part (the files shipped in the package)."""
    if kind not in _SCRIPTS:
        raise ValueError(f"kind must be one of {sorted(_SCRIPTS)}, got {kind!r}")
    return (CORE_PATH.read_text(encoding="utf-8") + "\n"
            + _SCRIPTS[kind].read_text(encoding="utf-8"))


def _check_range(name: str, rng, lower_ok) -> Tuple[float, float, float]:
    if not isinstance(rng, (tuple, list)) or len(rng) != 3:
        raise TypeError(f"{name} must be a (min, max, step) triple, got {rng!r}")
    lo, hi, step = (check_real(name, v) for v in rng)
    check_positive(f"{name} step", step)
    if not (lower_ok(lo) and lo < hi and math.isfinite(hi)):
        raise ValueError(f"{name} must satisfy the slider's bounds with min < max, got {rng!r}")
    if step > hi - lo:
        raise ValueError(f"{name} step must not exceed max - min = {hi - lo:g}, got {rng!r}")
    check_limit(f"{name} positions", round((hi - lo) / step), 100_000, "slider positions")
    return lo, hi, step


# --- markup shared by both explorers ----------------------------------------------

# Colours from the pydata theme's variables (light and dark mode), with the
# browser's system colours where the theme is absent (a live notebook).
_ROOT_STYLE = ("font-family:sans-serif;font-size:14px;max-width:720px;padding:4px;"
               "color:var(--pst-color-text-base,CanvasText);"
               "background-color:var(--pst-color-background,transparent)")
_SELECT_STYLE = ("min-height:24px;color:inherit;"
                 "background-color:var(--pst-color-surface,Field);"
                 "border:1px solid var(--pst-color-border,GrayText)")
_ROW = 'display:flex;align-items:center;gap:.5em;flex-wrap:wrap'


def _slider_row(ident: str, role: str, label: str, value: float, rng, shown: str) -> str:
    lo, hi, st = rng
    return (f'<div style="{_ROW}">'
            f'<label for="{ident}" data-role="{role}-label" style="min-width:9em">{label}</label>'
            f'<input type="range" id="{ident}" data-role="{role}" min="{lo:g}" '
            f'max="{hi:g}" step="{st:g}" value="{value!r}" '
            f'style="width:min(60vw,300px);min-height:24px">'
            f'<span data-role="{role}-value" aria-hidden="true">{shown}</span></div>')


def _select_row(ident: str, role: str, label: str, options, selected: str) -> str:
    opts = "".join(f'<option value="{v}"{" selected" if v == selected else ""}>{text}</option>'
                   for v, text in options)
    return (f'<div style="{_ROW}"><label for="{ident}" style="min-width:9em">{label}</label>'
            f'<select id="{ident}" data-role="{role}" style="{_SELECT_STYLE}">'
            f'{opts}</select></div>')


_PANELS = (
    '<output data-role="readout" aria-live="polite" style="display:block;margin:.4em 0;'
    'min-height:2.6em"></output>'
    # The two panels share a row when it is wide enough (the theme's column),
    # and stack, each as wide as it may be, on a phone.
    '<div style="display:flex;flex-wrap:wrap;gap:6px">'
    '<canvas data-role="trace" role="img" tabindex="0" width="420" height="240" '
    'style="flex:1.45 1 260px;min-width:0;max-width:420px;height:auto;border:0;'
    'touch-action:none;cursor:crosshair"></canvas>'
    '<canvas data-role="loss" role="img" width="290" height="240" '
    'style="flex:1 1 180px;min-width:0;max-width:290px;height:auto;border:0"></canvas></div>')


def _element_id(prefix: str, key) -> str:
    return prefix + "-" + hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()[:10]


def _script(kind: str, global_name: str, element_id: str, config: dict) -> str:
    # The configuration goes into a script, so "<" is escaped for the HTML parser.
    cfg_json = json.dumps(config, sort_keys=True).replace("<", "\\u003c")
    # Mount on the element just before this script when the browser says which
    # script runs (so two identical explorers on one page stay independent),
    # else look the element up by id.
    mount = ("(function (s) {\n  var el = s && s.previousElementSibling;\n"
             f"  window.{global_name}.mount(el && el.id === {json.dumps(element_id)} ? el : "
             f"{json.dumps(element_id)}, {cfg_json});\n}})(document.currentScript);")
    return ("<script>\n" + explorer_script(kind).replace("</script", "<\\/script")
            + "\n" + mount + "\n</script>")


def _check_point(name: str, x0) -> list:
    if not isinstance(x0, (tuple, list)) or len(x0) != 2:
        raise TypeError(f"{name} must be a pair (x1, x2), got {x0!r}")
    return [float(v) for v in check_point(name, x0, 2)]


class Explorer:
    """An explorer ready to display: ``html`` is the full cell output.

    Displaying the object (the last expression of a cell) emits that HTML;
    ``config`` is what its script receives.
    """

    def __init__(self, html_text: str, element_id: str, config: dict):
        self.html, self.element_id, self.config = html_text, element_id, config

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.element_id!r})"


class MomentumExplorer(Explorer):
    """The momentum explorer (:func:`momentum_explorer`)."""


def momentum_explorer(f: Quadratic2D = ILL_CONDITIONED, *, x0: Sequence[float] = (-5.0, -2.0),
                      steps: int = 40, eta: float = 0.4, beta: float = 0.5,
                      method: str = "momentum", eta_range=(0.01, 1.0, 0.01),
                      beta_range=(0.0, 0.99, 0.01), window=(-6.0, 6.0, -3.0, 3.0),
                      title: str = "Momentum on f = 0.1 x\u2081\u00b2 + 2 x\u2082\u00b2",
                      caption: str = "") -> MomentumExplorer:
    """Build the explorer for ``f`` (a :class:`Quadratic2D`).

    ``eta``, ``beta`` and ``method`` ('momentum' or 'nesterov') are the starting
    values; ``eta_range`` and ``beta_range`` are the sliders' (min, max, step);
    ``window`` is the plotted (x1_lo, x1_hi, x2_lo, x2_hi).
    """
    if not isinstance(f, Quadratic2D):
        raise TypeError(f"f must be a d2lhelpers.functions.Quadratic2D, got {type(f).__name__}")
    check_positive("f.a", f.a)
    check_positive("f.b", f.b)
    steps = check_steps(steps, limit=10_000)   # the browser iterates them on every move
    if steps == 0:
        raise ValueError("steps must be at least 1")
    eta, beta = check_lr(eta), check_unit_interval("momentum beta", beta)
    for name, text in (("title", title), ("caption", caption)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {text!r}")
    if method not in ("momentum", "nesterov"):
        raise ValueError(f"method must be 'momentum' or 'nesterov', got {method!r}")
    x0 = _check_point("x0", x0)
    eta_rng = _check_range("eta_range", eta_range, lambda lo: lo > 0)
    beta_rng = _check_range("beta_range", beta_range, lambda lo: lo >= 0)
    if beta_rng[1] >= 1:
        raise ValueError(f"beta_range must stay below 1, got {beta_range!r}")
    for name, value, (lo, hi, _) in (("eta", eta, eta_rng), ("beta", beta, beta_rng)):
        if not lo <= value <= hi:
            raise ValueError(f"{name} = {value} lies outside its slider range [{lo}, {hi}]")
    if not isinstance(window, (tuple, list)) or len(window) != 4:
        raise TypeError(f"window must be (x1_lo, x1_hi, x2_lo, x2_hi), got {window!r}")
    window = [check_real("window", v) for v in window]
    if not (window[0] < 0 < window[1] and window[2] < 0 < window[3]):
        raise ValueError(f"window must contain the minimum (0, 0), got {window!r}")

    start = f.a * x0[0] ** 2 + f.b * x0[1] ** 2
    top = math.ceil(math.log10(max(start, 1e-12)))
    config = {
        "a": float(f.a), "b": float(f.b), "x0": x0, "steps": steps, "window": window,
        "title": title, "levels": [start * 0.5 ** k for k in range(8)][::-1] + [4 * start],
        "loss_range": [top - 10, top + 2], "loss_tick": 2,
    }
    element_id = _element_id("momentum-explorer",
                             [config, eta, beta, method, eta_rng, beta_rng])
    markup = (
        f'<div class="course-explorer momentum-explorer" id="{element_id}" '
        f'style="{_ROOT_STYLE}">'
        + (f"<p><b>{html.escape(caption)}</b></p>" if caption else "")
        + _slider_row(f"{element_id}-eta", "eta", "learning rate \u03b7", eta, eta_rng,
                      f"{eta:.2f}")
        + _slider_row(f"{element_id}-beta", "beta", "momentum \u03b2", beta, beta_rng,
                      f"{beta:.2f}")
        + _select_row(f"{element_id}-method", "method", "method",
                      (("momentum", "heavy ball (momentum)"), ("nesterov", "Nesterov")), method)
        + _PANELS + "</div>")
    return MomentumExplorer(markup + _script("momentum", "MomentumExplorer", element_id, config),
                            element_id, config)


# --- the adaptive-methods explorer -------------------------------------------------

#: The longest run the adaptive explorer accepts: each slider move reruns it.
MAX_STEPS = 2000
#: The methods of the adaptive explorer, in menu order, with their menu names.
ADAPTIVE_METHODS = (("adagrad", "Adagrad"), ("rmsprop", "RMSProp"), ("adam", "Adam"),
                    ("momentum", "heavy ball (momentum), for comparison"))
#: Which slider each method uses: beta1 is momentum's beta or Adam's beta1,
#: beta2 is RMSProp's gamma or Adam's beta2.
USES = {"adagrad": (), "rmsprop": ("beta2",), "adam": ("beta1", "beta2"),
        "momentum": ("beta1",)}
#: The starting settings of each method (the chapter's demos use eta = 0.4).
ADAPTIVE_DEFAULTS = {
    "adagrad": {"eta": 0.4, "beta1": 0.9, "beta2": 0.9},
    "rmsprop": {"eta": 0.4, "beta1": 0.9, "beta2": 0.9},
    "adam": {"eta": 0.4, "beta1": 0.9, "beta2": 0.999},
    "momentum": {"eta": 0.4, "beta1": 0.5, "beta2": 0.9},
}
# Slider ranges in the slider's own unit: log10(eta), beta1, -log10(1 - beta2).
_ADAPTIVE_SLIDERS = {"eta": (-2.0, 1.0, 0.01), "beta1": (0.0, 0.99, 0.01),
                     "beta2": (0.3, 4.0, 0.01)}
_TO_SLIDER = {"eta": math.log10, "beta1": float, "beta2": lambda v: -math.log10(1 - v)}


def _eps_defaults() -> Dict[str, float]:
    # eps as d2lhelpers.adaptive uses it by default, read from its signatures so
    # the explorer cannot drift from the package.
    import inspect

    from d2lhelpers import adaptive
    out = {name: inspect.signature(getattr(adaptive, name)).parameters["eps"].default
           for name in ("adagrad", "rmsprop", "adam")}
    out["momentum"] = 0.0
    return out


def _quadratic_problem(short: str, f: Quadratic2D, angle: float, window) -> dict:
    """A problem of the adaptive explorer: ``f`` turned by ``angle`` (radians) as in
    :func:`d2lhelpers.race.rotated_quadratic`, started at R^T (-5, -2)."""
    c, s = (1.0, 0.0) if angle == 0 else (math.cos(angle), math.sin(angle))
    x0 = [-5.0, -2.0] if angle == 0 else [c * -5.0 + s * -2.0, -s * -5.0 + c * -2.0]
    return {"short": short, "p": {"a": float(f.a), "b": float(f.b), "c": c, "s": s},
            "x0": x0, "window": list(window)}


#: The two problems: the ill-conditioned quadratic 0.1 x1^2 + 2 x2^2 (kappa = 20)
#: and the same quadratic turned by 45 degrees (race.rotated_quadratic()).
ADAPTIVE_PROBLEMS = {
    "quadratic": _quadratic_problem("quadratic 0.1 x\u2081\u00b2 + 2 x\u2082\u00b2",
                                    ILL_CONDITIONED, 0.0, (-6.0, 6.0, -3.0, 3.0)),
    # The runs from R^T (-5, -2) climb to x2 = 4.1 before they turn to the
    # minimum; this window holds them at the trace panel's aspect ratio (2:1).
    "rotated": _quadratic_problem("quadratic turned by 45\u00b0", ILL_CONDITIONED,
                                  math.pi / 4, (-6.5, 4.5, -1.0, 4.5)),
}


class AdaptiveExplorer(Explorer):
    """The adaptive-methods explorer (:func:`adaptive_explorer`)."""


def adaptive_explorer(method: str = "adam", problem: str = "quadratic", *, steps: int = 50,
                      eta: Optional[float] = None, beta1: Optional[float] = None,
                      beta2: Optional[float] = None, x0: Optional[Sequence[float]] = None,
                      caption: str = "") -> AdaptiveExplorer:
    """Build the explorer of Adagrad, RMSProp, Adam and heavy-ball momentum.

    ``method`` (one of 'adagrad', 'rmsprop', 'adam', 'momentum') and ``problem``
    ('quadratic' or 'rotated', the 45-degree turn) are shown first. ``eta``,
    ``beta1`` (momentum's beta or Adam's beta1) and ``beta2`` (RMSProp's gamma
    or Adam's beta2) override that method's starting values
    (:data:`ADAPTIVE_DEFAULTS`); ``x0`` overrides that problem's start. The
    sliders run over eta in [0.01, 10] (log scale), beta1 in [0, 0.99] and
    beta2 in [0.5, 0.9999] (on -log10(1 - beta2)).
    """
    names = [m for m, _ in ADAPTIVE_METHODS]
    if not isinstance(caption, str):
        raise TypeError(f"caption must be a str, got {caption!r}")
    if not isinstance(method, str) or method not in names:
        raise ValueError(f"method must be one of {names}, got {method!r}")
    if not isinstance(problem, str) or problem not in ADAPTIVE_PROBLEMS:
        raise ValueError(f"problem must be one of {sorted(ADAPTIVE_PROBLEMS)}, got {problem!r}")
    steps = check_steps(steps)
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must lie in [1, {MAX_STEPS}] (every slider move reruns "
                         f"them in the browser), got {steps}")
    settings = {m: dict(v) for m, v in ADAPTIVE_DEFAULTS.items()}
    given = {"eta": eta, "beta1": beta1, "beta2": beta2}
    for name, value in given.items():
        if value is None:
            continue
        if name != "eta" and name not in USES[method]:
            raise ValueError(f"{name} does not apply to {method} (it uses "
                             f"{', '.join(('eta',) + USES[method])})")
        value = (check_lr(value) if name == "eta"
                 else check_unit_interval(name, value))
        lo, hi, _ = _ADAPTIVE_SLIDERS[name]
        if not lo - 1e-12 <= _TO_SLIDER[name](value) <= hi + 1e-12:
            raise ValueError(f"{name} = {value} lies outside its slider range")
        settings[method][name] = value
    problems = json.loads(json.dumps(ADAPTIVE_PROBLEMS))
    if x0 is not None:
        problems[problem]["x0"] = _check_point("x0", x0)
    for prob in problems.values():
        p, start = prob["p"], prob["x0"]
        u1 = p["c"] * start[0] - p["s"] * start[1]
        u2 = p["s"] * start[0] + p["c"] * start[1]
        f0 = max(p["a"] * u1 ** 2 + p["b"] * u2 ** 2, 1e-12)
        prob["levels"] = [f0 * 0.4 ** k for k in range(10)][::-1] + [4 * f0]
    f0 = 0.1 * 25 + 2 * 4  # the default start's loss, 10.5, on both problems
    top = math.ceil(math.log10(f0))
    config = {"steps": steps, "settings": settings, "problems": problems,
              "eps": _eps_defaults(), "loss_range": [top - 18, top + 2], "loss_tick": 4}
    element_id = _element_id("adaptive-explorer", [config, method, problem])
    cur = settings[method]

    def row(role, label, shown):
        value = _TO_SLIDER[role](cur[role])
        return _slider_row(f"{element_id}-{role}", role, label, value,
                           _ADAPTIVE_SLIDERS[role], shown)

    markup = (
        f'<div class="course-explorer adaptive-explorer" id="{element_id}" '
        f'style="{_ROOT_STYLE}">'
        + (f"<p><b>{html.escape(caption)}</b></p>" if caption else "")
        + _select_row(f"{element_id}-method", "method", "method", ADAPTIVE_METHODS, method)
        + _select_row(f"{element_id}-problem", "problem", "problem",
                      (("quadratic", "ill-conditioned quadratic"),
                       ("rotated", "the same, turned by 45\u00b0")), problem)
        + row("eta", "learning rate \u03b7", f"{cur['eta']:.2g}")
        + row("beta1", "first-moment decay \u03b2\u2081", f"{cur['beta1']:.2f}")
        + row("beta2", "second-moment decay \u03b2\u2082", f"{cur['beta2']:.4f}")
        + _PANELS + "</div>")
    return AdaptiveExplorer(markup + _script("adaptive", "AdaptiveExplorer", element_id, config),
                            element_id, config)
