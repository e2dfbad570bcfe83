"""The build is strict: with the course's own _config.yml, a page whose cell
raises, or whose cell writes a warning, fails the build; a clean page passes."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JB = Path(sys.executable).parent / "jupyter-book"
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

```{code-cell} ipython3
%s
```
"""


def build_page(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    shutil.copytree(ROOT / "_ext", book / "_ext")
    shutil.copytree(ROOT / "assets", book / "assets")
    (book / "_vendor").mkdir()
    (book / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (book / "page.md").write_text(HEADER % code)
    return subprocess.run([str(JB), "build", str(book), "--all", "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, timeout=300)


def test_a_clean_page_builds(tmp_path):
    result = build_page(tmp_path, "print(6 * 7)")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "42" in (tmp_path / "book/_build/html/page.html").read_text()


def test_a_failing_cell_fails_the_build(tmp_path):
    result = build_page(tmp_path, "raise RuntimeError('this cell is broken')")
    assert result.returncode != 0
    assert "this cell is broken" in result.stdout + result.stderr


def test_a_warning_in_a_cell_fails_the_build(tmp_path):
    result = build_page(tmp_path, "import warnings\nwarnings.warn('a stray warning')")
    assert result.returncode != 0
    assert "stderr was found in the cell outputs" in result.stdout + result.stderr
