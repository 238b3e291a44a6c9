"""Redirects from old URLs to the archive's pages, made by ``sphinx-reredirects``.

``confarchive import`` writes a data file, ``redirects.yaml`` in the source folder, that
maps each imported post's old address to its page::

    /articles/kubecon-dayone-keynotes/: posts/2017/kubecon-dayone-keynotes/index

At ``config-inited`` confarchive reads it into sphinx-reredirects' ``redirects`` setting,
which writes a small page at each old address that sends the reader on (a meta refresh,
keeping the ``#fragment``). Entries in ``conf.py``'s own ``redirects`` win.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import yaml
from sphinx.util import logging

from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

CONFIG_NAME = "confarchive_redirects_file"
DEFAULT_FILE = "redirects.yaml"
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


def read_redirect_entries(path: Path) -> tuple[dict[str, tuple[str, int]], list[tuple[int, str]]]:
    """Entries of a redirects data file as ``old: (page, line)``, and its problems as (line, message)."""
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


def load_redirects(app: Sphinx, config: Config) -> None:
    """``config-inited``: the data file's entries, as sphinx-reredirects' ``redirects``."""
    name = config[CONFIG_NAME]
    if not name:
        return
    path = Path(app.srcdir) / name
    if not path.is_file():
        return
    entries, problems = read_redirect_entries(path)
    for line, message in problems:
        logger.warning("redirects file: %s", message, location=f"{path}:{line}",
                       **warning_kwargs(ArchiveWarning.DATA_FILE))
    suffixes = (".md", ".rst", ".txt", ".ipynb")
    redirects: dict[str, str] = {}
    for old, (docname, line) in entries.items():
        source = redirect_source(old)
        docname = docname.strip("/").removesuffix(".md").removesuffix(".rst")
        location = f"{path}:{line}"
        if source is None or re.search(r"[*?\[\]]", source):
            logger.warning("redirects file: %r is not an address a page can answer for; skipped", old,
                           location=location, **warning_kwargs(ArchiveWarning.DATA_FILE))
            continue
        if any((Path(app.srcdir) / (source + suffix)).is_file() for suffix in suffixes):
            logger.warning("redirects file: %r is a page of this site; not replaced by a redirect", old,
                           location=location, **warning_kwargs(ArchiveWarning.DATA_FILE))
            continue
        if not any((Path(app.srcdir) / (docname + suffix)).is_file() for suffix in suffixes) \
                and any((Path(app.srcdir) / docname / ("index" + suffix)).is_file() for suffix in suffixes):
            docname += "/index"
        if not any((Path(app.srcdir) / (docname + suffix)).is_file() for suffix in suffixes):
            logger.warning("redirects file: %r leads to %r, which is not a page of this site; skipped", old,
                           docname, location=location, **warning_kwargs(ArchiveWarning.DATA_FILE))
            continue
        redirects[source] = "/" + docname + (config.html_file_suffix or ".html")
    if redirects:
        config.redirects = {**redirects, **(config.redirects or {})}


def setup_redirects(app: Sphinx) -> None:
    app.setup_extension("sphinx_reredirects")
    app.add_config_value(CONFIG_NAME, DEFAULT_FILE, "env", types=frozenset({str}))
    app.connect("config-inited", load_redirects)
