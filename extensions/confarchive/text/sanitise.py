"""The archive's HTML policy: raw HTML in posts is cleaned with an allow-list.

MyST passes raw HTML through untouched, so a post (or a whole imported blog) could put
scripts, event handler attributes and ``javascript:`` links into every reader's browser.
The policy keeps what a post needs (text formatting, tables, links, images, video
players from known hosts) and removes the rest:

- elements outside the allow-list go, their text stays; the text of ``<script>``,
  ``<style>``, ``<template>``, ``<noscript>``, form controls and the like goes with them;
- attributes outside the allow-list go: every ``on*`` handler, ``style``, ``class``,
  ``id``, ``srcdoc``...;
- URLs must use an allowed scheme: never ``javascript:``, and ``data:`` only for a
  raster image (PNG, GIF, JPEG, WebP) in an ``<img>``;
- an ``<iframe>`` stays only with an ``https`` address on a host of
  ``confarchive_iframe_hosts``, and its fallback content goes.

Each start tag is cleaned by `nh3 <https://nh3.readthedocs.io>`_ (the allow-list
sanitiser PyPI uses for READMEs) with the policy's tables. The tags are taken one at a
time rather than the fragment as a whole because MyST splits a post's HTML into pieces
(``<details>`` in one block, Markdown, then ``</details>`` in another): cleaning each
piece as a whole document would close the open elements and lose the page's structure.
What the cleaner emits never opens a raw-text context (a ``<script>``, a ``<textarea>``,
an unclosed comment), so no piece can change how the next one is read.

Pure, no Sphinx import: :mod:`confarchive.archive.rawhtml` runs the policy on every
document and reports each removal with a located ``confarchive.html`` warning; the
feeds clean each post's body once more as a whole (:func:`clean_whole`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import nh3

if TYPE_CHECKING:
    from collections.abc import Iterable

#: a raw node confarchive made itself (its own markup), which the policy leaves alone
TRUSTED = "confarchive_trusted"

#: hosts whose players may be embedded with an ``<iframe>`` (``confarchive_iframe_hosts``)
DEFAULT_IFRAME_HOSTS = (
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "speakerdeck.com",
    "www.slideshare.net",
)

#: elements whose content goes with them: never reader-visible prose
CONTENT_TAGS = frozenset({
    "script", "style", "template", "noscript", "noembed", "noframes", "xmp", "plaintext",
    "textarea", "select", "title", "iframe", "object", "applet", "math", "svg",
})

#: elements that have no end tag
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})

#: every element HTML defines (and a few it retired); anything else in angle brackets in
#: a post is a placeholder written in prose (``git push origin <branch>``), shown as text
HTML_ELEMENTS = frozenset(nh3.ALLOWED_TAGS) | CONTENT_TAGS | VOID_TAGS | frozenset({
    "address", "audio", "base", "basefont", "big", "blink", "body", "button", "canvas", "datalist",
    "dialog", "dir", "embed", "fieldset", "font", "form", "frame", "frameset", "head", "html",
    "iframe", "image", "input", "label", "legend", "main", "marquee", "menu", "meter", "nobr",
    "optgroup", "option", "output", "picture", "portal", "progress", "search", "section", "slot",
    "source", "summary", "tfoot", "track", "video",
})

#: what an iframe may carry besides its address
_IFRAME_ATTRIBUTES = frozenset({
    "src", "title", "width", "height", "allow", "allowfullscreen", "frameborder", "loading",
    "referrerpolicy", "mozallowfullscreen", "webkitallowfullscreen", "scrolling",
})

#: the context a table part needs to be parsed as itself
_TABLE_CONTEXT = {
    "caption": "<table>", "colgroup": "<table>", "thead": "<table>", "tbody": "<table>",
    "tfoot": "<table>", "tr": "<table><tbody>", "td": "<table><tbody><tr>",
    "th": "<table><tbody><tr>", "col": "<table><colgroup>",
}

_RASTER_DATA = re.compile(r"data:image/(?:png|gif|jpe?g|webp)[;,]", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "background"})
#: control characters and whitespace browsers ignore inside a URL's scheme
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class HtmlPolicy:
    """What raw HTML may hold: nh3's default allow-list plus players from ``iframe_hosts``."""

    iframe_hosts: frozenset[str] = frozenset(DEFAULT_IFRAME_HOSTS)
    tags: frozenset[str] = field(default_factory=lambda: frozenset(nh3.ALLOWED_TAGS | {"iframe", "section"}))
    url_schemes: frozenset[str] = frozenset(nh3.ALLOWED_URL_SCHEMES | {"data"})

    def attributes(self) -> dict[str, set[str]]:
        tables = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
        tables["iframe"] = set(_IFRAME_ATTRIBUTES)
        tables["*"] = tables.get("*", set()) | {"dir", "lang", "title"}
        tables["details"] = {"open"}
        # a link may open a new tab: nh3 gives every link rel="noopener noreferrer"
        tables["a"] = tables.get("a", set()) | {"target"}
        return tables

    def filter_attribute(self, tag: str, attribute: str, value: str) -> str | None:
        """nh3's ``attribute_filter``: the value kept, or None to drop the attribute."""
        if attribute in _URL_ATTRIBUTES and not self.url_allowed(tag, attribute, value):
            return None
        return value

    def url_allowed(self, tag: str, attribute: str, value: str) -> bool:
        """Whether ``value`` may stay in ``attribute`` of ``tag``: nh3 checks the rest."""
        plain = _URL_NOISE.sub("", html.unescape(value)).lower()
        if plain.startswith("data:"):
            return tag == "img" and attribute == "src" and bool(_RASTER_DATA.match(plain))
        if tag == "iframe" and attribute == "src":
            return iframe_host_allowed(value, self.iframe_hosts)
        return True


