"""The notebook's inline figures at twice the pixels, shown at their 1x size.

Matplotlib's inline backend sends each figure as a PNG at the figure's dpi.
Here every figure goes through the course's one encoder instead
(:func:`d2lhelpers.plotting.figure_png`): rendered at ``style.DENSITY`` times
the dpi, cropped as the inline backend crops it, reduced to a palette, and sent
with its display size as the output's ``width`` and ``height`` metadata. The
book (myst-nb writes them on the ``<img>``) and JupyterLab (which applies them
to the picture) both show it at the 1x size, so it is crisp on a high-density
screen and no larger on the page.

``import d2lhelpers`` calls :func:`use_crisp_figures`, so every chapter and a
learner's own notebook get this with no set-up cell. Outside a kernel with the
inline backend (scripts, tests, other backends) it does nothing.
``use_crisp_figures(False)`` goes back to the backend's own PNGs.
"""
from __future__ import annotations

import base64
from typing import Optional, Tuple

from matplotlib.figure import Figure

from d2lhelpers import style
from d2lhelpers.checks import check_density
from d2lhelpers.plotting import figure_png, png_size

INLINE_BACKENDS = ("inline", "module://matplotlib_inline.backend_inline")


def inline_png(fig: Figure, density: float = style.DENSITY,
               colors: Optional[int] = style.FIGURE_COLORS) -> Optional[Tuple[str, dict]]:
    """A figure as the notebook shows it: base64 PNG data and its display size.

    Returns None for an empty figure (no axes, no lines), as the inline backend
    does, so nothing is shown for it.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {fig!r}")
    density = check_density(density)
    if not fig.axes and not fig.lines:
        return None
    png = figure_png(fig, round(fig.dpi * density), colors, tight=True)
    width, height = png_size(png)
    size = {"width": round(width / density), "height": round(height / density)}
    return base64.b64encode(png).decode("ascii"), size


def _shell(shell):
    if shell is not None:
        return shell
    try:
        from IPython import get_ipython
    except ImportError:      # not installed: no notebook to show figures in
        return None
    return get_ipython()


def use_crisp_figures(enable: bool = True, shell=None) -> bool:
    """Send the inline backend's figures through :func:`inline_png` (or, with
    ``enable=False``, back through the backend's own formatter).

    Returns whether the notebook's figures now go through it: False outside a
    kernel with the inline backend, where nothing is changed.
    """
    if not isinstance(enable, bool):
        raise TypeError(f"enable must be True or False, got {enable!r}")
    shell = _shell(shell)
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    import matplotlib
    if matplotlib.get_backend(auto_select=False) not in INLINE_BACKENDS:
        return False
    # Importing the backend selects its default formats once per session;
    # ours must be registered after that, or that first figure would undo it.
    from matplotlib_inline.backend_inline import InlineBackend
    from IPython.core.pylabtools import select_figure_formats

    png = shell.display_formatter.formatters["image/png"]
    if enable:
        png.for_type(Figure, inline_png)
    else:
        config = InlineBackend.instance()
        select_figure_formats(shell, config.figure_formats, **config.print_figure_kwargs)
    return enable
