"""Plots of optimizer traces, in matplotlib's object-oriented style.

Every function takes ``ax=`` (a new figure is made when it is None) and returns
the axes, so figures compose and nothing reads or sets global state.
"""
from __future__ import annotations

import io
from typing import Callable, Optional, Sequence, Tuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from d2lhelpers import style
from d2lhelpers.checks import (as_number, check_callable, check_count, check_limit, check_point,
                               check_real, check_text, check_trace, finite_prefix,
                               warn_divergence)

#: The most contour levels one picture draws (matplotlib would try to place
#: a million and not finish).
MAX_LEVELS = 1000
#: The finest resolution figure_png renders (a page shows about 100 dpi).
MAX_DPI = 1200


def new_axes(ax: Optional[Axes] = None, figsize=None, pyplot: bool = True) -> Axes:
    """Return ``ax``, or the axes of a new figure of the course's size.

    With ``pyplot=False`` the figure is made without pyplot, so it is never shown
    inline by the notebook (the sliders render such figures to PNG themselves).
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be matplotlib Axes, got {ax!r}")
        return ax
    figsize = figsize or style.FIGSIZE
    if pyplot:
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
    return ax


class _PixelSink(io.RawIOBase):
    """A file for ``savefig(format="rgba")`` that keeps the RGBA pixels as an
    (height, width, 4) array: Agg writes its buffer, a memoryview of that
    shape, in one call."""

    pixels = None

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        if self.pixels is not None or view.ndim != 3 or view.shape[2] != 4:
            raise RuntimeError("expected one (height, width, 4) RGBA buffer from Agg")
        self.pixels = np.array(view, dtype=np.uint8)
        return view.nbytes


def figure_png(fig: Figure, dpi: int = style.SLIDER_DPI,
               colors: int = style.SLIDER_COLORS, *, tight: bool = False) -> bytes:
    """Render a figure to compact PNG bytes (on white, as on the site).

    The image is reduced to an adaptive palette of ``colors`` colours (an
    octree, no dithering): plots need few, so it is two to four times smaller
    with no visible change, which is what lets every picture ship at twice the
    pixels (see :mod:`d2lhelpers.inline`). ``colors=None`` keeps full colour.
    ``tight`` crops to the drawn content, as the notebook's inline figures are.
    The pixels are taken from Agg's buffer, not from a PNG of matplotlib's
    (encoding and decoding one would cost a tenth of the time), so the
    picture is compressed once, by zlib at its default level (level 9 or
    ``optimize`` would save 5% of the bytes at four times the time).
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {fig!r}")
    dpi = check_count("dpi", dpi)
    check_limit("dpi", dpi, MAX_DPI, "dots per inch")
    if colors is not None:
        colors = check_count("colors", colors, 2)
        if colors > 256:
            raise ValueError(f"colors must be at most 256 (a PNG palette), got {colors}")
    if not isinstance(tight, bool):
        raise TypeError(f"tight must be True or False, got {tight!r}")
    buf = _PixelSink()
    fig.savefig(buf, format="rgba", dpi=dpi, facecolor=fig.get_facecolor(),
                bbox_inches="tight" if tight else None)
    rgba = buf.pixels
    if rgba[..., 3].min() < 255:                                  # see-through parts
        image = Image.fromarray(rgba)
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image).convert("RGB")
    else:
        image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
    if colors is not None:
        image = _on_a_palette(image, colors)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


def _on_a_palette(image: Image.Image, colors: int) -> Image.Image:
    """``image`` on an adaptive palette of at most ``colors`` colours.

    An octree rather than median cut: on the book's pictures it is ten times
    faster (5 ms against 55 ms for a slider picture), a third smaller, and
    truer where it matters, at the lines' and labels' colours (the worst pixel
    is 29 levels off on average, against 62). Its averaging draws the white
    background as (254, 254, 254); near-white entries are set to white, so the
    pictures sit on the page's white exactly."""
    image = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE,
                           dither=Image.Dither.NONE)
    palette = image.getpalette()
    for i in range(0, len(palette), 3):
        if min(palette[i:i + 3]) >= 252:
            palette[i:i + 3] = [255, 255, 255]
    image.putpalette(palette)
    return image


