"""The archive's store: one data-only Domain keyed by docname.

Everything the archive knows about posts, talks and listings lives in
``ArchiveDomain.data``, keyed by the docname it was read from, so purging a document and
merging the results of parallel readers are one line each. The events and speakers
described in the data files are loaded once per build, before reading.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains import Domain
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .identity import (Event, Identities, RegistrySpeaker, is_future, name_key, tag_slug,
                       tally, year_of)
from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


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
    #: the person's identity in the archive: the handle, a registry id, or the name's slug
    id: str = ""
    #: the line of the card in its post; not part of the record's value
    line: int | None = field(default=None, compare=False)


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
    #: the slug of the event's page
    event_slug: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    #: plain text before the read-more marker, else the first paragraph
    excerpt: str = ""
    draft: bool = False
    #: the line of the front matter's ``tags``; not part of the record's value
    tags_line: int | None = field(default=None, compare=False)

    @property
    def year(self) -> str | None:
        return year_of(self.date)


@dataclass(frozen=True)
class ListingSpec:
    """What a ``postlist`` directive on a page lists."""

    event: str | None = None
    tag: str | None = None
    speaker: str | None = None
    author: str | None = None
    year: str | None = None
    limit: int | None = None
    paginate: bool = False
    line: int | None = None


@dataclass
class SpeakerEntry:
    """One person across the archive: every card that names them, merged."""

    id: str
    name: str
    names: tuple[str, ...]
    talks: list[Talk] = field(default_factory=list)
    details: Speaker | None = None
    registry: RegistrySpeaker | None = None
    #: the name as lists show it: with the handle (or id) added when another speaker has the name
    label: str = ""


#: the folding rule, as warnings state it
TAG_RULE = ("tags that differ only in case, in Unicode form, or in the spaces, hyphens and underscores "
            "between words are one tag")


def sort_key(post: Post) -> tuple[str, str]:
    """Newest first when sorted in reverse; undated posts last, ties by docname."""
    return (post.date or "", post.docname)


class ArchiveDomain(Domain):
    """Data-only domain holding the archive's posts, talks and listings."""

    name = "archive"
    label = "Conference archive"
    initial_data: dict[str, Any] = {"posts": {}, "talks": {}, "listings": {}, "events": {}, "registry": {}}
    #: bump when the shape of the stored records changes
    data_version = 5
    roles = {
        "speaker": XRefRole(innernodeclass=nodes.inline),
        "event": XRefRole(innernodeclass=nodes.inline),
        "talk": XRefRole(innernodeclass=nodes.inline),
    }

    # --- the store ---------------------------------------------------------------------

    @property
    def posts(self) -> dict[str, Post]:
        return self.data.setdefault("posts", {})

    @property
    def talks(self) -> dict[str, list[Talk]]:
        return self.data.setdefault("talks", {})

    @property
    def listings(self) -> dict[str, list[ListingSpec]]:
        return self.data.setdefault("listings", {})

    def note_post(self, post: Post) -> None:
        self.posts[post.docname] = post
        self.forget_derived()

    def note_talks(self, docname: str, talks: Iterable[Talk]) -> None:
        talks = list(talks)
        self.forget_derived()
        if talks:
            self.talks[docname] = talks
        else:
            self.talks.pop(docname, None)

    def note_listing(self, docname: str, spec: ListingSpec) -> None:
        self.listings.setdefault(docname, []).append(spec)

    def note_placeholder(self, docname: str) -> None:
        """``docname`` holds a list to fill in once every post is read."""
        self.data.setdefault("placeholders", {})[docname] = True

    def has_placeholders(self, docname: str) -> bool:
        return docname in self.data.get("placeholders", {})

    def clear_doc(self, docname: str) -> None:
        self.forget_derived()
        for key in ("posts", "talks", "listings", "placeholders"):
            self.data.setdefault(key, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.forget_derived()
        for key in ("posts", "talks", "listings", "placeholders"):
            mine = self.data.setdefault(key, {})
            mine.update((docname, value) for docname, value in otherdata.get(key, {}).items()
                        if docname in docnames)

    # --- identities ----------------------------------------------------------------------

    def set_identities(self, events: dict[str, Event], registry: dict[str, RegistrySpeaker]) -> None:
        self.data["events"] = events
        self.data["registry"] = registry
        self._identities = None
        self.forget_derived()

    def identities(self) -> Identities:
        """Resolves event and speaker names; derived from the data files, rebuilt when they change."""
        if getattr(self, "_identities", None) is None:
            self._identities = Identities(self.data.get("events", {}), self.data.get("registry", {}))
        return self._identities

    # --- queries -------------------------------------------------------------------------

    def derived(self, key: Any, make):
        """A value derived from the store, kept until the store changes."""
        cache = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def forget_derived(self) -> None:
        """Called by every change to the store."""
        self.__dict__.pop("_derived", None)

    def listed_posts(self, show_drafts: bool = False) -> list[Post]:
        """Posts that appear in listings and feeds, newest first."""
        def make() -> list[Post]:
            posts = [post for post in self.posts.values()
                     if show_drafts or not (post.draft or is_future(post.date))]
            return sorted(posts, key=sort_key, reverse=True)
        return self.derived(("listed", show_drafts), make)

    def position(self, docname: str, show_drafts: bool = False) -> int | None:
        """Where a post stands in :meth:`listed_posts`, or None when it is not listed."""
        def make() -> dict[str, int]:
            return {post.docname: number for number, post in enumerate(self.listed_posts(show_drafts))}
        return self.derived(("position", show_drafts), make).get(docname)

    def iter_talks(self) -> Iterator[Talk]:
        for docname in sorted(self.talks):
            yield from self.talks[docname]

    def event(self, slug: str) -> Event:
        """The event with this slug: described in events.yaml, or named by a post."""
        described = self.data.get("events", {}).get(slug)
        if described:
            return described
        names = self.derived("post-event-names", self._post_event_names).get(slug)
        name = min(names, key=lambda n: (-names[n], n)) if names else slug
        return Event(slug=slug, name=name, described=False)

    def _post_event_names(self) -> dict[str, Counter]:
        """How the posts name each event, by slug."""
        names: dict[str, Counter] = defaultdict(Counter)
        for post in self.posts.values():
            if post.event_slug and post.event:
                names[post.event_slug][post.event] += 1
        return names

    def tag_names(self, show_drafts: bool = False) -> dict[str, str]:
        """The name of each tag the listed posts have, by slug: the spelling most of them use."""
        def make() -> dict[str, str]:
            return tally((post.tags for post in self.listed_posts(show_drafts)), tag_slug)[1]
        return self.derived(("tag-names", show_drafts), make)

    def event_slugs(self) -> set[str]:
        return {post.event_slug for post in self.posts.values() if post.event_slug}

    def speakers(self) -> dict[str, SpeakerEntry]:
        """Every speaker, by id, with their talks newest first and one canonical name.

        Drafts and future posts count: their cards are checked like any other. What
        readers see comes from :meth:`shown_speakers`.
        """
        return self.derived("speakers", lambda: self._make_speakers(None))

    def shown_speakers(self, show_drafts: bool = False) -> dict[str, SpeakerEntry]:
        """The speakers of the talks in listed posts only: drafts and future posts name nobody."""
        def make() -> dict[str, SpeakerEntry]:
            return self._make_speakers({post.docname for post in self.listed_posts(show_drafts)})
        return self.derived(("shown-speakers", show_drafts), make)

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
            ordered = sorted(talks[speaker_id], key=lambda t: self._talk_date(t), reverse=True)
            entries[speaker_id] = SpeakerEntry(speaker_id, canonical, tuple(sorted(counts)), ordered,
                                               details[speaker_id], listed, canonical)
        for namesakes in _namesakes(entries).values():
            for entry in namesakes:
                entry.label = f"{entry.name} ({_distinction(entry)})"
        return entries

    # --- consistency ---------------------------------------------------------------------

    def check_consistency(self) -> None:
        """After reading: warn where tags fold together, where cards make two people one,
        or one name two people."""
        self._check_tags()
        entries = self.speakers()
        for entry in sorted(entries.values(), key=lambda e: e.id):
            if not _handle_of(entry):
                continue  # without a handle, only names that read alike are one person
            cards = list(self._cards(entry))
            known = _known_names(entry, Counter(speaker.name for _, speaker in cards))
            for docname, speaker in cards:
                if _shares_a_word(speaker.name, known):
                    continue
                logger.warning("speaker card %r has the handle @%s of %s, whose names share no word with it; "
                               "all are shown as %r: check the handle", speaker.name, _handle_of(entry),
                               " and ".join(map(repr, sorted(known))), entry.name,
                               location=(docname, speaker.line), **warning_kwargs(ArchiveWarning.IDENTITY))
        for namesakes in _namesakes(entries).values():
            # reported at the first card of the namesake that comes last in the archive
            latest = max(namesakes, key=lambda e: min(self._card_places(e)))
            docname, line = min(self._card_places(latest))
            labels = ", ".join(repr(e.label) for e in sorted(namesakes, key=lambda e: e.label))
            logger.warning("%d speakers are named %r; each has a page of their own, listed as %s "
                           "(if they are one person, give their cards one handle)",
                           len(namesakes), latest.name, labels, location=(docname, line or None),
                           **warning_kwargs(ArchiveWarning.IDENTITY))

    def _check_tags(self) -> None:
        """Each post whose spelling of a tag is not the one its page shows, with the tags line."""
        posts = sorted(self.posts.values(), key=lambda post: post.docname)
        _, names = tally((post.tags for post in posts), tag_slug)
        for post in posts:
            for tag in post.tags:
                shown = names[tag_slug(tag)]
                if tag != shown:
                    logger.warning("tag %r is the tag %r of other posts, as its page shows it: %s", tag, shown,
                                   TAG_RULE, location=(post.docname, post.tags_line),
                                   **warning_kwargs(ArchiveWarning.TAG))

    def _cards(self, entry: SpeakerEntry) -> Iterator[tuple[str, Speaker]]:
        """(docname, card) of every card that names ``entry``'s person."""
        for talk in entry.talks:
            for speaker in talk.speakers:
                if speaker.id == entry.id:
                    yield talk.docname, speaker

    def _card_places(self, entry: SpeakerEntry) -> list[tuple[str, int]]:
        return [(docname, speaker.line or 0) for docname, speaker in self._cards(entry)]

    def _talk_date(self, talk: Talk) -> tuple[str, str, int]:
        post = self.posts.get(talk.docname)
        return ((post.date or "") if post else "", talk.docname, -(talk.line or 0))

    # --- cross-references ----------------------------------------------------------------

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
                     target: str, node: nodes.Element, contnode: nodes.Element) -> nodes.Element | None:
        from .archive import archive_docname, page_exists  # the archive's page layout

        found = self._find(env, typ, target)
        if isinstance(found, Ambiguous):
            logger.warning("%s reference %r is ambiguous: it names %s; write the handle or id instead",
                           typ, target, found.describe(), location=node,
                           **warning_kwargs(ArchiveWarning.REFERENCE))
            return None
        if found is None and node.get("confarchive_quiet"):
            return None  # a card's name: its page may list no talk; the name stays as text
        if found is None:
            logger.warning("%s reference target not found in the archive: %r", typ, target,
                           location=node, **warning_kwargs(ArchiveWarning.REFERENCE))
            return None
        docname, anchor, title = found
        if typ in ("speaker", "event"):
            docname = archive_docname(env.config, typ, docname)
            if not page_exists(env, docname):
                return None
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def _find(self, env: BuildEnvironment, typ: str, target: str) -> tuple[str, str, str] | Ambiguous | None:
        target = target.strip()
        if typ == "speaker":
            speakers = self.speakers()
            entry = speakers.get(target.lower().lstrip("@")) or speakers.get(
                self.identities().speaker_id(target, _handle(target)))
            if entry is None:
                wanted = name_key(target)
                named = sorted((e for e in speakers.values() if wanted in map(name_key, e.names)),
                               key=lambda e: e.id)
                if len(named) > 1:
                    return Ambiguous(tuple(e.label for e in named))
                entry = named[0] if named else None
            return (entry.id, "", entry.name) if entry else None
        if typ == "event":
            slug = self.identities().event_slug(target)
            return (slug, "", self.event(slug).name) if slug in self.event_slugs() else None
        if typ == "talk":
            docname, _, anchor = target.partition("#")
            docname = docname.removesuffix(".md").strip("/")
            for talk in self.talks.get(docname, []):
                if talk.anchor == anchor or (not anchor and not talk.anchor):
                    return talk.docname, talk.anchor, talk.title
            return None
        return None

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # noqa: D102
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The talks of listed posts, for ``objects.inv``: a draft's talks are not announced."""
        listed = {post.docname for post in self.listed_posts(self.env.config.confarchive_show_drafts)}
        for talk in self.iter_talks():
            if talk.docname not in listed:
                continue
            yield (f"{talk.docname}#{talk.anchor}", talk.title, "talk", talk.docname, talk.anchor, 1)


