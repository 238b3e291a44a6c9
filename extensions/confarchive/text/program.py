"""Program files: an event's official program, one YAML file per event. Pure, no Sphinx import.

``program/<event>.yaml`` (written by ``confarchive import-program``, or by hand) gives
the event, the program's people by the program's id for them, and its talks by id::

    event: {name: EuroPython 2022, start: 2022-07-11, end: 2022-07-17}
    speakers:
      steve-dower: {name: Steve Dower}
    talks:
      tales-of-python-security:
        title: Tales of Python Security
        speakers: [steve-dower]
        date: 2022-07-15
        start: "10:30"
        ...

:func:`read_program` reads one file into a :class:`~confarchive.model.ProgramEvent`.
One bad talk never loses another: each problem comes back at its line, and the talk is
kept as far as it can be read (the second of two talks with one id is left out).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

import yaml

from ..model import ProgramEvent, ProgramPerson, ProgramTalk
from ..problems import ArchiveWarning, Problem
from .encoding import undecodable_bytes
from .links import RefusedLink, checked_url
from .slugs import person_slug, slugify, twitter_handle

#: more speakers than a page can show as a talk's byline: the rest are left out
MAX_SPEAKERS = 20
#: the longest abstract a talk's page shows, in characters
MAX_ABSTRACT = 20_000
#: the longest talk, in minutes: a day
MAX_DURATION = 24 * 60
#: the line a program file's checksum is written on: what ``import-program`` checks for hand edits
CHECKSUM_PREFIX = "# confarchive-program sha256:"

TOP_FIELDS = ("event", "source", "license", "rooms", "speakers", "talks")
EVENT_FIELDS = ("name", "start", "end", "location", "website")
PERSON_FIELDS = ("name", "twitter")
TALK_FIELDS = ("title", "speakers", "date", "start", "duration", "room", "track", "language", "abstract",
               "video", "slides", "links", "tags")

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LinedDict(dict):
    """A YAML mapping that remembers the line of each key, and the keys given twice."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        #: ``(line, key, line of the first)`` for each key given again
        self.repeated: list[tuple[int, Any, int]] = []
        #: the lines of keys that are mappings or lists, left out
        self.complex_keys: list[int] = []

    def line_of(self, key: Any, default: int) -> int:
        return self.lines.get(key, default)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """libyaml's parser where it is installed; mappings that keep their keys' lines."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    mapping = LinedDict()
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            # a mapping or a list as a key: never made (a few aliases can make it huge)
            mapping.complex_keys.append(line)
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mapping.repeated.append((line, key, mapping.lines[key]))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


class _Reader:
    """Reads one program file's values, each problem at its line."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, ArchiveWarning.PROGRAM, f"{self.filename}: {message}"))

    def unknown_fields(self, mapping: LinedDict, known: tuple[str, ...], what: str, line: int) -> None:
        for name in mapping:
            if name not in known:
                self.report(mapping.line_of(name, line),
                            f"{what}: unknown field {name!r} is ignored (the fields are {', '.join(known)})")
        for repeated, name, first in mapping.repeated:
            self.report(repeated, f"{what}: {name!r} is given twice (first at line {first}); the first is kept")
        for line in mapping.complex_keys:
            self.report(line, f"{what}: a key that is a mapping or a list is left out")

    def text(self, mapping: LinedDict, name: str, what: str, line: int) -> str | None:
        value = mapping.get(name)
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            self.report(mapping.line_of(name, line), f"{what}: {name!r} must be text; it is left out")
            return None
        return " ".join(str(value).split()) or None

    def url(self, mapping: LinedDict, name: str, what: str, line: int) -> str | None:
        value = self.text(mapping, name, what, line)
        if value is None:
            return None
        try:
            return absolute_url(value)
        except RefusedLink as refused:
            self.report(mapping.line_of(name, line), f"{what}: {name} refused: {refused}")
            return None

    def date(self, mapping: LinedDict, name: str, what: str, line: int) -> str | None:
        value = mapping.get(name)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            self.report(mapping.line_of(name, line), f"{what}: {name} {value!r} is not a date like 2022-07-15; "
                        "it is left out")
            return None

    def names(self, mapping: LinedDict, name: str, what: str, line: int) -> list[str]:
        value = mapping.get(name)
        if value is None:
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, list):
            kept = [str(item) for item in value if isinstance(item, (str, int)) and not isinstance(item, bool)]
            if len(kept) != len(value):
                self.report(mapping.line_of(name, line), f"{what}: {name!r}: only names are kept")
            return kept
        self.report(mapping.line_of(name, line), f"{what}: {name!r} must be a list; it is left out")
        return []


