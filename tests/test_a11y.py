"""Accessibility of every page in light and dark mode, audited in Chromium by
axe-core (the engine behind Lighthouse's accessibility score), installed from
npm and pinned by package-lock.json: no critical and no serious violation
(issue 15). The audit runs after the widgets are drawn and the math typeset, so
the sliders, the explorer and the animations are audited too."""
import pytest
from sitepages import AXE, PAGES, SCREENS, set_mode

pytestmark = pytest.mark.browser

BLOCKING = {"critical", "serious"}


# The two modes differ only in colours (test_the_modes_differ_only_in_colour
# checks the premise), so the full audit runs in light mode and, in dark mode,
# the rules that read colours.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

AUDIT = """async (rules) => (await axe.run(document, rules ?
      {resultTypes: ['violations'], runOnly: {type: 'rule', values: rules}} :
      {resultTypes: ['violations']}))
  .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.map(n => n.target.join(' '))}))"""


def audit(drawn, page_name, mode):
    watch = drawn(page_name, "laptop", mode)
    watch.page.add_script_tag(path=str(AXE))
    violations = watch.page.evaluate(AUDIT, COLOUR_RULES if mode == "dark" else None)
    assert [e for e in watch.console_errors if e.startswith("pageerror")] == []
    return violations


def describe(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])}: "
                     + "; ".join(v["nodes"][:3]) for v in violations)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_critical_or_serious_axe_violations(page_name, mode, drawn):
    violations = audit(drawn, page_name, mode)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{page_name} ({mode}):\n" + describe(blocking)


# The page's structure, as axe reads it: every element's tag, role, ARIA
# attributes and text, and whether it is rendered. The theme switcher's icons
# (hidden from assistive technology) are left out: each mode shows its own.
STRUCTURE = """() => [...document.body.querySelectorAll('*')]
  .filter(el => !el.closest('.theme-switch-button'))
  .map(el => [el.tagName, el.getAttribute('role'), el.getAttribute('aria-label'),
              el.getAttribute('aria-hidden'), el.getClientRects().length > 0,
              el.children.length ? '' : el.textContent.trim().slice(0, 40)].join('|'))"""


@pytest.mark.parametrize("page_name", PAGES)
def test_the_modes_differ_only_in_colour(page_name, drawn):
    """Why dark mode's audit may keep to the colour rules: its page has the
    same elements, roles, ARIA attributes and text as the light one, rendered
    or hidden alike (class names differ, for colours; sizes by a few pixels,
    for a picture's white card)."""
    light = drawn(page_name, "laptop", "light").page.evaluate(STRUCTURE)
    dark = drawn(page_name, "laptop", "dark").page.evaluate(STRUCTURE)
    differ = [(a, b) for a, b in zip(light, dark) if a != b]
    assert len(light) == len(dark) and differ == [], f"{page_name}: {differ[:3]}"


# A planted violation for each mode's audit: a button with no name (found
# only by the full audit) and dark grey text on the dark page (found by the
# colour rules).
PLANTED = {
    "light": ("document.createElement('button')", "button-name"),
    "dark": ("Object.assign(document.createElement('p'), {textContent: 'faint',"
             " style: 'color: #333'})", "color-contrast"),
}


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_audit_finds_a_planted_violation(mode, site_url, browser):
    """Each mode's audit is live: what is planted in the page is reported."""
    element, rule = PLANTED[mode]
    context = browser.new_context(**SCREENS["laptop"])
    set_mode(context, mode)
    page = context.new_page()
    try:
        page.goto(site_url + PAGES[0], wait_until="load")
        page.evaluate(f"document.querySelector('article').appendChild({element})")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(AUDIT, COLOUR_RULES if mode == "dark" else None)
    finally:
        context.close()
    assert rule in [v["id"] for v in found if v["impact"] in BLOCKING]
