"""The archive as readers see it: queries over the store, answered once a build.

After every document is read (``env-updated``), :class:`ArchiveView` looks at the
store's records and answers the questions every page, feed and search record asks:
which posts are listed and in what order, who each speaker is across their cards, how
each event and tag is named. Each answer is worked out the first time it is asked and
kept for the rest of the build; the store does not change after reading.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Set
from functools import cached_property
from typing import Any

from ..model import (
    Event,
    Post,
    RegistrySpeaker,
    Speaker,
    SpeakerEntry,
    Talk,
    is_future,
    sort_key,
)
from ..text.slugs import name_key, slugify, tag_slug, tally


class ArchiveView:
    """Queries over the archive's records (``ArchiveDomain.data``), for one build."""

    def __init__(self, data: dict[str, Any], show_drafts: bool, now: dt.datetime | None = None) -> None:
        self.data = data
        self.show_drafts = show_drafts
        #: the moment a post must be dated before to be listed: the start of the build
        self.now = now or dt.datetime.now(dt.timezone.utc)
        self.posts: dict[str, Post] = data.get("posts", {})
        self.talks: dict[str, list[Talk]] = data.get("talks", {})
        self.listings = data.get("listings", {})

    # --- posts -------------------------------------------------------------------------

    @cached_property
    def listed(self) -> list[Post]:
        """The posts listings and feeds show, newest first: drafts and future posts only if shown."""
        posts = [post for post in self.posts.values()
                 if self.show_drafts or not (post.draft or is_future(post.date, self.now))]
        return sorted(posts, key=sort_key, reverse=True)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {post.docname: number for number, post in enumerate(self.listed)}

    def position(self, docname: str) -> int | None:
        """Where a post stands in :attr:`listed`, or None when it is not listed."""
        return self._positions.get(docname)

    @cached_property
    def hidden(self) -> set[str]:
        """The posts no reader may find: drafts and future posts, unless the build shows them."""
        return set(self.posts) - set(self._positions)

    def grouped(self, kind: str) -> dict[str, list[Post]]:
        """Listed posts by event, tag, author or year slug, newest first."""
        return self._groups[kind]

    @cached_property
    def _groups(self) -> dict[str, dict[str, list[Post]]]:
        groups: dict[str, dict[str, list[Post]]] = {kind: defaultdict(list)
                                                    for kind in ("event", "tag", "author", "year")}
        for post in self.listed:
            if post.event_slug:
                groups["event"][post.event_slug].append(post)
            if post.year:
                groups["year"][post.year].append(post)
            for slug in dict.fromkeys(tag_slug(tag) for tag in post.tags):
                groups["tag"][slug].append(post)
            for slug in dict.fromkeys(slugify(author) for author in post.authors):
                groups["author"][slug].append(post)
        return {kind: dict(group) for kind, group in groups.items()}

    def iter_talks(self) -> Iterator[Talk]:
        for docname in sorted(self.talks):
            yield from self.talks[docname]

    # --- events and tags ---------------------------------------------------------------

    def event(self, slug: str) -> Event:
        """The event with this slug: described in events.yaml, or named by a post."""
        described = self.data.get("events", {}).get(slug)
        if described:
            return described
        names = self._post_event_names.get(slug)
        name = min(names, key=lambda n: (-names[n], n)) if names else slug
        return Event(slug=slug, name=name, described=False)

    @cached_property
    def _post_event_names(self) -> dict[str, Counter]:
        """How the listed posts name each event, by slug: a draft renames nothing."""
        names: dict[str, Counter] = defaultdict(Counter)
        for post in self.listed:
            if post.event_slug and post.event:
                names[post.event_slug][post.event] += 1
        return names

    @cached_property
    def event_slugs(self) -> set[str]:
        """The events of listed posts."""
        return {post.event_slug for post in self.listed if post.event_slug}

    @cached_property
    def tag_names(self) -> dict[str, str]:
        """The name of each tag the listed posts have, by slug: the spelling most of them use."""
        return tally((post.tags for post in self.listed), tag_slug)[1]

    # --- speakers ----------------------------------------------------------------------

    @cached_property
    def speakers(self) -> dict[str, SpeakerEntry]:
        """Every speaker, by id, with their talks newest first and one canonical name.

        Drafts and future posts count: their cards are checked like any other. What
        readers see comes from :attr:`shown_speakers`.
        """
        return self._make_speakers(None)

    @cached_property
    def shown_speakers(self) -> dict[str, SpeakerEntry]:
        """The speakers of the talks in listed posts only: drafts and future posts name nobody."""
        listed = set(self._positions)
        if all(docname in listed for docname, talks in self.talks.items() if talks):
            return self.speakers  # no draft has a talk: the same people, made once for both
        return self._make_speakers(listed)

    def _make_speakers(self, docnames: Set[str] | None) -> dict[str, SpeakerEntry]:
        registry: dict[str, RegistrySpeaker] = self.data.get("registry", {})
        names: dict[str, Counter] = defaultdict(Counter)
        talks: dict[str, list[Talk]] = defaultdict(list)
        details: dict[str, Speaker] = {}
        for talk in self.iter_talks():
            if docnames is not None and talk.docname not in docnames:
                continue
            for speaker in talk.speakers:
                names[speaker.id][speaker.name] += 1
                talks[speaker.id].append(talk)
                richer = details.get(speaker.id)
                if richer is None or _richness(speaker) > _richness(richer):
                    details[speaker.id] = speaker
        entries = {}
        for speaker_id, counts in names.items():
            listed = registry.get(speaker_id)
            canonical = listed.name if listed else min(counts, key=lambda n: (-counts[n], n))
            ordered = sorted(talks[speaker_id], key=self._talk_date, reverse=True)
            entries[speaker_id] = SpeakerEntry(speaker_id, canonical, tuple(sorted(counts)), ordered,
                                               details[speaker_id], listed, canonical)
        for namesakes in namesakes_of(entries).values():
            for entry in namesakes:
                entry.label = f"{entry.name} ({distinction(entry)})"
        return entries

    def _talk_date(self, talk: Talk) -> tuple[str, str, int]:
        post = self.posts.get(talk.docname)
        return ((post.date or "") if post else "", talk.docname, -(talk.line or 0))


