"""Build the book so that it fails closed: repair, build in parallel, check.

    python scripts/build_book.py [--all] [--jobs N] [SOURCE]

1. If an earlier build is there and ``check_build`` finds it failed, unfinished
   or damaged (a file a page needs is missing), it is removed, so this build
   starts clean: re-running a failed build can never turn it green, and a
   damaged one is repaired by building it anew.
2. A marker is written, and Jupyter Book builds strictly (``-W -n
   --keep-going``) with Sphinx reading ``N`` pages at once (default one per
   core; see ``--jobs``). Reading a page executes its notebook.
3. ``check_build`` reads the result (every executed notebook for errors and
   stderr, hidden cells included; every page's local references). Only a clean
   result removes the marker; otherwise the exit status is 1.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_build  # noqa: E402  (scripts/check_build.py)
import same_numerics  # noqa: E402


def _declare_multitoc_parallel_safe() -> None:
    """sphinx-external-toc always loads sphinx-multitoc-numbering (0.1.3), which
    does not declare itself safe for parallel reading, so Sphinx would read
    serially with a warning (an error under -W). It is safe: it only replaces
    how section numbers are assigned from the toctrees, which Sphinx does in
    the main process after every page is read."""
    import sphinx_multitoc_numbering as multitoc

    plain = multitoc.setup
    if getattr(plain, "declared_safe", False):
        return

    def setup(app):
        return {**(plain(app) or {}), "parallel_read_safe": True,
                "parallel_write_safe": True}

    setup.declared_safe = True
    multitoc.setup = setup


# When pages run side by side, each kernel gets one thread for its numerics
# (OpenMP, BLAS, MXNet's CPU workers): two pages at two threads each on two
# cores fight for them (124 s for a clean build here, against 98 s). Printed
# values are the same either way (tests/test_chapters.py compares them).
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MXNET_CPU_WORKER_NTHREADS": "1"}


def one_thread_per_page() -> None:
    """Set ONE_THREAD in this process's environment (kept where already set),
    so every kernel started from it inherits them."""
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)


def join_stream_pieces(outputs: list) -> list:
    """Each stream's pieces joined as the kernel sent them, the later pieces
    left out (myst-nb's merge then sees one piece per stream).

    The kernel sends what a cell prints in pieces, cut wherever its flush
    timer fires, and myst-nb's nb_merge_streams strips each later piece
    before appending it. A cut between a print's text and its newline
    ("x: 7.27" then "\\nerror ratios ...") gave a blank line that came and
    went from build to build. The first piece is extended in place, as
    myst-nb does, so the saved notebook's first piece still holds the whole.
    """
    first, kept = {}, []
    for out in outputs:
        if out.get("output_type") == "stream":
            if out["name"] in first:
                first[out["name"]]["text"] += out["text"]
                continue
            first[out["name"]] = out
        kept.append(out)
    return kept


def _join_stream_pieces() -> None:
    import myst_nb.core.render as render

    merge = render.coalesce_streams
    render.coalesce_streams = lambda outputs: merge(join_stream_pieces(outputs))


CHAPTER_TIMES = Path(__file__).resolve().parent.parent / "bench" / "chapter-times.json"


def recorded_times() -> dict:
    """Each page's execution time in seconds as ``make bench`` last recorded it
    (empty when there is no record yet)."""
    import json
    try:
        return json.loads(CHAPTER_TIMES.read_text())
    except (OSError, ValueError):
        return {}


def queue_order(docnames, nproc: int, cost) -> list:
    """One-page tasks in the order to hand them to Sphinx so that they start
    dearest first. Sphinx 7.4's ParallelTasks starts the first ``nproc`` tasks
    as they are added and then, as slots free up, the most recently added
    waiting one (``dict.popitem``): so the rest are queued cheapest first."""
    ordered = sorted(docnames, key=cost, reverse=True)
    head, rest = ordered[:nproc], ordered[nproc:]
    return [[name] for name in head + rest[::-1]]


def _longest_first(source: Path) -> None:
    """Let Sphinx hand out one page at a time, the slowest first.

    Sphinx splits the pages into a few alphabetical batches, one process each,
    so a slow page late in the alphabet can run alone at the end. One page per
    task, ordered by the execution times ``make bench`` records in
    bench/chapter-times.json (source size for pages it has not timed), keeps
    both cores busy until the end (longest-processing-time-first scheduling).
    """
    import sphinx.builders

    times = recorded_times()

    def cost(docname):
        if docname in times:
            return float(times[docname])
        path = source / f"{docname}.md"
        return path.stat().st_size / 1e4 if path.exists() else 0.0

    def chunks(docnames, nproc, maxbatch=10):
        return queue_order(docnames, nproc, cost)

    sphinx.builders.make_chunks = chunks


def _jupyter_book(source: Path, force_all: bool, jobs: int) -> int:
    """Jupyter Book's own ``build`` command, with Sphinx's parallel reading."""
    import jupyter_book.sphinx
    from jupyter_book.cli.main import main as jb_main

    plain = jupyter_book.sphinx.build_sphinx

    def parallel(*args, **kwargs):
        kwargs["jobs"] = jobs
        return plain(*args, **kwargs)

    # The CLI imports build_sphinx from this module when it runs, and has no
    # option for Sphinx's -j.
    jupyter_book.sphinx.build_sphinx = parallel
    _declare_multitoc_parallel_safe()
    _join_stream_pieces()
    _longest_first(source)
    args = ["build", str(source), "-W", "-n", "--keep-going"]
    if force_all:
        args.append("--all")
    try:
        jb_main(args, standalone_mode=False)
    except SystemExit as stop:  # the CLI exits non-zero on a failed build
        return int(stop.code or 0)
    except Exception as err:  # noqa: BLE001  (report the whole chain, then fail)
        traceback.print_exception(err, file=sys.stdout)
        print(f"build_book: the build raised {type(err).__name__}")
        return 1
    finally:
        jupyter_book.sphinx.build_sphinx = plain
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=".")
    parser.add_argument("--all", action="store_true", help="re-read every page")
    # One page per core by default: each page's notebook runs in its own kernel,
    # so two pages execute side by side. (An earlier doubt about parallel builds
    # came from myst-nb's nb_merge_streams, which leaves the merged-away streams
    # in the saved notebook while the page shows the text once; serial builds do
    # the same, and tests/test_chapters.py reads them as the page does.)
    parser.add_argument("--jobs", type=int,
                        default=int(os.environ.get("BOOK_JOBS", 0)) or os.cpu_count() or 1,
                        help="pages read at once (default: one per core, or BOOK_JOBS)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.jobs > 1:
        one_thread_per_page()
    same_numerics.pin()     # inherited by every kernel the build starts
    source = Path(args.source).resolve()
    build = source / "_build"
    force_all = args.all
    if build.exists():
        found = check_build.problems(build)
        if found:
            print("build_book: the previous build is not fit to serve; rebuilding "
                  "from clean:\n  " + "\n  ".join(found[:10]))
            shutil.rmtree(build)
            force_all = True
    build.mkdir(exist_ok=True)
    marker = build / check_build.FAILED_MARKER
    marker.write_text("a build started here and has not finished cleanly\n")
    start = time.perf_counter()
    status = _jupyter_book(source, force_all, args.jobs)
    found = check_build.problems_after_build(build)
    for line in found:
        print(f"check_build: {line}")
    if status or found:
        print(f"build_book: FAILED after {time.perf_counter() - start:.1f} s "
              f"(the next build starts from clean)")
        return 1
    marker.unlink()
    print(f"build_book: built and checked in {time.perf_counter() - start:.1f} s "
          f"({args.jobs} pages read at once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
