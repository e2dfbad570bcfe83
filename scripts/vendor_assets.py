"""Copy the browser assets the site serves itself into _vendor/: npm packages
from node_modules and the course's own scripts from web/.

The book loads MathJax and the ipywidgets HTML manager from its own origin so a
reader with no network sees typeset math and working sliders. Only the files a
page can request are copied, to keep the site small.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
OUT = ROOT / "_vendor" / "vendor"

# (source inside node_modules, destination inside _vendor/vendor)
ASSETS = [
    ("mathjax/es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    ("mathjax/es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
    ("mathjax/es5/input", "mathjax/input"),
    ("mathjax/es5/ui", "mathjax/ui"),
    ("mathjax/es5/a11y", "mathjax/a11y"),
    ("mathjax/es5/sre", "mathjax/sre"),
    ("mathjax/LICENSE", "mathjax/LICENSE"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
    ("../web", "course"),
]
# Source maps are never requested by a reader's browser.
SKIP = shutil.ignore_patterns("*.map")


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    for src, dst in ASSETS:
        source, target = NODE / src, OUT / dst
        if not source.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=SKIP, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
