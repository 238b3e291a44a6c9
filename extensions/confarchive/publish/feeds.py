"""Atom feeds: one for the whole archive, one for each event and one for each tag.

The feeds are written once the HTML is (``build-finished``), from the archive's store:

- ``feeds/atom.xml``: the newest posts of the whole archive,
- ``feeds/events/<event slug>.xml`` and ``feeds/tags/<tag slug>.xml``: the newest posts of
  one event or one tag, for every event and tag that has a dated, listed post.

Each entry carries the post's summary (its ``summary``, else its excerpt) and its full
body as the HTML page shows it. Rendering every post again at the end of the build
would cost as much as writing it, so while a post's page is written
(``html-page-context``) its body goes into a small file under the doctree folder
(``<doctreedir>/confarchive-feed-content/<builder>/<docname>.body``). Each writer
process writes its own posts' files, so this works under ``-j``; a post not written
again in an incremental build keeps its file, and a post that has no file is written
again (``env-get-updated``).

A feed is written only when its bytes change, and the feed of an event or tag that no
longer has a post is removed: the ``feeds/`` folder of the output belongs to confarchive.
The XML is built with :mod:`xml.etree.ElementTree`, which escapes everything a post
brings (titles, names, tags, HTML).

Links in a feed must be absolute, so feeds need ``html_baseurl`` (which Read the Docs
sets through ``READTHEDOCS_CANONICAL_URL``); without it no feed is written and the build
says so once, as information.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

from sphinx.util import logging

from ..archive.layout import archive_docname
from ..archive.rawhtml import policy_for
from ..archive.state import build_state
from ..config import ArchiveConfig, archive_config
from ..model import Post
from ..text.sanitise import clean_whole
from ..text.slugs import tag_slug, tally

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: the output folder holding the feeds; it belongs to confarchive
FEEDS_DIR = "feeds"
ARCHIVE_FEED = f"{FEEDS_DIR}/atom.xml"
#: folders of the per-event and per-tag feeds, by kind
_KIND_DIRS = {"event": f"{FEEDS_DIR}/events", "tag": f"{FEEDS_DIR}/tags"}
#: under the doctree folder: each post's rendered body, by builder and docname
CONTENT_CACHE = "confarchive-feed-content"
#: builders whose output the feeds link to
FEED_BUILDERS = frozenset({"html", "dirhtml"})
#: the date in every ``tag:`` id (RFC 4151). It never changes, so ids never change.
ID_DATE = "2026"
#: ``updated`` of a feed with no entry yet (Atom requires one)
_EMPTY_FEED_UPDATED = "1970-01-01T00:00:00Z"
#: characters XML 1.0 cannot hold, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- what the feeds hold: pure, no Sphinx --------------------------------------------


@dataclass(frozen=True)
class Feed:
    """One feed file: what it is about and the posts it holds, newest first."""

    #: the file, relative to the output folder: ``feeds/tags/kubernetes.xml``
    path: str
    #: ``archive``, ``event`` or ``tag``
    kind: str
    #: the event's or tag's slug; empty for the whole archive
    key: str
    #: the feed's title, the project's name included
    title: str
    #: the docname of the page the feed mirrors
    page: str
    posts: tuple[Post, ...]

    @property
    def id_path(self) -> str:
        """What names the feed inside its ``tag:`` id: ``feed``, ``feed:tags/kubernetes``."""
        return f"feed:{self.path.removeprefix(FEEDS_DIR + '/').removesuffix('.xml')}" if self.key else "feed"


def feed_path(kind: str, key: str) -> str:
    """The file of an event's or a tag's feed, relative to the output folder."""
    return f"{_KIND_DIRS[kind]}/{key}.xml"


def plan_feeds(posts: list[Post], settings: ArchiveConfig, project: str, root_doc: str,
               event_name: Callable[[str], str]) -> list[Feed]:
    """Every feed of the archive, the whole archive's first.

    ``posts`` are the listed posts, newest first. Undated posts are in no feed: an Atom
    entry needs a date. An event or tag with no dated post has no feed.
    """
    length = settings.feed_length
    dated = [post for post in posts if post.date and rfc3339(post.date)]
    by_event: dict[str, list[Post]] = defaultdict(list)
    by_tag: dict[str, list[Post]] = defaultdict(list)
    for post in dated:
        if post.event_slug:
            by_event[post.event_slug].append(post)
        for slug in dict.fromkeys(tag_slug(tag) for tag in post.tags):
            by_tag[slug].append(post)
    _, tag_names = tally((post.tags for post in posts), tag_slug)

    feeds = [Feed(ARCHIVE_FEED, "archive", "", project, root_doc, tuple(dated[:length]))]
    for slug in sorted(by_event):
        feeds.append(Feed(feed_path("event", slug), "event", slug, f"{project}: {event_name(slug)}",
                          archive_docname(settings, "event", slug), tuple(by_event[slug][:length])))
    for slug in sorted(by_tag):
        feeds.append(Feed(feed_path("tag", slug), "tag", slug, f"{project}: Posts tagged {tag_names[slug]}",
                          archive_docname(settings, "tag", slug), tuple(by_tag[slug][:length])))
    return feeds


def rfc3339(date: str) -> str | None:
    """A post's ISO 8601 date as an RFC 3339 timestamp; a date without a zone is UTC."""
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    text = when.isoformat(timespec="seconds")
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _instant(date: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(date)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def tag_uri(authority: str, specific: str) -> str:
    """A ``tag:`` URI (RFC 4151): ``tag:archive.example.org,2026:posts/2017/x/index``."""
    return f"tag:{authority},{ID_DATE}:{quote(specific, safe='/:')}"


@dataclass(frozen=True)
class Site:
    """What a feed needs to know about the site it belongs to."""

    #: the ``tag:`` authority: the host of ``html_baseurl``
    authority: str
    #: the absolute URL of a page, by docname
    page_url: Callable[[str], str]
    #: the absolute URL of a file of the output, by its path
    file_url: Callable[[str], str]
    #: who a post without an author is credited to
    default_author: str
    language: str | None = None
    generator_version: str | None = None


def render_feed(feed: Feed, site: Site, content_of: Callable[[str], str | None]) -> bytes:
    """The Atom document of ``feed``; ``content_of`` gives a post's body HTML, or None."""
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    if site.language:
        root.set(_XML_LANG, site.language)
    _text(root, "id", tag_uri(site.authority, feed.id_path))
    _text(root, "title", feed.title, type="text")
    instants = [_instant(post.date) for post in feed.posts if post.date]
    _text(root, "updated", rfc3339(max(instants).isoformat()) if instants else _EMPTY_FEED_UPDATED)
    ET.SubElement(root, "link", rel="self", type=ATOM_MEDIA_TYPE, href=_clean(site.file_url(feed.path)))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=_clean(site.page_url(feed.page)))
    generator = _text(root, "generator", "confarchive")
    if site.generator_version:
        generator.set("version", site.generator_version)
    for post in feed.posts:
        root.append(_entry(post, site, content_of(post.docname)))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(post: Post, site: Site, content: str | None) -> ET.Element:
    entry = ET.Element("entry")
    url = site.page_url(post.docname)
    when = rfc3339(post.date or "") or _EMPTY_FEED_UPDATED
    _text(entry, "id", tag_uri(site.authority, post.docname))
    _text(entry, "title", post.title, type="text")
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=_clean(url))
    _text(entry, "published", when)
    _text(entry, "updated", when)
    for name in post.authors or (site.default_author,):
        _text(ET.SubElement(entry, "author"), "name", name)
    for tag in dict.fromkeys(post.tags):
        ET.SubElement(entry, "category", term=_clean(tag))
    summary = post.summary or post.excerpt
    if summary:
        _text(entry, "summary", summary, type="text")
    if content is not None:
        # relative links and images in the body resolve against the post's own URL
        _text(entry, "content", content, type="html", **{_XML_BASE: _clean(url)})
    return entry


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (ElementTree escapes the rest)."""
    return _NOT_XML.sub("", text)


def feed_link_tag(href: str, title: str) -> str:
    """The ``<link>`` that lets browsers and feed readers find a feed from a page."""
    return (f'<link rel="alternate" type="{ATOM_MEDIA_TYPE}" title="{html.escape(title)}" '
            f'href="{html.escape(href)}" />')


# --- Sphinx glue -------------------------------------------------------------------------


def base_url(config: Config) -> str | None:
    """``html_baseurl`` when it is an absolute http(s) URL, else None (no feeds)."""
    url = (config.html_baseurl or "").strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        return url
    return None


def feeds_wanted(app: Sphinx) -> bool:
    """Whether this build writes feeds: an HTML builder, a base URL, and a length."""
    return (getattr(app.builder, "name", None) in FEED_BUILDERS and base_url(app.config) is not None
            and archive_config(app.config).feed_length > 0)


def current_feeds(app: Sphinx) -> list[Feed]:
    """The archive's feeds, planned once a build from its view."""
    state = build_state(app.env)
    if state.feeds is None:
        view = state.read_view()
        state.feeds = plan_feeds(view.listed, state.config, app.config.project, app.config.root_doc,
                                 lambda slug: view.event(slug).name)
    return state.feeds


