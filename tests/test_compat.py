"""d2lhelpers.compat: the d2l textbook's plotting names, used the way that
book's own show_trace and show_trace_2d use them."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import d2lhelpers as d2l
from d2lhelpers import compat

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    plt.close("all")


def book_show_trace(results, f):
    """The calls the textbook's show_trace makes, in the same order."""
    n = max(abs(min(results)), abs(max(results)))
    f_line = d2l.arange(-n, n, 0.01)
    d2l.set_figsize()
    d2l.plot([f_line, results], [[f(x) for x in f_line],
                                 [f(x) for x in results]],
             "x", "f(x)", fmts=["-", "-o"])


def test_the_books_show_trace_runs_and_draws_one_figure(capsys):
    results = d2l.gd(0.2, lambda x: 2 * x)
    assert capsys.readouterr().out == "epoch 10, x: 0.060466\n"
    book_show_trace(results, lambda x: x ** 2)
    assert len(plt.get_fignums()) == 1
    fig = plt.gcf()
    assert tuple(fig.get_size_inches()) == (3.5, 2.5)
    (ax,) = fig.axes
    curve, trace = ax.get_lines()
    np.testing.assert_allclose(curve.get_xdata(), np.arange(-10, 10, 0.01))
    np.testing.assert_allclose(curve.get_ydata(),
                               np.arange(-10, 10, 0.01) ** 2)
    np.testing.assert_allclose(trace.get_xdata(), results)
    assert trace.get_marker() == "o" and curve.get_marker() == "None"
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)"
    assert ax.xaxis._major_tick_kw["gridOn"]


def test_set_figsize_leaves_global_state_alone():
    before = tuple(plt.rcParams["figure.figsize"])
    d2l.set_figsize((6, 2))
    assert tuple(plt.rcParams["figure.figsize"]) == before
    assert tuple(plt.gcf().get_size_inches()) == (6, 2)
    # An empty current figure is resized, not duplicated.
    d2l.set_figsize((4, 3))
    assert len(plt.get_fignums()) == 1
    assert tuple(plt.gcf().get_size_inches()) == (4, 3)


def test_a_second_plot_gets_its_own_figure():
    book_show_trace([1.0, 0.5], lambda x: x ** 2)
    book_show_trace([2.0, 1.0], lambda x: x ** 2)
    assert len(plt.get_fignums()) == 2
    first, second = (plt.figure(n) for n in plt.get_fignums())
    assert first.axes[0].get_lines()[1].get_xdata().tolist() == [1.0, 0.5]
    assert second.axes[0].get_lines()[1].get_xdata().tolist() == [2.0, 1.0]


def test_the_books_show_trace_2d_calls():
    # The book's version also calls .asnumpy() on MXNet arrays: not here.
    d2l.set_figsize()
    plt.plot(*zip(*[(-5, -2), (-3, -1)]), "-o")
    x1, x2 = d2l.meshgrid(d2l.arange(-55, 1, 1), d2l.arange(-30, 1, 1))
    x1, x2 = x1 * 0.1, x2 * 0.1
    d2l.plt.contour(x1, x2, x1 ** 2 + 2 * x2 ** 2)
    assert x1.shape == (31, 56) and x1[0, 0] == pytest.approx(-5.5)
    assert len(plt.get_fignums()) == 1
    assert tuple(plt.gcf().get_size_inches()) == (3.5, 2.5)


def test_plot_y_only_shared_x_legend_scales():
    d2l.plot([1.0, 4.0, 9.0])
    (line,) = plt.gca().get_lines()
    assert line.get_xdata().tolist() == [0, 1, 2]
    x = np.array([1.0, 2.0, 3.0])
    d2l.plot(x, [x, x ** 2], legend=["x", "x^2"], yscale="log",
             xlim=(1, 3))
    ax = plt.gca()
    assert [ln.get_xdata().tolist() for ln in ax.get_lines()] == [
        [1, 2, 3], [1, 2, 3]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x",
                                                                  "x^2"]
    assert ax.get_yscale() == "log" and ax.get_xlim() == (1, 3)
    assert ax.get_lines()[1].get_linestyle() == "--"      # d2l's 'm--'


def test_plot_on_given_axes_makes_no_figure():
    _, ax = plt.subplots()
    d2l.plot([0.0, 1.0], [[0.0, 1.0]], axes=ax)
    assert len(plt.get_fignums()) == 1 and len(ax.get_lines()) == 1
    d2l.plot([0.0, 1.0], [[1.0, 0.0]], axes=ax)      # cleared, as in d2l
    assert ax.get_lines()[0].get_ydata().tolist() == [1.0, 0.0]


def test_arange_matches_numpy():
    np.testing.assert_array_equal(d2l.arange(5), np.arange(5.0))
    np.testing.assert_array_equal(d2l.arange(-1, 1, 0.5),
                                  [-1.0, -0.5, 0.0, 0.5])
    np.testing.assert_array_equal(d2l.arange(1, 0, -0.25),
                                  [1.0, 0.75, 0.5, 0.25])
    assert d2l.arange(1, 0).size == 0


@pytest.mark.parametrize("call, exc, word", [
    (lambda: d2l.arange(0, 1, 0), ValueError, "step"),
    (lambda: d2l.arange(0, float("inf")), ValueError, "stop"),
    (lambda: d2l.arange("a", 3), TypeError, "start"),
    (lambda: d2l.arange(0, 1, 1e-9), ValueError, "points"),
    (lambda: d2l.set_figsize((3, -1)), ValueError, "figsize"),
    (lambda: d2l.set_figsize(3), TypeError, "figsize"),
    (lambda: d2l.plot([[1, 2], [1, 2]], [[1, 2]] * 3), ValueError, "series"),
    (lambda: d2l.plot([1, 2], [[1, 2, 3]]), ValueError, "x values"),
    (lambda: d2l.plot([1, 2], [[1, 2]], fmts="-"), ValueError, "fmts"),
    (lambda: d2l.plot(None), TypeError, "X must"),
    (lambda: d2l.plot(3.0), TypeError, "X must"),
    (lambda: d2l.plot([1.0, 2.0], "y"), TypeError, "Y must"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_names_on_the_package():
    for name in ("set_figsize", "plot", "arange", "meshgrid", "plt"):
        assert getattr(d2l, name) is getattr(compat, name)
