"""``confarchive import-program``: the official program of conferences, as program files. No Sphinx import.

:func:`import_program` reads a program from one of three sources and writes each event
as ``<into>/<event-id>.yaml``, a program file (the format ``docs/importing.md`` shows):

- a pyvideo event folder (``category.json`` and ``videos/*.json``); the event's id is
  the folder's name;
- a pyvideo data root, a folder of such event folders; every event becomes one file,
  and the talks ``NO_PUBLISH.json`` names are withheld;
- a frab or pretalx ``schedule.json`` (the schedule JSON of c3voc's published schema),
  or a folder holding one; the event's id is the slug of the conference's acronym.

A program file starts with three comment lines: where the program comes from, who wrote
it, and the SHA-256 of the text after the third line. The checksum tells a hand edit: a
file whose text no longer matches it is left as it is unless ``force``, while a file the
import wrote and nobody changed is replaced.

Bad input never stops the run: invalid JSON, a talk without a title, a person without a
name, two talks with one id, too many speakers, an abstract too long to show are each
reported at their file and line, and every other talk is written. The run gives back a
:class:`ProgramReport`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.decoder import JSONObject
from json.scanner import py_make_scanner
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from ..problems import ArchiveWarning, Problem
from ..text.embeds import parse_video
from ..text.links import RefusedLink, checked_url
from ..text.program import CHECKSUM_PREFIX, MAX_ABSTRACT, MAX_SPEAKERS, cut_text
from ..text.slugs import script_key, slugify
from .report import ReportCounts, problem_sections
from .run import ImportAborted, decode

__all__ = ["HAND_EDITED", "ProgramReport", "checksum_matches", "detect_program", "import_program"]

#: the longest id (slugify's limit), cut at a dash
MAX_ID = 80
HAND_EDITED = "edited by hand since it was imported; --force replaces it"
KINDS = {"pyvideo-event": "pyvideo event", "pyvideo": "pyvideo data", "schedule": "schedule"}

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"[T ](\d{2}):(\d{2})")
_HH_MM = re.compile(r"^\s*(\d{1,3}):(\d{2})(?::(\d{2}))?\s*$")
#: characters a YAML file cannot hold as they are: C0 and C1 controls (but the line
#: break), the byte order mark, non-characters and lone surrogates
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_TRAILING = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")
_SLUG_SPECIAL = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_SLIDES_HOSTS = ("speakerdeck.com", "slideshare.net", "slides.com", "slid.es")


# --- the report ------------------------------------------------------------------------


@dataclass
class ProgramReport(ReportCounts):
    """What ``confarchive import-program`` did, and the problems it found."""

    source: Path
    into: Path
    kind: str
    dry_run: bool = False
    #: the program files written (or that would be)
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    talks: int = 0
    withheld: int = 0
    speakers: int = 0
    problems: list[Problem] = field(default_factory=list)

    def render(self) -> str:
        would = "would be " if self.dry_run else ""
        lines = [
            f"confarchive import-program: {KINDS.get(self.kind, self.kind)} {self.source} -> {self.into}"
            + (" (dry run: nothing written)" if self.dry_run else ""),
            "",
            f"  events {would}written   {len(self.written):6}",
            f"  events skipped   {len(self.skipped):6}" + ("  (edited by hand; --force replaces them)"
                                                            if self.skipped else ""),
            f"  events failed    {len(self.failed):6}",
            f"  talks {would}written    {self.talks:6}",
            f"  talks withheld   {self.withheld:6}" + ("  (named in NO_PUBLISH.json)" if self.withheld else ""),
            f"  speakers         {self.speakers:6}",
        ]
        lines += problem_sections(self.problems, {"Events that could not be imported": self.failed,
                                                  "Events skipped": self.skipped})
        return "\n".join(lines) + "\n"


# --- the program, as read ----------------------------------------------------------------


@dataclass
class _Talk:
    id: str
    data: dict[str, Any]
    #: where the talk was read: its file (as the report names it) and line
    file: str
    line: int
    #: what makes two entries one talk, if the source says: ``guid '...'`` (a schedule),
    #: ``video id 77`` (pyvideo)
    identity: str | None = None
    #: (date, start, room's place) for the order of the file
    order: tuple = ()


@dataclass
class _Program:
    """One event's program, ready to be written."""

    id: str
    name: str
    source: str
    #: the file (as the report names it) failures of the whole event are reported at
    file: str
    start: dt.date | None = None
    end: dt.date | None = None
    location: str | None = None
    website: str | None = None
    license: str | None = None
    rooms: list[str] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)
    talks: dict[str, _Talk] = field(default_factory=dict)
    identities: dict[str, _Talk] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def report(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(line, ArchiveWarning.PROGRAM, message, file=file))

    def add_talk(self, talk: _Talk) -> bool:
        """Keep ``talk`` under a free id; False when it repeats a talk already kept."""
        if talk.identity is not None:
            first = self.identities.get(talk.identity)
            if first is not None:
                self.report(talk.file, talk.line,
                            f"the talk with {talk.identity} is given twice (first at {first.file}:{first.line}); "
                            "the second is left out")
                return False
            self.identities[talk.identity] = talk
        wanted = talk.id
        number = 2
        while talk.id in self.talks:
            talk.id = f"{_cut(wanted, MAX_ID - len(str(number)) - 1)}-{number}"
            number += 1
        if talk.id != wanted:
            first = self.talks[wanted]
            self.report(talk.file, talk.line, f"talk id {wanted!r} is taken by the talk at {first.file}:{first.line}; "
                                              f"this one is written as {talk.id!r}")
        self.talks[talk.id] = talk
        return True

    def add_speakers(self, talk: _Talk, people: list[tuple[str, str]]) -> None:
        """Name the talk's speakers (``(id, name)``, in order), at most :data:`MAX_SPEAKERS`."""
        ids: list[str] = []
        for person_id, name in people:
            if person_id in ids:
                continue
            known = self.speakers.setdefault(person_id, name)
            if script_key(known) != script_key(name):
                self.report(talk.file, talk.line, f"speaker {person_id!r} is named both {known!r} and {name!r}; "
                                                  f"{known!r} is kept")
            ids.append(person_id)
        if len(ids) > MAX_SPEAKERS:
            left_out = ", ".join(self.speakers[person_id] for person_id in ids[MAX_SPEAKERS:])
            self.report(talk.file, talk.line, f"the talk has {len(ids)} speakers; the first {MAX_SPEAKERS} are kept, "
                                              f"{len(ids) - MAX_SPEAKERS} left out: {left_out}")
            ids = ids[:MAX_SPEAKERS]
        if ids:
            talk.data["speakers"] = ids


