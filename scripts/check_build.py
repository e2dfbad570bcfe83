"""Check a built book the way a reader would meet it, so a build fails closed.

    python scripts/check_build.py [--build _build]

Sphinx's own strictness (-W) has two holes. An incremental rebuild skips a page
whose source did not change, so a page that failed once passes the second time;
and myst-nb warns about stderr only for cells it renders, so a warning in a cell
tagged ``remove-output`` or ``remove-cell`` passes unseen. This check reads what
the build left behind instead:

* every executed notebook (``jupyter_execute/``) of a page in the site: any
  error output, or any output on stderr, hidden or not, is a problem;
* every HTML page: every local file it references (``src``, ``href``, inline
  ``url(...)``) must exist in the site, so a damaged ``_static``, ``_images``
  or vendored asset folder is found;
* the marker ``build_book.py`` leaves while a build is under way or has failed.

It prints one line per problem and exits 1 if there is any.
"""
from __future__ import annotations

import argparse
import html.parser
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

FAILED_MARKER = "BUILD-INCOMPLETE"


class _References(html.parser.HTMLParser):
    """Collects the local file references of one HTML page."""

    ATTRS = {"src", "href", "data-src", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.found.append(value)
            elif name == "srcset" and value:
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


def _is_local(ref: str) -> bool:
    parts = urlsplit(ref)
    return not (parts.scheme or parts.netloc or ref.startswith(("#", "//"))
                or ref.startswith(("data:", "mailto:", "javascript:")))


def pages(site: Path) -> list[Path]:
    """The pages Sphinx wrote (not templates or assets that happen to be HTML)."""
    skip = {"_static", "_sources", "_images", "vendor"}
    return sorted(p for p in site.rglob("*.html")
                  if not skip & set(p.relative_to(site).parts[:-1]))


def missing_references(site: Path) -> list[str]:
    """``page: reference`` for every local reference of a page with no file behind it."""
    problems = []
    for page in pages(site):
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for ref in parser.found:
            if not _is_local(ref):
                continue
            path = unquote(urlsplit(ref).path)
            if not path:
                continue
            target = (site / path.lstrip("/")) if path.startswith("/") else page.parent / path
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: missing {ref}")
    return problems


def notebook_problems(build: Path) -> list[str]:
    """Errors and stderr outputs in the executed notebooks of the site's pages."""
    site, executed = build / "html", build / "jupyter_execute"
    problems = []
    for nb_path in sorted(executed.rglob("*.ipynb")) if executed.is_dir() else []:
        page = site / nb_path.relative_to(executed).with_suffix(".html")
        if not page.exists():
            continue  # a page since removed from the book
        cells = json.loads(nb_path.read_text(encoding="utf-8")).get("cells", [])
        for number, cell in enumerate(cells):
            for out in cell.get("outputs", []):
                kind = out.get("output_type")
                if kind == "error":
                    problems.append(f"{page.relative_to(site)}: cell {number} raised "
                                    f"{out.get('ename')}: {out.get('evalue')}")
                elif kind == "stream" and out.get("name") == "stderr":
                    text = "".join(out.get("text", "")).strip().splitlines()
                    first = text[0] if text else ""
                    problems.append(f"{page.relative_to(site)}: cell {number} wrote to "
                                    f"stderr: {first[:160]}")
    return problems


def problems_after_build(build: Path) -> list[str]:
    """What makes the site at ``build`` unfit to serve, the marker aside."""
    site = build / "html"
    if not (site / "index.html").exists():
        return [f"{site}: no index.html (not built)"]
    return notebook_problems(build) + missing_references(site)


def problems(build: Path) -> list[str]:
    """Everything that makes the build at ``build`` unfit to serve."""
    if (build / FAILED_MARKER).exists():
        return [f"{build / FAILED_MARKER}: the last build did not finish cleanly"]
    return problems_after_build(build)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="_build", help="the build folder")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    found = problems(Path(args.build))
    if not args.quiet:
        for line in found:
            print(f"check_build: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
