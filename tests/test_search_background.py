"""The search index of an incremental build is written after the build ends, and replaces the last one whole.

``confarchive_search_wait = "auto"``: a first build waits for its index; a later one ends
once its pages are written, and an indexer process of its own puts the index in place.
The next build stops an indexer that is still running before starting its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from confarchive.search.index import stop_indexing, wait_for_index
from confarchive.search.indexer import index_lock
from conftest import ROOTS
from siteoutput import pagefind_records

WAITED = "search index of"
#: what a build that ends before its index says
LEFT = "being written; it replaces the last one, whole, when done"


def build(srcdir: Path, outdir: Path, *args: str) -> subprocess.CompletedProcess:
    """A build as ``make html`` runs it, without waiting afterwards for its index; not quiet."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-N", str(srcdir), str(outdir), *args],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path]:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-search-words", srcdir)
    return srcdir, tmp_path / "html"


def test_a_first_build_waits_for_its_index(site):
    srcdir, outdir = site
    first = build(*site)
    assert "written in" in first.stdout and LEFT not in first.stdout
    assert (outdir / "pagefind" / "pagefind.js").is_file()
    assert not (outdir / ".doctrees" / "confarchive-search-index.pid").exists()
    assert "posts/harbour-2019.html" in pagefind_records(outdir / "pagefind")


def test_an_edit_is_on_the_page_before_the_index_which_then_equals_a_clean_builds(site, tmp_path):
    srcdir, outdir = site
    build(*site)
    post = srcdir / "posts" / "harbour-2019.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA cormorant dried its wings.\n", encoding="utf-8")
    again = build(*site)
    assert LEFT in again.stdout
    assert "cormorant" in (outdir / "posts" / "harbour-2019.html").read_text(encoding="utf-8")
    assert wait_for_index(outdir / ".doctrees", timeout=120)
    assert not (outdir / ".pagefind-new").exists()
    records = pagefind_records(outdir / "pagefind")
    assert "A cormorant dried its wings." in records["posts/harbour-2019.html"]["content"]
    clean = tmp_path / "clean"
    build(srcdir, clean)
    assert records == pagefind_records(clean / "pagefind")


def test_search_wait_true_makes_every_build_wait(site):
    srcdir, outdir = site
    build(*site)
    (srcdir / "posts" / "harbour-2019.md").write_text(
        "---\ntitle: Harbour notes, the first year\ndate: 2019-06-01\n---\nA heron.\n", encoding="utf-8")
    again = build(*site, "-D", "confarchive_search_wait=1")
    assert "written in" in again.stdout and LEFT not in again.stdout
    assert "A heron." in pagefind_records(outdir / "pagefind")["posts/harbour-2019.html"]["content"]


def test_search_wait_must_be_auto_or_a_truth_value(site):
    srcdir, outdir = site
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-N", str(srcdir), str(outdir),
                             "-D", "confarchive_search_wait=sometimes"], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "confarchive_search_wait" in result.stderr and "'auto', True or False" in result.stderr


def _fake_indexer(doctrees: Path) -> subprocess.Popen:
    """A process that looks like an indexer a build left running, named in its pid file."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "confarchive.search.indexer"])
    doctrees.mkdir(parents=True, exist_ok=True)
    (doctrees / "confarchive-search-index.pid").write_text(f"{process.pid} digest", encoding="utf-8")
    time.sleep(0.2)  # its command line is in place
    return process


def test_a_new_build_stops_the_indexer_the_last_one_left_running(tmp_path):
    doctrees = tmp_path / "doctrees"
    process = _fake_indexer(doctrees)
    try:
        assert not wait_for_index(doctrees, timeout=0.3)
        stop_indexing(doctrees)
        # stopped long before its two minutes (stop_indexing reaps it, so no status is left to read)
        process.wait(timeout=10)
        assert not (doctrees / "confarchive-search-index.pid").exists()
        assert wait_for_index(doctrees, timeout=0)
    finally:
        process.kill()


def test_an_index_being_put_in_place_is_finished_before_it_is_stopped(tmp_path):
    doctrees = tmp_path / "doctrees"
    process = _fake_indexer(doctrees)
    stopped = threading.Event()
    try:
        with index_lock(doctrees / "confarchive-search-index.lock"):
            stopper = threading.Thread(target=lambda: (stop_indexing(doctrees), stopped.set()))
            stopper.start()
            time.sleep(0.5)
            # the indexer holds the lock while it installs: it is not stopped half-way
            assert not stopped.is_set() and process.poll() is None
        stopper.join(timeout=10)
        assert stopped.is_set() and process.poll() is not None
    finally:
        process.kill()


def test_a_pid_file_naming_another_program_is_left_alone(tmp_path):
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (doctrees / "confarchive-search-index.pid").write_text(f"{process.pid} digest", encoding="utf-8")
        time.sleep(0.2)
        stop_indexing(doctrees)
        assert process.poll() is None
        assert wait_for_index(doctrees, timeout=0)
    finally:
        process.kill()


def test_an_index_that_failed_after_its_build_is_reported_by_the_next(site):
    srcdir, outdir = site
    build(*site)
    (outdir / ".doctrees" / "confarchive-search-index.log").write_text(
        "Traceback (most recent call last):\nRuntimeError: the pagefind process stopped\n", encoding="utf-8")
    (srcdir / "posts" / "harbour-2019.md").write_text(
        "---\ntitle: Harbour notes, the first year\ndate: 2019-06-01\n---\nA heron.\n", encoding="utf-8")
    again = build(*site)
    assert "the search index of the last build could not be written: RuntimeError: the pagefind process stopped" \
        in again.stderr
    assert "[confarchive.search_index]" in again.stderr
    wait_for_index(outdir / ".doctrees", timeout=120)


def test_an_indexer_is_let_go_on_only_once_its_build_told_it_to_put_its_index_in_place(tmp_path):
    from confarchive.search.index import _running_indexer

    doctrees = tmp_path / "doctrees"
    process = _fake_indexer(doctrees)
    pid_file = doctrees / "confarchive-search-index.pid"
    try:
        # started, not yet told: a build that stopped half-way would have it throw its index away
        assert _running_indexer(pid_file) == (process.pid, "")
        pid_file.write_text(f"{process.pid} digest install", encoding="utf-8")
        assert _running_indexer(pid_file) == (process.pid, "digest")
    finally:
        process.kill()
    process.wait()
    assert _running_indexer(pid_file) is None
