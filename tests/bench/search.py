"""Search figures of a built site: indexing time and what a browser fetches to search.

They exist once the site has a Pagefind bundle (a ``pagefind/`` folder in the HTML
output); until then :func:`measure` says why each figure is missing. Sphinx's own
``searchindex.js`` is written inside the HTML builder's finishing step and cannot be
timed apart from it from outside the build, so it is not measured.

With a bundle:

- indexing time: what the build reports it spent writing the index (confarchive logs
  ``search index of N records written in S s (the build waited W s for it)``): a serial
  build indexes on the other core while it writes the pages, so ``W`` (what indexing
  adds to the build) is the share, and ``S`` (the indexer's own time) is given beside
  it; when the build says nothing, the Pagefind indexer run again, alone, on the built
  site (and the build is taken to have waited for all of it);
- bytes fetched: Chromium (through Playwright) opens the site served on 127.0.0.1 and
  runs :data:`FIRST_QUERY` on its search page (``search.html?q=...``) as a reader does,
  until the page shows its first results; then it types :data:`SECOND_QUERY` into the
  same page. The first figure is every file under ``pagefind/`` the browser requested
  (the script, the entry file, the WebAssembly, the metadata, the index chunks and the
  fragments of the results shown), plus the search page's own script; the second counts
  only the files the second query added. A site without confarchive's search page is
  queried through ``pagefind/pagefind.js`` directly, showing :data:`RESULTS_SHOWN`.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

FIRST_QUERY = "python"
SECOND_QUERY = "django"
RESULTS_SHOWN = 5
BUNDLE = "pagefind"
NO_INDEX = "n/a (no search index yet)"


@dataclass
class SearchFigures:
    index_seconds: float | None = None
    #: how long the build waited for the index (indexing runs beside the writing)
    index_wait_seconds: float | None = None
    index_source: str = ""
    first_query_bytes: int | None = None
    second_query_bytes: int | None = None
    #: the same files as a server that compresses text sends them (Read the Docs does)
    first_query_served_bytes: int | None = None
    second_query_served_bytes: int | None = None
    #: files fetched by each query, relative to the site
    first_query_files: tuple[str, ...] = ()
    second_query_files: tuple[str, ...] = ()
    #: why a figure is missing, by figure name
    missing: dict[str, str] | None = None

    def as_json(self) -> dict:
        return {
            "index_seconds": self.index_seconds,
            "index_wait_seconds": self.index_wait_seconds,
            "index_source": self.index_source,
            "first_query": FIRST_QUERY,
            "first_query_bytes": self.first_query_bytes,
            "first_query_served_bytes": self.first_query_served_bytes,
            "first_query_files": list(self.first_query_files),
            "second_query": SECOND_QUERY,
            "second_query_bytes": self.second_query_bytes,
            "second_query_served_bytes": self.second_query_served_bytes,
            "second_query_files": list(self.second_query_files),
            "missing": self.missing or {},
        }


#: how the build reports the time it spent on the search index
_REPORTED = re.compile(r"search index of [\d,]+ records written in ([\d.]+) s"
                       r"(?: \(the build waited ([\d.]+) s for it\))?")


def measure(site: Path, build_logs: list[str] = ()) -> SearchFigures:
    """The search figures of the built HTML folder ``site``; ``build_logs``: the status
    output of the builds that wrote it (the reported index time is their median)."""
    if not (site / BUNDLE).is_dir():
        reason = NO_INDEX
        return SearchFigures(missing={"index": reason, "first_query": reason, "second_query": reason})
    figures = SearchFigures(missing={})
    reported = [match for log in build_logs for match in [_REPORTED.search(log)] if match]
    if reported:
        figures.index_seconds = statistics.median(float(match.group(1)) for match in reported)
        figures.index_wait_seconds = statistics.median(float(match.group(2) or match.group(1))
                                                       for match in reported)
        figures.index_source = "reported by the build"
    else:
        try:
            figures.index_seconds = figures.index_wait_seconds = time_indexer(site)
            figures.index_source = "the pagefind indexer run alone on the site"
        except IndexerMissing as missing:
            figures.missing["index"] = f"n/a ({missing})"
    try:
        first, second = fetched_by_queries(site)
    except BrowserMissing as missing:
        figures.missing["first_query"] = figures.missing["second_query"] = f"n/a ({missing})"
    else:
        figures.first_query_files, figures.second_query_files = tuple(first), tuple(second)
        figures.first_query_bytes = sum((site / path).stat().st_size for path in first)
        figures.second_query_bytes = sum((site / path).stat().st_size for path in second)
        figures.first_query_served_bytes = sum(served_size(site / path) for path in first)
        figures.second_query_served_bytes = sum(served_size(site / path) for path in second)
    return figures


#: files a compressing server sends gzipped; Pagefind's own files (.pf_*, .pagefind) are
#: gzipped already, and sent as they are
_TEXT_SUFFIXES = (".js", ".json", ".css", ".html")


def served_size(path: Path) -> int:
    """Bytes ``path`` takes on the wire from a server that compresses text (gzip, level 6)."""
    data = path.read_bytes()
    if path.suffix in _TEXT_SUFFIXES:
        return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
    return len(data)


# --- indexing ----------------------------------------------------------------------------


class IndexerMissing(RuntimeError):
    pass


def indexer_command() -> list[str]:
    if importlib.util.find_spec("pagefind") is not None:
        return [sys.executable, "-m", "pagefind"]
    executable = shutil.which("pagefind")
    if executable:
        return [executable]
    raise IndexerMissing("pagefind/ is built, but no pagefind indexer is installed to time it alone")


def time_indexer(site: Path) -> float:
    """Seconds the Pagefind indexer takes on ``site``, writing its bundle to a scratch folder."""
    command = indexer_command()
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run([*command, "--site", str(site), "--output-path", scratch, "--quiet"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return time.perf_counter() - start


# --- bytes fetched -----------------------------------------------------------------------


class BrowserMissing(RuntimeError):
    pass


def chromium_executable() -> str:
    """Chromium as the browser tests find it: ``$CONFARCHIVE_CHROMIUM``, Debian's, or on PATH."""
    candidate = os.environ.get("CONFARCHIVE_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file():
        return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserMissing("needs chromium (apt-get install chromium) to run a query")


_QUERY_JS = """
async ([word, shown]) => {
  if (!window.__benchPagefind) {
    window.__benchPagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
    if (window.__benchPagefind.init) await window.__benchPagefind.init();
  }
  const search = await window.__benchPagefind.search(word);
  await Promise.all(search.results.slice(0, shown).map((result) => result.data()));
  return search.results.length;
}
"""


#: the search page's own script, counted with Pagefind's files
SEARCH_SCRIPT = "_static/confarchive-search.js"
#: the search page marks itself done once its results and status are shown
_PAGE_DONE = "() => document.getElementById('confarchive-search').dataset.searchState === 'done'"
_PAGE_SAYS = "(word) => document.querySelector('.confarchive-search-status').textContent.includes(word)"


def fetched_by_queries(site: Path) -> tuple[list[str], list[str]]:
    """Files under ``pagefind/`` (and the search script) fetched by a first query and then by a second."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise BrowserMissing("needs the playwright package to run a query") from missing
    executable = chromium_executable()
    requested: list[str] = []
    search_page = (site / "search.html").is_file() and (site / SEARCH_SCRIPT).is_file()
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            page = browser.new_page()
            page.on("requestfinished", lambda request: requested.append(urlsplit(request.url).path))
            page.goto(base + "index.html")
            page.wait_for_load_state("networkidle")
            per_query = []
            for number, word in enumerate((FIRST_QUERY, SECOND_QUERY)):
                requested.clear()
                if not search_page:
                    page.evaluate(_QUERY_JS, [word, RESULTS_SHOWN])
                elif number == 0:
                    page.goto(f"{base}search.html?q={word}")
                else:
                    page.fill("#confarchive-search-query", word)
                    page.press("#confarchive-search-query", "Enter")
                if search_page:
                    page.wait_for_function(_PAGE_SAYS, arg=word, timeout=120_000)
                    page.wait_for_function(_PAGE_DONE, timeout=120_000)
                page.wait_for_load_state("networkidle")
                paths = {unquote(path).lstrip("/") for path in requested}
                per_query.append(sorted(path for path in paths
                                        if path.startswith(BUNDLE + "/") or path == SEARCH_SCRIPT))
        finally:
            browser.close()
    first, second = per_query
    return first, sorted(set(second) - set(first))


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1 at a free port; the base URL, ending in ``/``."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
