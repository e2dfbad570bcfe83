"""The progress reporter: lines printed outside a notebook, one output updated
in place inside one."""
from __future__ import annotations

import io

import pytest

from d2lhelpers.progress import Progress


@pytest.mark.unit
def test_progress_lines_are_deterministic(capsys):
    p = Progress(2, "runs")
    assert p.done("first") == "[1/2] runs: first"
    assert p.done() == "[2/2] runs"
    assert capsys.readouterr().out == "[1/2] runs: first\n[2/2] runs\n"
    with pytest.raises(ValueError, match="already done"):
        p.done("third")
    with pytest.raises(ValueError, match="total"):
        Progress(0)


@pytest.mark.unit
def test_progress_writes_to_the_given_file(capsys):
    out = io.StringIO()
    p = Progress(2, out=out, log=True)
    p.done("a")
    p.done("b")
    assert out.getvalue() == "[1/2] a\n[2/2] b\n" and capsys.readouterr().out == ""


@pytest.mark.chapter
def test_in_a_notebook_one_output_is_updated_in_place():
    """Executed as the build executes a chapter: each cell keeps ONE output, the
    last line (or, with log=True, all the lines)."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from d2lhelpers.progress import Progress\n"
                                  "p = Progress(10, 'runs')\n"
                                  "for k in range(10):\n    p.done(f'item {k}')"),
        nbformat.v4.new_code_cell("q = Progress(3, 'epoch', log=True)\n"
                                  "for k in range(3):\n    q.done(f'loss {k}')"),
    ]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    first, second = ([(o.output_type, o.data["text/plain"]) for o in cell.outputs]
                     for cell in nb.cells)
    assert first == [("display_data", "[10/10] runs: item 9")]
    assert second == [("display_data",
                       "[1/3] epoch: loss 0\n[2/3] epoch: loss 1\n[3/3] epoch: loss 2")]
