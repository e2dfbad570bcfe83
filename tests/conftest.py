"""Shared fixtures: the built site served on loopback, and Debian's Chromium
driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
# First, before anything imports numpy: the tests compute as the book's
# kernels do, AVX2's way on every machine (scripts/same_numerics.py).
from same_numerics import pin_this_process  # noqa: E402
pin_this_process()
import serve  # noqa: E402  (scripts/serve.py: the same server as `make serve`)
# SITE: the build the browser tests read (COURSE_SITE, default the book's).
from sitepages import SITE, DrawnPages, PageWatch  # noqa: E402
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from phoning home on a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def pytest_configure(config):
    """A divergence warning fails the test that raised it. Under pytest-xdist
    the workers (and the chapter kernels they start) run side by side: one
    numerics thread each, as in the parallel book build."""
    config.addinivalue_line("filterwarnings",
                            "error::d2lhelpers.checks.DivergenceWarning")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from build_book import one_thread_per_page
        one_thread_per_page()


# The browser tests whose parameter is a page of the site: those of one page
# run one after another, and in one pytest-xdist worker, so that they share
# the page's loads (the `drawn` fixture). Within a page, the checks that only
# read it go first, then axe's audit (it adds a script), then the checks that
# press keys or play animations.
PAGE_FILES = ("test_browser.py", "test_layout.py", "test_theme.py", "test_a11y.py")
CHANGES_THE_PAGE = ("test_sliders_work_with_the_keyboard_and_no_kernel",
                    "test_animations_play_with_no_kernel")
PAGE_PARAM = re.compile(r"\[(chapters/[^\]]+?\.html)")


def file_of(nodeid: str) -> str:
    """The name of a test's file, e.g. ``test_a11y.py``."""
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1]


def rank_within_page(nodeid: str) -> int:
    name = nodeid.split("::", 1)[1].split("[", 1)[0]
    if name in CHANGES_THE_PAGE:
        return 2
    return 1 if file_of(nodeid) == "test_a11y.py" else 0


def page_group(nodeid: str):
    """The site page a browser test reads, if it is one of PAGE_FILES'."""
    if file_of(nodeid) not in PAGE_FILES:
        return None
    match = PAGE_PARAM.search(nodeid)
    return match and match.group(1)


def run_order(items):
    """The order the suite runs in, dearest first so that the workers finish
    together: each chapter execution (already slowest first), then each
    page's browser tests (the largest pages first), then the other browser
    and build tests, then the rest, each kept in file order."""
    def page_size(page):
        path = SITE / page
        return path.stat().st_size if path.exists() else 0

    def key(pair):
        index, item = pair
        page = page_group(item.nodeid)
        if file_of(item.nodeid) == "test_chapters.py":
            return (0, 0, "", 0, index)
        if page:
            return (1, -page_size(page), page, rank_within_page(item.nodeid), index)
        heavy = item.get_closest_marker("browser") or item.get_closest_marker("build")
        return (2 if heavy else 3, 0, "", 0, index)

    return [item for _, item in sorted(enumerate(items), key=key)]


def pytest_collection_modifyitems(config, items):
    items[:] = run_order(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist (`make test` runs one worker per core): every test file
    runs in one worker, so its module fixtures (a served site, a browser page, a
    built book) are made once, except that each chapter execution is a unit of
    its own and each page's browser tests are one (see PAGE_FILES). The units
    go out in run_order's order, not xdist's default of the largest first."""
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class FilesPagesAndChapters(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if nodeid.startswith("tests/test_chapters.py::"):
                return nodeid
            page = page_group(nodeid)
            if page:
                return "page " + page
            return nodeid.split("::", 1)[0]

    return FilesPagesAndChapters(config, log)


@pytest.fixture(scope="session")
def site_url():
    """The built site (``make test`` builds it first) on http://127.0.0.1:<port>/,
    gzip-compressed like a real static host."""
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test` (or `make book`) first")
    server = serve.start(SITE)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def watched_page(browser):
    """A fresh page whose requests, failures and console errors are recorded."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    yield watch
    context.close()


@pytest.fixture(scope="session")
def drawn(browser, site_url):
    """``drawn(page, screen="laptop", mode="light")``: the page, loaded once
    for every check that only reads it (see ``sitepages.DrawnPages``)."""
    pages = DrawnPages(browser, site_url)
    yield pages.get
    pages.close()
