"""Every chapter runs, and two executions of it print the same to the last
digit: outputs are seeded. One execution is the book build's; the other is the
record in tests/chapter-outputs.json (`make record`, an execution of the same
sources) or, where that record is stale or differs, a new execution here.
Cells tagged ``nondeterministic`` (timings) are exempt. Each test is one
chapter, so `make test` (pytest-xdist, one worker per core) runs them side by
side, as the book build does."""
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chapter_outputs import (  # noqa: E402
    chapters, current_outputs, read_record, slowest_first, text_outputs)
from run_chapter import execute, stderr_outputs  # noqa: E402

pytestmark = pytest.mark.chapter

BUILT = Path(os.environ.get("COURSE_SITE", ROOT / "_build" / "html")).parent / "jupyter_execute"


RECORD = read_record()


def recorded_outputs(chapter):
    return current_outputs(chapter, RECORD)


@pytest.mark.parametrize("chapter", slowest_first(chapters()))
def test_chapter_runs_and_reproduces_the_build(chapter):
    built_path = BUILT / f"{chapter}.ipynb"
    if not built_path.exists():
        pytest.fail(f"no executed copy from the book build at {built_path}: run `make test`")
    printed = text_outputs(nbformat.read(built_path, as_version=4), merged=True)
    if recorded_outputs(chapter) == printed:
        return      # an earlier execution of the same sources printed the same
    nb = execute(ROOT / f"{chapter}.md")
    assert stderr_outputs(nb) == [], "nothing on stderr"
    assert text_outputs(nb) == printed