def _site(app: Sphinx) -> Site:
    from ..version import __version__

    url = base_url(app.config) or ""
    builder = app.builder
    return Site(
        authority=(urlsplit(url).hostname or "").lower(),
        page_url=lambda docname: posixpath.join(url, builder.get_target_uri(docname)),
        file_url=lambda path: posixpath.join(url, path),
        default_author=app.config.project,
        language=app.config.language or None,
        generator_version=__version__,
    )


def _content_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / CONTENT_CACHE / app.builder.name


def _content_file(app: Sphinx, docname: str) -> Path:
    return _content_dir(app) / f"{docname}.body"


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it holds those bytes already; whether it wrote."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)
    return True


def note_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: link the page to its feeds; keep a post's body for its entry."""
    if not feeds_wanted(app):
        return
    feeds = current_feeds(app)
    site = _site(app)
    # an event's or tag's feed on each page of its list
    links = [feeds[0]] + [feed for feed in feeds[1:]
                          if feed.page == pagename or pagename.startswith(f"{feed.page}/page/")]
    tags = "\n".join(feed_link_tag(site.file_url(feed.path), feed.title) for feed in links)
    context["metatags"] = f"{context.get('metatags') or ''}\n{tags}\n"

    body = context.get("body")
    state = build_state(app.env)
    if pagename in state.read_view().posts and isinstance(body, str):
        # the HTML policy once more, as a whole: feed readers are not the archive's pages
        body = clean_whole(body, policy_for(app.config))
        _write_if_changed(_content_file(app, pagename), body.encode("utf-8"))
    elif isinstance(body, str) and (pagename == app.config.root_doc or pagename in state.pages
                                    or pagename.startswith(f"{state.config.archive_dir}/")):
        # lists of posts say where to follow them: the page's own feed, and the archive's
        folder = posixpath.dirname(app.builder.get_target_uri(pagename))
        context["body"] = body + visible_feed_links(links, folder)


