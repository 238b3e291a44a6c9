"""The redirects data file: old addresses of imported posts and the pages they moved to. Pure.

``confarchive import`` writes it (:func:`write_redirects`), the build reads it
(:func:`read_redirects`) and hands its entries to sphinx-reredirects
(:mod:`confarchive.publish.redirects`)::

    /articles/kubecon-dayone-keynotes/: posts/2017/kubecon-dayone-keynotes/index
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

DEFAULT_FILE = "redirects.yaml"
HEADER = (
    "# Old addresses of imported posts, and the pages they moved to (source folder paths,\n"
    "# without the suffix). Written by `confarchive import`; confarchive makes a redirect\n"
    "# page for each entry.\n"
)
_KEY_LINE = re.compile(r"^(?P<key>\"[^\"]*\"|'[^']*'|[^#\s][^:]*?)\s*:(?:\s|$)")


def redirect_source(old: str) -> str | None:
    """The page an old URL path names, as sphinx-reredirects writes it (no suffix)."""
    path = unquote(urlsplit(old.strip()).path).lstrip("/")
    if ".." in path.split("/"):
        return None
    if not path or path.endswith("/"):
        return path + "index"
    if path.endswith((".html", ".htm")):
        return path.rsplit(".", 1)[0]
    if "." in path.rsplit("/", 1)[-1]:
        return None  # a file of another kind: no page can stand in for it
    return path + "/index"


def read_redirects(path: Path) -> tuple[dict[str, tuple[str, int]], list[tuple[int, str]]]:
    """Entries of a redirects data file as ``old: (page, line)``, and its problems as (line, message).

    A file that is missing or cannot be read is one problem at line 1.
    """
    problems: list[tuple[int, str]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        return {}, [(1, f"cannot be read ({error.strerror})")]
    key_lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_LINE.match(line)
        if match:
            key_lines.setdefault(match.group("key").strip("\"'"), number)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [((mark.line + 1) if mark else 1, f"is not valid YAML ({getattr(error, 'problem', error)})")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [(1, "must map old addresses to pages")]
    entries = {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            problems.append((key_lines.get(str(key), 1), f"{key!r}: the page must be a document name, "
                                                          f"not {value!r}"))
            continue
        entries[str(key)] = (value.strip(), key_lines.get(str(key), 1))
    return entries, problems


def write_redirects(path: Path, entries: dict[str, str]) -> None:
    """Write ``entries`` (old address -> page), sorted, under the file's header."""
    body = yaml.safe_dump(dict(sorted(entries.items())), default_flow_style=False, allow_unicode=True,
                          width=1_000_000, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8", newline="\n")
