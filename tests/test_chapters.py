"""Every chapter runs on its own, and prints exactly what the book build printed:
outputs are seeded, so two executions agree to the last digit. Cells tagged
``nondeterministic`` (timings) are exempt. Each test executes one chapter, so
`make test` (pytest-xdist, one worker per core) runs them side by side, as the
book build does."""
import os
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_book import recorded_times  # noqa: E402
from run_chapter import execute, stderr_outputs  # noqa: E402

pytestmark = pytest.mark.chapter

BUILT = Path(os.environ.get("COURSE_SITE", ROOT / "_build" / "html")).parent / "jupyter_execute"


def chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f for f in files if "```{code-cell}" in (ROOT / f"{f}.md").read_text()]


def text_outputs(nb, merged=False):
    """Per code cell: its stdout, plain-text results and text-only displays
    (a progress line), not widgets or images."""
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


def slowest_first():
    """The chapters, the slowest first (times from `make bench`), so that the
    workers finish together."""
    times = recorded_times()
    return sorted(chapters(), key=lambda c: -times.get(c, 0.0))


@pytest.mark.parametrize("chapter", slowest_first())
def test_chapter_runs_and_reproduces_the_build(chapter):
    nb = execute(ROOT / f"{chapter}.md")
    assert stderr_outputs(nb) == [], "nothing on stderr"
    built_path = BUILT / f"{chapter}.ipynb"
    if not built_path.exists():
        pytest.fail(f"no executed copy from the book build at {built_path}: run `make test`")
    built = nbformat.read(built_path, as_version=4)
    assert text_outputs(nb) == text_outputs(built, merged=True)
