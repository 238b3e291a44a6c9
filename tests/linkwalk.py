"""Walk a built HTML site and report every internal link that leads nowhere.

``broken_links(html_root)`` reads every ``.html`` file under ``html_root`` and checks
each ``href`` and ``src`` that stays inside the site (a relative path, or a path from
the site's root): the file it names must exist, and its ``#fragment``, if any, must be
an ``id`` (or an ``<a name>``) in that page. Links with a scheme (``https:``,
``mailto:``, ``data:``, ...), protocol-relative links (``//host/...``), an empty link
and ``#`` alone are not followed. Hidden folders (``.doctrees``, which ``sphinx-build``
puts in the output folder unless told otherwise) are not part of the site.

Usable from any test::

    from linkwalk import broken_links

    assert broken_links(outdir) == []
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

#: attributes holding one link
LINK_ATTRIBUTES = ("href", "src")


def broken_links(html_root: Path, *, site_path: str = "/") -> list[str]:
    """Every internal link of the site under ``html_root`` that does not resolve, sorted.

    Each problem reads ``"<page>: <link> (<what is wrong>)"``, ``<page>`` relative to
    ``html_root``. ``site_path`` is the path the site is served under (``/en/latest/``
    on Read the Docs): a link from the root (``/x/y.html``) must start with it, and is
    resolved from ``html_root`` after it.
    """
    root = Path(html_root).resolve()
    if not site_path.endswith("/"):
        site_path += "/"
    anchors = _anchor_reader()
    problems: set[str] = set()
    for page in site_pages(root):
        soup = _parse(page)
        for tag in soup.find_all(True):
            for attribute in LINK_ATTRIBUTES:
                value = tag.get(attribute)
                if not isinstance(value, str):
                    continue
                problem = _check(root, page, value, site_path, anchors)
                if problem:
                    problems.add(f"{page.relative_to(root).as_posix()}: {value} ({problem})")
    return sorted(problems)


def site_pages(root: Path) -> list[Path]:
    """Every ``.html`` file of the site, sorted; hidden folders (``.doctrees``) are not the site."""
    return sorted(page for page in Path(root).rglob("*.html")
                  if not any(part.startswith(".") for part in page.relative_to(root).parts))


def _check(root: Path, page: Path, link: str, site_path: str, anchors) -> str | None:
    """What is wrong with ``link`` on ``page``, or None when it resolves (or is not followed)."""
    link = link.strip()
    if not link or link == "#":
        return None
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None  # external, or not a place in the site at all
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
    if fragment and target.suffix == ".html" and fragment not in anchors(target):
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


def _parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "html.parser")


def _anchor_reader():
    @cache
    def anchors(page: Path) -> frozenset[str]:
        soup = _parse(page)
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        names = {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return frozenset(ids | names)

    return anchors
