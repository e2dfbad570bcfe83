"""Site fixes for the course's Sphinx build.

1. Chapters import the course package ``d2lhelpers``, which Sphinx does not
   track: after a change to the package an incremental build would keep the old
   outputs. A content hash of the package is kept in the build environment, and
   when it changes every page is re-read (so every chapter is re-executed).

2. Jupyter Book 1 always loads sphinx-thebe. Its per-build hook registers an inline
``const THEBE_JS_URL = ...`` script that Sphinx then emits twice in every page,
so every page logs "Identifier 'THEBE_JS_URL' has already been declared". The
course does not use Thebe (live code runs in Binder or JupyterLab instead), so
the thebe hooks are disconnected and no thebe script is emitted at all.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

THEBE_MODULE = "sphinx_thebe"
PACKAGE = Path(__file__).resolve().parent.parent / "d2lhelpers"


def _package_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js"}:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _outdated_when_package_changes(app, env, added, changed, removed):
    current = _package_hash()
    if getattr(env, "course_package_hash", None) == current:
        return []
    env.course_package_hash = current
    return sorted(env.found_docs - set(added) - set(removed))


def _drop_thebe_hooks(app: Sphinx) -> None:
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == THEBE_MODULE:
                app.disconnect(listener.id)


def setup(app: Sphinx):
    app.connect("builder-inited", _drop_thebe_hooks)
    app.connect("env-get-outdated", _outdated_when_package_changes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
