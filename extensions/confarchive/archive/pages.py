"""The archive's pages of events, speakers, tags, authors, years and older posts, written from the store.

Planned once every document is read (:mod:`.plan`), they are handed to the HTML
builder at ``html-collect-pages``: each gets the theme's page, its body made by the
listings (:mod:`.fasthtml`), through the folder's shell (:mod:`.templates`). An
incremental build writes only the pages whose content changed (:mod:`.incremental`),
and removes the pages no longer planned.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.parallel import ParallelTasks, parallel_available

from .fasthtml import ArchivePageWriter
from .layout import ArchivePage
from .state import build_state
from .templates import SHELL, ArchiveTemplates

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: what the last build wrote, beside the doctrees (the environment is saved before writing)
_PAGES_RECORD = "confarchive-pages.json"
#: below this many pages to write, a second process costs more than it saves
_PARALLEL_FROM = 200


def _site_fingerprint(app: Sphinx) -> str:
    """What every page shares: configuration, templates, and the navigation in its sidebar."""
    env = app.env
    builder = app.builder
    info = getattr(builder, "build_info", None)
    navigation = sorted((doc, env.titles[doc].astext() if doc in env.titles else "", tuple(included))
                        for doc, included in env.toctree_includes.items())
    templates = builder.templates.newest_template_mtime() if getattr(builder, "templates", None) else 0
    # confarchive's own settings change what archive pages list (drafts, page size...)
    settings = (repr(build_state(env).config), app.config.root_doc, app.config.language)
    data = (repr(info.__dict__) if info is not None else "", templates, navigation, settings)
    return hashlib.sha256(repr(data).encode()).hexdigest()


def collect_pages(app: Sphinx):
    """``html-collect-pages``: the pages of events, speakers, tags, authors, years, older posts.

    A page is written when what it shows changed in this build, when its file is
    missing, or when something every page shares changed (configuration, templates,
    the sidebar's navigation). Pages no longer planned are removed.
    """
    state = build_state(app.env)
    pages = state.pages
    outdir = Path(app.outdir)
    suffix = app.builder.out_suffix
    # what the last build wrote: kept beside the doctrees (the environment is saved before writing)
    record = Path(app.doctreedir) / _PAGES_RECORD
    try:
        last = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    fingerprint = _site_fingerprint(app)
    everything = last.get("fingerprint") != fingerprint or state.rewrite_all
    dirty = state.dirty_pages
    for gone in sorted(set(last.get("pages", ())) - set(pages)):
        (outdir / f"{gone}{suffix}").unlink(missing_ok=True)
    # per-document state the HTML writer reads; archive pages number no sections or figures
    app.builder.secnumbers, app.builder.fignumbers = {}, {}
    todo = [(pagename, page) for pagename, page in sorted(pages.items())
            if everything or pagename in dirty or not (outdir / f"{pagename}{suffix}").is_file()]
    # the theme's template is rendered once a folder; each page fills in that shell
    templates = getattr(app.builder, "templates", None)
    shells = templates.start_shells() if isinstance(templates, ArchiveTemplates) else None
    writer = ArchivePageWriter(app)
    # a parallel build writes the second half in a process of its own (folders stay
    # together, so each shell is rendered once), while this one hands over the first
    tasks, mine = None, todo
    if app.parallel > 1 and parallel_available and len(todo) >= _PARALLEL_FROM:
        half = len(todo) // 2
        mine, theirs = todo[:half], todo[half:]
        tasks = ParallelTasks(1)
        tasks.add_task(_write_pages, (app, writer, theirs))
    try:
        for pagename, page in mine:
            yield _page(writer, pagename, page)
        if tasks is not None:
            tasks.join()
    finally:
        if tasks is not None:
            tasks.terminate()
        if shells is not None:
            templates.stop_shells()
    record.write_text(json.dumps({"fingerprint": fingerprint, "pages": sorted(pages)}), encoding="utf-8")
    state.dirty_pages = set()
    state.rewrite_all = False
    logger.info("confarchive: %d of %d archive pages written", len(todo), len(pages))


def _page(writer: ArchivePageWriter, pagename: str, page: ArchivePage) -> tuple[str, dict, str]:
    """``(pagename, context, template)`` of an archive page, as the HTML builder takes it."""
    return pagename, {"title": html.escape(page.title), "body": writer.body(pagename, page),
                      SHELL: True}, "page.html"


def _write_pages(work: tuple[Sphinx, ArchivePageWriter, list[tuple[str, ArchivePage]]]) -> None:
    """In a forked process: write these archive pages as Sphinx writes the ones handed over."""
    app, writer, todo = work
    for pagename, page in todo:
        app.builder.handle_page(*_page(writer, pagename, page))
