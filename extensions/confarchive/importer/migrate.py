"""One post's body, migrated from an old blog to clean MyST. Pure: no Sphinx, no files.

:func:`migrate_body` runs the conversions the ``confarchive import`` command adds to
the build's own legacy converter, in this order:

1. template tags of Jekyll (``{% highlight %}``, ``{% post_url %}``) and Hugo shortcodes
   (``{{< youtube >}}``, ``{{< ref >}}``, ``{{< figure >}}``) become Markdown or HTML;
2. each fenced code block's language is checked against Pygments: an unknown name is
   mapped to a known lexer (``shell-script`` -> ``bash``) or to ``text``, and code that
   its lexer cannot read is marked ``text`` (or ``html`` when it is HTML); a link whose
   address holds the HTML of a botched export is split into the links it meant;
3. every link and image address is handed to the caller (:class:`PostLinks`), which
   rewrites links between posts and finds, copies or refuses images;
4. raw HTML becomes MyST (:func:`confarchive.importer.html_to_myst.convert_html`);
5. the legacy dialect becomes MyST (:func:`confarchive.text.legacy.convert_legacy`, the
   function the build runs too);
6. heading levels are renumbered so that none is skipped below the post's title,
   headings that links point at get a label, image floats without alt text get one from
   their file name, ``**bold **`` with a space inside one end is mended, and runs of blank
   lines become one.

Steps 1 to 3 keep every line where it is, so what they report has the line of the
original file; later steps report the line of the text they found in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import unquote

from markdown_it import MarkdownIt

from ..problems import ArchiveWarning, Problem
from ..text.legacy import convert_legacy
from .html_to_myst import convert_html, label_name
from .templates import Tally, convert_templates

__all__ = ["DROP", "LEXER_ALIASES", "Migration", "PostLinks", "code_line_ranges", "convert_templates",
           "find_addresses", "heading_anchors", "migrate_body", "scan_anchors"]

#: Fence languages of old blogs that Pygments does not know, and the lexer that reads them.
LEXER_ALIASES = {
    "shell-script": "bash", "shellscript": "bash", "shell-session": "console", "terminal": "console",
    "rails": "ruby", "golang": "go", "c#": "csharp", "cs": "csharp", "f#": "fsharp", "yml": "yaml",
    "plain": "text", "plaintext": "text", "txt": "text", "nohighlight": "text", "no-highlight": "text",
    "sh-session": "console", "dos": "batch", "cmd": "batch", "ps": "powershell", "ps1": "powershell",
    "conf": "ini", "htm": "html", "vue": "html", "jsonc": "json", "jsx": "javascript", "tsx": "typescript",
}
_TEXT_LANGUAGES = frozenset({"text", "none", "default"})

#: what :meth:`PostLinks.image` returns to have an image removed (its alt text stays)
DROP = "\0drop"

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATX = re.compile(r"^(?P<hashes>#{1,6})(?P<rest>(?:[ \t].*)?)$")
_COLON_OPEN = re.compile(r"^\s*(?P<colons>:{3,})\{[\w-]+\}")
_COLON_CLOSE = re.compile(r"^\s*(?P<colons>:{3,})\s*$")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_HTML_URL = re.compile(r"""<(?P<tag>[A-Za-z][\w-]*)\b[^<>]*?\s(?P<attr>href|src)\s*=\s*(?P<q>["'])(?P<url>.*?)(?P=q)""",
                       re.I)
_REF_DEFINITION = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*)(?P<url><[^>]*>|\S+)")
_DIRECTIVE_PATH = re.compile(r"^(?P<lead>\s*:{3,}\{(?:image-float|image|figure)\}\s+)(?P<url>\S.*?)\s*$")
_TARGET_OPTION = re.compile(r"^(?P<lead>\s*:target:\s+)(?P<url>\S+)\s*$")
_FLOAT_DIRECTIVE = re.compile(r"^(?P<indent>\s*)(?P<colons>:{3,})\{image-float\}\s+(?P<path>.+?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):")
_ANCHOR_ATTR = re.compile(r"""<(?:a|h[1-6])\b[^>]*?\s(?:name|id)\s*=\s*["']([^"']+)["']""", re.I)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")



