"""Incremental builds equal clean builds, for every kind of change a writer makes (test-changes).

Each change is made to a built copy of the root; the copy is built again, incrementally,
into the same folder, and the same sources are built clean into another. The two sites
must be the same, file for file (Pagefind's index compared by its records, see
:mod:`siteoutput`). The same changes run on the imported 136-post blog where
``../shared`` is beside the checkout.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOTS, need_shared, sphinx_build
from siteoutput import differences, site_files

Change = Callable[[Path], None]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_post(srcdir: Path, folder: str, front: str, body: str = "Intro.\n") -> None:
    path = srcdir / "posts" / folder / "index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}author: Writer\n---\n\n{body}", encoding="utf-8")


#: the changes, by name, as made to test-changes
CHANGES: dict[str, Change] = {
    "text edited": lambda src: edit(src / "posts/2021/gamma/index.md", "What was said", "What was really said"),
    "date changed": lambda src: edit(src / "posts/2020/beta/index.md", "date: 2020-05-02", "date: 2021-06-01"),
    "event and tags changed": lambda src: edit(src / "posts/2020/alpha/index.md", "event: alpha-conf\ntags: [cloud, go]",
                                               "event: beta-conf\ntags: [rust]"),
    "speaker renamed": lambda src: edit(src / "speakers.yaml", "name: Ana Lima", "name: Ana M. Lima"),
    "speaker aliased": lambda src: (src / "speakers.yaml").write_text(
        (src / "speakers.yaml").read_text() + "cy:\n  name: Cy Diaz\n  aliases: [Cyrus Diaz]\n"),
    "event renamed": lambda src: edit(src / "events.yaml", "name: Alpha Conf 2020", "name: Alpha Conference 2020"),
    "event aliased": lambda src: edit(src / "events.yaml", "  location: Lisbon\n",
                                      "  location: Lisbon\n  aliases: [AC20]\n"),
    "post deleted": lambda src: shutil.rmtree(src / "posts/2020/beta"),
    "post moved": lambda src: (src / "posts/2021/delta").rename(src / "posts/2021/delta-moved"),
    "draft added": lambda src: new_post(src, "2021/sketch", "title: A sketch\ndate: 2021-07-01\nevent: beta-conf\n"
                                        "tags: [cloud, sketches]\ndraft: true\n",
                                        "Intro.\n\n## A talk\n\n:::{speaker} Fay Sketch\n:::\n\nWords.\n"),
    "draft removed": lambda src: shutil.rmtree(src / "posts/2021/draft"),
    "draft published": lambda src: edit(src / "posts/2021/draft/index.md", "draft: true\n", ""),
    "future post added": lambda src: new_post(src, "2999/later", "title: Later\ndate: 2999-01-01\nevent: beta-conf\n"
                                              "tags: [cloud]\n"),
    "image replaced": lambda src: shutil.copyfile(src / "posts/2020/beta/slide.png",
                                                  src / "posts/2020/alpha/slide.png"),
    "config changed": lambda src: edit(src / "conf.py", "confarchive_posts_per_page = 2",
                                       "confarchive_posts_per_page = 3"),
}


def build(srcdir: Path, outdir: Path) -> dict[str, bytes]:
    result = sphinx_build(srcdir, outdir, "--keep-going")
    assert result.returncode == 0, result.stderr
    return site_files(outdir)


@pytest.fixture(scope="module")
def root() -> Path:
    """The sources every test of test-changes starts from."""
    return ROOTS / "test-changes"


def changed_copy(sources: Path, tmp_path: Path, change: Change) -> tuple[Path, Path]:
    """``sources`` copied and built, then changed: (sources, output). Built in place, as a writer builds
    (an environment moved to another folder is one Sphinx starts afresh)."""
    shutil.copytree(sources, tmp_path / "src", symlinks=True)
    build(tmp_path / "src", tmp_path / "html")
    change(tmp_path / "src")
    return tmp_path / "src", tmp_path / "html"


@pytest.mark.parametrize("kind", CHANGES)
def test_an_incremental_build_equals_a_clean_one(root, tmp_path, kind):
    srcdir, outdir = changed_copy(root, tmp_path, CHANGES[kind])
    incremental = build(srcdir, outdir)
    clean = build(srcdir, tmp_path / "clean")
    assert differences(clean, incremental) == []


def test_a_deleted_post_is_gone_from_the_site(root, tmp_path):
    srcdir, outdir = changed_copy(root, tmp_path, CHANGES["post deleted"])
    files = build(srcdir, outdir)
    assert not [name for name in files if name.startswith(("posts/2020/beta", "_sources/posts/2020/beta", "old/beta"))]
    # nothing names it: not its title, its speaker, its address, its image
    named = re.compile(rb"Beta post|Bo Chen|posts/2020/beta|slide-" + stable_name(b"posts/2020/beta/slide.png"))
    assert sorted(name for name, data in files.items() if named.search(data)) == []
    # the server answers its address with the site's 404 page, the one page a missing address gets
    assert "404.html" in files


def stable_name(path: bytes) -> bytes:
    from confarchive.archive.images import stable_image_name

    return stable_image_name(path.decode()).split("-")[-1].encode()


# --- the imported blog ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blog(tmp_path_factory) -> Path:
    """The 136-post blog imported once (needs ../shared): the sources each test starts from."""
    import subprocess
    import sys

    source = need_shared("corpora", "adron-blog")
    root = tmp_path_factory.mktemp("blog-changes")
    srcdir = root / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\n'
                                    'html_baseurl = "https://archive.example.org/"\n'
                                    'suppress_warnings = ["image.not_readable", "confarchive.date"]\n')
    (srcdir / "index.md").write_text("# The archive\n\n:::{postlist}\n:paginate:\n:::\n")
    imported = subprocess.run([sys.executable, "-m", "confarchive", "import", str(source), "--into",
                               str(srcdir / "posts")], capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    return srcdir


def blog_post(srcdir: Path, slug: str) -> Path:
    [found] = srcdir.glob(f"posts/*/{slug}/index.md")
    return found


#: the changes, as made to the imported blog
BLOG_CHANGES: dict[str, Change] = {
    "text edited": lambda src: edit(blog_post(src, "kubecon-dayone-keynotes"), "\n---\n",
                                    "\n---\n\nAn added sentence.\n"),
    "date changed": lambda src: edit(blog_post(src, "kubecon-dayone-keynotes"), "date: 2017-12-06T08:57:22",
                                     "date: 2016-01-15T08:00:00"),
    "event and tags changed": lambda src: edit(blog_post(src, "kubecon-dayone-keynotes"), "tags: []",
                                               "event: Other Conf 2017\ntags: [kubernetes, other]"),
    "speaker renamed": lambda src: (src / "speakers.yaml").write_text("dankohn1:\n  name: Daniel Kohn\n"
                                                                      "  twitter: dankohn1\n"),
    "event renamed": lambda src: (src / "events.yaml").write_text(
        "kubecon-na-2017:\n  name: KubeCon North America 2017\n  aliases: [Other Conf 2017]\n"),
    "post deleted": lambda src: shutil.rmtree(blog_post(src, "kubecon-dayone-keynotes").parent),
    "post moved": lambda src: blog_post(src, "kubecon-dayone-keynotes").parent.rename(
        blog_post(src, "kubecon-dayone-keynotes").parent.with_name("kubecon-keynotes-moved")),
    "draft added": lambda src: new_post(src, "2017/sketch", "title: A sketch\ndate: 2017-12-07\ndraft: true\n"),
    "future post added": lambda src: new_post(src, "2999/later", "title: Later\ndate: 2999-01-01\n"),
    "image replaced": lambda src: next(blog_post(src, "kubecon-dayone-keynotes").parent.glob("*.png")).write_bytes(
        (ROOTS / "test-changes/posts/2020/alpha/slide.png").read_bytes()),
    "config changed": lambda src: (src / "conf.py").write_text((src / "conf.py").read_text()
                                                               + "confarchive_posts_per_page = 7\n"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("kind", BLOG_CHANGES)
def test_the_blog_builds_incrementally_as_clean(blog, tmp_path, kind):
    srcdir, outdir = changed_copy(blog, tmp_path, BLOG_CHANGES[kind])
    incremental = build(srcdir, outdir)
    clean = build(srcdir, tmp_path / "clean")
    assert differences(clean, incremental) == []
