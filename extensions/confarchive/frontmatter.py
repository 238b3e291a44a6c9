"""Read a post's front matter, forgivingly.

Pure functions, no Sphinx import: the build and the ``confarchive import`` command
share them. Bad input never raises; every problem comes back as a :class:`Problem`
with the 1-based line it concerns, and what can be read is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .warning_types import ArchiveWarning

_FENCE = "---"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(.*)$")

#: Keys MyST itself reads from front matter; confarchive passes them through untouched.
MYST_KEYS = frozenset({"myst", "mystnb", "substitutions", "html_meta"})


@dataclass(frozen=True)
class Problem:
    """Something wrong in a post's source, at a 1-based line."""

    line: int
    subtype: ArchiveWarning
    message: str


@dataclass
class FrontMatter:
    """The front matter block of a document."""

    data: dict[str, Any]
    #: 0-based index of the first line after the closing fence.
    body_start: int
    #: 1-based line of each top-level key.
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: whether ``data`` differs from what a YAML parser reads from the block.
    repaired: bool = False

    @property
    def content_lines(self) -> int:
        """Number of lines between the fences."""
        return self.body_start - 2


def split_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """Find a ``---`` fenced block at the top: (first content line, closing fence), 0-based."""
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            return 1, index
    return None


def read_front_matter(text: str) -> FrontMatter | None:
    """Read the front matter of ``text``; ``None`` when there is no front matter block."""
    lines = text.splitlines()
    span = split_front_matter(lines)
    if span is None:
        return None
    first, closing = span
    block = lines[first:closing]
    key_lines = {}
    for offset, line in enumerate(block):
        match = _TOP_KEY.match(line)
        if match and match.group(1) not in key_lines:
            key_lines[match.group(1)] = first + offset + 1
    front = FrontMatter(data={}, body_start=closing + 1, key_lines=key_lines)

    try:
        data = yaml.safe_load("\n".join(block)) if any(s.strip() for s in block) else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first + 1 + (mark.line if mark is not None else 0)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        front.data = _salvage(block)
        front.repaired = True
        kept = ", ".join(sorted(front.data)) or "nothing"
        front.problems.append(
            Problem(line, ArchiveWarning.FRONT_MATTER,
                    f"front matter is not valid YAML ({reason}); kept: {kept}")
        )
        return front

    if data is None:
        data = {}
    if not isinstance(data, dict):
        front.problems.append(
            Problem(first + 1, ArchiveWarning.FRONT_MATTER,
                    f"front matter must be a mapping of keys to values, not {type(data).__name__}")
        )
        front.repaired = True
        data = {}
    front.data = {str(key): value for key, value in data.items()}
    return front


def _salvage(block: list[str]) -> dict[str, Any]:
    """Read what can be read from a front matter block that is not valid YAML.

    Each top-level ``key: value`` line is read on its own; a value that is not valid
    YAML either is kept as its text.
    """
    data: dict[str, Any] = {}
    for line in block:
        match = _TOP_KEY.match(line)
        if not match:
            continue
        key, raw = match.group(1), match.group(2).strip()
        if key in data:
            continue
        try:
            value = yaml.safe_load(raw) if raw else None
        except yaml.YAMLError:
            value = raw
        if isinstance(value, (dict, list)) and key in ("title", "author", "date", "event", "summary"):
            value = raw
        data[key] = value
    return data


# --- field normalisation -------------------------------------------------------------

_DATE_RE = re.compile(
    r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$"
)
_PARTIAL_DATE_RE = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?\b")