def namesakes_of(entries: dict[str, SpeakerEntry]) -> dict[str, list[SpeakerEntry]]:
    """Speakers who share a name (case, accents and spacing aside), by that name; two or more each."""
    groups: dict[str, list[SpeakerEntry]] = defaultdict(list)
    for entry in entries.values():
        groups[name_key(entry.name)].append(entry)
    return {key: group for key, group in groups.items() if len(group) > 1}


def known_names(entry: SpeakerEntry, names: Counter) -> set[str]:
    """The names a speaker is known by: the registry's, else the spellings most of their cards share.

    Card names are grouped by the words they share (``Katherine Oduya`` and ``Kathy
    Oduya`` are one group); the group with the most cards (ties: the one holding the
    name shown) is the person's.
    """
    if entry.registry:
        return {entry.registry.name, *entry.registry.aliases}
    groups: list[set[str]] = []
    for name in names:
        joined = [group for group in groups if shares_a_word(name, group)]
        merged = {name}.union(*joined)
        groups = [group for group in groups if group not in joined] + [merged]
    return max(groups, key=lambda group: (sum(names[name] for name in group), entry.name in group))


def shares_a_word(name: str, others: Iterable[str]) -> bool:
    words = set(name_key(name).split())
    return any(words & set(name_key(other).split()) for other in others)


def handle_of(entry: SpeakerEntry) -> str | None:
    return (entry.details.handle if entry.details else None) or (entry.registry.twitter if entry.registry else None)


def distinction(entry: SpeakerEntry) -> str:
    """What tells a speaker from their namesakes: their handle, else their id in the archive."""
    handle = handle_of(entry)
    return f"@{handle}" if handle else entry.id


def _richness(speaker: Speaker) -> int:
    return len(speaker.links) + bool(speaker.role) + bool(speaker.affiliation) + bool(speaker.avatar)
