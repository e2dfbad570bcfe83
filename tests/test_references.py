"""references.bib parses and holds every key the chapters cite.

Merges that append entries at the end of the file have dropped closing braces
before (pybtex then rejects the whole file and every citation breaks).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pybtex.database import parse_file

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]


def test_bibliography_parses_with_unique_keys():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)
    assert keys, "no entries found"
    dup = [k for k, n in Counter(keys).items() if n > 1]
    assert not dup, f"duplicate keys: {dup}"
    db = parse_file(str(ROOT / "references.bib"))
    assert sorted(db.entries) == sorted(keys)


def test_every_cited_key_is_in_the_bibliography():
    db = parse_file(str(ROOT / "references.bib"))
    missing = []
    for page in sorted((ROOT / "chapters").glob("*.md")):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", page.read_text()):
            missing += [(page.name, k.strip()) for k in group.split(",")
                        if k.strip() not in db.entries]
    assert not missing, f"cited but not in references.bib: {missing}"
