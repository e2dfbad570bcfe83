"""Whole-site checks on the built HTML: links resolve, figures have alt text,
headings are in order, and the search page finds the chapters."""
import functools
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("COURSE_SITE", ROOT / "_build" / "html"))
PAGES = sorted(p for p in SITE.glob("**/*.html")
               if not any(part.startswith(("_", ".")) or part == "vendor"
                          for part in p.relative_to(SITE).parts[:-1]))


@functools.lru_cache(maxsize=None)
def soup(path: Path) -> BeautifulSoup:
    """The page parsed, once per test process (the tests only read it)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_site_has_its_pages():
    names = {p.relative_to(SITE).as_posix() for p in PAGES}
    assert {"index.html", "search.html", "chapters/gd-1d.html", "chapters/momentum.html"} <= names


def test_every_internal_link_resolves():
    broken = []
    ids_cache = {}
    for page in PAGES:
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(SITE)} -> {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = {t["id"] for t in soup(target).find_all(id=True)}
                if unquote(parts.fragment) not in ids_cache[target]:
                    broken.append(f"{page.relative_to(SITE)} -> {href} (no such anchor)")
    assert broken == []


@pytest.mark.parametrize("page", [p for p in PAGES if "chapters" in p.parts],
                         ids=lambda p: p.name)
def test_figures_have_alt_text_and_headings_are_in_order(page):
    article = soup(page).find("article") or soup(page)
    missing = [img.get("src", "")[:60] for img in article.find_all("img")
               if not (img.get("alt") or "").strip()]
    assert missing == [], "images without alt text"
    levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
    assert levels and levels[0] == 1 and levels.count(1) == 1, "one h1, first"
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert jumps == [], f"heading levels skip: {jumps}"


def test_search_finds_momentum(site_url, watched_page):
    page = watched_page.page
    page.goto(site_url + "search.html?q=momentum", wait_until="networkidle")
    page.wait_for_selector("#search-results li", timeout=20000)
    hits = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)")
    assert any("chapters/momentum.html" in h for h in hits), hits
    assert watched_page.console_errors == [] and watched_page.external_requests() == []


CHAPTERS_WITH_CODE = [p for p in PAGES if "chapters" in p.parts
                      and (ROOT / "chapters" / (p.stem + ".md")).exists()
                      and "{code-cell}" in (ROOT / "chapters" / (p.stem + ".md")).read_text()]


def test_only_pages_without_code_are_left_unexecuted():
    """The build executes every page with a code cell; the notebook pages it
    skips (_config.yml's execute.exclude_patterns) have none, and still
    offer Binder."""
    import yaml
    skipped = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["exclude_patterns"]
    assert skipped
    for name in skipped:
        source = (ROOT / name).read_text()
        assert "{code-cell}" not in source and "kernelspec:" in source, name
        page = SITE / name.replace(".md", ".html")
        assert "mybinder.org" in page.read_text(), name


@pytest.mark.parametrize("page", CHAPTERS_WITH_CODE, ids=lambda p: p.name)
def test_chapters_launch_in_binder_lab_and_can_be_downloaded(page):
    """Each runnable chapter has a Binder button opening it in JupyterLab, and
    download links for its source and executed notebook, all from the one
    repository address in _config.yml."""
    import yaml
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    owner_repo = repo.split("github.com/")[1]
    links = [a["href"] for a in soup(page).find_all("a", href=True)]
    binder = f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/chapters/{page.stem}.md"
    assert binder in links
    assert any(h.startswith(f"{repo}/issues/new") for h in links)
    html = page.read_text()
    for source in (f"_sources/chapters/{page.stem}.md", f"_sources/chapters/{page.stem}.ipynb"):
        assert source in html and (SITE / source).exists()
