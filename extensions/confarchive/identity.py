"""Who and what the archive is about: slugs, events, speakers. Pure, no Sphinx import.

Events and speakers can be described once in YAML data files in the source folder
(``events.yaml``, ``speakers.yaml``); posts point at them. Reading a data file never
raises: each problem comes back with its line.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


from .datafiles import Entry, read_data_file
from .frontmatter import Problem, parse_date
from .links import LINK_KINDS, RefusedLink, checked_url
from .warning_types import ArchiveWarning

_TWITTER_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com)/@?([A-Za-z0-9_]{1,15})/?$")
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")
_SLUG_SPECIAL = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}


def slugify(text: str) -> str:
    """A URL-safe name: ``"KubeCon + CloudNativeCon 2017"`` -> ``kubecon-plus-cloudnativecon-2017``."""
    return _slugify(str(text))


@functools.lru_cache(maxsize=65536)
def _slugify(text: str) -> str:
    # archive pages slugify the same tags and names over and over
    text = "".join(_SLUG_SPECIAL.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "untitled"


#: a tag made of plain words: lower-case letters and digits, one space between words
_PLAIN_TAG = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
#: what separates words in a tag and means nothing more: spaces, hyphens, underscores
_TAG_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015]+")


def tag_key(tag: str) -> str:
    """How two spellings of a tag are compared: they are one tag when their keys are equal.

    Unicode-normalised (NFKC: ``ﬁ`` is ``fi``, a composed ``ó`` is a decomposed one),
    case-folded (``Go``, ``go`` and ``GO`` are one tag), and with runs of spaces,
    hyphens and underscores read as one space (``cloud native``, ``cloud-native``).
    Every other character is kept: ``Go!``, ``gó``, ``C++`` and ``C#`` are tags of their
    own, distinct from ``go`` and ``c``.
    """
    text = unicodedata.normalize("NFKC", str(tag)).casefold()
    return " ".join(_TAG_SEPARATORS.sub(" ", text).split())


def tag_slug(tag: str) -> str:
    """The name of a tag's page: distinct for every distinct :func:`tag_key`, the same for every spelling.

    A tag of plain words keeps them, joined by hyphens (``Cloud Native`` ->
    ``cloud-native``). Any other tag gets a readable ASCII form and a fingerprint of its
    key after a double hyphen, which no plain tag has: ``C++`` -> ``c-plus-plus--<8 hex>``,
    an emoji -> ``tag--<8 hex>``. So ``Go!`` and ``gó`` never share ``go``'s page. A
    plain tag longer than 80 characters is shortened the same way.
    """
    return _tag_slug(tag_key(tag))


@functools.lru_cache(maxsize=65536)
def _tag_slug(key: str) -> str:
    # archive pages make the slugs of the same tags over and over
    if len(key) <= 80 and _PLAIN_TAG.fullmatch(key):
        return key.replace(" ", "-")
    readable = _slugify(key)
    readable = "tag" if readable == "untitled" else readable[:60].strip("-")
    return f"{readable}--{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def tally(groups: Iterable[Iterable[str]], slug_of: Callable[[str], str]) -> tuple[Counter, dict[str, str]]:
    """How many groups (posts) hold each slug, each counted once, and each slug's name.

    The name is the spelling most groups use (ties: the first in code point order).
    """
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for group in groups:
        seen: dict[str, str] = {}
        for value in group:
            seen.setdefault(slug_of(value), value)
        for slug, value in seen.items():
            counts[slug] += 1
            spellings[slug][value] += 1
    return counts, {slug: most_common(names) for slug, names in spellings.items()}


def most_common(names: Counter) -> str:
    """The name counted most often; ties go to the first in code point order."""
    return min(names, key=lambda name: (-names[name], name))


def name_key(name: str) -> str:
    """How two spellings of one name are compared: case, accents and spacing aside."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def twitter_handle(value: str | None) -> str | None:
    """The lower-cased Twitter/X handle in a handle or profile URL, else None."""
    if not value:
        return None
    value = value.strip()
    match = _TWITTER_URL.match(value) or _HANDLE.match(value)
    return match.group(1).lower() if match else None


