"""Full-text search across talks, with Pagefind.

Reading a post notes its searchable text: each talk's section on its own, and the rest
of the post. After an HTML build, every post, talk and documentation page becomes one
Pagefind record, so a hit inside a talk is a result for that talk (linking to the talk's
section) and a hit elsewhere is a result for the post. Records carry filters (event,
speaker, year, tag, author) with the archive's canonical names, so all the spellings of
one person are one filter value.

Listing pages (events, speakers, tags...) are not indexed: they repeat the excerpts of
posts. Sidebars, navigation and footers never enter the index: records are built from
the documents' text, not from the finished pages. Sphinx's own search index is not
built; the search page (``search.html``) runs Pagefind in the browser. A result's link
carries ``?highlight=<words>``, which Sphinx's own ``sphinx_highlight.js`` (on every
page) reads to highlight the words on the page it opens.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .domain import ArchiveDomain, Post
from .htmlpolicy import TRUSTED, html_text
from .identity import tag_slug
from .speakers import speaker_card

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
_TEXT_DIR = "confarchive-search"
_INDEX_STAMP = "confarchive-search-index.sha256"
_RECORDS_FILE = "confarchive-search-records.json"
#: where the indexer writes the new index's files, in the output folder
_STAGING_DIR = ".pagefind-new"
#: block-level nodes whose text is read; the rest is walked through
_SKIP = (nodes.comment, nodes.system_message, nodes.Invisible, nodes.substitution_definition,
         nodes.target)


# --- reading: the searchable text of each document ------------------------------------


def document_text(node: nodes.Node, without: Collection[str] = ()) -> str:
    """The words of ``node`` as a reader sees them: no markup, no link labels of cards.

    Sections whose first id is in ``without`` are left out.
    """
    parts: list[str] = []

    def walk(current: nodes.Node) -> None:
        if isinstance(current, _SKIP):
            return
        if without and isinstance(current, nodes.section) and current["ids"] and current["ids"][0] in without:
            return
        if isinstance(current, speaker_card):
            speaker = current["speaker"]
            parts.append(" ".join(filter(None, (speaker.name, speaker.role, speaker.affiliation))) + "\n")
            return
        if isinstance(current, nodes.raw):
            # raw HTML (cleaned by the HTML policy): the words, not the markup
            if "html" in current.get("format", "").split() and not current.get(TRUSTED):
                parts.append(html_text(current.astext()))
            return
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
            return
        for child in current.children:
            walk(child)
        if isinstance(current, (nodes.TextElement, nodes.section, nodes.Body)):
            parts.append("\n")

    walk(node)
    return " ".join("".join(parts).split())


def note_search_text(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: keep each talk's text and the rest of the page, beside the doctree."""
    env = app.env
    domain: ArchiveDomain = env.domains["archive"]
    docname = env.docname
    talks = {talk.anchor: talk for talk in domain.talks.get(docname, [])}
    talk_texts: dict[str, str] = {}
    sections = [section for section in doctree.findall(nodes.section)
                if section["ids"] and section["ids"][0] in talks and talks[section["ids"][0]].anchor]
    for section in sections:
        talk_texts[section["ids"][0]] = document_text(section)
    # the page without its talks
    record = {"text": document_text(doctree, without=talk_texts.keys()), "talks": talk_texts}
    path = Path(app.doctreedir) / _TEXT_DIR / f"{docname}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


# --- building the index ----------------------------------------------------------------


