"""``confarchive import``: a whole Wintersmith, Jekyll or Hugo blog, as clean MyST posts.

:func:`import_blog` reads every post of a blog's source folder and writes each as
``<into>/<year>/<slug>/index.md`` with its images beside it, front matter normalised,
and its body migrated by :func:`confarchive.importer.migrate.migrate_body`. It writes the
redirects from each post's old URL to its new page into a data file
(:mod:`confarchive.redirects` reads it), and gives back an :class:`ImportReport`.

Bad input never stops the run: a post that cannot be read is reported and the others
are imported. Nothing is overwritten without ``force``, so a second run skips what the
first wrote and changes nothing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import filecmp
import json
import os
import posixpath
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from ..problems import ArchiveWarning, Problem
from ..text.frontmatter import as_text, as_text_list, parse_date, read_front_matter
from ..text.redirects import read_redirects, write_redirects
from ..text.slugs import slugify
from .html_to_myst import label_name
from .migrate import (
    DROP,
    code_line_ranges,
    convert_templates,
    find_addresses,
    flatten,
    migrate_body,
    scan_anchors,
)
from .report import ImportReport
from .templates import Tally

__all__ = ["FORMATS", "ImportAborted", "ImportReport", "import_blog", "detect_format", "render_front_matter"]

FORMATS = ("wintersmith", "jekyll", "hugo")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif",
                            ".tiff"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
#: front matter keys confarchive gives meaning to; any other key goes under ``legacy:``
KNOWN_KEYS = ("title", "author", "date", "event", "tags", "summary", "draft")
LARGE_POST = 1_000_000

_JEKYLL_NAME = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<slug>.+)$")
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TIME = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?")
_ATX_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_TOML_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*=\s*(?P<value>.*)$")
_TOML_LINE = re.compile(r"at line (\d+)")
#: a header line of a post without front matter (MultiMarkdown, Pelican): ``Title: ...``
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,15}):[ \t]*(?P<value>\S.*?)\s*$")
_HEADER_KEYS = {"title": "title", "author": "author", "authors": "authors", "by": "author", "date": "date",
                "published": "date", "tags": "tags", "keywords": "tags", "category": "categories",
                "categories": "categories", "summary": "summary", "description": "summary", "event": "event",
                "slug": "slug", "status": "status", "modified": "modified", "updated": "modified"}


def _problem(file: str, line: int, kind: ArchiveWarning, message: str) -> Problem:
    return Problem(line, kind, message, file=file)


class ImportAborted(Exception):
    """The import cannot start (no such folder, no blog found)."""


# --- the blog ------------------------------------------------------------------------


@dataclass
class _Site:
    """What the blog's configuration says about it."""

    source_format: str
    source: Path
    #: where site-absolute paths (``/images/x.png``) start
    root: Path
    base_url: str = ""
    author: str | None = None
    permalink: str | None = None
    hugo_permalinks: dict[str, str] = field(default_factory=dict)
    #: the configuration's scalar values, for template variables (``site.title``, a Hugo ``param``)
    variables: dict[str, str] = field(default_factory=dict)


