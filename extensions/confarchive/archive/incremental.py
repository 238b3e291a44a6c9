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
from ..text.registry import Registry
from ..text.slugs import name_key, slugify, tag_slug
from .layout import archive_docname, index_docname, numbered_docnames, page_count, pagination_docname
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
        state.rewrite_all = state.read_all = True
        return
    state.before = {docname: (None, []) if docname in appearing else (domain.posts.get(docname),
                                                                       domain.talks.get(docname, []))
                    for docname in docnames}


def touched_by_registry(domain: ArchiveDomain, old: Registry, new: Registry) -> tuple[set[str], set[str], set[str]]:
    """What a change of the data files touches: (posts, event slugs, speaker ids).

    An entry touches the posts that name it, by any name it had or has: the posts of a
    renamed event, the posts whose cards a new alias claims. Only those are read again.
    """
    events = {slug for slug in old.events.keys() | new.events.keys() if old.events.get(slug) != new.events.get(slug)}
    speakers = {key for key in old.speakers.keys() | new.speakers.keys()
                if old.speakers.get(key) != new.speakers.get(key)}
    event_names = {name_key(name) for registry in (old, new) for slug in events if slug in registry.events
                   for name in (slug, registry.events[slug].name, *registry.events[slug].aliases)}
    speaker_names = {name_key(name) for registry in (old, new) for key in speakers if key in registry.speakers
                     for name in (key, registry.speakers[key].name, *registry.speakers[key].aliases)}
    handles = {entry.twitter for registry in (old, new) for key in speakers
               if (entry := registry.speakers.get(key)) is not None and entry.twitter} | speakers
    posts = {docname for docname, post in domain.posts.items()
             if post.event_slug in events or (post.event and name_key(post.event) in event_names)}
    posts |= {docname for docname, talks in domain.talks.items()
              if any(speaker.id in handles or speaker.handle in handles or name_key(speaker.name) in speaker_names
                     for talk in talks for speaker in talk.speakers)}
    return posts, events, speakers


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the archive pages that show a post whose record changed.

    Pages written from the store are marked for :mod:`.pages`; the index documents
    among them are given back to Sphinx, to be written again.
    """
    state = build_state(env)
    domain: ArchiveDomain = env.domains["archive"]
    before, state.before = state.before, {}
    pages: set[str] = set()
    settings = state.config
    for docname, (old_post, old_talks) in before.items():
        new_post, new_talks = domain.posts.get(docname), domain.talks.get(docname, [])
        # a post a data file's entry names shows the entry: its record may be the same, its pages are not
        if old_post == new_post and old_talks == new_talks and docname not in state.registry_posts:
            continue
        only_its_page = same_place(old_post, new_post)
        for post, talks in ((old_post, old_talks), (new_post, new_talks)):
            pages |= pages_showing(state, app.config.root_doc, domain, post, talks, only_its_page=only_its_page)
    # the entries' own pages, and the indexes that name them
    for slug in state.registry_events:
        count = len(state.read_view().grouped("event").get(slug, ()))
        pages |= numbered_docnames(settings, "event", slug, count) | {index_docname(settings, "events")}
    for key in state.registry_speakers:
        pages |= {archive_docname(settings, "speaker", key), index_docname(settings, "speakers")}
    if state.registry_changed:
        # lists of an event or a speaker named by a name the data files may have given or taken away
        pages |= {docname for docname, specs in domain.listings.items()
                  if any(spec.event or spec.speaker for spec in specs)}
    program, posts = program_pages(state, domain, set(before))
    pages |= program
    if pages or state.registry_changed:
        # pages that name speakers, events and talks with the archive's roles: their names may have changed
        pages |= domain.referring
    state.dirty_pages = {page for page in pages if page in state.pages}
    return sorted(page for page in pages | posts if page in env.all_docs and page not in before)


def program_pages(state: BuildState, domain: ArchiveDomain, reread: set[str]) -> tuple[set[str], set[str]]:
    """What a change of the programs, or of what covers them, writes again: (archive pages, posts).

    - A changed program file, or an event renamed in ``events.yaml``: its talks' pages,
      its event's page, the indexes, and the posts about the event.
    - A program talk whose speakers are other people now (a program file, ``speakers.yaml``,
      a card with a handle that names them): its page, its event's, and its speakers'
      pages, as they were and are.
    - A covered talk matched to another program talk, or in a post read again: the pages
      of the program talks it covered and covers, their events' and speakers' pages, and
      the post; and every post whose program talk changed (its line under the card).
    """
    settings = state.config
    view = state.read_view()
    pages: set[str] = set()
    posts: set[str] = set()
    events = (state.program.changed if state.program else set()) | state.registry_events
    old_ids, new_ids = state.program_speakers_before, domain.data.get("program_speakers", {})
    old_links, new_links = state.program_links_before, domain.data.get("program_links", {})
    if not (events or old_ids or new_ids):
        return pages, posts
    for event_id in events:
        pages |= {archive_docname(settings, "talk", talk.key) for talk in view.program_by_event.get(event_id, ())}
        pages |= {archive_docname(settings, "event", event_id), index_docname(settings, "events"),
                  index_docname(settings, "speakers")}
        posts |= {docname for docname, post in domain.posts.items() if post.event_slug == event_id}
    keys = {key for key in old_ids.keys() | new_ids.keys()
            if old_ids.get(key) != new_ids.get(key) or key.partition("/")[0] in events
            or state.registry_speakers & set(new_ids.get(key, ()))}
    for talk in old_links.keys() | new_links.keys():
        docname = talk.partition("#")[0]
        if old_links.get(talk) != new_links.get(talk) or docname in reread:
            keys |= {key for key in (old_links.get(talk), new_links.get(talk)) if key}
            posts.add(docname)
    for talk, key in (*old_links.items(), *new_links.items()):
        if key in keys:
            posts.add(talk.partition("#")[0])  # its line under the card names the talk
    for key in keys:
        event_id = key.partition("/")[0]
        pages |= {archive_docname(settings, "talk", key), archive_docname(settings, "event", event_id)}
        pages |= {archive_docname(settings, "speaker", speaker_id)
                  for speaker_id in {*old_ids.get(key, ()), *new_ids.get(key, ())}}
    if keys:
        pages.add(index_docname(settings, "speakers"))
    return pages, posts


def same_place(old: Post | None, new: Post | None) -> bool:
    """Whether a post stands where it stood in every list of posts: the same date (the order),
    the same event, tags and authors (the lists), and listed or hidden as before."""
    return old is not None and new is not None and \
        (old.date, old.draft, old.event_slug, old.tags, old.authors) == \
        (new.date, new.draft, new.event_slug, new.tags, new.authors)


def pages_showing(state: BuildState, root_doc: str, domain: ArchiveDomain, post: Post | None,
                  talks: list[Talk], only_its_page: bool = False) -> set[str]:
    """Every page whose content depends on ``post`` (as it was, or as it is).

    A post moves the posts after it from page to page of a paginated list, so every page
    of each list it is in depends on it; with ``only_its_page`` (its place is the same in
    every list, :func:`same_place`), only the page that shows it.
    """
    settings = state.config
    view = state.read_view()
    pages: set[str] = set()

    def page_of(listed: list[Post], docname_of) -> set[str] | None:
        if not only_its_page:
            return None
        index = next((number for number, other in enumerate(listed) if other.docname == post.docname), None)
        return None if index is None else {docname_of(index // settings.posts_per_page + 1)}

    for talk in talks:
        for speaker in talk.speakers:
            pages.add(archive_docname(settings, "speaker", speaker.id))
        pages.add(index_docname(settings, "speakers"))
    if post is None:
        return pages
    order = view.listed
    if settings.show_drafts or not (post.draft or is_future(post.date, view.now)):
        def listing(kind: str, key: str) -> set[str]:
            listed = view.grouped(kind).get(key, [])
            return page_of(listed, lambda number: archive_docname(settings, kind, key, number)) \
                or numbered_docnames(settings, kind, key, len(listed))

        if post.event_slug:
            # the event's first page shows every talk covered, with the post's title
            pages |= listing("event", post.event_slug) | {archive_docname(settings, "event", post.event_slug),
                                                          index_docname(settings, "events")}
        for tag in post.tags:
            pages |= listing("tag", tag_slug(tag))
        for author in post.authors:
            pages |= listing("author", slugify(author))
        if post.year:
            pages |= listing("year", post.year) | {index_docname(settings, "years")}
        pages |= {index_docname(settings, "tags"), index_docname(settings, "authors")}
        pages |= page_of(order, lambda number: pagination_docname(settings, root_doc, number)) \
            or {pagination_docname(settings, root_doc, number)
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
