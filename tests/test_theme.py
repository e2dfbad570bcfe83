"""Light and dark mode in Chromium (issue 15): the widgets, the explorers and
every output area sit on the page's own background in both modes (no light
slab on a dark page), their text keeps a readable contrast, and pictures keep
a white card (the plots are drawn on white)."""
import pytest
from sitepages import PAGES, ROOT, SITE, set_mode

pytestmark = pytest.mark.browser


def interactive_pages():
    out = []
    for page in PAGES:
        html = (SITE / page).read_text() if (SITE / page).exists() else ""
        if "application/vnd.jupyter.widget-state+json" in html or "course-explorer" in html:
            out.append(page)
    return out


# For every output area and widget part: its own background (if any), the
# background it is seen on, and its text colour, as relative luminances (WCAG).
MEASURE = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number);
                       return {rgb: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const seenOn = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c.rgb; }
    return [255, 255, 255]; };
  const page = lum(seenOn(document.querySelector('article')));
  const sel = ['.cell_output .text_html', '.cell_output .widget-subarea', '.jupyter-widgets',
               '.widget-label', '.widget-readout', '.noUi-target', '.noUi-handle',
               '.jupyter-button', '.course-explorer', '.course-explorer label',
               '.course-explorer output', '.course-explorer select'].join(',');
  const parts = [...document.querySelectorAll(sel)].filter(el => el.getClientRects().length);
  const cards = [...document.querySelectorAll('.cell_output img')]
    .filter(el => el.getClientRects().length);
  return {
    page,
    parts: parts.map(el => {
      const cs = getComputedStyle(el), own = parse(cs.backgroundColor);
      const bg = lum(seenOn(el)), fg = lum(parse(cs.color).rgb);
      return {what: el.tagName + '.' + String(el.className).split(' ').slice(-1)[0],
              own: own.a > 0.5 ? lum(own.rgb) : null, bg, fg,
              contrast: (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05),
              hasText: el.matches('.widget-label, .widget-readout, .jupyter-button, ' +
                                  '.course-explorer label, .course-explorer output') &&
                       el.textContent.trim().length > 0};
    }),
    cards: cards.map(el => lum(seenOn(el))),
  };
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_name", interactive_pages())
def test_widgets_and_outputs_follow_the_mode(page_name, mode, drawn):
    found = drawn(page_name, "laptop", mode).page.evaluate(MEASURE)
    parts = found["parts"]
    assert parts, "the page has widgets or an explorer to check"
    dark = mode == "dark"
    assert (found["page"] < 0.05) if dark else (found["page"] > 0.9)
    # No slab: every part is seen on a background as dark (or as light) as the page.
    slabs = [p for p in parts if (p["bg"] > 0.1 if dark else p["bg"] < 0.6)]
    assert slabs == [], f"{len(slabs)} parts off the page's colours, e.g. {slabs[:3]}"
    faint = [p for p in parts if p["hasText"] and p["contrast"] < 4.5]
    assert faint == [], f"text below 4.5:1 contrast, e.g. {faint[:3]}"
    # Figures keep their white card in both modes.
    assert found["cards"] and min(found["cards"]) > 0.95


def test_the_site_styles_explorers_only_through_their_shared_class():
    import re
    css = (ROOT / "web" / "site" / "course-site.css").read_text()
    own = sorted(set(re.findall(r"\.([a-z]+-explorer)\b", css)) - {"course-explorer"})
    assert own == [], f"per-explorer selectors in course-site.css: {own}"


# A third explorer: the shared class alone, with the controls explorers use.
THIRD = """() => {
  const el = document.createElement('div');
  el.className = 'course-explorer third-explorer';
  el.innerHTML = '<select><option>a</option></select><input type="range">' +
                 '<canvas width="40" height="20"></canvas>';
  document.querySelector('article').appendChild(el);
  const look = sel => { const cs = getComputedStyle(document.querySelector(sel));
    return [cs.backgroundColor, cs.color, cs.borderTopColor, cs.minHeight, cs.maxWidth]; };
  return {
    third: [look('.third-explorer select'), look('.third-explorer input'),
            look('.third-explorer canvas')],
    momentum: [look('.momentum-explorer select'), look('.momentum-explorer input'),
               look('.momentum-explorer canvas')]};
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_new_explorer_inherits_the_explorers_style(mode, site_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    set_mode(context, mode)
    page = context.new_page()
    try:
        page.goto(site_url + "chapters/momentum.html", wait_until="networkidle")
        page.wait_for_selector(".momentum-explorer select")
        found = page.evaluate(THIRD)
    finally:
        context.close()
    # The explorer's own inline styles aside (the select's), the site's rules
    # give the new one the same colours, target size and scaling.
    third_select, momentum_select = found["third"][0], found["momentum"][0]
    assert third_select[3] == momentum_select[3] == "24px"       # min-height, a touch target
    if mode == "dark":
        assert third_select[:3] == momentum_select[:3]            # colours, border
    assert found["third"][1][3] == "24px"                         # the range input
    assert found["third"][2][4] == "100%"                          # the canvas scales
