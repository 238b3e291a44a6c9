"""Link integrity: ``confarchive check-links`` on a built site, and external links.

External links are checked by Sphinx's ``linkcheck`` builder with the archive's defaults
(``confarchive.linkcheck``), and sorted by ``confarchive linkcheck-report``. Nothing here
touches the network: ``test-linkcheck`` links to a server this test starts on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sphinx.builders.linkcheck import HyperlinkAvailabilityCheckWorker, _allowed_redirect, _Status
from sphinx.config import Config

from confarchive.cli import main
from confarchive.checks.linkcheck import (
    ALLOWED_REDIRECTS,
    ANCHORS_IGNORE_FOR_URL,
    RATE_LIMIT_TIMEOUT,
    _configure_linkcheck,
    _Worker,
)
from confarchive.checks.report import LinkcheckReport, read_results
from confarchive.checks.report import https_upgrade as _https_upgrade
from conftest import REPO, ROOTS


def confarchive(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "confarchive", *args], capture_output=True, text=True,
                          check=False, env={**os.environ, **(env or {})}, timeout=120)


def write(path: Path, html: str, head: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head>{head}</head><body>{html}</body></html>", encoding="utf-8")


# --- check-links ---------------------------------------------------------------------------


def test_check_links_prints_each_broken_link_and_fails(tmp_path, capsys):
    write(tmp_path / "index.html", """
        <a href="other.html#here">good</a>
        <a href="missing.html">no file</a>
        <a href="other.html#nowhere">no anchor</a>
        <a href="https://example.org/missing.html">external</a> <a href="mailto:a@example.org">mail</a>
        <img src="data:image/png;base64,AAAA">
    """)
    write(tmp_path / "other.html", '<h2 id="here">Here</h2><a href="index.html">back</a>')
    assert main(["check-links", str(tmp_path)]) == 1
    assert capsys.readouterr().out == (
        "index.html: missing.html (no such file)\n"
        "index.html: other.html#nowhere (no id 'nowhere' in other.html)\n"
        "2 pages, 4 internal links checked, 2 broken (site path /)\n"
    )


def test_check_links_passes_a_sound_site_served_under_a_path(tmp_path):
    # the site's path comes from the canonical link Sphinx writes when html_baseurl is set
    canonical = '<link rel="canonical" href="https://archive.example.org/en/latest/index.html">'
    write(tmp_path / "index.html", '<a href="/en/latest/posts/one.html#talk">a talk</a>', head=canonical)
    write(tmp_path / "posts" / "one.html", '<section id="talk"><a href="../index.html">home</a></section>')
    result = confarchive("check-links", str(tmp_path))
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "2 pages, 2 internal links checked, 0 broken (site path /en/latest/)\n", "")
    # a path given on the command line wins
    assert main(["check-links", str(tmp_path), "--site-path", "/"]) == 1


def test_check_links_needs_no_beautifulsoup(tmp_path):
    write(tmp_path / "index.html", '<a href="#top" id="top">top</a>')
    code = ("import sys; sys.modules['bs4'] = None\n"
            "from confarchive.cli import main\n"
            f"sys.exit(main(['check-links', {str(tmp_path)!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, "1 pages, 1 internal links checked, 0 broken (site path /)\n"), \
        result.stderr


def test_check_links_refuses_a_folder_without_pages(tmp_path, capsys):
    assert main(["check-links", str(tmp_path / "nowhere")]) == 2
    assert main(["check-links", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"confarchive check-links: {tmp_path / 'nowhere'} is not a folder\n"
        f"confarchive check-links: no .html pages in {tmp_path}\n"
    )


# --- the archive's linkcheck defaults -----------------------------------------------------------


def test_allowed_redirects_take_twitter_to_x_and_nowhere_else():
    # matched as Sphinx matches them: each pattern against a whole URL
    allowed = {re.compile(old): re.compile(new) for old, new in ALLOWED_REDIRECTS.items()}
    for old, new in [("https://twitter.com/adron", "https://x.com/adron"),
                     ("http://www.twitter.com/adron/status/1", "https://x.com/adron/status/1"),
                     ("https://mobile.twitter.com/adron", "https://mobile.x.com/adron"),
                     ("https://twitter.com", "https://x.com/")]:
        assert _allowed_redirect(old, new, allowed), (old, new)
    for old, new in [("https://twitter.com.example.org/adron", "https://x.com/adron"),
                     ("https://twitter.com/adron", "https://x.com.example.org/adron"),
                     ("https://example.org/twitter.com/adron", "https://x.com/adron"),
                     ("https://twitter.com/adron", "https://example.org/"),
                     ("http://example.org/page", "https://example.org/page")]:
        assert not _allowed_redirect(old, new, allowed), (old, new)


def test_https_upgrade_is_the_same_url_over_https_only():
    assert _https_upgrade("http://example.org/page#part", "https://example.org/page")
    assert _https_upgrade("http://example.org", "https://example.org/")
    assert not _https_upgrade("http://example.org/page", "https://example.org/other")
    assert not _https_upgrade("http://example.org/page", "https://example.net/page")
    assert not _https_upgrade("https://example.org/page", "http://example.org/page")


def bare_worker(**attributes) -> _Worker:
    """A worker with only the attributes its rate limiting and redirect checks read; no thread."""
    worker = object.__new__(_Worker)
    worker.__dict__.update({"rate_limits": {}, "rate_limit_timeout": RATE_LIMIT_TIMEOUT,
                            "https_upgrades": True, **attributes})
    return worker


def test_a_wait_longer_than_the_rate_limit_timeout_is_not_made():
    worker = bare_worker()
    url = "https://api.example.org/v1"
    assert worker.limit_rate(url, "3600") is None, "an hour's Retry-After: reported now"
    assert worker.rate_limits == {}, "and the host's other links are not held back"
    soon = worker.limit_rate(url, "30")
    assert soon is not None and 25 < soon - time.time() <= 30, "a short Retry-After is waited"
    assert "api.example.org" in worker.rate_limits


def test_an_https_upgrade_of_the_same_url_is_no_redirect(monkeypatch):
    answers = {"http://example.org/a": (_Status.REDIRECTED, "https://example.org/a", 301),
               "http://example.org/b": (_Status.REDIRECTED, "https://example.org/elsewhere", 301)}
    monkeypatch.setattr(HyperlinkAvailabilityCheckWorker, "_check", lambda self, docname, uri, link: answers[uri])
    worker = bare_worker()
    assert worker._check("index", "http://example.org/a", None) == (_Status.WORKING, "", 0)
    assert worker._check("index", "http://example.org/b", None) == answers["http://example.org/b"]
    worker.https_upgrades = False  # confarchive_linkcheck_https_upgrades = False
    assert worker._check("index", "http://example.org/a", None) == answers["http://example.org/a"]


def linkcheck_config(raw: dict, overrides: dict | None = None) -> Config:
    config = Config(raw, overrides or {})
    for name, default in [("linkcheck_allowed_redirects", None), ("linkcheck_rate_limit_timeout", 300.0),
                          ("linkcheck_anchors_ignore_for_url", ())]:
        config.add(name, default, "", ())
    return config


def test_defaults_apply_only_where_the_project_sets_none():
    config = linkcheck_config({})
    _configure_linkcheck(None, config)
    assert config.linkcheck_allowed_redirects == ALLOWED_REDIRECTS
    assert config.linkcheck_rate_limit_timeout == RATE_LIMIT_TIMEOUT
    assert list(config.linkcheck_anchors_ignore_for_url) == list(ANCHORS_IGNORE_FOR_URL)

    ours = {"linkcheck_allowed_redirects": {}, "linkcheck_rate_limit_timeout": 5.0}
    config = linkcheck_config(ours, {"linkcheck_anchors_ignore_for_url": [r"https://example\.org/"]})
    _configure_linkcheck(None, config)
    assert config.linkcheck_allowed_redirects == {}
    assert config.linkcheck_rate_limit_timeout == 5.0
    assert config.linkcheck_anchors_ignore_for_url == [r"https://example\.org/"]


# --- linkcheck-report, on results written by hand ----------------------------------------------------

#: one result of each kind, in the form of Sphinx's output.json
RESULTS = [
    ("index.md", 3, "working", 0, "https://example.org/", ""),
    ("posts/a.md", 12, "broken", 0, "https://example.org/gone",
     "404 Client Error: Not Found for url: https://example.org/gone"),
    ("posts/a.md", 14, "broken", 0, "https://example.org/page#part", "Anchor 'part' not found"),
    ("posts/a.md", 20, "broken", 0, "slides.pdf", ""),
    ("posts/b.md", 5, "broken", 0, "https://api.example.org/v1",
     "429 Client Error: Too Many Requests for url: https://api.example.org/v1"),
    ("posts/b.md", 7, "broken", 0, "https://x.com/someone",
     "403 Client Error: Forbidden for url: https://x.com/someone"),
    ("posts/b.md", 8, "broken", 0, "https://twitter.com/someone/status/1", "unauthorized"),
    ("posts/b.md", 9, "working", 0, "https://twitter.com/another", ""),
    ("posts/c.md", 2, "redirected", 301, "https://twitter.com/someone", "https://x.com/someone"),
    ("posts/c.md", 3, "redirected", 308, "http://example.org/a", "https://example.org/a"),
    ("posts/c.md", 4, "redirected", 302, "https://example.org/old", "https://example.org/new"),
    ("posts/d.md", 1, "timeout", 0, "https://slow.example.org/",
     "HTTPSConnectionPool(host='slow.example.org', port=443): Read timed out. (read timeout=30)"),
    ("posts/d.md", 2, "ignored", 0, "https://down.example.org/", "service unavailable"),
    ("posts/d.md", 3, "unchecked", 0, "mailto:someone@example.org", ""),
    ("posts/d.md", 4, "ignored", 0, "https://ignored.example.org/", ""),
]


def write_results(folder: Path, rows) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(dict(zip(("filename", "lineno", "status", "code", "uri", "info"), row, strict=True)))
             for row in rows]
    (folder / "output.json").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return folder


X_WHY = "X's answer to a robot proves nothing; check it by hand"


def test_report_sorts_each_kind_and_fails_on_broken_links_only(tmp_path, capsys):
    folder = write_results(tmp_path / "linkcheck", RESULTS)
    assert main(["linkcheck-report", str(folder), "--source-dir", "docs"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "docs/posts/a.md:12: https://example.org/gone (broken: 404 Not Found)",
        "docs/posts/a.md:14: https://example.org/page#part (broken: Anchor 'part' not found)",
        "docs/posts/a.md:20: slides.pdf (broken: no such file)",
        "docs/posts/b.md:5: https://api.example.org/v1 (rate-limited: 429 Too Many Requests: not a failure, "
        "check it again later)",
        f"docs/posts/b.md:7: https://x.com/someone (unverifiable: 403 Forbidden: {X_WHY})",
        f"docs/posts/b.md:8: https://twitter.com/someone/status/1 (unverifiable: unauthorized: {X_WHY})",
        "docs/posts/d.md:1: https://slow.example.org/ (unavailable: no answer in time: read timed out)",
        "docs/posts/d.md:2: https://down.example.org/ (unavailable: 503 Service Unavailable: check it again later)",
        "docs/posts/c.md:2: https://twitter.com/someone (redirected: moved permanently to https://x.com/someone; "
        "fine: twitter.com is x.com now)",
        "docs/posts/c.md:3: http://example.org/a (redirected: moved permanently to https://example.org/a; "
        "fine: the same address over https)",
        "docs/posts/c.md:4: https://example.org/old (redirected: moved with Found to https://example.org/new; "
        "update the link)",
        "15 links: 3 broken, 1 rate-limited, 3 unverifiable, 2 unavailable, 3 redirected (2 fine), 1 ok, "
        "2 not checked",
    ]


def test_report_passes_when_nothing_is_broken(tmp_path):
    rows = [row for row in RESULTS if not (row[2] == "broken" and row[4].startswith(("https://example", "slides")))]
    report = LinkcheckReport(read_results(write_results(tmp_path, rows)))
    assert report.exit_status == 0
    assert report.summary() == ("12 links: 0 broken, 1 rate-limited, 3 unverifiable, 2 unavailable, "
                                "3 redirected (2 fine), 1 ok, 2 not checked")


def test_report_without_results_is_an_error(tmp_path, capsys):
    assert main(["linkcheck-report", str(tmp_path)]) == 2
    (tmp_path / "output.json").write_text('{"filename": "index.md"}\n', encoding="utf-8")
    assert main(["linkcheck-report", str(tmp_path / "output.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"confarchive linkcheck-report: no {tmp_path / 'output.json'}: run sphinx-build")
    assert f"confarchive linkcheck-report: {tmp_path / 'output.json'}:1: not a linkcheck result" in err


# --- the linkcheck builder on test-linkcheck, against a local server -----------------------------------


class Site(http.server.BaseHTTPRequestHandler):
    """A page, a gone page, a host that asks for an hour's pause, and a moved page."""

    requests: Counter = Counter()

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, *, body: bool) -> None:
        Site.requests[self.path] += 1
        if self.path in ("/keynote", "/schedule"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            page = b"<!doctype html><title>ok</title>"
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            if body:
                self.wfile.write(page)
            return
        if self.path == "/busy":
            self.send_response(429)
            self.send_header("Retry-After", "3600")
        elif self.path == "/old-schedule":
            self.send_response(301)
            self.send_header("Location", "/schedule")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Site.requests.clear()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_linkcheck_of_a_site_sorts_broken_rate_limited_and_moved_links(tmp_path, site):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-linkcheck", srcdir)
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("127.0.0.1:PORT", f"127.0.0.1:{site}"))
    outdir = tmp_path / "linkcheck"
    # no proxy may stand between Sphinx and the local server
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    env |= {"NO_PROXY": "127.0.0.1", "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    started = time.monotonic()
    try:
        built = subprocess.run([sys.executable, "-m", "sphinx", "-b", "linkcheck", "-q", "-N", str(srcdir),
                                str(outdir)], capture_output=True, text=True, env=env, check=False,
                               timeout=RATE_LIMIT_TIMEOUT - 10)
    except subprocess.TimeoutExpired:
        pytest.fail("the linkcheck builder waited for the 429's Retry-After of an hour")
    assert (outdir / "output.json").is_file(), built.stderr
    assert time.monotonic() - started < RATE_LIMIT_TIMEOUT - 10
    # the archive's linkcheck_allowed_redirects are set: Sphinx warns of any other redirect
    assert f"index.md:9: WARNING: redirect  http://127.0.0.1:{site}/old-schedule - permanently to " in built.stderr
    assert Site.requests["/busy"] == 1, "the rate-limited host is asked once, not again after a pause"

    report = confarchive("linkcheck-report", str(outdir))
    assert report.returncode == 1, report.stdout + report.stderr
    base = f"http://127.0.0.1:{site}"
    assert report.stdout.splitlines() == [
        f"index.md:5: {base}/gone (broken: 404 Not Found)",
        f"index.md:7: {base}/busy (rate-limited: 429 Too Many Requests: not a failure, check it again later)",
        f"index.md:9: {base}/old-schedule (redirected: moved permanently to {base}/schedule; update the link)",
        "4 links: 1 broken, 1 rate-limited, 0 unverifiable, 0 unavailable, 1 redirected (0 fine), 1 ok, "
        "0 not checked",
    ]


# --- make and CI ----------------------------------------------------------------------------


def test_ci_checks_internal_links_after_the_strict_build_and_leaves_external_ones():
    steps = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()
             if line.strip().startswith("make ")]
    assert steps[steps.index("make strict") + 1] == "make check-links"
    assert "make linkcheck" not in steps, "external links need the internet, which CI has not"
    makefile = (REPO / "Makefile").read_text()
    assert "\t$(BIN)/confarchive check-links $(BUILDDIR)/html\n" in makefile
    assert re.search(r'@echo "make check-links .*"', makefile)
    assert re.search(r'@echo "make linkcheck .*internet.*"', makefile)
