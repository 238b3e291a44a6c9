"""Incremental builds: which archive pages a build writes again.

Before reading (:func:`remember_records`), the records of the posts about to be read
again or removed are kept in the build's state; after reading (:func:`pages_to_rewrite`),
each is compared with its new record, and only the archive pages that showed it, or show
it now, are written again: its event's, its tags', its speakers', the lists around it,
the posts beside it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from ..model import Post, Talk, is_future, sort_key
from ..text.slugs import slugify, tag_slug
from .layout import archive_docname, index_docname, page_count, pagination_docname
from .listings import matches
from .state import BuildState, build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import ArchiveDomain


def remember_records(state: BuildState, domain: ArchiveDomain, env: BuildEnvironment, docnames: set[str],
                     appearing: set[str] = frozenset()) -> None:
    """Keep the records of ``docnames`` (about to be read again, or removed) as they are.

    The posts ``appearing`` (a future post whose day has come) count as new: every page
    that will show them is written again.
    """
    if not env.all_docs:
        # a first build, or a new environment: every page is written, nothing to compare
        state.rewrite_all = True
        return
    state.before = {docname: (None, []) if docname in appearing else (domain.posts.get(docname),
                                                                       domain.talks.get(docname, []))
                    for docname in docnames}


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the archive pages that show a post whose record changed.

    Pages written from the store are marked for :mod:`.pages`; the index documents
    among them are given back to Sphinx, to be written again.
    """
    state = build_state(env)
    domain: ArchiveDomain = env.domains["archive"]
    before, state.before = state.before, {}
    pages: set[str] = set()
    for docname, (old_post, old_talks) in before.items():
        new_post, new_talks = domain.posts.get(docname), domain.talks.get(docname, [])
        if old_post == new_post and old_talks == new_talks:
            continue
        for post, talks in ((old_post, old_talks), (new_post, new_talks)):
            pages |= pages_showing(state, app.config.root_doc, domain, post, talks)
    if state.registry_changed:
        # names, dates, places and pictures of the data files are on archive pages everywhere
        state.rewrite_all = True
        pages |= {docname for docname in env.all_docs if docname.startswith(state.config.archive_dir + "/")}
    if pages or state.registry_changed:
        # pages that name speakers, events and talks with the archive's roles: their names may have changed
        pages |= domain.referring
    state.dirty_pages = {page for page in pages if page in state.pages}
    return sorted(page for page in pages if page in env.all_docs and page not in before)


def pages_showing(state: BuildState, root_doc: str, domain: ArchiveDomain, post: Post | None,
                  talks: list[Talk]) -> set[str]:
    """Every page whose content depends on ``post`` (as it was, or as it is)."""
    settings = state.config
    view = state.read_view()
    pages: set[str] = set()
    for talk in talks:
        for speaker in talk.speakers:
            pages.add(archive_docname(settings, "speaker", speaker.id))
        pages.add(index_docname(settings, "speakers"))
    if post is None:
        return pages
    order = view.listed
    if settings.show_drafts or not (post.draft or is_future(post.date, view.now)):
        if post.event_slug:
            pages |= {archive_docname(settings, "event", post.event_slug), index_docname(settings, "events")}
        pages |= {archive_docname(settings, "tag", tag_slug(tag)) for tag in post.tags}
        pages |= {archive_docname(settings, "author", slugify(author)) for author in post.authors}
        if post.year:
            pages |= {archive_docname(settings, "year", post.year), index_docname(settings, "years")}
        pages |= {index_docname(settings, "tags"), index_docname(settings, "authors")}
        pages |= {pagination_docname(settings, root_doc, number)
                  for number in range(1, page_count(len(order), settings.posts_per_page) + 2)}
        for docname, specs in domain.listings.items():
            if any(spec.paginate or matches(post, spec, talks, state.registry) for spec in specs):
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
