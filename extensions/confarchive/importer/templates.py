"""The template tags of old blogs, as Markdown, MyST or HTML. Pure: no Sphinx, no files.

:func:`convert_templates` reads a post's lines once, outside code, and rewrites:

- Hugo's shortcodes: ``figure``, ``youtube``, ``vimeo``, ``tweet``/``x``, ``gist``,
  ``instagram``, ``highlight``, ``ref``/``relref``, ``param``, ``details``, ``comment``,
  the notice kind of theme shortcodes (``notice``, ``alert``, ``admonition``, ``hint``,
  ``callout``), shortcodes written over several lines, nested ones, and the escapes
  ``{{</* x */>}}`` that show a shortcode as code;
- Jekyll's Liquid: ``highlight``, ``raw``, ``comment``, ``post_url``, ``link``, an
  ``include`` of an image, ``site.*`` and ``page.*`` variables and the ``relative_url``
  and ``absolute_url`` filters;
- kramdown's attribute lists (``{: .class}``, ``{:target="_blank"}``), ``{:toc}`` and
  ``{::options /}``; a note class on a paragraph or a quote makes it a callout.

Anything else in template syntax is kept as text, shown as code, and reported at its
line: nothing is dropped without a count. Each construct is counted by kind as converted,
kept as text, or dropped (:class:`Tally`).

Each element of the list it returns comes from the line of the same index; an element
may hold several lines (a callout's opening and its kind), so the caller can map what it
reports back to the original line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..problems import ArchiveWarning

__all__ = ["TemplateLinks", "Tally", "convert_templates"]


class TemplateLinks(Protocol):
    """What the caller knows about the site, for template tags."""

    def post_url(self, name: str, line: int) -> str | None:
        """The old URL of the post a Jekyll ``post_url``/Hugo ``ref`` names, if known."""

    def variable(self, name: str) -> str | None:
        """The value of ``site.title``, ``page.title``, a Hugo ``param``: a scalar, or None."""


@dataclass
class Tally:
    """Constructs by kind: converted, kept as text, dropped."""

    converted: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)


Report = Callable[[int, ArchiveWarning, str], None]

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")

# Hugo
_ESCAPE = re.compile(r"\{\{(?P<open>[<%])/\*(?P<inner>.*?)\*/(?P=open)?[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{(?P<open>[<%])\s*(?P<close>/)?\s*(?P<name>[\w.-]+)(?P<args>.*?)\s*(?P<self>/)?"
                        r"\s*[>%]\}\}", re.S)
_SHORTCODE_START = re.compile(r"\{\{[<%]")
_SHORTCODE_ARG = re.compile(r"""(?:(?P<key>[\w-]+)\s*=\s*)?(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|"""
                            r"""(?P<bare>[^\s"`]+))""")
#: theme shortcodes that hold a note, and the callout kind of each of their types
NOTICE_SHORTCODES = frozenset({"notice", "alert", "admonition", "hint", "callout", "note", "tip", "warning",
                               "info", "caution", "important", "danger"})
_KINDS = {"note": "note", "info": "note", "information": "note", "primary": "note", "secondary": "note",
          "tip": "tip", "success": "tip", "hint": "hint", "important": "important", "warning": "warning",
          "warn": "warning", "caution": "caution", "danger": "danger", "error": "error", "attention": "attention"}
_COLONS = "\0colons\0"

# Jekyll
_RAW = re.compile(r"\{%-?\s*(?P<end>end)?raw\s*-?%\}")
_LIQUID_TAG = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>.*?)\s*-?%\}", re.S)
_LIQUID_OUTPUT = re.compile(r"\{\{-?\s*(?P<expr>.*?)\s*-?\}\}", re.S)
_LIQUID_STRING = re.compile(r"""^(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')$""")
_LIQUID_VARIABLE = re.compile(r"^(?:site|page|layout|jekyll)\.[\w.]+$")
_LIQUID_PARAM = re.compile(r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")
_URL_FILTERS = frozenset({"relative_url", "absolute_url", "prepend: site.baseurl", "uri_escape"})

# kramdown
_IAL_LINE = re.compile(r"^\s*\{:(?!/)(?P<body>[^{}]*)\}\s*$")
_IAL_SPAN = re.compile(r"\{:(?![:/])[^{}\n]*\}")
_KRAMDOWN_EXTENSION = re.compile(r"\{::(?P<name>\w+)(?P<args>[^{}]*?)/\}")
_KRAMDOWN_BLOCK = re.compile(r"^\s*\{::(?P<name>comment|nomarkdown)\}\s*$")
_KRAMDOWN_BLOCK_END = re.compile(r"^\s*\{:/(?P<name>comment|nomarkdown)?\}\s*$")
_TOC_ITEM = re.compile(r"^\s*[*+-]\s+(?:TOC|Table of contents)\s*$", re.I)
_CLASS = re.compile(r"\.([\w-]+)")


def shortcode_args(text: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's positional and named arguments."""
    positional, named = [], {}
    for match in _SHORTCODE_ARG.finditer(text):
        value = next(group for group in (match.group("dq"), match.group("bq"), match.group("bare"))
                     if group is not None)
        if match.group("dq") is not None:
            value = value.replace('\\"', '"')
        if match.group("key"):
            named[match.group("key").lower()] = value
        else:
            positional.append(value)
    return positional, named


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _code(text: str) -> str:
    """``text`` as a code span that shows it as it is."""
    text = " ".join(text.split())
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _figure(src: str, alt: str, caption: str, link: str = "") -> str:
    image = f'<img src="{_attr(src)}" alt="{_attr(alt or caption)}">'
    if link:
        image = f'<a href="{_attr(link)}">{image}</a>'
    if not caption:
        return image if link else f"![{alt.replace('[', '(').replace(']', ')')}]({src})"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _kind_of(*names: str) -> str:
    for name in names:
        for part in re.split(r"[^a-z]+", name.lower()):
            if part in _KINDS:
                return _KINDS[part]
    return "note"


@dataclass
class _Pair:
    """An open container (a notice, a details block): where it opened, what it holds."""

    name: str
    index: int
    height: int = 1
    children: list[_Pair] = field(default_factory=list)


class _Converter:
    def __init__(self, lines: list[str], source_format: str, links: TemplateLinks, first_line: int,
                 report: Report, tally: Tally):
        self.lines = lines
        self.format = source_format
        self.links = links
        self.first_line = first_line
        self.report = report
        self.tally = tally
        self.out: list[str] = []
        self.open: list[_Pair] = []
        self.pairs: list[_Pair] = []
        self.unknown_open: set[str] = set()

    # --- the walk --------------------------------------------------------------------------

    def run(self) -> list[str]:
        lines = self.lines
        fence: str | None = None
        highlight = False
        raw = False
        kramdown_block: str | None = None
        index = 0
        while index < len(lines):
            line = lines[index]
            if self.format == "jekyll" and (raw or "raw" in line):
                line, raw = self._raw(line, index, raw, code=fence is not None or highlight)
                if line is None:
                    index += 1
                    continue
            match = _FENCE.match(line)
            if fence is not None:
                if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) \
                        and not match.group("info").strip():
                    fence = None
                self.out.append(self._unescape(line) if self.format == "hugo" else line)
                index += 1
                continue
            if match and not highlight:
                fence = match.group("fence")
                self.out.append(line)
                index += 1
                continue
            if self.format == "hugo":
                line, used = self._gather(index)
                self.out.append(self._hugo(line, index))
                self.out.extend("" for _ in range(used - 1))
                index += used
                continue
            # Jekyll
            if highlight:
                if re.match(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$", line):
                    highlight = False
                    self.out.append("```")
                else:
                    self.out.append(line)
                index += 1
                continue
            opening = re.match(r"^\s*\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)(?P<rest>[^%]*)-?%\}\s*$", line)
            if opening:
                highlight = True
                self.tally.converted["Liquid highlight"] += 1
                self.out.append(f"```{opening.group('lang')}")
                index += 1
                continue
            if kramdown_block is not None:
                if _KRAMDOWN_BLOCK_END.match(line):
                    kramdown_block = None
                    self.out.append("")
                else:
                    self.out.append("" if kramdown_block == "comment" else line)
                index += 1
                continue
            block = _KRAMDOWN_BLOCK.match(line)
            if block:
                kramdown_block = block.group("name")
                (self.tally.dropped if kramdown_block == "comment" else self.tally.converted)[
                    f"kramdown {kramdown_block}"] += 1
                self.out.append("")
                index += 1
                continue
            comment = re.match(r"^\s*\{%-?\s*comment\s*-?%\}", line)
            if comment:
                end = next((stop for stop in range(index, len(lines))
                            if re.search(r"\{%-?\s*endcomment\s*-?%\}", lines[stop])), None)
                if end is not None:
                    self.tally.dropped["Liquid comment"] += 1
                    self.out.append(re.split(r"\{%-?\s*endcomment\s*-?%\}", lines[end], maxsplit=1)[1]
                                    if end == index else "")
                    if end > index:
                        self.out.extend("" for _ in range(index + 1, end))
                        self.out.append(re.split(r"\{%-?\s*endcomment\s*-?%\}", lines[end], maxsplit=1)[1])
                    index = end + 1
                    continue
            line, used = self._gather(index, line)
            self.out.append(self._kramdown(self._liquid(line, index), index))
            self.out.extend("" for _ in range(used - 1))
            index += used
        if highlight:
            self.out.append("```")
        for pair in reversed(self.open):
            self.report(pair.index, ArchiveWarning.TEMPLATE,
                        f"shortcode {{{{% {pair.name} %}}}} is never closed; closed at the end of the post")
            self._close(pair, len(self.out) - 1, append=True)
        self._set_colons()
        return self.out

    def _gather(self, index: int, line: str | None = None) -> tuple[str, int]:
        """A tag written over several lines, as one line; and how many lines it took."""
        line = self.lines[index] if line is None else line
        used = 1
        while used < 30 and index + used < len(self.lines) and self._unclosed(line):
            line += " " + self.lines[index + used].strip()
            used += 1
        if self._unclosed(line):
            return (self.lines[index] if used > 1 else line), 1
        return line, used

    def _unclosed(self, line: str) -> bool:
        if self.format == "hugo":
            starts = [match.start() for match in _SHORTCODE_START.finditer(line)]
            return bool(starts) and not re.search(r"[>%]\}\}", line[starts[-1]:])
        last = max(line.rfind("{%"), line.rfind("{{"))
        return last >= 0 and not re.search(r"[%}]\}", line[last + 2:])

    # --- Hugo --------------------------------------------------------------------------------

    def _unescape(self, line: str) -> str:
        def replace(match: re.Match) -> str:
            self.tally.converted["Hugo shortcode escape"] += 1
            close = ">" if match.group("open") == "<" else "%"
            return "{{" + match.group("open") + match.group("inner") + close + "}}"
        return _ESCAPE.sub(replace, line) if "/*" in line else line

    def _hugo(self, line: str, index: int) -> str:
        if "{{" not in line:
            return line
        pieces: list[str] = []
        last = 0
        spans = [match.span() for match in _CODE_SPAN.finditer(line)] if "`" in line else []
        tokens = sorted([(match.start(), match.end(), "escape", match) for match in _ESCAPE.finditer(line)]
                        + [(match.start(), match.end(), "shortcode", match) for match in _SHORTCODE.finditer(line)],
                        key=lambda token: token[0])
        for start, end, kind, match in tokens:
            in_code = any(low <= start < high for low, high in spans)
            if start < last or (in_code and kind != "escape"):
                continue
            pieces.append(line[last:start])
            if kind == "escape":
                # Hugo unescapes everywhere, code spans included: the page shows the shortcode
                self.tally.converted["Hugo shortcode escape"] += 1
                close = ">" if match.group("open") == "<" else "%"
                shown = "{{" + match.group("open") + " " + match.group("inner").strip() + " " + close + "}}"
                pieces.append(shown if in_code else _code(shown))
            else:
                pieces.append(self._shortcode(match, index, standalone=not line[:start].strip()
                                              and not line[end:].strip()))
            last = end
        pieces.append(line[last:])
        return "".join(pieces)

    def _shortcode(self, match: re.Match, index: int, standalone: bool) -> str:
        name = match.group("name").lower()
        positional, named = shortcode_args(match.group("args"))
        first = named.get("id") or (positional[0] if positional else "")
        kind = f"Hugo {name}"
        converted = self.tally.converted
        if match.group("close"):
            return self._closing(name, match, index)
        if name in NOTICE_SHORTCODES or name == "details":
            return self._opening(name, positional, named, match, index)
        if name == "youtube" and first:
            converted[kind] += 1
            title = named.get("title", "")
            return f'<iframe src="https://www.youtube.com/embed/{_attr(first)}" title="{_attr(title)}"></iframe>' \
                if title else f'<iframe src="https://www.youtube.com/embed/{_attr(first)}"></iframe>'
        if name == "vimeo" and first:
            converted[kind] += 1
            return f'<iframe src="https://player.vimeo.com/video/{_attr(first)}"></iframe>'
        if name in ("tweet", "x"):
            user = named.get("user") or named.get("username") or (positional[0] if len(positional) > 1 else "i/web")
            tweet = named.get("id") or (positional[-1] if positional else "")
            if tweet:
                url = f"https://twitter.com/{user}/status/{tweet}"
                converted[kind] += 1
                return f'<blockquote class="twitter-tweet"><a href="{_attr(url)}">{url}</a></blockquote>'
        if name == "instagram" and first:
            converted[kind] += 1
            url = f"https://www.instagram.com/p/{first}/"
            return f"[{url}]({url})"
        if name == "gist" and len(positional) >= 2:
            converted[kind] += 1
            url = f"https://gist.github.com/{positional[0]}/{positional[1]}"
            if len(positional) > 2:
                url += "#file-" + re.sub(r"[^\w-]", "-", positional[2]).lower()
            return f"[{url}]({url})"
        if name in ("ref", "relref") and (named.get("path") or first):
            target = named.get("path") or first
            url = self.links.post_url(target, self.first_line + index)
            if url is None:
                self.tally.kept[kind] += 1
                self.report(index, ArchiveWarning.TEMPLATE,
                            f"{{{{< {name} {target!r} >}}}} names no post of this import; kept as text")
                return _code(match.group(0))
            converted[kind] += 1
            return url
        if name == "figure" and named.get("src"):
            converted[kind] += 1
            caption = named.get("caption") or named.get("title") or ""
            if named.get("attr"):
                caption = f"{caption} {named['attr']}".strip()
            return _figure(named["src"], named.get("alt", ""), caption, named.get("link", ""))
        if name == "highlight" and first:
            converted[kind] += 1
            return f"```{first}"
        if name == "param" and first:
            value = self.links.variable(first)
            if value is not None:
                converted[kind] += 1
                return value
        if name == "comment" and match.group("self"):
            self.tally.dropped[kind] += 1
            return ""
        self.tally.kept["Hugo shortcode (unknown)"] += 1
        self.unknown_open.add(name)
        self.report(index, ArchiveWarning.TEMPLATE,
                    f"shortcode {' '.join(match.group(0).split())!r} is not one the import knows; kept as text")
        return _code(match.group(0))

    def _opening(self, name: str, positional: list[str], named: dict[str, str], match: re.Match,
                 index: int) -> str:
        pair = _Pair(name, len(self.out))
        if self.open:
            self.open[-1].children.append(pair)
        self.open.append(pair)
        self.pairs.append(pair)
        self.tally.converted[f"Hugo {name}"] += 1
        if name == "details":
            summary = named.get("summary") or (positional[0] if positional else "Details")
            return f"\n{_COLONS}{{dropdown}} {summary}\n" + (":open:\n" if named.get("open") in ("true", "") else "")
        style = named.get("type") or named.get("style") or named.get("theme") or named.get("kind") \
            or (positional[0] if positional and name in ("notice", "alert", "admonition", "callout", "hint")
                else name)
        kind = _kind_of(style, name)
        title = named.get("title") or (positional[1] if len(positional) > 1 else "") \
            or kind.capitalize()
        return f"\n{_COLONS}{{callout}} {' '.join(title.split())}\n:kind: {kind}\n"

    def _closing(self, name: str, match: re.Match, index: int) -> str:
        if name == "highlight":
            return "```"
        if self.open and self.open[-1].name == name:
            pair = self.open.pop()
            return self._close(pair, len(self.out))
        if name in self.unknown_open:
            self.tally.kept["Hugo shortcode (unknown)"] += 1
            return _code(match.group(0))
        self.tally.kept["Hugo shortcode (unknown)"] += 1
        self.report(index, ArchiveWarning.TEMPLATE,
                    f"shortcode {match.group(0)!r} closes nothing that is open; kept as text")
        return _code(match.group(0))

    def _close(self, pair: _Pair, out_index: int, append: bool = False) -> str:
        # a leaf takes four colons: what it holds may become a directive of three (a figure)
        pair.height = 1 + max((child.height for child in pair.children), default=1)
        pair.close = out_index  # type: ignore[attr-defined]
        closing = f"\n{_COLONS}\n"
        if append:
            self.out[out_index] += closing
        return closing

    def _set_colons(self) -> None:
        for pair in self.pairs:
            colons = ":" * (2 + pair.height)
            for at in (pair.index, getattr(pair, "close", pair.index)):
                self.out[at] = self.out[at].replace(_COLONS, colons, 1)

    # --- Jekyll ------------------------------------------------------------------------------

    def _raw(self, line: str, index: int, raw: bool, code: bool) -> tuple[str | None, bool]:
        """``{% raw %}``: what it holds is shown as it is, in code or as a code span.

        Returns the line to read on (None when it is written already) and whether a raw
        block is still open.
        """
        pieces: list[str] = []
        held: list[str] = []
        position = 0
        for match in _RAW.finditer(line):
            text = line[position:match.start()]
            if not raw and not match.group("end"):
                pieces.append(text)
                raw = True
                self.tally.converted["Liquid raw"] += 1
            elif raw and match.group("end"):
                inside = "".join(held) + text
                held = []
                shown = code or not inside.strip() or position == 0 or _CODE_SPAN.fullmatch(inside.strip())
                pieces.append(inside if shown else _code(inside))
                raw = False
            else:
                (held if raw else pieces).append(text + match.group(0))
            position = match.end()
        rest = line[position:]
        if raw:
            self.out.append("".join(pieces) + "".join(held) + rest)
            return None, raw
        text = "".join(pieces) + rest
        if position and not text.strip():
            self.out.append("")
            return None, raw
        return text, raw

    def _liquid(self, line: str, index: int) -> str:
        if "{%" not in line and "{{" not in line:
            return line
        spans = [match.span() for match in _CODE_SPAN.finditer(line)] if "`" in line else []
        tokens = sorted([(match.start(), match.end(), "tag", match) for match in _LIQUID_TAG.finditer(line)]
                        + [(match.start(), match.end(), "output", match) for match in _LIQUID_OUTPUT.finditer(line)],
                        key=lambda token: token[0])
        pieces: list[str] = []
        last = 0
        for start, end, kind, match in tokens:
            if start < last or any(low <= start < high for low, high in spans):
                continue
            pieces.append(line[last:start])
            pieces.append(self._tag(match, index) if kind == "tag" else self._output(match, index))
            last = end
        pieces.append(line[last:])
        return "".join(pieces)

    def _tag(self, match: re.Match, index: int) -> str:
        name = match.group("name")
        args = match.group("args").strip()
        kind = f"Liquid {name}"
        if name in ("post_url", "link") and args:
            url = self.links.post_url(args.split()[0], self.first_line + index)
            if url is None:
                self.tally.kept[kind] += 1
                self.report(index, ArchiveWarning.TEMPLATE,
                            f"{' '.join(match.group(0).split())} names no post of this import; kept as text")
                return _code(match.group(0))
            self.tally.converted[kind] += 1
            return url
        if name in ("include", "include_relative") and args:
            include, _, rest = args.partition(" ")
            params = {found.group("key").lower(): next(group for group in (found.group("dq"), found.group("sq"),
                                                                          found.group("bare")) if group is not None)
                      for found in _LIQUID_PARAM.finditer(rest)}
            src = next((params[key] for key in ("url", "src", "image", "img", "file", "path") if params.get(key)), "")
            if src and (re.search(r"image|img|figure|photo|picture", include, re.I)
                        or re.search(r"\.(?:png|jpe?g|gif|svg|webp)$", src, re.I)):
                self.tally.converted["Liquid include (image)"] += 1
                src = self._liquid_value(src)
                caption = params.get("caption") or params.get("description") or params.get("title") or ""
                return _figure(src, params.get("alt", "") or caption, caption, params.get("link", ""))
        self.tally.kept["Liquid tag (unknown)"] += 1
        self.report(index, ArchiveWarning.TEMPLATE,
                    f"template tag {' '.join(match.group(0).split())!r} has no meaning here; kept as text")
        return _code(match.group(0))

    def _liquid_value(self, value: str) -> str:
        return _LIQUID_OUTPUT.sub(lambda match: self._evaluate(match.group("expr")) or "", value)

    def _evaluate(self, expression: str) -> str | None:
        """The value of a Liquid output expression, or None when it cannot be known."""
        head, *filters = [part.strip() for part in expression.split("|")]
        if any(part not in _URL_FILTERS for part in filters):
            return None
        string = _LIQUID_STRING.match(head)
        if string:
            return string.group("dq") if string.group("dq") is not None else string.group("sq")
        if head in ("site.baseurl", "site.url", "site.github.url"):
            return ""
        if _LIQUID_VARIABLE.match(head):
            return self.links.variable(head)
        return None

    def _output(self, match: re.Match, index: int) -> str:
        value = self._evaluate(match.group("expr"))
        if value is not None:
            self.tally.converted["Liquid variable"] += 1
            return value
        self.tally.kept["Liquid variable (unknown)"] += 1
        self.report(index, ArchiveWarning.TEMPLATE,
                    f"template output {' '.join(match.group(0).split())!r} cannot be known here; kept as text")
        return _code(match.group(0))

    # --- kramdown -----------------------------------------------------------------------------

    def _kramdown(self, line: str, index: int) -> str:
        if "{:" not in line:
            return line
        whole = _IAL_LINE.match(line)
        if whole:
            body = whole.group("body").strip()
            if body.lower() == "toc":
                self.tally.dropped["kramdown table of contents"] += 1
                previous = self._previous_line()
                if previous is not None and _TOC_ITEM.match(self.out[previous]):
                    self.out[previous] = ""
                return ""
            classes = _CLASS.findall(body)
            note = next((name for name in classes if _kind_of(name) != "note" or re.search(
                r"note|notice|info|callout|admonition", name, re.I)), None)
            if note and self._to_callout(_kind_of(note)):
                self.tally.converted["kramdown attribute list (note)"] += 1
                return ":::"
            self.tally.dropped["kramdown attribute list"] += 1
            return ""
        line = _KRAMDOWN_EXTENSION.sub(lambda match: self._drop("kramdown extension"), line)
        if _IAL_SPAN.search(line):
            line = _IAL_SPAN.sub(lambda match: self._drop("kramdown attribute list"), line)
        return line

    def _drop(self, kind: str) -> str:
        self.tally.dropped[kind] += 1
        return ""

    def _previous_line(self) -> int | None:
        return next((at for at in range(len(self.out) - 1, -1, -1) if self.out[at].strip()), None)

    def _to_callout(self, kind: str) -> bool:
        """Make the paragraph or quote just written a callout of ``kind``."""
        end = self._previous_line()
        if end is None or end != len(self.out) - 1:
            return False
        start = end
        while start > 0 and self.out[start - 1].strip():
            start -= 1
        block = self.out[start:end + 1]
        if any("\n" in part or _FENCE.match(part) or part.lstrip().startswith((":::", "#", "|")) for part in block):
            return False
        if all(part.lstrip().startswith(">") for part in block):
            block = [re.sub(r"^\s*>\s?", "", part) for part in block]
        self.out[start:end + 1] = block
        self.out[start] = f":::{{callout}} {kind.capitalize()}\n:kind: {kind}\n\n" + self.out[start]
        self.out[end] += "\n"
        return True


def convert_templates(lines: list[str], source_format: str, links: TemplateLinks, first_line: int, report: Report,
                      tally: Tally) -> list[str]:
    """Jekyll's Liquid and kramdown, or Hugo's shortcodes, of a post's lines; see the module's docstring."""
    if source_format not in ("jekyll", "hugo"):
        return list(lines)
    return _Converter(lines, source_format, links, first_line, report, tally).run()