# --- events ------------------------------------------------------------------------


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
    #: the lines of the entry and of its avatar in speakers.yaml; not part of its value
    line: int | None = field(default=None, compare=False, repr=False)
    avatar_line: int | None = field(default=None, compare=False, repr=False)


class _Fields:
    """Reads the fields of one data file entry, each problem at the line of its field."""

    def __init__(self, filename: str, what: str, entry: Entry, known: tuple[str, ...],
                 problems: list[Problem]) -> None:
        self.filename = filename
        self.what = what
        self.entry = entry
        self.problems = problems
        for name in entry.fields:
            if name not in known:
                self.report(name, ArchiveWarning.DATA_FILE,
                            f"unknown field {name!r} is ignored (the fields are {', '.join(known)})")

    def report(self, name: str, subtype: ArchiveWarning, message: str) -> None:
        self.problems.append(Problem(self.entry.line_of(name), subtype,
                                     f"{self.filename}: {self.what} {self.entry.key!r}: {message}"))

    def text(self, name: str) -> str | None:
        """A field of one piece of text (a number or a date reads as its text)."""
        value = self.entry.fields.get(name)
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            self.report(name, ArchiveWarning.DATA_FILE, f"{name!r} must be text, not {value!r}; it is left out")
            return None
        return " ".join(str(value).split()) or None

    def names(self, name: str) -> tuple[str, ...]:
        """A field of one name or a list of names."""
        value = self.entry.fields.get(name)
        if value is None:
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value),)
        if isinstance(value, list):
            kept = tuple(str(item) for item in value if isinstance(item, (str, int)) and not isinstance(item, bool))
            if len(kept) != len(value):
                self.report(name, ArchiveWarning.DATA_FILE, f"{name!r}: only names are kept, not "
                            f"{', '.join(repr(item) for item in value if str(item) not in kept)}")
            return kept
        self.report(name, ArchiveWarning.DATA_FILE, f"{name!r} must be a name or a list of names; it is left out")
        return ()

    def link(self, name: str, check) -> str | None:
        """A field naming a link, kept only when ``check`` accepts it."""
        value = self.text(name)
        if value is None:
            return None
        try:
            check(value)
        except RefusedLink as refused:
            self.report(name, ArchiveWarning.LINK, f"{name} refused: {refused}")
            return None
        return value


EVENT_FIELDS = ("name", "start", "end", "location", "website", "logo", "aliases")
SPEAKER_FIELDS = ("name", "aliases", "twitter", "mastodon", "bluesky", "github", "website", "affiliation", "role",
                  "avatar")


def read_events(path: Path) -> tuple[dict[str, Event], list[Problem]]:
    """Events described in ``events.yaml``: every entry that can be read, each problem at its line."""
    data = read_data_file(path)
    problems = list(data.problems)
    events: dict[str, Event] = {}
    keys: dict[str, str] = {}
    for key, entry in data.entries.items():
        fields = _Fields(path.name, "event", entry, EVENT_FIELDS, problems)
        slug = slugify(key)
        if slug in events:
            fields.report("", ArchiveWarning.DATA_FILE,
                          f"the id names the page {slug!r} of {keys[slug]!r} (line {events[slug].line}); "
                          "the first is kept")
            continue
        dates: dict[str, str | None] = {}
        for name in ("start", "end"):
            if entry.fields.get(name) is None:
                dates[name] = None
                continue
            when, problem = parse_date(entry.fields[name])
            if problem:
                fields.report(name, ArchiveWarning.EVENT, f"{name} {problem}")
            dates[name] = when.date().isoformat() if when else None
        if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            fields.report("end", ArchiveWarning.EVENT,
                          f"it ends ({dates['end']}) before it starts ({dates['start']}); the end date is dropped")
            dates["end"] = None
        keys[slug] = key
        events[slug] = Event(
            slug=slug,
            name=fields.text("name") or key,
            start=dates["start"],
            end=dates["end"],
            location=fields.text("location"),
            website=fields.link("website", lambda value: LINK_KINDS["website"](value)),
            logo=fields.link("logo", checked_url),
            aliases=fields.names("aliases"),
            line=entry.line,
            logo_line=entry.line_of("logo"),
        )
    return events, problems


