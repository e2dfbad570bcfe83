"""Sliders that work in a live kernel and on the static website alike.

For every point of a parameter grid the figure is drawn once, by the same code
the chapter teaches, and rendered to a PNG. The pictures sit in (nested)
``ipywidgets.Stack`` widgets whose ``selected_index`` is linked to the sliders
with ``jslink``: the browser switches pictures by itself, so the sliders keep
working on the website with no kernel and no network. A Python-side observer
keeps the stacks in step too, so code in a live kernel sees the change.
"""
from __future__ import annotations

import base64
import html
import io
import itertools
import math
import numbers
from typing import Callable, Dict, Mapping, Optional, Sequence

import ipywidgets as widgets
import numpy as np
from PIL import Image

from d2lhelpers import style
from d2lhelpers.checks import (MAX_PICTURES, allow_divergence, check_callable, check_density,
                               check_figsize, check_limit, check_real, check_text)
from d2lhelpers.plotting import figure_png, new_axes, png_size


def _label(value) -> str:
    if isinstance(value, numbers.Integral):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:.4g}"
    return str(value)


def image_html(png: bytes, alt: str, density: float = style.DENSITY) -> str:
    """An <img> tag carrying the PNG inline, so the page needs no other file.

    ``density`` is the PNG's pixels per CSS pixel: a picture rendered at twice
    the dpi (``density=2``) carries the width and height of the 1x one, so it
    is crisp on a high-density screen and the same size everywhere.
    """
    density = check_density(density)
    if not isinstance(png, bytes):
        raise TypeError(f"png must be bytes, got {type(png).__name__}")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str, got {alt!r}")
    width, height = png_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'width="{round(width / density)}" height="{round(height / density)}" '
            'style="max-width:100%;height:auto" />')


def _common_box(one, other):
    """The part of two axes boxes (x0, y0, width, height) that lies in both."""
    x0, y0 = max(one[0], other[0]), max(one[1], other[1])
    x1 = min(one[0] + one[2], other[0] + other[2])
    y1 = min(one[1] + one[3], other[1] + other[3])
    return x0, y0, x1 - x0, y1 - y0


