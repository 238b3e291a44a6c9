"""Walk a built HTML site and report every internal link that leads nowhere.

``broken_links(html_root)`` reads every ``.html`` file under ``html_root`` and checks
each ``href`` and ``src`` that stays inside the site (a relative path, or a path from
the site's root): the file it names must exist, and its ``#fragment``, if any, must be
an ``id`` (or an ``<a name>``) in that page. Links with a scheme (``https:``,
``mailto:``, ``data:``, ...), protocol-relative links (``//host/...``), an empty link
and ``#`` alone are not followed. Hidden folders (``.doctrees``, which ``sphinx-build``
puts in the output folder unless told otherwise) are not part of the site.

From Python::

    from confarchive.checks.walker import broken_links

    assert broken_links(outdir) == []

and from the command line, ``confarchive check-links _build/html``, which prints each
problem and a summary (:func:`check_site` gives both).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

#: attributes holding one link
LINK_ATTRIBUTES = ("href", "src")


@dataclass(frozen=True)
class SiteCheck:
    """What :func:`check_site` found: counts, and the problems, sorted."""

    pages: int
    #: internal links followed, each (page, link) once
    links: int
    problems: list[str]


def broken_links(html_root: Path, *, site_path: str = "/") -> list[str]:
    """Every internal link of the site under ``html_root`` that does not resolve, sorted.

    Each problem reads ``"<page>: <link> (<what is wrong>)"``, ``<page>`` relative to
    ``html_root``. ``site_path`` is the path the site is served under (``/en/latest/``
    on Read the Docs): a link from the root (``/x/y.html``) must start with it, and is
    resolved from ``html_root`` after it.
    """
    return check_site(html_root, site_path=site_path).problems


def check_site(html_root: Path, *, site_path: str = "/") -> SiteCheck:
    """:func:`broken_links`, with the number of pages read and of internal links followed."""
    root = Path(html_root).resolve()
    if not site_path.endswith("/"):
        site_path += "/"
    read = cache(_read_page)  # each page is read once, as a page and as a link's target
    pages = site_pages(root)
    followed = 0
    problems: set[str] = set()
    for page in pages:
        for value in dict.fromkeys(read(page).links):  # each link of a page once, in order
            if not _is_internal(value):
                continue
            followed += 1
            problem = _check(root, page, value, site_path, read)
            if problem:
                problems.add(f"{page.relative_to(root).as_posix()}: {value} ({problem})")
    return SiteCheck(pages=len(pages), links=followed, problems=sorted(problems))


def site_pages(root: Path) -> list[Path]:
    """Every ``.html`` file of the site, sorted; hidden folders (``.doctrees``) are not the site."""
    return sorted(page for page in Path(root).rglob("*.html")
                  if not any(part.startswith(".") for part in page.relative_to(root).parts))


def site_path_of(html_root: Path) -> str:
    """The path the site is served under, read from its ``index.html``; ``/`` when it says none.

    Sphinx writes ``<link rel="canonical" href="...">`` in every page when ``html_baseurl``
    is set; the site's path is that URL's path without the page's own:
    ``https://example.org/en/latest/index.html`` gives ``/en/latest/``.
    """
    index = Path(html_root) / "index.html"
    if not index.is_file():
        return "/"
    canonical = _read_page(index).canonical
    path = urlsplit(canonical or "").path
    if canonical and path.endswith("/index.html"):
        return path[:-len("index.html")]
    if canonical and path.endswith("/"):  # dirhtml: the index page is its folder
        return path
    return "/"


def _is_internal(link: str) -> bool:
    """Whether ``link`` names a place in the site: not empty, not ``#``, no scheme, no host."""
    link = link.strip()
    if not link or link == "#" or link.startswith("//"):
        return False
    parts = urlsplit(link)
    return not (parts.scheme or parts.netloc)


def _check(root: Path, page: Path, link: str, site_path: str, read) -> str | None:
    """What is wrong with the internal ``link`` on ``page``, or None when it resolves."""
    parts = urlsplit(link.strip())
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        if not (path + ("/" if not path.endswith("/") else "")).startswith(site_path):
            return f"outside the site's path {site_path}"
        target = root / path[len(site_path):]
    else:
        target = page.parent / path
    target = Path(_normalise(target))
    if root != target and root not in target.parents:
        return "outside the site"
    if target.is_dir():
        target = target / "index.html"
        if not target.is_file():
            return "a folder without index.html"
    if not target.is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in read(target).anchors:
        return f"no id {fragment!r} in {target.relative_to(root).as_posix()}"
    return None


def _normalise(path: Path) -> str:
    """``path`` with ``..`` and ``.`` resolved by text, as a browser resolves a URL."""
    parts: list[str] = []
    for part in PurePosixPath(path.as_posix()).parts:
        if part == "..":
            if len(parts) > 1:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return str(PurePosixPath(*parts))


# --- reading pages ---------------------------------------------------------------------


class _PageReader(HTMLParser):
    """The links, anchors and canonical URL of one page.

    The standard library's parser, as a browser reads a page: attribute values come
    unescaped (``&amp;`` is ``&``), and the text of ``<script>`` and ``<style>`` holds no
    tags.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
        if tag == "link" and self.canonical is None:
            values = dict(attrs)
            if "canonical" in (values.get("rel") or "").lower().split():
                self.canonical = values.get("href")


class _Page(NamedTuple):
    links: list[str]
    anchors: frozenset[str]
    canonical: str | None


def _read_page(page: Path) -> _Page:
    reader = _PageReader()
    reader.feed(page.read_text(encoding="utf-8", errors="replace"))
    reader.close()
    return _Page(reader.links, frozenset(reader.anchors), reader.canonical)
