"""Regenerate requirements.txt from the virtualenv: ``make pin``.

The runtime set is the package's dependencies and the notebook extras declared
in pyproject.toml, with everything they need, each pinned at the version the
venv has installed. Run it after installing a new version into .venv (the
venv has no pip of its own: ``.tools/bin/uv pip install --python
.venv/bin/python NAME==VERSION``), then `make test`, then commit
requirements.txt.

    python scripts/pin.py            # rewrite requirements.txt
    python scripts/pin.py --check    # fail if requirements.txt is out of date
"""
from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# Runtime environment for the chapters (also what Binder installs).
# Every package is pinned, dependencies included, so that a fresh machine and
# Binder resolve the same versions. Regenerate with `make pin`.
"""


FOOTER = """\
# The course package itself, so every chapter (run from chapters/) can import it.
-e .
"""


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement.strip(), maxsplit=1)[0]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_roots() -> list:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["notebook"]


def closure(roots) -> dict:
    """Installed distributions needed by ``roots``: normalized name -> (name, version)."""
    seen, todo = {}, [_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if _key(name) in seen:
            continue
        dist = metadata.distribution(name)
        seen[_key(name)] = (dist.metadata["Name"], dist.version)
        for req in dist.requires or []:
            if "extra ==" in req:                   # optional extras are not needed
                continue
            marker = req.split(";", 1)[1] if ";" in req else ""
            if marker and not _marker_holds(marker):
                continue
            todo.append(_name(req))
    return seen


def _marker_holds(marker: str) -> bool:
    from packaging.markers import Marker
    return Marker(marker).evaluate()


def render(pins: dict) -> str:
    lines = [f"{name}=={version}" for name, version in pins.values()]
    return HEADER + "\n".join(sorted(lines, key=str.lower)) + "\n" + FOOTER


def main(argv) -> int:
    text = render(closure(runtime_roots()))
    target = ROOT / "requirements.txt"
    if "--check" in argv:
        if target.read_text() != text:
            print("requirements.txt differs from the venv; run `make pin`")
            return 1
        print("requirements.txt matches the venv")
        return 0
    if target.read_text() == text:      # keep the mtime: make rebuilds .venv on a change
        print(f"{target.name} is up to date ({text.count('==')} pins)")
        return 0
    target.write_text(text)
    print(f"wrote {target.name}: {text.count('==')} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
