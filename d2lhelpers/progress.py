"""A tiny progress reporter for cells that run for more than a moment.

It prints one line per finished item, with no timings, so the output is the
same on every build (a cell that prints timings must carry the
``nondeterministic`` tag instead).
"""
from __future__ import annotations

import sys
from typing import Optional, TextIO

from d2lhelpers.checks import check_count


class Progress:
    """``Progress(total, label)``; call ``done(what)`` after each item."""

    def __init__(self, total: int, label: str = "", out: Optional[TextIO] = None):
        self.total = check_count("total", total)
        self.label, self.count = label, 0
        self.out = out

    def done(self, what: str = "") -> str:
        """Count one item, print ``[k/total] label: what`` at once, return the line."""
        if self.count >= self.total:
            raise ValueError(f"all {self.total} items of {self.label!r} are already done")
        self.count += 1
        head = f"[{self.count}/{self.total}]"
        line = " ".join(part for part in (head, f"{self.label}:" if self.label else "", what)
                        if part).rstrip(":")
        print(line, file=self.out or sys.stdout, flush=True)
        return line
