"""The course's helper package.

Chapters import what they need from the submodules; the names below are the ones
almost every chapter uses, re-exported for convenience.
"""
from d2lhelpers.checks import DivergenceWarning, allow_divergence
from d2lhelpers.drivers import gd, run_1d, train_2d
from d2lhelpers.plotting import new_axes, show_trace, show_trace_2d
from d2lhelpers.slider import precomputed_slider

__all__ = [
    "DivergenceWarning",
    "allow_divergence",
    "gd",
    "new_axes",
    "precomputed_slider",
    "run_1d",
    "show_trace",
    "show_trace_2d",
    "train_2d",
]

# The d2l textbook's plotting names, so that book's own show_trace runs here.
from d2lhelpers.compat import arange, meshgrid, plot, plt, set_figsize

__all__ += ["arange", "meshgrid", "plot", "plt", "set_figsize"]

# Inline figures at twice the pixels, in every chapter and notebook that
# imports the package (a no-op outside a kernel with the inline backend).
from d2lhelpers.inline import use_crisp_figures  # noqa: E402

use_crisp_figures()
