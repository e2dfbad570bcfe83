"""The build hands Sphinx its pages so that they start slowest first: checked
against Sphinx's own ParallelTasks, not a model of it."""
import multiprocessing
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_book import queue_order  # noqa: E402

pytestmark = pytest.mark.unit

COST = {"a": 5.0, "b": 1.0, "c": 4.0, "d": 2.0, "e": 3.0, "f": 0.5}
QUEUED = multiprocessing.get_context("fork").Event()


def _read(chunk):
    """A page that is read only once every page is queued (as in a real build,
    where reading takes far longer than queueing)."""
    QUEUED.wait(10)
    return chunk[0], time.monotonic()


@pytest.mark.slow
def test_sphinx_starts_the_queued_pages_dearest_first():
    from sphinx.util.parallel import ParallelTasks

    # One process: each page starts only when the one before it is done, so
    # the start order is exact.
    tasks, started = ParallelTasks(1), []
    for chunk in queue_order(list(COST), 1, COST.get):
        tasks.add_task(_read, chunk, lambda arg, res: started.append(res))
    QUEUED.set()
    tasks.join()
    order = [name for name, _ in sorted(started, key=lambda r: r[1])]
    assert order == sorted(COST, key=COST.get, reverse=True)


def test_every_page_is_queued_once_in_a_task_of_its_own():
    order = queue_order(list(COST), 2, COST.get)
    assert all(len(chunk) == 1 for chunk in order)
    assert order[:2] == [["a"], ["c"]]          # the two that start at once
    assert order[2:] == [["f"], ["b"], ["d"], ["e"]]
