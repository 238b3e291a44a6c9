"""The legacy blog dialect, converted to clean MyST.

One pure function, :func:`convert_legacy`: text in, text out, no Sphinx import. The
build runs it on every Markdown source before MyST parses it, and the import command
runs it to write clean posts. Clean MyST passes through unchanged, so converting
converted text changes nothing.

What it rewrites (outside code fences):

- ``<div class="image float-left|right">`` around a Markdown image, linked image or
  ``<img>`` (on its own lines, indented or not, or inline at the start of a line):
  an ``image-float`` directive; text beside the image in the div becomes its caption.
- ``<span class="more"></span>`` and ``<!--more-->``: the excerpt marker ``<!-- more -->``.
- ``> **NOTE: Title**`` and the quote(s) right after it: a ``callout`` directive.
- A GitHub-style alert, ``> [!NOTE]`` (``TIP``, ``IMPORTANT``, ``WARNING``, ``CAUTION``,
  with an optional title after it, as Obsidian writes it): a ``callout`` of that kind
  holding the rest of the quote.
- A heading whose whole text is a link to a Twitter/X profile: the heading, followed by a
  ``speaker`` card for that person.
- An empty link ``[text]()``: the text.
- An ``<img>`` tag alone on its own lines, naming a file beside the post: a Markdown
  image with its alt text and title (an ``image-float`` when its class says
  ``float-left`` or ``float-right``), so the build copies the file and warns when it is
  missing. Images from other sites stay.
- An image whose path has spaces, ``![alt](my image.png)`` (which CommonMark reads as
  text): the path in angle brackets, ``![alt](<my image.png>)``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from .frontmatter import split_front_matter

MORE_MARKER = "<!-- more -->"

_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")
_FLOAT_DIV_OPEN = re.compile(
    r"""^(?P<prefix>\s*(?:(?:[*+-]|\d+[.)])\s+)?)<div\s+class=["']image\s+float-(?P<side>left|right)["']\s*>(?P<rest>.*)$"""
)
_DIV_CLOSE = re.compile(r"</div>", re.IGNORECASE)
#: an image's path: plain, in angle brackets, or with spaces (a file name with an extension)
_IMAGE_SRC = r"""(?P<src><[^<>\n]+>|[^)\s]+|[^()<>\n"]*?[^\s()<>"]\.[A-Za-z0-9]{2,5})"""
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(" + _IMAGE_SRC + r"""(?:\s+"(?P<title>[^"]*)")?\)""")
_LINKED_IMAGE = re.compile(
    r"\[\s*!\[(?P<alt>[^\]]*)\]\(" + _IMAGE_SRC + r"""(?:\s+"[^"]*")?\)\s*\]\((?P<href>[^)\s]*)\)"""
)
_IMG_TAG = re.compile(r"<img\b(?P<attrs>[^>]*?)/?>", re.IGNORECASE)
_ATTR = re.compile(r"""(?P<name>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
_LONE_IMG = re.compile(r"^\s{0,3}<img\b[^>]*>\s*$", re.IGNORECASE)
_MORE = re.compile(r"""^\s*(?:<span\s+class=["']more["']\s*>\s*</span>|<!--\s*more\s*-->)\s*(?P<rest>.*)$""")
_NOTE_START = re.compile(r"^(?P<indent>\s{0,3})>\s?\*\*NOTE:\s*(?P<title>.+?)\s*\*\*\s*(?P<rest>.*)$")
_ALERT_START = re.compile(
    r"^(?P<indent>\s{0,3})>\s?\[!(?P<kind>note|tip|important|warning|caution)\][+-]?(?:\s+(?P<title>.*?))?\s*$",
    re.IGNORECASE,
)
#: the title an alert without one gets, as GitHub shows it
_ALERT_TITLES = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}
_QUOTE_LINE = re.compile(r"^(?P<indent>\s{0,3})>\s?(?P<text>.*)$")
_SPEAKER_HEADING = re.compile(
    r"^(?P<hashes>#{1,6})\s+\[(?P<name>[^\]]+)\]\("
    r"(?P<url>https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com)/@?(?P<handle>[A-Za-z0-9_]{1,15})/?)"
    r"\)\s*#*\s*$"
)
_EMPTY_LINK = re.compile(r"(?<![!\]\\])\[(?P<text>[^\[\]\n]+)\]\(\s*\)")
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|:{3,}|`{3,}|~{3,}|<|[*+-]\s|\d+[.)]\s)")
_SPACED_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^()<>\n\"]*?[^\s()<>\"]\.[A-Za-z0-9]{2,5})\)")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


@dataclass
class Conversion:
    """The result of :func:`convert_legacy`."""

    text: str
    #: how many constructs of each kind were rewritten
    converted: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.converted)


@dataclass
class _Image:
    src: str
    alt: str | None
    target: str | None = None
    title: str | None = None


#: each round removes some of the dialect's markup, so rounds come to an end; this many
#: is more than any post needs (one holding deeper nesting keeps the rest as it is)
_MAX_ROUNDS = 100


def convert_legacy(text: str) -> Conversion:
    """Rewrite the legacy dialect in ``text`` (a whole post, front matter included) as MyST.

    A construct can hold another: a float div without an image keeps its text, which may
    be a read-more marker; a callout's body may hold an empty link. The text is converted
    again until nothing changes, so the result is clean MyST that converts to itself.
    """
    converted: Counter = Counter()
    for _ in range(_MAX_ROUNDS):
        result = _convert_once(text)
        if result.text == text:
            break
        converted += result.converted
        text = result.text
    return Conversion(text, converted)


def _convert_once(text: str) -> Conversion:
    lines = text.split("\n")
    out: list[str] = []
    converted: Counter = Counter()

    span = split_front_matter(lines)
    start = span[1] + 1 if span else 0
    out.extend(lines[:start])

    fence: str | None = None
    index = start
    while index < len(lines):
        line = lines[index]
        fence_match = _CODE_FENCE.match(line)
        if fence is not None:
            out.append(line)
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence) \
                    and not fence_match.group(2).strip():
                fence = None
            index += 1
            continue
        if fence_match and not fence_match.group(2).lstrip().startswith("{"):
            fence = fence_match.group(1)
            out.append(line)
            index += 1
            continue

        consumed = (
            _convert_float_div(lines, index, out, converted)
            or _convert_img_tag(lines, index, out, converted)
            or _convert_note(lines, index, out, converted)
            or _convert_alert(lines, index, out, converted)
            or _convert_more(lines, index, out, converted)
            or _convert_speaker_heading(lines, index, out, converted)
        )
        if consumed:
            index += consumed
            continue
        out.append(_convert_inline(line, converted))
        index += 1
    return Conversion("\n".join(out), converted)


# --- image floats ----------------------------------------------------------------------


def _convert_float_div(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    match = _FLOAT_DIV_OPEN.match(lines[index])
    if not match:
        return 0
    prefix, side = match.group("prefix"), match.group("side")
    inner: list[str] = []
    trailing = ""
    rest = match.group("rest")
    end = index
    while True:
        close = _DIV_CLOSE.search(rest)
        if close:
            inner.append(rest[: close.start()])
            trailing = rest[close.end():].strip()
            break
        inner.append(rest)
        end += 1
        if end >= len(lines) or _CODE_FENCE.match(lines[end]):
            return 0  # never closed (before a code block): leave it to the HTML policy
        rest = lines[end]

    images, caption = _read_div_content(" \n".join(inner))
    indent = " " * len(prefix)
    block: list[str] = []
    if images:
        for number, image in enumerate(images):
            block.extend(_float_directive(image, side, caption if number == len(images) - 1 else ""))
        converted["image float"] += len(images)
    else:
        block.extend(part.strip() for part in inner if part.strip())
        converted["float div without image"] += 1
    if trailing:
        block.extend(["", trailing])
    out.append(prefix + block[0] if block else prefix.rstrip())
    out.extend(indent + part if part else "" for part in block[1:])
    return end - index + 1


def _read_div_content(content: str) -> tuple[list[_Image], str]:
    images: list[_Image] = []

    def linked(match: re.Match) -> str:
        images.append(_Image(_path(match.group("src")), match.group("alt"), match.group("href") or None))
        return " "

    def plain(match: re.Match) -> str:
        images.append(_Image(_path(match.group("src")), match.group("alt"), title=match.group("title")))
        return " "

    def tag(match: re.Match) -> str:
        attrs = {
            m.group("name").lower(): html.unescape(m.group("dq") or m.group("sq") or m.group("bare") or "")
            for m in _ATTR.finditer(match.group("attrs"))
        }
        if not attrs.get("src"):
            return match.group(0)
        images.append(_Image(attrs["src"], attrs.get("alt"), title=attrs.get("title")))
        return " "

    rest = _LINKED_IMAGE.sub(linked, content)
    rest = _MD_IMAGE.sub(plain, rest)
    rest = _IMG_TAG.sub(tag, rest)
    caption = " ".join(rest.split())
    return images, caption


def _path(src: str) -> str:
    """An image's path as written in Markdown: without angle brackets, or a leading ``./``."""
    src = src[1:-1] if src.startswith("<") and src.endswith(">") else src
    return src[2:] if src.startswith("./") else src


def _float_directive(image: _Image, side: str, caption: str) -> list[str]:
    # the directive's argument is a URI, in which an unescaped space is dropped
    src = re.sub(r"(\s)", r"\\\1", _path(image.src))
    block = [f":::{{image-float}} {src}"]
    if image.alt is not None and image.alt.strip():
        block.append(f":alt: {_one_line(image.alt)}")
    block.append(f":align: {side}")
    if image.target:
        block.append(f":target: {image.target}")
    text = caption or (image.title or "")
    if text:
        block.append(text)
    block.append(":::")
    return block


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _convert_img_tag(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    match = _LONE_IMG.match(lines[index])
    if not match or (index > 0 and lines[index - 1].strip()) \
            or (index + 1 < len(lines) and lines[index + 1].strip()):
        return 0  # part of a larger HTML block: left to the HTML policy
    images, rest = _read_div_content(lines[index])
    if len(images) != 1 or rest or "://" in images[0].src or images[0].src.startswith(("/", "data:")):
        return 0
    image = images[0]
    classes = re.search(r"""class\s*=\s*["']([^"']*)["']""", lines[index])
    side = re.search(r"\bfloat-(left|right)\b", classes.group(1)) if classes else None
    if side:
        out.extend(_float_directive(image, side.group(1), ""))
        converted["image float"] += 1
        return 1
    src = _path(image.src)
    if re.search(r"[<>\n]", src):
        return 0  # no Markdown image can hold this path
    alt = re.sub(r"([\\\[\]])", r"\\\1", _one_line(image.alt or ""))
    if re.search(r"[\s()]", src):
        src = f"<{src}>"
    title = _one_line(image.title or "").replace("\\", "\\\\").replace('"', '\\"')
    out.append(f'![{alt}]({src} "{title}")' if title else f"![{alt}]({src})")
    converted["img tag"] += 1
    return 1


# --- read-more marker ------------------------------------------------------------------


def _convert_more(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    match = _MORE.match(lines[index])
    if not match:
        return 0
    if lines[index].strip() == MORE_MARKER:
        out.append(lines[index])
        return 1
    converted["read-more marker"] += 1
    out.append(MORE_MARKER)
    if match.group("rest"):
        out.extend(["", match.group("rest")])
    return 1


# --- NOTE callouts ---------------------------------------------------------------------


def _convert_note(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    match = _NOTE_START.match(lines[index])
    if not match:
        return 0
    body: list[str] = [match.group("rest")] if match.group("rest") else []
    end = index + 1
    while True:
        # the rest of this quote, lazy continuation lines included
        while end < len(lines):
            quote = _QUOTE_LINE.match(lines[end])
            if quote:
                body.append(quote.group("text"))
            elif lines[end].strip() and body and body[-1].strip() and not _BLOCK_START.match(lines[end]):
                body.append(lines[end])
            else:
                break
            end += 1
        # then every quote that follows after blank lines only
        look = end
        while look < len(lines) and not lines[look].strip():
            look += 1
        if look > end and look < len(lines) and _QUOTE_LINE.match(lines[look]) \
                and not _NOTE_START.match(lines[look]):
            body.append("")
            end = look
            continue
        break
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    colons = ":" * max(3, _longest_colon_fence(body) + 1)
    out.append(f"{colons}{{callout}} {match.group('title')}")
    out.extend(body)
    out.append(colons)
    converted["note callout"] += 1
    return end - index


def _convert_alert(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    """``> [!WARNING] Title`` and the rest of its quote: a callout of that kind."""
    match = _ALERT_START.match(lines[index])
    if not match:
        return 0
    kind = match.group("kind").lower()
    body: list[str] = []
    end = index + 1
    # the rest of this quote, lazy continuation lines included; an alert is one quote
    while end < len(lines):
        quote = _QUOTE_LINE.match(lines[end])
        if quote:
            body.append(quote.group("text"))
        elif lines[end].strip() and body and body[-1].strip() and not _BLOCK_START.match(lines[end]):
            body.append(lines[end])
        else:
            break
        end += 1
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    colons = ":" * max(3, _longest_colon_fence(body) + 1)
    title = match.group("title") or _ALERT_TITLES[kind]
    out.append(f"{colons}{{callout}} {title}")
    out.append(f":kind: {kind}")
    out.append("")
    out.extend(body)
    out.append(colons)
    converted["github alert"] += 1
    return end - index


def _longest_colon_fence(body: list[str]) -> int:
    longest = 0
    for part in body:
        stripped = part.lstrip()
        run = len(stripped) - len(stripped.lstrip(":"))
        if run >= 3:
            longest = max(longest, run)
    return longest


# --- speaker headings ------------------------------------------------------------------


def _convert_speaker_heading(lines: list[str], index: int, out: list[str], converted: Counter) -> int:
    match = _SPEAKER_HEADING.match(lines[index])
    if not match:
        return 0
    name = match.group("name").strip()
    out.append(f"{match.group('hashes')} {name}")
    out.append("")
    out.append(f":::{{speaker}} {_one_line(name)}")
    out.append(f":twitter: {match.group('url')}")
    out.append(":::")
    converted["speaker heading"] += 1
    return 1


# --- inline constructs -----------------------------------------------------------------


def _convert_inline(line: str, converted: Counter) -> str:
    if "](" not in line:
        return line
    pieces = []
    last = 0
    for code in _CODE_SPAN.finditer(line):
        pieces.append(_drop_empty_links(line[last:code.start()], converted))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(_drop_empty_links(line[last:], converted))
    return "".join(pieces)


def _drop_empty_links(text: str, converted: Counter) -> str:
    def replace(match: re.Match) -> str:
        converted["empty link"] += 1
        return match.group("text")

    def bracket(match: re.Match) -> str:
        if " " not in match.group("src").strip():
            return match.group(0)
        converted["image path with spaces"] += 1
        return f"![{match.group('alt')}](<{match.group('src').strip()}>)"

    return _SPACED_IMAGE.sub(bracket, _EMPTY_LINK.sub(replace, text))
