"""What the browser tests share: the book's pages, what each page's embedded
widget state holds, and how to wait until a page has finished drawing (widgets
rendered, math typeset) instead of sleeping for a fixed time."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("COURSE_SITE", ROOT / "_build" / "html"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f + ".html" for f in files]


PAGES = toc_pages()


def widget_models(page: str) -> list[str]:
    """The model names in the page's embedded widget state (empty if none)."""
    path = SITE / page
    if not path.exists():
        return []
    match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                      path.read_text(), re.DOTALL)
    if not match:
        return []
    return [m["model_name"] for m in json.loads(match.group(1))["state"].values()]


def expected_sliders(page: str) -> int:
    """How many sliders the page's embedded widget state holds."""
    return widget_models(page).count("SelectionSliderModel")


def set_mode(context, mode: str) -> None:
    """Open every page of ``context`` in the theme's light or dark mode, as the
    theme's switcher would (it keeps the choice in localStorage)."""
    context.add_init_script(
        f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")


def wait_until_drawn(page, name: str, timeout: float = 20000) -> None:
    """Wait for the page's widgets to be rendered and its math typeset."""
    n = expected_sliders(name)
    plays = widget_models(name).count("PlayModel")
    page.wait_for_function(
        """([sliders, plays]) =>
             document.querySelectorAll('.widget-slider [role=slider]').length >= sliders &&
             document.querySelectorAll('.widget-play button').length >= plays""",
        arg=[n, plays], timeout=timeout)
    if page.locator("span.math, div.math").count():
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
            " && document.querySelector('mjx-container')", timeout=timeout)
        page.evaluate("() => MathJax.startup.promise")
    # Web fonts change text widths: wait for them (pages load with wait_until="load",
    # which does not wait for fonts or for the network to fall quiet).
    page.evaluate("() => document.fonts.ready.then(() => true)")
    # Let pending animation frames (the slider-labelling observer) run.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
