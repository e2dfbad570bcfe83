"""What the browser tests share: the book's pages, what each page's embedded
widget state holds, how to wait until a page has finished drawing (widgets
rendered, math typeset) instead of sleeping for a fixed time, and one load of
a page for every check that only reads it (``DrawnPages``)."""
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


class PageWatch:
    """A page plus everything it requested and logged."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.responses: list = []
        page.on("response", lambda r: self.responses.append(r))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(r.url))

    def external_requests(self):
        local = ("http://127.0.0.1", "data:", "blob:", "about:")
        return [u for u in self.requests if not u.startswith(local)]


# The screens the checks read pages on: a laptop at devicePixelRatio 1 (so a
# picture's pixels can be compared with the CSS pixels it is shown in) and a
# phone with a touch screen.
SCREENS = {
    "laptop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True,
              "is_mobile": True},
}


class DrawnPages:
    """Each page opened once per screen and mode, for every check that only
    reads it (axe's audit, layout, colours, requests).

    ``get(name, screen, mode)`` opens the page in a fresh browser context,
    recording its requests and console errors from the start, waits until it
    is drawn, and keeps it open, so the checks of the same page on the same
    screen in the same mode share one load. Asking for another page closes the
    previous page's tabs. ``conftest.py`` orders the tests so that those of
    one page run one after another, in one pytest-xdist worker; a check that
    changes a page (keys, taps, injected elements) either opens its own or is
    listed in its ``CHANGES_THE_PAGE``, to run after the checks that read it."""

    def __init__(self, browser, site_url: str):
        self.browser, self.site_url = browser, site_url
        self.name, self.open = None, {}

    def get(self, name: str, screen: str = "laptop", mode: str = "light") -> PageWatch:
        if screen not in SCREENS or mode not in ("light", "dark"):
            raise ValueError(f"no screen {screen!r} or mode {mode!r}")
        if name != self.name:
            self.close()
            self.name = name
        key = (screen, mode)
        if key not in self.open:
            context = self.browser.new_context(**SCREENS[screen])
            set_mode(context, mode)
            watch = PageWatch(context.new_page())
            self.open[key] = (context, watch)
            response = watch.page.goto(self.site_url + name, wait_until="load")
            assert response is not None and response.ok, f"{name} did not load"
            assert watch.page.evaluate("document.documentElement.dataset.theme") == mode
            wait_until_drawn(watch.page, name)
        return self.open[key][1]

    def close(self):
        for context, _ in self.open.values():
            context.close()
        self.open = {}
