"""What the plot helpers draw: the data on the axes, labels, divergence notes."""
import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import d2lhelpers as d2l  # noqa: E402
from d2lhelpers.checks import DivergenceWarning  # noqa: E402
from d2lhelpers import style  # noqa: E402
from d2lhelpers.functions import CLASSIC, square, square_grad  # noqa: E402

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_show_trace_draws_the_curve_and_the_iterates():
    results = d2l.gd(0.2, square_grad, verbose=False)
    ax = d2l.show_trace(results, square, title="t")
    curve, trace, start = ax.get_lines()
    xs, ys = trace.get_data()
    np.testing.assert_allclose(xs, results)
    np.testing.assert_allclose(ys, np.square(results))
    cx, cy = curve.get_data()
    assert cx.min() <= -10 and cx.max() >= 10          # covers [-n, n]
    np.testing.assert_allclose(cy, cx ** 2)
    assert start.get_data()[0][0] == 10
    assert ax.get_title() == "t" and ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)"


@pytest.mark.slow
def test_show_trace_uses_the_given_axes_and_returns_them():
    fig, ax = plt.subplots()
    assert d2l.show_trace([1.0, 0.5], square, ax=ax) is ax
    assert len(fig.axes) == 1


def test_show_trace_accepts_scalar_only_functions():
    ax = d2l.show_trace([2.0, 1.0], lambda x: math.exp(x))
    np.testing.assert_allclose(ax.get_lines()[1].get_data()[1], [math.exp(2), math.e])


def test_diverging_1d_trace_is_cut_and_annotated():
    results = [10.0, -100.0, 1e5, math.inf, math.nan]
    with pytest.warns(DivergenceWarning, match="step 3"):
        ax = d2l.show_trace(results, square)
    xs, _ = ax.get_lines()[1].get_data()
    np.testing.assert_allclose(xs, [10.0, -100.0, 1e5])
    notes = [t.get_text() for t in ax.texts]
    assert any("diverged" in t and "iterate 3" in t for t in notes)


def test_show_trace_2d_draws_contours_and_trace():
    results = [(-5.0, -2.0), (-4.0, -1.2), (-3.2, -0.72)]
    ax = d2l.show_trace_2d(CLASSIC.f, results, minimum=(0, 0))
    assert ax.collections, "contour lines are drawn"
    xs, ys = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(np.column_stack([xs, ys]), results)
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$" and ax.get_title()
    lo, hi = ax.get_xlim()
    assert lo <= -5 and hi >= 1


def test_diverging_2d_trace_keeps_finite_part_and_view():
    results = [(-5.0, -2.0), (10.0, 5.0), (math.nan, math.inf)]
    with pytest.warns(DivergenceWarning):
        ax = d2l.show_trace_2d(CLASSIC.f, results)
    xs, ys = ax.get_lines()[0].get_data()
    assert list(xs) == [-5.0, 10.0] and list(ys) == [-2.0, 5.0]
    assert ax.get_xlim()[1] >= 10 and all(math.isfinite(v) for v in ax.get_xlim())
    assert any("diverged" in t.get_text() for t in ax.texts)


def test_new_axes_without_pyplot_is_not_registered_with_pyplot():
    before = plt.get_fignums()
    ax = d2l.new_axes(pyplot=False)
    assert plt.get_fignums() == before and ax.figure is not None


def test_numpy_traces_are_treated_like_lists():
    """A trace given as an (n, 2) array (what optim.run returns) is not 'divergent'."""
    results = np.array([(-5.0, -2.0), (-4.0, -1.2), (-3.2, -0.72)])
    ax = d2l.show_trace_2d(CLASSIC.f, results)
    xs, ys = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(np.column_stack([xs, ys]), results)
    assert not ax.texts


@pytest.mark.slow
def test_precomputed_pictures_are_palette_pngs():
    """figure_png shrinks pictures to a palette, keeping them PNGs of the right size."""
    import io

    from PIL import Image

    from d2lhelpers.plotting import figure_png

    ax = d2l.show_trace(d2l.gd(0.2, square_grad, verbose=False), square)
    ax.figure.set_size_inches(5, 3)
    full, small = figure_png(ax.figure, dpi=90, colors=None), figure_png(ax.figure, dpi=90)
    img = Image.open(io.BytesIO(small))
    assert img.format == "PNG" and img.mode == "P" and img.size == (450, 270)
    assert len(small) < 0.7 * len(full)


def _pixels(png: bytes):
    import io

    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_the_palette_keeps_white_exact_and_the_colours_close():
    """On the palette, the figure's white stays exactly white (the picture sits
    on the page's white) and 99% of the pixels stay within 16 levels of the
    full-colour picture; only anti-aliased edge pixels move more (median cut
    does no better here: 97.8% within 8 levels, against 98.4%)."""
    from d2lhelpers.plotting import figure_png

    ax = d2l.new_axes(figsize=(4, 3), pyplot=False)
    for k, color in enumerate(style.PALETTE):
        ax.plot([0, 1], [k, k + 1], color=color, lw=2)
    ax.set(title="colours", xlabel="x", ylabel="y")
    full = _pixels(figure_png(ax.figure, dpi=120, colors=None))
    shown = _pixels(figure_png(ax.figure, dpi=120))
    white = (full == 255).all(axis=2)
    assert white.mean() > 0.5 and (shown[white] == 255).all()
    error = abs(shown - full).max(axis=2)
    assert (error <= 16).mean() > 0.99 and error.max() <= 64


@pytest.mark.parametrize("tight", [False, True])
def test_figure_png_holds_the_pixels_of_matplotlibs_own_png(tight):
    """figure_png reads Agg's buffer instead of decoding a PNG of savefig's:
    with the full palette its pixels are exactly those of savefig's PNG put
    on white, see-through figure or not, cropped or not."""
    import io

    from PIL import Image

    from d2lhelpers.plotting import figure_png
    for alpha in (1.0, 0.4):
        fig, ax = plt.subplots(figsize=(3.1, 2.3))
        ax.semilogy(np.arange(1, 30), 1 / np.arange(1, 30) ** 2, "-o")
        ax.set_title(r"$\eta_t$")
        fig.patch.set_alpha(alpha)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=77, facecolor=fig.get_facecolor(),
                    bbox_inches="tight" if tight else None)
        theirs = Image.open(buf).convert("RGBA")
        theirs = Image.alpha_composite(Image.new("RGBA", theirs.size, "white"), theirs)
        ours = Image.open(io.BytesIO(figure_png(fig, 77, None, tight=tight)))
        assert ours.size == theirs.size
        assert np.array_equal(np.asarray(ours.convert("RGB")),
                              np.asarray(theirs.convert("RGB")))
        plt.close(fig)
