"""The ``postlist`` directive, and the ``archive-page`` directive of the archive's index pages.

Each leaves an ``archive_listing`` placeholder and notes in the store that its page holds
one; once every post is read, :mod:`confarchive.archive.listings` fills it in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..archive.layout import KINDS
from ..model import ListingSpec
from ..nodes import archive_listing

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..archive.domain import ArchiveDomain


def _year(value: str) -> str:
    value = value.strip()
    if not (len(value) == 4 and value.isdigit()):
        raise ValueError(f"{value!r} is not a year like 2017")
    return value


class PostListDirective(SphinxDirective):
    """A list of posts, newest first, optionally filtered and limited."""

    has_content = False
    option_spec: ClassVar = {
        "event": directives.unchanged_required,
        "tag": directives.unchanged_required,
        "speaker": directives.unchanged_required,
        "author": directives.unchanged_required,
        "year": _year,
        "limit": directives.positive_int,
        "paginate": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        spec = ListingSpec(
            event=self.options.get("event"),
            tag=self.options.get("tag"),
            speaker=self.options.get("speaker"),
            author=self.options.get("author"),
            year=self.options.get("year"),
            limit=self.options.get("limit"),
            paginate="paginate" in self.options,
            line=self.lineno,
        )
        domain: ArchiveDomain = self.env.domains["archive"]
        domain.note_listing(self.env.docname, spec)
        domain.note_placeholder(self.env.docname)
        node = archive_listing(kind="posts", key="", spec=spec)
        self.set_source_info(node)
        return [node]


class ArchivePageDirective(SphinxDirective):
    """The body of a generated archive page: ``kind key``. Written by confarchive itself."""

    required_arguments = 1
    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown archive page kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.env.domains["archive"].note_placeholder(self.env.docname)
        node = archive_listing(kind=kind, key=self.arguments[1] if len(self.arguments) > 1 else "")
        self.set_source_info(node)
        return [node]


def setup_postlist(app: Sphinx) -> None:
    app.add_node(archive_listing)
    app.add_directive("postlist", PostListDirective)
    app.add_directive("archive-page", ArchivePageDirective)