def iframe_host_allowed(url: str, hosts: Iterable[str]) -> bool:
    """Whether ``url`` is an ``https`` address on one of ``hosts``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme == "https" and (parts.hostname or "") in set(hosts)


@dataclass
class Cleaned:
    """The cleaned HTML, and what the policy took out of it."""

    html: str
    elements: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    #: the addresses of iframes removed for where they lead ("" for none)
    hosts: set[str] = field(default_factory=set)
    #: whether the fragment left an element open whose content goes (a ``<script>``...)
    open_content: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.elements or self.attributes or self.hosts)

    def describe(self) -> str:
        """``elements <script>; attributes onclick, style`` (what was removed)."""
        parts = []
        if self.elements:
            parts.append("elements " + ", ".join(f"<{name}>" for name in sorted(self.elements)))
        if self.attributes:
            parts.append("attributes " + ", ".join(sorted(self.attributes)))
        if self.hosts - {""}:
            parts.append("iframe hosts not in confarchive_iframe_hosts: " + ", ".join(sorted(self.hosts - {""})))
        if "" in self.hosts:
            parts.append("an iframe without an https address")
        return "; ".join(parts)

    def merge(self, other: Cleaned) -> None:
        """Add what ``other`` removed to what this removed."""
        self.elements |= other.elements
        self.attributes |= other.attributes
        self.hosts |= other.hosts


class _Cleaner(HTMLParser):
    """Reads a fragment tag by tag and writes back what the policy keeps."""

    def __init__(self, policy: HtmlPolicy, skipping: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.out: list[str] = []
        self.result = Cleaned("")
        #: the content element being dropped (its end tag ends the dropping)
        self.skipping = skipping
        self.depth = 1 if skipping else 0

    # -- tags -------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "", closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], text: str, closed: bool = False) -> None:
        if self.skipping:
            if tag == self.skipping and not closed:
                self.depth += 1
            return
        if _placeholder(tag, attrs):
            self.out.append(html.escape(text, quote=False))
            return
        names = {name for name, _ in attrs}
        if tag not in self.policy.tags or (tag == "iframe" and not self._iframe_ok(attrs)):
            self.result.elements.add(tag)
            self.result.attributes |= {name for name in names if name.startswith("on")}
            if tag in CONTENT_TAGS and not closed and tag not in VOID_TAGS:
                self.skipping, self.depth = tag, 1
            return
        cleaned = self._clean_start(tag, text)
        kept = {name for name, _ in _attributes(cleaned)}
        self.result.attributes |= names - kept
        self.out.append(cleaned)
        if tag == "iframe":
            # an iframe's content is a fallback no browser shows: close it at once
            self.out.append("</iframe>")
            if not closed:
                self.skipping, self.depth = tag, 1

    def _iframe_ok(self, attrs: list[tuple[str, str | None]]) -> bool:
        source = next((value for name, value in attrs if name == "src"), None) or ""
        if iframe_host_allowed(source, self.policy.iframe_hosts):
            return True
        try:
            host = urlsplit(source.strip()).hostname
        except ValueError:
            host = None
        self.result.hosts.add(host or "")
        return False

    def _clean_start(self, tag: str, text: str) -> str:
        """The start tag as nh3 keeps it: allowed attributes, allowed URLs."""
        policy = self.policy
        context = _TABLE_CONTEXT.get(tag, "")
        source = context + text.rstrip("/>").rstrip() + ">"
        out = nh3.clean(
            source,
            tags=set(policy.tags) | {"table", "tbody", "tr", "colgroup"},
            clean_content_tags=set(),
            attributes=policy.attributes(),
            url_schemes=set(policy.url_schemes),
            attribute_filter=policy.filter_attribute,
        )
        match = re.search(rf"<{re.escape(tag)}\b[^>]*>", out)
        return match.group(0) if match else f"<{tag}>"

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.depth -= 1
                if self.depth == 0:
                    self.skipping = None
            return
        if tag == "iframe":
            return  # every kept iframe is closed where it opens
        if _placeholder(tag, []):
            self.out.append(html.escape(f"</{tag}>", quote=False))
            return
        if tag in self.policy.tags and tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    # -- text -------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        # a comment is no reader's text; a plain one (``<!-- more -->``) is kept as it is
        if not self.skipping and not re.search(r"[<>]|--", data):
            self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        pass  # <!DOCTYPE ...>: nothing a fragment needs

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        # <![CDATA[...]]> is text in foreign content and a bogus comment elsewhere
        if not self.skipping and data.startswith("CDATA["):
            self.out.append(html.escape(data[6:], quote=False))

    def finish(self) -> Cleaned:
        self.close()
        self.result.html = "".join(self.out)
        self.result.open_content = self.skipping
        return self.result


def clean_whole(fragment: str, policy: HtmlPolicy | None = None) -> str:
    """A complete, balanced fragment (a rendered page body) cleaned by nh3 in one pass.

    Feeds carry each post's body to readers the archive does not control, so their
    content is cleaned whatever ``confarchive_trust_raw_html`` says.
    """
    policy = policy or HtmlPolicy()
    return nh3.clean(
        fragment,
        tags=set(policy.tags),
        attributes=policy.attributes(),
        url_schemes=set(policy.url_schemes),
        attribute_filter=policy.filter_attribute,
    )


def _placeholder(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Whether ``<tag ...>`` is prose, not markup: no such element, and words, not attributes.

    ``<branch>`` and ``<received a deluge of calls>`` are prose; ``<x onclick="...">``
    (an attribute with a value) and custom elements (``<my-widget>``, with a dash) are
    markup, which the allow-list removes.
    """
    return (tag not in HTML_ELEMENTS and "-" not in tag and tag.isalnum()
            and all(value is None for _, value in attrs))


