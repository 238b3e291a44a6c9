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

import json
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


#: the redirect pages the last build wrote, beside the doctrees
_RECORD = "confarchive-redirects.json"


def remove_stale_redirects(app: Sphinx):
    """``html-collect-pages``, before sphinx-reredirects writes: the redirect pages of the last build
    that this one does not write are removed (a post deleted or moved, a draft, an entry taken out).

    Only pages that are no document of the site go; a page written by other means is left alone.
    """
    if app.builder.format != "html":
        return []
    from sphinx_reredirects import Reredirects

    redirector = Reredirects(app)
    suffix = getattr(app.builder, "out_suffix", ".html")
    outdir = Path(app.outdir)
    now = {"/".join(redirector.docname_out_path(source, suffix)) for source in (app.config.redirects or {})
           if not re.search(r"[*?\[\]]", source)}
    record = Path(app.doctreedir) / _RECORD
    try:
        last = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        last = set()
    pages = {app.builder.get_target_uri(docname) for docname in app.env.all_docs}
    for gone in sorted(last - now):
        path = outdir.joinpath(gone).with_suffix(suffix)
        if path.relative_to(outdir).as_posix() not in pages and path.is_file():
            path.unlink()
            folder = path.parent
            while folder != outdir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
    record.write_text(json.dumps(sorted(now)), encoding="utf-8")
    return []


def setup_redirects(app: Sphinx) -> None:
    app.setup_extension("sphinx_reredirects")
    app.connect("config-inited", load_redirects)
    # after drafts are taken out (priority 400), before sphinx-reredirects writes (500)
    app.connect("html-collect-pages", remove_stale_redirects, priority=450)