def parse_date(value: Any) -> tuple[dt.datetime | None, str | None]:
    """Read a post date: ``(datetime or None, problem message or None)``.

    Accepts YAML dates and datetimes, ``YYYY-MM-DD[ HH:MM[:SS]]`` with or without zero
    padding, ISO 8601 with ``T`` and a time zone. A date with a missing or impossible
    part keeps what can be read (year and month) and reports what it assumed.
    """
    if isinstance(value, dt.datetime):
        return value, None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), None
    if value is None or isinstance(value, (list, dict, bool)):
        return None, f"date must be a date like 2017-12-06 or 2017-12-06 08:57, not {value!r}"
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if match:
        parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "tz"}
        try:
            when = dt.datetime(
                parts["year"], parts["month"], parts["day"],
                parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0),
            )
        except ValueError as error:
            return _partial(text, f"{error}")
        tz = match.group("tz")
        if tz:
            try:
                when = dt.datetime.fromisoformat(f"{when.isoformat()}{'+00:00' if tz == 'Z' else tz}")
            except ValueError:
                return when, f"date {text!r} has an unreadable time zone {tz!r}; read without it"
        return when, None
    return _partial(text, "it is not of the form YYYY-MM-DD[ HH:MM[:SS]]")


def _partial(text: str, reason: str) -> tuple[dt.datetime | None, str]:
    match = _PARTIAL_DATE_RE.match(text)
    if match:
        year = int(match.group("year"))
        month = int(match.group("month") or 1)
        if 1 <= month <= 12 and 1 <= year:
            guess = dt.datetime(year, month, 1)
            return guess, f"date {text!r} cannot be read fully ({reason}); read as {guess:%Y-%m-%d}"
    return None, f"date {text!r} cannot be read ({reason}); the post is left undated"


def as_text_list(value: Any) -> tuple[list[str], str | None]:
    """A field holding one or several names (``author``, ``tags``): a list of strings.

    A string with commas is split on them. Returns (values, problem or None).
    """
    if value is None:
        return [], None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()], None
    if isinstance(value, (list, tuple)):
        items = []
        problem = None
        for item in value:
            if isinstance(item, (str, int, float)) and str(item).strip():
                items.append(str(item).strip())
            elif item is not None:
                problem = f"ignored {item!r}: each entry must be a name"
        return items, problem
    if isinstance(value, (int, float)):
        return [str(value)], None
    return [], f"must be a name or a list of names, not {type(value).__name__}"


def as_text(value: Any) -> tuple[str | None, str | None]:
    """A field holding one piece of text (``title``, ``event``, ``summary``)."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return value.strip() or None, None
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return str(value), None
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value), f"must be text, not a list; read as {', '.join(str(v) for v in value)!r}"
    return None, f"must be text, not {type(value).__name__}"


def to_yaml_line(data: dict[str, Any]) -> str:
    """``data`` as one line of YAML (JSON is YAML), dates written in ISO 8601."""
    return json.dumps(data, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


# --- a post's fields ----------------------------------------------------------------


@dataclass
class PostFields:
    """The front matter fields confarchive gives meaning to, normalised."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: dt.datetime | None = None
    event: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False


#: Front matter keys that make a page a post.
POST_KEYS = ("date", "author")
#: Keys of the legacy blog dialect that are accepted and ignored.
IGNORED_KEYS = frozenset({"template"})


def is_post(data: dict[str, Any]) -> bool:
    """A page is a post when its front matter has a ``date`` or an ``author``."""
    return any(key in data for key in POST_KEYS)


def read_post_fields(front: FrontMatter) -> tuple[PostFields, list[Problem]]:
    """Normalise the fields of a post; each problem is located at its key's line."""
    data = front.data
    problems: list[Problem] = []

    def report(key: str, message: str) -> None:
        problems.append(Problem(front.key_lines.get(key, 1), ArchiveWarning.FRONT_MATTER
                                if key != "date" else ArchiveWarning.DATE, message))

    fields = PostFields()
    for key in ("title", "event", "summary"):
        value, problem = as_text(data.get(key))
        if problem:
            report(key, f"{key!r} {problem}")
        setattr(fields, key, value)
    for key, attr in (("author", "authors"), ("tags", "tags")):
        values, problem = as_text_list(data.get(key))
        if problem:
            report(key, f"{key!r} {problem}")
        setattr(fields, attr, tuple(dict.fromkeys(values)))
    if "date" in data:
        fields.date, problem = parse_date(data["date"])
        if problem:
            report("date", problem)
    draft = data.get("draft", False)
    if isinstance(draft, bool):
        fields.draft = draft
    else:
        report("draft", f"'draft' must be true or false, not {draft!r}")
    return fields, problems
