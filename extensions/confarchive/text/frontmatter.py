"""Read a post's front matter, forgivingly.

Pure functions, no Sphinx import: the build and the ``confarchive import`` command
share them. Bad input never raises; every problem comes back as a :class:`Problem`
with the 1-based line it concerns, and what can be read is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..problems import ArchiveWarning, Problem

_FENCE = "---"
#: a top-level ``key: value`` line; PyYAML reads no implicit key longer than 1024 characters
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]{0,1000})\s*:(.*)$")
#: a line that continues the value of the key above it: indented, or an item of a list
_CONTINUATION = re.compile(r"^(?:[ \t]|-(?:[ \t]|$))")

#: Keys MyST itself reads from front matter; confarchive passes them through untouched.
MYST_KEYS = frozenset({"myst", "mystnb", "substitutions", "html_meta"})
#: Fields holding one piece of text.
TEXT_KEYS = ("title", "event", "summary")
#: Fields holding one name or several.
NAME_KEYS = ("author", "tags")
#: Listings, feeds and search show at most this many characters of a post's title.
MAX_TITLE_LENGTH = 200
#: A post dated further ahead than this is almost certainly a typo.
FAR_FUTURE = dt.timedelta(days=366)


@dataclass
class FrontMatter:
    """The front matter block of a document."""

    data: dict[str, Any]
    #: 0-based index of the first line after the closing fence.
    body_start: int
    #: 1-based line of each top-level key (of the last one, for a key given twice).
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: whether ``data`` differs from what a YAML parser reads from the block.
    repaired: bool = False

    @property
    def content_lines(self) -> int:
        """Number of lines between the fences."""
        return self.body_start - 2


def split_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """Find a ``---`` fenced block at the top: (first content line, closing line), 0-based.

    A block that never closes ends at the first blank line (or the end of the text), as
    long as every line before it reads as front matter: ``key: value`` lines and the
    indented or list lines under them. The blank line then stands for the closing fence.
    Anything else that opens with ``---`` has no front matter.
    """
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            return 1, index
    end = 1
    while end < len(lines) and lines[end].strip():
        if not (_TOP_KEY.match(lines[end]) or _CONTINUATION.match(lines[end])):
            return None
        end += 1
    if end == 1 or not _TOP_KEY.match(lines[1]):
        return None
    return 1, end


def read_front_matter(text: str) -> FrontMatter | None:
    """Read the front matter of ``text``; ``None`` when there is no front matter block."""
    # split on "\n" only, as MyST and the legacy converter do: str.splitlines() also
    # breaks at form feeds and Unicode line separators, which would shift the body
    lines = text.split("\n")
    span = split_front_matter(lines)
    if span is None:
        return None
    first, closing = span
    block = lines[first:closing]
    front = FrontMatter(data={}, body_start=closing + 1)
    if closing >= len(lines) or lines[closing].rstrip() != _FENCE:
        end = f"up to the first blank line (line {closing + 1})" if closing < len(lines) else "to the end of the file"
        front.problems.append(Problem(1, ArchiveWarning.FRONT_MATTER,
                                      f"front matter opens with --- but never closes; it is read {end}"))
        front.repaired = True  # MyST would not find it: it is written out closed

    source = "\n".join(block)
    if not source.strip():
        front.repaired = True  # MyST warns about front matter that holds nothing: written as {}
        return front

    def line_of(mark: yaml.Mark) -> int:
        # PyYAML also counts "\r", NEL and the Unicode separators as line breaks
        return first + 1 + source[:mark.index].count("\n")

    try:
        data, keys, retyped = _load(source)
    except (yaml.YAMLError, RecursionError) as error:
        front.data, front.key_lines, duplicates = _salvage(block, first)
        front.repaired = True
        front.problems.append(Problem(_syntax_error(error, line_of, first), ArchiveWarning.FRONT_MATTER,
                                      f"front matter is not valid YAML ({_reason(error)}); "
                                      f"kept: {', '.join(sorted(front.data)) or 'nothing'}"))
        front.problems.extend(duplicates)
        _read_title(front)
        return front

    if data is None:
        front.repaired = True  # comments only: written as {}, as for an empty block
        return front
    if not isinstance(data, dict):
        front.problems.append(
            Problem(first + 1, ArchiveWarning.FRONT_MATTER,
                    f"front matter must be a mapping of keys to values, not {_kind(data)}")
        )
        front.repaired = True
        return front

    front.repaired = front.repaired or retyped
    front.data = data
    value_nodes = {}
    for key, mark, value_node in keys:
        line = line_of(mark)
        if key in front.key_lines:
            front.problems.append(Problem(line, ArchiveWarning.FRONT_MATTER, _duplicate(key, front.key_lines[key])))
        front.key_lines[key] = line
        value_nodes[key] = value_node  # the last one, whose value YAML keeps
    for key, value_node in value_nodes.items():
        if _retype(key, data.get(key)) and isinstance(value_node, yaml.ScalarNode):
            # ``title: 2019`` or ``title: Yes``: YAML reads a number or a boolean, the
            # author wrote text. Keep it as written.
            data[key] = value_node.value
            front.repaired = True
    _read_title(front)
    return front


def _duplicate(key: str, first_line: int) -> str:
    return f"key {key!r} is given twice (first on line {first_line}); the last value is kept"


def _retype(key: str, value: Any) -> bool:
    """Whether ``value``, read by YAML as a number, a date or a boolean, is text for ``key``.

    Fields of text take any of them as written; names (``author``, ``tags``) take numbers
    and dates, while ``true`` as a name is reported as the mistake it is.
    """
    if key in TEXT_KEYS:
        return isinstance(value, (bool, int, float, dt.date))
    if key in NAME_KEYS:
        return isinstance(value, (int, float, dt.date)) and not isinstance(value, bool)
    return False


def _read_title(front: FrontMatter) -> None:
    """Make ``title`` text (or drop it), since every page takes its heading from it.

    A list is read as its items, a mapping as its ``key: value`` pairs (``Keynotes: Day 1``
    indented under ``title:`` is one): a page without a heading is worse than an odd one.
    """
    if "title" not in front.data or isinstance(front.data["title"], str):
        return
    value = front.data["title"]
    text, problem = as_text(value)
    if isinstance(value, dict):
        text = _flat_text(value) or None
        problem = f"must be text, not a mapping; read as {text!r}" if text else problem
    if problem:
        front.problems.append(Problem(front.key_lines.get("title", 1), ArchiveWarning.FRONT_MATTER,
                                      f"'title' {problem}"))
    if text is None:
        del front.data["title"]
    else:
        front.data["title"] = text
    front.repaired = True


def _flat_text(value: Any) -> str:
    """The text of a value made of lists and mappings, ``key: value`` pairs and items joined."""
    if isinstance(value, dict):
        parts = [f"{_flat_text(key)}: {_flat_text(item)}".strip(": ") for key, item in value.items()]
    elif isinstance(value, (list, tuple, set)):
        parts = [_flat_text(item) for item in value]
    else:
        return "" if value is None else " ".join(_text(value).split())
    return ", ".join(part for part in parts if part)


# --- YAML ------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading a value it cannot build as the text it was written as.

    A plain scalar that looks like a date or a number but is none (``2023-02-30``, an
    integer of 5,000 digits) makes PyYAML raise ValueError, not a YAML error. It is read
    as its text, and ``retyped`` notes it; the date check then reports an impossible date
    at its line.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.retyped = False


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml's parser, when PyYAML has it: several times faster.

    Front matter that it cannot read is read again by :class:`_Loader`, so a problem is
    reported in the same words whichever parser is installed.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.retyped = False


def _lenient(construct):
    """``construct``, falling back to the scalar's text where its implicit type does not fit."""

    def constructor(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            value = construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            if loader.resolve(yaml.ScalarNode, node.value, (True, False)) != node.tag:
                # an explicit tag on a value that does not fit it (``!!int x``): bad YAML
                raise yaml.constructor.ConstructorError(
                    None, None, f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}",
                    node.start_mark) from error
            loader.retyped = True
            return node.value
        if isinstance(value, int) and value.bit_length() > 10_000:
            loader.retyped = True  # too long to print: Python refuses such integers
            return node.value
        return value
    return constructor


