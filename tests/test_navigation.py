"""Navigation in Chromium (issue 18): the sidebar (☰) and contents toggles work
on a laptop and on a phone, there is one search box, a tap leaves no tooltip
behind, search ranks a chapter first for its own topic with readable snippets,
and every citation label is right."""
import re

import pytest
from sitepages import SITE

pytestmark = pytest.mark.browser

# A light chapter: what is tested is the theme's navigation, not the page.
CHAPTER = "chapters/gd-1d.html"
# At most one visible element of the selector, and that element.
VISIBLE = """sel => [...document.querySelectorAll(sel)].filter(e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
}).length"""
SIDEBAR_SHOWN = """() => { const s = document.getElementById('pst-primary-sidebar'),
  r = s.getBoundingClientRect(), cs = getComputedStyle(s);
  return cs.visibility !== 'hidden' && Number(cs.opacity) > 0.5 && r.right > 10; }"""


def open_page(browser, site_url, width, height=900, touch=False, page_name=CHAPTER):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  has_touch=touch, is_mobile=touch)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + page_name, wait_until="load")
    return context, page, errors


def test_the_menu_button_collapses_and_restores_the_sidebar_on_a_laptop(site_url, browser):
    context, page, errors = open_page(browser, site_url, 1400)
    try:
        assert page.evaluate(VISIBLE, ".primary-toggle") == 1
        toggle = page.locator(".primary-toggle:visible")
        assert page.evaluate(SIDEBAR_SHOWN)
        toggle.click()
        page.wait_for_function(f"!({SIDEBAR_SHOWN})()", timeout=5000)
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        page.wait_for_function(SIDEBAR_SHOWN, timeout=5000)
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("dialog[open]").count() == 0
    finally:
        context.close()
    assert errors == []


@pytest.mark.parametrize("button, dialog, link", [
    (".primary-toggle", "#pst-primary-sidebar-modal",
     "a[href$='momentum.html'], a[href$='sgd.html']"),
    (".secondary-toggle", "#pst-secondary-sidebar-modal", "a[href^='#']"),
], ids=["chapters", "contents"])
def test_the_phone_opens_and_closes_the_chapter_list_and_the_contents(
        button, dialog, link, site_url, browser):
    context, page, errors = open_page(browser, site_url, 390, 844, touch=True)
    try:
        assert not page.evaluate(SIDEBAR_SHOWN)
        assert page.evaluate(VISIBLE, button) == 1
        for _ in range(2):          # open, close, and open again
            page.locator(f"{button}:visible").tap()
            page.wait_for_selector(f"{dialog}[open]", timeout=5000)
            links = page.locator(f"{dialog} {link}")
            assert links.count() > 0 and links.first.is_visible()
            page.keyboard.press("Escape")
            page.wait_for_function(f"!document.querySelector('{dialog}').open", timeout=5000)
    finally:
        context.close()
    assert errors == []


@pytest.mark.parametrize("width", [1400, 390])
def test_one_search_box(width, site_url, browser):
    context, page, _ = open_page(browser, site_url, width)
    try:
        assert page.evaluate(VISIBLE, ".search-button, .search-button-field, form.bd-search") == 1
    finally:
        context.close()


def test_a_tap_leaves_no_tooltip(site_url, browser):
    context, page, _ = open_page(browser, site_url, 390, 844, touch=True)
    try:
        # Before any touch, the buttons have their hover tooltips.
        page.wait_for_function("() => window.bootstrap && [...document.querySelectorAll("
                               "'[data-bs-toggle=tooltip]')]"
                               ".some(b => bootstrap.Tooltip.getInstance(b))", timeout=10000)
        for selector in (".theme-switch-button", ".btn-fullscreen-button"):
            page.locator(f"{selector}:visible").first.tap()
            # Bootstrap would show the tooltip 500 ms after the tap's emulated
            # hover; instead of waiting that out, check that nothing is left
            # that could show it: no tooltip on the button, and no focus.
            page.wait_for_function(
                "sel => [...document.querySelectorAll(sel)].every(b =>"
                " !bootstrap.Tooltip.getInstance(b) && document.activeElement !== b)",
                arg=selector, timeout=5000)
            assert page.locator(".tooltip.show").count() == 0, selector
    finally:
        context.close()


def search(page, site_url, query):
    page.goto(site_url + f"search.html?q={query}", wait_until="networkidle")
    page.wait_for_selector("#search-results li", timeout=20000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results li')].slice(0, 3)"
        ".every(li => li.querySelector('p.context'))", timeout=20000)
    return page.evaluate("""() => [...document.querySelectorAll('#search-results li')].map(li => ({
        href: li.querySelector('a').getAttribute('href'),
        snippet: (li.querySelector('p.context') || {}).textContent || ''}))""")


@pytest.mark.parametrize("query, chapter", [
    ("momentum", "chapters/momentum"), ("newton", "chapters/newton"),
    ("adaptive", "chapters/adaptive"), ("glossary", "chapters/glossary"),
])
def test_search_ranks_the_chapter_first_for_its_topic(query, chapter, site_url, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        hits = search(page, site_url, query)
    finally:
        context.close()
    assert hits[0]["href"].split("#")[0] == chapter + ".html", [h["href"] for h in hits[:5]]


def test_search_snippets_read_as_text(site_url, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        hits = search(page, site_url, "momentum")
    finally:
        context.close()
    snippets = [h["snippet"] for h in hits if h["snippet"]]
    assert len(snippets) >= 3
    for s in snippets:
        assert "\\(" not in s and "\\kappa" not in s and "\\beta" not in s, s
        assert ".pdf" not in s and ".ipynb" not in s, s
    glossary = [h["snippet"] for h in hits if "glossary" in h["href"]]
    assert glossary and "κ" in " ".join(glossary)


# An alpha-style label: three letters of a single author's name, or the
# initials of up to four authors, or three initials and "+"; then the year.
LABEL = re.compile(r"^(?:[A-Z][a-z]{2}|[A-Z]{2,4}|[A-Z]{3}\+)\d{2}[a-z]?$")


def test_every_citation_label_is_an_author_label():
    html = (SITE / "chapters" / "references.html").read_text()
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>([^<]*)<', html)
    assert len(labels) >= 20
    assert [x for x in labels if not LABEL.match(x)] == []
    assert "GDG+17" in labels          # Goyal, Dollár, Girshick et al. 2017
    for page in (SITE / "chapters").glob("*.html"):
        text = page.read_text()
        cited = re.findall(r'href="references\.html#id\d+"[^>]*>([^<]+)</a>', text)
        assert [x for x in cited if not LABEL.match(x)] == [], page.name