class PostLinks(Protocol):
    """What the caller of :func:`migrate_body` knows about the post and the site."""

    def link(self, url: str, line: int) -> str | None:
        """A link's new address (``None`` keeps it); ``line`` is 1-based in the source file."""

    def image(self, url: str, line: int) -> str | None:
        """An image's new address (``None`` keeps it, :data:`DROP` removes it)."""

    def post_url(self, name: str, line: int) -> str | None:
        """The old URL of the post a Jekyll ``post_url``/Hugo ``ref`` names, if known."""

    def variable(self, name: str) -> str | None:
        """The value of a template variable (``site.title``, a Hugo ``param``), if known."""


@dataclass
class Migration:
    """The result of :func:`migrate_body`."""

    text: str
    converted: Counter = field(default_factory=Counter)
    #: constructs kept as text, and dropped, by kind
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    #: findings with 1-based lines of the source file
    findings: list[Problem] = field(default_factory=list)
    #: anchors of the post (HTML ids and names) and the labels written for them
    labels: dict[str, str] = field(default_factory=dict)


def migrate_body(body: str, links: PostLinks, *, first_line: int = 1, label_prefix: str = "",
                 source_format: str = "wintersmith", heading_anchors: frozenset[str] = frozenset()) -> Migration:
    """Migrate the body of one post (the text after its front matter) to clean MyST.

    ``first_line`` is the 1-based line of the body's first line in the source file.
    ``heading_anchors`` are anchors other posts link to, to be labelled on this post's
    headings that carry them.
    """
    migration = Migration(body)
    findings = migration.findings

    def report(index: int, kind: ArchiveWarning, message: str) -> None:
        findings.append(Problem(first_line + index, kind, message))

    lines = body.split("\n")
    origin = list(range(len(lines)))
    if source_format in ("jekyll", "hugo"):
        tally = Tally(migration.converted, migration.kept, migration.dropped)
        lines, origin = flatten(convert_templates(lines, source_format, links, first_line, report, tally))

    def report_at(index: int, kind: ArchiveWarning, message: str) -> None:
        report(origin[index], kind, message)

    ranges = code_line_ranges(lines)
    _repair_link_destinations(lines, ranges, report_at, migration.converted)
    _check_fence_languages(lines, ranges, report_at, migration.converted)
    _rewrite_addresses(lines, ranges, links, lambda index: first_line + origin[index], migration.converted)

    text = "\n".join(lines)
    html = convert_html(text, _char_ranges(lines, ranges), label_prefix=label_prefix)
    for kind, count in html.converted.items():
        # what the HTML lost (a tweet's script, an empty table) is counted as dropped
        if kind.endswith(" removed"):
            migration.dropped[kind.removesuffix(" removed")] += count
        else:
            migration.converted[kind] += count
    findings.extend(Problem(first_line + origin[min(finding.line - 1, len(origin) - 1)], finding.subtype,
                            finding.message) for finding in html.findings)
    migration.labels = dict(html.labels)

    legacy = convert_legacy("---\n---\n" + html.text)
    migration.converted.update(legacy.converted)
    text = legacy.text.split("\n", 2)[2]

    locate = _Locator(body, first_line)
    text = _renumber_headings(text, locate, findings, migration.converted)
    text = _label_headings(text, heading_anchors, label_prefix, migration)
    text = _default_alt_texts(text, locate, findings, migration.converted)
    text = _fix_strong_spacing(text, locate, findings, migration.converted)
    migration.text = _squeeze_blank_lines(text).strip("\n") + "\n"
    return migration


def flatten(parts: list[str]) -> tuple[list[str], list[int]]:
    """Lines that may hold several, as lines; and the index each came from."""
    lines: list[str] = []
    origin: list[int] = []
    for index, part in enumerate(parts):
        pieces = part.split("\n")
        lines.extend(pieces)
        origin.extend([index] * len(pieces))
    return lines, origin


# --- code ----------------------------------------------------------------------------------

_BLOCK_PARSER = MarkdownIt("commonmark")
_BLOCK_PARSER.core.ruler.disable(["inline", "text_join"])