# --- text ---------------------------------------------------------------------------------


def _line(value: Any) -> str:
    """A one-line text: controls removed, every run of white space one space."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(_UNPRINTABLE.sub("", str(value)).split())


def _abstract(value: str, report: Callable[[str], None]) -> str:
    """Plain text for a program file: line ends normalised, no trailing spaces, one blank line
    between paragraphs, cut at :data:`MAX_ABSTRACT` characters. Empty when there is none."""
    text = _BREAKS.sub("\n", value)
    text = _UNPRINTABLE.sub("", text).expandtabs(4)
    text = _TRAILING.sub("", text)
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    if not text.strip():
        return ""
    if len(text) > MAX_ABSTRACT:
        # the cut text, with its " …", is as long as the build shows whole
        cut = cut_text(text, MAX_ABSTRACT - 2)
        report(f"the abstract is {len(text):,} characters long; it is cut to {len(cut):,}, at a paragraph or a word")
        text = cut
    return text + "\n"


def _slug(text: str, empty: str = "untitled") -> str:
    """An id made of ``text``: its :func:`~confarchive.text.slugs.slugify` slug, at most
    :data:`MAX_ID` characters, cut at a dash, so that slugify leaves it as it is.

    Text with letters that have no ASCII form (Cyrillic, Korean, ``ø``) would lose them,
    and two names would share one id: its id gets a fingerprint of the whole text, the
    first 8 hex digits of its SHA-256 (``pycon-apac-2016-<8 hex>``; ``<empty>-<8 hex>``
    when nothing of it is ASCII).
    """
    text = "".join(_SLUG_SPECIAL.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    words = re.findall(r"[a-z0-9]+", decomposed.encode("ascii", "ignore").decode("ascii").lower())
    if not any(ord(char) > 127 and char.isalnum() and not unicodedata.combining(char) for char in decomposed):
        return _cut("-".join(words), MAX_ID) or empty
    fingerprint = hashlib.sha256(script_key(text).encode("utf-8")).hexdigest()[:8]
    return f"{_cut('-'.join(words), MAX_ID - 9) or empty}-{fingerprint}"


def _cut(slug: str, limit: int) -> str:
    """``slug``, cut at its last dash within ``limit`` characters when it is longer."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1].rsplit("-", 1)[0]
    return cut if cut and len(cut) <= limit else slug[:limit].strip("-")