def search_records(app: Sphinx) -> list[dict[str, Any]]:
    """One Pagefind record for each listed post, each of its talks, and each documentation page.

    Posts come newest first, each followed by its talks, then the other pages. Pagefind
    numbers records in that order and gives results of equal weight in it, so a search
    by filters alone lists the newest first without a sort: a sort would add two bytes
    a record to the metadata every first query loads (43 kB for 20,000 talks).
    """
    from .archive import listed

    env = app.env
    builder = app.builder
    config = app.config
    domain: ArchiveDomain = env.domains["archive"]
    speakers = domain.shown_speakers(config.confarchive_show_drafts)
    tag_names = domain.tag_names(config.confarchive_show_drafts)
    archive_dir = config.confarchive_archive_dir.rstrip("/") + "/"
    newest_first = listed(domain, config)
    shown = {post.docname: post for post in newest_first}
    others = sorted(docname for docname in env.all_docs if docname not in domain.posts)
    records = []
    for docname in [post.docname for post in newest_first] + others:
        if docname.startswith(archive_dir) or docname in domain.listings:
            continue  # listing pages repeat posts' excerpts
        path = Path(app.doctreedir) / _TEXT_DIR / f"{docname}.json"
        try:
            text = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        url = builder.get_target_uri(docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        post = shown.get(docname)
        if post is None:
            records.append({"url": url, "content": text["text"], "language": _language(config),
                            "meta": {"title": title, "kind": "page"}, "filters": {}})
            continue
        filters = _post_filters(domain, post, tag_names)
        meta = {"title": post.title, "kind": "post", "post": post.title, "post_url": url,
                "date": (post.date or "")[:10], "authors": ", ".join(post.authors)}
        if post.event_slug:
            meta["event"] = domain.event(post.event_slug).name
        records.append({"url": url, "content": text["text"], "language": _language(config),
                        "meta": meta, "filters": filters})
        for talk in domain.talks.get(docname, []):
            if not talk.anchor or talk.anchor not in text["talks"]:
                continue
            names = [speakers[s.id].name if s.id in speakers else s.name for s in talk.speakers]
            talk_meta = {**meta, "title": talk.title, "kind": "talk", "speakers": ", ".join(names),
                         "speaker_ids": " ".join(s.id for s in talk.speakers)}
            # every spelling of each speaker's name finds the talk
            content = text["talks"][talk.anchor]
            spellings = {name for s in talk.speakers for name in
                         (speakers[s.id].names if s.id in speakers else (s.name,))} | set(names)
            missing = sorted(name for name in spellings if name not in content)
            if missing:
                content = f"{content} ({', '.join(missing)})"
            records.append({"url": f"{url}#{talk.anchor}", "content": content, "language": _language(config),
                            "meta": talk_meta, "filters": {**filters, "speaker": sorted(set(names))}})
    return records


def _post_filters(domain: ArchiveDomain, post: Post, tag_names: dict[str, str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    if post.event_slug:
        filters["event"] = [domain.event(post.event_slug).name]
    if post.year:
        filters["year"] = [post.year]
    if post.tags:
        # every spelling of a tag is one filter value, named as the tag's page is
        filters["tag"] = sorted({tag_names.get(tag_slug(tag), tag) for tag in post.tags})
    if post.authors:
        filters["author"] = sorted(set(post.authors))
    return filters


def _language(config) -> str:
    return (config.language or "en").split("_")[0].split("-")[0]


class _IndexJob:
    """The Pagefind index of one build, written into a staging folder beside the site.

    Only the files the last build's index lacks are written there (see
    :mod:`confarchive.indexer`); at the end of the build they replace that index.

    It starts as soon as the documents are read (``env-updated``): the records come from
    the doctrees, not from the HTML, so the index is made while Sphinx writes the pages,
    on whatever core the writing leaves free. It runs in a Python process of its own
    (``python -m confarchive.indexer``), not in a thread: a parallel build forks its
    writers, and a process that forks must not hold a running thread.
    """

    def __init__(self, app: Sphinx, records: list[dict[str, Any]], text: str, digest: str) -> None:
        self.records = records
        #: the records as JSON, as the indexer reads them
        self.text = text
        self.digest = digest
        self.output = Path(app.outdir) / "pagefind"
        self.staging = Path(app.outdir) / _STAGING_DIR
        self.stamp = Path(app.doctreedir) / _INDEX_STAMP
        self.records_file = Path(app.doctreedir) / _RECORDS_FILE
        self.process: subprocess.Popen | None = None
        self.seconds = 0.0

    def start(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        # the index is about to change: until the new one is whole, no build may trust the old stamp
        self.stamp.unlink(missing_ok=True)
        self.records_file.write_text(self.text, encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "confarchive.indexer", str(self.records_file), str(self.staging),
             str(self.output)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            # the package as this process imported it, wherever it was found
            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                filter(None, [str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH")]))},
        )

    def finish(self, keep: bool) -> None:
        """Wait for the index; put it in place when ``keep``, else throw it away."""
        assert self.process is not None
        out, err = self.process.communicate()
        self.records_file.unlink(missing_ok=True)
        if self.process.returncode != 0:
            shutil.rmtree(self.staging, ignore_errors=True)
            if keep:
                raise ExtensionError(f"confarchive: the search index could not be written:\n{err.strip()}")
            return
        self.seconds = float(out.strip() or 0)
        if not keep:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        from .indexer import install  # not at the top: ``-m confarchive.indexer`` imports this module

        install(self.staging, self.output)
        self.stamp.write_text(self.digest)


_JOBS: dict[int, _IndexJob] = {}


def plan_search_index(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the records of this build; start indexing them unless unchanged.

    Pagefind has no incremental mode, so every record is indexed again, but only the
    files that changed are written; when no record changed since the last build and
    the index is there, it is left as it is.
    """
    _JOBS.pop(id(app), None)
    if app.builder.format != "html" or not app.config.confarchive_search:
        return []
    records = search_records(app)
    # one serialisation, for the indexer and for the fingerprint (tens of MB for a big archive)
    text = json.dumps(records, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    stamp = Path(app.doctreedir) / _INDEX_STAMP
    if (Path(app.outdir) / "pagefind" / "pagefind.js").is_file() and stamp.is_file() \
            and stamp.read_text() == digest:
        # what a build that stopped half-way left beside the site goes
        shutil.rmtree(Path(app.outdir) / _STAGING_DIR, ignore_errors=True)
        logger.info("confarchive: search index unchanged (%d records)", len(records))
        return []
    job = _IndexJob(app, records, text, digest)
    job.start()
    _JOBS[id(app)] = job
    return []


def build_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the finished Pagefind index in place."""
    job = _JOBS.pop(id(app), None)
    if job is None:
        return
    started = time.perf_counter()
    job.finish(keep=exception is None)
    if exception is None:
        logger.info("confarchive: search index of %d records written in %.2f s "
                    "(the build waited %.2f s for it)", len(job.records), job.seconds,
                    time.perf_counter() - started)


# --- the search page -------------------------------------------------------------------


def turn_off_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: Pagefind replaces Sphinx's own search index and page."""
    if app.config.confarchive_search and getattr(app.builder, "search", False):
        app.builder.search = False


def search_page(app: Sphinx):
    """``html-collect-pages``: the search page, in the site's theme."""
    if app.config.confarchive_search:
        yield "search", {"title": "Search"}, "confarchive-search.html"


def setup_search(app: Sphinx) -> None:
    app.add_config_value("confarchive_search", True, "html", bool)
    app.connect("doctree-read", note_search_text, priority=700)
    app.connect("builder-inited", turn_off_sphinx_search)
    app.connect("html-collect-pages", search_page)
    app.connect("env-updated", plan_search_index)
    app.connect("build-finished", build_search_index)
