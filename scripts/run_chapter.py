"""Execute chapters as notebooks, the way the book build does, and fail loudly.

    python scripts/run_chapter.py chapters/gd-1d.md [more chapters...]

A chapter fails on a cell error or on anything written to stderr (a warning),
like the strict build. Use it to check one chapter quickly; `make book` builds
the whole site.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import jupytext
from nbclient import NotebookClient


def execute(path: Path, timeout: int = 300):
    """Execute the MyST notebook at ``path`` in its own folder; return the notebook."""
    nb = jupytext.read(path)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def stderr_outputs(nb) -> list:
    return [out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", [])
            if out.get("output_type") == "stream" and out.get("name") == "stderr"]


def main(paths) -> int:
    failed = 0
    for name in paths:
        start = time.perf_counter()
        try:
            nb = execute(Path(name))
        except Exception as err:  # report every chapter, then fail
            print(f"FAIL {name}: {err}")
            failed += 1
            continue
        errs = stderr_outputs(nb)
        elapsed = time.perf_counter() - start
        if errs:
            print(f"FAIL {name}: output on stderr (a warning fails the build):\n" + "\n".join(errs))
            failed += 1
        else:
            print(f"ok   {name} ({elapsed:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
