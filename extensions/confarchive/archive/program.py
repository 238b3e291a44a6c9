"""The official program beside the coverage: program files read, talks ordered, coverage matched.

Program files (:mod:`confarchive.text.program`) are read at the start of a build,
each only when it changed since the last: :func:`read_program_files` keeps what it read
beside the doctrees, and only the files' stamps in the environment (a program of 20,000
talks would otherwise be pickled with every parallel reader's results). Once every post is read, the view
(:mod:`.view`) asks :func:`match_coverage` which program talk each talk covered in a
post is:

- the one its card names (``:talk: event/talk``), or none (``:talk: none``);
- else, where ``confarchive_talk_matching`` is on, the talk of the post's event that
  shares a speaker with it (when several do: the one on the day of the post, else the one
  with the most alike title), or has its title: a proposal, reported at the card so that
  it is never a silent guess.
"""

from __future__ import annotations

import difflib
import pickle
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Event, Post, ProgramEvent, ProgramTalk, Talk
from ..problems import ArchiveWarning, Problem
from ..text.program import program_paths, read_program
from ..text.slugs import name_key, slugify

if TYPE_CHECKING:
    from collections.abc import Iterable

#: beside the doctrees: each program file's stamp and what was read from it
_CACHE = "confarchive-program.pickle"
#: bump when the shape of what the cache keeps, or how a file is read, changes
_CACHE_VERSION = 2
#: how alike two titles must be (difflib's ratio of their words) to be one talk
TITLE_MATCH = 0.6
#: a talk matched by its title alone must be this alike
TITLE_ONLY_MATCH = 0.9


@dataclass
class ProgramFiles:
    """What the program files say, and which of them changed since the last build."""

    events: dict[str, ProgramEvent] = field(default_factory=dict)
    #: each file's stamp (name, time, size), by event id: the environment keeps them
    stamps: dict[str, tuple] = field(default_factory=dict)
    #: the event ids whose file was added, changed or removed since the environment's build
    changed: set[str] = field(default_factory=set)
    #: the problems of the files read in this build, by path
    problems: list[tuple[Path, Problem]] = field(default_factory=list)