def visible_feed_links(feeds: list[Feed], folder: str) -> str:
    """``Follow: Atom feed of this tag · Atom feed of the whole archive``, as links from a page in
    ``folder`` (the feeds are written beside the pages, so relative links work offline too)."""
    items = []
    for feed in reversed(feeds):  # the page's own feed first
        label = "Atom feed of the whole archive" if feed.kind == "archive" else f"Atom feed of this {feed.kind}"
        href = posixpath.relpath(feed.path, folder or ".")
        items.append(f'<a class="confarchive-feed-link reference external" type="{ATOM_MEDIA_TYPE}" '
                     f'href="{html.escape(href)}">{label}</a>')
    return f'<p class="confarchive-feed-links">Follow: {" · ".join(items)}</p>\n'


def posts_missing_content(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: posts a feed shows whose body was never kept (written again)."""
    if not feeds_wanted(app):
        return []
    shown = {post.docname for feed in current_feeds(app) for post in feed.posts}
    return sorted(docname for docname in shown if not _content_file(app, docname).is_file())


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the feeds that changed, remove the ones no longer there."""
    if exception is not None or getattr(app.builder, "name", None) not in FEED_BUILDERS:
        return
    _prune_content(_content_dir(app), set(build_state(app.env).read_view().posts))
    outdir = Path(app.outdir)
    wanted: dict[str, bytes] = {}
    if feeds_wanted(app):
        site = _site(app)
        bodies: dict[str, str | None] = {}  # a post is in several feeds: read its body once

        def content_of(docname: str) -> str | None:
            if docname not in bodies:
                bodies[docname] = _read_content(app, docname)
            return bodies[docname]

        for feed in current_feeds(app):
            wanted[feed.path] = render_feed(feed, site, content_of)
    elif archive_config(app.config).feed_length > 0:
        logger.info("confarchive: no feeds: html_baseurl is not an absolute URL, and feed links must be "
                    "(set html_baseurl in conf.py; Read the Docs sets it for you)")
    written = sum(_write_if_changed(outdir / path, data) for path, data in sorted(wanted.items()))
    removed = _remove_stale_feeds(outdir, set(wanted))
    if wanted or removed:
        logger.info("confarchive: %d feeds (%d written, %d removed)", len(wanted), written, removed)


def _read_content(app: Sphinx, docname: str) -> str | None:
    try:
        return _content_file(app, docname).read_text(encoding="utf-8")
    except OSError:
        logger.info("confarchive: the feed entry of %s has no content (its page was not written)", docname)
        return None


def _feed_files(outdir: Path) -> Iterable[Path]:
    yield outdir / ARCHIVE_FEED
    for folder in _KIND_DIRS.values():
        if (outdir / folder).is_dir():
            yield from sorted((outdir / folder).glob("*.xml"))


def _remove_stale_feeds(outdir: Path, wanted: set[str]) -> int:
    removed = 0
    for path in _feed_files(outdir):
        if path.is_file() and path.relative_to(outdir).as_posix() not in wanted:
            path.unlink()
            removed += 1
    for folder in (*_KIND_DIRS.values(), FEEDS_DIR):
        folder_path = outdir / folder
        if folder_path.is_dir() and not any(folder_path.iterdir()):
            folder_path.rmdir()
    return removed


def _prune_content(folder: Path, posts: set[str]) -> None:
    """Remove the kept bodies of documents that are no longer posts."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.body")):
        if path.relative_to(folder).as_posix().removesuffix(".body") not in posts:
            path.unlink()
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()


def setup_feeds(app: Sphinx) -> None:
    # late: the body and head every other handler left
    app.connect("html-page-context", note_page, priority=900)
    app.connect("env-get-updated", posts_missing_content)
    app.connect("build-finished", write_feeds)
