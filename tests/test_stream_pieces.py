"""The build joins a stream's pieces before myst-nb merges them
(build_book.join_stream_pieces): what a page shows cannot depend on where
the kernel's flush timer cut the text."""
import sys
from pathlib import Path

import myst_nb.core.render as render
import pytest
from myst_nb.core.utils import coalesce_streams
from nbformat.v4 import new_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_book  # noqa: E402

pytestmark = pytest.mark.unit

TEXT = "epoch 10, x: 7.269860\nerror ratios, t = 2..10:\n [0.5107 0.5062]\n"


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def shown(outputs, merge):
    return [(o["output_type"], o.get("name"), o.get("text"))
            for o in merge(outputs)]


def ours(outputs):
    return coalesce_streams(build_book.join_stream_pieces(outputs))


@pytest.mark.upstream
def test_myst_nb_alone_adds_a_blank_line_where_a_cut_meets_a_newline():
    cut = TEXT.index("\nerror")
    merged = coalesce_streams([stream(TEXT[:cut]), stream(TEXT[cut:])])
    assert merged[0]["text"] == TEXT.replace("\n", "\n\n", 1)


@pytest.mark.parametrize("cut", range(1, len(TEXT)))
def test_the_page_shows_the_same_text_wherever_the_kernel_cut_it(cut):
    whole = shown([stream(TEXT)], coalesce_streams)
    assert shown([stream(TEXT[:cut]), stream(TEXT[cut:])], ours) == whole


def test_streams_keep_their_names_and_other_outputs_their_places():
    picture = new_output("display_data", data={"image/png": "AAAA"})
    outputs = [stream("a\n"), stream("oops\n", "stderr"), picture,
               stream("b\n"), stream("c\n", "stderr")]
    got = shown(outputs, ours)
    assert got == [("stream", "stdout", "a\nb\n"),
                   ("stream", "stderr", "oops\nc\n"),
                   ("display_data", None, None)]


def test_the_build_puts_the_join_in_front_of_myst_nbs_merge(monkeypatch):
    monkeypatch.setattr(render, "coalesce_streams", coalesce_streams)
    build_book._join_stream_pieces()
    cut = TEXT.index("\nerror")
    merged = render.coalesce_streams([stream(TEXT[:cut]), stream(TEXT[cut:])])
    assert merged[0]["text"] == TEXT
