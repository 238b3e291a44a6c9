"""Keep a post's lists and block quotes within the depth MyST can render. Pure, no Sphinx import.

markdown-it, which MyST parses with, stops at 20 levels of nesting: a list in a list
in a list... ten deep (each list counts two levels, a block quote one), and everything
after the point where the limit is reached, to the end of the document, is dropped
without a word. :func:`limit_nesting` finds such blocks before MyST reads the post and
writes them again, keeping the nesting MyST can render and flattening the deeper
levels into the deepest one kept, so that no text is lost. A post that nests nothing
that deep (every ordinary post) is found out by a quick look at its line prefixes and
is never parsed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..problems import ArchiveWarning, Problem

#: the prefix of a line made of container syntax: indentation, ``>``, list markers
_PREFIX = re.compile(r"^(?:[ \t]|>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))+", re.MULTILINE)
_PREFIX_ITEM = re.compile(r"[ \t]|>|[-+*]|\d{1,9}[.)]")
_QUOTES_AND_SPACES = re.compile(r"^(?:[ \t]*>)*[ \t]*")
#: prefixes longer than this are shortened when markdown-it cannot recurse that deep
_HARD_PREFIX = 100
#: the nesting limit of markdown-it's CommonMark preset, which MyST starts from
MAX_NESTING = 20
#: levels kept below markdown-it's limit, for the plugins that nest a level of their own
_MARGIN = 2
_CONTAINERS = {"bullet_list_open": 2, "ordered_list_open": 2, "blockquote_open": 1}
#: directives whose body MyST parses as Markdown of its own (with the nesting count reset)
MARKDOWN_DIRECTIVES = frozenset({
    "speaker", "callout", "image-float", "admonition", "note", "tip", "hint", "important",
    "attention", "caution", "warning", "danger", "error", "seealso",
})


def limit_nesting(text: str, make_parser: Callable[[], MarkdownIt]) -> tuple[str, list[Problem]]:
    """``text`` with lists and block quotes too deep for MyST flattened, and where it was done.

    ``make_parser`` makes the parser MyST reads the document with (its ``maxNesting`` is
    the limit); it is called only for a document that may nest that deep. Line numbers
    are kept: a rewritten block takes the lines it took before.
    """
    if not _may_be_deep(text, MAX_NESTING):
        return text, []
    md = make_parser()
    limit = md.options["maxNesting"]
    lines = text.split("\n")
    problems: list[Problem] = []
    _limit_lines(lines, 0, md, limit, problems)
    return "\n".join(lines), problems


def _may_be_deep(text: str, limit: int) -> bool:
    """Whether any line's prefix is long enough to start a block at nesting level ``limit``.

    A block starts on a line that carries the prefix of every container it sits in: a
    ``>`` for a block quote (one level), a list marker and its space or the item's
    indentation for a list item (two columns, two levels; one column for a marker
    ending its line). A block at level ``limit`` needs a prefix of ``limit - 1`` columns.
    """
    return any(len(match.group(0).expandtabs(4)) >= limit - 1 for match in _PREFIX.finditer(text))


def _limit_lines(lines: list[str], offset: int, md: MarkdownIt, limit: int, problems: list[Problem]) -> None:
    """Flatten, in place, the blocks of ``lines`` nested beyond ``limit``; ``offset``: line of ``lines[0]``."""
    tokens = _parse_all(lines, md)
    shortened = tokens is None
    if shortened:
        # deeper than markdown-it can recurse: first shorten the longest prefixes
        lines[:] = [_cut_prefix(line) for line in lines]
        tokens = _parse_all(lines, md)
    if tokens is None:  # still too deep: keep the text, drop the structure
        lines[:] = [_PREFIX.sub("", line, count=1) for line in lines]
        problems.append(Problem(offset + 1, ArchiveWarning.STRUCTURE,
                                "lists or block quotes nested too deep to read; their text is kept "
                                "as plain paragraphs"))
        return

    edits: list[tuple[int, int, list[str]]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _matching_close(tokens, index)
        if token.type in _CONTAINERS and token.level == 0 and token.map:
            subtree = tokens[index:end + 1]
            if any(t.level >= limit and t.nesting >= 0 and t.type != "inline" for t in subtree):
                start, stop = token.map
                rewritten, first_flat, kept, depth = _flatten(subtree, lines, start, limit - _MARGIN)
                edits.append((start, stop, rewritten + [""] * (stop - start - len(rewritten))))
                problems.append(Problem(
                    offset + first_flat + 1, ArchiveWarning.STRUCTURE,
                    f"lists or block quotes nested {'over ' if shortened else ''}{depth} levels deep, "
                    f"deeper than a page can show; levels past {kept} are flattened into level {kept}, "
                    "keeping their text"))
        elif token.type in ("colon_fence", "fence") and token.level == 0 and token.map:
            body = _directive_body(token, lines, limit)
            if body is not None:
                first, stop, body_lines = body
                _limit_lines(body_lines, offset + first, md, limit, problems)
                edits.append((first, stop, body_lines))
        index = end + 1
    for start, stop, replacement in reversed(edits):  # from the end: earlier lines keep their numbers
        lines[start:stop] = replacement


def _parse_all(lines: list[str], md: MarkdownIt) -> list[Token] | None:
    """Block tokens of ``lines`` with no nesting limit; ``None`` when too deep to recurse into."""
    saved = md.options["maxNesting"]
    md.options["maxNesting"] = 10 * _HARD_PREFIX
    try:
        return md.parse("\n".join(lines))
    except RecursionError:
        return None
    finally:
        md.options["maxNesting"] = saved


def _directive_body(token: Token, lines: list[str], limit: int) -> tuple[int, int, list[str]] | None:
    """``(first line, end, lines)`` of a directive's body that may nest too deep, else ``None``.

    The body of a directive MyST parses as Markdown is a document of its own, whose
    nesting starts again from nothing. Only a body whose lines are the file's lines (a
    directive not indented or quoted) is looked into.
    """
    match = re.match(r"^\{([\w:-]+)\}", token.info.strip())
    if not match or match.group(1) not in MARKDOWN_DIRECTIVES:
        return None
    body = token.content.split("\n")
    if body and body[-1] == "":
        body.pop()
    first = token.map[0] + 1
    if lines[first:first + len(body)] != body or not _may_be_deep(token.content, limit):
        return None
    return first, first + len(body), body


def _cut_prefix(line: str) -> str:
    """``line`` with a container prefix longer than ``_HARD_PREFIX`` columns shortened.

    The first items of the prefix are kept; of the rest only the last list marker is,
    so that a list item stays a list item.
    """
    match = _PREFIX.match(line)
    if not match or len(match.group(0)) <= _HARD_PREFIX:
        return line
    items = _PREFIX_ITEM.findall(match.group(0))
    kept, width = [], 0
    while items and width + len(items[0]) <= _HARD_PREFIX:
        width += len(items[0])
        kept.append(items.pop(0))
    markers = [item for item in items if item not in (" ", "\t", ">")]
    rest = line[match.end():]
    return "".join(kept) + (f"{markers[-1]} {rest}" if markers else rest)


def _matching_close(tokens: list[Token], index: int) -> int:
    """The index of the token closing ``tokens[index]`` (itself when it closes nothing)."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


