"""The bodies of archive pages, written as HTML without building docutils nodes.

A listing is built from a handful of pieces (paragraphs, links, lists, containers), and
:class:`~confarchive.archive.listings.ListingNodes` builds every listing from those pieces as nodes,
which any builder can write. An archive has many more pages than posts (at 1,000 posts
of the benchmark corpus, 6,491 pages of speakers, tags, events...), and making and
writing nodes cost about 2 ms a page, most of what such a page costs. So for those pages
:class:`ListingHtml` makes the same pieces as the HTML Sphinx writes for them, and a
page body is joined from strings.

The HTML must be what the HTML writer gives for the nodes, whatever the theme or the
docutils version: :class:`ArchivePageWriter` writes the first pages of each kind both
ways and compares them (pages of up to :data:`CHECKED_SIZE` characters); if they
differ (a project with a translator of its own, say), that kind of page is written
from nodes from then on.
"""

from __future__ import annotations

import posixpath
import re
import secrets
import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from ..problems import ArchiveWarning, warn
from ..text.slugs import slugify
from .images import stable_image_name
from .layout import ArchivePage
from .listings import ListingNodes, decoration_html
from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: how many pages of each kind are written both ways and compared
CHECKED_PAGES = 3
#: pages longer than this are not compared: writing one from nodes takes a second or
#: more (the page of an author of 1,000 posts), and its pieces are those of shorter pages
CHECKED_SIZE = 100_000

#: what docutils' HTML writer escapes in text and attribute values
_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;", ord("@"): "&#64;"}
_WHITESPACE = re.compile(r"[\n\r\t\v\f]")


def _encode(text: str) -> str:
    return text.translate(_SPECIAL)


def _attribute(text: str) -> str:
    return _encode(_WHITESPACE.sub(" ", text))


def _class(classes: tuple[str, ...] | list[str]) -> str:
    return f' class="{_attribute(" ".join(classes))}"' if classes else ""


class ListingHtml(ListingNodes):
    """The pieces of :class:`~confarchive.archive.listings.ListingNodes` as the HTML Sphinx writes for them."""

    def text(self, value: str) -> str:
        return _encode(value)

    def inline(self, children: list, classes: tuple[str, ...] = ()) -> str:
        return f"<span{_class(classes)}>{''.join(children)}</span>"

    def reference(self, text: str, refuri: str, classes: tuple[str, ...] = (), internal: bool = True) -> str:
        kind = "internal" if internal else "external"
        return (f"<a{_class((*classes, 'reference', kind))} href=\"{_attribute(refuri or '#')}\">"
                f"{_encode(text)}</a>")

    def paragraph(self, children: list, classes: tuple[str, ...] = ()) -> str:
        return f"<p{_class(classes)}>{''.join(children)}</p>\n"

    def container(self, children: list, classes: tuple[str, ...] = ()) -> str:
        return f"<div{_class((*classes, 'docutils', 'container'))}>\n{''.join(children)}</div>\n"

    def bullet_list(self, paragraphs: list, classes: tuple[str, ...] = ()) -> str:
        items = "".join(f"<li>{paragraph.rstrip()}</li>\n" for paragraph in paragraphs)
        return f"<ul{_class((*classes, 'simple'))}>\n{items}</ul>\n"

    def link(self, text: str, docname: str, anchor: str = "", classes: tuple[str, ...] = ()) -> str:
        """A link, made once a build for each output folder.

        Archive pages link to the same posts, events, tags and speakers over and over:
        a post's summary is on the pages of its event, year, author and each of its tags.
        A link depends only on the folder of the page it is on, except a link to that
        page itself (``#``).
        """
        if docname == self.docname:
            return super().link(text, docname, anchor, classes)
        cache = self.state.links
        key = (self.folder(), docname, anchor, text, classes)
        made = cache.get(key)
        if made is None:
            made = cache[key] = super().link(text, docname, anchor, classes)
        return made

    def decoration(self, text: str, classes: tuple[str, ...]) -> str:
        return decoration_html(text, classes)

    def heading(self, text: str, ids: tuple[str, ...] = (), level: int = 2) -> str:
        id_attribute = f' id="{_attribute(ids[0])}"' if ids else ""
        return f'<h{level} class="confarchive-heading rubric"{id_attribute}>{_encode(text)}</h{level}>\n'

    def raw_html(self, markup: str) -> str:
        return markup


