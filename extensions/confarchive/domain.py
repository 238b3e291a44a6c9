"""The archive's store: one data-only Domain keyed by docname.

Everything the archive knows about posts and talks lives in ``ArchiveDomain.data``,
keyed by the docname it was read from, so purging a document and merging the results
of parallel readers are one line each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from typing import Any

from sphinx.domains import Domain


@dataclass(frozen=True)
class Speaker:
    """A speaker as a card in a post names them."""

    name: str
    #: profile links by kind (``twitter``, ``mastodon``, ``bluesky``, ``github``, ``website``)
    links: tuple[tuple[str, str], ...] = ()
    role: str | None = None
    affiliation: str | None = None
    avatar: str | None = None
    #: the Twitter/X handle, lower-cased: the same handle means the same person
    handle: str | None = None


@dataclass(frozen=True)
class Talk:
    """A section of a post that holds at least one speaker card."""

    docname: str
    #: the section's id in the page; empty when the talk is the whole post
    anchor: str
    title: str
    speakers: tuple[Speaker, ...]
    line: int | None = None


@dataclass(frozen=True)
class Post:
    """A post, as read from its front matter and body."""

    docname: str
    title: str
    authors: tuple[str, ...] = ()
    #: ISO 8601 date and time, or None when the post is undated
    date: str | None = None
    event: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    #: plain text before the read-more marker, else the first paragraph
    excerpt: str = ""
    draft: bool = False


class ArchiveDomain(Domain):
    """Data-only domain holding the archive's posts and talks."""

    name = "archive"
    label = "Conference archive"
    initial_data: dict[str, Any] = {"posts": {}, "talks": {}}
    #: bump when the shape of the stored records changes
    data_version = 1

    @property
    def posts(self) -> dict[str, Post]:
        return self.data.setdefault("posts", {})

    @property
    def talks(self) -> dict[str, list[Talk]]:
        return self.data.setdefault("talks", {})

    def note_post(self, post: Post) -> None:
        self.posts[post.docname] = post

    def note_talks(self, docname: str, talks: Iterable[Talk]) -> None:
        talks = list(talks)
        if talks:
            self.talks[docname] = talks
        else:
            self.talks.pop(docname, None)

    def iter_talks(self) -> Iterator[Talk]:
        for docname in sorted(self.talks):
            yield from self.talks[docname]

    def clear_doc(self, docname: str) -> None:
        self.posts.pop(docname, None)
        self.talks.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("posts", "talks"):
            mine = self.data.setdefault(key, {})
            for docname, value in otherdata.get(key, {}).items():
                if docname in docnames:
                    mine[docname] = value

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # noqa: D102
        return []
