"""The archive's records: posts, talks, speakers, events. Pure dataclasses, no Sphinx import.

Every layer speaks of the same things with these: the reading hooks make them from
documents, the data files from ``events.yaml`` and ``speakers.yaml``, the store keeps
them by docname, and pages, feeds and search records are written from them. A record is
frozen, and compares by what it says, not by where it was read (its line numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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
    #: the program talk the section covers, as its card's ``:talk:`` option names it
    #: (``event/talk``); ``"none"`` when the card says it covers no program talk
    program: str | None = None


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
    #: the same text in blocks that keep its structure: ``("paragraph" | "item" | "heading", text)``
    excerpt_blocks: tuple[tuple[str, str], ...] = ()
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
    #: the talks the official programs give them, newest first
    program_talks: list[ProgramTalk] = field(default_factory=list)


def sort_key(post: Post) -> tuple[str, str]:
    """Newest first when sorted in reverse; undated posts last, ties by docname."""
    return (post.date or "", post.docname)


@dataclass(frozen=True)
class Event:
    """A conference event."""

    slug: str
    name: str
    start: str | None = None
    end: str | None = None
    location: str | None = None
    website: str | None = None
    logo: str | None = None
    aliases: tuple[str, ...] = ()
    #: whether events.yaml describes it (otherwise it has a page from its name only)
    described: bool = True
    #: the lines of the entry and of its logo in events.yaml; not part of its value
    line: int | None = field(default=None, compare=False, repr=False)
    logo_line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RegistrySpeaker:
    """A speaker as the registry describes them."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    twitter: str | None = None
    affiliation: str | None = None
    role: str | None = None
    avatar: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    #: the program's ids for the person, each ``event/person`` (see program files)
    program_ids: tuple[str, ...] = ()
    #: the lines of the entry and of its avatar in speakers.yaml; not part of its value
    line: int | None = field(default=None, compare=False, repr=False)
    avatar_line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProgramPerson:
    """A person as a program names them: the program's id for them, and their name."""

    #: the program's id for the person (a pretalx code, a frab id, or the name's slug)
    id: str
    name: str
    #: the Twitter/X handle, lower-cased, where the program gives one
    handle: str | None = None


@dataclass(frozen=True)
class ProgramTalk:
    """A talk as the official program describes it: one entry of a program file."""

    #: the event's id (the program file's name) and the talk's id in it
    event: str
    id: str
    title: str
    speakers: tuple[ProgramPerson, ...] = ()
    #: the day (``2022-07-15``), the local start time (``10:30``), the length in minutes
    date: str | None = None
    start: str | None = None
    duration: int | None = None
    room: str | None = None
    track: str | None = None
    #: plain text; paragraphs are separated by blank lines
    abstract: str = ""
    video: str | None = None
    slides: str | None = None
    #: further links: ``(label, url)``
    links: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    #: the line of the talk's entry in its program file; not part of its value
    line: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """What a speaker card's ``:talk:`` option names: ``event/talk``."""
        return f"{self.event}/{self.id}"

    @property
    def year(self) -> str | None:
        return year_of(self.date)


@dataclass(frozen=True)
class ProgramEvent:
    """An event's official program, as one program file describes it."""

    #: the event's id: the program file's name, the same as in ``events.yaml``
    id: str
    name: str
    start: str | None = None
    end: str | None = None
    location: str | None = None
    website: str | None = None
    rooms: tuple[str, ...] = ()
    talks: tuple[ProgramTalk, ...] = ()
    #: where it was imported from (``pyvideo``, ``schedule``), and under what license
    source: str | None = None
    license: str | None = None


def year_of(date: str | None) -> str | None:
    return date[:4] if date else None


def is_future(date: str | None, now: dt.datetime | None = None) -> bool:
    """Whether a post's ISO date lies after ``now`` (the start of the build).

    A date alone is in the future from the day after it; a date with a time from the
    moment after it, read as UTC when it names no zone (as the feeds read it).
    """
    if not date:
        return False
    now = now or dt.datetime.now(dt.timezone.utc)
    if len(date) <= 10:
        return date > now.astimezone().date().isoformat()
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        return date[:10] > now.astimezone().date().isoformat()
    return (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)) > now


def event_dates(event: Event) -> str:
    """``2017-12-06 to 2017-12-08``, or one date, or nothing."""
    if event.start and event.end and event.end != event.start:
        return f"{event.start} to {event.end}"
    return event.start or ""
