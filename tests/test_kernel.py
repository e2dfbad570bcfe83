"""The 1D chapter's slider in a live kernel, driven the way JupyterLab drives it:
the front end sends a comm ``update`` for the slider's index, and the kernel must
answer by switching the picture stack to a different figure."""
import queue
import time
from pathlib import Path

import jupytext
import pytest
from helpers import run_cell as run
from jupyter_client.manager import start_new_kernel

pytestmark = pytest.mark.chapter

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "gd-1d.md"


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(CHAPTER.parent))
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_slider_cell_reacts_to_the_front_end(kernel):
    cells = [c.source for c in jupytext.read(CHAPTER).cells if c.cell_type == "code"]
    slider_cell = next(i for i, src in enumerate(cells) if "precomputed_slider(" in src)
    for src in cells[:slider_cell]:
        run(kernel, src)
    messages = run(kernel, cells[slider_cell])

    models = {m["content"]["comm_id"]: m["content"]["data"]["state"]
              for m in messages if m["msg_type"] == "comm_open"}
    shown = [m for m in messages if m["msg_type"] == "execute_result"
             and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]
    assert shown, "the cell displays a widget"
    slider_id = next(k for k, s in models.items() if s["_model_name"] == "SelectionSliderModel")
    stack_id = next(k for k, s in models.items() if s["_model_name"] == "StackModel")
    stack = models[stack_id]
    start = models[slider_id]["index"]
    assert stack["selected_index"] == start
    target = start + 3

    # What JupyterLab sends when the reader drags the slider.
    msg = kernel.session.msg("comm_msg", {"comm_id": slider_id, "data": {
        "method": "update", "state": {"index": target}, "buffer_paths": []}})
    kernel.shell_channel.send(msg)

    deadline, switched = time.monotonic() + 30, False
    while time.monotonic() < deadline and not switched:
        try:
            reply = kernel.get_iopub_msg(timeout=2)
        except queue.Empty:
            continue
        content = reply["content"]
        if (reply["msg_type"] == "comm_msg" and content.get("comm_id") == stack_id
                and content["data"].get("method") == "update"):
            switched = content["data"]["state"].get("selected_index") == target
    assert switched, "the kernel switched the picture stack to the new value"

    def picture(index):
        child = stack["children"][index].removeprefix("IPY_MODEL_")
        return models[child]["value"]

    assert picture(target) != picture(start), "a different figure is now shown"
    assert "<img src=\"data:image/png;base64," in picture(target)


def test_inline_figures_have_twice_the_pixels_in_the_notebook(kernel):
    """What JupyterLab shows a learner: an inline figure at twice the pixels,
    with the 1x width and height in the output's metadata (JupyterLab's image
    renderer sets them on the <img>)."""
    import base64

    from d2lhelpers.plotting import png_size
    messages = run(kernel, "import matplotlib.pyplot as plt\nimport d2lhelpers as d2l\n"
                           "fig, ax = plt.subplots(figsize=(5, 3))\nax.plot([1, 3, 2]);")
    shown = [m["content"] for m in messages if m["msg_type"] == "display_data"
             and "image/png" in m["content"]["data"]]
    assert len(shown) == 1
    size = shown[0]["metadata"]["image/png"]
    width, height = png_size(base64.b64decode(shown[0]["data"]["image/png"]))
    assert (width, height) == (pytest.approx(2 * size["width"], abs=1),
                               pytest.approx(2 * size["height"], abs=1))
    assert 400 < size["width"] <= 520                    # about 5 in at 100 dpi, cropped
