"""Redirects from old URLs, read from the data file the import writes, made by sphinx-reredirects."""

from __future__ import annotations

import re

import pytest
from confarchive.text.redirects import redirect_source

from conftest import build_root, warning_lines


@pytest.mark.parametrize(("old", "source"), [
    ("/articles/moved-post/", "articles/moved-post/index"),
    ("/2017/12/06/moved-post.html", "2017/12/06/moved-post"),
    ("/old/moved", "old/moved/index"),
    ("https://blog.example.org/a%20b/", "a b/index"),
    ("/", "index"),
    ("/files/slides.pdf", None),
    ("/../../etc/", None),
])
def test_redirect_source(old, source):
    assert redirect_source(old) == source


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("import-redirects", tmp_path_factory.mktemp("redirects") / "src")
    yield app
    app.cleanup()


def target(app, path: str) -> str:
    page = (app.outdir / path).read_text(encoding="utf-8")
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page).group(1)


def test_each_old_address_sends_the_reader_to_the_new_page(built):
    assert target(built, "articles/moved-post/index.html") == "../../posts/2017/moved-post/index.html"
    assert target(built, "2017/12/06/moved-post.html") == "../../../posts/2017/moved-post/index.html"
    assert target(built, "old/moved/index.html") == "../../posts/2017/moved-post/index.html"
    for path in ("articles/moved-post/index.html", "2017/12/06/moved-post.html", "old/moved/index.html"):
        assert (built.outdir / path).parent.joinpath(target(built, path)).resolve().is_file()


def test_bad_entries_warn_with_their_line_and_real_pages_stay(built):
    assert warning_lines(built) == [
        "redirects.yaml:5: WARNING: redirects file: '/kept.html' is a page of this site; not replaced by a "
        "redirect [confarchive.data_file]",
        "redirects.yaml:6: WARNING: redirects file: '/articles/gone/' leads to 'posts/2017/no-such-post/index', "
        "which is not a page of this site; skipped [confarchive.data_file]",
        "redirects.yaml:7: WARNING: redirects file: '/files/slides.pdf' is not an address a page can answer for; "
        "skipped [confarchive.data_file]",
        "redirects.yaml:8: WARNING: redirects file: '/articles/empty/': the page must be a document name, not "
        "None [confarchive.data_file]",
    ]
    assert "This page is not replaced by a redirect." in (built.outdir / "kept.html").read_text(encoding="utf-8")
    assert not (built.outdir / "articles" / "gone").exists()


def test_conf_py_redirects_win(tmp_path):
    app = build_root("import-redirects", tmp_path / "src",
                     confoverrides={"redirects": {"articles/moved-post/index": "https://example.org/elsewhere"}})
    try:
        assert target(app, "articles/moved-post/index.html") == "https://example.org/elsewhere"
        assert target(app, "old/moved/index.html") == "../../posts/2017/moved-post/index.html"
    finally:
        app.cleanup()
