"""The build fails closed. With the course's own _config.yml and its build
script (scripts/build_book.py, what `make book` runs), a page whose cell raises
or writes to stderr fails the build, hidden cells included; running the build
again never turns a failure green; and a damaged build is rebuilt, not served."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_build  # noqa: E402

pytestmark = pytest.mark.build

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A test page

Some math, so that the page loads MathJax from the vendored assets: $x^2$.
"""


def cell(code: str, tags=()) -> str:
    meta = f":tags: [{', '.join(tags)}]\n" if tags else ""
    return f"\n```{{code-cell}} ipython3\n{meta}{code}\n```\n"


def make_book(tmp_path: Path, *cells: str) -> Path:
    """A one-page book laid out like the course (the page under chapters/)."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    shutil.copytree(ROOT / "_ext", book / "_ext")
    shutil.copytree(ROOT / "web", book / "web")   # the site's own script and css
    shutil.copytree(ROOT / "assets", book / "assets")
    (book / "_vendor" / "vendor" / "mathjax").mkdir(parents=True)
    (book / "_vendor" / "vendor" / "mathjax" / "tex-chtml.js").write_text("// stand-in\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/page\n")
    (book / "chapters" / "page.md").write_text(HEADER + "".join(cells))
    return book


def build(book: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_book.py"), str(book)],
        capture_output=True, text=True, timeout=300)
    result.log = result.stdout + result.stderr
    return result


FIGURE = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0]);"
# A print the kernel sends in two pieces, cut just before a newline: myst-nb
# alone shows a blank line there (tests/test_stream_pieces.py).
CUT = ('import sys\nprint("x: 7.27", end="")\nsys.stdout.flush()\n'
       'print("\\nnext line")')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A clean one-page book with printed values and a figure, built once; the
    damage tests each get a copy of it."""
    book = make_book(tmp_path_factory.mktemp("clean"), cell("print(6 * 7)"),
                     cell(FIGURE), cell(CUT))
    result = build(book)
    assert result.returncode == 0, result.log
    return book


def test_a_clean_page_builds_and_passes_the_check(built):
    html = (built / "_build/html/chapters/page.html").read_text()
    assert "42" in html
    assert "x: 7.27\nnext line" in html       # one piece, no blank line
    assert any((built / "_build/html/_images").iterdir())
    assert (built / "_build/html/vendor/mathjax/tex-chtml.js").exists()
    assert check_build.problems(built / "_build") == []
    assert not (built / "_build" / check_build.FAILED_MARKER).exists()


def test_a_failing_cell_fails_the_build_every_time(tmp_path):
    book = make_book(tmp_path, cell("raise RuntimeError('this cell is broken')"))
    for _ in range(2):
        result = build(book)
        assert result.returncode != 0
        assert "this cell is broken" in result.log


def test_a_warning_fails_the_build_hidden_or_not_and_again_on_a_rerun(tmp_path):
    book = make_book(
        tmp_path,
        cell("import warnings\nwarnings.warn('a visible warning')"),
        cell("warnings.warn('under remove-output')", ["remove-output"]),
        cell("warnings.warn('under remove-cell')", ["remove-cell"]),
    )
    first = build(book)
    assert first.returncode != 0
    for text in ("a visible warning", "under remove-output", "under remove-cell"):
        assert text in first.log
    # Nothing changed: an incremental build would skip the page and pass.
    second = build(book)
    assert second.returncode != 0, second.log
    assert "rebuilding from clean" in second.log
    assert "under remove-cell" in second.log


def test_only_a_hidden_warning_still_fails(tmp_path):
    book = make_book(tmp_path, cell("print('fine')"),
                     cell("import warnings\nwarnings.warn('quiet')", ["remove-cell"]))
    result = build(book)
    assert result.returncode != 0
    assert "cell 2 wrote to stderr" in result.log and "quiet" in result.log


@pytest.mark.parametrize("damage", ["html/_static", "html/_images", "html/vendor"])
def test_a_damaged_build_is_rebuilt(built, tmp_path, damage):
    book = tmp_path / "book"
    shutil.copytree(built, book, symlinks=True)
    shutil.rmtree(book / "_build" / damage)
    found = check_build.problems(book / "_build")
    assert found, f"deleting {damage} went unnoticed"
    result = build(book)
    assert result.returncode == 0, result.log
    assert "rebuilding from clean" in result.log
    assert (book / "_build" / damage).is_dir()
    assert check_build.problems(book / "_build") == []
