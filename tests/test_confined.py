"""Directives and roles that read files read them from the sources only (test-confined).

A post names a file outside the source folder with every construct that reads one, in
MyST and in reStructuredText: each is refused with a located ``confarchive.path``
warning, and no page, feed, search record or copied file of the site holds the
outside file's text.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOTS, warning_lines
from siteoutput import site_files

SECRET = "SECRET-WORDS-4F2A"
SECRET_CSV = "SECRET-CELL-9B1C"
#: the bytes of an image outside the sources
SECRET_PNG = b"\x89PNG\r\n\x1a\nSECRET-PIXELS-77E0"


def make_site(tmp_path: Path) -> Path:
    """test-confined copied into ``tmp_path/src``, with the secret files beside the copy."""
    (tmp_path / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text(f"a,b\n{SECRET_CSV},x\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(SECRET_PNG)
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-confined", srcdir)
    post = srcdir / "posts" / "leaky.md"
    post.write_text(post.read_text().replace("SECRET_ABSOLUTE", str(tmp_path / "secret.txt")))
    # a link inside the sources to a file outside them
    (srcdir / "parts" / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    return srcdir


def build(srcdir: Path, **overrides):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=overrides or None, status=StringIO(),
                        warning=StringIO())
    app.build()
    return app


@pytest.fixture(scope="module")
def confined(tmp_path_factory):
    """The built app, cleaned up at once: later tests of the module build apps of their own."""
    app = build(make_site(tmp_path_factory.mktemp("confined")))
    app.cleanup()
    return app


REFUSED = "the file is outside the source folder; nothing is read [confarchive.path]"


def test_each_construct_is_refused_at_its_line(confined):
    assert warning_lines(confined) == sorted([
        f"posts/leaky.md:10: WARNING: include of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:13: WARNING: include of '../parts/link-out.txt' refused: {REFUSED}",
        f"posts/leaky.md:16: WARNING: literalinclude of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:19: WARNING: literalinclude :diff: of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:23: WARNING: image of '../../secret.png' refused: {REFUSED}",
        f"posts/leaky.md:27: WARNING: figure of '../../secret.png' refused: {REFUSED}",
        "posts/leaky.md:31: WARNING: image '../../secret.png' is outside the source folder; it is left out of "
        "the page [confarchive.path]",
        "posts/leaky.md:33: WARNING: link to '../../secret.txt' is outside the source folder; only its text is "
        "kept [confarchive.path]",
        f"posts/leaky.md:36: WARNING: include of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:38: WARNING: literalinclude of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:40: WARNING: raw :file: of '../../secret.txt' refused: {REFUSED}",
        f"posts/leaky.md:43: WARNING: raw :file: of '{Path(confined.srcdir).parent / 'secret.txt'}' refused: "
        f"{REFUSED}",
        "posts/leaky.md:46: WARNING: raw :url: 'https://example.org/page.html' refused: a build reads no file "
        "from the network; nothing is read [confarchive.path]",
        f"posts/leaky.md:49: WARNING: csv-table :file: of '../../secret.csv' refused: {REFUSED}",
        "posts/leaky.md:52: WARNING: csv-table :url: 'https://example.org/table.csv' refused: a build reads no "
        "file from the network; nothing is read [confarchive.path]",
        f"posts/leaky.md:55: WARNING: image of '../../secret.png' refused: {REFUSED}",
        f"posts/leaky.md:58: WARNING: figure of '../../secret.png' refused: {REFUSED}",
    ])


def test_no_file_of_the_site_holds_the_outside_files(confined):
    files = site_files(Path(confined.outdir))
    # the page, its feed entries and its search record are all there...
    assert {"posts/leaky.html", "feeds/atom.xml", "pagefind/(records)"} <= set(files)
    assert b"Every construct below names a file outside" in files["pagefind/(records)"]
    # ...and none holds a word of the files outside, nor a copy of the image
    leaking = sorted(name for name, data in files.items()
                     if SECRET.encode() in data or SECRET_CSV.encode() in data or SECRET_PNG in data)
    assert leaking == []


def test_files_inside_the_sources_read_as_before(confined):
    article = BeautifulSoup((Path(confined.outdir) / "posts" / "leaky.html").read_text(encoding="utf-8"),
                            "html.parser").select_one("article")
    text = article.get_text(" ", strip=True)
    # MyST's include and the reStructuredText one, and literalinclude
    assert text.count("An included paragraph from inside the sources.") == 2
    assert "A literal line from inside the sources." in [pre.get_text().strip() for pre in article.select("pre")]
    assert "Every construct below names a file outside the source folder." in text


def test_confarchive_file_roots_widens_the_folders(tmp_path):
    # the folder above the sources, named from the source folder
    app = build(make_site(tmp_path), confarchive_file_roots=[".."])
    try:
        warnings = warning_lines(app)
        assert not [line for line in warnings if "confarchive.path" in line and ":url:" not in line]
        text = (Path(app.outdir) / "posts" / "leaky.html").read_text(encoding="utf-8")
        assert SECRET in text and SECRET_CSV in text
        # network reads stay refused, whatever the roots
        assert any("raw :url:" in line for line in warnings)
    finally:
        app.cleanup()