def html_text(fragment: str) -> str:
    """The words a reader sees in an HTML fragment: no tags, no script or style text."""
    reader = _TextReader()
    reader.feed(fragment)
    reader.close()
    return "".join(reader.parts)


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CONTENT_TAGS:
            self.hidden += 1
        elif tag in _BREAKING_TAGS:
            self.parts.append(" ")
        if tag in ("img", "area") and not self.hidden:
            # an image's words are its alt text, what a reader without it reads
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in CONTENT_TAGS:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BREAKING_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


#: elements whose edges separate words
_BREAKING_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "section",
    "article", "aside", "header", "footer", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4",
    "h5", "h6", "details", "summary", "figure", "figcaption", "img",
})


def _attributes(start_tag: str) -> list[tuple[str, str | None]]:
    reader = _StartTag()
    reader.feed(start_tag)
    reader.close()
    return reader.attrs


class _StartTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.attrs:
            self.attrs = attrs


def clean_html(fragment: str, policy: HtmlPolicy | None = None, *, skipping: str | None = None) -> Cleaned:
    """``fragment`` as the policy keeps it, and what was removed.

    ``skipping`` names a content element left open by an earlier piece of the same
    paragraph (a ``<script>`` whose end tag is in the next piece): its content goes
    until its end tag.
    """
    cleaner = _Cleaner(policy or HtmlPolicy(), skipping=skipping)
    cleaner.feed(fragment)
    return cleaner.finish()
