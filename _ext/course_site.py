"""Site fixes for the course's Sphinx build.

Jupyter Book 1 always loads sphinx-thebe. Its per-build hook registers an inline
``const THEBE_JS_URL = ...`` script that Sphinx then emits twice in every page,
so every page logs "Identifier 'THEBE_JS_URL' has already been declared". The
course does not use Thebe (live code runs in Binder or JupyterLab instead), so
the thebe hooks are disconnected and no thebe script is emitted at all.
"""
from __future__ import annotations

from sphinx.application import Sphinx

THEBE_MODULE = "sphinx_thebe"


def _drop_thebe_hooks(app: Sphinx) -> None:
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == THEBE_MODULE:
                app.disconnect(listener.id)


def setup(app: Sphinx):
    app.connect("builder-inited", _drop_thebe_hooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
