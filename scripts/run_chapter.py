"""Execute chapters as notebooks, the way the book build does, and fail loudly.

    python scripts/run_chapter.py [--record] chapters/gd-1d.md [more ...]

A chapter fails on a cell error or on anything written to stderr (a warning),
like the strict build. With ``--record`` it also fails where it prints other
text than tests/chapter-outputs.json holds for its current sources (`make
binder-check`: Binder's environment prints the book's numbers). Use it to
check one chapter quickly; `make book` builds the whole site.
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


def against_record(path: Path, nb, record: dict):
    """What is wrong with ``nb``'s text against the record, or None. A
    chapter whose sources changed since the record is not compared."""
    from chapter_outputs import (ROOT, current_outputs, first_difference,
                                 text_outputs)
    chapter = path.resolve().relative_to(ROOT).with_suffix("").as_posix()
    recorded = current_outputs(chapter, record)
    if recorded is None:
        print(f"note {chapter}: the record is stale or missing, not compared")
        return None
    found = first_difference(text_outputs(nb), recorded)
    if found is None:
        return None
    cell, printed, wanted = found
    if isinstance(printed, str) and isinstance(wanted, str):
        at = next((i for i, (a, b) in enumerate(zip(printed, wanted)) if a != b),
                  min(len(printed), len(wanted)))
        printed, wanted = printed[max(0, at - 60):at + 60], wanted[max(0, at - 60):at + 60]
    return (f"code cell {cell} prints other text than the record, from:\n"
            f"  printed:  {printed!r}\n  recorded: {wanted!r}")


def main(paths, compare: bool = False) -> int:
    from chapter_outputs import read_record
    record = read_record() if compare else {}
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
        wrong = against_record(Path(name), nb, record) if compare else None
        if errs:
            print(f"FAIL {name}: output on stderr (a warning fails the build):\n" + "\n".join(errs))
            failed += 1
        elif wrong:
            print(f"FAIL {name}: {wrong}")
            failed += 1
        else:
            print(f"ok   {name} ({elapsed:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main([a for a in args if a != "--record"], "--record" in args))
