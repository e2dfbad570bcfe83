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
# Pixels per CSS pixel of those pictures. 2 makes them crisp on high-density
# screens but costs about twice the bytes (1.6 times with 64 colours; 32
# colours visibly shift the palette's hues). The adaptive chapter already
# transfers 2.9 MB of its 3 MB budget, so the default stays 1 until the pages
# lose weight elsewhere.
SLIDER_DENSITY = 1
# Palette size of those pictures (see plotting.figure_png).
SLIDER_COLORS = 128

BLUE, ORANGE, GREEN, VERMILLION, PINK, SKY, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Colours for successive series, in order.
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PINK, SKY, BLACK, YELLOW)
#: The objective's graph or contours, and the optimizer's trace on top of it.
CURVE_COLOR = BLUE
TRACE_COLOR = VERMILLION
CONTOUR_CMAP = "Greys"
