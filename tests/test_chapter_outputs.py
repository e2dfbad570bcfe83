"""The record of what each chapter prints (scripts/chapter_outputs.py): its
digest follows every source the outputs depend on, and the text it compares
is what a reader sees."""
import shutil
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chapter_outputs import (  # noqa: E402
    chapters, current_outputs, first_difference, read_record, sources_digest,
    text_outputs)

pytestmark = pytest.mark.unit


@pytest.fixture
def tree(tmp_path):
    """A small copy of the course: one chapter, the package, the pins and the
    kernel's numerics."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "same_numerics.py", tmp_path / "scripts")
    shutil.copy(ROOT / "chapters" / "gd-1d.md", tmp_path / "chapters")
    shutil.copy(ROOT / "requirements.txt", tmp_path)
    shutil.copytree(ROOT / "d2lhelpers", tmp_path / "d2lhelpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.mark.parametrize("changed", ["chapters/gd-1d.md", "requirements.txt",
                                     "scripts/same_numerics.py",
                                     "d2lhelpers/optim.py"])
def test_the_digest_changes_with_each_source(tree, changed):
    before = sources_digest("chapters/gd-1d", tree)
    with open(tree / changed, "a") as f:
        f.write("\n")
    assert sources_digest("chapters/gd-1d", tree) != before


def test_the_digest_ignores_bytecode_and_counts_a_new_module(tree):
    before = sources_digest("chapters/gd-1d", tree)
    cache = tree / "d2lhelpers" / "__pycache__"
    cache.mkdir()
    (cache / "optim.cpython-311.pyc").write_bytes(b"\x00")
    assert sources_digest("chapters/gd-1d", tree) == before
    (tree / "d2lhelpers" / "extra.py").write_text("X = 1\n")
    assert sources_digest("chapters/gd-1d", tree) != before


def _stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def test_text_outputs_keep_text_and_leave_out_pictures_widgets_and_timings():
    picture = new_output("display_data", data={"image/png": "AAAA", "text/plain": "<Figure>"})
    widget = new_output("execute_result", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
        "text/plain": "IntSlider()"}, execution_count=2)
    timed = new_code_cell("t", outputs=[_stream("0.123 s\n")])
    timed.metadata["tags"] = ["nondeterministic"]
    nb = new_notebook(cells=[
        new_code_cell("a", outputs=[_stream("x = 1\n"), picture,
                                    new_output("display_data", data={"text/plain": "epoch 3"})]),
        new_code_cell("b", outputs=[widget]),
        timed,
        new_code_cell("c", outputs=[new_output("execute_result", data={"text/plain": "0.5"},
                                               execution_count=4)]),
    ])
    assert text_outputs(nb) == ["x = 1\nepoch 3", "", "0.5"]


def test_a_merged_build_reads_as_the_plain_run():
    """myst-nb extends the first stream of a run with the rest and keeps the
    rest too: read merged, the built cell prints what the plain one did."""
    plain = new_notebook(cells=[new_code_cell("a", outputs=[_stream("1\n"), _stream("2\n")])])
    built = new_notebook(cells=[new_code_cell("a", outputs=[_stream("1\n2"), _stream("2\n")])])
    assert text_outputs(built, merged=True) == text_outputs(plain) == ["1\n2"]
    assert text_outputs(built) != text_outputs(plain)


def test_the_committed_record_is_well_formed_and_names_only_chapters():
    record = read_record()
    assert set(record) <= set(chapters())
    for name, entry in record.items():
        assert set(entry) == {"digest", "outputs"}, name
        assert len(entry["digest"]) == 64 and int(entry["digest"], 16) >= 0, name
        assert all(isinstance(text, str) for text in entry["outputs"]), name


def test_an_unreadable_record_is_no_record(tmp_path):
    bad = tmp_path / "record.json"
    bad.write_text("{not json")
    assert read_record(bad) == {} and read_record(tmp_path / "missing.json") == {}


def test_a_record_counts_only_for_the_sources_it_was_made_from(tree):
    chapter = "chapters/gd-1d"
    record = {chapter: {"digest": sources_digest(chapter, tree), "outputs": ["6"]}}
    assert current_outputs(chapter, record, tree) == ["6"]
    assert current_outputs("chapters/other", record, tree) is None
    with open(tree / "d2lhelpers" / "optim.py", "a") as f:
        f.write("\n")
    assert current_outputs(chapter, record, tree) is None


def test_the_first_difference_names_the_cell():
    assert first_difference(["a", "b"], ["a", "b"]) is None
    assert first_difference(["a", "b"], ["a", "c"]) == (1, "b", "c")
    assert first_difference(["a"], ["a", "c"]) == (1, [], ["c"])
