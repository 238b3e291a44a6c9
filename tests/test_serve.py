"""The writer's loop: with ``make serve`` running, a saved post is on the page, then in the search.

``make serve`` (sphinx-autobuild) rebuilds on every save and reloads the browser once the
pages are written; the search index is put in place a moment later, whole.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from browser import DONE, results
from conftest import REPO, ROOTS

pytestmark = pytest.mark.browser

POST = "posts/harbour-2019.html"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve stopped:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"make serve served nothing at {url}:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


@pytest.fixture
def serving(chromium_executable, tmp_path):
    """``make serve`` on a copy of the search-words root; (source folder, base URL)."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-search-words", srcdir)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(REPO), "serve", f"SOURCEDIR={srcdir}",
             f"BUILDDIR={tmp_path / 'build'}", f"CONFDIR={srcdir}", f"SERVEOPTS=--port {port} --host 127.0.0.1"],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "NO_COLOR": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_served(base + POST, process, log)
        yield srcdir, base, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_saved_post_is_on_the_page_then_found_by_search(open_page, serving):
    srcdir, base, log = serving
    opened = open_page(base + POST)
    assert "petrel" not in opened.page.inner_text("article")
    post = srcdir / "posts" / "harbour-2019.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA petrel skimmed the swell.\n", encoding="utf-8")
    # sphinx-autobuild rebuilds and reloads the open page
    opened.page.wait_for_function("() => document.body.innerText.includes('A petrel skimmed the swell.')",
                                  timeout=120000)
    # the index follows the page: once in place, the new word finds the post
    deadline = time.monotonic() + 120
    found: list[dict] = []
    while time.monotonic() < deadline:
        searching = open_page(base + "search.html?q=petrel")
        searching.page.wait_for_function(DONE, timeout=15000)
        found = results(searching)
        if found:
            break
        time.sleep(1)
    assert found, f"never found by search:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}"
    assert found[0]["href"].split("?")[0].endswith(POST)
    assert "being written; it replaces the last one, whole, when done" in log.read_text(encoding="utf-8")
