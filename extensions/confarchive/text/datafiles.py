"""The archive's YAML data files, read entry by entry. Pure, no Sphinx import.

``events.yaml`` and ``speakers.yaml`` map ids to mappings of fields. One mistake in one
entry (an unclosed ``[``, a bad indent) must not lose the others, so a file that is not
valid YAML as a whole is cut into its top-level entries and each is read on its own: an
entry that still cannot be read is left out with a problem at its line, and every other
entry is kept. A duplicate id, or a field given twice in one entry, keeps the first, as
the documentation says, with a problem at the second. Each field keeps its own line, so
that what is wrong with a value is reported where the value is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import ArchiveWarning, Problem
from .encoding import undecodable_bytes
from .frontmatter import too_many_values

#: a line that starts a top-level entry: ``id:``, ``"id":`` or ``'id':`` at column 0
#: (a ``#`` starts a comment only after a space, so ``c#:`` is an id)
_TOP_KEY = re.compile(r"""^(?:"[^"\n]*"|'[^'\n]*'|[^\s#\-?:'"\[\]{},&*!|>%@`](?:[^:\s\n]|:(?![ \t]|$)|[ \t]+(?!#))*?)"""
                      r"""[ \t]*:(?:[ \t]|$)""")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Entry:
    """One entry of a data file: its id, the line of the id, its fields and their lines."""

    key: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """The line of a field, else of the entry."""
        return self.lines.get(name, self.line)


@dataclass
class DataFile:
    """The entries read from a data file, in order, and what was wrong with it."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_data_file(path: Path) -> DataFile:
    """A YAML mapping of ``id -> mapping of fields``; a missing file is empty, a broken one reported."""
    result = DataFile()
    if not path.is_file():
        return result
    try:
        raw = path.read_bytes()
    except OSError as error:
        result.problems.append(Problem(1, ArchiveWarning.DATA_FILE, f"{path.name} cannot be read ({error.strerror})"))
        return result
    problem = undecodable_bytes(raw)
    if problem:
        result.problems.append(Problem(problem.line, ArchiveWarning.DATA_FILE, f"{path.name}: {problem.message}"))
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        roots = [root for root in yaml.compose_all(text, Loader=_LOADER) if root is not None]
    except yaml.YAMLError as error:
        _read_entry_by_entry(path.name, text, error, result)
        return result
    if len(roots) > 1:
        result.problems.append(Problem(_line(roots[1]), ArchiveWarning.DATA_FILE,
                                       f"{path.name} holds {len(roots)} YAML documents (``---`` lines); "
                                       "their entries are read as one"))
    for root in roots:
        if not isinstance(root, yaml.MappingNode):
            result.problems.append(Problem(_line(root), ArchiveWarning.DATA_FILE,
                                           f"{path.name} must map ids to descriptions; this part of it is not read"))
            continue
        _read_entries(path.name, root, 0, result)
    return result


def _read_entry_by_entry(name: str, text: str, error: yaml.YAMLError, result: DataFile) -> None:
    """Read a file that is not valid YAML as a whole: every entry but the broken ones.

    The file is cut into its top-level entries, and each is read on its own to find
    the ones that cannot be read. Those are reported and blanked out, and the rest of
    the file is read again as a whole, so that an entry that names another's anchor
    (``speaker: *ana``) still finds it; if that fails too, each entry read on its own
    is kept.
    """
    lines = text.split("\n")
    starts = [number for number, line in enumerate(lines) if _TOP_KEY.match(line)]
    broken: list[tuple[int, int]] = []
    alone: list[tuple[yaml.MappingNode, int]] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        chunk = "\n".join(lines[start:end])
        try:
            root = yaml.compose(chunk, Loader=_LOADER)
        except yaml.YAMLError as chunk_error:
            if _undefined_alias(chunk_error):
                continue  # it names an anchor of another entry: read with the rest of the file
            broken.append((start, end))
            key = _entry_key(lines[start])
            # an error found at the end of the entry (a list never closed) is reported at its last line
            last = _last_content_line(lines[start:end])
            line = start + 1 + min(_mark_line(chunk_error), last)
            result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                           f"{name}: entry {key!r} cannot be read ({_reason(chunk_error)}); "
                                           "it is left out, the other entries are kept"))
            continue
        if isinstance(root, yaml.MappingNode):
            alone.append((root, start))
    kept = list(lines)
    for start, end in broken:
        kept[start:end] = [""] * (end - start)  # the line numbers of the rest stay as they are
    try:
        root = yaml.compose("\n".join(kept), Loader=_LOADER)
    except yaml.YAMLError:
        root = None
    if isinstance(root, yaml.MappingNode):
        _read_entries(name, root, 0, result)
    else:
        for entry_root, start in alone:
            _read_entries(name, entry_root, start, result)
    if not broken:
        # every entry reads: what broke the file lies outside them
        stray = _first_content_line(lines[: starts[0]] if starts else lines)
        line = stray + 1 if stray is not None else 1 + _mark_line(error)
        result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                       f"{name} is not valid YAML ({_reason(error)}); "
                                       f"{len(result.entries)} entries read one by one"))


def _undefined_alias(error: yaml.YAMLError) -> bool:
    return "found undefined alias" in (getattr(error, "problem", None) or "")


def _entry_key(line: str) -> str:
    return _TOP_KEY.match(line).group(0).rstrip().rstrip(":").strip().strip("'\"")


def _last_content_line(lines: list[str]) -> int:
    return max((number for number, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
               default=0)


def _first_content_line(lines: list[str]) -> int | None:
    return next((number for number, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
                None)


def _read_entries(name: str, root: yaml.MappingNode, offset: int, result: DataFile) -> None:
    for key_node, value_node in root.value:
        line = _line(key_node) + offset
        key = _scalar_text(key_node)
        if key is None:
            result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                           f"{name}: an id must be text; the entry is left out"))
            continue
        if key in result.entries:
            result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                           f"{name}: {key!r} is given again (first at line "
                                           f"{result.entries[key].line}); the first is kept"))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                           f"{name}: {key!r} must be a mapping of fields; it is left out"))
            continue
        try:
            too_large = too_many_values(value_node)
        except RecursionError:
            too_large = yaml.YAMLError("it is nested too deeply")
        if too_large is not None:
            result.problems.append(Problem(line, ArchiveWarning.DATA_FILE,
                                           f"{name}: {key!r} cannot be read ({_reason(too_large)}); it is left out"))
            continue
        entry = Entry(key, line)
        for field_key, field_value, field_line in _fields_of(value_node, offset):
            field_name = _scalar_text(field_key)
            if field_name is None:
                result.problems.append(Problem(field_line, ArchiveWarning.DATA_FILE,
                                               f"{name}: {key!r}: a field name must be text; the field is left out"))
                continue
            if field_name in entry.fields:
                if field_key.tag == _MERGED:
                    continue  # a field an alias merges in (``<<: *base``) gives way to one written out
                result.problems.append(Problem(field_line, ArchiveWarning.DATA_FILE,
                                               f"{name}: {key!r}: {field_name!r} is given again (first at line "
                                               f"{entry.lines[field_name]}); the first is kept"))
                continue
            try:
                value = _construct(field_value)
            except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
                result.problems.append(Problem(field_line, ArchiveWarning.DATA_FILE,
                                               f"{name}: {key!r}: {field_name!r} cannot be read "
                                               f"({_reason(error)}); the field is left out"))
                continue
            entry.fields[field_name] = value
            entry.lines[field_name] = field_line
        result.entries[key] = entry


#: the tag of a field that ``<<: *anchor`` merges into an entry (set here, on a copy of its key)
_MERGED = "confarchive:merged"


def _fields_of(mapping: yaml.MappingNode, offset: int):
    """(key node, value node, line) of each field of an entry: its own, then those ``<<`` merges in.

    A merged field takes the line of its ``<<``, and gives way to a field written out.
    """
    merges = []
    for key, value in mapping.value:
        if key.tag == "tag:yaml.org,2002:merge":
            merges.append((key, value))
            continue
        yield key, value, _line(key) + offset
    for merge_key, merged in merges:
        sources = merged.value if isinstance(merged, yaml.SequenceNode) else [merged]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                continue
            for key, value in source.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    copy = yaml.ScalarNode(_MERGED, key.value, key.start_mark, key.end_mark)
                    yield copy, value, _line(merge_key) + offset


def _construct(node: yaml.Node) -> Any:
    loader = _LOADER("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _scalar_text(node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    return str(node.value)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mark_line(error: Exception) -> int:
    """The 0-based line of a YAML error inside the text it was read from."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line if mark is not None else 0


def _reason(error: Exception) -> str:
    problem = getattr(error, "problem", None)
    if not problem:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    context = getattr(error, "context", None)
    return f"{problem} {context}" if context else problem
