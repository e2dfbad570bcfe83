"""The palette is the colour-blind-safe Okabe-Ito set, with no repeats."""
import matplotlib.colors as mcolors
import pytest

from d2lhelpers import style

pytestmark = pytest.mark.unit

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
             "#CC79A7"}


def test_palette_is_okabe_ito_without_repeats():
    assert set(style.PALETTE) == OKABE_ITO and len(style.PALETTE) == 8
    assert all(mcolors.is_color_like(c) for c in style.PALETTE)
    assert style.TRACE_COLOR != style.CURVE_COLOR


def test_slider_pictures_are_smaller_than_figures():
    assert style.SLIDER_FIGSIZE[0] * style.SLIDER_DPI <= 7 * 100    # fits the column
    assert style.SLIDER_FIGSIZE[0] <= style.FIGSIZE[0]
    assert 2 <= style.SLIDER_COLORS <= 256                          # a PNG palette
