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
    post.write_text(post.read_text().replace("SECRET_ABSOLUTE", str(tmp_path / "secret.txt"))
                    .replace("SECRET_CSV_ABSOLUTE", str(tmp_path / "secret.csv")))
    # links inside the sources to files outside them: a file, an image a pattern finds,
    # a folder of documents; and a link that loops
    (srcdir / "parts" / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (srcdir / "parts" / "pic.png").symlink_to(tmp_path / "secret.png")
    (srcdir / "parts" / "loop").symlink_to(srcdir / "parts" / "loop")
    outside = tmp_path / "outside-posts"
    outside.mkdir()
    (outside / "elsewhere.md").write_text(f"---\ntitle: Elsewhere\ndate: 2020-01-02\nauthor: X\n---\n\n{SECRET}\n")
    (srcdir / "posts" / "shared").symlink_to(outside)
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
    loops = "cannot be read as a path; nothing is read [confarchive.path]"
    assert warning_lines(confined) == sorted([
        "WARNING: parts/link-out.txt: a symbolic link that leads outside the source folder; nothing is read "
        "through it [confarchive.path]",
        "WARNING: parts/pic.png: a symbolic link that leads outside the source folder; nothing is read "
        "through it [confarchive.path]",
        "WARNING: parts/loop: a symbolic link that leads outside the source folder; nothing is read "
        "through it [confarchive.path]",
        "WARNING: posts/shared: a symbolic link that leads outside the source folder; nothing is read "
        "through it [confarchive.path]",
        "posts/leaky.md:76: WARNING: image 'x:/../../../secret.png' is outside the source folder; it is left out "
        "of the page [confarchive.path]",
        "posts/leaky.md:78: WARNING: link to 'x:/../../../secret.txt' is outside the source folder; only its text "
        "is kept [confarchive.path]",
        f"posts/leaky.md:80: WARNING: include of '<{Path(confined.srcdir).parent / 'secret.txt'}>' refused: the "
        "file is outside docutils' standard includes; nothing is read [confarchive.path]",
        f"posts/leaky.md:84: WARNING: include of '<{Path(confined.srcdir).parent / 'secret.txt'}>' refused: the "
        "file is outside docutils' standard includes; nothing is read [confarchive.path]",
        f"posts/leaky.md:86: WARNING: csv-table :file: of '{Path(confined.srcdir).parent / 'secret.csv'}' "
        f"refused: {REFUSED}",
        "posts/leaky.md:90: WARNING: image '../parts/pic.*' is outside the source folder; it is left out of "
        "the page [confarchive.path]",
        "posts/leaky.md:92: WARNING: image '../parts/loop' cannot be read as a path; it is left out of the "
        "page [confarchive.path]",
        f"posts/leaky.md:94: WARNING: include of '../parts/loop' refused: the file {loops}",
        f"table.txt:2: WARNING: csv-table :file: of '/secret.csv' refused: {REFUSED}",
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
    # a figure keeps the label Sphinx's figure gives it
    assert article.select_one("figure#fig-inside") is not None
    assert [a["href"] for a in article.select("a.reference.internal") if "fig-inside" in a["href"]] == [
        "#fig-inside"]


def test_documents_reached_through_a_link_out_are_not_built(confined):
    outdir = Path(confined.outdir)
    assert not (outdir / "posts" / "shared").exists()
    assert not list(outdir.rglob("elsewhere*"))


def test_a_language_variant_that_leads_out_is_refused(tmp_path):
    srcdir = tmp_path / "src"
    (srcdir / "posts").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(SECRET_PNG)
    (srcdir / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\nlanguage = "de"\n')
    (srcdir / "index.md").write_text("# Home\n")
    (srcdir / "posts" / "p.md").write_text("---\ntitle: P\ndate: 2020-01-01\nauthor: A\norphan: true\n---\n\n"
                                           "![picture](pic.png)\n")
    (srcdir / "posts" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\ninside")
    # Sphinx takes pic.de.png for pic.png when the language is German
    (srcdir / "posts" / "pic.de.png").symlink_to(tmp_path / "secret.png")
    app = build(srcdir)
    try:
        assert [line for line in warning_lines(app) if "pic" in line] == [
            "WARNING: posts/pic.de.png: a symbolic link that leads outside the source folder; nothing is read "
            "through it [confarchive.path]",
            "posts/p.md:8: WARNING: image 'pic.png' is outside the source folder; it is left out of the page "
            "[confarchive.path]",
        ]
        assert not [path for path in Path(app.outdir).rglob("*.png") if SECRET_PNG in path.read_bytes()]
    finally:
        app.cleanup()


def test_file_roots_must_be_a_list(tmp_path):
    # a string in conf.py would be read a character at a time: "/" among them
    from sphinx.errors import ConfigError

    srcdir = make_site(tmp_path)
    (srcdir / "conf.py").write_text((srcdir / "conf.py").read_text() + 'confarchive_file_roots = "../snippets/"\n')
    with pytest.raises(ConfigError, match=r"confarchive_file_roots = '\.\./snippets/': must be list or tuple"):
        build(srcdir)


def test_confarchive_file_roots_widens_the_folders(tmp_path):
    # the folder above the sources, named from the source folder
    app = build(make_site(tmp_path), confarchive_file_roots=[".."])
    try:
        warnings = warning_lines(app)
        assert not [line for line in warnings if "confarchive.path" in line and ":url:" not in line
                    and "loop" not in line and "standard includes" not in line]
        text = (Path(app.outdir) / "posts" / "leaky.html").read_text(encoding="utf-8")
        assert SECRET in text and SECRET_CSV in text
        # network reads stay refused, whatever the roots
        assert any("raw :url:" in line for line in warnings)
    finally:
        app.cleanup()