def detect_format(source: Path) -> str | None:
    """Which kind of blog ``source`` holds, or None."""
    if (source / "_posts").is_dir() or (source / "_config.yml").is_file():
        return "jekyll"
    if (source / "content").is_dir() and any((source / name).exists() for name in (
            "hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "archetypes", "themes")):
        return "hugo"
    if (source / "contents" / "articles").is_dir() or (source / "articles").is_dir():
        return "wintersmith"
    if (source / "content").is_dir():
        return "hugo"
    return None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _site(source: Path, source_format: str) -> _Site:
    if source_format == "wintersmith":
        root = source / "contents" if (source / "contents" / "articles").is_dir() else source
        config = {}
        for name in ("config.json", "wintersmith-config.json"):
            if (source / name).is_file():
                config = _read_config(source / name)
                break
        local = config.get("locals") if isinstance(config.get("locals"), dict) else {}
        return _Site(source_format, source, root, str(local.get("url") or ""),
                     _name(local.get("owner") or local.get("author")))
    if source_format == "jekyll":
        config = _read_config(source / "_config.yml") if (source / "_config.yml").is_file() else {}
        base = str(config.get("url") or "").rstrip("/") + str(config.get("baseurl") or "")
        return _Site(source_format, source, source, base, _name(config.get("author")),
                     str(config["permalink"]) if config.get("permalink") else None,
                     variables=_scalars(config, "site."))
    config: dict[str, Any] = {}
    for name in ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json"):
        if (source / name).is_file():
            config = _read_config(source / name)
            break
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    author = config.get("author") or params.get("author")
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    return _Site(source_format, source, source / "static", str(config.get("baseURL") or config.get("baseurl") or ""),
                 _name(author), None, {str(key): str(value) for key, value in permalinks.items()
                                       if isinstance(value, str)},
                 variables={**_scalars(config, "site."), **_scalars(params, "")})


def _scalars(data: dict[str, Any], prefix: str) -> dict[str, str]:
    """The scalar values of a configuration, by dotted name (``site.author.name``)."""
    found: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            found.update(_scalars(value, f"{prefix}{key}."))
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[f"{prefix}{key}"] = str(value)
    return found


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value and str(value).strip() else None


# --- reading files -------------------------------------------------------------------------


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", bad.decode("latin-1")), error.end


codecs.register_error("confarchive-cp1252", _cp1252_fallback)


def decode(data: bytes) -> tuple[str, list[tuple[int, ArchiveWarning, str]]]:
    """Text of a source file, and what had to be fixed: (line, kind, message)."""
    notes: list[tuple[int, ArchiveWarning, str]] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        notes.append((1, ArchiveWarning.ENCODING, "removed a byte order mark (BOM) at the start of the file"))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
        notes.append((1, ArchiveWarning.ENCODING, "the file is UTF-16; read as such and written as UTF-8"))
        return _line_ends(text, notes), notes
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        text = data.decode("utf-8", errors="confarchive-cp1252")
        notes.append((line, ArchiveWarning.ENCODING,
                      f"the file is not UTF-8 (the first bad byte, 0x{data[error.start]:02X}, is at line {line}); "
                      "bytes that are not UTF-8 were read as Windows-1252"))
    return _line_ends(text, notes), notes


def _line_ends(text: str, notes: list) -> str:
    if "\r" in text:
        kind = "CRLF" if "\r\n" in text else "CR"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append((1, ArchiveWarning.LINE_ENDS, f"{kind} line ends converted to LF"))
    return text


@dataclass
class _FrontMatter:
    data: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    #: 1-based line of the body's first line
    body_line: int
    syntax: str  # "yaml", "toml", "json" or "none"


def split_post(text: str, report: Callable[[int, ArchiveWarning, str], None]) -> _FrontMatter:
    """The front matter (YAML ``---``, TOML ``+++`` or JSON ``{``) and the body of a post."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first == "+++":
        closing = next((index for index in range(1, len(lines)) if lines[index].strip() == "+++"), None)
        if closing is not None:
            block = lines[1:closing]
            key_lines = {}
            for offset, line in enumerate(block):
                match = _TOML_KEY.match(line)
                if match:
                    key_lines.setdefault(match.group("key"), offset + 2)
            try:
                data = tomllib.loads("\n".join(block))
            except tomllib.TOMLDecodeError as error:
                line = _TOML_LINE.search(str(error))
                data = _salvage_toml(block)
                report(1 + (int(line.group(1)) if line else 1), ArchiveWarning.FRONT_MATTER,
                       f"front matter is not valid TOML ({str(error).split(' (at')[0]}); "
                       f"kept: {', '.join(sorted(data)) or 'nothing'}")
            return _FrontMatter(data, key_lines, "\n".join(lines[closing + 1:]), closing + 2, "toml")
    if first == "---":
        front = read_front_matter(text)
        if front is not None:
            for problem in front.problems:
                report(problem.line, ArchiveWarning.FRONT_MATTER, problem.message)
            return _FrontMatter(front.data, front.key_lines, "\n".join(lines[front.body_start:]),
                                front.body_start + 1, "yaml")
        report(1, ArchiveWarning.FRONT_MATTER, "front matter opens with --- but never closes; read as body text")
    if first.startswith("{"):
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except ValueError:
            data, end = None, 0
        if isinstance(data, dict):
            body_line = text[:end].count("\n") + 2
            return _FrontMatter(data, {}, text[end:].lstrip("\n"), body_line, "json")
    header = _header_block(lines)
    if header is not None:
        return header
    return _FrontMatter({}, {}, text, 1, "none")


def _header_block(lines: list[str]) -> _FrontMatter | None:
    """Header lines read as front matter, where they cannot be anything else.

    Two forms: a Pandoc title block (``% Title``, ``% Author; Author``, ``% Date`` as the
    first lines), and a block of ``Key: value`` lines (MultiMarkdown, Pelican) that names
    a title or a date, every key a known one, ended by a blank line; a ``# Title``
    heading may stand before a block that names a date or an author. Anything less clear
    stays body text.
    """
    if lines and lines[0].startswith("% "):
        block = []
        while len(block) < 3 and len(block) < len(lines) and lines[len(block)].startswith("%"):
            block.append(lines[len(block)][1:].strip())
        if len(block) < len(lines) and lines[len(block)].strip():
            return None
        data: dict[str, Any] = {}
        key_lines = {}
        for index, (key, value) in enumerate(zip(("title", "authors", "date"), block)):
            if value:
                data[key] = [name.strip() for name in value.split(";") if name.strip()] if key == "authors" \
                    else value
                key_lines[key] = index + 1
        return _after_header(data, key_lines, lines, len(block)) if data.get("title") else None
    start = 0
    heading = _ATX_H1.match(lines[0]) if lines else None
    if heading:
        start = 1 + (1 if len(lines) > 1 and not lines[1].strip() else 0)
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    block = lines[start:end]
    matches = [_HEADER_LINE.match(line) for line in block]
    if len(block) < (1 if heading else 2) or not all(matches) \
            or any(match.group("key").strip().lower() not in _HEADER_KEYS for match in matches):
        return None
    data = {}
    key_lines = {}
    for offset, match in enumerate(matches):
        key = _HEADER_KEYS[match.group("key").strip().lower()]
        value: Any = match.group("value")
        if key in ("tags", "categories", "authors"):
            value = [item.strip() for item in re.split(r"[,;]", value) if item.strip()]
        if key in data:
            return None  # a key twice: not a header after all
        data[key] = value
        key_lines[key] = start + offset + 1
    if heading:
        if "title" in data or not {"date", "author", "authors"} & set(data):
            return None
        data["title"] = heading.group("title")
        key_lines["title"] = 1
    if "title" not in data and "date" not in data:
        return None
    if data.get("status", "").lower() == "draft":
        data["draft"] = True
    return _after_header(data, key_lines, lines, end)


def _after_header(data: dict[str, Any], key_lines: dict[str, int], lines: list[str], end: int) -> _FrontMatter:
    """Front matter read from the header lines before ``end``; the body starts at the next text."""
    while end < len(lines) and not lines[end].strip():
        end += 1
    return _FrontMatter(data, key_lines, "\n".join(lines[end:]), end + 1, "header")


def _salvage_toml(block: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for line in block:
        match = _TOML_KEY.match(line)
        if not match or match.group("key") in data:
            continue
        raw = match.group("value").strip()
        try:
            data[match.group("key")] = tomllib.loads(f"value = {raw}")["value"]
        except tomllib.TOMLDecodeError:
            data[match.group("key")] = raw.strip("\"'")
    return data


# --- the posts -----------------------------------------------------------------------


@dataclass
class _Post:
    path: Path
    rel: str
    bundle: Path | None
    front: _FrontMatter
    slug: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: dt.date | dt.datetime | None = None
    date_has_time: bool = False
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    event: str | None = None
    draft: bool = False
    legacy: dict[str, Any] = field(default_factory=dict)
    old_urls: list[str] = field(default_factory=list)
    new_dir: Path | None = None
    anchors: set[str] = field(default_factory=set)
    wanted_anchors: set[str] = field(default_factory=set)
    body: str = ""
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int, kind: ArchiveWarning, message: str) -> None:
        self.problems.append(Problem(line, kind, message, file=self.rel))

    @property
    def label_prefix(self) -> str:
        return slugify(self.slug)

    @property
    def year(self) -> str:
        return f"{self.date.year:04d}" if self.date else "undated"


def _walk(root: Path, problems: list[Problem], source: Path) -> Iterator[Path]:
    """Files under ``root``, sorted. Links to folders are not followed: a loop is reported."""
    for directory, dirnames, filenames in os.walk(root, onerror=lambda error: problems.append(_problem(
            _rel(Path(error.filename or root), source), 1, "unreadable",
            f"folder cannot be read ({error.strerror})"))):
        folder = Path(directory)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            path = folder / name
            if not path.is_symlink():
                kept.append(name)
                continue
            real = Path(os.path.realpath(path))
            if real == Path(os.path.realpath(folder)) or Path(os.path.realpath(folder)).is_relative_to(real):
                problems.append(_problem(_rel(path, source), 1, ArchiveWarning.SYMLINK_LOOP,
                                              f"a symbolic link leads back to {_rel(real, source)}, a folder it "
                                              "sits in; not followed"))
            elif not _inside(path, source):
                problems.append(_problem(_rel(path, source), 1, ArchiveWarning.OUTSIDE,
                                              "a symbolic link leads outside the source folder; not followed"))
            else:
                problems.append(_problem(_rel(path, source), 1, ArchiveWarning.SYMLINK,
                                              f"a symbolic link to {_rel(real, source)}; not followed (what it "
                                              "holds is read where it is)"))
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.startswith("."):
                yield folder / name


def _rel(path: Path, source: Path) -> str:
    try:
        return path.relative_to(source).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, folder: Path) -> bool:
    try:
        real = Path(os.path.realpath(path))
        return real == Path(os.path.realpath(folder)) or real.is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def _candidates(site: _Site, problems: list[Problem]) -> list[tuple[Path, Path | None]]:
    """(post file, bundle folder whose other files go along) of every post of the blog."""
    found: list[tuple[Path, Path | None]] = []
    source = site.source
    if site.source_format == "wintersmith":
        articles = site.root / "articles"
        for path in _walk(articles, problems, source):
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                continue
            if path.parent == articles:
                found.append((path, None))
            elif path.stem == "index" and path.parent.parent == articles:
                found.append((path, path.parent))
        return found
    if site.source_format == "jekyll":
        for folder in ("_posts", "_drafts"):
            if (source / folder).is_dir():
                found.extend((path, None) for path in _walk(source / folder, problems, source)
                             if path.suffix.lower() in MARKDOWN_SUFFIXES)
        return found
    content = source / "content"
    for path in _walk(content, problems, source):
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        found.append((path, path.parent if path.stem == "index" else None))
    return found


# --- front matter ----------------------------------------------------------------------------


def _read_date(value: Any, line: int, post: _Post) -> tuple[dt.date | dt.datetime | None, bool]:
    """A date of the front matter: (date or datetime, whether it has a time)."""
    if isinstance(value, dt.datetime):
        return value, True
    if isinstance(value, dt.date):
        return value, False
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, False
    when, problem = parse_date(text)
    if when is None:
        post.report(line, ArchiveWarning.DATE, problem or f"date {text!r} cannot be read")
        return None, False
    has_time = bool(_TIME.search(text))
    if problem:
        time = _TIME.search(text)
        if time and not (when.hour or when.minute or when.second):
            try:  # the time of a date whose day could not be read
                when = when.replace(hour=int(time.group("hour")), minute=int(time.group("minute")),
                                    second=int(time.group("second") or 0))
            except ValueError:
                has_time = False  # an impossible time: the day alone
        post.report(line, ArchiveWarning.DATE, f"{problem}; written as {_iso(when, has_time)}")
        return when, has_time
    iso = _iso(when, has_time)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?", text):
        post.report(line, ArchiveWarning.DATE, f"date {text!r} is not ISO 8601; written as {iso}")
    return (when if has_time else when.date()), has_time


def _iso(value: dt.date | dt.datetime, has_time: bool = True) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds") if has_time else value.date().isoformat()
    return value.isoformat()


def _normalise(post: _Post, site: _Site, default_author: str | None) -> None:
    """The post's fields from its front matter, with what is missing filled in and reported."""
    data = dict(post.front.data)
    lines = post.front.key_lines
    body_line = post.front.body_line

    def line(*keys: str) -> int:
        return next((lines[key] for key in keys if key in lines), 1)

    if post.front.syntax == "none":
        post.report(1, ArchiveWarning.FRONT_MATTER,
                    "the post has no front matter; title, date and author were filled in")

    title, problem = as_text(data.pop("title", None))
    if problem:
        post.report(line("title"), ArchiveWarning.FRONT_MATTER, f"'title' {problem}")
    if not title:
        body_lines = post.body.split("\n")
        for index, text in enumerate(body_lines):
            match = _ATX_H1.match(text)
            if match:
                title = match.group("title")
                del body_lines[index]
                post.body = "\n".join(body_lines)
                post.report(body_line + index, ArchiveWarning.TITLE,
                            f"no title in the front matter; took the heading {title!r}")
                break
            if text.strip():
                break
    if not title:
        title = re.sub(r"[-_]+", " ", post.slug).strip().capitalize() or "Untitled"
        post.report(1, ArchiveWarning.TITLE, f"no title in the front matter; made {title!r} from the file name")
    post.title = title

    authors: list[str] = []
    for key in ("author", "authors"):
        value = data.pop(key, None)
        if isinstance(value, dict):
            value = value.get("name")
        elif isinstance(value, list):
            value = [item.get("name") if isinstance(item, dict) else item for item in value]
        values, problem = as_text_list(value)
        if problem:
            post.report(line(key), ArchiveWarning.FRONT_MATTER, f"{key!r} {problem}")
        authors.extend(values)
    if not authors:
        fallback = site.author or default_author
        if fallback:
            authors = [fallback]
            if post.front.syntax != "none":
                post.report(line("title"), ArchiveWarning.AUTHOR,
                            f"no author in the front matter; written as {fallback!r}, the blog's owner")
        else:
            post.report(1, ArchiveWarning.AUTHOR, "no author in the front matter, the blog's configuration or --author")
    post.authors = list(dict.fromkeys(authors))

    date_key = next((key for key in ("date", "publishDate", "pubDate", "published_at") if key in data), None)
    value = data.pop(date_key) if date_key else None
    if date_key and date_key != "date":
        post.legacy[date_key] = value
    post.date, post.date_has_time = _read_date(value, line(date_key or "date"), post) if value is not None \
        else (None, False)
    if post.date is None:
        post.date, post.date_has_time = _fallback_date(post)

    tags: list[str] = []
    for key in ("tags", "categories", "category"):
        value = data.pop(key, None)
        if value is None:
            continue
        if key != "tags":
            post.legacy[key] = value
        if isinstance(value, str) and site.source_format == "jekyll":
            value = value.split()
        values, problem = as_text_list(value)
        if problem:
            post.report(line(key), ArchiveWarning.FRONT_MATTER, f"{key!r} {problem}")
        tags.extend(values)
    post.tags = list(dict.fromkeys(tags))

    for key in ("summary", "description", "excerpt"):
        if key in data:
            value, problem = as_text(data.pop(key))
            if problem:
                post.report(line(key), ArchiveWarning.FRONT_MATTER, f"{key!r} {problem}")
            post.summary = post.summary or value
    event, problem = as_text(data.pop("event", None))
    if problem:
        post.report(line("event"), ArchiveWarning.FRONT_MATTER, f"'event' {problem}")
    post.event = event

    draft = data.pop("draft", None)
    published = data.get("published")
    if isinstance(draft, bool):
        post.draft = draft
    elif draft is not None:
        post.draft = str(draft).strip().lower() in ("true", "yes", "1")
        post.report(line("draft"), ArchiveWarning.FRONT_MATTER, f"'draft' {draft!r} is not true or false; "
                                                   f"read as {str(post.draft).lower()}")
    if published is False:
        post.draft = True
    if "_drafts" in Path(post.rel).parts:
        post.draft = True
    post.legacy.update(data)


def _fallback_date(post: _Post) -> tuple[dt.date | dt.datetime | None, bool]:
    match = _JEKYLL_NAME.match(post.path.stem)
    if match:
        try:
            when = dt.date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        except ValueError:
            when = None
        if when:
            post.report(1, ArchiveWarning.DATE,
                        f"no readable date in the front matter; took {when.isoformat()} from the file name")
            return when, False
    try:
        when = dt.datetime.fromtimestamp(post.path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return None, False
    post.report(1, ArchiveWarning.DATE, f"no readable date in the front matter; took the file's time, {_iso(when)}")
    return when, True


def _yaml_scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _plain(value: Any) -> Any:
    """A front matter value YAML can write (TOML times and the like as text)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool, dt.date, dt.datetime)) or value is None:
        return value
    return str(value)


def render_front_matter(title: str, authors: list[str], date: str | None, *, event: str | None = None,
                        tags: list[str] | None = None, summary: str | None = None, draft: bool = False,
                        legacy: dict[str, Any] | None = None) -> str:
    """A post's front matter, normalised: ISO date, ``author`` and ``tags`` lists, ``legacy:`` last."""
    lines = ["---", f"title: {_yaml_scalar(title)}", f"author: {_yaml_scalar(list(authors))}"]
    if date:
        lines.append(f"date: {date}")
    if event:
        lines.append(f"event: {_yaml_scalar(event)}")
    lines.append(f"tags: {_yaml_scalar(list(tags or []))}")
    if summary:
        lines.append(f"summary: {_yaml_scalar(summary)}")
    if draft:
        lines.append("draft: true")
    if legacy:
        dumped = yaml.safe_dump({"legacy": _plain(legacy)}, default_flow_style=False, allow_unicode=True,
                                sort_keys=False, width=1_000_000)
        lines.extend(dumped.rstrip("\n").split("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n"


# --- old URLs ----------------------------------------------------------------------------


def _url_key(path: str) -> str:
    """How two spellings of one site path are compared."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0])
    path = re.sub(r"/index\.html?$", "/", path)
    path = re.sub(r"\.html?$", "", path)
    return "/" + path.strip("/").lower()


def _old_urls(post: _Post, site: _Site) -> list[str]:
    legacy = post.legacy
    if site.source_format == "wintersmith":
        if post.bundle is not None:
            return [f"/{_rel(post.bundle, site.root)}/"]
        return [f"/{_rel(post.path.with_suffix('.html'), site.root)}"]
    if site.source_format == "jekyll":
        return [] if "_drafts" in Path(post.rel).parts else [_jekyll_url(post, site)]
    content = site.source / "content"
    parts = Path(_rel(post.bundle or post.path, content)).parts
    section = parts[0] if len(parts) > 1 else ""
    urls = []
    if isinstance(legacy.get("url"), str) and legacy["url"].strip():
        urls.append("/" + legacy["url"].strip().strip("/") + ("/" if not legacy["url"].endswith(".html") else ""))
    elif section in site.hugo_permalinks:
        urls.append(_hugo_permalink(site.hugo_permalinks[section], post, section))
    else:
        folder = "/".join(parts[:-1]) if post.bundle is None else "/".join(parts[:-1])
        urls.append(f"/{folder}/{post.slug}/".replace("//", "/").lower())
    base = posixpath.dirname(urls[0].rstrip("/")) + "/"
    aliases = legacy.get("aliases") or []
    for alias in aliases if isinstance(aliases, list) else [aliases]:
        if isinstance(alias, str) and alias.strip():
            alias = alias.strip()
            urls.append(alias if alias.startswith("/") else posixpath.normpath(posixpath.join(base, alias)))
    return urls


def _base_folder(post: _Post) -> str:
    """The folder of a post's old URL, against which its relative links resolve."""
    if not post.old_urls:
        return "/"
    url = post.old_urls[0]
    return url if url.endswith("/") else posixpath.dirname(url) + "/"


def _date_parts(post: _Post) -> dict[str, str]:
    when = post.date or dt.date(1970, 1, 1)
    return {"year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}",
            "i_month": str(when.month), "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
            "y_day": f"{when.timetuple().tm_yday:03d}", "week": f"{when.isocalendar()[1]:02d}",
            "short_day": when.strftime("%a"), "monthname": when.strftime("%B").lower()}


def _jekyll_url(post: _Post, site: _Site) -> str:
    template = post.legacy.get("permalink") or site.permalink or "date"
    template = _JEKYLL_STYLES.get(str(template), str(template))
    categories = post.legacy.get("categories") or post.legacy.get("category") or []
    if isinstance(categories, str):
        categories = categories.split()
    values = {**_date_parts(post), "title": post.slug, "slug": post.slug, "output_ext": ".html",
              "categories": "/".join(slugify(str(category)) for category in categories)}
    url = re.sub(r":(\w+)", lambda match: values.get(match.group(1), match.group(0)), template)
    return re.sub(r"/{2,}", "/", "/" + url)


def _hugo_permalink(template: str, post: _Post, section: str) -> str:
    values = {**_date_parts(post), "title": slugify(post.title), "slug": post.slug, "section": section,
              "filename": post.path.stem if post.bundle is None else post.bundle.name,
              "contentbasename": post.slug}
    url = re.sub(r":(\w+)", lambda match: values.get(match.group(1), match.group(0)), template)
    return re.sub(r"/{2,}", "/", "/" + url).lower()


# --- links and images of one post -----------------------------------------------------


def safe_file_name(path: str) -> str:
    """A file path that needs no escaping in a URL: MyST reads ``my image.png`` as ``my%20image.png``."""
    return "/".join(re.sub(r"[^A-Za-z0-9._~!$&'()*+,;=@-]+", "-", part).strip("-") or "file"
                    for part in path.split("/"))



class _PostLinks:
    """Rewrites the addresses of one post; copies its images (see :class:`confarchive.importer.migrate.PostLinks`)."""

    def __init__(self, importer: _Importer, post: _Post):
        self.importer = importer
        self.post = post
        self.copies: dict[Path, str] = {}
        self.names: dict[str, Path] = {}
        self.missing = 0
        #: links to files the blog's site serves (``/files/slides.pdf``), now copied beside the post
        self.files_linked = 0
        #: (line, site path) of links to pages of the old site, whose address is not known
        self.unknown_pages: list[tuple[int, str]] = []

    # links

    def link(self, url: str, line: int) -> str | None:
        target = self.importer.resolve(url, self.post)
        if target is None:
            return None
        kind, value, message = target
        if kind != "post":
            copied = self._site_file(url)
            if copied is not None:
                return copied
        if kind == "unknown page":
            self.unknown_pages.append((line, value or url))
            return DROP
        if message:
            self.post.report(line, ArchiveWarning.LINK, message)
        return value

    def _site_file(self, url: str) -> str | None:
        """A link to a file the source holds (not a page): the file's name, copied beside the post."""
        found = self.importer.site_path(url, self.post)
        if found is None or not found[0].startswith("/"):
            return None
        path = unquote(found[0])
        candidate = self.importer.site.root / path.lstrip("/")
        if candidate.suffix.lower() in MARKDOWN_SUFFIXES | {".html", ".htm", ""} \
                or not _inside(candidate, self.importer.site.source) or not candidate.is_file():
            return None
        name = self._beside_name(candidate)
        self.copies[candidate] = name
        self.files_linked += 1
        return name + (f"#{found[1]}" if found[1] else "")

    def post_url(self, name: str, line: int) -> str | None:
        return self.importer.post_url(name)

    def variable(self, name: str) -> str | None:
        return _variable(name, self.importer.site, self.post)

    # images

    def image(self, url: str, line: int) -> str | None:
        url = url.strip()
        if not url or url.startswith("#"):
            return None
        if url.startswith("//"):
            return "https:" + url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        if not path:
            return None
        site = self.importer.site
        if path.startswith("/"):
            candidate = site.root / path.lstrip("/")
        else:
            candidate = self.post.path.parent / path
        if not _inside(candidate, site.source):
            self.post.report(line, ArchiveWarning.IMAGE_REFUSED,
                             f"image path {url!r} points outside the source folder: refused, never copied")
            return DROP
        bundle = self.post.bundle
        if bundle is not None and _inside(candidate, bundle) and not candidate.is_symlink():
            name = safe_file_name(Path(os.path.relpath(os.path.normpath(candidate), bundle)).as_posix())
        else:
            name = self._beside_name(candidate)
        if candidate.is_file():
            if bundle is None or not _inside(candidate, bundle):
                self.copies[candidate] = name
        else:
            self.missing += 1
            self.post.report(line, ArchiveWarning.IMAGE_MISSING,
                             f"image {url!r} is not in the source folder; the page keeps its alt text")
        return None if name == path else name

    def _beside_name(self, candidate: Path) -> str:
        name = safe_file_name(candidate.name)
        stem, suffix = os.path.splitext(name)
        number = 1
        while name in self.names and self.names[name] != candidate:
            number += 1
            name = f"{stem}-{number}{suffix}"
        self.names[name] = candidate
        return name


class _Importer:
    def __init__(self, site: _Site, into: Path, redirects_dir: Path):
        self.site = site
        self.into = into
        self.redirects_dir = redirects_dir
        self.by_url: dict[str, _Post] = {}
        self.by_name: dict[str, _Post] = {}
        self.base = urlsplit(site.base_url) if site.base_url else None

    def index(self, posts: list[_Post]) -> None:
        for post in posts:
            for url in post.old_urls:
                self.by_url.setdefault(_url_key(url), post)
            for name in {post.path.stem, post.path.name, post.slug, _rel(post.path, self.site.source),
                         _rel(post.path, self.site.source / "content"), _rel(post.path, self.site.source / "_posts")}:
                self.by_name.setdefault(name.lower(), post)
                self.by_name.setdefault(name.lower().rsplit(".", 1)[0], post)

    def post_url(self, name: str) -> str | None:
        name = name.strip().strip("\"'").lstrip("/").lower()
        post = self.by_name.get(name) or self.by_name.get(name.rsplit(".", 1)[0]) \
            or self.by_name.get(posixpath.basename(name).rsplit(".", 1)[0])
        if post is None and name.endswith("/index"):
            post = self.by_name.get(posixpath.basename(name[:-6]))
        return post.old_urls[0] if post and post.old_urls else None

    def site_path(self, url: str, post: _Post) -> tuple[str, str] | None:
        """The site path and fragment a link of ``post`` points at, or None (elsewhere)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if self.base is None or parts.scheme not in ("http", "https", ""):
                return None
            if (parts.hostname or "").lower().removeprefix("www.") != \
                    (self.base.hostname or "").lower().removeprefix("www."):
                return None
            path = parts.path or "/"
            prefix = self.base.path.rstrip("/")
            if prefix and not path.startswith(prefix):
                return None
            return (path[len(prefix):] or "/"), parts.fragment
        prefix = self.base.path.rstrip("/") if self.base else ""
        if prefix and parts.path.startswith(prefix + "/"):
            return parts.path[len(prefix):], parts.fragment
        return parts.path, parts.fragment

    def resolve(self, url: str, post: _Post) -> tuple[str, str | None, str | None] | None:
        """(kind, new address or None, problem or None) of a link, or None to leave it."""
        url = url.strip()
        if not url or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
            return None
        found = self.site_path(url, post)
        if found is None:
            return None
        path, fragment = found
        base = _base_folder(post)
        if not path:
            return self._anchor(post, post, fragment, same_page=True)
        tries = [posixpath.normpath(posixpath.join(base, path))] if not path.startswith("/") else [path]
        if not path.startswith(("/", ".")):
            tries.append("/" + path)
        for candidate in tries:
            target = self.by_url.get(_url_key(candidate))
            if target is not None:
                return self._anchor(post, target, fragment, same_page=target is post)
        if not path.startswith("/"):
            local = post.path.parent / unquote(path)
            if _inside(local, post.bundle or post.path.parent) and local.exists():
                return None
        absolute = tries[0] + ("/" if path.endswith("/") and not tries[0].endswith("/") else "") \
            + (f"#{fragment}" if fragment else "")
        if self.base is None:
            return ("unknown page", tries[0], None)
        new = self.site.base_url.rstrip("/") + absolute
        if new == url or (urlsplit(url).netloc and _url_key(new) == _url_key(url)):
            return None  # already the old site's full address
        return ("page", new, f"link {url!r} points at a page that is not a post of this import; written as "
                             f"{new}")

    def _anchor(self, post: _Post, target: _Post, fragment: str, same_page: bool):
        address = "" if same_page else posixpath.join(
            os.path.relpath(target.new_dir, post.new_dir).replace(os.sep, "/"), "index.md")
        if fragment:
            if fragment.lower() in target.anchors:
                return ("post", address + "#" + label_name(target.label_prefix, fragment), None)
            if same_page:
                return ("post", None, f"anchor #{fragment} names nothing in this post; left as it is")
            return ("post", address, f"anchor #{fragment} names nothing in {target.rel}; the link goes to the post")
        return ("post", address or "index.md", None)


# --- the command ----------------------------------------------------------------------------


def import_blog(source: Path, into: Path, *, source_format: str = "auto", dry_run: bool = False,
                force: bool = False, redirects_file: Path | None = None, author: str | None = None,
                site_url: str | None = None,
                progress: Callable[[Iterator[Any], int], Iterator[Any]] | None = None) -> ImportReport:
    """Import every post of the blog in ``source`` into ``into``; see the module's docstring."""
    source = Path(source)
    into = Path(into)
    if not source.is_dir():
        raise ImportAborted(f"{source} is not a folder")
    if source_format == "auto":
        detected = detect_format(source)
        if detected is None:
            raise ImportAborted(f"{source} holds no Wintersmith (articles/), Jekyll (_posts/) or Hugo (content/) blog")
        source_format = detected
    if source_format not in FORMATS:
        raise ImportAborted(f"unknown blog format {source_format!r}; one of {', '.join(FORMATS)}")
    redirects_file = Path(redirects_file) if redirects_file else into.parent / "redirects.yaml"
    site = _site(source, source_format)
    if site_url:
        parts = urlsplit(site_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImportAborted(f"--site-url {site_url!r} is not an http(s) address such as https://example.org/blog")
        site.base_url = site_url.rstrip("/")
    report = ImportReport(source, into, source_format, dry_run=dry_run, redirects_file=redirects_file)

    posts = _read_posts(site, report, author)
    importer = _Importer(site, into, redirects_file.parent)
    for post in posts:
        post.new_dir = into / post.year / post.slug
    importer.index(posts)
    _note_wanted_anchors(posts, importer)

    entries: dict[str, str] = {}
    # the old site's own path (Jekyll's baseurl): its pages were found below it
    site_prefix = urlsplit(site.base_url).path.rstrip("/") if site.base_url else ""
    iterator: Iterator[_Post] = iter(posts)
    if progress is not None:
        iterator = progress(iterator, len(posts))
    for post in iterator:
        target = post.new_dir / "index.md"
        docname = Path(os.path.relpath(post.new_dir / "index", redirects_file.parent)).as_posix()
        for url in post.old_urls:
            url = site_prefix + url
            if _url_key(url) != _url_key("/" + docname):
                entries[url] = docname
        if target.exists() and not force:
            report.skipped.append((post.rel, f"{target} exists; left as it is"))
            continue
        try:
            _import_post(post, importer, report, dry_run)
        except Exception as error:  # a post that breaks the converter must not stop the others
            report.failed.append((post.rel, f"could not be converted: {type(error).__name__}: {error}"))
            report.problems.append(_problem(post.rel, 1, ArchiveWarning.POST_FAILED,
                                                 f"could not be converted: {type(error).__name__}: {error}"))
            continue
    if entries and not dry_run:
        existing = {old: page for old, (page, _) in read_redirects(redirects_file)[0].items()}
        merged = {**existing, **entries}
        if merged != existing or not redirects_file.exists():
            write_redirects(redirects_file, merged)
    report.redirects = len(entries)
    report.problems = list(dict.fromkeys(report.problems))
    return report


def _read_posts(site: _Site, report: ImportReport, author: str | None) -> list[_Post]:
    problems: list[Problem] = []
    posts: list[_Post] = []
    for path, bundle in _candidates(site, problems):
        rel = _rel(path, site.source)
        if not _inside(path, site.source):
            problems.append(_problem(rel, 1, ArchiveWarning.OUTSIDE, "a symbolic link leads outside the source folder; "
                                                             "not read"))
            report.failed.append((rel, "outside the source folder"))
            continue
        if path.stem == "_index" and site.source_format == "hugo":
            report.not_posts.append((rel, "a Hugo section page (_index.md), not a post"))
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            if error.errno == errno.ELOOP:
                kind, reason = ArchiveWarning.SYMLINK_LOOP, "the file is a symbolic link that loops"
            else:
                kind, reason = ArchiveWarning.UNREADABLE, f"the file cannot be read ({error.strerror})"
            problems.append(_problem(rel, 1, kind, f"{reason}; not imported"))
            report.failed.append((rel, reason))
            continue
        if not data.strip():
            problems.append(_problem(rel, 1, ArchiveWarning.EMPTY_POST,
                                     "the file is empty; there is nothing to import"))
            report.failed.append((rel, "the file is empty"))
            continue
        if b"\0" in data[:8000] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            problems.append(_problem(rel, 1, ArchiveWarning.UNREADABLE, "the file is binary, not text; not imported"))
            report.failed.append((rel, "binary file"))
            continue
        post = _Post(path, rel, bundle, _FrontMatter({}, {}, "", 1, "none"))
        text, notes = decode(data)
        for line, kind, message in notes:
            post.report(line, kind, message)
        if len(data) > LARGE_POST:
            post.report(1, ArchiveWarning.LARGE_POST, f"the post is {len(data) / 1_000_000:.1f} MB; imported, but "
                                                      "a page this large builds and loads slowly")
        post.front = split_post(text, post.report)
        post.body = post.front.body
        post.slug = _slug(post, site)
        _normalise(post, site, author)
        post.old_urls = _old_urls(post, site)
        posts.append(post)
    _unique_slugs(posts)
    for post in posts:
        post.anchors = scan_anchors(post.body)
    report.problems.extend(problems)
    return posts


def _slug(post: _Post, site: _Site) -> str:
    explicit = post.front.data.get("slug")
    if isinstance(explicit, str) and explicit.strip():
        slug = explicit.strip()
    elif post.bundle is not None:
        slug = post.bundle.name
    else:
        slug = post.path.stem
        if site.source_format == "jekyll":
            match = _JEKYLL_NAME.match(slug)
            slug = match.group("slug") if match else slug
    if not _SAFE_SLUG.match(slug):
        fixed = slugify(slug)
        post.report(1, ArchiveWarning.SLUG, f"the name {slug!r} does not make a safe folder name; written as {fixed!r}")
        slug = fixed
    return slug


def _unique_slugs(posts: list[_Post]) -> None:
    seen: dict[str, _Post] = {}
    for post in posts:
        key = post.slug.lower()
        if key not in seen:
            seen[key] = post
            continue
        number = 2
        while f"{key}-{number}" in seen:
            number += 1
        new = f"{post.slug}-{number}"
        post.report(1, ArchiveWarning.DUPLICATE_SLUG,
                    f"{seen[key].rel} has the slug {post.slug!r} too; this post is written as {new!r}")
        post.slug = new
        seen[new.lower()] = post


def _note_wanted_anchors(posts: list[_Post], importer: _Importer) -> None:
    """Headings other posts link to by their old id get a label, so the links still land."""
    for post in posts:
        lines = post.body.split("\n")
        if importer.site.source_format in ("jekyll", "hugo"):
            lines = flatten(convert_templates(lines, importer.site.source_format, _TemplateLinks(importer), 1,
                                              lambda *args: None, Tally()))[0]
        code = {index for first, stop, _ in code_line_ranges(lines) for index in range(first, stop)}
        for index, line in enumerate(lines):
            if index in code or "#" not in line:
                continue
            for address in find_addresses(line):
                if "#" not in address.url or address.image:
                    continue
                found = importer.site_path(address.url, post)
                if not found or not found[1]:
                    continue
                path, fragment = found
                target = post if not path else None
                if target is None:
                    base = _base_folder(post)
                    for candidate in ([path] if path.startswith("/") else
                                      [posixpath.normpath(posixpath.join(base, path)), "/" + path]):
                        target = importer.by_url.get(_url_key(candidate))
                        if target:
                            break
                if target is not None and fragment.lower() in target.anchors:
                    target.wanted_anchors.add(fragment.lower())


class _TemplateLinks:
    """Enough of :class:`confarchive.importer.migrate.PostLinks` to read template tags ahead of the import."""

    def __init__(self, importer: _Importer):
        self.importer = importer

    def post_url(self, name: str, line: int) -> str | None:
        return self.importer.post_url(name)

    def variable(self, name: str) -> str | None:
        return _variable(name, self.importer.site, None)


def _variable(name: str, site: _Site, post: _Post | None) -> str | None:
    """A template variable's value: the post's own (``page.title``, a Hugo page param), then the site's."""
    if post is not None:
        key = name.removeprefix("page.")
        if name.startswith("page.") or site.source_format == "hugo":
            if key == "title" and post.title:
                return post.title
            params = post.front.data.get("params")
            for data in (post.front.data, params if isinstance(params, dict) else {}):
                value = data.get(key)
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    return str(value)
    return site.variables.get(name)


def _import_post(post: _Post, importer: _Importer, report: ImportReport, dry_run: bool) -> None:
    links = _PostLinks(importer, post)
    migration = migrate_body(post.body, links, first_line=post.front.body_line, label_prefix=post.label_prefix,
                             source_format=importer.site.source_format,
                             heading_anchors=frozenset(post.wanted_anchors))
    for finding in migration.findings:
        post.report(finding.line, finding.subtype, finding.message)
    if links.unknown_pages:
        paths = list(dict.fromkeys(path for _, path in links.unknown_pages))
        shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
        count = len(links.unknown_pages)
        post.report(links.unknown_pages[0][0], ArchiveWarning.LINK,
                    f"{count} link{'s' if count > 1 else ''} point{'' if count > 1 else 's'} at pages of the old "
                    f"site that are not posts of this import ({shown}), and the site's address is not known: "
                    "written as their text; --site-url URL writes them as links to the old site")
        migration.dropped["link to the old site (address unknown)"] += count
    if links.files_linked:
        migration.converted["link to a file of the site"] += links.files_linked
    front = render_front_matter(
        post.title, post.authors, _iso(post.date, post.date_has_time) if post.date else None,
        event=post.event, tags=post.tags, summary=post.summary, draft=post.draft, legacy=post.legacy,
    )
    text = front + "\n" + migration.text
    report.converted.update(migration.converted)
    report.kept.update(migration.kept)
    report.dropped.update(migration.dropped)
    report.problems.extend(post.problems)
    report.images_missing += links.missing
    copies: dict[Path, str] = {}
    if post.bundle is not None:
        for path in _walk(post.bundle, report.problems, importer.site.source):
            if path == post.path or path.suffix.lower() in MARKDOWN_SUFFIXES:
                continue
            if not _inside(path, importer.site.source):
                report.problems.append(_problem(_rel(path, importer.site.source), 1, ArchiveWarning.IMAGE_REFUSED,
                                                     "a symbolic link leads outside the source folder: "
                                                     "refused, never copied"))
                continue
            copies[path] = safe_file_name(path.relative_to(post.bundle).as_posix())
    copies.update(links.copies)
    for path, name in copies.items():
        if path.suffix.lower() in IMAGE_SUFFIXES:
            report.images_copied += 1
        else:
            report.files_copied += 1
    report.imported.append(post.rel)
    if dry_run:
        return
    post.new_dir.mkdir(parents=True, exist_ok=True)
    (post.new_dir / "index.md").write_text(text, encoding="utf-8", newline="\n")
    for path, name in copies.items():
        destination = post.new_dir / name
        if destination.exists() and filecmp.cmp(path, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
