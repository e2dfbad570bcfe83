"""A tiny progress reporter for cells that run for more than a moment.

In a notebook it shows ONE line that is replaced as items finish (one output
of the cell, not one per item); at the end that output holds the last line,
or with ``log=True`` all of them. Elsewhere (a script, a test, or with
``out=`` a file) it prints one line per finished item. There are no timings,
so the output is the same on every build (a cell that prints timings must
carry the ``nondeterministic`` tag instead).
"""
from __future__ import annotations

import sys
from typing import Optional, TextIO

from d2lhelpers.checks import check_count


def _in_kernel() -> bool:
    """True inside a Jupyter kernel, where a display can be updated in place."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the notebooks
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Progress:
    """``Progress(total, label)``; call ``done(what)`` after each item.

    ``log=True`` keeps every line in the notebook's final output (a short
    table of what each item reported) instead of only the last.
    """

    def __init__(self, total: int, label: str = "", out: Optional[TextIO] = None,
                 log: bool = False):
        self.total = check_count("total", total)
        self.label, self.count = label, 0
        self.out, self.log = out, bool(log)
        self.lines: list = []
        self._display = None

    def done(self, what: str = "") -> str:
        """Count one item, show ``[k/total] label: what`` at once, return the line."""
        if self.count >= self.total:
            raise ValueError(f"all {self.total} items of {self.label!r} are already done")
        self.count += 1
        head = f"[{self.count}/{self.total}]"
        line = " ".join(part for part in (head, f"{self.label}:" if self.label else "", what)
                        if part).rstrip(":")
        self.lines.append(line)
        if self.out is None and _in_kernel():
            self._show("\n".join(self.lines) if self.log and self.count == self.total
                       else line)
        else:
            print(line, file=self.out or sys.stdout, flush=True)
        return line

    def _show(self, text: str) -> None:
        from IPython.display import display
        data = {"text/plain": text}
        if self._display is None:
            self._display = display(data, raw=True, display_id=True)
        else:
            self._display.update(data, raw=True)