for _tag, _construct in (
    ("timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
    ("int", yaml.constructor.SafeConstructor.construct_yaml_int),
    ("float", yaml.constructor.SafeConstructor.construct_yaml_float),
    ("bool", yaml.constructor.SafeConstructor.construct_yaml_bool),
):
    for _loader_class in (_Loader, _FastLoader):
        _loader_class.add_constructor(f"tag:yaml.org,2002:{_tag}", _lenient(_construct))


#: the most values a block of YAML may hold once its aliases are expanded: ten nested
#: aliases of ten make ten billion ("billion laughs"), which no build can afford to walk
MAX_YAML_VALUES = 10_000


def yaml_values(node: yaml.Node, limit: int = MAX_YAML_VALUES) -> int:
    """How many values ``node`` holds with its aliases expanded, counted up to ``limit + 1``."""
    counted: dict[int, int] = {}

    def count(current: yaml.Node) -> int:
        key = id(current)
        if key in counted:
            return counted[key]
        counted[key] = 1  # a value that holds itself (``&a [*a]``) counts once
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(count(item) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(count(name) + count(value) for name, value in current.value)
        counted[key] = min(total, limit + 1)
        return counted[key]

    return count(node)


def too_many_values(node: yaml.Node) -> yaml.constructor.ConstructorError | None:
    """The error to report when ``node`` holds more values than :data:`MAX_YAML_VALUES`."""
    if yaml_values(node) <= MAX_YAML_VALUES:
        return None
    return yaml.constructor.ConstructorError(
        None, None, f"it holds more than {MAX_YAML_VALUES:,} values once its aliases (*name) are expanded",
        node.start_mark)


def _load(source: str) -> tuple[Any, list[tuple[str, yaml.Mark, yaml.Node]], bool]:
    """(data, [(key, mark, value node) of each top-level key], whether a value was retyped).

    The keys of a top-level mapping are kept as written (``yes:`` stays ``"yes"``, where
    YAML reads ``True``), so two keys never become one.
    """
    if hasattr(yaml, "CSafeLoader"):
        try:
            return _load_with(_FastLoader, source)
        except Exception:  # noqa: BLE001 - whatever went wrong, the Python parser reports it
            pass
    return _load_with(_Loader, source)


def _load_with(loader_class: type, source: str) -> tuple[Any, list[tuple[str, yaml.Mark, yaml.Node]], bool]:
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        error = too_many_values(node) if node is not None else None
        if error is not None:
            raise error
        if not isinstance(node, yaml.MappingNode):
            return (loader.construct_document(node) if node is not None else None), [], loader.retyped
        # noted before flattening, which merges the keys of ``<<`` into the node
        keys = [(key.value, key.start_mark, value) for key, value in node.value
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge"]
        loader.flatten_mapping(node)
        data = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading the front matter", node.start_mark,
                    "a key must be a name, not a list or a mapping", key.start_mark)
            data[key.value] = loader.construct_object(value, deep=True)
        return data, keys, loader.retyped
    finally:
        loader.dispose()


def _syntax_error(error: Exception, line_of, first: int) -> int:
    """The line of a YAML error: where an unclosed quote or bracket opens, else where it is found."""
    problem = getattr(error, "problem", None) or ""
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and ("end of stream" in problem or "<stream end>" in problem
                                     or "simple key" in (getattr(error, "context", None) or "")):
        mark = context_mark
    return line_of(mark) if mark is not None else first + 1


def _reason(error: Exception) -> str:
    """What is wrong, in PyYAML's words: ``problem while context``."""
    if isinstance(error, RecursionError):
        return "it is nested too deeply"
    problem = getattr(error, "problem", None)
    if not problem:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    context = getattr(error, "context", None)
    return f"{problem} {context}" if context else problem


def _salvage(block: list[str], first: int) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Read what can be read from a front matter block that is not valid YAML.

    Each top-level ``key: value`` line, with the indented and list lines under it, is
    read on its own; a value that is not valid YAML either is kept as its text. Lines
    that belong to no key are lost. Returns (data, key lines, duplicate key problems).
    """
    entries: list[tuple[str, int, list[str]]] = []
    for index, line in enumerate(block):
        match = _TOP_KEY.match(line)
        if match:
            entries.append((match.group(1), first + index + 1, [line]))
        elif entries and (not line.strip() or _CONTINUATION.match(line)):
            entries[-1][2].append(line)

    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    duplicates: list[Problem] = []
    for key, line, chunk in entries:
        if key in lines:
            duplicates.append(Problem(line, ArchiveWarning.FRONT_MATTER, _duplicate(key, lines[key])))
        lines[key] = line
        data[key] = _salvage_value(key, chunk)  # the last value given is kept, as YAML keeps it
    return data, lines, duplicates


def _salvage_value(key: str, chunk: list[str]) -> Any:
    """The value of one key of a broken block.

    Its lines are read as YAML, then fewer and fewer of them (a stray line at the end may
    be what breaks it), then its first line alone; failing that, it is its text as written.
    """
    raw = _TOP_KEY.match(chunk[0]).group(2).strip()
    chunk = [line if line.strip() else "" for line in chunk]  # a tab on a blank line is an error
    tries = range(len(chunk), 0, -1) if len(chunk) <= 50 else (len(chunk), 1)
    for lines in tries:
        try:
            parsed = _load("\n".join(chunk[:lines]))[0]
        except (yaml.YAMLError, RecursionError):
            continue
        if isinstance(parsed, dict) and len(parsed) == 1:
            value = next(iter(parsed.values()))
            break
    else:
        return _as_written(key, raw, chunk[1:])
    return value if _fits(key, value) else _as_written(key, raw, chunk[1:])


def _fits(key: str, value: Any) -> bool:
    """Whether a value read from a broken block has a type its field takes.

    A value with a colon reads as a mapping, ``2019`` as a number: fields of text, names
    and dates keep the text as written instead, as they would from a valid block.
    """
    if value is None or key not in (*TEXT_KEYS, *NAME_KEYS, "date"):
        return True
    if key == "date":
        return isinstance(value, (str, dt.date))
    return isinstance(value, (str, list)) or (key in NAME_KEYS and isinstance(value, bool))


def _as_written(key: str, raw: str, more: list[str]) -> str:
    """The text of a value that cannot be read as YAML, its lines joined."""
    text = " ".join([raw, *(line.strip() for line in more if line.strip())]).strip()
    if text[:1] in ("'", '"') and not text.endswith(text[0]):
        text = text[1:].lstrip()  # a quote that never closes
    if key in ("author", "tags") and text.startswith("["):
        # a list that never closes: its items, as far as they go
        text = ", ".join(item.strip(" '\"") for item in text.strip("[]").split(","))
    return text


# --- field normalisation -------------------------------------------------------------

_DATE_RE = re.compile(
    r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[A-Za-z]{2,5})?\s*$"
)
_PARTIAL_DATE_RE = re.compile(
    r"^\s*(?P<year>\d{4})(?:[-/.](?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?)?(?!\d)"
)
#: zone names that mean one offset only
_UTC_NAMES = frozenset({"Z", "UTC", "GMT"})


def parse_date(value: Any) -> tuple[dt.datetime | None, str | None]:
    """Read a post date: ``(datetime or None, problem message or None)``.

    Accepts YAML dates and datetimes, ``YYYY-MM-DD[ HH:MM[:SS]]`` with or without zero
    padding, ISO 8601 with ``T`` and a time zone. A date with a missing or impossible
    part keeps what can be read (the year, the month, the day) and reports what it
    assumed; a time zone name other than UTC is left out, and reported.
    """
    if isinstance(value, dt.datetime):
        return value, None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), None
    if value is None or isinstance(value, (list, dict, bool)):
        return None, f"date must be a date like 2017-12-06 or 2017-12-06 08:57, not {value!r}"
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if not match:
        return _partial(text, "it is not of the form YYYY-MM-DD[ HH:MM[:SS]]")
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k not in ("tz", "fraction")}
    fraction = match.group("fraction") or "."
    try:
        when = dt.datetime(
            parts["year"], parts["month"], parts["day"],
            parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0),
            int(fraction[1:7].ljust(6, "0")),
        )
    except ValueError as error:
        return _partial(text, f"{error}")
    tz = match.group("tz")
    if not tz:
        return when, None
    if tz.upper() in _UTC_NAMES:
        return when.replace(tzinfo=dt.timezone.utc), None
    offset = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", tz)
    try:
        if offset is None:
            raise ValueError(tz)
        delta = dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3)))
        return when.replace(tzinfo=dt.timezone(-delta if offset.group(1) == "-" else delta)), None
    except ValueError:
        return when, f"date {text!r} has an unreadable time zone {tz!r}; read without it"


def _partial(text: str, reason: str) -> tuple[dt.datetime | None, str]:
    """What can be read of a date that cannot be read fully: the year, then the month and day."""
    match = _PARTIAL_DATE_RE.match(text)
    year = int(match.group("year")) if match else 0
    if year < 1:
        return None, f"date {text!r} cannot be read ({reason}); the post is left undated"
    month = int(match.group("month") or 1)
    day = int(match.group("day") or 1)
    if not 1 <= month <= 12:
        month, day = 1, 1
    try:
        guess = dt.datetime(year, month, day)
    except ValueError:
        guess = dt.datetime(year, month, 1)
    return guess, f"date {text!r} cannot be read fully ({reason}); read as {guess.date().isoformat()}"


def _scalar_items(value: Any) -> list[Any] | None:
    """The items of a list, nested lists flattened; ``None`` when one is a mapping."""
    items = []
    for item in value:
        if isinstance(item, (list, tuple)):
            inner = _scalar_items(item)
            if inner is None:
                return None
            items.extend(inner)
        elif isinstance(item, (dict, set)):
            return None
        elif item is not None:
            items.append(item)
    return items


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
            if isinstance(item, (list, tuple)):
                inner, inner_problem = as_text_list(item)
                items.extend(inner)
                problem = problem or inner_problem
            elif isinstance(item, (str, int, float, dt.date)) and not isinstance(item, bool) and str(item).strip():
                items.append(str(item).strip())
            elif item is not None:
                problem = f"ignored {item!r}: each entry must be a name"
        return items, problem
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return [str(value)], None
    return [], f"must be a name or a list of names, not {_kind(value)}"


def as_text(value: Any) -> tuple[str | None, str | None]:
    """A field holding one piece of text (``title``, ``event``, ``summary``)."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return value.strip() or None, None
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return str(value), None
    if isinstance(value, (list, tuple)):
        items = _scalar_items(value)
        text = ", ".join(str(item).strip() for item in items or () if str(item).strip())
        if text:
            return text, f"must be text, not a list; read as {text!r}"
        return None, "must be text, not a list"
    return None, f"must be text, not {_kind(value)}"


def _kind(value: Any) -> str:
    """What a value is, in the words of YAML rather than Python."""
    if isinstance(value, bool):
        return str(value).lower()
    for kinds, name in ((dict, "a mapping"), ((list, tuple, set), "a list"), (str, "text"),
                        ((int, float), "a number"), (dt.date, "a date")):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def to_yaml_line(data: dict[str, Any]) -> str:
    """``data`` as one line of YAML (JSON is YAML), dates written in ISO 8601.

    What JSON cannot hold is written as text (sets, bytes, keys that are not strings,
    a list that holds itself); characters YAML refuses or reads as line breaks are
    escaped, so the line reads back as the same data.
    """
    line = json.dumps(_plain(data, ()), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


#: characters a YAML reader refuses (C1 controls, surrogates, non-characters) or reads as
#: line breaks (NEL, line and paragraph separators)
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _plain(value: Any, seen: tuple[int, ...]) -> Any:
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        if id(value) in seen:
            return None  # an alias of an enclosing value: cut the loop
        seen = (*seen, id(value))
        if isinstance(value, dict):
            return {key if isinstance(key, str) else _text(key): _plain(item, seen)
                    for key, item in value.items()}
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_plain(item, seen) for item in items]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
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


def read_post_fields(front: FrontMatter, today: dt.date | None = None) -> tuple[PostFields, list[Problem]]:
    """Normalise the fields of a post; each problem is located at its key's line.

    A title longer than :data:`MAX_TITLE_LENGTH` is shortened in the fields (what
    listings, feeds and search show); the page itself keeps it whole. A date more than
    a year after ``today`` is kept, and reported.
    """
    data = front.data
    problems: list[Problem] = []

    def report(key: str, message: str) -> None:
        problems.append(Problem(front.key_lines.get(key, 1), ArchiveWarning.FRONT_MATTER
                                if key != "date" else ArchiveWarning.DATE, message))

    fields = PostFields()
    for key in TEXT_KEYS:
        value, problem = as_text(data.get(key))
        if problem:
            report(key, f"{key!r} {problem}")
        setattr(fields, key, value)
    if fields.title and len(fields.title) > MAX_TITLE_LENGTH:
        report("title", f"'title' is {len(fields.title):,} characters long; the page shows it whole, "
                        f"listings, feeds and search show its first {MAX_TITLE_LENGTH}")
        fields.title = shorten(fields.title, MAX_TITLE_LENGTH)
    for key, attr in (("author", "authors"), ("tags", "tags")):
        values, problem = as_text_list(data.get(key))
        if problem:
            report(key, f"{key!r} {problem}")
        setattr(fields, attr, tuple(dict.fromkeys(values)))
    if "date" in data:
        fields.date, problem = parse_date(data["date"])
        if problem:
            report("date", problem)
        today = today or dt.date.today()
        if fields.date is not None and fields.date.date() > today + FAR_FUTURE:
            report("date", f"date {fields.date.date().isoformat()} is more than a year in the future; "
                           "the post is kept, but listed only from that day")
    draft = data.get("draft", False)
    if isinstance(draft, bool):
        fields.draft = draft
    else:
        report("draft", f"'draft' must be true or false, not {draft!r}")
    return fields, problems


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a space where it can be, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"
