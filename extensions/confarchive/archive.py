"""The archive's pages: one per event, speaker, tag, author and year, plus their indexes.

Sphinx builds only documents that exist as files when reading starts, so before
reading (``builder-inited``) confarchive scans the posts and writes a small stub source
for each archive page into ``<srcdir>/<confarchive_archive_dir>/``. A stub holds the
page's title and an ``archive-page`` placeholder; the lists are filled in from the
archive's store once every post is read. A stub is rewritten only when its text
changes, so an unchanged archive costs nothing on an incremental build.

Incremental builds: before reading, the records of the posts about to be re-read are
kept; after reading, each is compared with its new record, and only the archive pages
that showed it (or show it now) are written again.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import math
import pickle
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.project import Project
from sphinx.util import logging

from .domain import ArchiveDomain, Post, Talk, sort_key
from .drafts import hide_page
from .identity import (Identities, is_future, most_common, read_events, read_speakers, slugify, tag_slug, tally,
                       year_of)
from .scan import ScannedPost, scan_post
from .shells import SHELL, ShellRenderer
from .source import escape_markdown
from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: kinds of archive page, as the ``archive-page`` directive names them
KINDS = ("posts", "page", "event", "speaker", "tag", "author", "year",
         "events", "speakers", "tags", "authors", "years")
_FOLDER = {"event": "events", "speaker": "speakers", "tag": "tags", "author": "authors", "year": "years",
           "page": "page"}
_INDEX_TITLES = {"events": "Events", "speakers": "Speakers", "tags": "Tags", "authors": "Authors",
                 "years": "Posts by year"}
_SCAN_CACHE = "confarchive-scan.pickle"
_PAGES_RECORD = "confarchive-pages.json"


# --- layout --------------------------------------------------------------------------


def archive_docname(config: Config, kind: str, key: str) -> str:
    """The docname of the page of one event, speaker, tag, author or year."""
    return f"{config.confarchive_archive_dir}/{_FOLDER[kind]}/{key}"


def index_docname(config: Config, kind: str) -> str:
    """The docname of an index page: ``events``, ``speakers``, ``tags``, ``authors``, ``years``."""
    return f"{config.confarchive_archive_dir}/{kind}/index"


def pagination_docname(config: Config, number: int) -> str:
    """Page ``number`` of the paginated list of all posts; page 1 is the root document."""
    return config.root_doc if number == 1 else f"{config.confarchive_archive_dir}/page/{number}"


def page_count(posts: int, per_page: int) -> int:
    return max(1, math.ceil(posts / per_page))


def listed(domain: ArchiveDomain, config: Config) -> list[Post]:
    """The posts listings and feeds show, newest first."""
    return domain.listed_posts(config.confarchive_show_drafts)


# --- the plan: which stubs, with which text -------------------------------------------


@dataclass(frozen=True)
class ArchivePage:
    """A page of one event, speaker, tag, author or year, or of older posts."""

    kind: str
    key: str
    title: str
    #: an event's logo or a speaker's avatar: a path from the source folder, or a URL
    image: str | None = None
    image_alt: str = ""
    #: the line of the image in its data file
    image_line: int | None = None


def plan_archive(scanned: dict[str, ScannedPost], identities: Identities,
                 config: Config) -> tuple[dict[str, str], dict[str, ArchivePage]]:
    """The archive's pages: ``({path in the archive folder: stub text}, {pagename: page})``.

    The few index pages are documents (stubs), so a toctree can hold them; the pages of
    events, speakers, tags, authors, years and older posts, thousands in a big archive,
    are written straight from the store after the documents (:func:`collect_pages`).
    """
    posts = [post for post in scanned.values()
             if config.confarchive_show_drafts or not (post.draft or is_future(post.date))]
    events: dict[str, str] = {slug: event.name for slug, event in identities.events.items()}
    event_names: dict[str, Counter] = defaultdict(Counter)
    speakers: dict[str, Counter] = defaultdict(Counter)
    years: set[str] = set()
    for post in posts:
        if post.event:
            event_names[identities.event_slug(post.event)][post.event] += 1
        if year_of(post.date):
            years.add(year_of(post.date))
    for post in posts:  # a draft's talks name nobody a reader can see
        for name, handle in post.speakers:
            speakers[identities.speaker_id(name, handle)][name] += 1
    _, tag_names = tally((post.tags for post in posts), tag_slug)
    _, author_names = tally((post.authors for post in posts), slugify)
    for slug, names in event_names.items():
        events.setdefault(slug, most_common(names))
    speaker_names = {
        speaker_id: identities.speakers[speaker_id].name if speaker_id in identities.speakers else most_common(names)
        for speaker_id, names in speakers.items()
    }

    stubs = {f"{kind}/index.md": _stub(title, kind) for kind, title in _INDEX_TITLES.items()}
    pages: dict[str, ArchivePage] = {}

    def add(kind: str, key: str, title: str, image: str | None = None, image_alt: str = "",
            image_line: int | None = None) -> None:
        pages[archive_docname(config, kind, key)] = ArchivePage(kind, key, title, image, image_alt, image_line)

    for slug, name in events.items():
        event = identities.events.get(slug)
        add("event", slug, name, event.logo if event else None, f"Logo of {name}", event.logo_line if event else None)
    for speaker_id, name in speaker_names.items():
        listed_speaker = identities.speakers.get(speaker_id)
        # the speaker's photo on their own page: its text alternative is who it shows
        add("speaker", speaker_id, name, listed_speaker.avatar if listed_speaker else None, name,
            listed_speaker.avatar_line if listed_speaker else None)
    for slug, name in tag_names.items():
        add("tag", slug, f"Posts tagged {name}")
    for slug, name in author_names.items():
        add("author", slug, f"Posts by {name}")
    for year in years:
        add("year", year, f"Posts from {year}")
    for number in range(2, page_count(len(posts), config.confarchive_posts_per_page) + 1):
        add("page", str(number), f"All posts, page {number}")
    return stubs, pages


def _stub(title: str, kind: str) -> str:
    return (
        "---\norphan: true\n---\n"
        "% Written by confarchive on every build: edits here are lost.\n\n"
        f"# {escape_markdown(title)}\n\n:::{{archive-page}} {kind}\n:::\n"
    )


def write_stubs(folder: Path, stubs: dict[str, str]) -> tuple[int, int]:
    """Write the stubs that changed and remove the ones no longer planned: (written, removed)."""
    written = removed = 0
    for relative, text in stubs.items():
        path = folder / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if path.relative_to(folder).as_posix() not in stubs:
                path.unlink()
                removed += 1
        for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(path.iterdir()):
                path.rmdir()
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("# confarchive writes these pages on every build\n*\n", encoding="utf-8")
    return written, removed


# --- Sphinx glue ---------------------------------------------------------------------


def generate_archive(app: Sphinx) -> None:
    """``builder-inited``: load the data files, scan the posts, write the archive's stubs."""
    config = app.config
    srcdir = Path(app.srcdir)
    domain: ArchiveDomain = app.env.domains["archive"]
    events, event_problems = read_events(srcdir / config.confarchive_events)
    registry, speaker_problems = read_speakers(srcdir / config.confarchive_speakers)
    for filename, problems in ((config.confarchive_events, event_problems),
                               (config.confarchive_speakers, speaker_problems)):
        for problem in problems:
            logger.warning(problem.message, location=f"{srcdir / filename}:{problem.line}",
                           **warning_kwargs(problem.subtype))
    domain.set_identities(events, registry)
    # what the entries say, not where they stand in the files (a line's ``repr`` is left out)
    fingerprint = hashlib.sha256(repr((sorted(events.items()), sorted(registry.items()))).encode()).hexdigest()
    domain.data["identities_changed"] = domain.data.get("identities_fingerprint") != fingerprint
    domain.data["identities_fingerprint"] = fingerprint

    scanned = scan_sources(app)
    stubs, pages = plan_archive(scanned, domain.identities(), config)
    write_stubs(srcdir / config.confarchive_archive_dir, stubs)
    domain.data["pages"] = pages
    logger.info("confarchive: %d posts, %d archive pages", len(scanned), len(stubs) + len(pages))
    undescribed = sorted({domain.identities().event_slug(post.event) for post in scanned.values() if post.event}
                         - set(events))
    for slug in undescribed:
        logger.info("confarchive: event %r is described nowhere (add it to %s); its page shows its name only",
                    slug, config.confarchive_events)


