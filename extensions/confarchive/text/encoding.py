"""Sources that are not clean UTF-8: read them anyway, and say where. Pure, no Sphinx import.

Sphinx decodes every source strictly, so a single Latin-1 byte stops the whole build
with a traceback. confarchive reads sources with :data:`LENIENT_UTF_8` instead: UTF-8
with or without a byte order mark, each undecodable byte replaced with U+FFFD. Which
lines held such bytes, and which held characters no page can carry (NUL and the other
control characters), is reported by :func:`undecodable_bytes` and
:func:`replace_control_characters`.
"""

from __future__ import annotations

import codecs
import re

from ..problems import ArchiveWarning, Problem

#: the codec confarchive reads sources with
LENIENT_UTF_8 = "confarchive-utf-8"
REPLACEMENT = "\ufffd"
#: C0 control characters but tab, line feed and carriage return: XML and HTML refuse them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF_8_SIG = codecs.lookup("utf-8-sig")
#: lines listed in a message, at most
_SHOWN = 10


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return _UTF_8_SIG.decode(data, "replace")


class _IncrementalDecoder(_UTF_8_SIG.incrementaldecoder):
    """The decoder files are read with: whatever it is asked, it replaces."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != LENIENT_UTF_8.replace("-", "_"):
        return None
    return codecs.CodecInfo(name=LENIENT_UTF_8, encode=_UTF_8_SIG.encode, decode=_decode,
                            incrementalencoder=_UTF_8_SIG.incrementalencoder,
                            incrementaldecoder=_IncrementalDecoder)


codecs.register(_search)


def is_utf_8(encoding: str) -> bool:
    """Whether ``encoding`` names UTF-8 (with or without a byte order mark)."""
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig", LENIENT_UTF_8)
    except LookupError:
        return False


def undecodable_bytes(raw: bytes) -> Problem | None:
    """Where ``raw`` is not UTF-8: one problem at the first such line, or ``None``."""
    lines = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("utf-8", "surrogateescape")
            lines.extend([number] * sum(1 for char in text if "\udc80" <= char <= "\udcff"))
    if not lines:
        return None
    return Problem(lines[0], ArchiveWarning.ENCODING,
                   f"not valid UTF-8: {_count(lines, 'undecodable byte')} replaced with U+FFFD "
                   f"({_lines(lines)}); save the file as UTF-8")


def replace_control_characters(text: str) -> tuple[str, Problem | None]:
    """``text`` with NUL and the other control characters replaced with U+FFFD, and where they were."""
    if not _CONTROL.search(text):
        return text, None
    lines = []
    line, position = 1, 0
    for match in _CONTROL.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.append(line)
    names = sorted({"NUL" if char == "\x00" else f"U+{ord(char):04X}" for char in _CONTROL.findall(text)})
    problem = Problem(lines[0], ArchiveWarning.ENCODING,
                      f"{_count(lines, 'control character')} ({', '.join(names)}) replaced with U+FFFD "
                      f"({_lines(lines)}); no page can carry them")
    return _CONTROL.sub(REPLACEMENT, text), problem


def _count(lines: list[int], noun: str) -> str:
    return f"{len(lines)} {noun}{'' if len(lines) == 1 else 's'}"


def _lines(lines: list[int]) -> str:
    """``line 4`` or ``lines 4, 9, 12``: each line once, at most :data:`_SHOWN` of them."""
    unique = sorted(set(lines))
    shown = ", ".join(map(str, unique[:_SHOWN])) + (", ..." if len(unique) > _SHOWN else "")
    return f"line {shown}" if len(unique) == 1 else f"lines {shown}"
