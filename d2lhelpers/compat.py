"""The plotting names of the *Dive into Deep Learning* textbook (d2l).

That book defines its own ``show_trace`` and ``show_trace_2d`` in the chapter
text, on top of three library helpers: ``set_figsize``, ``plot`` and
``arange`` (and ``meshgrid`` and ``plt``). They are here with the same
signatures, so that code runs after ``import d2lhelpers as d2l``.

Two differences, both deliberate:

- d2l's ``set_figsize`` writes ``plt.rcParams`` (every later figure of the
  session changes size) and switches the notebook to SVG output. Here it only
  sizes the figure the next pyplot call draws on: it resizes the current
  figure if nothing is drawn on it yet, and otherwise opens a new one. So a
  second plot in the same cell gets its own figure, where d2l would clear and
  reuse the first one.
- Arrays are numpy arrays, not MXNet ones: code that calls ``.asnumpy()`` or
  tensor functions (``d2l.tensor``, ``d2l.cos``, ``npx``) does not run here.

Like d2l's, ``plot`` draws on pyplot's current axes unless given ``axes=``
and returns None; the course's own plots (:mod:`d2lhelpers.plotting`) take
``ax=`` and return it.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from d2lhelpers.checks import check_figsize, check_point, check_real, check_sequence, check_text

#: The largest array ``arange`` makes: a typo such as a step of 1e-9 should
#: fail at once, not fill the memory.
MAX_POINTS = 10_000_000
#: d2l's default figure size, in inches.
D2L_FIGSIZE = (3.5, 2.5)
D2L_FMTS = ("-", "m--", "g-.", "r:")


def set_figsize(figsize=D2L_FIGSIZE) -> None:
    """Size the figure that the next pyplot call draws on (see the module)."""
    size = check_figsize(figsize)
    if plt.get_fignums() and not plt.gcf().axes:
        plt.gcf().set_size_inches(size)
    else:
        plt.figure(figsize=size)


def use_svg_display() -> None:
    """Accepted for compatibility; the course keeps the notebook's PNG output."""


def arange(start, stop=None, step=1.0) -> np.ndarray:
    """Evenly spaced floats in [start, stop), as ``d2l.arange`` (numpy's)."""
    if stop is None:
        start, stop = 0.0, start
    start, stop = check_real("start", start), check_real("stop", stop)
    step = check_real("step", step)
    if step == 0:
        raise ValueError("step must be non-zero, got 0")
    count = math.ceil((stop - start) / step)
    if count > MAX_POINTS:
        raise ValueError(f"arange({start!r}, {stop!r}, {step!r}) would make "
                         f"{count:,} points, more than {MAX_POINTS:,}: "
                         "check the step")
    return np.arange(start, stop, step, dtype=float)


def meshgrid(*xi) -> tuple:
    """numpy's meshgrid, under d2l's name."""
    return tuple(np.meshgrid(*(check_point(f"meshgrid argument {i}", x)
                               for i, x in enumerate(xi))))


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale,
             legend) -> None:
    """Labels, limits, scales, legend and grid, as d2l sets them."""
    if not isinstance(axes, plt.Axes):
        raise TypeError(f"axes must be matplotlib Axes, got {axes!r}")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _one_series(values) -> bool:
    """True for a single series (a 1-D array or a flat list of numbers)."""
    if isinstance(values, np.ndarray):
        return values.ndim == 1
    return (isinstance(values, (list, tuple)) and len(values) > 0
            and not hasattr(values[0], "__len__"))


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None,
         ylim=None, xscale="linear", yscale="linear",
         fmts: Sequence[str] = D2L_FMTS, figsize=D2L_FIGSIZE,
         axes: plt.Axes | None = None) -> None:
    """Draw one or more series, with d2l's arguments and defaults.

    ``X`` and ``Y`` are each a series or a list of series; with ``Y`` omitted,
    ``X`` holds the y values. One x series is shared by several y series.
    The axes are cleared first, as in d2l.
    """
    for name, values in (("X", X), ("Y", Y)):
        if values is not None and (isinstance(values, str)
                                   or not hasattr(values, "__len__")):
            raise TypeError(f"{name} must be a series or a list of series, "
                            f"got {values!r}")
    if X is None:
        raise TypeError("X must be a series or a list of series, got None")
    if _one_series(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _one_series(Y):
        Y = [Y]
    if len(X) != len(Y):
        if len(X) != 1:
            raise ValueError(f"X has {len(X)} series and Y has {len(Y)}: "
                             "give one x series per y series, or one for all")
        X = list(X) * len(Y)
    if legend is not None:
        for text in check_sequence("legend", legend, 0):
            check_text("each legend entry", text)
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if lim is not None:
            if isinstance(lim, (str, bytes)) or not hasattr(lim, "__len__") or len(lim) != 2:
                raise TypeError(f"{name} must be a pair (lo, hi), got {lim!r}")
            for v in lim:
                check_real(name, v)
    if not isinstance(fmts, str):
        fmts = check_sequence("fmts", fmts, 0)
        for fmt in fmts:
            check_text("each of fmts", fmt)
    if isinstance(fmts, str) or len(fmts) < len(Y):
        raise ValueError(f"fmts must be a sequence of at least {len(Y)} "
                         f"format strings (one per series), got {fmts!r}")
    for x, y in zip(X, Y):
        if len(x) and len(x) != len(y):
            raise ValueError(f"a series has {len(x)} x values and {len(y)} "
                             "y values")
    if axes is None:
        set_figsize(figsize)
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend or [])
