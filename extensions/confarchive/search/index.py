"""The search index: Pagefind's, made while the pages are written, in a process of its own.

Once every document is read (``env-updated``), the records of this build
(:mod:`.records`) go to :mod:`.indexer` in a Python process of its own, which makes the
index while Sphinx writes the pages; at the end of the build (``build-finished``) the
new index replaces the last one, whole. Sphinx's own search index is not built; the
search page (``search.html``, the theme's page with Pagefind's interface) runs Pagefind
in the browser. A result's link carries ``?highlight=<words>``, which Sphinx's own
``sphinx_highlight.js`` (on every page) reads to highlight the words on the page it opens.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..archive.state import build_state
from ..config import archive_config
from .indexer import install
from .records import search_records

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_INDEX_STAMP = "confarchive-search-index.sha256"
_RECORDS_FILE = "confarchive-search-records.json"
#: where the indexer writes the new index's files, in the output folder
_STAGING_DIR = ".pagefind-new"
#: the folder holding the ``confarchive`` package, for the indexer's process
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class IndexJob:
    """The Pagefind index of one build, written into a staging folder beside the site.

    Only the files the last build's index lacks are written there (see
    :mod:`.indexer`); at the end of the build they replace that index.

    It starts as soon as the documents are read (``env-updated``): the records come from
    the doctrees, not from the HTML, so the index is made while Sphinx writes the pages,
    on whatever core the writing leaves free. It runs in a Python process of its own
    (``python -m confarchive.search.indexer``), not in a thread: a parallel build forks its
    writers, and a process that forks must not hold a running thread.
    """

    def __init__(self, app: Sphinx, records: list[dict[str, Any]], text: str, digest: str) -> None:
        self.records = records
        #: the records as JSON, as the indexer reads them
        self.text = text
        self.digest = digest
        self.output = Path(app.outdir) / "pagefind"
        self.staging = Path(app.outdir) / _STAGING_DIR
        self.stamp = Path(app.doctreedir) / _INDEX_STAMP
        self.records_file = Path(app.doctreedir) / _RECORDS_FILE
        self.process: subprocess.Popen | None = None
        self.seconds = 0.0

    def start(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        # the index is about to change: until the new one is whole, no build may trust the old stamp
        self.stamp.unlink(missing_ok=True)
        self.records_file.write_text(self.text, encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "confarchive.search.indexer", str(self.records_file), str(self.staging),
             str(self.output)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            # the package as this process imported it, wherever it was found
            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))},
        )

    def finish(self, keep: bool) -> None:
        """Wait for the index; put it in place when ``keep``, else throw it away."""
        assert self.process is not None
        out, err = self.process.communicate()
        self.records_file.unlink(missing_ok=True)
        if self.process.returncode != 0:
            shutil.rmtree(self.staging, ignore_errors=True)
            if keep:
                raise ExtensionError(f"confarchive: the search index could not be written:\n{err.strip()}")
            return
        self.seconds = float(out.strip() or 0)
        if not keep:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        install(self.staging, self.output)
        self.stamp.write_text(self.digest)


def plan_search_index(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the records of this build; start indexing them unless unchanged.

    Pagefind has no incremental mode, so every record is indexed again, but only the
    files that changed are written; when no record changed since the last build and
    the index is there, it is left as it is.
    """
    state = build_state(env)
    state.index_job = None
    if app.builder.format != "html" or not state.config.search:
        return []
    records = search_records(app)
    # one serialisation, for the indexer and for the fingerprint (tens of MB for a big archive)
    text = json.dumps(records, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    stamp = Path(app.doctreedir) / _INDEX_STAMP
    if (Path(app.outdir) / "pagefind" / "pagefind.js").is_file() and stamp.is_file() \
            and stamp.read_text() == digest:
        # what a build that stopped half-way left beside the site goes
        shutil.rmtree(Path(app.outdir) / _STAGING_DIR, ignore_errors=True)
        logger.info("confarchive: search index unchanged (%d records)", len(records))
        return []
    state.index_job = IndexJob(app, records, text, digest)
    state.index_job.start()
    return []


def build_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the finished Pagefind index in place."""
    state = build_state(app.env)
    job, state.index_job = state.index_job, None
    if job is None:
        return
    started = time.perf_counter()
    job.finish(keep=exception is None)
    if exception is None:
        logger.info("confarchive: search index of %d records written in %.2f s "
                    "(the build waited %.2f s for it)", len(job.records), job.seconds,
                    time.perf_counter() - started)


# --- the search page -------------------------------------------------------------------


def turn_off_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: Pagefind replaces Sphinx's own search index and page."""
    if archive_config(app.config).search and getattr(app.builder, "search", False):
        app.builder.search = False


def search_page(app: Sphinx):
    """``html-collect-pages``: the search page, in the site's theme."""
    if archive_config(app.config).search:
        yield "search", {"title": "Search"}, "confarchive-search.html"


def setup_search(app: Sphinx) -> None:
    """The search page and the index; the composition root starts the index after reading."""
    app.connect("builder-inited", turn_off_sphinx_search)
    app.connect("html-collect-pages", search_page)
    app.connect("build-finished", build_search_index)
