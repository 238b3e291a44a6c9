"""Prepare a Markdown source for MyST: pure, no Sphinx import.

:func:`prepare_source` reads the front matter (reporting problems at the lines of the
original file), converts the legacy dialect, and, when the front matter has a ``title``
and the body does not open with an H1 of its own, makes that title the page's H1. The front matter is
rewritten only when it has to be (it was repaired, or a heading goes in), and then as a
single line of YAML so that every body line keeps its line number.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from ..problems import Problem
from .frontmatter import FrontMatter, read_front_matter, to_yaml_line
from .legacy import Conversion, convert_legacy

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
    insert_title = isinstance(title, str) and bool(title.strip()) and not opens_with_h1(body)
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


def opens_with_h1(lines: list[str]) -> bool:
    """Whether Markdown ``lines`` open with a level-1 heading: the body's own title.

    A body that starts with prose or an H2 and has an H1 further down gets the front
    matter title above everything, so the page is named after the post.
    """
    content = [line for line in lines if line.strip()]
    if not content:
        return False
    if _ATX_H1.match(content[0]):
        return True
    first = next(index for index, line in enumerate(lines) if line.strip())
    following = lines[first + 1] if first + 1 < len(lines) else ""
    return bool(_SETEXT_H1.match(following)) and not content[0].startswith(("    ", "\t"))


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character, so ``text`` reads literally."""
    return _PUNCTUATION.sub(r"\\\1", text)