def read_program_files(folder: Path, cache_dir: Path, known: dict[str, tuple], fresh: bool = False) -> ProgramFiles:
    """The program files of ``folder``, and which changed since the build that left ``known``
    (the stamps the environment keeps).

    What a file says is kept beside the doctrees, by its stamp, so that a file is read
    again only when it changed. The environment's stamps, not the cache's, say what
    changed: a build stopped before its environment was saved leaves the cache ahead of
    it, and the next build still writes again the pages of what changed. A ``fresh``
    build (a new environment) reads every file again, and reports each problem again.
    """
    cache_path = cache_dir / _CACHE
    try:
        if fresh:
            raise FileNotFoundError(cache_path)
        with cache_path.open("rb") as stream:
            version, cached = pickle.load(stream)  # noqa: S301 (written by this function)
        if version != _CACHE_VERSION:
            cached = {}
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
        cached = {}
    result = ProgramFiles()
    kept: dict[str, tuple[tuple, ProgramEvent | None]] = {}
    seen: dict[str, Path] = {}
    for path in program_paths(folder):
        event_id = slugify(path.stem)
        if event_id in seen:
            result.problems.append((path, Problem(1, ArchiveWarning.PROGRAM,
                                                  f"{path.name}: the event {event_id!r} already has its program in "
                                                  f"{seen[event_id].name}; this file is not read")))
            continue
        seen[event_id] = path
        stat = path.stat()
        stamp = (path.name, stat.st_mtime_ns, stat.st_size)
        if event_id in cached and cached[event_id][0] == stamp:
            kept[event_id] = cached[event_id]
        else:
            event, problems = read_program(path)
            result.problems.extend((path, problem) for problem in problems)
            kept[event_id] = (stamp, event)
    result.stamps = {event_id: stamp for event_id, (stamp, _) in kept.items()}
    result.changed = {event_id for event_id in known.keys() | kept.keys()
                      if known.get(event_id) != result.stamps.get(event_id)}
    result.events = {event_id: event for event_id, (_, event) in kept.items() if event is not None}
    if {key: stamp for key, (stamp, _) in kept.items()} != {key: entry[0] for key, entry in cached.items()}:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with cache_path.open("wb") as stream:
            pickle.dump((_CACHE_VERSION, kept), stream, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def with_program_events(events: dict[str, Event], program: dict[str, ProgramEvent]) -> dict[str, Event]:
    """The events of ``events.yaml``, with what their programs say where it says nothing,
    and an event for each program it does not describe."""
    merged = dict(events)
    for event_id, described in sorted(program.items()):
        event = merged.get(event_id)
        if event is None:
            merged[event_id] = Event(slug=event_id, name=described.name, start=described.start, end=described.end,
                                     location=described.location, website=described.website)
            continue
        merged[event_id] = replace(event, start=event.start or described.start, end=event.end or described.end,
                                   location=event.location or described.location,
                                   website=event.website or described.website)
    return merged


def schedule_order(event: ProgramEvent) -> list[ProgramTalk]:
    """An event's talks as its schedule runs: by day, time and room (in the program's room order), then title."""
    rooms = {room: number for number, room in enumerate(event.rooms)}
    return sorted(event.talks, key=lambda talk: (talk.date or "9999", talk.start or "99:99",
                                                 rooms.get(talk.room or "", len(rooms)), talk.room or "",
                                                 name_key(talk.title), talk.id))


@dataclass(frozen=True)
class Match:
    """A talk covered in a post, and the program talk it covers."""

    docname: str
    anchor: str
    key: str
    #: how it was found: ``card`` (its ``:talk:`` option), ``speaker`` or ``title`` (proposed)
    how: str
    #: the line of the talk's card, and what the report says of a proposal
    line: int | None = None
    reason: str = ""


@dataclass
class Coverage:
    """Which program talk each covered talk is, and what was proposed or could not be found."""

    #: (docname, anchor) -> the program talk's key
    program_of: dict[tuple[str, str], str] = field(default_factory=dict)
    #: a program talk's key -> the covered talks, in the order of the posts
    covered_by: dict[str, list[Talk]] = field(default_factory=lambda: defaultdict(list))
    proposed: list[Match] = field(default_factory=list)
    #: ``(docname, line, message)`` for a card that names no program talk, or a talk several could be
    unmatched: list[tuple[str, int | None, str]] = field(default_factory=list)


def match_coverage(posts: dict[str, Post], talks: Iterable[Talk], program: dict[str, ProgramTalk],
                   by_event: dict[str, list[ProgramTalk]], speakers_of: dict[str, tuple[str, ...]],
                   propose: bool) -> Coverage:
    """Which program talk each talk covered in a post is (see the module's docstring)."""
    coverage = Coverage()
    for talk in talks:
        post = posts.get(talk.docname)
        match = _match(talk, post, program, by_event, speakers_of, propose, coverage)
        if match is None:
            continue
        coverage.program_of[(talk.docname, talk.anchor)] = match.key
        coverage.covered_by[match.key].append(talk)
        if match.how != "card":
            coverage.proposed.append(match)
    coverage.covered_by = dict(coverage.covered_by)
    return coverage


def _match(talk: Talk, post: Post | None, program: dict[str, ProgramTalk], by_event: dict[str, list[ProgramTalk]],
           speakers_of: dict[str, tuple[str, ...]], propose: bool, coverage: Coverage) -> Match | None:
    if talk.program == "none":
        return None
    if talk.program:
        key = talk.program.strip().strip("/").lower()
        if key in program:
            return Match(talk.docname, talk.anchor, key, "card", talk.line)
        event = key.partition("/")[0]
        close = difflib.get_close_matches(key, [t.key for t in by_event.get(event, ())], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else (
            "" if event in by_event else f"; no program file describes the event {event!r}")
        coverage.unmatched.append((talk.docname, talk.line,
                                   f"talk {talk.title!r}: ':talk: {talk.program}' names no talk of the program{hint}"))
        return None
    if not propose or post is None or not post.event_slug or post.event_slug not in by_event:
        return None
    candidates = by_event[post.event_slug]
    ids = {speaker.id for speaker in talk.speakers}
    shared = [candidate for candidate in candidates if ids & set(speakers_of.get(candidate.key, ()))]
    title = name_key(talk.title)
    # a talk headed by its speakers' names says nothing by its title
    named_by_speakers = title == name_key(", ".join(speaker.name for speaker in talk.speakers))
    if len(shared) == 1:
        chosen = shared[0]
        return Match(talk.docname, talk.anchor, chosen.key, "speaker", talk.line,
                     f"it has the same speaker{'s' if len(ids) > 1 else ''}")
    if len(shared) > 1:
        # a post written during the event tells of that day's talks
        that_day = [candidate for candidate in shared if post.date and candidate.date == post.date[:10]]
        if len(that_day) == 1 and (named_by_speakers or _alike(title, that_day[0].title) >= TITLE_MATCH
                                   or all(_alike(title, other.title) < TITLE_MATCH for other in shared)):
            return Match(talk.docname, talk.anchor, that_day[0].key, "speaker", talk.line,
                         "it has the same speaker, on the day of the post")
        if named_by_speakers:
            coverage.unmatched.append((talk.docname, talk.line, _several(talk, shared)))
            return None
        scored = sorted(((_alike(title, candidate.title), candidate) for candidate in shared),
                        key=lambda pair: (-pair[0], pair[1].key))
        if scored[0][0] >= TITLE_MATCH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return Match(talk.docname, talk.anchor, scored[0][1].key, "speaker", talk.line,
                         f"it has the same speaker and a title {scored[0][0]:.0%} alike")
        coverage.unmatched.append((talk.docname, talk.line, _several(talk, shared)))
        return None
    if named_by_speakers or not title:
        return None
    scored = sorted(((_alike(title, candidate.title), candidate) for candidate in candidates),
                    key=lambda pair: (-pair[0], pair[1].key))
    if scored and scored[0][0] >= TITLE_ONLY_MATCH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return Match(talk.docname, talk.anchor, scored[0][1].key, "title", talk.line,
                     f"its title is {scored[0][0]:.0%} alike (no speaker in common)")
    return None


def _alike(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one, name_key(other)).ratio()


def _several(talk: Talk, candidates: list[ProgramTalk]) -> str:
    keys = ", ".join(candidate.key for candidate in candidates[:5]) + (", ..." if len(candidates) > 5 else "")
    return (f"talk {talk.title!r} could be any of {len(candidates)} program talks of its speakers ({keys}); "
            "name one with ':talk:' on its card")
