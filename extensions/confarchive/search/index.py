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

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rjsmin
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..archive.state import build_state
from ..config import archive_config, auto_or_bool
from ..problems import ArchiveWarning, warn
from .indexer import index_lock
from .records import search_records

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_INDEX_STAMP = "confarchive-search-index.sha256"
_RECORDS_FILE = "confarchive-search-records.json"
#: under the doctrees: the running indexer's process id, its output, and the lock it
#: holds while it puts an index in place
_PID_FILE = "confarchive-search-index.pid"
_LOG_FILE = "confarchive-search-index.log"
_LOCK_FILE = "confarchive-search-index.lock"
#: the last word of the pid file once the build has told its indexer to put the index in place
_TOLD = "install"
#: where the indexer writes the new index's files, in the output folder
_STAGING_DIR = ".pagefind-new"
#: the search page's script, as written; the site gets it minified
SEARCH_SCRIPT = Path(__file__).with_name("confarchive-search.js")
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
    writers, and a process that forks must not hold a running thread. The process puts the
    index in place itself once the build tells it to, so a build that does not wait for
    it (``confarchive_search_wait``) ends while it goes on; it holds a lock while it does,
    and the next build stops it before starting its own.
    """

    def __init__(self, app: Sphinx, records: list[dict[str, Any]], text: str, digest: str) -> None:
        self.records = records
        #: the records as JSON, as the indexer reads them
        self.text = text
        self.digest = digest
        self.output = Path(app.outdir) / "pagefind"
        self.staging = Path(app.outdir) / _STAGING_DIR
        doctrees = Path(app.doctreedir)
        self.stamp = doctrees / _INDEX_STAMP
        self.records_file = doctrees / _RECORDS_FILE
        self.pid_file = doctrees / _PID_FILE
        self.log = doctrees / _LOG_FILE
        self.lock = doctrees / _LOCK_FILE
        self.process: subprocess.Popen | None = None
        self.seconds = 0.0

    def start(self) -> None:
        stop_indexing(self.pid_file.parent)
        shutil.rmtree(self.staging, ignore_errors=True)
        # the index is about to change: until the new one is whole, no build may trust the old stamp
        self.stamp.unlink(missing_ok=True)
        self.records_file.write_text(self.text, encoding="utf-8")
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "confarchive.search.indexer", str(self.records_file), str(self.staging),
                 str(self.output), "--install", "--lock", str(self.lock), "--stamp", str(self.stamp),
                 "--digest", self.digest, "--pid", str(self.pid_file)],
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, text=True,
                # the package as this process imported it, wherever it was found
                env={**os.environ, "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))},
                # a reader's Ctrl-C stops the build, not an index half put in place
                start_new_session=True,
            )
        self.pid_file.write_text(f"{self.process.pid} {self.digest}", encoding="utf-8")

    def finish(self, keep: bool, wait: bool) -> bool:
        """Tell the indexer to put the index in place when ``keep``, else to throw it away;
        wait for it when ``wait`` (or when it is thrown away). True once the index is in place."""
        assert self.process is not None
        if keep:
            # the next build may let an indexer go on only once it is told to put its index in place
            # (said before telling it: once told, it may end, and take its pid file with it, at once)
            self.pid_file.write_text(f"{self.process.pid} {self.digest} {_TOLD}", encoding="utf-8")
        try:
            self.process.stdin.write("install\n" if keep else "discard\n")
            self.process.stdin.close()
        except OSError:  # it stopped already: its log says why
            pass
        if keep and not wait:
            return False
        self.process.wait()
        if _running_indexer(self.pid_file) is None:
            self.pid_file.unlink(missing_ok=True)  # an indexer that stopped before it could say so
        output = self.log.read_text(encoding="utf-8", errors="replace")
        if self.process.returncode != 0:
            shutil.rmtree(self.staging, ignore_errors=True)
            if keep:
                raise ExtensionError(f"confarchive: the search index could not be written:\n{output.strip()}")
            return False
        self.records_file.unlink(missing_ok=True)
        # the indexer prints its seconds; Pagefind may have said something before
        seconds = [line for line in output.splitlines() if re.fullmatch(r"\d+\.\d+", line.strip())]
        self.seconds = float(seconds[-1]) if seconds else 0.0
        return keep


def stop_indexing(doctreedir: Path) -> None:
    """Stop the indexer a build left running, if any: a new build supersedes its index.

    One that is putting its index in place finishes first (it holds the lock), so the
    index in the output folder is always one whole index.
    """
    running = _running_indexer(doctreedir / _PID_FILE)
    if running is None:
        return
    pid = running[0]
    with index_lock(doctreedir / _LOCK_FILE):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
        _wait_for_exit(pid, timeout=30)
    (doctreedir / _PID_FILE).unlink(missing_ok=True)


def wait_for_index(doctreedir: str | Path, timeout: float = 600) -> bool:
    """Wait until no indexer of the build with these doctrees is running; False on timeout.

    A build that did not wait for its search index (``confarchive_search_wait``) leaves
    it being written; tools and tests that need it whole call this.
    """
    running = _running_indexer(Path(doctreedir) / _PID_FILE)
    return running is None or _wait_for_exit(running[0], timeout)


def _running_indexer(pid_file: Path) -> tuple[int, str] | None:
    """The process a pid file names and the digest of its records, if it is alive and is an indexer.

    The digest is empty until its build has told it to put its index in place.
    """
    try:
        pid_text, digest, *told = pid_file.read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    if told != [_TOLD]:
        digest = ""
    if not _alive(pid):
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    with contextlib.suppress(OSError):
        # a number the system gave to another process since is left alone
        if b"confarchive.search.indexer" not in cmdline.read_bytes():
            return None
    return pid, digest


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        # an indexer this process started and that ended is reaped here
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


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
    output = Path(app.outdir) / "pagefind"
    # a first index, or one for a build that read every document, is waited for by default
    state.index_wait = _waits(state.config.search_wait, first=not output.is_dir(), read_all=state.read_all)
    running = _running_indexer(Path(app.doctreedir) / _PID_FILE)
    if running is not None and running[1] == digest:
        # the last build's index, still being written, is this build's: it goes on
        if state.index_wait:
            wait_for_index(app.doctreedir)
        logger.info("confarchive: search index of %d records being written since the last build", len(records))
        return []
    if running is None and (output / "pagefind.js").is_file() and stamp.is_file() and stamp.read_text() == digest:
        # what a build that stopped half-way left beside the site goes
        shutil.rmtree(Path(app.outdir) / _STAGING_DIR, ignore_errors=True)
        logger.info("confarchive: search index unchanged (%d records)", len(records))
        return []
    _report_last_failure(Path(app.doctreedir) / _LOG_FILE, output)
    state.index_job = IndexJob(app, records, text, digest)
    state.index_job.start()
    return []


def _report_last_failure(log: Path, output: Path) -> None:
    """An indexer that no build waited for says why it failed in its log: say it now."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return
    if "Traceback" in text:
        warn("the search index of the last build could not be written: %s", ArchiveWarning.SEARCH_INDEX,
             str(output), text.splitlines()[-1])