def read_speakers(path: Path) -> tuple[dict[str, RegistrySpeaker], list[Problem]]:
    """Speakers described in ``speakers.yaml``; two entries claiming one handle are reported."""
    data = read_data_file(path)
    problems = list(data.problems)
    speakers: dict[str, RegistrySpeaker] = {}
    handles: dict[str, str] = {}
    for key, entry in data.entries.items():
        fields = _Fields(path.name, "speaker", entry, SPEAKER_FIELDS, problems)
        links = {kind: fields.link(kind, LINK_KINDS[kind]) for kind in LINK_KINDS}
        handle = twitter_handle(links["twitter"])
        if links["twitter"] and not handle:
            fields.report("twitter", ArchiveWarning.LINK,
                          f"twitter refused: {links['twitter']!r} is not a Twitter/X handle or profile URL")
            links["twitter"] = None
        speaker_id = handle or slugify(key)
        if speaker_id in speakers or (handle and handle in handles):
            first = handles.get(handle, speaker_id) if handle else speaker_id
            problems.append(Problem(entry.line, ArchiveWarning.IDENTITY,
                                    f"{path.name}: {key!r} claims the handle or id {speaker_id!r} of {first!r} "
                                    f"(line {speakers[speaker_id].line}); "
                                    "the first entry is kept"))
            continue
        if handle:
            handles[handle] = key
        speakers[speaker_id] = RegistrySpeaker(
            id=speaker_id,
            name=fields.text("name") or key,
            aliases=fields.names("aliases"),
            twitter=handle,
            affiliation=fields.text("affiliation"),
            role=fields.text("role"),
            avatar=fields.link("avatar", checked_url),
            links=tuple((kind, value) for kind, value in links.items() if value),
            line=entry.line,
            avatar_line=entry.line_of("avatar"),
        )
    return speakers, problems


@dataclass
class Identities:
    """Resolves events and speakers named in posts to their canonical identities."""

    events: dict[str, Event] = field(default_factory=dict)
    speakers: dict[str, RegistrySpeaker] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._event_names = {}
        for event in self.events.values():
            for name in (event.slug, event.name, *event.aliases):
                self._event_names.setdefault(name_key(name), event.slug)
        self._speaker_names = {}
        for speaker in self.speakers.values():
            for name in (speaker.name, *speaker.aliases):
                self._speaker_names.setdefault(name_key(name), speaker.id)

    def event_slug(self, name: str) -> str:
        """The slug of the event a post names (by slug, name or alias)."""
        return self._event_names.get(name_key(name)) or slugify(name)

    def event(self, name: str) -> Event:
        slug = self.event_slug(name)
        return self.events.get(slug) or Event(slug=slug, name=" ".join(name.split()), described=False)

    def speaker_id(self, name: str, handle: str | None) -> str:
        """The same handle is the same person; else a registry name or alias; else the name."""
        if handle:
            return handle
        return self._speaker_names.get(name_key(name)) or slugify(name)


def event_dates(event: Event) -> str:
    """``2017-12-06 to 2017-12-08``, or one date, or nothing."""
    if event.start and event.end and event.end != event.start:
        return f"{event.start} to {event.end}"
    return event.start or ""


def year_of(date: str | None) -> str | None:
    return date[:4] if date else None


def is_future(date: str | None, today: dt.date | None = None) -> bool:
    if not date:
        return False
    today = today or dt.date.today()
    return date[:10] > today.isoformat()
