"""The in-browser momentum explorer, emitted from a notebook cell.

The cell's ``text/html`` output carries the markup and *inlines* the small
JavaScript file ``web/momentum_explorer.js``: on the static site the browser
runs it with no kernel and no network, and in a live notebook the same output
runs too. The script iterates heavy ball / Nesterov itself, with the same
floating-point operations as :mod:`d2lhelpers.momentum` (the parity test
checks they agree), so every slider move redraws at once.
"""
from __future__ import annotations

import hashlib
import html
import json
import math
from pathlib import Path
from typing import Sequence, Tuple

from d2lhelpers.checks import (check_limit, check_lr, check_point, check_positive, check_real,
                               check_steps, check_unit_interval)
from d2lhelpers.functions import ILL_CONDITIONED, Quadratic2D

SCRIPT_PATH = Path(__file__).resolve().parent / "web" / "momentum_explorer.js"


def explorer_script() -> str:
    """The explorer's JavaScript source (the file shipped in the package)."""
    return SCRIPT_PATH.read_text(encoding="utf-8")


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


class MomentumExplorer:
    """An explorer ready to display: ``html`` is the full cell output.

    Displaying the object (the last expression of a cell) emits that HTML.
    """

    def __init__(self, html_text: str, element_id: str, config: dict):
        self.html, self.element_id, self.config = html_text, element_id, config

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"MomentumExplorer(id={self.element_id!r})"


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
    if not isinstance(x0, (tuple, list)) or len(x0) != 2:
        raise TypeError(f"x0 must be a pair (x1, x2), got {x0!r}")
    x0 = [float(v) for v in check_point("x0", x0, 2)]
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
    key = json.dumps([config, eta, beta, method, eta_rng, beta_rng], sort_keys=True)
    element_id = "momentum-explorer-" + hashlib.sha1(key.encode()).hexdigest()[:10]

    def slider(role, label, value, rng):
        lo, hi, st = rng
        ident = f"{element_id}-{role}"
        return (f'<div style="display:flex;align-items:center;gap:.5em;flex-wrap:wrap">'
                f'<label for="{ident}" style="min-width:9em">{label}</label>'
                f'<input type="range" id="{ident}" data-role="{role}" min="{lo:g}" '
                f'max="{hi:g}" step="{st:g}" value="{value:g}" style="width:min(60vw,300px)">'
                f'<span data-role="{role}-value" aria-hidden="true">{value:.2f}</span></div>')

    options = "".join(
        f'<option value="{m}"{" selected" if m == method else ""}>{text}</option>'
        for m, text in (("momentum", "heavy ball (momentum)"), ("nesterov", "Nesterov")))
    markup = (
        f'<div class="momentum-explorer" id="{element_id}" '
        'style="font-family:sans-serif;font-size:14px;max-width:720px">'
        + (f"<p><b>{html.escape(caption)}</b></p>" if caption else "")
        + slider("eta", "learning rate \u03b7", eta, eta_rng)
        + slider("beta", "momentum \u03b2", beta, beta_rng)
        + f'<div><label for="{element_id}-method" style="min-width:9em;display:inline-block">'
          f'method</label><select id="{element_id}-method" data-role="method">{options}</select></div>'
        + '<output data-role="readout" aria-live="polite" style="display:block;margin:.4em 0;'
          'min-height:2.6em"></output>'
        '<div style="display:flex;flex-wrap:wrap;gap:6px">'
        '<canvas data-role="trace" role="img" width="420" height="240" '
        'style="max-width:100%;border:0"></canvas>'
        '<canvas data-role="loss" role="img" width="290" height="240" '
        'style="max-width:100%;border:0"></canvas></div></div>')
    # The configuration goes into a script, so "<" is escaped for the HTML parser.
    cfg_json = json.dumps(config, sort_keys=True).replace("<", "\\u003c")
    # Mount on the element just before this script when the browser says which
    # script runs (so two identical explorers on one page stay independent),
    # else look the element up by id.
    mount = ("(function (s) {\n  var el = s && s.previousElementSibling;\n"
             f"  window.MomentumExplorer.mount(el && el.id === {json.dumps(element_id)} ? el : "
             f"{json.dumps(element_id)}, {cfg_json});\n}})(document.currentScript);")
    script = ("<script>\n" + explorer_script().replace("</script", "<\\/script")
              + "\n" + mount + "\n</script>")
    return MomentumExplorer(markup + script, element_id, config)
