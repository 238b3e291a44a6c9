"""Raw HTML in a post, rewritten as MyST. Pure, no Sphinx import.

Old blogs mix HTML into their Markdown, and Markdown into their HTML: a ``<blockquote>``
holding Markdown paragraphs and fenced code, a ``<ul>`` of FAQ items holding image
floats. CommonMark reads everything from an HTML block's first line to the next blank
line as HTML, so such Markdown would show as literal text. :func:`convert_html` reads
the HTML elements of a post (outside code) into a small tree whose text stays Markdown,
and writes each element as MyST:

- headings, paragraphs, quotes, lists, emphasis, links, images, inline code, ``<pre>``,
  line breaks and simple tables become their Markdown forms; ``<sub>``, ``<sup>``,
  ``<kbd>`` and ``<abbr>`` become MyST roles; ``id``/``name`` anchors become labels;
- a YouTube or Vimeo ``<iframe>`` becomes a ``video`` directive; any other iframe, video
  or audio becomes a link to its source, reported;
- an embedded tweet (``<blockquote class="twitter-tweet">`` and Twitter's ``<script>``)
  becomes a quote with its link, without the script;
- a FAQ list (``<ul class="faq">``) or ``<details>`` becomes ``dropdown`` directives;
- an image float ``<div>`` is left to :func:`confarchive.text.legacy.convert_legacy`;
- what has no MyST form is kept as raw HTML where the ``nh3`` allow-list keeps it, and
  what the allow-list removes (scripts, styles, forms, event handlers) is reported;
- text that only looks like a tag (``(<branch>|<local status>)``) is escaped, so that
  it shows instead of vanishing as an unknown element.

Every finding comes back with the 0-based line of the text it concerns.
"""

from __future__ import annotations

import html as htmllib
import re
import textwrap
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import nh3

from ..problems import ArchiveWarning, Problem
from ..text.embeds import parse_video
from ..text.legacy import MORE_MARKER, convert_legacy

__all__ = ["HtmlConversion", "convert_html", "label_name"]

