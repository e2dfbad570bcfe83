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

3. Site-wide script and style sheet from ``web/site/`` on every page:
   ``course-site.js`` works around theme bugs (sidebar toggles, tooltips, icon
   buttons' names; each names its upstream issue) and ``course-site.css`` makes
   the widgets, the explorer and the figure cards follow the light and dark
   modes and fits them to a phone. ``web/search-scorer.js`` ranks a chapter
   first for its own topic.

4. The references page: docutils writes the bibliography as
   ``<div role="list">`` holding ``role="doc-biblioentry"`` entries, a role
   that DPUB-ARIA 1.1 deprecates and that is not a list item, so axe-core
   reports aria-required-children (critical). Each entry is given
   ``role="listitem"``, which is what it is; remove this when docutils writes
   valid roles.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

THEBE_MODULE = "sphinx_thebe"
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "d2lhelpers"
SITE_ASSETS = ROOT / "web" / "site"
SEARCH_SCORER = ROOT / "web" / "search-scorer.js"


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


def _add_site_assets(app: Sphinx, config) -> None:
    config.html_static_path = list(config.html_static_path) + [str(SITE_ASSETS)]
    # Sphinx reads the scorer relative to the working directory: give it the
    # absolute path so a build started from anywhere finds it.
    config.html_search_scorer = str(SEARCH_SCORER)


def _bibliography_entries_are_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx):
    app.connect("html-page-context", _bibliography_entries_are_list_items)
    app.connect("config-inited", _add_site_assets)
    app.add_js_file("course-site.js")
    app.add_css_file("course-site.css")
    app.connect("builder-inited", _drop_thebe_hooks)
    app.connect("env-get-outdated", _outdated_when_package_changes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
