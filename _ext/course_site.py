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

5. No FontAwesome script. pydata-sphinx-theme loads FontAwesome twice: its
   style sheet carries FontAwesome's CSS and web fonts, which draw every
   ``<i class="fa-...">`` icon, and ``fontawesome.js`` (543 kB compressed, the
   heaviest file of every page) redraws the same icons as SVG, a feature the
   theme keeps "so that users can add custom icons", which the course does
   not. The theme's ``webpack-macros.html`` is copied into a templates folder
   of the build without that one script tag, ahead of the theme's, so the
   icons come from the web fonts alone (the pages' icons look the same, and
   ipywidgets' Play button keeps its own ``<i>`` icon to switch).
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from sphinx.application import Sphinx

THEBE_MODULE = "sphinx_thebe"
FONTAWESOME_SCRIPT = "_static/scripts/fontawesome.js"
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


def _theme_macros() -> Path:
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
            / "static" / "webpack-macros.html")


def _without_fontawesome_script(app: Sphinx, config) -> None:
    """Put a copy of the theme's asset macros without fontawesome.js first in
    the template path (see the module's note 5)."""
    lines = _theme_macros().read_text().splitlines(keepends=True)
    kept = [line for line in lines
            if not (line.lstrip().startswith("<script") and FONTAWESOME_SCRIPT in line)]
    if len(kept) != len(lines) - 1:
        raise RuntimeError(f"course_site: expected one <script> for {FONTAWESOME_SCRIPT} in "
                           f"{_theme_macros()}, found {len(lines) - len(kept)}")
    folder = Path(app.doctreedir).parent / "course-templates"
    (folder / "static").mkdir(parents=True, exist_ok=True)
    target = folder / "static" / "webpack-macros.html"
    text = "".join(kept)
    if not target.exists() or target.read_text() != text:
        target.write_text(text)
    config.templates_path = [str(folder)] + list(config.templates_path)


def _bibliography_entries_are_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _cache_pybtex_plugin_lookups() -> None:
    """pybtex looks up its style plugins in the installed packages' entry
    points for every citation it formats (sphinxcontrib-bibtex asks for each
    of the book's 116 citations): 1.7 s of the main process's serial time per
    build here. The installed packages do not change during a build, so each
    lookup is made once; plugins registered at run time are still found first,
    as pybtex checks those before the entry points."""
    import pybtex.plugin as plugin

    if getattr(plugin.entry_points, "cached", False):
        return
    lookup = plugin.entry_points

    @functools.lru_cache(maxsize=None)
    def entry_points(**selection):
        return tuple(lookup(**selection))

    entry_points.cached = True
    plugin.entry_points = entry_points


def setup(app: Sphinx):
    _cache_pybtex_plugin_lookups()
    app.connect("html-page-context", _bibliography_entries_are_list_items)
    app.connect("config-inited", _add_site_assets)
    app.connect("config-inited", _without_fontawesome_script)
    app.add_js_file("course-site.js")
    app.add_css_file("course-site.css")
    app.connect("builder-inited", _drop_thebe_hooks)
    app.connect("env-get-outdated", _outdated_when_package_changes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
