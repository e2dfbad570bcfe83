"""The build hands Sphinx its pages so that they start slowest first: checked
against Sphinx's own ParallelTasks, not a model of it."""
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_book import queue_order  # noqa: E402

pytestmark = pytest.mark.unit

COST = {"a": 5.0, "b": 1.0, "c": 4.0, "d": 2.0, "e": 3.0, "f": 0.5}


def _started(chunk):
    """A page that takes a while to read, so the others queue up behind it."""
    start = time.monotonic()
    time.sleep(0.15)
    return chunk[0], start


def test_sphinx_starts_the_queued_pages_dearest_first():
    from sphinx.util.parallel import ParallelTasks

    tasks, started = ParallelTasks(2), []
    for chunk in queue_order(list(COST), 2, COST.get):
        tasks.add_task(_started, chunk, lambda arg, res: started.append(res))
    tasks.join()
    # the two first tasks start together; every later one starts after them,
    # in the order of falling cost
    later = [name for name, _ in sorted(started, key=lambda r: r[1])][2:]
    assert later == ["e", "d", "b", "f"]
    assert sorted(n for n, _ in started) == sorted(COST)


def test_every_page_is_queued_once_in_a_task_of_its_own():
    order = queue_order(list(COST), 2, COST.get)
    assert all(len(chunk) == 1 for chunk in order)
    assert order[:2] == [["a"], ["c"]]
    assert sorted(c[0] for c in order) == sorted(COST)
