"""Where the archive's pages are: their names, from the settings alone. The bottom of the archive layer.

The pages of events, speakers, tags, authors and years, the indexes and the older pages
of the post list, by kind and key. Nothing here reads the store: the domain, the plan,
the listings and the feeds all name pages with these functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..config import ArchiveConfig

#: kinds of archive page, as the ``archive-page`` directive names them
KINDS = ("posts", "page", "event", "speaker", "tag", "author", "year",
         "events", "speakers", "tags", "authors", "years")
_FOLDER = {"event": "events", "speaker": "speakers", "tag": "tags", "author": "authors", "year": "years",
           "page": "page", "talk": "talks"}
#: the index pages, documents of their own so that a toctree can hold them, and their titles
INDEX_TITLES = {"events": "Events", "speakers": "Speakers", "tags": "Tags", "authors": "Authors",
                "years": "Posts by year"}


#: kinds of page that list posts, paginated like the home page: page 2 of the tag
#: ``python`` is ``archive/tags/python/page/2``
PAGINATED = ("event", "tag", "author", "year")


def archive_docname(settings: ArchiveConfig, kind: str, key: str, number: int = 1) -> str:
    """The docname of (page ``number`` of) the page of one event, speaker, tag, author or year,
    or of one talk of the program (its key ``event/talk``: ``archive/talks/event/talk``).

    A key ``index`` (a tag or an author called "Index") is written ``index_``: the page
    ``index`` of each folder is the folder's index page. No slug has an underscore.
    """
    name = f"{settings.archive_dir}/{_FOLDER[kind]}/{'index_' if key == 'index' else key}"
    return name if number == 1 else f"{name}/page/{number}"


def numbered_docnames(settings: ArchiveConfig, kind: str, key: str, posts: int) -> set[str]:
    """Every page of one event's, tag's, author's or year's list of ``posts`` posts, and the
    page after the last (which a post removed from a full last page leaves behind)."""
    return {archive_docname(settings, kind, key, number)
            for number in range(1, page_count(posts, settings.posts_per_page) + 2)}


def index_docname(settings: ArchiveConfig, kind: str) -> str:
    """The docname of an index page: ``events``, ``speakers``, ``tags``, ``authors``, ``years``."""
    return f"{settings.archive_dir}/{kind}/index"


def pagination_docname(settings: ArchiveConfig, root_doc: str, number: int) -> str:
    """Page ``number`` of the paginated list of all posts; page 1 is the root document."""
    return root_doc if number == 1 else f"{settings.archive_dir}/page/{number}"


def page_count(posts: int, per_page: int) -> int:
    return max(1, math.ceil(posts / per_page))


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
    #: which page of a paginated list (of an event's, tag's, author's or year's posts)
    number: int = 1
