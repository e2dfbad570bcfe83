"""Accessibility of every page in light and dark mode, audited in Chromium by
axe-core (the engine behind Lighthouse's accessibility score), installed from
npm and pinned by package-lock.json: no critical and no serious violation
(issue 15). The audit runs after the widgets are drawn and the math typeset, so
the sliders, the explorer and the animations are audited too."""
import pytest
from sitepages import AXE, PAGES, set_mode, wait_until_drawn

pytestmark = pytest.mark.browser

BLOCKING = {"critical", "serious"}


def audit(browser, site_url, page_name, mode, viewport=(1280, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    set_mode(context, mode)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site_url + page_name, wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        wait_until_drawn(page, page_name)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']}))
                 .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.map(n => n.target.join(' '))}))""")
    finally:
        context.close()
    assert errors == []
    return violations


def describe(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])}: "
                     + "; ".join(v["nodes"][:3]) for v in violations)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_critical_or_serious_axe_violations(page_name, mode, site_url, browser):
    violations = audit(browser, site_url, page_name, mode)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{page_name} ({mode}):\n" + describe(blocking)


def test_the_audit_finds_a_planted_violation(site_url, browser):
    """The audit is live: a button with no name, added to a page, is reported."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + PAGES[0], wait_until="networkidle")
        page.evaluate("document.querySelector('main').appendChild("
                      "document.createElement('button'))")
        page.add_script_tag(path=str(AXE))
        ids = page.evaluate("async () => (await axe.run(document)).violations"
                            ".filter(v => v.impact === 'critical').map(v => v.id)")
    finally:
        context.close()
    assert "button-name" in ids
