"""Serial and parallel builds give the same site, same-named images of different posts included."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from confarchive.archive.images import stable_image_name
from conftest import sphinx_build
from siteoutput import differences, site_files

CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'
#: enough posts for Sphinx to read them in four chunks, the last two in processes forked once
#: the first two were merged (which forget them: ``archive.build.lighten_reader``)
POSTS = 40


def make_root(srcdir: Path) -> None:
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(CONF)
    (srcdir / "index.md").write_text("# Home\n\n:::{postlist}\n:::\n")
    for number in range(1, POSTS + 1):
        folder = srcdir / "posts" / f"p{number}"
        folder.mkdir(parents=True)
        # every post has a picture named like every other's, each a picture of its own
        (folder / "slide.png").write_bytes(b"\x89PNG\r\n\x1a\n" + f"picture of post {number}".encode())
        (folder / "index.md").write_text(
            f"---\ntitle: Post {number}\ndate: 2020-01-{number % 28 + 1:02d}\nauthor: Writer\ntags: [t{number % 3}]\n---\n\n"
            f"![The slide of post {number}](slide.png)\n\nText of post {number}.\n\n## Talk {number}\n\n"
            f":::{{speaker}} Speaker {number % 4}\n:twitter: sp{number % 4}\n:::\n\nThe talk.\n")


def test_serial_and_parallel_builds_are_identical(tmp_path):
    sites = {}
    for jobs in ("1", "2"):
        make_root(tmp_path / f"src{jobs}")
        result = sphinx_build(tmp_path / f"src{jobs}", tmp_path / f"html{jobs}", "-W", "-j", jobs)
        assert result.returncode == 0, result.stderr
        sites[jobs] = site_files(tmp_path / f"html{jobs}")
    assert differences(sites["1"], sites["2"]) == []


def test_each_post_shows_and_announces_its_own_picture(tmp_path):
    make_root(tmp_path / "src")
    result = sphinx_build(tmp_path / "src", tmp_path / "html", "-W", "-j", "2")
    assert result.returncode == 0, result.stderr
    for number in range(1, POSTS + 1):
        name = stable_image_name(f"posts/p{number}/slide.png")
        page = BeautifulSoup((tmp_path / "html" / "posts" / f"p{number}" / "index.html").read_text(), "html.parser")
        assert page.select_one("article img")["src"] == f"../../_images/{name}"
        assert page.find("meta", property="og:image")["content"] == f"https://archive.example.org/_images/{name}"
        assert (tmp_path / "html" / "_images" / name).read_bytes().endswith(f"picture of post {number}".encode())
