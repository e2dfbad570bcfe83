"""Figure size, colours and resolution, set in one place for every helper.

The palette is Okabe and Ito's, chosen to stay distinguishable under the common
forms of colour blindness. Figures keep a white background so they read the
same in the site's light and dark themes.
"""
from __future__ import annotations

FIGSIZE = (5.5, 3.6)
# Pictures precomputed for the static sliders are smaller: every one of them is
# shipped inside the page.
SLIDER_FIGSIZE = (5.0, 3.3)
SLIDER_DPI = 90
# Pixels per CSS pixel of every picture, inline figures and slider frames:
# rendered at twice the dpi and shown at the 1x size, they are crisp on
# high-density screens. The palette (below) keeps them within the page budget.
DENSITY = 2
SLIDER_DENSITY = DENSITY
# Palette sizes (see plotting.figure_png). Figures shown once get 128
# colours, indistinguishable from full colour even with eight series over a
# translucent band. Slider frames, many per page, get 64: on their contours
# and traces no difference shows at 2x, and they are a fifth smaller; 48 and
# fewer start to shift the hues of crossing lines.
SLIDER_COLORS = 64
FIGURE_COLORS = 128

BLUE, ORANGE, GREEN, VERMILLION, PINK, SKY, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Colours for successive series, in order.
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PINK, SKY, BLACK, YELLOW)
#: The objective's graph or contours, and the optimizer's trace on top of it.
CURVE_COLOR = BLUE
TRACE_COLOR = VERMILLION
CONTOUR_CMAP = "Greys"
