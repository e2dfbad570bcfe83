"""The order the suite runs in (tests/conftest.py): chapter executions first,
then each page's browser tests together (so that they share the page's loads),
the checks that change a page after those that only read it."""
import pytest
from conftest import page_group, run_order

pytestmark = pytest.mark.unit


class Item:
    """Just what run_order reads of a collected test."""

    def __init__(self, nodeid, marker=None):
        self.nodeid, self.marker = nodeid, marker

    def get_closest_marker(self, name):
        return name if name == self.marker else None


def test_page_group_is_the_page_a_browser_test_reads():
    assert page_group("tests/test_a11y.py::test_x[chapters/sgd.html-dark]") == "chapters/sgd.html"
    assert page_group("tests/test_layout.py::test_y[chapters/gd-1d.html]") == "chapters/gd-1d.html"
    # Not a page parameter, or not one of the files whose tests share loads.
    assert page_group("tests/test_theme.py::test_a_new_explorer_inherits[dark]") is None
    assert page_group("tests/test_site.py::test_z[chapters/sgd.html]") is None


def test_chapters_then_pages_together_then_the_rest():
    items = [Item(n, m) for n, m in [
        ("tests/test_a11y.py::test_audit[chapters/a.html-light]", "browser"),
        ("tests/test_a11y.py::test_audit[chapters/b.html-light]", "browser"),
        ("tests/test_browser.py::test_sliders_work_with_the_keyboard_and_no_kernel"
         "[chapters/a.html]", "browser"),
        ("tests/test_browser.py::test_page_is_offline_clean_and_light[chapters/a.html]",
         "browser"),
        ("tests/test_drivers.py::test_one", "unit"),
        ("tests/test_build.py::test_two", "build"),
        ("tests/test_chapters.py::test_run[chapters/slow]", "chapter"),
        ("tests/test_layout.py::test_scroll[chapters/b.html]", "browser"),
        ("tests/test_chapters.py::test_run[chapters/fast]", "chapter"),
    ]]
    order = [i.nodeid for i in run_order(items)]
    assert order[:2] == [items[6].nodeid, items[8].nodeid]      # as parametrized
    # Each page's tests together (pages of equal size by name): reading checks,
    # then axe's audit, then the test that presses keys.
    assert [page_group(n) for n in order[2:7]] == ["chapters/a.html"] * 3 + [
        "chapters/b.html"] * 2
    assert [n.split("::")[1].split("[")[0] for n in order[2:5]] == [
        "test_page_is_offline_clean_and_light", "test_audit",
        "test_sliders_work_with_the_keyboard_and_no_kernel"]
    assert order[7:] == [items[5].nodeid, items[4].nodeid]      # build before unit