HTML_ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b base bdi bdo big blink blockquote body br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir
    div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6
    head header hgroup hr html i iframe img input ins kbd label legend li link main map mark marquee
    math menu meta meter nav nobr noembed noframes noscript object ol optgroup option output p param
    picture pre progress q rp rt ruby s samp script search section select slot small source span
    strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time
    title tr track tt u ul var video wbr""".split()
)
VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: elements whose content is not HTML: read up to their closing tag as it is
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "pre", "xmp"})
#: removed with their content: they run code, style the page, or belong to a page's head
_REMOVED = frozenset({"script", "style", "head", "title", "meta", "link", "base", "form", "input",
                      "button", "select", "textarea", "option", "optgroup", "frame", "frameset",
                      "noframes", "template", "slot", "dialog", "canvas", "object", "param", "applet",
                      "noscript", "noembed", "datalist", "output", "progress", "meter", "marquee", "blink"})
_TRANSPARENT_BLOCKS = frozenset({"div", "section", "article", "header", "footer", "main", "aside", "nav",
                                 "center", "figure", "figcaption", "address", "hgroup", "html", "body",
                                 "search", "fieldset", "legend", "caption"})
_TRANSPARENT_INLINE = frozenset({"span", "font", "nobr", "bdi", "bdo", "label", "data", "picture",
                                 "ruby", "rt", "rp", "wbr"})
_KEPT_INLINE = frozenset({"u", "ins", "del", "s", "strike", "mark", "small", "big", "q", "cite", "var",
                          "samp", "dfn", "time"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCK_ELEMENTS = frozenset({"p", "blockquote", "ul", "ol", "dir", "menu", "li", "pre", "table", "hr", "dl",
                             "details", "iframe", "video", "audio", "embed", "svg", "math", "map",
                             *_HEADINGS, *_TRANSPARENT_BLOCKS, *_REMOVED}) - {"caption", "legend"}
_OPTIONAL_CLOSE = frozenset({"li", "p", "td", "th", "tr", "thead", "tbody", "tfoot", "dt", "dd", "option",
                             "html", "body", "head", "colgroup", "caption"})
_TWEET_SCRIPT = re.compile(r"^(?:https?:)?//platform\.twitter\.com/widgets\.js$", re.I)
_GIST_SCRIPT = re.compile(r"^(?:https?:)?//gist\.github\.com/(?P<path>[\w.-]+/[0-9a-f]+)\.js(?:\?.*)?$", re.I)
_SAFE_SCHEMES = ("http", "https", "mailto", "ftp", "tel")

_ATTRS = r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
_OPEN_TAG = re.compile(rf"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>{_ATTRS})\s*(?P<self>/)?>")
_CLOSE_TAG = re.compile(r"</(?P<name>[A-Za-z][A-Za-z0-9-]*)\s*(?P<end>>)?")
_ATTR = re.compile(r"""(?P<name>[A-Za-z_:][\w.:-]*)"""
                   r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DECLARATION = re.compile(r"<![A-Za-z][^>]*>|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", re.S)
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\s]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>"
)
_SPECIAL = re.compile(r"[<`\\]")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FLOAT_CLASS = re.compile(r"\bimage\b.*\bfloat-(left|right)\b|\bfloat-(left|right)\b.*\bimage\b")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]+\)")
_IMG_TAG = re.compile(r"<img\b", re.I)
_COLON_RUN = re.compile(r"^\s*(:{3,})", re.M)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_WHITESPACE = re.compile(r"\s+")
_TAG_NAMES = re.compile(r"<\s*([A-Za-z][A-Za-z0-9-]*)")
_ATTR_NAMES = re.compile(r"\s([A-Za-z_:][\w.:-]*)\s*=")


@dataclass
class HtmlConversion:
    """The result of :func:`convert_html`."""

    text: str
    converted: Counter = field(default_factory=Counter)
    #: what the conversion reports, at 1-based lines of the converted text
    findings: list[Problem] = field(default_factory=list)
    #: the labels written for ``id``/``name`` anchors: anchor -> label
    labels: dict[str, str] = field(default_factory=dict)


def label_name(prefix: str, anchor: str) -> str:
    """The MyST label for an HTML anchor of a post: unique across the archive."""
    tail = re.sub(r"[^a-z0-9]+", "-", anchor.lower()).strip("-") or "anchor"
    return f"{prefix}-{tail}" if prefix else tail


def convert_html(text: str, code_ranges: list[tuple[int, int, bool]] | None = None, *,
                 label_prefix: str = "") -> HtmlConversion:
    """Rewrite the HTML elements of Markdown ``text`` as MyST.

    ``code_ranges`` are ``(start, end, fenced)`` character ranges of code blocks, left as
    they are (an indented one is read as text when it sits inside an HTML element, where
    indentation means nothing). Text outside any element is kept character for character.
    """
    result = HtmlConversion(text)
    if "<" not in text:
        return result
    parser = _Parser(text, sorted(code_ranges or []), result)
    root = parser.parse()
    renderer = _MystWriter(text, parser, result, label_prefix)
    result.text = renderer.render(root)
    return result


# --- the tree ----------------------------------------------------------------------------


@dataclass
class _Node:
    start: int
    end: int


@dataclass
class _Text(_Node):
    text: str


@dataclass
class _Verbatim(_Node):
    """Kept as written: a code span, a comment, a legacy construct."""

    text: str
    kind: str  # "code span", "comment", "float", "more"


@dataclass
class _Code(_Node):
    """A code block of the Markdown, kept as written."""

    text: str


@dataclass
class _Element(_Node):
    name: str
    attrs: dict[str, str]
    children: list[_Node] = field(default_factory=list)
    #: the content of a raw-text element (script, pre, ...), as written
    raw: str | None = None
    closed: bool = False

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text_content(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, _Text):
                parts.append(child.text)
            elif isinstance(child, _Verbatim) and child.kind == "code span":
                parts.append(child.text.strip("`"))
            elif isinstance(child, _Element):
                parts.append(child.raw if child.raw is not None else child.text_content())
        return "".join(parts)


def _attributes(source: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(source):
        name = match.group("name").lower()
        value = match.group("dq")
        if value is None:
            value = match.group("sq")
        if value is None:
            value = match.group("bare")
        attrs.setdefault(name, htmllib.unescape(value) if value is not None else "")
    return attrs


class _Parser:
    """Reads the HTML elements of a Markdown text into a tree; Markdown text stays text."""

    def __init__(self, text: str, code_ranges: list[tuple[int, int, bool]], result: HtmlConversion):
        self.text = text
        self.code_ranges = code_ranges
        self.result = result
        self.root = _Element(0, len(text), "#root", {})
        self.stack: list[_Element] = [self.root]
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def report(self, offset: int, kind: ArchiveWarning, message: str) -> None:
        self.result.findings.append(Problem(self.line(offset) + 1, kind, message))

    def parse(self) -> _Element:
        pos = 0
        for start, end, fenced in self.code_ranges:
            if start < pos:
                continue
            if pos < start:
                self._scan(pos, start)
            if not fenced and len(self.stack) > 1:
                self._scan(start, end)
            else:
                self._add(_Code(start, end, self.text[start:end]))
            pos = end
        if pos < len(self.text):
            self._scan(pos, len(self.text))
        while len(self.stack) > 1:
            element = self.stack.pop()
            if element.name not in _OPTIONAL_CLOSE:
                self.report(element.start, ArchiveWarning.HTML,
                            f"<{element.name}> is never closed; it ends with the post")
        return self.root

    def _add(self, node: _Node) -> None:
        self.stack[-1].children.append(node)

    def _add_text(self, start: int, end: int) -> None:
        if start < end:
            self._add(_Text(start, end, self.text[start:end]))

    def _scan(self, start: int, end: int) -> None:
        text = self.text
        pos = text_start = start
        while True:
            match = _SPECIAL.search(text, pos, end)
            if not match:
                break
            at = match.start()
            char = text[at]
            if char == "\\":
                pos = at + 2
                continue
            if char == "`":
                run = _BACKTICKS.match(text, at, end).group(0)
                close = self._code_span_end(at + len(run), end, run)
                if close is None:
                    pos = at + len(run)
                    continue
                self._add_text(text_start, at)
                self._add(_Verbatim(at, close, text[at:close], "code span"))
                pos = text_start = close
                continue
            consumed = self._markup(at, end, text_start)
            if consumed is None:
                pos = at + 1
                continue
            pos = text_start = consumed
        self._add_text(text_start, end)

    def _code_span_end(self, pos: int, end: int, run: str) -> int | None:
        pattern = re.compile(r"(?<!`)" + run + r"(?!`)")
        match = pattern.search(self.text, pos, end)
        if not match:
            return None
        if _BLANK_LINE.search(self.text, pos, match.start()):
            return None
        return match.end()

    def _markup(self, at: int, end: int, text_start: int) -> int | None:
        """Read the markup at ``at``: the offset after it, or None when it is text."""
        text = self.text
        for pattern, kind in ((_COMMENT, "comment"), (_DECLARATION, "declaration"), (_AUTOLINK, "autolink")):
            match = pattern.match(text, at, end)
            if match:
                if kind == "autolink":
                    return None
                self._add_text(text_start, at)
                if kind == "comment":
                    self._add(_Verbatim(at, match.end(), match.group(0), "comment"))
                else:
                    self.report(at, ArchiveWarning.HTML, f"removed {match.group(0)[:40]!r}: it has no place in a post")
                return match.end()

        close = _CLOSE_TAG.match(text, at, end)
        if close:
            name = close.group("name").lower()
            if name not in HTML_ELEMENTS:
                if close.group("end"):
                    return self._escape(at, text_start, close.group(0))
                return None
            if not close.group("end"):
                following = text[close.end():close.end() + 1]
                if following not in ("", "\n", "<"):
                    return None
                self.report(at, ArchiveWarning.HTML, f"closing tag </{name} has no '>'; read as </{name}>")
            self._add_text(text_start, at)
            self._close(name, at, close.end())
            return close.end()

        opened = _OPEN_TAG.match(text, at, end)
        if not opened:
            return None
        name = opened.group("name").lower()
        if name not in HTML_ELEMENTS:
            return self._escape(at, text_start, opened.group(0))
        self._add_text(text_start, at)
        return self._open(name, _attributes(opened.group("attrs")), at, opened.end(), bool(opened.group("self")),
                          end)

    def _escape(self, at: int, text_start: int, tag: str) -> int:
        """Text that reads as an unknown tag: a backslash keeps it visible."""
        self._add_text(text_start, at)
        self._add(_Text(at, at + len(tag), "\\" + tag))
        self.result.converted["text like a tag escaped"] += 1
        return at + len(tag)

    def _open(self, name: str, attrs: dict[str, str], start: int, end: int, self_closing: bool,
              limit: int) -> int:
        text = self.text
        classes = attrs.get("class", "")
        if name == "div" and _FLOAT_CLASS.search(classes):
            close = re.compile(r"</div\s*>", re.I).search(text, end, limit)
            if close and (_MD_IMAGE.search(text, end, close.start()) or _IMG_TAG.search(text, end, close.start())):
                self._add(_Verbatim(start, close.end(), text[start:close.end()], "float"))
                return close.end()
        if name == "span" and "more" in classes.split():
            close = re.compile(r"\s*</span\s*>", re.I).match(text, end, limit)
            stop = close.end() if close else end
            self._add(_Verbatim(start, stop, text[start:stop], "more"))
            return stop
        if name in VOID_ELEMENTS or self_closing:
            self._add(_Element(start, end, name, attrs, closed=True))
            return end
        if name in _RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(text, end, limit)
            if close:
                self._add(_Element(start, close.end(), name, attrs, raw=text[end:close.start()], closed=True))
                return close.end()
        self._implicit_close(name)
        element = _Element(start, end, name, attrs)
        self._add(element)
        self.stack.append(element)
        return end

    def _implicit_close(self, name: str) -> None:
        """HTML's optional end tags: a new item ends the previous one, a block ends a paragraph."""
        top = self.stack[-1]
        if name == "li":
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index].name in ("ul", "ol", "menu", "dir"):
                    break
                if self.stack[index].name == "li":
                    del self.stack[index:]
                    break
        elif name in ("dt", "dd") and top.name in ("dt", "dd"):
            self.stack.pop()
        elif name in ("td", "th") and top.name in ("td", "th"):
            self.stack.pop()
        elif name == "tr":
            while self.stack[-1].name in ("td", "th", "tr"):
                self.stack.pop()
        elif name in _BLOCK_ELEMENTS and top.name == "p":
            self.stack.pop()

    def _close(self, name: str, start: int, end: int) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].name == name:
                for element in self.stack[index + 1:]:
                    if element.name not in _OPTIONAL_CLOSE:
                        self.report(element.start, ArchiveWarning.HTML, f"<{element.name}> is never closed; "
                                                           f"it ends at </{name}>")
                self.stack[index].end = end
                self.stack[index].closed = True
                del self.stack[index:]
                return
        self.report(start, ArchiveWarning.HTML, f"removed a stray </{name}> that closes nothing")


