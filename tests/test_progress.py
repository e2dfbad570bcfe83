"""The progress reporter."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_progress_lines_are_deterministic(capsys):
    from d2lhelpers.progress import Progress
    p = Progress(2, "runs")
    assert p.done("first") == "[1/2] runs: first"
    assert p.done() == "[2/2] runs"
    assert capsys.readouterr().out == "[1/2] runs: first\n[2/2] runs\n"
    with pytest.raises(ValueError, match="already done"):
        p.done("third")
    with pytest.raises(ValueError, match="total"):
        Progress(0)