class ArchivePageWriter:
    """Writes the body of each archive page: from strings, or from nodes where they differ."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.checked: Counter[str] = Counter()
        #: kinds of page whose HTML did not match the nodes': written from nodes
        self.from_nodes: set[str] = set()
        self._frame: tuple[str, dict[str, str]] | None = None

    def body(self, pagename: str, page: ArchivePage) -> str:
        # a page image goes through Sphinx's image handling
        if page.image or page.kind in self.from_nodes:
            return self.node_body(pagename, page)
        fast = self.string_body(pagename, page)
        if self.checked[page.kind] < CHECKED_PAGES and len(fast) <= CHECKED_SIZE:
            self.checked[page.kind] += 1
            slow = self.node_body(pagename, page)
            if slow != fast:
                logger.debug("confarchive: %s pages are written from nodes (their HTML differs: %s)",
                             page.kind, pagename)
                self.from_nodes.add(page.kind)
                return slow
        return fast

    def node_body(self, pagename: str, page: ArchivePage) -> str:
        body = nodes.container(classes=["confarchive-archive-page"])
        if page.image:
            body += page_image(self.app, pagename, page)
        body.extend(ListingNodes(self.app, pagename).render_page_of(page.kind, page.key, page.number))
        heading = nodes.section(ids=[_section_id(page.title)])
        heading += nodes.title(page.title, page.title)
        heading += body
        return self.app.builder.render_partial(heading)["fragment"]

    def string_body(self, pagename: str, page: ArchivePage) -> str:
        renderer = ListingHtml(self.app, pagename)
        body = renderer.container(renderer.render_page_of(page.kind, page.key, page.number), ("confarchive-archive-page",))
        frame, tokens = self._section_frame()
        values = {"id": _attribute(_section_id(page.title)), "title": _encode(page.title), "body": body}
        for name, token in tokens.items():
            frame = frame.replace(token, values[name])
        return frame

    def _section_frame(self) -> tuple[str, dict[str, str]]:
        """A page's section and title as the writer renders them, with tokens for the values.

        The title's permalink follows the project's settings (``html_permalinks``,
        ``html_permalinks_icon``, the language), so the writer makes it once a build.
        """
        if self._frame is None:
            tokens = {name: f"confarchivepage{name}{secrets.token_hex(8)}" for name in ("id", "title", "body")}
            section = nodes.section(ids=[tokens["id"]])
            section += nodes.title(tokens["title"], tokens["title"])
            section += nodes.raw("", tokens["body"], format="html")
            frame = self.app.builder.render_partial(section)["fragment"]
            self._frame = (frame, tokens)
        return self._frame


def _section_id(title: str) -> str:
    return slugify(title) or "page"


def page_image(app: Sphinx, pagename: str, page: ArchivePage) -> nodes.Node:
    """An event's logo or a speaker's avatar, copied beside the archive's pages."""
    uri = page.image or ""
    if "://" not in uri:
        srcdir = Path(app.srcdir).resolve()
        settings = build_state(app.env).config
        data_file = settings.speakers if page.kind == "speaker" else settings.events
        location = f"{srcdir / data_file}:{page.image_line or 1}"
        source = (srcdir / uri.lstrip("/")).resolve()
        if not source.is_relative_to(srcdir):
            # never publish a file from outside the project's sources
            warn("%s: image outside the source folder: %s", ArchiveWarning.PATH, location, page.title, uri)
            return nodes.inline()
        if not source.is_file():
            warn("%s: image not found: %s", ArchiveWarning.DATA_FILE, location, page.title, uri)
            return nodes.inline()
        relative = f"_archive_images/{stable_image_name(source.relative_to(srcdir).as_posix())}"
        target = Path(app.outdir) / relative
        if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        uri = posixpath.relpath(relative, posixpath.dirname(pagename))
    box = nodes.container(classes=["confarchive-page-image"])
    box += nodes.image(uri=uri, alt=page.image_alt)
    return box