def png_size(png: bytes) -> Tuple[int, int]:
    """Width and height in pixels, from the PNG's IHDR chunk."""
    if not isinstance(png, bytes):
        raise TypeError(f"png must be bytes, got {type(png).__name__}")
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("png is not PNG data")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _note_divergence(ax: Axes, results: Sequence, n_finite: int, what: str) -> None:
    # a trace with inf/nan in it, or a driver's Trace that stopped before them
    if n_finite < len(results) or getattr(results, "diverged_at", None) is not None:
        warn_divergence(what, n_finite)
        ax.text(0.5, 0.97, f"diverged: iterate {n_finite} is not finite (inf/nan);\n"
                           f"showing steps 0-{n_finite - 1}",
                transform=ax.transAxes, ha="center", va="top", fontsize=8,
                color=style.VERMILLION,
                bbox=dict(boxstyle="round", facecolor="white", edgecolor=style.VERMILLION))


def _evaluate(f: Callable, *grids: np.ndarray) -> np.ndarray:
    """Evaluate f on arrays, falling back to a loop for scalar-only functions."""
    with np.errstate(all="ignore"):
        try:
            values = np.asarray(f(*grids))
        except TypeError:            # f takes numbers only (math.exp, a branch on x)
            values = None
        if values is not None and values.shape == grids[0].shape:
            if values.dtype.kind not in "iuf":       # strings are not coerced
                raise TypeError(f"f must return numbers, got {values.ravel()[:3]!r}")
            return values.astype(float)
        flat = [as_number("f", f(*args)) for args in zip(*(g.ravel() for g in grids))]
        return np.array(flat, dtype=float).reshape(grids[0].shape)


def _check_levels(levels):
    """Contour levels: a count in [1, MAX_LEVELS] or increasing finite values."""
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        check_count("levels", levels)
        check_limit("levels", int(levels), MAX_LEVELS, "contour levels")
        return levels
    arr = check_point("levels", levels)
    if arr.ndim != 1 or arr.size == 0 or np.any(np.diff(arr) <= 0):
        raise ValueError(f"levels must be a count or increasing values, got {levels!r}")
    check_limit("len(levels)", arr.size, MAX_LEVELS, "contour levels")
    return arr


def show_trace(results: Sequence[float], f: Callable, ax: Optional[Axes] = None,
               title: str = "Gradient descent on f", label: Optional[str] = None,
               xlim: Optional[Tuple[float, float]] = None,
               legend_loc: str = "lower right") -> Axes:
    """Draw a 1D trace of iterates over the graph of f.

    A trace that diverges is drawn up to its last finite point, with a warning
    and a note on the figure. ``legend_loc`` is passed to ``ax.legend``: move
    the legend off the part of the curve the text discusses.
    """
    check_callable("f", f)
    n_finite = finite_prefix(check_trace(results, 1))
    check_text("title", title)
    check_text("legend_loc", legend_loc)
    if label is not None:
        check_text("label", label)
    if xlim is not None:
        if isinstance(xlim, (str, bytes)) or not hasattr(xlim, "__len__") or len(xlim) != 2:
            raise TypeError(f"xlim must be a pair (lo, hi), got {xlim!r}")
        xlim = tuple(check_real("xlim", v) for v in xlim)
        if not xlim[0] < xlim[1]:
            raise ValueError(f"xlim must have lo < hi, got {xlim!r}")
    ax = new_axes(ax)
    xs = np.asarray(results[:n_finite], dtype=float)
    if xlim is None:
        n = max(float(np.max(np.abs(xs))) if xs.size else 1.0, 1e-3)
        xlim = (-1.05 * n, 1.05 * n)
    grid = np.linspace(xlim[0], xlim[1], 400)
    ax.plot(grid, _evaluate(f, grid), color=style.CURVE_COLOR, lw=1.5, label="f(x)")
    ax.plot(xs, _evaluate(f, xs), "-o", color=style.TRACE_COLOR, ms=4, lw=1.2,
            label=label or "iterates")
    if xs.size:
        ax.plot(xs[:1], _evaluate(f, xs[:1]), "s", color=style.BLACK, ms=6, label="start")
    _note_divergence(ax, results, n_finite, "the 1D trace")
    ax.set(xlabel="x", ylabel="f(x)", title=title, xlim=xlim)
    ax.legend(loc=legend_loc, fontsize=8)
    return ax