def scan_sources(app: Sphinx) -> dict[str, ScannedPost]:
    """Every post's :class:`ScannedPost`, by docname; unchanged files come from a cache."""
    config = app.config
    project = Project(app.srcdir, config.source_suffix)
    exclude = [*config.exclude_patterns, f"{config.confarchive_archive_dir}/**"]
    docnames = project.discover(exclude, config.include_patterns)
    cache_path = Path(app.doctreedir) / _SCAN_CACHE
    try:
        cache: dict[str, tuple[int, int, ScannedPost | None]] = pickle.loads(cache_path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        cache = {}
    fresh: dict[str, tuple[int, int, ScannedPost | None]] = {}
    for docname in sorted(docnames):
        path = Path(project.doc2path(docname, absolute=True))
        if path.suffix != ".md":
            continue
        stat = path.stat()
        cached = cache.get(docname)
        if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            fresh[docname] = cached
            continue
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        fresh[docname] = (stat.st_mtime_ns, stat.st_size, scan_post(text))
    if fresh != cache:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_bytes(pickle.dumps(fresh))
    return {docname: entry[2] for docname, entry in fresh.items() if entry[2] is not None}


def remember_records(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                     removed: set[str]) -> list[str]:
    """``env-get-outdated``: keep the records of posts about to be re-read or removed.

    When the events or speakers data files changed, every post is read again: its
    event and speakers may now resolve to other pages.
    """
    domain: ArchiveDomain = env.domains["archive"]
    reread: set[str] = set()
    if domain.data.get("identities_changed"):
        reread = (set(domain.posts) | set(domain.talks)) - removed
    docnames = added | changed | removed | reread
    if not env.all_docs:
        # a first build, or a new environment: every page is written, nothing to compare
        domain.before = {}
        domain.rewrite_all = True
        return []
    domain.before = {docname: (domain.posts.get(docname), domain.talks.get(docname, []))
                     for docname in docnames}
    return sorted(reread - changed - added)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the archive pages that show a post whose record changed."""
    domain: ArchiveDomain = env.domains["archive"]
    before: dict[str, tuple[Post | None, list[Talk]]] = getattr(domain, "before", {})
    domain.before = {}
    pages: set[str] = set()
    for docname, (old_post, old_talks) in before.items():
        new_post, new_talks = domain.posts.get(docname), domain.talks.get(docname, [])
        if old_post == new_post and old_talks == new_talks:
            continue
        for post, talks in ((old_post, old_talks), (new_post, new_talks)):
            pages |= pages_showing(app, domain, post, talks)
    planned = domain.data.get("pages", {})
    domain.dirty_pages = {page for page in pages if page in planned}
    return sorted(page for page in pages if page in env.all_docs and page not in before)


def pages_showing(app: Sphinx, domain: ArchiveDomain, post: Post | None, talks: list[Talk]) -> set[str]:
    """Every page whose content depends on ``post`` (as it was, or as it is)."""
    from .listings import matches

    config = app.config
    pages: set[str] = set()
    for talk in talks:
        for speaker in talk.speakers:
            pages.add(archive_docname(config, "speaker", speaker.id))
        pages.add(index_docname(config, "speakers"))
    if post is None:
        return pages
    order = listed(domain, config)
    is_listed = config.confarchive_show_drafts or not (post.draft or is_future(post.date))
    if is_listed:
        if post.event_slug:
            pages |= {archive_docname(config, "event", post.event_slug), index_docname(config, "events")}
        pages |= {archive_docname(config, "tag", tag_slug(tag)) for tag in post.tags}
        pages |= {archive_docname(config, "author", slugify(author)) for author in post.authors}
        if post.year:
            pages |= {archive_docname(config, "year", post.year), index_docname(config, "years")}
        pages |= {index_docname(config, "tags"), index_docname(config, "authors")}
        pages |= {pagination_docname(config, number)
                  for number in range(1, page_count(len(order), config.confarchive_posts_per_page) + 2)}
        for docname, specs in domain.listings.items():
            if any(spec.paginate or matches(post, spec, talks, domain) for spec in specs):
                pages.add(docname)
    # the posts before and after it, whose previous/next links name it
    pages |= {other.docname for other in neighbours(order, post)}
    return pages


def neighbours(order: list[Post], post: Post) -> list[Post]:
    """The posts beside ``post`` (or beside where it would stand) in a list sorted newest first."""
    ascending = order[::-1]
    keys = [sort_key(other) for other in ascending]
    low = bisect.bisect_left(keys, sort_key(post))
    high = bisect.bisect_right(keys, sort_key(post))
    return [other for other in ascending[max(0, low - 1): high + 1] if other.docname != post.docname]


def post_neighbours(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    """``html-page-context``: furo's previous/next links on a post go to the posts beside it in time."""
    domain: ArchiveDomain = app.env.domains["archive"]
    post = domain.posts.get(pagename)
    if post is None:
        return
    if hide_page(app, pagename, context):
        return  # a draft or a future post
    order = listed(domain, app.config)
    index = domain.position(pagename, app.config.confarchive_show_drafts)

    def link(other: Post | None) -> dict[str, str] | None:
        if other is None:
            return None
        return {"link": app.builder.get_relative_uri(pagename, other.docname), "title": html.escape(other.title)}

    # furo's "next" is the newer post, "previous" the older one
    context["next"] = link(order[index - 1] if index > 0 else None)
    context["prev"] = link(order[index + 1] if index + 1 < len(order) else None)


class post_header(nodes.Invisible, nodes.container):
    """A post's date, authors, event and tags under its title.

    Writers render it as the container it is; readers of a page's text for its
    description (sphinxext-opengraph) pass over ``Invisible`` nodes, so the description
    is the post's prose, not this line.
    """


def add_post_header(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: a post shows its date, authors, event and tags under its title."""
    from .listings import Renderer

    domain: ArchiveDomain = app.env.domains["archive"]
    post = domain.posts.get(docname)
    if post is None:
        return
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is None:
        return
    header = post_header(classes=["confarchive-post-header"])
    header += Renderer(app, docname).post_meta(post)
    title.parent.insert(title.parent.index(title) + 1, header)


def page_exists(env: BuildEnvironment, pagename: str) -> bool:
    """Whether the site has this page: a document, or an archive page written from the store."""
    return pagename in env.all_docs or pagename in env.domains["archive"].data.get("pages", {})


def _site_fingerprint(app: Sphinx) -> str:
    """What every page shares: configuration, templates, and the navigation in its sidebar."""
    env = app.env
    builder = app.builder
    info = getattr(builder, "build_info", None)
    navigation = sorted((doc, env.titles[doc].astext() if doc in env.titles else "", tuple(included))
                        for doc, included in env.toctree_includes.items())
    templates = builder.templates.newest_template_mtime() if getattr(builder, "templates", None) else 0
    # confarchive's own settings change what archive pages list (drafts, page size...)
    settings = sorted((name, repr(app.config[name])) for name in dir(app.config)
                      if name.startswith("confarchive_") or name in ("root_doc", "language"))
    data = (repr(info.__dict__) if info is not None else "", templates, navigation, settings)
    return hashlib.sha256(repr(data).encode()).hexdigest()


def collect_pages(app: Sphinx):
    """``html-collect-pages``: the pages of events, speakers, tags, authors, years, older posts.

    A page is written when what it shows changed in this build, when its file is
    missing, or when something every page shares changed (configuration, templates,
    the sidebar's navigation). Pages no longer planned are removed.
    """
    env = app.env
    domain: ArchiveDomain = env.domains["archive"]
    pages: dict[str, ArchivePage] = domain.data.get("pages", {})
    outdir = Path(app.outdir)
    suffix = app.builder.out_suffix
    # what the last build wrote: kept beside the doctrees (the environment is saved before writing)
    record = Path(app.doctreedir) / _PAGES_RECORD
    try:
        last = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    fingerprint = _site_fingerprint(app)
    everything = last.get("fingerprint") != fingerprint or getattr(domain, "rewrite_all", False)
    dirty = getattr(domain, "dirty_pages", set())
    for gone in sorted(set(last.get("pages", ())) - set(pages)):
        (outdir / f"{gone}{suffix}").unlink(missing_ok=True)
    # per-document state the HTML writer reads; archive pages number no sections or figures
    app.builder.secnumbers, app.builder.fignumbers = {}, {}
    written = 0
    # the theme's template is rendered once a folder; each page fills in that shell
    templates = getattr(app.builder, "templates", None)
    shells = ShellRenderer(templates.render) if templates is not None else None
    if shells is not None:
        templates.render = shells
    try:
        for item in _archive_pages(app, pages, everything, dirty):
            written += 1
            yield item
    finally:
        if shells is not None:
            del templates.render
    record.write_text(json.dumps({"fingerprint": fingerprint, "pages": sorted(pages)}), encoding="utf-8")
    domain.dirty_pages = set()
    domain.rewrite_all = False
    logger.info("confarchive: %d of %d archive pages written", written, len(pages))


def _archive_pages(app: Sphinx, pages: dict[str, ArchivePage], everything: bool, dirty: set[str]):
    """``(pagename, context, template)`` of each archive page to write."""
    from .pagehtml import ArchivePageWriter

    outdir = Path(app.outdir)
    suffix = app.builder.out_suffix
    writer = ArchivePageWriter(app)
    for pagename, page in sorted(pages.items()):
        if not everything and pagename not in dirty and (outdir / f"{pagename}{suffix}").is_file():
            continue
        yield pagename, {"title": html.escape(page.title), "body": writer.body(pagename, page), SHELL: True}, "page.html"


def _page_image(app: Sphinx, pagename: str, page: ArchivePage) -> nodes.Node:
    """An event's logo or a speaker's avatar, copied beside the archive's pages."""
    import posixpath
    import shutil

    uri = page.image or ""
    if "://" not in uri:
        srcdir = Path(app.srcdir).resolve()
        data_file = app.config.confarchive_speakers if page.kind == "speaker" else app.config.confarchive_events
        location = f"{srcdir / data_file}:{page.image_line or 1}"
        source = (srcdir / uri.lstrip("/")).resolve()
        if not source.is_relative_to(srcdir):
            # never publish a file from outside the project's sources
            logger.warning("%s: image outside the source folder: %s", page.title, uri,
                           location=location, **warning_kwargs(ArchiveWarning.PATH))
            return nodes.inline()
        if not source.is_file():
            logger.warning("%s: image not found: %s", page.title, uri,
                           location=location, **warning_kwargs(ArchiveWarning.DATA_FILE))
            return nodes.inline()
        from .figures import stable_image_name

        relative = f"_archive_images/{stable_image_name(source.relative_to(srcdir).as_posix())}"
        target = Path(app.outdir) / relative
        if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        uri = posixpath.relpath(relative, posixpath.dirname(pagename))
    box = nodes.container(classes=["confarchive-page-image"])
    box += nodes.image(uri=uri, alt=page.image_alt)
    return box


def setup_archive(app: Sphinx) -> None:
    app.add_config_value("confarchive_archive_dir", "archive", "env", str)
    app.add_config_value("confarchive_events", "events.yaml", "env", str)
    app.add_config_value("confarchive_speakers", "speakers.yaml", "env", str)
    app.add_config_value("confarchive_posts_per_page", 10, "env", int)
    app.add_config_value("confarchive_show_drafts", False, "env", bool)
    app.add_node(post_header)
    app.connect("builder-inited", generate_archive)
    app.connect("env-get-outdated", remember_records)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("html-page-context", post_neighbours)
    app.connect("doctree-resolved", add_post_header)
    app.connect("html-collect-pages", collect_pages)

