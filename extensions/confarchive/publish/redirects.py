"""Redirects from old URLs to the archive's pages, made by ``sphinx-reredirects``.

``confarchive import`` writes a data file, ``redirects.yaml`` in the source folder
(:mod:`confarchive.text.redirects` reads and writes it), that maps each imported post's
old address to its page. At ``config-inited`` confarchive checks its entries and hands
them to sphinx-reredirects' ``redirects`` setting, which writes a small page at each old
address that sends the reader on (a meta refresh, keeping the ``#fragment``). Entries in
``conf.py``'s own ``redirects`` win. No redirect leads to a draft
(:func:`confarchive.archive.drafts.drop_redirects_to_hidden_posts`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import archive_config
from ..problems import ArchiveWarning, warn
from ..text.redirects import read_redirects, redirect_source

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def load_redirects(app: Sphinx, config: Config) -> None:
    """``config-inited``: the data file's entries, as sphinx-reredirects' ``redirects``."""
    name = archive_config(config).redirects_file
    if not name:
        return
    path = Path(app.srcdir) / name
    if not path.is_file():
        return
    entries, problems = read_redirects(path)
    for line, message in problems:
        warn("redirects file: %s", ArchiveWarning.DATA_FILE, f"{path}:{line}", message)
    suffixes = (".md", ".rst", ".txt", ".ipynb")
    redirects: dict[str, str] = {}
    for old, (docname, line) in entries.items():
        source = redirect_source(old)
        docname = docname.strip("/").removesuffix(".md").removesuffix(".rst")
        location = f"{path}:{line}"
        if source is None or re.search(r"[*?\[\]]", source):
            warn("redirects file: %r is not an address a page can answer for; skipped", ArchiveWarning.DATA_FILE,
                 location, old)
            continue
        if any((Path(app.srcdir) / (source + suffix)).is_file() for suffix in suffixes):
            warn("redirects file: %r is a page of this site; not replaced by a redirect", ArchiveWarning.DATA_FILE,
                 location, old)
            continue
        if not any((Path(app.srcdir) / (docname + suffix)).is_file() for suffix in suffixes) \
                and any((Path(app.srcdir) / docname / ("index" + suffix)).is_file() for suffix in suffixes):
            docname += "/index"
        if not any((Path(app.srcdir) / (docname + suffix)).is_file() for suffix in suffixes):
            warn("redirects file: %r leads to %r, which is not a page of this site; skipped",
                 ArchiveWarning.DATA_FILE, location, old, docname)
            continue
        redirects[source] = "/" + docname + (config.html_file_suffix or ".html")
    if redirects:
        config.redirects = {**redirects, **(config.redirects or {})}


def setup_redirects(app: Sphinx) -> None:
    app.setup_extension("sphinx_reredirects")
    app.connect("config-inited", load_redirects)
