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
    ProgramEvent,
    ProgramTalk,
    RegistrySpeaker,
    Speaker,
    SpeakerEntry,
    Talk,
    is_future,
    sort_key,
)
from ..text.registry import Registry
from ..text.slugs import name_key, slugify, tag_slug, tally
from .program import Coverage, match_coverage, schedule_order


class ArchiveView:
    """Queries over the archive's records (``ArchiveDomain.data``), for one build."""

    def __init__(self, data: dict[str, Any], show_drafts: bool, now: dt.datetime | None = None,
                 program: dict[str, ProgramEvent] | None = None, registry: Registry | None = None,
                 talk_matching: bool = True) -> None:
        self.data = data
        #: the official programs, by event id, and whether covered talks are matched to them by proposal
        self.program: dict[str, ProgramEvent] = program or {}
        self.registry = registry or Registry()
        self.talk_matching = talk_matching
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

    # --- the official program ----------------------------------------------------------

    @cached_property
    def program_talks(self) -> dict[str, ProgramTalk]:
        """Every talk of the programs, by key (``event/talk``)."""
        return {talk.key: talk for event in self.program.values() for talk in event.talks}

    @cached_property
    def program_by_event(self) -> dict[str, list[ProgramTalk]]:
        """Each event's program talks, as its schedule runs."""
        return {event_id: schedule_order(event) for event_id, event in self.program.items()}

    @cached_property
    def program_speaker_ids(self) -> dict[str, tuple[str, ...]]:
        """The archive's id of each speaker of each program talk, by the talk's key.

        A person is who ``speakers.yaml`` says (by the program's id for them, their handle,
        name or alias); else the one speaker of the posts' cards with their name, when
        there is exactly one (a card with a handle); else their name.
        """
        card_ids: dict[str, set[str]] = defaultdict(set)
        for talk in self.iter_talks():
            if talk.docname in self.hidden:
                continue  # a draft's card names nobody on a published page
            for speaker in talk.speakers:
                if name_key(speaker.name):
                    card_ids[name_key(speaker.name)].add(speaker.id)
        ids: dict[str, tuple[str, ...]] = {}
        for talk in self.program_talks.values():
            found = []
            for person in talk.speakers:
                speaker_id = self.registry.person_id(talk.event, person)
                same_name = card_ids.get(name_key(person.name), ())
                if speaker_id not in self.registry.speakers and speaker_id not in same_name and len(same_name) == 1:
                    speaker_id = next(iter(same_name))
                found.append(speaker_id)
            ids[talk.key] = tuple(found)
        return ids

    @cached_property
    def coverage(self) -> Coverage:
        """Which program talk each talk covered in a post is (drafts' talks included)."""
        return match_coverage(self.posts, self.iter_talks(), self.program_talks, self.program_by_event,
                              self.program_speaker_ids, self.talk_matching)

    def program_talk_of(self, talk: Talk) -> ProgramTalk | None:
        """The program talk a talk covered in a post covers."""
        key = self.coverage.program_of.get((talk.docname, talk.anchor))
        return self.program_talks.get(key) if key else None

    def coverage_of(self, key: str) -> list[Talk]:
        """The talks of listed posts that cover a program talk, newest first."""
        talks = [talk for talk in self.coverage.covered_by.get(key, ()) if talk.docname not in self.hidden]
        return sorted(talks, key=self._talk_date, reverse=True)

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
        # the program's talks: the people of the programs are speakers as the cards' people are
        program_talks: dict[str, list[ProgramTalk]] = defaultdict(list)
        program_names: dict[str, Counter] = defaultdict(Counter)
        for key, ids in self.program_speaker_ids.items():
            talk = self.program_talks[key]
            for speaker_id, person in zip(ids, talk.speakers):
                program_talks[speaker_id].append(talk)
                program_names[speaker_id][person.name] += 1
        entries = {}
        for speaker_id in sorted(names.keys() | program_names.keys()):
            counts = names.get(speaker_id) or program_names[speaker_id]
            listed = registry.get(speaker_id)
            canonical = listed.name if listed else min(counts, key=lambda n: (-counts[n], n))
            ordered = sorted(talks.get(speaker_id, ()), key=self._talk_date, reverse=True)
            given = sorted(program_talks.get(speaker_id, ()), key=_program_date, reverse=True)
            spellings = set(counts) | set(program_names.get(speaker_id, ()))
            entries[speaker_id] = SpeakerEntry(speaker_id, canonical, tuple(sorted(spellings)), ordered,
                                               details.get(speaker_id), listed, canonical, given)
        for namesakes in namesakes_of(entries).values():
            for entry in namesakes:
                entry.label = f"{entry.name} ({distinction(entry)})"
        return entries

    def _talk_date(self, talk: Talk) -> tuple[str, str, int]:
        post = self.posts.get(talk.docname)
        return ((post.date or "") if post else "", talk.docname, -(talk.line or 0))


def _program_date(talk: ProgramTalk) -> tuple[str, str, str]:
    return (talk.date or "", talk.start or "", talk.key)


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