def code_line_ranges(lines: list[str]) -> list[tuple[int, int, bool]]:
    """Code blocks as ``(first line, line after the last, fenced)``, 0-based."""
    ranges: list[tuple[int, int, bool]] = []
    fence: str | None = None
    start = 0
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) \
                    and not match.group("info").strip():
                ranges.append((start, index + 1, True))
                fence = None
            continue
        if match and not match.group("info").lstrip().startswith("{") \
                and not (match.group("fence")[0] == "`" and "`" in match.group("info")):
            fence = match.group("fence")
            start = index
    if fence is not None:
        ranges.append((start, len(lines), True))
    fenced = [False] * (len(lines) + 1)
    for first, stop, _ in ranges:
        for index in range(first, stop):
            fenced[index] = True
    for token in _BLOCK_PARSER.parse("\n".join(lines)):
        if token.type == "code_block" and token.map and token.level == 0:
            first, stop = token.map
            while stop > first and not lines[stop - 1].strip():
                stop -= 1
            if not any(fenced[index] for index in range(first, stop)):
                ranges.append((first, stop, False))
    return sorted(ranges)


def _char_ranges(lines: list[str], ranges: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    total = offsets[-1] - 1
    return [(offsets[first], min(offsets[stop] - 1, total), fenced) for first, stop, fenced in ranges]


def _in_code(ranges: list[tuple[int, int, bool]]) -> set[int]:
    return {index for first, stop, _ in ranges for index in range(first, stop)}


@lru_cache(maxsize=256)
def _lexer_known(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def _lexes(name: str, code: str) -> str | None:
    """``None`` when the lexer reads ``code`` as Sphinx runs it; else the token it stops at."""
    from pygments.filters import ErrorToken
    from pygments.lexers import get_lexer_by_name
    lexer = get_lexer_by_name(name)
    lexer.add_filter("raiseonerror")
    try:
        for _ in lexer.get_tokens(code):
            pass
    except ErrorToken as error:
        return str(error) or "?"
    return None


def _check_fence_languages(lines: list[str], ranges, report, converted: Counter) -> None:
    for first, stop, fenced in ranges:
        if not fenced:
            continue
        match = _FENCE.match(lines[first])
        info = match.group("info").strip()
        if not info:
            continue
        language, _, rest = info.partition(" ")
        known = language.lower()
        chosen = language
        problem = None
        if known in _TEXT_LANGUAGES:
            continue
        if not _lexer_known(known):
            chosen = LEXER_ALIASES.get(known, "text")
            if not _lexer_known(chosen):
                chosen = "text"
            problem = f"code language {language!r} is not known to Pygments; written as {chosen}"
        closing = stop - 1 if stop - 1 > first and _FENCE.match(lines[stop - 1]) else stop
        code = "\n".join(lines[first + 1:closing]) + "\n"
        if chosen != "text":
            error = _lexes(chosen, code)
            if error is not None:
                fallback = "html" if code.lstrip().startswith("<") and _lexes("html", code) is None else "text"
                problem = (f"code block cannot be highlighted as {chosen} (it stops at {error[:30]!r}); "
                           f"written as {fallback}")
                chosen = fallback
        if problem:
            report(first, ArchiveWarning.CODE_LANGUAGE, problem)
            converted["code language mapped"] += 1
            lines[first] = f"{match.group('indent')}{match.group('fence')}{chosen}" + (f" {rest}" if rest else "")


# --- links and images --------------------------------------------------------------------


@dataclass
class Address:
    """A link or image address in a line: where it is and what holds it."""

    start: int
    end: int
    url: str
    image: bool
    #: where the whole image is (``![alt](url)`` or ``<img ...>``), and its alt text
    whole: tuple[int, int] | None = None
    alt: str = ""


def _masked_spans(line: str) -> list[tuple[int, int]]:
    return [match.span() for match in _CODE_SPAN.finditer(line)] if "`" in line else []


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def find_addresses(line: str) -> list[Address]:
    """Every link and image address in one line of Markdown or HTML (not in code spans)."""
    found: list[Address] = []
    spans = _masked_spans(line)
    for lead_pattern in (_DIRECTIVE_PATH, _TARGET_OPTION, _REF_DEFINITION):
        match = lead_pattern.match(line)
        if match:
            url = match.group("url")
            start = match.start("url")
            if url.startswith("<") and url.endswith(">"):
                url, start = url[1:-1], start + 1
            found.append(Address(start, start + len(url), url, lead_pattern is _DIRECTIVE_PATH))
            return found
    position = 0
    while True:
        at = line.find("](", position)
        if at < 0:
            break
        position = at + 2
        if _inside(spans, at):
            continue
        parsed = _destination(line, at + 2)
        if parsed is None:
            continue
        start, end, url, close = parsed
        opening = _opening_bracket(line, at)
        image = opening is not None and opening > 0 and line[opening - 1] == "!"
        whole = (opening - 1, close) if image else (opening, close) if opening is not None else None
        alt = line[opening + 1:at] if opening is not None else ""
        found.append(Address(start, end, url, image, whole, alt))
        position = close
    if "<" in line:
        for match in _HTML_URL.finditer(line):
            if _inside(spans, match.start()):
                continue
            tag = match.group("tag").lower()
            is_image = match.group("attr").lower() == "src" and tag in ("img", "source")
            if match.group("attr").lower() == "src" and not is_image:
                continue  # iframes, scripts: the HTML converter's
            whole = None
            alt = ""
            if is_image:
                tag_end = line.find(">", match.end())
                whole = (match.start(), tag_end + 1 if tag_end >= 0 else len(line))
                alt_match = re.search(r"""\salt\s*=\s*["']([^"']*)["']""", line[whole[0]:whole[1]])
                alt = alt_match.group(1) if alt_match else ""
            found.append(Address(match.start("url"), match.end("url"), match.group("url"), is_image, whole, alt))
    return sorted(found, key=lambda address: address.start)


def _opening_bracket(line: str, close: int) -> int | None:
    depth = 0
    for index in range(close - 1, -1, -1):
        char = line[index]
        if index > 0 and line[index - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return index
            depth -= 1
    return None


def _destination(line: str, start: int) -> tuple[int, int, str, int] | None:
    """The link destination from ``start`` (after ``](``): (start, end, url, end of the link)."""
    index = start
    while index < len(line) and line[index] in " \t":
        index += 1
    if index < len(line) and line[index] == "<":
        end = line.find(">", index)
        if end < 0:
            return None
        url_start, url_end = index + 1, end
        index = end + 1
    else:
        depth = 0
        url_start = index
        while index < len(line):
            char = line[index]
            if char == "\\":
                index += 2
                continue
            if char in " \t":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        url_end = min(index, len(line))
    close = line.find(")", index)
    if close < 0:
        return None
    between = line[index:close].strip()
    if between and not re.fullmatch(r"""(?:"[^"]*"|'[^']*'|\([^)]*)""", between):
        # not a title: a path with spaces, which old renderers took as it is
        if line[url_start:url_start + 1] == "<" or not re.search(r"\.[A-Za-z0-9]{2,5}$", line[url_start:close]):
            return None
        return url_start, close, line[url_start:close], close + 1
    return url_start, url_end, line[url_start:url_end], close + 1


_HTML_IN_DESTINATION = re.compile(
    r"""\]\((?P<url1>[^"\s()<>]+)"[^<>()]*>(?P<text>[^<>\[\]()]*)</a>(?P<space>\s*)"""
    r"""<a\s+href=["'](?P<url2>[^"'\s()<>]+)\)""",
    re.I)


def _repair_link_destinations(lines: list[str], ranges, report, converted: Counter) -> None:
    """``[a](URL1" target="_blank">b</a> <a href="URL2)``, from a botched HTML export: two links."""
    code = _in_code(ranges)
    for index, line in enumerate(lines):
        if index in code or "</a>" not in line or "](" not in line:
            continue
        repaired, count = _HTML_IN_DESTINATION.subn(r"](\g<url1>)\g<space>[\g<text>](\g<url2>)", line)
        if count:
            lines[index] = repaired
            converted["link with HTML in its address split"] += count
            report(index, ArchiveWarning.MARKDOWN, "a link's address held HTML (a closing </a> and another <a href>); "
                                      "split into two links")


def _rewrite_addresses(lines: list[str], ranges, links: PostLinks, line_of, converted: Counter) -> None:
    code = _in_code(ranges)
    in_comment = False
    for index, line in enumerate(lines):
        if index in code:
            continue
        if in_comment or "<!--" in line:
            # addresses in HTML comments are not shown: leave them
            if "-->" in line:
                in_comment = False
            elif "<!--" in line:
                in_comment = True
            if in_comment or re.search(r"<!--.*?(?:\]\(|src=|href=)", line):
                continue
        if "](" not in line and "<" not in line and not line.lstrip().startswith((":", "[")):
            continue
        addresses = find_addresses(line)
        if not addresses:
            continue
        pieces = []
        last = 0
        for address in addresses:
            if address.start < last:
                continue
            line_number = line_of(index)
            if address.image:
                new = links.image(address.url, line_number)
            else:
                new = links.link(address.url, line_number)
            if new is None or new == address.url:
                continue
            if new == DROP and address.whole:
                pieces.append(line[last:address.whole[0]])
                pieces.append(address.alt)
                last = address.whole[1]
                continue
            if new == DROP:
                continue
            if re.search(r"[\s()<>]", new) and line[address.start - 1:address.start] != "<" \
                    and line[address.start - 1:address.start] not in ('"', "'"):
                new = "<" + new + ">"
            pieces.append(line[last:address.start])
            pieces.append(new)
            last = address.end
        if pieces:
            pieces.append(line[last:])
            lines[index] = "".join(pieces)


# --- after conversion: headings, labels, alt texts ---------------------------------------------


class _Locator:
    """Finds the source line of a piece of converted text, by searching the original."""

    def __init__(self, original: str, first_line: int):
        self.lines = original.split("\n")
        self.first_line = first_line

    def line_of(self, needle: str, default: int = 0) -> int:
        needle = needle.strip()
        if needle:
            for index, line in enumerate(self.lines):
                if needle in line:
                    return self.first_line + index
        return self.first_line + default


def _top_level_lines(lines: list[str]):
    """Indexes of lines outside code fences and directives, as MyST reads them."""
    fence: str | None = None
    depth: list[int] = []
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) \
                    and not match.group("info").strip():
                fence = None
            continue
        if match:  # code, or a directive in backticks: not the page's own text
            fence = match.group("fence")
            continue
        opened = _COLON_OPEN.match(line)
        if opened:
            depth.append(len(opened.group("colons")))
            continue
        closed = _COLON_CLOSE.match(line)
        if closed and depth and len(closed.group("colons")) >= depth[-1]:
            depth.pop()
            continue
        if not depth:
            yield index


def _heading_text(rest: str) -> str:
    return re.sub(r"\s+#+\s*$", "", rest).strip()


def _renumber_headings(text: str, locate: _Locator, findings: list[Problem], converted: Counter) -> str:
    """Levels that skip (a post's H1 title, then H3) are renumbered to follow each other."""
    lines = text.split("\n")
    stack: list[tuple[int, int]] = []  # (level as written, new level)
    for index in _top_level_lines(lines):
        match = _ATX.match(lines[index])
        if not match:
            continue
        level = len(match.group("hashes"))
        while stack and stack[-1][0] >= level:
            stack.pop()
        new = stack[-1][1] + 1 if stack else 2
        stack.append((level, new))
        if new != level:
            heading = _heading_text(match.group("rest"))
            lines[index] = "#" * new + (" " + heading if heading else "")
            findings.append(Problem(locate.line_of(heading), ArchiveWarning.HEADING_LEVEL,
                                    f"heading {heading[:50]!r} was H{level}; written as H{new} so that "
                                    f"levels follow each other under the title"))
            converted["heading level renumbered"] += 1
    return "\n".join(lines)


def heading_anchors(text: str) -> set[str]:
    """The ids old blogs' Markdown renderers gave a heading: marked's and GitHub's."""
    text = _TAGS.sub("", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text).strip().lower()
    return {re.sub(r"[^\w]+", "-", text), re.sub(r"[^\w\- ]+", "", text).replace(" ", "-")}


def _label_headings(text: str, wanted: frozenset[str], prefix: str, migration: Migration) -> str:
    if not wanted:
        return text
    wanted = {anchor.lower() for anchor in wanted} - {anchor.lower() for anchor in migration.labels}
    if not wanted:
        return text
    lines = text.split("\n")
    inserts: list[tuple[int, str]] = []
    for index in _top_level_lines(lines):
        match = _ATX.match(lines[index])
        if not match:
            continue
        anchor = next((anchor for anchor in sorted(heading_anchors(_heading_text(match.group("rest"))))
                       if anchor in wanted), None)
        if anchor is not None:
            label = label_name(prefix, anchor)
            migration.labels[anchor] = label
            inserts.append((index, f"({label})="))
            wanted.discard(anchor)
            migration.converted["heading label"] += 1
    for index, label in reversed(inserts):
        lines.insert(index, label)
    return "\n".join(lines)


def _default_alt_texts(text: str, locate: _Locator, findings: list[Problem], converted: Counter) -> str:
    """An image float with no alt text gets one from its file name, reported."""
    if "{image-float}" not in text:
        return text
    lines = text.split("\n")
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        match = _FLOAT_DIRECTIVE.match(line)
        index += 1
        if not match:
            continue
        options = []
        while index < len(lines) and _OPTION.match(lines[index]):
            options.append(lines[index])
            index += 1
        if not any(_OPTION.match(option).group("key") == "alt" for option in options):
            path = match.group("path").strip("<>")
            stem = PurePosixPath(unquote(path)).stem
            alt = " ".join(re.sub(r"[-_.]+", " ", stem).split()) or "image"
            options.insert(0, f"{match.group('indent')}:alt: {alt}")
            findings.append(Problem(locate.line_of(path), ArchiveWarning.IMAGE_ALT,
                                    f"image float {path!r} has no alt text; gave it {alt!r} from its file name"))
            converted["alt text from file name"] += 1
        out.extend(options)
    return "\n".join(out)


def _squeeze_blank_lines(text: str) -> str:
    """At most one blank line between blocks, outside code."""
    lines = text.split("\n")
    code = _in_code(code_line_ranges(lines))
    out: list[str] = []
    for index, line in enumerate(lines):
        if index not in code and not line.strip() and out and not out[-1].strip() \
                and (index - 1) not in code:
            continue
        out.append(line if index in code or line.strip() else "")
    return "\n".join(out)


_STRONG = re.compile(r"(?<![*\\])\*\*(?P<inner>[^*\n]+?)\*\*(?!\*)")


def _fix_strong_spacing(text: str, locate: _Locator, findings: list[Problem], converted: Counter) -> str:
    """``**bold **`` (a space inside one end) is literal text to CommonMark: the space moves out."""
    if "**" not in text:
        return text
    lines = text.split("\n")
    code = _in_code([(first, stop, True) for first, stop, fenced in code_line_ranges(lines) if fenced])
    for index, line in enumerate(lines):
        if index in code or "**" not in line:
            continue
        spans = _masked_spans(line)

        def fix(match: re.Match) -> str:
            inner = match.group("inner")
            if _inside(spans, match.start()) or _inside(spans, match.end() - 1) or not inner.strip():
                return match.group(0)
            opens_badly, closes_badly = inner[0].isspace(), inner[-1].isspace()
            if opens_badly == closes_badly:
                return match.group(0)  # "2 ** 3 ** 4" is arithmetic, not emphasis
            core = inner.strip()
            findings.append(Problem(locate.line_of(core), ArchiveWarning.MARKDOWN,
                                    f"**{inner}** has a space inside; written as **{core}** so that it is bold"))
            converted["bold text spacing fixed"] += 1
            return (" " if opens_badly else "") + f"**{core}**" + (" " if closes_badly else "")

        lines[index] = _STRONG.sub(fix, line)
    return "\n".join(lines)


# --- what other posts can link to ----------------------------------------------------------


def scan_anchors(body: str) -> set[str]:
    """The anchors a post defines (lower-cased): HTML ids and names, and heading ids."""
    anchors = {anchor.lower() for anchor in _ANCHOR_ATTR.findall(body)}
    lines = body.split("\n")
    for index in _top_level_lines(lines):
        match = _ATX.match(lines[index])
        if match:
            anchors.update(heading_anchors(_heading_text(match.group("rest"))))
    for _, inner in _HTML_HEADING.findall(body):
        anchors.update(heading_anchors(inner))
    return anchors