def _url(value: Any, base: str | None, report: Callable[[str], None]) -> str | None:
    """An http(s) URL, or None (reported when it was refused)."""
    text = _line(value)
    if not text:
        return None
    if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) and not text.startswith("//"):
        text = urljoin(base, text)
    try:
        url = checked_url(text)
    except RefusedLink as error:
        report(f"a link is left out: {error}")
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        report(f"a link is left out: {text!r} is not an http(s) address")
        return None
    return url


def _host(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _is_slides(label: str, url: str) -> bool:
    return "slide" in label.lower() or _host(url).endswith(_SLIDES_HOSTS) or "/presentation/" in url


def _is_video(label: str, url: str) -> bool:
    return parse_video(url) is not None or _host(url) == "media.ccc.de" or any(
        word in label.lower() for word in ("video", "recording"))


def _sort_links(talk: dict[str, Any], found: list[tuple[str, str]]) -> None:
    """Put the first video and the first slides of ``found`` (label, url) in their fields, the rest in links."""
    links: list[dict[str, str]] = []
    seen = {talk.get("video"), talk.get("slides")}
    for label, url in found:
        if url in seen:
            continue
        seen.add(url)
        if "video" not in talk and _is_video(label, url):
            talk["video"] = url
        elif "slides" not in talk and _is_slides(label, url):
            talk["slides"] = url
        else:
            links.append({"label": label or _host(url), "url": url})
    if links:
        talk["links"] = links


def _date(value: Any) -> dt.date | None:
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _clock(value: Any) -> str | None:
    """``HH:MM`` from ``09:30``, ``9:30``, ``09:30:00``; None otherwise."""
    match = _HH_MM.match(str(value or ""))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _minutes(value: Any) -> int | None:
    """The minutes of an ``HH:MM`` (or ``HH:MM:SS``) duration, or of a number of minutes; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= 24 * 60 else None
    match = _HH_MM.match(str(value or ""))
    if not match:
        return None
    seconds = int(match.group(1)) * 3600 + int(match.group(2)) * 60 + int(match.group(3) or 0)
    return round(seconds / 60) or None


# --- reading JSON -------------------------------------------------------------------------


class _JSONError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _read_json(path: Path, rel: str, problems: list[Problem], *,
               positions: dict[int, int] | None = None) -> tuple[Any, str]:
    """The JSON value of ``path`` and its text; :class:`_JSONError` (at its line) when it cannot be read.

    A byte order mark or bytes that are not UTF-8 are reported in ``problems``. With
    ``positions``, the offset in the text of every object's opening brace is kept there,
    by the object's ``id()``, so that a talk's line can be told.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _JSONError(1, f"cannot be read ({error.strerror or error})") from None
    text, notes = decode(data)
    for line, kind, message in notes:
        if kind is not ArchiveWarning.LINE_ENDS:
            problems.append(Problem(line, kind, message, file=rel))
    try:
        if positions is None:
            return json.loads(text), text
        return _PositionDecoder(positions).decode(text), text
    except json.JSONDecodeError as error:
        raise _JSONError(error.lineno, f"is not valid JSON: {error.msg} (line {error.lineno}, column "
                                       f"{error.colno})") from None
    except RecursionError:
        raise _JSONError(1, "is not valid JSON: nested too deeply") from None


class _PositionDecoder(json.JSONDecoder):
    """A JSON decoder that notes where each object starts."""

    def __init__(self, positions: dict[int, int]) -> None:
        super().__init__()

        def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
            value, end = JSONObject(s_and_end, *args)
            positions[id(value)] = s_and_end[1] - 1
            return value, end

        self.parse_object = parse_object
        self.scan_once = py_make_scanner(self)


class _Lines:
    """The line of an offset in a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


# --- pyvideo --------------------------------------------------------------------------------


def _withheld_ids(root: Path, base: Path, problems: list[Problem]) -> set[int]:
    """The ids of the videos ``NO_PUBLISH.json`` in ``root`` names (none when there is no such file)."""
    path = root / "NO_PUBLISH.json"
    if not path.is_file():
        return set()
    rel = _rel(path, base)
    try:
        data, _ = _read_json(path, rel, problems)
    except _JSONError as error:
        problems.append(Problem(error.line, ArchiveWarning.PROGRAM, f"{path.name} {error}; no talk is withheld",
                                file=rel))
        return set()
    if not isinstance(data, list):
        problems.append(Problem(1, ArchiveWarning.PROGRAM, f"{path.name} is not a list of video ids; no talk is "
                                                            "withheld", file=rel))
        return set()
    return {item for item in data if isinstance(item, int) and not isinstance(item, bool)}


def _read_pyvideo_event(folder: Path, event_id: str, base: Path, withheld: set[int],
                        report: ProgramReport) -> _Program | None:
    """One pyvideo event folder as a program; None when it holds no talk (the event failed)."""
    category_path = folder / "category.json"
    category_rel = _rel(category_path, base)
    # the id a build reads from the file's name: in URL form (``python_porto`` is ``python-porto``)
    program = _Program(slugify(event_id), folder.name, "pyvideo", category_rel, license="CC0-1.0")
    category: Any = {}
    if category_path.is_file():
        try:
            category, _ = _read_json(category_path, category_rel, program.problems)
        except _JSONError as error:
            program.report(category_rel, error.line, f"{error}; the event is named after its folder")
        if not isinstance(category, dict):
            program.report(category_rel, 1, "is not a JSON object; the event is named after its folder")
            category = {}
    else:
        program.report(category_rel, 1, "there is no category.json; the event is named after its folder")
    name = _line(category.get("title"))
    if not name and category:
        program.report(category_rel, 1, "the category has no title; the event is named after its folder")
    program.name = name or folder.name
    program.start, program.end = _date(category.get("start_date")), _date(category.get("end_date"))
    program.website = _url(category.get("url"), None, lambda message: program.report(category_rel, 1, message)) \
        if category.get("url") else None

    withheld_here = 0
    files = sorted((folder / "videos").glob("*.json")) if (folder / "videos").is_dir() else []
    for path in files:
        rel = _rel(path, base)
        try:
            data, _ = _read_json(path, rel, program.problems)
        except _JSONError as error:
            program.report(rel, error.line, f"the talk {error}; it is left out")
            continue
        if not isinstance(data, dict):
            program.report(rel, 1, "the talk is not a JSON object; it is left out")
            continue
        if isinstance(data.get("id"), int) and data["id"] in withheld:
            withheld_here += 1
            continue
        _read_pyvideo_talk(program, path, rel, data)
    report.withheld += withheld_here

    dates = sorted(talk.data["date"] for talk in program.talks.values() if "date" in talk.data)
    if program.start is None and dates:
        program.start = dates[0]
    if program.end is None and dates and dates[-1] != program.start:
        program.end = dates[-1]
    if program.end is not None and program.start is not None and program.end < program.start:
        program.end = None
    if not program.talks:
        reason = ("every talk is withheld by NO_PUBLISH.json" if withheld_here and len(files) == withheld_here
                  else "it holds no talk that could be read")
        report.problems.extend(program.problems)
        report.failed.append((_rel(folder, base), reason))
        return None
    return program


def _read_pyvideo_talk(program: _Program, path: Path, rel: str, data: dict[str, Any]) -> None:
    def note(message: str) -> None:
        program.report(rel, 1, message)

    talk: dict[str, Any] = {}
    title = _line(data.get("title"))
    if not title:
        title = " ".join(re.split(r"[-_\s]+", path.stem)).strip().capitalize() or "Untitled talk"
        note(f"the talk has no title; it is called {title!r}, after its file name")
    talk["title"] = title
    entry = _Talk(_slug(path.stem, "talk"), talk, rel, 1,
                  identity=f"video id {data['id']}" if isinstance(data.get("id"), int) else None)

    people: list[tuple[str, str]] = []
    speakers = data.get("speakers")
    if isinstance(speakers, str):
        speakers = [speakers]
    if speakers is not None and not isinstance(speakers, list):
        note("'speakers' is not a list of names; the talk names no speaker")
        speakers = []
    for speaker in speakers or []:
        name = _line(speaker.get("name") if isinstance(speaker, dict) else speaker)
        if not name:
            note("a speaker without a name is left out")
            continue
        people.append((_slug(name, "speaker"), name))

    recorded = data.get("recorded")
    day = _date(recorded)
    if day is not None:
        talk["date"] = day
        time = _TIME.search(str(recorded))
        if time and time.group(0)[1:] != "00:00":
            talk["start"] = time.group(0)[1:]
    elif recorded not in (None, ""):
        note(f"'recorded' {recorded!r} is not a date; the talk is undated")

    duration = data.get("duration")
    if isinstance(duration, (int, float)) and not isinstance(duration, bool) and 0 < duration <= 86_400:
        talk["duration"] = max(1, round(duration / 60))
    elif isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration > 86_400:
        note(f"'duration' {duration!r} seconds is longer than a day (milliseconds?); left out")
    elif duration not in (None, 0, ""):
        note(f"'duration' {duration!r} is not a number of seconds; left out")

    language = _line(data.get("language"))
    if language:
        talk["language"] = language
    for key in ("description", "summary", "abstract"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            abstract = _abstract(value, note)
            if abstract:
                talk["abstract"] = abstract
                break

    found: list[tuple[str, str]] = []
    videos = data.get("videos") if isinstance(data.get("videos"), list) else []
    for video in videos:
        if not isinstance(video, dict):
            continue
        url = _url(video.get("url"), None, note)
        if url and "video" not in talk and parse_video(url) is not None:
            talk["video"] = url
        elif url:
            found.append((f"Video ({_line(video.get('type'))})" if _line(video.get("type")) else "Video", url))
    if "video" not in talk and found:
        talk["video"] = found.pop(0)[1]
    related = data.get("related_urls") if isinstance(data.get("related_urls"), list) else []
    for item in related:
        label, value = (_line(item.get("label")), item.get("url")) if isinstance(item, dict) else ("", item)
        url = _url(value, None, note)
        if url:
            found.append((label, url))
    _sort_links(talk, found)

    tags = data.get("tags")
    if isinstance(tags, list):
        kept = list(dict.fromkeys(tag for tag in (_line(tag) for tag in tags) if tag))
        if kept:
            talk["tags"] = kept
    elif tags not in (None, ""):
        note("'tags' is not a list; left out")

    if program.add_talk(entry):
        program.add_speakers(entry, people)
        entry.order = (talk.get("date") or dt.date.max, talk.get("start") or "", 0)


# --- schedule ---------------------------------------------------------------------------------


def _read_schedule(path: Path, base: Path, event_id: str | None, report: ProgramReport) -> _Program | None:
    """A frab or pretalx ``schedule.json`` as a program; None when it cannot be read (the event failed)."""
    rel = _rel(path, base)
    problems: list[Problem] = []
    positions: dict[int, int] = {}
    try:
        data, text = _read_json(path, rel, problems, positions=positions)
    except _JSONError as error:
        report.problems.extend(problems)
        report.problems.append(Problem(error.line, ArchiveWarning.PROGRAM, f"the schedule {error}", file=rel))
        report.failed.append((rel, f"the schedule {error}"))
        return None
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise ImportAborted(f"{path} is not a frab or pretalx schedule (it has no schedule.conference)")
    lines = _Lines(text)

    def line_of(value: Any) -> int:
        offset = positions.get(id(value))
        return lines.line(offset) if offset is not None else 1

    conference_line = line_of(conference)
    name = _line(conference.get("title"))
    acronym = _line(conference.get("acronym"))
    if not name:
        name = acronym or event_id or path.parent.name
        problems.append(Problem(conference_line, ArchiveWarning.PROGRAM,
                                f"the conference has no title; it is called {name!r}", file=rel))
    # the id a build reads from the file's name, and posts name (``event: København 2019``)
    program = _Program(slugify(event_id or acronym or name), name, "schedule", rel, problems=problems)
    program.start, program.end = _date(conference.get("start")), _date(conference.get("end"))
    if program.end is not None and program.start is not None and program.end <= program.start:
        program.end = None
    base_url = _line(schedule.get("base_url")) or None
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        base_url = None
    if conference.get("url"):
        program.website = _url(conference.get("url"), None, lambda message: program.report(rel, conference_line,
                                                                                             message))

    rooms = conference.get("rooms") if isinstance(conference.get("rooms"), list) else []
    for room in rooms:
        room_name = _line(room.get("name") if isinstance(room, dict) else room)
        if room_name and room_name not in program.rooms:
            program.rooms.append(room_name)
    days = conference.get("days")
    if not isinstance(days, list):
        program.report(rel, conference_line, "the conference has no list of days; it has no talks")
        days = []

    talks: list[tuple[dict[str, Any], str, dt.date | None]] = []
    for day in days:
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            program.report(rel, line_of(day), "a day without a mapping of rooms to talks is left out")
            continue
        for room_name, entries in day["rooms"].items():
            room_name = _line(room_name)
            if room_name and room_name not in program.rooms:
                program.rooms.append(room_name)
            if not isinstance(entries, list):
                program.report(rel, line_of(day), f"the talks of room {room_name!r} are not a list; left out")
                continue
            for entry in entries:
                if not isinstance(entry, dict):
                    program.report(rel, line_of(day), f"an entry of room {room_name!r} is not a talk; left out")
                    continue
                talks.append((entry, room_name, _date(day.get("date"))))

    names = _person_names(talk for talk, _, _ in talks)
    for entry, room_name, day in talks:
        _read_schedule_talk(program, entry, room_name, day, line_of(entry), base_url, names)
    if not program.talks:
        report.problems.extend(program.problems)
        report.failed.append((rel, "it holds no talk that could be read"))
        return None
    return program


def _person_id(person: dict[str, Any]) -> str | None:
    for key in ("code", "id", "guid"):
        value = person.get(key)
        if value not in (None, "") and not isinstance(value, (bool, dict, list)):
            return _line(value) or None
    return None


def _person_name(person: dict[str, Any]) -> str:
    return _line(person.get("public_name") or person.get("name") or person.get("full_public_name"))


def _person_names(talks: Iterator[dict[str, Any]]) -> dict[str, str]:
    """The name of every person the schedule names somewhere, by their id."""
    names: dict[str, str] = {}
    for talk in talks:
        persons = talk.get("persons")
        for person in persons if isinstance(persons, list) else []:
            if isinstance(person, dict):
                person_id, name = _person_id(person), _person_name(person)
                if person_id and name:
                    names.setdefault(person_id, name)
    return names


def _read_schedule_talk(program: _Program, entry: dict[str, Any], room: str, day: dt.date | None, line: int,
                        base_url: str | None, names: dict[str, str]) -> None:
    rel = program.file

    def note(message: str) -> None:
        program.report(rel, line, message)

    talk: dict[str, Any] = {}
    title = _line(entry.get("title"))
    if not title:
        title = " ".join(re.split(r"[-_\s]+", _line(entry.get("slug")))).strip().capitalize() or "Untitled talk"
        note(f"the talk has no title; it is called {title!r}")
    talk["title"] = title
    guid, number = _line(entry.get("guid")), _line(entry.get("id"))
    identity = f"guid {guid!r}" if guid else f"id {number!r}" if number else None
    talk_entry = _Talk(_slug(title, "talk"), talk, rel, line, identity=identity)

    people: list[tuple[str, str]] = []
    persons = entry.get("persons")
    if persons is not None and not isinstance(persons, list):
        note("'persons' is not a list; the talk names no speaker")
        persons = []
    for person in persons or []:
        if isinstance(person, str):
            person = {"name": person}
        if not isinstance(person, dict):
            note(f"a person given as {person!r} is left out")
            continue
        person_id, name = _person_id(person), _person_name(person)
        if person_id and not name:
            name = names.get(person_id, "")
            if not name:
                note(f"person {person_id!r} has no name anywhere in the schedule; left out")
                continue
        if not name:
            note("a person with neither a name nor an id is left out")
            continue
        people.append((person_id or _slug(name, "speaker"), name))

    when = entry.get("date")
    talk_day = _date(when) or day
    if talk_day is not None:
        talk["date"] = talk_day
    elif when not in (None, ""):
        note(f"'date' {when!r} is not a date; the talk is undated")
    start = _clock(entry.get("start"))
    if start is None:
        time = _TIME.search(str(when or ""))
        start = time.group(0)[1:] if time else None
    if start is not None:
        talk["start"] = start
    elif entry.get("start") not in (None, ""):
        note(f"'start' {entry.get('start')!r} is not a time like 09:30; left out")
    duration = _minutes(entry.get("duration"))
    if duration is not None:
        talk["duration"] = duration
    elif entry.get("duration") not in (None, "", "00:00"):
        note(f"'duration' {entry.get('duration')!r} is not a length like 00:30 (or minutes); left out")
    talk_room = _line(entry.get("room")) or room
    if talk_room:
        talk["room"] = talk_room
        if talk_room not in program.rooms:
            program.rooms.append(talk_room)
    track = _line(entry.get("track"))
    if track:
        talk["track"] = track
    language = _line(entry.get("language"))
    if language:
        talk["language"] = language
    parts = [value for value in (entry.get("subtitle"), entry.get("abstract"), entry.get("description"))
             if isinstance(value, str) and value.strip()]
    parts = list(dict.fromkeys(part.strip() for part in parts))
    if parts:
        abstract = _abstract("\n\n".join(parts), note)
        if abstract:
            talk["abstract"] = abstract

    found: list[tuple[str, str]] = []
    for key in ("links", "attachments"):
        items = entry.get(key)
        for item in items if isinstance(items, list) else []:
            label, value = (_line(item.get("title") or item.get("label")), item.get("url") or item.get("href")) \
                if isinstance(item, dict) else ("", item)
            url = _url(value, base_url, note)
            if url:
                found.append((label, url))
    page = _url(entry.get("url"), base_url, note) if entry.get("url") else None
    if page:
        found.append(("Talk page", page))
    _sort_links(talk, found)

    if program.add_talk(talk_entry):
        program.add_speakers(talk_entry, people)
        place = program.rooms.index(talk_room) if talk_room in program.rooms else len(program.rooms)
        talk_entry.order = (talk.get("date") or dt.date.max, talk.get("start") or "", place)


# --- writing ------------------------------------------------------------------------------------


class _Block(str):
    """A text written as a YAML literal block (``|``)."""


class _Flow(list):
    """A list written on one line (``[a, b]``)."""


class _Quoted(str):
    """A text written in double quotes: a time, ``"10:30"``, which YAML 1.1 would read as a number."""


class _Dumper(yaml.SafeDumper):
    """YAML as program files write it: no anchors, abstracts as literal blocks, short lists on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _FastDumper(getattr(yaml, "CSafeDumper", _Dumper)):  # type: ignore[misc]
    """:class:`_Dumper` through libyaml, when PyYAML has it: many times faster."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


for _dumper in (_Dumper, _FastDumper):
    _dumper.add_representer(_Block, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", str(value), style="|"))
    _dumper.add_representer(_Quoted, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", str(value), style='"'))
    _dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", list(value), flow_style=True))
#: how libyaml writes a character beyond U+FFFF (an emoji): it cannot write it as itself
_ESCAPED_ASTRAL = re.compile(r"\\U[0-9A-Fa-f]{8}")


def _program_data(program: _Program) -> dict[str, Any]:
    event: dict[str, Any] = {"name": program.name}
    for key in ("start", "end", "location", "website"):
        if getattr(program, key):
            event[key] = getattr(program, key)
    data: dict[str, Any] = {"event": event, "source": program.source}
    if program.license:
        data["license"] = program.license
    talks = sorted(program.talks.values(), key=lambda talk: talk.order)
    used = list(dict.fromkeys(person for talk in talks for person in talk.data.get("speakers", ())))
    rooms = [room for room in program.rooms if any(talk.data.get("room") == room for talk in talks)]
    if rooms:
        data["rooms"] = _Flow(rooms)
    if used:
        data["speakers"] = {person: {"name": program.speakers[person]} for person in sorted(used)}
    if talks:
        data["talks"] = {talk.id: _talk_data(talk.data) for talk in talks}
    return data


_TALK_KEYS = ("title", "speakers", "date", "start", "duration", "room", "track", "language", "abstract", "video",
              "slides", "links", "tags")


def _talk_data(talk: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in _TALK_KEYS:
        value = talk.get(key)
        if value in (None, "", [], {}):
            continue
        if key in ("speakers", "tags"):
            value = _Flow(value)
        elif key == "abstract":
            value = _Block(value)
        elif key == "start":
            value = _Quoted(value)
        data[key] = value
    return data


def _source_note(program: _Program) -> str:
    if program.source == "pyvideo":
        return "from pyvideo.org's data (CC0 1.0)"
    return "from its frab/pretalx schedule (schedule.json)"


def program_text(program: _Program) -> str:
    """The whole text of a program file: its three header lines and its YAML."""
    data = _program_data(program)
    options: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 100, "default_flow_style": False}
    body = yaml.dump(data, Dumper=_FastDumper, **options)
    if _ESCAPED_ASTRAL.search(body):
        # libyaml quotes and escapes text with an emoji; PyYAML's own emitter writes it as it is
        body = yaml.dump(data, Dumper=_Dumper, **options)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return (f"# The program of {program.name}, {_source_note(program)}.\n"
            "# Written by confarchive import-program; the checksum below tells a hand edit.\n"
            f"{CHECKSUM_PREFIX}{digest}\n{body}")


def checksum_matches(data: bytes) -> bool:
    """Whether a program file's checksum line is there and matches the text after it."""
    offset = 0
    while data.startswith(b"#", offset):
        end = data.find(b"\n", offset)
        if end < 0:
            return False
        line = data[offset:end].decode("utf-8", errors="replace").rstrip("\r")
        if line.startswith(CHECKSUM_PREFIX):
            return line[len(CHECKSUM_PREFIX):].strip() == hashlib.sha256(data[end + 1:]).hexdigest()
        offset = end + 1
    return False


def _write(program: _Program, into: Path, report: ProgramReport, *, force: bool, dry_run: bool) -> None:
    target = into / f"{program.id}.yaml"
    shown = target.as_posix()
    text = program_text(program)
    if target.exists():
        try:
            existing = target.read_bytes()
        except OSError as error:
            report.failed.append((shown, f"cannot be read ({error.strerror or error})"))
            return
        if not force and not checksum_matches(existing):
            report.skipped.append((shown, HAND_EDITED))
            return
        if existing == text.encode("utf-8"):
            _count(program, report, shown)
            return
    if not dry_run:
        # written beside it, then put in its place: a reader never sees half a file
        partial = target.with_name(f".{target.name}.partial")
        try:
            into.mkdir(parents=True, exist_ok=True)
            partial.write_text(text, encoding="utf-8", newline="\n")
            os.replace(partial, target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            report.failed.append((shown, f"cannot be written ({error.strerror or error})"))
            return
    _count(program, report, shown)


def _count(program: _Program, report: ProgramReport, shown: str) -> None:
    report.written.append(shown)
    report.talks += len(program.talks)
    report.speakers += len({person for talk in program.talks.values() for person in talk.data.get("speakers", ())})


# --- the run ----------------------------------------------------------------------------------


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _is_event_folder(folder: Path) -> bool:
    return (folder / "category.json").is_file() or (folder / "videos").is_dir()


def detect_program(source: Path) -> str | None:
    """Which kind of program ``source`` holds (``pyvideo-event``, ``pyvideo``, ``schedule``), or None."""
    if source.is_file():
        return "schedule" if source.suffix.lower() == ".json" else None
    if not source.is_dir():
        return None
    if _is_event_folder(source):
        return "pyvideo-event"
    if (source / "schedule.json").is_file():
        return "schedule"
    if any(child.is_dir() and not child.name.startswith(".") and (child / "category.json").is_file()
           for child in source.iterdir()):
        return "pyvideo"
    return None


def import_program(source: Path, into: Path, *, event: str | None = None, force: bool = False,
                   dry_run: bool = False,
                   progress: Callable[[Iterator[Any], int], Iterator[Any]] | None = None) -> ProgramReport:
    """Write the program in ``source`` as program files in ``into``; see the module's docstring.

    :class:`ImportAborted` when ``source`` does not exist or holds no program, or
    ``event`` is not a usable id.
    """
    source, into = Path(source), Path(into)
    if not source.exists():
        raise ImportAborted(f"{source} does not exist")
    kind = detect_program(source)
    if kind is None:
        raise ImportAborted(f"{source} holds no program: neither a pyvideo event (category.json, videos/), "
                            "a pyvideo data folder of events, nor a schedule.json")
    if event is not None and not _SAFE_ID.match(event):
        raise ImportAborted(f"--event {event!r} is not an event id (letters, digits, '.', '_' and '-')")
    report = ProgramReport(source, into, kind, dry_run=dry_run)

    if kind == "schedule":
        path = source if source.is_file() else source / "schedule.json"
        base = path.parent
        programs: Iterator[_Program | None] = iter([_read_schedule(path, base, event, report)])
        total = 1
    elif kind == "pyvideo-event":
        folder = source.resolve() if source.name in ("", ".", "..") else source
        base = folder.parent
        withheld = _withheld_ids(folder.parent, base, report.problems)
        programs = iter([_read_pyvideo_event(folder, event or folder.name, base, withheld, report)])
        total = 1
    else:
        folders = sorted(child for child in source.iterdir()
                         if child.is_dir() and not child.name.startswith(".") and _is_event_folder(child))
        if event is not None:
            raise ImportAborted(f"--event names one event, but {source} holds {len(folders)}; "
                                "import one event folder to give it an id of its own")
        withheld = _withheld_ids(source, source, report.problems)
        programs = (_read_pyvideo_event(folder, folder.name, source, withheld, report) for folder in folders)
        total = len(folders)
    if progress is not None:
        programs = progress(programs, total)
    for program in programs:
        if program is None:
            continue
        report.problems.extend(program.problems)
        try:
            _write(program, into, report, force=force, dry_run=dry_run)
        except Exception as error:  # one event that cannot be written must not stop the others
            report.failed.append((program.file, f"could not be written: {type(error).__name__}: {error}"))
            report.problems.append(Problem(1, ArchiveWarning.PROGRAM,
                                           f"could not be written: {type(error).__name__}: {error}",
                                           file=program.file))
    report.problems = list(dict.fromkeys(report.problems))
    return report
