"""Shared fixtures: the built site served on loopback, and Debian's Chromium
driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402  (scripts/serve.py: the same server as `make serve`)

# COURSE_SITE points the browser tests at another build (default: the book's).
SITE = Path(os.environ.get("COURSE_SITE", ROOT / "_build" / "html"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from phoning home on a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def pytest_configure(config):
    """Under pytest-xdist the workers (and the chapter kernels they start) run
    side by side: one numerics thread each, as in the parallel book build."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from build_book import one_thread_per_page
        one_thread_per_page()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist (`make test` runs one worker per core): every test file
    runs in one worker, so its module fixtures (a served site, a browser page, a
    built book) are made once; only the chapter tests, each of which executes a
    whole chapter, are spread one by one."""
    from xdist.scheduler import LoadScopeScheduling

    class FilesAndChapters(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if nodeid.startswith("tests/test_chapters.py::"):
                return nodeid
            return nodeid.split("::", 1)[0]

    return FilesAndChapters(config, log)


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


@pytest.fixture
def watched_page(browser):
    """A fresh page whose requests, failures and console errors are recorded."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    yield watch
    context.close()
