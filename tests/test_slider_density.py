"""Slider pictures at a higher pixel density: rendered at density x dpi, shown
at the 1x size, so they are crisp on high-density screens (issue 15). The
default is twice the pixels."""
import re

import matplotlib
import pytest

import d2lhelpers as d2l
from d2lhelpers import style
from d2lhelpers.plotting import figure_png, new_axes, png_size
from d2lhelpers.slider import image_html

matplotlib.use("agg")
pytestmark = pytest.mark.unit


def draw(ax, eta):
    ax.plot([0, 1, 2], [0, eta, 0])
    ax.set_title(f"eta={eta}")


def picture_tag(panel):
    return panel.current_picture().value


@pytest.mark.slow
def test_slider_pictures_have_twice_the_pixels_shown_at_the_1x_size():
    assert style.SLIDER_DENSITY == style.DENSITY == 2
    two = d2l.precomputed_slider(draw, {"eta": [0.5, 1.0]}, alt=lambda eta: f"a line at {eta}",
                                 figsize=(4, 3), dpi=50)
    one = d2l.precomputed_slider(draw, {"eta": [0.5, 1.0]}, alt=lambda eta: f"a line at {eta}",
                                 figsize=(4, 3), dpi=50, density=1)
    assert re.search(r'width="200" height="150"', picture_tag(two))
    assert re.search(r'width="200" height="150"', picture_tag(one))
    ax = new_axes(figsize=(4, 3), pyplot=False)
    draw(ax, 1.0)
    png = figure_png(ax.figure, 100)
    assert png_size(png) == (400, 300)
    assert 'width="200" height="150"' in image_html(png, "a line", density=2)
    assert 'width="400" height="300"' in image_html(png, "a line", density=1)


@pytest.mark.parametrize("bad", [0, 0.5, -2, "2", None])
def test_a_density_below_one_is_refused(bad):
    with pytest.raises(ValueError, match="density"):
        d2l.precomputed_slider(draw, {"eta": [0.5]}, alt=lambda eta: "a line", density=bad)
    with pytest.raises(ValueError, match="density"):
        image_html(b"\x89PNG\r\n\x1a\n" + bytes(16), "a line", density=bad)


def test_image_html_refuses_what_is_not_png():
    with pytest.raises(ValueError, match="PNG"):
        image_html(b"GIF89a" + bytes(20), "a picture", density=2)