def _bounds_2d(points: np.ndarray, base=(-5.5, 1.0, -3.0, 1.0)):
    x_lo, x_hi, y_lo, y_hi = base
    if points.size:
        x_lo, x_hi = min(x_lo, points[:, 0].min()), max(x_hi, points[:, 0].max())
        y_lo, y_hi = min(y_lo, points[:, 1].min()), max(y_hi, points[:, 1].max())
    dx, dy = 0.05 * (x_hi - x_lo), 0.05 * (y_hi - y_lo)
    return x_lo - dx, x_hi + dx, y_lo - dy, y_hi + dy


def draw_contours(f: Callable, ax: Axes, bounds, levels: int = 15) -> Axes:
    """The contour lines of f(x1, x2) over bounds = (x1_lo, x1_hi, x2_lo, x2_hi)."""
    check_callable("f", f)
    if isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__") or len(bounds) != 4:
        raise TypeError(f"bounds must be (x1_lo, x1_hi, x2_lo, x2_hi), got {bounds!r}")
    bounds = [check_real("bounds", v) for v in bounds]
    if not (bounds[0] < bounds[1] and bounds[2] < bounds[3]):
        raise ValueError(f"bounds must have x1_lo < x1_hi and x2_lo < x2_hi, got {bounds!r}")
    levels = _check_levels(levels)
    x1, x2 = np.meshgrid(np.linspace(bounds[0], bounds[1], 200),
                         np.linspace(bounds[2], bounds[3], 200))
    z = _evaluate(f, x1, x2)
    ax.contour(x1, x2, z, levels=levels, cmap=style.CONTOUR_CMAP, linewidths=0.8)
    return ax


def add_trace_2d(results: Sequence[Tuple[float, float]], ax: Axes,
                 label: Optional[str] = None, color: str = style.TRACE_COLOR) -> Axes:
    """Overlay one 2D trace (its finite part) on existing axes."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes, got {ax!r}")
    n_finite = finite_prefix(check_trace(results, 2))
    pts = np.asarray(results[:n_finite], dtype=float).reshape(-1, 2)
    ax.plot(pts[:, 0], pts[:, 1], "-o", color=color, ms=3, lw=1.2, label=label)
    _note_divergence(ax, results, n_finite, label or "the 2D trace")
    return ax


def show_trace_2d(f: Callable, results: Sequence[Tuple[float, float]],
                  ax: Optional[Axes] = None, title: str = "Trace over the contours of f",
                  bounds=None, levels: int = 15, label: Optional[str] = None,
                  minimum: Optional[Tuple[float, float]] = None) -> Axes:
    """Draw a 2D trace over the contour lines of f(x1, x2).

    ``bounds`` defaults to the classic window [-5.5, 1] x [-3, 1] widened to hold
    the trace; ``minimum``, when given, is marked with a cross.
    """
    check_callable("f", f)
    n_finite = finite_prefix(check_trace(results, 2))
    check_text("title", title)
    if label is not None:
        check_text("label", label)
    if minimum is not None:
        minimum = tuple(check_point("minimum", minimum, 2).reshape(-1))
    ax = new_axes(ax)
    pts = np.asarray(results[:n_finite], dtype=float).reshape(-1, 2)
    bounds = bounds or _bounds_2d(pts)
    draw_contours(f, ax, bounds, levels=levels)
    add_trace_2d(results, ax, label=label)
    if minimum is not None:
        ax.plot([minimum[0]], [minimum[1]], "+", color=style.BLACK, ms=9, mew=1.5)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title,
           xlim=bounds[:2], ylim=bounds[2:])
    if label:
        ax.legend(loc="lower right", fontsize=8)
    return ax