@dataclass
class _Frame:
    """A container being written out: a list (with its current item) or a block quote."""

    quote: bool
    ordered: bool = False
    delimiter: str = "-"
    number: int = 1
    #: the list marker still to be written on the next line, when an item just opened
    marker: str | None = None
    continuation: str = ""

    def prefix(self) -> str:
        if self.quote:
            return "> "
        if self.marker is not None:
            text = self.marker + " "
            self.continuation = " " * len(text)
            self.marker = None
            return text
        return self.continuation

    def next_marker(self) -> None:
        if self.ordered:
            self.marker = f"{self.number}{self.delimiter}"
            self.number += 1
        else:
            self.marker = self.delimiter


def _flatten(tokens: list[Token], lines: list[str], start: int, budget: int) -> tuple[list[str], int, int, int]:
    """Write a too-deep container block again: (its lines, first line flattened, levels kept, depth).

    Containers are written out while the nesting level stays within ``budget``; deeper
    list items become items of the deepest list written, deeper quotes join the deepest
    quote. Each block goes on the line it stood on, or right after the previous one.
    """
    out: list[str] = []
    stack: list[_Frame] = []
    #: for each open container token: whether it was written out
    opened: list[bool] = []
    level = kept = depth = 0
    first_flat: int | None = None
    skip_until = -1

    def emit(block_lines: list[str], source_line: int | None) -> None:
        target = (source_line - start) if source_line is not None else len(out)
        filler = "".join(frame.continuation if not frame.quote else ">" for frame in stack).rstrip()
        while len(out) < target:
            out.append(filler)
        for text in block_lines:
            prefix = "".join(frame.prefix() for frame in stack)
            out.append((prefix + text).rstrip() if not text else prefix + text)

    for index, token in enumerate(tokens):
        if index <= skip_until:
            continue
        line = token.map[0] if token.map else None
        if token.type in _CONTAINERS:
            depth = max(depth, len(opened) + 1)
            cost = _CONTAINERS[token.type]
            fits = level + cost <= budget
            opened.append(fits)
            if fits:
                level += cost
                if token.type == "blockquote_open":
                    stack.append(_Frame(quote=True))
                else:
                    ordered = token.type == "ordered_list_open"
                    start_number = int(token.attrGet("start") or 1) if ordered else 1
                    stack.append(_Frame(quote=False, ordered=ordered, delimiter=token.markup or "-",
                                        number=start_number))
                kept = max(kept, sum(opened))
            elif first_flat is None and line is not None:
                first_flat = line
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            if opened.pop():
                frame = stack.pop()
                level -= 1 if frame.quote else 2
        elif token.type == "list_item_open":
            innermost = stack[-1] if stack else None
            if innermost is not None and not innermost.quote:
                innermost.next_marker()
        elif token.type == "list_item_close":
            continue
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            emit(inline.content.split("\n"), line)
            skip_until = index + 2
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            emit(["#" * int(token.tag[1]) + " " + " ".join(inline.content.split())], line)
            skip_until = index + 2
        elif token.type in ("fence", "colon_fence"):
            body = token.content.split("\n")
            if body and body[-1] == "":
                body.pop()
            emit([token.markup + token.info, *body, token.markup], line)
        elif token.type == "code_block":
            body = token.content.split("\n")
            if body and body[-1] == "":
                body.pop()
            emit(["    " + text if text else "" for text in body], line)
        elif token.type == "hr":
            emit(["***"], line)
        elif token.type == "html_block":
            emit(token.content.rstrip("\n").split("\n"), line)
        elif token.map:
            # anything else (a table, a target, a comment...): its own lines, container syntax removed
            source = lines[token.map[0]:token.map[1]]
            emit([_PREFIX.sub("", source[0], count=1), *(_QUOTES_AND_SPACES.sub("", s) for s in source[1:])],
                 line)
            skip_until = _matching_close(tokens, index)
    return out, first_flat if first_flat is not None else start, kept, depth