@dataclass(frozen=True)
class Ambiguous:
    """A reference that names more than one thing: the labels of what it names."""

    labels: tuple[str, ...]

    def describe(self) -> str:
        return " and ".join(repr(label) for label in self.labels)


def _namesakes(entries: dict[str, SpeakerEntry]) -> dict[str, list[SpeakerEntry]]:
    """Speakers who share a name (case, accents and spacing aside), by that name; two or more each."""
    groups: dict[str, list[SpeakerEntry]] = defaultdict(list)
    for entry in entries.values():
        groups[name_key(entry.name)].append(entry)
    return {key: group for key, group in groups.items() if len(group) > 1}


def _known_names(entry: SpeakerEntry, names: Counter) -> set[str]:
    """The names a speaker is known by: the registry's, else the spellings most of their cards share.

    Card names are grouped by the words they share (``Katherine Oduya`` and ``Kathy
    Oduya`` are one group); the group with the most cards (ties: the one holding the
    name shown) is the person's.
    """
    if entry.registry:
        return {entry.registry.name, *entry.registry.aliases}
    groups: list[set[str]] = []
    for name in names:
        joined = [group for group in groups if _shares_a_word(name, group)]
        merged = {name}.union(*joined)
        groups = [group for group in groups if group not in joined] + [merged]
    return max(groups, key=lambda group: (sum(names[name] for name in group), entry.name in group))


def _shares_a_word(name: str, others: Iterable[str]) -> bool:
    words = set(name_key(name).split())
    return any(words & set(name_key(other).split()) for other in others)


def _handle_of(entry: SpeakerEntry) -> str | None:
    return (entry.details.handle if entry.details else None) or (entry.registry.twitter if entry.registry else None)


def _distinction(entry: SpeakerEntry) -> str:
    """What tells a speaker from their namesakes: their handle, else their id in the archive."""
    handle = _handle_of(entry)
    return f"@{handle}" if handle else entry.id


def _handle(target: str) -> str | None:
    from .identity import twitter_handle

    return twitter_handle(target) if target.startswith("@") else None


def _richness(speaker: Speaker) -> int:
    return len(speaker.links) + bool(speaker.role) + bool(speaker.affiliation) + bool(speaker.avatar)
