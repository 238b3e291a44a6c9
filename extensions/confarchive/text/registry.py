"""The archive's data files: events and speakers described once, and the names posts use for them.

``events.yaml`` and ``speakers.yaml`` (read entry by entry by :mod:`.datafiles`) give
each event and speaker an id, a canonical name, aliases and details. :class:`Registry`
resolves the names a post uses (an event's id, name or alias; a speaker's handle, name
or alias) to those ids. Pure, no Sphinx import: every problem comes back with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Event, ProgramPerson, RegistrySpeaker
from ..problems import ArchiveWarning, Problem
from .datafiles import Entry, read_data_file
from .frontmatter import parse_date
from .links import LINK_KINDS, RefusedLink, checked_url
from .slugs import name_key, person_slug, slugify, twitter_handle


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
            self.report(name, ArchiveWarning.DATA_FILE, f"{name!r} must be text, not {_short(repr(value))}; "
                        "it is left out")
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
                dropped = [item for item in value if not isinstance(item, (str, int)) or isinstance(item, bool)]
                shown = ", ".join(_short(repr(item)) for item in dropped[:3]) + (", ..." if len(dropped) > 3 else "")
                self.report(name, ArchiveWarning.DATA_FILE, f"{name!r}: only names are kept, not {shown}")
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


EVENT_FIELDS = ("name", "start", "end", "location", "website", "logo", "aliases")
SPEAKER_FIELDS = ("name", "aliases", "twitter", "mastodon", "bluesky", "github", "website", "affiliation", "role",
                  "avatar", "program_ids")


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
            program_ids=tuple(" ".join(name.split()) for name in fields.names("program_ids")),
            links=tuple((kind, value) for kind, value in links.items() if value),
            line=entry.line,
            avatar_line=entry.line_of("avatar"),
        )
    return speakers, problems


@dataclass
class Registry:
    """The events and speakers of the data files, and how the names posts use resolve to them."""

    events: dict[str, Event] = field(default_factory=dict)
    speakers: dict[str, RegistrySpeaker] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._event_names = {}
        for event in self.events.values():
            for name in (event.slug, event.name, *event.aliases):
                self._event_names.setdefault(name_key(name), event.slug)
        self._speaker_names = {}
        self._program_ids: dict[str, str] = {}
        for speaker in self.speakers.values():
            for name in (speaker.name, *speaker.aliases):
                if name_key(name):
                    self._speaker_names.setdefault(name_key(name), speaker.id)
            for program_id in speaker.program_ids:
                self._program_ids.setdefault(program_id, speaker.id)

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
        return self._speaker_names.get(name_key(name)) or person_slug(name)

    def person_id(self, event: str, person: ProgramPerson) -> str:
        """The archive's id of a person a program names: an entry whose ``program_ids`` holds
        ``event/person``, else as a card with that name and handle."""
        return self._program_ids.get(f"{event}/{person.id}") or self.speaker_id(person.name, person.handle)
