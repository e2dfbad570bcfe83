"""The built site in a real browser (Debian's Chromium driven by Playwright),
with no kernel and nothing reachable but the loopback server: every page loads
with no request off the machine, no failed request and no console error, its
math is typeset, it stays within 3 MB of transfer, and every slider works from
the keyboard."""
import pytest
from sitepages import PAGES, SITE, expected_sliders, widget_models

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 3 * 1024 * 1024


def test_every_toc_page_was_built():
    missing = [p for p in PAGES if not (SITE / p).exists()]
    assert not missing


@pytest.mark.parametrize("page", PAGES)
def test_page_is_offline_clean_and_light(page, drawn):
    watched_page = drawn(page)
    p = watched_page.page
    # The page is drawn (widgets rendered, math typeset); let the network fall
    # quiet too, so that late requests and errors are caught.
    p.wait_for_load_state("networkidle")
    assert watched_page.external_requests() == []
    assert watched_page.failed == []
    bad_status = [r.url for r in watched_page.responses if r.status >= 400]
    assert bad_status == []
    assert watched_page.console_errors == []
    # Math, where the page has any, is typeset by the MathJax the site serves.
    if p.locator("span.math, div.math").count():
        p.wait_for_selector("mjx-container", state="attached", timeout=15000)
        assert p.locator("mjx-merror").count() == 0
    transferred = sum(r.request.sizes()["responseBodySize"] + r.request.sizes()["responseHeadersSize"]
                      for r in watched_page.responses)
    assert transferred <= MAX_PAGE_BYTES, f"{page}: {transferred / 1e6:.2f} MB transferred"


def visible_picture(slider):
    """The src of the picture currently shown in the slider's panel."""
    panel = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    imgs = panel.locator("img")
    srcs = [imgs.nth(i).get_attribute("src") for i in range(imgs.count()) if imgs.nth(i).is_visible()]
    assert len(srcs) == 1, f"expected one visible picture, found {len(srcs)}"
    alt = [imgs.nth(i).get_attribute("alt") for i in range(imgs.count()) if imgs.nth(i).is_visible()][0]
    assert alt and len(alt) > 10, "every picture has alt text"
    return srcs[0]


@pytest.mark.parametrize("page", [p for p in PAGES if expected_sliders(p)])
def test_sliders_work_with_the_keyboard_and_no_kernel(page, drawn):
    # The page as the reading checks saw it (this test runs after them: see
    # tests/conftest.py), with its console recorded since it was opened.
    watched_page = drawn(page)
    p = watched_page.page
    n = expected_sliders(page)
    sliders = p.locator(".widget-slider")
    p.wait_for_function(f"document.querySelectorAll('.widget-slider').length >= {n}", timeout=20000)
    assert sliders.count() == n
    for i in range(n):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        handle = slider.locator("[role=slider]")
        readout = slider.locator(".widget-readout")
        before_value, before_picture = readout.inner_text(), visible_picture(slider)
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        handle.focus()
        p.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
        p.wait_for_function("([el, v]) => el.textContent.trim() !== v",
                            arg=[readout.element_handle(), before_value.strip()], timeout=5000)
        assert readout.inner_text() != before_value, f"slider {i}: the shown value did not change"
        panel = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        p.wait_for_function(
            "([panel, src]) => [...panel.querySelectorAll('img')]"
            ".some(img => img.offsetParent !== null && img.getAttribute('src') !== src)",
            arg=[panel.element_handle(), before_picture], timeout=5000)
        assert visible_picture(slider) != before_picture, f"slider {i}: the picture did not change"
        # Labelled for assistive technology, announcing the value the reader sees.
        assert handle.get_attribute("aria-label") == slider.locator(".widget-label").inner_text().strip()
        # The labelling observer updates aria-valuetext on the next animation frame.
        p.wait_for_function(
            "([h, r]) => h.getAttribute('aria-valuetext') === r.textContent.trim()",
            arg=[handle.element_handle(), readout.element_handle()], timeout=5000)
    assert watched_page.console_errors == []


@pytest.mark.parametrize("page", [p for p in PAGES if "PlayModel" in widget_models(p)])
def test_animations_play_with_no_kernel(page, drawn):
    watched_page = drawn(page)
    p = watched_page.page
    p.wait_for_selector(".widget-play button", timeout=20000)
    play = p.locator(".widget-play").first
    play.scroll_into_view_if_needed()
    panel = play.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    readout = panel.locator(".widget-readout")
    start = readout.inner_text()
    play.locator("button").first.click()
    p.wait_for_function(
        "([el, v]) => el.textContent.trim() !== v",
        arg=[readout.element_handle(), start], timeout=10000)
    assert readout.inner_text() != start
    assert watched_page.console_errors == []
