"""Who and what the archive is about: slugs, events, speakers. Pure, no Sphinx import.

Events and speakers can be described once in YAML data files in the source folder
(``events.yaml``, ``speakers.yaml``); posts point at them. Reading a data file never
raises: each problem comes back with its line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import Problem, parse_date
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


@dataclass
class DataFile:
    """Entries read from a YAML data file, each key with the line it stands on."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_data_file(path: Path) -> DataFile:
    """A YAML mapping of ``id -> mapping``; a missing file is empty, a broken one reported."""
    result = DataFile()
    if not path.is_file():
        return result
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        result.problems.append(Problem((mark.line + 1) if mark else 1, ArchiveWarning.DATA_FILE,
                                       f"{path.name} cannot be read: {getattr(error, 'problem', None) or error}"))
        return result
    if data is None:
        return result
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        result.problems.append(Problem(1, ArchiveWarning.DATA_FILE,
                                       f"{path.name} must map ids to descriptions"))
        return result
    for key_node, _ in root.value:
        result.lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
    for key, value in data.items():
        key = str(key)
        if not isinstance(value, dict):
            result.problems.append(Problem(result.lines.get(key, 1), ArchiveWarning.DATA_FILE,
                                           f"{path.name}: {key!r} must be a mapping of fields"))
            continue
        result.entries[key] = value
    return result


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return " ".join(str(value).split()) or None


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, (str, int)))
    return ()


def read_events(path: Path) -> tuple[dict[str, Event], list[Problem]]:
    """Events described in ``events.yaml``."""
    data = read_data_file(path)
    problems = list(data.problems)
    events: dict[str, Event] = {}
    for key, entry in data.entries.items():
        line = data.lines.get(key, 1)
        slug = slugify(key)
        dates = {}
        for name in ("start", "end"):
            if entry.get(name) is None:
                dates[name] = None
                continue
            when, problem = parse_date(entry[name])
            if problem:
                problems.append(Problem(line, ArchiveWarning.EVENT, f"event {key!r}: {name} {problem}"))
            dates[name] = when.date().isoformat() if when else None
        if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            problems.append(Problem(line, ArchiveWarning.EVENT,
                                    f"event {key!r} ends ({dates['end']}) before it starts ({dates['start']}); "
                                    "the end date is dropped"))
            dates["end"] = None
        events[slug] = Event(
            slug=slug,
            name=_text(entry.get("name")) or key,
            start=dates["start"],
            end=dates["end"],
            location=_text(entry.get("location")),
            website=_text(entry.get("website")),
            logo=_text(entry.get("logo")),
            aliases=_names(entry.get("aliases")),
        )
    return events, problems


def read_speakers(path: Path) -> tuple[dict[str, RegistrySpeaker], list[Problem]]:
    """Speakers described in ``speakers.yaml``; two entries claiming one handle are reported."""
    data = read_data_file(path)
    problems = list(data.problems)
    speakers: dict[str, RegistrySpeaker] = {}
    handles: dict[str, str] = {}
    for key, entry in data.entries.items():
        line = data.lines.get(key, 1)
        handle = twitter_handle(_text(entry.get("twitter")))
        speaker_id = handle or slugify(key)
        if speaker_id in speakers or (handle and handle in handles):
            first = handles.get(handle, speaker_id) if handle else speaker_id
            problems.append(Problem(line, ArchiveWarning.IDENTITY,
                                    f"speakers.yaml: {key!r} claims the handle or id {speaker_id!r} of {first!r}; "
                                    "the first entry is kept"))
            continue
        if handle:
            handles[handle] = key
        links = tuple((kind, str(entry[kind])) for kind in ("twitter", "mastodon", "bluesky", "github", "website")
                      if _text(entry.get(kind)))
        speakers[speaker_id] = RegistrySpeaker(
            id=speaker_id,
            name=_text(entry.get("name")) or key,
            aliases=_names(entry.get("aliases")),
            twitter=handle,
            affiliation=_text(entry.get("affiliation")),
            role=_text(entry.get("role")),
            avatar=_text(entry.get("avatar")),
            links=links,
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