# --- writing MyST --------------------------------------------------------------------------


class _Out:
    """Markdown pieces, with blank lines kept around blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.after_block = False

    def text(self, piece: str) -> None:
        if not piece:
            return
        if self.after_block:
            if piece.startswith(("\n", "\r")) or not piece.strip(" \t"):
                piece = _LEADING_BLANK_LINES.sub("", piece)
                if not piece.strip():
                    return
            else:
                piece = piece.lstrip(" \t")
            self.after_block = False
        self.parts.append(piece)

    def block(self, block: str) -> None:
        block = block.strip("\n")
        if not block.strip():
            return
        self._blank_line()
        self.parts.append(block)
        self.parts.append("\n\n")
        self.after_block = True

    def _blank_line(self) -> None:
        while self.parts:
            stripped = self.parts[-1].rstrip(" \t")
            if stripped:
                self.parts[-1] = stripped
                break
            self.parts.pop()
        if not self.parts:
            return
        newlines = 0
        for part in reversed(self.parts):
            trailing = len(part) - len(part.rstrip("\n"))
            newlines += trailing
            if trailing < len(part):
                break
        if newlines < 2:
            self.parts.append("\n" * (2 - newlines))

    def value(self) -> str:
        return "".join(self.parts)


def _dedent(text: str) -> str:
    """Markdown written inside an HTML element, moved to the left margin."""
    lines = text.split("\n")
    first = lines[0].lstrip(" \t")
    rest = textwrap.dedent("\n".join(lines[1:])) if len(lines) > 1 else ""
    joined = first + ("\n" + rest if len(lines) > 1 else "")
    return joined.strip("\n")


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _longest_colon_fence(text: str) -> int:
    return max((len(match.group(1)) for match in _COLON_RUN.finditer(text)), default=0)


def _url(url: str) -> str:
    """A link destination as Markdown writes it."""
    url = url.strip()
    if not url or re.search(r"[\s<>]", url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _link_title(title: str | None) -> str:
    return f' "{title.replace(chr(34), chr(92) + chr(34))}"' if title else ""


def _bracket_text(text: str) -> str:
    """Text for inside ``[...]``: brackets that would end it early are escaped."""
    depth = 0
    out = []
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                out.append("\\]")
                continue
            depth -= 1
        out.append(char)
    return "".join(out)


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity_text(match: re.Match) -> str:
    """An HTML character reference as the character, where Markdown reads that the same way."""
    char = htmllib.unescape(match.group(0))
    if char == match.group(0) or len(char) != 1 or char in "<>&\\`*_[]#!|" or not char.isprintable() \
            or char.isspace():
        return match.group(0)
    return char


def _scheme(url: str) -> str | None:
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


class _MystWriter:
    def __init__(self, text: str, parser: _Parser, result: HtmlConversion, label_prefix: str):
        self.text = text
        self.parser = parser
        self.result = result
        self.converted = result.converted
        self.label_prefix = label_prefix

    def report(self, node: _Node, kind: ArchiveWarning, message: str) -> None:
        self.parser.report(node.start, kind, message)

    def render(self, root: _Element) -> str:
        return self.blocks(root.children, top=True)

    # blocks -------------------------------------------------------------------------

    def is_block(self, node: _Node, top: bool) -> bool:
        if isinstance(node, _Code):
            return True
        if isinstance(node, _Verbatim):
            # at the top, a legacy construct at the start of its line is left to convert_legacy
            return node.kind in ("float", "more") and not (top and self._starts_line(node))
        if isinstance(node, _Element):
            if node.name == "a" and "href" not in node.attrs and self._anchor(node):
                return self._alone_on_line(node)
            if node.name == "img" or node.name == "br":
                return False
            return node.name in _BLOCK_ELEMENTS
        return False

    def blocks(self, children: list[_Node], top: bool) -> str:
        out = _Out()
        run: list[str] = []

        def flush() -> None:
            if run:
                joined = "".join(run)
                run.clear()
                if joined.strip():
                    out.block(_dedent(joined))

        for child in children:
            if not self.is_block(child, top):
                piece = self.inline(child, top)
                if top:
                    out.text(piece)
                else:
                    run.append(piece)
                continue
            flush()
            out.block(self.block(child, top))
        flush()
        value = out.value()
        return value if top else value.strip("\n")

    def block(self, node: _Node, top: bool) -> str:
        if isinstance(node, _Code):
            return self._code_block(node, top)
        if isinstance(node, _Verbatim):
            if node.kind == "more":
                self.converted["read-more marker"] += 1
                return MORE_MARKER
            conversion = convert_legacy(_dedent(node.text))
            self.converted.update(conversion.converted)
            return conversion.text
        assert isinstance(node, _Element)
        name = node.name
        method = getattr(self, "_block_" + name, None)
        if method is not None:
            return method(node, top)
        if name in _HEADINGS:
            return self._heading(node, top)
        if name == "a":
            return self._anchor_label(node)
        if name in _REMOVED:
            return self._removed(node)
        if name in _TRANSPARENT_BLOCKS:
            if name == "div" and _FLOAT_CLASS.search(node.attrs.get("class", "")):
                self.converted["float div without image"] += 1
            return self.blocks(node.children, top=False)
        return self._kept_block(node)

    def _code_block(self, node: _Code, top: bool) -> str:
        if top:
            return node.text.rstrip("\n")
        return textwrap.dedent(node.text).strip("\n")

    def _heading(self, node: _Element, top: bool) -> str:
        level = _HEADINGS[node.name]
        text = _one_line(self.inline_children(node, in_heading=True))
        label = self._label_line(node)
        self.converted["html heading"] += 1
        if not text:
            return label
        if not top:
            return (label + "\n" if label else "") + f"**{text}**"
        return (label + "\n" if label else "") + "#" * level + " " + text

    def _label_line(self, node: _Element) -> str:
        anchor = node.attrs.get("id") or node.attrs.get("name")
        if not anchor:
            return ""
        if anchor in self.result.labels:
            self.report(node, ArchiveWarning.HTML, f"anchor {anchor!r} is defined twice; the second is dropped")
            return ""
        label = label_name(self.label_prefix, anchor)
        self.result.labels[anchor] = label
        self.converted["anchor label"] += 1
        return f"({label})="

    def _anchor(self, node: _Element) -> str | None:
        return node.attrs.get("name") or node.attrs.get("id")

    def _anchor_label(self, node: _Element) -> str:
        label = self._label_line(node)
        inner = self.inline_children(node)
        return label + ("\n\n" + _dedent(inner) if inner.strip() else "")

    def _starts_line(self, node: _Node) -> bool:
        line_start = self.text.rfind("\n", 0, node.start) + 1
        before = self.text[line_start:node.start]
        return re.fullmatch(r"\s*(?:(?:[*+-]|\d+[.)])\s+)?", before) is not None

    def _alone_on_line(self, node: _Node) -> bool:
        line_start = self.text.rfind("\n", 0, node.start) + 1
        line_end = self.text.find("\n", node.end)
        line_end = len(self.text) if line_end < 0 else line_end
        return not self.text[line_start:node.start].strip() and not self.text[node.end:line_end].strip()

    def _block_p(self, node: _Element, top: bool) -> str:
        self.converted["html paragraph"] += 1
        return self.blocks(node.children, top=False)

    def _block_hr(self, node: _Element, top: bool) -> str:
        self.converted["html rule"] += 1
        return "***"

    def _block_blockquote(self, node: _Element, top: bool) -> str:
        inner = self.blocks(node.children, top=False)
        if "twitter-tweet" in node.classes():
            self.converted["tweet"] += 1
        else:
            self.converted["html quote"] += 1
        return "\n".join(("> " + line) if line.strip() else ">" for line in inner.split("\n"))

    def _block_ul(self, node: _Element, top: bool) -> str:
        if any("faq" in name for name in node.classes()):
            return self._faq(node)
        return self._list(node, ordered=False)

    _block_menu = _block_ul
    _block_dir = _block_ul

    def _block_ol(self, node: _Element, top: bool) -> str:
        return self._list(node, ordered=True)

    def _list(self, node: _Element, ordered: bool) -> str:
        self.converted["html list"] += 1
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        items: list[str] = []
        loose = False
        stray: list[_Node] = []
        for child in node.children:
            if isinstance(child, _Element) and child.name == "li":
                if stray and items:
                    items[-1] += "\n\n" + self.blocks(stray, top=False)
                stray = []
                content = self.blocks(child.children, top=False)
            elif isinstance(child, _Text) and not child.text.strip():
                continue
            else:
                stray.append(child)
                continue
            marker = f"{number}. " if ordered else "* "
            number += 1
            lines = content.split("\n") if content else [""]
            loose = loose or any(not line.strip() for line in lines)
            items.append("\n".join([marker + lines[0]] + [(" " * len(marker) + line) if line.strip() else ""
                                                          for line in lines[1:]]))
        if stray:
            tail = self.blocks(stray, top=False)
            if items:
                items[-1] += "\n\n" + "\n".join("  " + line if line.strip() else "" for line in tail.split("\n"))
            else:
                return tail
        return ("\n\n" if loose else "\n").join(items)

    def _block_li(self, node: _Element, top: bool) -> str:
        # an item outside any list: a list of one
        content = self.blocks(node.children, top=False)
        lines = content.split("\n") if content else [""]
        return "\n".join(["* " + lines[0]] + [("  " + line) if line.strip() else "" for line in lines[1:]])

    def _faq(self, node: _Element) -> str:
        """A FAQ list: each item's question becomes a dropdown's title, its answer the body."""
        dropdowns = []
        for item in node.children:
            if isinstance(item, _Text) and not item.text.strip():
                continue
            if not (isinstance(item, _Element) and item.name == "li"):
                dropdowns.append(self.blocks([item], top=False))
                continue
            question = next((child for child in item.children
                             if isinstance(child, _Element) and child.name in _HEADINGS), None)
            if question is None:
                dropdowns.append(self._list(_Element(item.start, item.end, "ul", {}, [item]), ordered=False))
                continue
            title_parts = []
            pictures = []
            for child in question.children:
                piece = self.inline(child, top=False, in_heading=True)
                if isinstance(child, _Text):
                    pictures.extend(_MD_IMAGE.findall(piece))
                    piece = _MD_IMAGE.sub("", piece)
                elif isinstance(child, _Element) and child.name == "img":
                    pictures.append(piece)
                    piece = ""
                title_parts.append(piece)
            title = _one_line("".join(title_parts))
            rest = [child for child in item.children if child is not question]
            body = "\n\n".join(filter(None, ["\n\n".join(pictures), self.blocks(rest, top=False)]))
            colons = ":" * max(3, _longest_colon_fence(body) + 1)
            dropdowns.append(f"{colons}{{dropdown}} {title}\n{body}\n{colons}")
            self.converted["faq item dropdown"] += 1
        return "\n\n".join(dropdowns)

    def _block_details(self, node: _Element, top: bool) -> str:
        summary = next((child for child in node.children
                        if isinstance(child, _Element) and child.name == "summary"), None)
        title = _one_line(self.inline_children(summary)) if summary is not None else "Details"
        body = self.blocks([child for child in node.children if child is not summary], top=False)
        colons = ":" * max(3, _longest_colon_fence(body) + 1)
        self.converted["details dropdown"] += 1
        return f"{colons}{{dropdown}} {title or 'Details'}\n{body}\n{colons}"

    def _block_figure(self, node: _Element, top: bool) -> str:
        """A figure of one image (linked or not) and its caption: MyST's figure."""
        elements = [child for child in node.children if isinstance(child, _Element)]
        others = [child for child in node.children if isinstance(child, (_Text, _Verbatim, _Code))
                  and (not isinstance(child, _Text) or child.text.strip())]
        caption = next((child for child in elements if child.name == "figcaption"), None)
        pictures = [child for child in elements if child is not caption]
        image = pictures[0] if len(pictures) == 1 else None
        target = None
        if image is not None and image.name == "a" and image.attrs.get("href"):
            inner = [child for child in image.children if isinstance(child, _Element)]
            target, image = image.attrs["href"], (inner[0] if len(inner) == 1 else None)
        if others or image is None or image.name != "img" or not image.attrs.get("src") \
                or _scheme(image.attrs["src"]) not in (None, "http", "https"):
            return self.blocks(node.children, top=False)
        lines = [f":::{{figure}} {image.attrs['src'].strip()}"]
        alt = _one_line(image.attrs.get("alt", ""))
        if alt:
            lines.append(f":alt: {alt}")
        if target and _scheme(target) in (None, "http", "https"):
            lines.append(f":target: {target}")
        text = _one_line(self.inline_children(caption)) if caption is not None else ""
        if text:
            lines.append(text)
        lines.append(":::")
        self.converted["html figure"] += 1
        return "\n".join(lines)

    def _block_pre(self, node: _Element, top: bool) -> str:
        raw = node.raw if node.raw is not None else node.text_content()
        language = ""
        for source in (node.attrs.get("class", ""), raw[:200]):
            match = re.search(r"\b(?:language|lang)-([\w+#.-]+)", source)
            if match:
                language = match.group(1)
                break
        code = htmllib.unescape(re.sub(r"<[^>]+>", "", raw)).strip("\n")
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
        self.converted["html code block"] += 1
        return f"{fence}{language or 'text'}\n{code}\n{fence}"

    def _block_iframe(self, node: _Element, top: bool) -> str:
        source = node.attrs.get("src", "")
        video = parse_video(source)
        if video:
            lines = [f":::{{video}} {video.watch_url}"]
            title = _one_line(node.attrs.get("title", ""))
            if title:
                lines.append(f":title: {title}")
            lines.append(":::")
            self.converted["video embed"] += 1
            return "\n".join(lines)
        return self._embed_link(node, "iframe")

    def _block_video(self, node: _Element, top: bool) -> str:
        return self._embed_link(node, "video")

    _block_audio = _block_video
    _block_embed = _block_video

    def _embed_link(self, node: _Element, what: str) -> str:
        source = node.attrs.get("src") or next(
            (child.attrs.get("src", "") for child in node.children
             if isinstance(child, _Element) and child.name == "source"), "")
        if source.startswith("//"):
            source = "https:" + source
        if not source or _scheme(source) not in ("http", "https"):
            self.report(node, ArchiveWarning.EMBED, f"removed an <{node.name}> with no usable source")
            return ""
        host = re.sub(r"^https?://", "", source).split("/")[0]
        self.report(node, ArchiveWarning.EMBED, f"<{node.name}> from {host} is not allowed by the HTML policy; "
                                   f"replaced by a link to {source}")
        self.converted[f"{what} replaced by a link"] += 1
        return f"[Embedded content from {host}]({_url(source)})"

    def _removed(self, node: _Element) -> str:
        if node.name == "script" and _TWEET_SCRIPT.match(node.attrs.get("src", "").strip()):
            self.converted["tweet script removed"] += 1
            return ""
        gist = _GIST_SCRIPT.match(node.attrs.get("src", "").strip()) if node.name == "script" else None
        if gist:
            url = f"https://gist.github.com/{gist.group('path')}"
            self.report(node, ArchiveWarning.EMBED,
                        f"<script> embedding the gist {url} is not allowed by the HTML policy; replaced by a link")
            self.converted["gist replaced by a link"] += 1
            return f"[Gist {gist.group('path')}]({url})"
        what = f"<{node.name}>"
        if node.attrs.get("src"):
            what += f" ({node.attrs['src']})"
        self.report(node, ArchiveWarning.HTML, f"removed {what}: the HTML policy does not allow it")
        return ""

    def _block_table(self, node: _Element, top: bool) -> str:
        rows = []
        for row in self._rows(node):
            cells = []
            for cell in row:
                if any(isinstance(child, _Element) and self.is_block(child, False) for child in cell.children) \
                        or cell.attrs.get("colspan", "1") != "1" or cell.attrs.get("rowspan", "1") != "1":
                    return self._kept_block(node)
                cells.append(_one_line(self.inline_children(cell, in_heading=True)).replace("|", "\\|"))
            rows.append(cells)
        if not any(cell for row in rows for cell in row):
            self.converted["empty table removed"] += 1
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
        self.converted["html table"] += 1
        return "\n".join(lines)

    def _rows(self, node: _Element) -> list[list[_Element]]:
        rows = []
        for child in node.children:
            if not isinstance(child, _Element):
                continue
            if child.name in ("thead", "tbody", "tfoot"):
                rows.extend(self._rows(child))
            elif child.name == "tr":
                rows.append([cell for cell in child.children if isinstance(cell, _Element)
                             and cell.name in ("td", "th")])
        return rows

    def _kept_block(self, node: _Element) -> str:
        """No MyST form: kept as raw HTML, as far as the allow-list keeps it."""
        source = self.text[node.start:node.end]
        cleaned = nh3.clean(source)
        self._report_removed(node, source, cleaned)
        cleaned = re.sub(r"\n\s*\n", "\n", cleaned).strip()
        if not cleaned:
            return ""
        self.converted["raw HTML kept"] += 1
        return cleaned

    def _report_removed(self, node: _Node, source: str, cleaned: str) -> None:
        before = Counter(name.lower() for name in _TAG_NAMES.findall(source))
        after = Counter(name.lower() for name in _TAG_NAMES.findall(cleaned))
        tags = sorted(set(before) - set(after))
        attrs = sorted({name.lower() for name in _ATTR_NAMES.findall(source)}
                       - {name.lower() for name in _ATTR_NAMES.findall(cleaned)})
        if tags or attrs:
            parts = []
            if tags:
                parts.append("elements " + ", ".join(f"<{tag}>" for tag in tags))
            if attrs:
                parts.append("attributes " + ", ".join(attrs))
            self.report(node, ArchiveWarning.HTML,
                        f"kept raw HTML without what the HTML policy removes: {'; '.join(parts)}")

    # inline ----------------------------------------------------------------------------

    def inline_children(self, node: _Element | None, in_heading: bool = False) -> str:
        if node is None:
            return ""
        return "".join(self.inline(child, top=False, in_heading=in_heading) for child in node.children)

    def inline(self, node: _Node, top: bool, in_heading: bool = False) -> str:
        if isinstance(node, _Text):
            return _ENTITY.sub(_entity_text, node.text) if "&" in node.text else node.text
        if isinstance(node, _Verbatim):
            if node.kind == "more" and not top:
                return ""
            return node.text
        if isinstance(node, _Code):
            return node.text
        assert isinstance(node, _Element)
        name = node.name
        if name in ("em", "i"):
            return self._emphasis(node, "*", "em", in_heading)
        if name in ("strong", "b"):
            return self._emphasis(node, "**", "strong", in_heading)
        if name == "a":
            return self._link(node, in_heading)
        if name == "img":
            return self._image(node)
        if name in ("code", "tt"):
            return self._code_span(node)
        if name == "br":
            self.converted["html line break"] += 1
            return " " if in_heading else "\\\n"
        if name in ("sub", "sup", "kbd", "abbr", "acronym"):
            return self._role(node, in_heading)
        if name in _KEPT_INLINE:
            self.converted["inline HTML kept"] += 1
            return f"<{name}>{self.inline_children(node, in_heading)}</{name}>"
        if name in _TRANSPARENT_INLINE:
            return self.inline_children(node, in_heading)
        if name in _REMOVED:
            return self._removed(node)
        # a block element where only inline content fits (a heading's, a link's)
        return self.inline_children(node, in_heading)

    def _emphasis(self, node: _Element, marker: str, tag: str, in_heading: bool) -> str:
        inner = self.inline_children(node, in_heading)
        if not inner.strip():
            return inner
        core = inner.strip()
        leading = inner[: len(inner) - len(inner.lstrip())]
        trailing = inner[len(inner.rstrip()):]
        self.converted["html emphasis"] += 1
        before = self.text[node.start - 1] if node.start and not leading else " "
        after = self.text[node.end] if node.end < len(self.text) and not trailing else " "
        if (re.match(r"[^\w\s]", core[0]) and re.match(r"\w", before)) \
                or (re.match(r"[^\w\s]", core[-1]) and re.match(r"\w", after)) or "\n\n" in core:
            # Markdown emphasis does not open before punctuation that follows a letter (nor close
            # after punctuation that a letter follows): HTML's own emphasis, which MyST keeps
            return f"{leading}<{tag}>{core}</{tag}>{trailing}"
        return f"{leading}{marker}{core}{marker}{trailing}"

    def _link(self, node: _Element, in_heading: bool) -> str:
        href = node.attrs.get("href")
        inner = self.inline_children(node, in_heading)
        if href is None:
            anchor = self._anchor(node)
            if anchor:
                self.report(node, ArchiveWarning.HTML, f"anchor {anchor!r} sits inside a paragraph; MyST labels "
                                                       "stand on their own line, so links to it reach the page")
            return inner
        href = href.strip()
        scheme = _scheme(href)
        if scheme and scheme not in _SAFE_SCHEMES:
            self.report(node, ArchiveWarning.HTML, f"removed a {scheme}: link; its text is kept")
            return inner
        text = _one_line(inner) or href
        self.converted["html link"] += 1
        return f"[{_bracket_text(text)}]({_url(href)}{_link_title(node.attrs.get('title'))})"

    def _image(self, node: _Element) -> str:
        source = node.attrs.get("src", "").strip()
        if not source:
            self.report(node, ArchiveWarning.HTML, "removed an <img> without a src")
            return ""
        if _scheme(source) not in (None, "http", "https"):
            self.report(node, ArchiveWarning.HTML, f"removed an <img> with a {_scheme(source)}: source")
            return node.attrs.get("alt", "")
        alt = _one_line(node.attrs.get("alt", "")).replace("[", "\\[").replace("]", "\\]")
        self.converted["html image"] += 1
        return f"![{alt}]({_url(source)}{_link_title(node.attrs.get('title'))})"

    def _code_span(self, node: _Element) -> str:
        elements = [child for child in node.children if isinstance(child, _Element)]
        if len(elements) == 1 and elements[0].name == "a" and elements[0].attrs.get("href") \
                and not "".join(child.text for child in node.children if isinstance(child, _Text)).strip():
            link = elements[0]
            code = self._backticks(htmllib.unescape(link.text_content()))
            self.converted["html code"] += 1
            return f"[{code}]({_url(link.attrs['href'])})"
        content = htmllib.unescape(node.text_content())
        self.converted["html code"] += 1
        return self._backticks(content)

    @staticmethod
    def _backticks(content: str) -> str:
        content = _one_line(content) if "\n" in content else content
        if not content:
            return ""
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if content.startswith("`") or content.endswith("`") or longest else ""
        return f"{fence}{pad}{content}{pad}{fence}"

    def _role(self, node: _Element, in_heading: bool) -> str:
        elements = [child for child in node.children if isinstance(child, _Element)]
        content = _one_line(htmllib.unescape(node.text_content()))
        if elements or "`" in content or not content:
            self.converted["inline HTML kept"] += 1
            return f"<{node.name}>{self.inline_children(node, in_heading)}</{node.name}>"
        role = {"acronym": "abbr"}.get(node.name, node.name)
        if role == "abbr" and node.attrs.get("title"):
            content = f"{content} ({_one_line(node.attrs['title'])})"
        self.converted[f"html {node.name}"] += 1
        return f"{{{role}}}`{content}`"