def _ink_at_edge(png: bytes) -> bool:
    """Whether anything is drawn on the picture's outermost pixels: on a white
    figure laid out with margins, that is a label cut off at the edge."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    edges = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return bool((edges < 250).any())


class PrecomputedSlider(widgets.VBox):
    """Sliders (one per parameter) above the picture for the selected values.

    Attributes: ``sliders`` (name -> SelectionSlider), ``grid`` (name -> values),
    ``pictures`` (the HTML widgets, in row-major order of the grid), ``links``
    (the browser-side links from slider indices to stack indices).
    """

    def __init__(self, sliders: Dict[str, widgets.SelectionSlider], root: widgets.Stack,
                 grid: Dict[str, list], pictures: list, caption: Optional[str], links: list):
        children = list(sliders.values()) + [root]
        if caption:
            children.insert(0, widgets.HTML(f"<b>{html.escape(caption)}</b>"))
        super().__init__(children=children)
        self.sliders, self.root, self.grid, self.pictures = sliders, root, grid, pictures
        self.links = links

    def current_values(self) -> Dict[str, object]:
        return {name: self.grid[name][s.index] for name, s in self.sliders.items()}

    def current_picture(self) -> widgets.HTML:
        """The picture the stacks show now (read from the stacks, not the sliders)."""
        node = self.root
        while isinstance(node, widgets.Stack):
            node = node.children[node.selected_index]
        return node


def precomputed_slider(draw: Callable, grid: Mapping[str, Sequence], *,
                       alt: Callable[..., str], labels: Optional[Mapping[str, str]] = None,
                       initial: Optional[Mapping[str, object]] = None,
                       caption: Optional[str] = None, figsize=None,
                       dpi: int = style.SLIDER_DPI,
                       density: float = style.DENSITY) -> PrecomputedSlider:
    """Turn ``draw(ax, **params)`` and a grid of parameter values into sliders.

    ``grid`` maps each parameter name (one or two of them) to its values;
    ``alt(**params)`` gives the alt text of each picture; ``labels`` the slider
    captions (default: the names); ``initial`` the starting values (default: the
    middle of each grid; the nearest grid value is used). ``density`` renders
    each picture at ``density`` times ``dpi`` and shows it at the ``dpi`` size
    (the default 2 is crisp on high-density screens; 1 is half the bytes).
    """
    check_callable("draw", draw)
    check_callable("alt", alt)
    if caption is not None:
        check_text("caption", caption)
    if figsize is not None:
        check_figsize(figsize)
    if not isinstance(grid, Mapping):
        raise TypeError(f"grid must map parameter names to their values, got {grid!r}")
    if not 1 <= len(grid) <= 2:
        raise ValueError(f"grid must name one or two parameters, got {len(grid)}")
    density = check_density(density)       # before any drawing
    for name, values in grid.items():
        if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__len__"):
            raise TypeError(f"grid[{name!r}] must be a list of values, got {values!r}")
    grid = {name: list(values) for name, values in grid.items()}
    for name, values in grid.items():
        if not values:
            raise ValueError(f"the grid for {name!r} is empty")
    check_limit("the grid", math.prod(len(v) for v in grid.values()), MAX_PICTURES,
                "pictures in one page")
    labels = dict(labels or {})
    names = list(grid)
    for what, given in (("initial", initial), ("labels", labels)):
        unknown = sorted(set(given or {}) - set(names), key=str)
        if unknown:
            raise ValueError(f"{what} names parameters not in the grid: {unknown} "
                             f"(the grid has {names})")

    def start_index(name):
        values = grid[name]
        if initial is None or name not in initial:
            return len(values) // 2
        target = initial[name]
        if all(isinstance(v, numbers.Real) for v in values):
            target = check_real(f"initial[{name!r}]", target)
            if not min(values) <= target <= max(values):
                raise ValueError(f"initial[{name!r}] = {target:g} lies outside the grid's "
                                 f"range [{min(values):g}, {max(values):g}]")
            return min(range(len(values)), key=lambda i: abs(values[i] - target))
        if target not in values:
            raise ValueError(f"initial[{name!r}] = {target!r} is not in the grid {values}")
        return values.index(target)

    start = {name: start_index(name) for name in names}   # checked before any drawing

    # Draw every picture (row-major over the grid). Divergence is part of what a
    # slider shows, so it is noted on the picture rather than raised as a warning.
    # All pictures share one layout, so the plot does not jump as the slider moves,
    # and each costs one layout-free draw (constrained layout is most of a draw's
    # time): the initial picture's, shrunk wherever another picture's labels would
    # be cut at the edge.
    # A picture is named by its grid indices (grid values need not be hashable).
    combos = list(itertools.product(*(range(len(grid[n])) for n in names)))

    def figure(combo):
        params = {n: grid[n][i] for n, i in zip(names, combo)}
        ax = new_axes(figsize=figsize or style.SLIDER_FIGSIZE, pyplot=False)
        draw(ax, **params)
        text = alt(**params)
        if not isinstance(text, str):
            raise TypeError(f"alt must return a str, got {text!r}")
        return ax.figure, text

    laid_out = {}    # figures drawn for their own layout, rendered from as they are

    def own_layout(combo):
        fig, text = laid_out[combo] = figure(combo)
        fig.draw_without_rendering()
        return [axes.get_position().bounds for axes in fig.axes]

    def picture(combo, boxes):
        fig, text = laid_out.get(combo) or figure(combo)
        frozen = len(boxes) == len(fig.axes)
        if frozen:
            fig.set_layout_engine(None)     # no layout pass, no pre-draw
            for axes, box in zip(fig.axes, boxes):
                axes.set_position(box)
        png = figure_png(fig, round(dpi * density))
        cut = frozen and _ink_at_edge(png)
        return widgets.HTML(image_html(png, text, density)), cut

    # The grid's corners first: their labels are the likeliest to be the widest,
    # so a shrunk layout is found before many pictures need drawing again.
    first = tuple(start[n] for n in names)
    corners = list(itertools.product(*(sorted({0, len(grid[n]) - 1}) for n in names)))
    order = list(dict.fromkeys([first] + corners + combos))
    with allow_divergence():
        boxes = own_layout(first)
        drawn = {}
        while len(drawn) < len(order):
            for combo in order:
                shown, cut = picture(combo, boxes)
                if cut:
                    common = [_common_box(a, b) for a, b in zip(boxes, own_layout(combo))]
                    if common != boxes:       # else the cut is not the layout's doing
                        boxes, drawn = common, {}
                        break
                drawn[combo] = shown
        pictures = [drawn[combo] for combo in combos]

    sliders = {}
    for name in names:
        sliders[name] = widgets.SelectionSlider(
            options=[(_label(v), i) for i, v in enumerate(grid[name])],
            index=start[name], description=labels.get(name, name),
            continuous_update=True, readout=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 460px)"))

    links = []

    # Nested stacks: the outer one is chosen by the first slider, each inner one
    # by the second.
    def build(level: int, offset: int) -> widgets.Widget:
        if level == len(names):
            return pictures[offset]
        size = math.prod(len(grid[n]) for n in names[level + 1:])
        slider = sliders[names[level]]
        stack = widgets.Stack(children=[build(level + 1, offset + i * size)
                                        for i in range(len(grid[names[level]]))],
                              selected_index=slider.index)
        links.append(widgets.jslink((slider, "index"), (stack, "selected_index")))
        slider.observe(lambda change, s=stack: setattr(s, "selected_index", change["new"]),
                       names="index")
        return stack

    root = build(0, 0)
    return PrecomputedSlider(sliders, root, grid, pictures, caption, links)
