"""Light and dark mode in Chromium (issue 15): the widgets, the explorers and
every output area sit on the page's own background in both modes (no light
slab on a dark page), their text keeps a readable contrast, and pictures keep
a white card (the plots are drawn on white)."""
import pytest
from sitepages import PAGES, SITE, set_mode, wait_until_drawn

pytestmark = pytest.mark.browser


def interactive_pages():
    out = []
    for page in PAGES:
        html = (SITE / page).read_text() if (SITE / page).exists() else ""
        if "application/vnd.jupyter.widget-state+json" in html or "momentum-explorer" in html:
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
               '.jupyter-button', '.momentum-explorer', '.momentum-explorer label',
               '.momentum-explorer output', '.momentum-explorer select'].join(',');
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
                                  '.momentum-explorer label, .momentum-explorer output') &&
                       el.textContent.trim().length > 0};
    }),
    cards: cards.map(el => lum(seenOn(el))),
  };
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_name", interactive_pages())
def test_widgets_and_outputs_follow_the_mode(page_name, mode, site_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    set_mode(context, mode)
    page = context.new_page()
    try:
        page.goto(site_url + page_name, wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        wait_until_drawn(page, page_name)
        found = page.evaluate(MEASURE)
    finally:
        context.close()
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
