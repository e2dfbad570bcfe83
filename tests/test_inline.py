"""The course's one picture encoder (plotting.figure_png) and the notebook's
inline figures through it (d2lhelpers.inline): twice the pixels, a palette,
the 1x display size carried alongside (issue 15)."""
import base64
import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from d2lhelpers import inline, style
from d2lhelpers.plotting import figure_png, png_size

matplotlib.use("agg")
pytestmark = pytest.mark.unit


def lines_figure(size=(4.0, 2.5), dpi=100):
    """Eight series over a translucent band: the hardest case for a palette."""
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    x = np.linspace(0, 10, 200)
    ax.fill_between(x, 0, 1 + np.sin(x) / 2, color=style.SKY, alpha=0.25)
    for i, color in enumerate(style.PALETTE):
        ax.plot(x, np.cos(x + i) + i / 4, color=color)
    ax.set(title="eight lines", xlabel="x", ylabel="y")
    return fig


def decode(png):
    return Image.open(io.BytesIO(png))


@pytest.mark.slow
def test_the_encoder_round_trips_to_a_palette_png_of_the_asked_size():
    fig = lines_figure()
    png = figure_png(fig, 200, colors=128)
    img = decode(png)
    assert img.format == "PNG" and img.mode == "P"
    assert img.size == png_size(png) == (800, 500)           # 4 x 2.5 in at 200 dpi
    assert len(img.getcolors()) <= 128
    assert img.info["dpi"] == pytest.approx((200, 200), abs=0.01)
    # Against full colour, pixel by pixel: the palette changes almost nothing.
    full = np.asarray(decode(figure_png(fig, 200, colors=None)).convert("RGB"), float)
    small = np.asarray(img.convert("RGB"), float)
    error = np.abs(small - full).max(axis=2)
    assert error.mean() < 1.0                                # of 255
    assert (error > 40).mean() < 0.002                        # a few anti-aliased pixels
    # Each series' own colour survives exactly.
    colours = {c for _, c in img.convert("RGB").getcolors(1 << 16)}
    for hex_colour in style.PALETTE:
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert min(sum(abs(a - b) for a, b in zip(rgb, c)) for c in colours) <= 12, hex_colour


@pytest.mark.slow
def test_the_palette_makes_the_picture_much_smaller():
    fig = lines_figure()
    full, small = figure_png(fig, 200, colors=None), figure_png(fig, 200, colors=128)
    assert len(small) < 0.6 * len(full)


@pytest.mark.slow
def test_see_through_figures_are_put_on_white():
    fig = lines_figure()
    fig.patch.set_alpha(0.0)
    for ax in fig.axes:
        ax.patch.set_alpha(0.0)
    rgb = decode(figure_png(fig, 50, colors=None)).convert("RGB")
    assert rgb.getpixel((0, 0)) == (255, 255, 255)           # not transparent black


@pytest.mark.slow
def test_inline_png_sends_twice_the_pixels_with_the_1x_size():
    fig = lines_figure(dpi=100)
    data, size = inline.inline_png(fig)
    png = base64.b64decode(data)
    width, height = png_size(png)
    assert size == {"width": round(width / 2), "height": round(height / 2)}
    # Cropped to the drawn content plus 0.1 in, as the inline backend crops:
    # about the figure's 400 x 250 px at 1x.
    assert 300 < size["width"] <= 420 and 180 < size["height"] <= 270
    assert decode(png).mode == "P"
    data1, size1 = inline.inline_png(fig, density=1)
    assert png_size(base64.b64decode(data1)) == (size1["width"], size1["height"])
    assert abs(size1["width"] - size["width"]) <= 1


def test_an_empty_figure_shows_nothing():
    assert inline.inline_png(Figure()) is None


@pytest.mark.parametrize("bad", [0, 0.5, True, "2", None])
def test_inline_png_refuses_a_bad_density(bad):
    with pytest.raises(ValueError, match="density"):
        inline.inline_png(lines_figure(), density=bad)


@pytest.mark.parametrize("bad", [1, 257, 2.5, "64"])
def test_figure_png_refuses_a_bad_palette_size(bad):
    with pytest.raises(ValueError, match="colors"):
        figure_png(lines_figure(), 50, colors=bad)


def test_png_size_refuses_what_is_not_png():
    with pytest.raises(ValueError, match="PNG"):
        png_size(b"GIF89a" + bytes(20))
    with pytest.raises(TypeError, match="bytes"):
        png_size("\x89PNG")


def test_outside_a_kernel_nothing_is_changed():
    assert inline.use_crisp_figures() is False
    with pytest.raises(TypeError, match="enable"):
        inline.use_crisp_figures("yes")


class FakeShell:
    """Just what use_crisp_figures touches: the display formatters."""

    def __init__(self):
        from IPython.core.formatters import DisplayFormatter
        self.display_formatter = DisplayFormatter()


@pytest.mark.slow
def test_in_an_inline_kernel_figures_go_through_the_encoder(monkeypatch):
    shell = FakeShell()
    monkeypatch.setattr(matplotlib, "get_backend",
                        lambda auto_select=True: "module://matplotlib_inline.backend_inline")
    assert inline.use_crisp_figures(shell=shell) is True
    data, metadata = shell.display_formatter.format(lines_figure())
    png = base64.b64decode(data["image/png"])
    assert png_size(png)[0] == pytest.approx(2 * metadata["image/png"]["width"], abs=1)
    assert inline.use_crisp_figures(False, shell=shell) is False
    data, metadata = shell.display_formatter.format(lines_figure())
    assert "image/png" not in metadata                     # the backend's own PNG again
