"""Code lines in chapter cells fit the page: at most 78 characters, so that no
code block scrolls sideways in the site's content column (issue 15). This reads
the chapter sources, so it runs in the unit tier without a build."""
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
MAX_CHARS = 78
FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")


def code_cell_lines(text: str):
    """(line number, line) for every code line of every ``{code-cell}``, leaving
    out a cell's option block (``---`` YAML or ``:key: value`` lines)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        i += 1
        if not opening:
            continue
        fence = opening.group(1)
        # Options: a YAML block between two "---" lines, or ":key:" lines.
        if i < len(lines) and lines[i].strip() == "---":
            i += 1
            while i < len(lines) and lines[i].strip() != "---":
                i += 1
            i += 1
        while i < len(lines) and re.match(r"^:[\w-]+:", lines[i]):
            i += 1
        while i < len(lines) and not lines[i].startswith(fence):
            yield i + 1, lines[i]
            i += 1
        i += 1


def test_the_reader_recognizes_cells_and_skips_their_options():
    text = "\n".join([
        "```{code-cell} ipython3", "---", "mystnb:", "  image:",
        "    alt: " + "a" * 100, "---", "x = 1", "```", "prose " * 30,
        "```{code-cell} ipython3", ":tags: [hide-input]", "", "y = 2", "```"])
    assert [line for _, line in code_cell_lines(text)] == ["x = 1", "", "y = 2"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_code_lines_fit_in_78_characters(chapter):
    long = [f"{chapter.name}:{n}: {len(line)} chars"
            for n, line in code_cell_lines(chapter.read_text(encoding="utf-8"))
            if len(line) > MAX_CHARS]
    assert long == [], "code lines longer than 78 characters:\n" + "\n".join(long)
