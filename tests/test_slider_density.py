"""Slider pictures at a higher pixel density: rendered at density x dpi, shown
at the 1x size, so they are crisp on high-density screens (issue 15)."""
import re

import matplotlib
import pytest

import d2lhelpers as d2l
from d2lhelpers.plotting import figure_png, new_axes
from d2lhelpers.slider import image_html

matplotlib.use("agg")
pytestmark = pytest.mark.unit


def draw(ax, eta):
    ax.plot([0, 1, 2], [0, eta, 0])
    ax.set_title(f"eta={eta}")


def picture_tag(panel):
    return panel.current_picture().value


@pytest.mark.slow
def test_a_2x_picture_has_twice_the_pixels_shown_at_the_1x_size():
    one = d2l.precomputed_slider(draw, {"eta": [0.5, 1.0]}, alt=lambda eta: f"a line at {eta}",
                                 figsize=(4, 3), dpi=50)
    two = d2l.precomputed_slider(draw, {"eta": [0.5, 1.0]}, alt=lambda eta: f"a line at {eta}",
                                 figsize=(4, 3), dpi=50, density=2)
    assert "width=" not in picture_tag(one)
    assert re.search(r'width="200" height="150"', picture_tag(two))
    ax = new_axes(figsize=(4, 3), pyplot=False)
    draw(ax, 1.0)
    png = figure_png(ax.figure, 100)
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (400, 300)
    assert 'width="200" height="150"' in image_html(png, "a line", density=2)


@pytest.mark.parametrize("bad", [0, 0.5, -2, "2", None])
def test_a_density_below_one_is_refused(bad):
    with pytest.raises(ValueError, match="density"):
        d2l.precomputed_slider(draw, {"eta": [0.5]}, alt=lambda eta: "a line", density=bad)
    with pytest.raises(ValueError, match="density"):
        image_html(b"\x89PNG\r\n\x1a\n" + bytes(16), "a line", density=bad)


def test_image_html_refuses_what_is_not_png():
    with pytest.raises(ValueError, match="PNG"):
        image_html(b"GIF89a" + bytes(20), "a picture", density=2)