def _waits(setting: Any, *, first: bool, read_all: bool) -> bool:
    chosen = auto_or_bool(setting)
    return first or read_all if chosen is None else chosen


def build_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the finished Pagefind index in place, or let it be put there."""
    state = build_state(app.env)
    job, state.index_job = state.index_job, None
    if job is None:
        return
    started = time.perf_counter()
    installed = job.finish(keep=exception is None, wait=state.index_wait)
    if exception is not None:
        return
    if installed:
        logger.info("confarchive: search index of %d records written in %.2f s "
                    "(the build waited %.2f s for it)", len(job.records), job.seconds,
                    time.perf_counter() - started)
    else:
        logger.info("confarchive: search index of %d records being written; it replaces the last "
                    "one, whole, when done", len(job.records))


# --- the search page -------------------------------------------------------------------


def turn_off_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: Pagefind replaces Sphinx's own search index and page."""
    if archive_config(app.config).search and getattr(app.builder, "search", False):
        app.builder.search = False


def search_page(app: Sphinx):
    """``html-collect-pages``: the search page, in the site's theme, and its script."""
    if archive_config(app.config).search:
        write_search_script(Path(app.outdir) / "_static")
        yield "search", {"title": "Search"}, "confarchive-search.html"


def write_search_script(static: Path) -> None:
    """The search page's script, without its comments and spaces (a reader's first query
    fetches it); left alone when it is already there, so a no-op build writes nothing."""
    text = rjsmin.jsmin(SEARCH_SCRIPT.read_text(encoding="utf-8"))
    target = static / SEARCH_SCRIPT.name
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return
    static.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def setup_search(app: Sphinx) -> None:
    """The search page and the index; the composition root starts the index after reading."""
    app.connect("builder-inited", turn_off_sphinx_search)
    app.connect("html-collect-pages", search_page)
    app.connect("build-finished", build_search_index)