def read_program(path: Path) -> tuple[ProgramEvent | None, list[Problem]]:
    """The program one file describes, and what was wrong with it.

    The event's id is the file's name (``europython-2022.yaml`` is ``europython-2022``).
    A file that is not YAML, or not a mapping, gives no program and one problem.
    """
    reader = _Reader(path.name)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reader.report(1, f"cannot be read ({error.strerror})")
        return None, reader.problems
    undecodable = undecodable_bytes(raw)
    if undecodable:
        reader.report(undecodable.line, undecodable.message)
    try:
        data = yaml.load(raw.decode("utf-8-sig", errors="replace"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reader.report(mark.line + 1 if mark else 1, f"is not valid YAML ({getattr(error, 'problem', error)}); "
                      "none of its talks is read")
        return None, reader.problems
    if not isinstance(data, LinedDict):
        reader.report(1, "must map event, speakers and talks; none of its talks is read")
        return None, reader.problems
    reader.unknown_fields(data, TOP_FIELDS, "the program", 1)
    event_id = slugify(path.stem)
    event = data.get("event")
    event_line = data.line_of("event", 1)
    if not isinstance(event, LinedDict):
        if event is not None:
            reader.report(event_line, "'event' must be a mapping of name, start, end, location, website")
        event = LinedDict()
    reader.unknown_fields(event, EVENT_FIELDS, "event", event_line)
    name = reader.text(event, "name", "event", event_line)
    if not name:
        reader.report(event_line, f"the event has no name; it is called {event_id!r}")
    people = _people(reader, data)
    talks = _talks(reader, data, event_id, people)
    rooms = tuple(reader.names(data, "rooms", "the program", 1))
    return ProgramEvent(
        id=event_id,
        name=name or event_id,
        start=reader.date(event, "start", "event", event_line),
        end=reader.date(event, "end", "event", event_line),
        location=reader.text(event, "location", "event", event_line),
        website=reader.url(event, "website", "event", event_line),
        rooms=rooms,
        talks=tuple(talks),
        source=reader.text(data, "source", "the program", 1),
        license=reader.text(data, "license", "the program", 1),
    ), reader.problems


def _people(reader: _Reader, data: LinedDict) -> dict[str, ProgramPerson]:
    table = data.get("speakers")
    line = data.line_of("speakers", 1)
    if table is None:
        return {}
    if not isinstance(table, LinedDict):
        reader.report(line, "'speakers' must map the program's ids to people; it is not read")
        return {}
    people = {}
    for key, fields in table.items():
        person_id = str(key)
        person_line = table.line_of(key, line)
        what = f"speaker {person_id!r}"
        if isinstance(fields, str):
            fields_map = LinedDict()
            fields_map["name"] = fields
            fields = fields_map
        if not isinstance(fields, LinedDict):
            reader.report(person_line, f"{what} must be a mapping of name and twitter; its id is its name")
            fields = LinedDict()
        reader.unknown_fields(fields, PERSON_FIELDS, what, person_line)
        name = reader.text(fields, "name", what, person_line)
        if not name:
            reader.report(person_line, f"{what} has no name; the id is shown instead")
        handle = twitter_handle(reader.text(fields, "twitter", what, person_line))
        people[person_id] = ProgramPerson(id=person_id, name=name or person_id, handle=handle)
    for repeated, key, first in table.repeated:
        reader.report(repeated, f"speaker id {key!r} is given twice (first at line {first}); the first is kept")
    return people


def _talks(reader: _Reader, data: LinedDict, event_id: str, people: dict[str, ProgramPerson]) -> list[ProgramTalk]:
    table = data.get("talks")
    line = data.line_of("talks", 1)
    if table is None:
        return []
    if not isinstance(table, LinedDict):
        reader.report(line, "'talks' must map talk ids to talks; none of them is read")
        return []
    for repeated, key, first in table.repeated:
        reader.report(repeated, f"talk id {key!r} is given twice (first at line {first}); the second is left out")
    for complex_line in table.complex_keys:
        reader.report(complex_line, "a talk's id that is a mapping or a list: the talk is left out")
    talks = []
    ids: dict[str, tuple[Any, int]] = {}
    for key, fields in table.items():
        talk_line = table.line_of(key, line)
        talk_id = talk_slug(str(key))
        what = f"talk {key!r}"
        if talk_id in ids:
            first, first_line = ids[talk_id]
            reader.report(talk_line, f"{what} has the page of talk {first!r} (line {first_line}), "
                          f"{talk_id!r}; the second is left out")
            continue
        ids[talk_id] = (key, talk_line)
        if not isinstance(fields, LinedDict):
            reader.report(talk_line, f"{what} must be a mapping of title, speakers, date...; "
                          "it is kept by its id alone")
            fields = LinedDict()
        talks.append(_talk(reader, fields, event_id, talk_id, what, talk_line, people))
    return talks


def _talk(reader: _Reader, fields: LinedDict, event_id: str, talk_id: str, what: str, line: int,
          people: dict[str, ProgramPerson]) -> ProgramTalk:
    reader.unknown_fields(fields, TALK_FIELDS, what, line)
    title = reader.text(fields, "title", what, line)
    if not title:
        reader.report(line, f"{what} has no title; it is called by its id")
    speakers = []
    for person_id in reader.names(fields, "speakers", what, line):
        person = people.get(person_id)
        if person is None:
            reader.report(fields.line_of("speakers", line),
                          f"{what}: speaker id {person_id!r} is not in the file's speakers; it is shown as a name")
            person = ProgramPerson(id=slugify(person_id) or person_id, name=" ".join(person_id.split()))
        speakers.append(person)
    if len(speakers) > MAX_SPEAKERS:
        reader.report(fields.line_of("speakers", line),
                      f"{what} has {len(speakers)} speakers; the first {MAX_SPEAKERS} are kept")
        speakers = speakers[:MAX_SPEAKERS]
    abstract = fields.get("abstract")
    if abstract is not None and not isinstance(abstract, str):
        reader.report(fields.line_of("abstract", line), f"{what}: the abstract must be text; it is left out")
        abstract = None
    abstract = _paragraphs(abstract or "")
    if len(abstract) > MAX_ABSTRACT:
        reader.report(fields.line_of("abstract", line),
                      f"{what}: the abstract has {len(abstract):,} characters; the first {MAX_ABSTRACT:,} are shown")
        abstract = cut_text(abstract, MAX_ABSTRACT)
    return ProgramTalk(
        event=event_id,
        id=talk_id,
        title=title or talk_id,
        speakers=tuple(dict.fromkeys(speakers)),
        date=reader.date(fields, "date", what, line),
        start=_start(reader, fields, what, line),
        duration=_duration(reader, fields, what, line),
        room=reader.text(fields, "room", what, line),
        track=reader.text(fields, "track", what, line),
        abstract=abstract,
        video=reader.url(fields, "video", what, line),
        slides=reader.url(fields, "slides", what, line),
        links=_links(reader, fields, what, line),
        tags=tuple(dict.fromkeys(" ".join(tag.split()) for tag in reader.names(fields, "tags", what, line)
                                 if tag.strip())),
        language=reader.text(fields, "language", what, line),
        line=line,
    )


def _start(reader: _Reader, fields: LinedDict, what: str, line: int) -> str | None:
    value = fields.get("start")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"  # YAML 1.1 reads an unquoted 10:30 as 630
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    match = _TIME.match(str(value).strip())
    if match is None:
        reader.report(fields.line_of("start", line), f"{what}: start {value!r} is not a time like 10:30; "
                      "it is left out")
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _duration(reader: _Reader, fields: LinedDict, what: str, line: int) -> int | None:
    value = fields.get("duration")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_DURATION:
        # (YAML 1.1 reads an unquoted 00:45:00 as 2700: more than a day is not minutes)
        return value
    match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        return int(match.group(1)) * 60 + int(match.group(2)) or None
    reader.report(fields.line_of("duration", line), f"{what}: duration {value!r} is not minutes (45) or a length "
                  "like 00:45; it is left out")
    return None


def _links(reader: _Reader, fields: LinedDict, what: str, line: int) -> tuple[tuple[str, str], ...]:
    value = fields.get("links")
    if value is None:
        return ()
    at = fields.line_of("links", line)
    if not isinstance(value, list):
        reader.report(at, f"{what}: links must be a list of {{label, url}}; they are left out")
        return ()
    links = []
    for item in value:
        if isinstance(item, str):
            label, url = item, item
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            label, url = str(item.get("label") or item["url"]), item["url"]
            at = item.lines.get("url", at) if isinstance(item, LinedDict) else at
        else:
            reader.report(at, f"{what}: a link must be a URL or a mapping of label and url; one is left out")
            continue
        try:
            links.append((" ".join(label.split()), absolute_url(url)))
        except RefusedLink as refused:
            reader.report(at, f"{what}: link refused: {refused}")
    return tuple(dict.fromkeys(links))


def _paragraphs(text: str) -> str:
    """Plain text with its paragraphs: line ends as LF, no trailing spaces, one blank line between."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def absolute_url(value: str) -> str:
    """``value`` if it is an absolute http(s) URL with a host; :class:`RefusedLink` otherwise.

    A program's links lead away from the archive: a relative path (``example.org/s.pdf``,
    ``/media/slides.pdf``) would lead nowhere from a talk's page.
    """
    url = checked_url(value)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RefusedLink(f"{value!r} is not an http(s) address with a host")
    return url


def talk_slug(key: str) -> str:
    """A talk's id in URL form; an id with nothing in ASCII gets ``talk-`` and a fingerprint."""
    slug = slugify(key)
    return slug if slug != "untitled" or key.strip().lower() == "untitled" else person_slug(key).replace(
        "speaker-", "talk-", 1)


def cut_text(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut at a paragraph or word, ending in " …"."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n\n")
    if cut < limit // 2:
        cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip() + " …"


def paragraphs_of(abstract: str) -> list[str]:
    """An abstract's paragraphs, each on one line."""
    return [" ".join(part.split()) for part in abstract.split("\n\n") if part.strip()]


def program_paths(folder: Path) -> list[Path]:
    """The program files of a folder, by name: ``*.yaml`` and ``*.yml``."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml") and path.is_file())
