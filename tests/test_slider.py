"""The slider component: one picture per grid point, linked in the browser and
in the kernel, with alt text and the current value shown."""
import re

import pytest

import d2lhelpers as d2l
from d2lhelpers.functions import square, square_grad

pytestmark = pytest.mark.unit


def draw(ax, eta):
    d2l.show_trace(d2l.gd(eta, square_grad, verbose=False), square, ax=ax, title=f"eta {eta}")


@pytest.fixture(scope="module")
def panel():
    return d2l.precomputed_slider(draw, {"eta": [0.1, 0.5, 1.1]}, labels={"eta": "η"},
                                  initial={"eta": 0.5}, alt=lambda eta: f"trace for eta {eta}")


@pytest.mark.slow
def test_one_picture_per_grid_value_with_alt_text(panel):
    assert len(panel.pictures) == 3
    for pic, eta in zip(panel.pictures, [0.1, 0.5, 1.1]):
        assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{500,}"', pic.value)
        assert f'alt="trace for eta {eta}"' in pic.value
    assert len({p.value for p in panel.pictures}) == 3, "pictures differ"


@pytest.mark.slow
def test_slider_shows_the_value_and_starts_where_asked(panel):
    slider = panel.sliders["eta"]
    assert slider.description == "η" and slider.readout
    assert [label for label, _ in slider.options] == ["0.1", "0.5", "1.1"]
    assert slider.index == 1 and panel.root.selected_index == 1


@pytest.mark.slow
def test_the_saved_page_state_links_the_slider_to_the_pictures(panel):
    """What the static page ships: a front-end link model (no kernel needed)
    from the slider's index to the stack's selected index."""
    from ipywidgets.embed import embed_data
    state = embed_data(views=[panel.root])["manager_state"]["state"]
    links = [m["state"] for m in state.values() if m["model_name"] == "LinkModel"]
    ref = "IPY_MODEL_{}".format
    assert {"source": [ref(panel.sliders["eta"].model_id), "index"],
            "target": [ref(panel.root.model_id), "selected_index"]} in [
        {"source": list(m["source"]), "target": list(m["target"])} for m in links]


def test_kernel_side_changes_follow_the_slider(panel):
    before = panel.current_picture().value
    panel.sliders["eta"].index = 2
    assert panel.root.selected_index == 2
    assert panel.current_picture().value != before
    assert panel.current_values() == {"eta": 1.1}


@pytest.mark.slow
def test_two_parameter_grid_nests_stacks():
    def draw2(ax, a, b):
        ax.plot([0, 1], [a, b])
        ax.set(title=f"{a} {b}", xlabel="x", ylabel="y")

    p = d2l.precomputed_slider(draw2, {"a": [1, 2, 3], "b": [4, 5]}, alt=lambda a, b: f"{a},{b}")
    assert len(p.pictures) == 6
    p.sliders["a"].index, p.sliders["b"].index = 2, 0
    assert 'alt="3,4"' in p.current_picture().value
    p.sliders["b"].index = 1
    assert 'alt="3,5"' in p.current_picture().value


def test_bad_grids_are_rejected():
    with pytest.raises(ValueError, match="empty"):
        d2l.precomputed_slider(draw, {"eta": []}, alt=str)
    with pytest.raises(ValueError, match="one or two"):
        d2l.precomputed_slider(draw, {"a": [1], "b": [1], "c": [1]}, alt=str)


@pytest.mark.slow
def test_divergent_picture_is_noted_not_raised():
    """A slider that sweeps into divergence draws the note instead of warning."""
    import math

    def draw_div(ax, k):
        d2l.show_trace([1.0, math.inf] if k else [1.0, 0.5], square, ax=ax)

    p = d2l.precomputed_slider(draw_div, {"k": [0, 1]}, alt=lambda k: str(k))
    assert len(p.pictures) == 2


def _box_of(png: bytes, rgb=(255, 0, 0)):
    """The bounding box of the pixels of colour ``rgb`` in a PNG (to within 8
    levels: the palette's colours are averages of the pixels they stand for)."""
    import io

    import numpy as np
    from PIL import Image
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    rows, cols = np.nonzero((abs(pixels - rgb) <= 8).all(axis=2))
    return rows.min(), rows.max(), cols.min(), cols.max(), pixels.shape


@pytest.mark.slow
def test_every_picture_has_the_initial_pictures_axes_box():
    """The plot area stays put as the slider moves (one layout for all pictures),
    and the tick labels of the widest picture still fit inside it."""
    import base64

    def red(ax, scale):
        ax.set_facecolor((1, 0, 0))
        ax.plot([0, 1], [0, scale], color="black")
        ax.set(title=f"scale {scale}", xlabel="x", ylabel="y")

    # tick labels "0.2" at the start, "20000" in the widest picture
    panel = d2l.precomputed_slider(red, {"scale": [1, 10 ** 3, 10 ** 5]},
                                   initial={"scale": 1}, alt=lambda scale: "a line")
    boxes, ink = [], []
    for pic in panel.pictures:
        png = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', pic.value).group(1))
        boxes.append(_box_of(png))
        ink.append(_box_of(png, rgb=(0, 0, 0)))     # the text and the line
    assert boxes[0] == boxes[1] == boxes[2]
    top, bottom, left, right, (height, width, _) = boxes[0]
    assert 0 < top < bottom < height - 1 and 0 < left < right < width - 1
    for text_top, _, text_left, _, _ in ink:          # nothing cut at the edges
        assert text_top > 0 and text_left > 0


@pytest.mark.slow
def test_a_picture_drawn_past_its_edge_on_purpose_still_renders():
    """Ink at the edge that no layout can move (a figure text placed half
    outside) is drawn as it is, not laid out again and again."""
    def edge(ax, k):
        ax.plot([0, k])
        ax.figure.text(-0.01, 0.5, "cut on purpose")

    panel = d2l.precomputed_slider(edge, {"k": [1, 2]}, alt=lambda k: "a line")
    assert len(panel.pictures) == 2


@pytest.mark.slow
def test_grid_values_need_not_be_hashable():
    def line(ax, ys):
        ax.plot(ys)

    panel = d2l.precomputed_slider(line, {"ys": [[0, 1], [1, 0], [0, 2]]},
                                   alt=lambda ys: f"a line through {ys}")
    assert [('a line through ' + str(ys)) in pic.value
            for pic, ys in zip(panel.pictures, [[0, 1], [1, 0], [0, 2]])] == [True] * 3
