"""Prepare a Markdown source for MyST: pure, no Sphinx import.

:func:`prepare_source` reads the front matter (reporting problems at the lines of the
original file), converts the legacy dialect, and, when the front matter has a ``title``
and the body has no H1 of its own, makes that title the page's H1. The front matter is
rewritten only when it has to be (it was repaired, or a heading goes in), and then as a
single line of YAML so that every body line keeps its line number.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from .frontmatter import FrontMatter, Problem, read_front_matter, to_yaml_line
from .legacy import Conversion, convert_legacy

_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^\s{0,3}#(?:[ \t]|$)")
_SETEXT_H1 = re.compile(r"^\s{0,3}=+\s*$")
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


@dataclass
class PreparedSource:
    text: str
    front: FrontMatter | None
    conversion: Conversion
    problems: list[Problem] = field(default_factory=list)
    title_inserted: bool = False


def prepare_source(text: str) -> PreparedSource:
    """Turn a post as written (MyST or the legacy dialect) into the MyST that gets parsed."""
    front = read_front_matter(text)
    conversion = convert_legacy(text)
    prepared = PreparedSource(conversion.text, front, conversion)
    if front is None:
        return prepared
    prepared.problems.extend(front.problems)

    lines = conversion.text.split("\n")
    body = lines[front.body_start:]
    title = front.data.get("title")
    insert_title = isinstance(title, str) and bool(title.strip()) and not has_h1(body)
    if not insert_title and not front.repaired:
        return prepared

    header = ["---", to_yaml_line(front.data), "---"]
    padding = max(front.content_lines - 1, 0)
    if insert_title:
        header.append("# " + escape_markdown(" ".join(title.split())))
        padding = max(padding - 1, 0)
    header.extend([""] * padding)
    prepared.text = "\n".join(header + body)
    prepared.title_inserted = insert_title
    return prepared


def has_h1(lines: list[str]) -> bool:
    """Whether Markdown ``lines`` hold a level-1 heading outside code fences."""
    fence = None
    previous = ""
    for line in lines:
        match = _CODE_FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            previous = ""
            continue
        if match:
            fence = match.group(1)
            continue
        if _ATX_H1.match(line):
            return True
        if _SETEXT_H1.match(line) and previous.strip() and not previous.startswith(("    ", "\t")):
            return True
        previous = line
    return False


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character, so ``text`` reads literally."""
    return _PUNCTUATION.sub(r"\\\1", text)
