"""What each chapter prints, recorded so the suite need not run it twice.

    python scripts/chapter_outputs.py          (`make record`)

The book build executes every chapter; tests/test_chapters.py checks that a
second execution prints the same, to the last digit. That second execution
may be one made earlier: this script executes every chapter on its own (as
scripts/run_chapter.py does, two at a time) and writes
tests/chapter-outputs.json, each chapter's text outputs with a digest of the
sources they come from (the chapter, the d2lhelpers package, the pinned
requirements, the kernel's numerics). Where the digest is current and the
build printed the same, the test is done; otherwise (a source changed since
the record, or a machine rounds in a way scripts/same_numerics.py does not
cover) it executes the chapter again, as before. Run it after changing a
chapter or the package, and commit the record. `make binder-check` compares
its executions with the record too.
"""
from __future__ import annotations

import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "chapter-outputs.json"


def chapters(root: Path = ROOT) -> list:
    """The table of contents' pages that have code cells, in its order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", [])
                             for c in part["chapters"]]
    return [f for f in files if "```{code-cell}" in (root / f"{f}.md").read_text()]


def slowest_first(names: list) -> list:
    """``names`` with the slowest first (times from `make bench`), so that
    two side-by-side runners finish together."""
    from build_book import recorded_times
    times = recorded_times()
    return sorted(names, key=lambda c: -times.get(c, 0.0))


def sources_digest(chapter: str, root: Path = ROOT) -> str:
    """SHA-256 of what a chapter's outputs depend on: its own source, every
    file of the package it imports, the pinned requirements and the kernel's
    numerics (scripts/same_numerics.py)."""
    package = sorted(p for p in (root / "d2lhelpers").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in [root / f"{chapter}.md", root / "requirements.txt",
                 root / "scripts" / "same_numerics.py", *package]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def text_outputs(nb, merged: bool = False) -> list:
    """Per code cell: its stdout, plain-text results and text-only displays
    (a progress line), not widgets or images. Cells tagged
    ``nondeterministic`` (timings) are left out."""
    result = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "nondeterministic" in cell.metadata.get("tags", []):
            continue
        texts, previous = [], None
        for out in cell.get("outputs", []):
            kind, previous = previous, (out.get("output_type"), out.get("name"))
            if out.get("output_type") == "stream":
                # With nb_merge_streams, myst-nb extends the first stream of a
                # run in place with the ones after it, and the saved notebook
                # keeps those too (the page shows the text once): in a built
                # notebook the first stream of a run holds the whole run.
                if merged and kind == previous:
                    continue
                texts.append(out["text"])
            elif out.get("output_type") == "display_data" and set(out["data"]) == {"text/plain"}:
                texts.append(out["data"]["text/plain"])          # a progress line
            elif out.get("output_type") == "execute_result":
                data = out.get("data", {})
                if "application/vnd.jupyter.widget-view+json" not in data:
                    texts.append(data.get("text/plain", ""))
        # Rstripped: the build merges a cell's streams (nb_merge_streams), which
        # drops a trailing newline that a plain execution keeps.
        result.append("".join(texts).rstrip())
    return result


def read_record(path: Path = RECORD) -> dict:
    """The committed record (empty when there is none or it is unreadable)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def current_outputs(chapter: str, record: dict, root: Path = ROOT):
    """The record's outputs for ``chapter`` if they come from its current
    sources, else None (not recorded, or a source changed since)."""
    entry = record.get(chapter)
    if entry and entry.get("digest") == sources_digest(chapter, root):
        return entry["outputs"]
    return None


def first_difference(printed: list, recorded: list):
    """``(cell, printed, recorded)`` for the first code cell whose text
    differs (counting only cells that print or are compared), else None."""
    for k, (a, b) in enumerate(zip(printed, recorded)):
        if a != b:
            return k, a, b
    if len(printed) != len(recorded):
        k = min(len(printed), len(recorded))
        return k, printed[k:k + 1], recorded[k:k + 1]
    return None


def _record_one(chapter: str) -> tuple:
    from run_chapter import execute, stderr_outputs
    nb = execute(ROOT / f"{chapter}.md")
    errors = stderr_outputs(nb)
    if errors:
        raise RuntimeError(f"{chapter} wrote to stderr:\n" + "\n".join(errors))
    return chapter, {"digest": sources_digest(chapter), "outputs": text_outputs(nb)}


def main() -> int:
    from build_book import one_thread_per_page
    from same_numerics import pin
    one_thread_per_page()
    pin()
    names = chapters()
    with ProcessPoolExecutor(max_workers=2) as pool:
        entries = dict(pool.map(_record_one, slowest_first(names)))
    record = {name: entries[name] for name in names}
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    print(f"recorded {len(record)} chapters in {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
