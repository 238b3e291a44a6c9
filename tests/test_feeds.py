"""Atom feeds: valid for a real feed parser, absolute, escaped, incremental and parallel-safe."""

from __future__ import annotations

import os
import posixpath
import shutil
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from confarchive.archive.images import stable_image_name

from conftest import ROOTS, build_root, sphinx_build, warning_lines

BASE = "https://archive.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_AUTHOR = "<script>alert(1)</script>"
#: the listed, dated posts of the root, newest first
LISTED = ["posts/2018/pycon-lightning/index", "posts/2018/pycon-opening/index",
          "posts/2017/kubecon-day-two/index", "posts/2017/kubecon-keynotes/index"]
FEED_FILES = {"feeds/atom.xml", "feeds/events/kubecon-na-2017.xml", "feeds/events/pycon-us-2018.xml",
              "feeds/tags/kubernetes.xml", "feeds/tags/cncf.xml", "feeds/tags/python.xml"}
#: an old time given to feed files, so that any rewrite shows in their mtime
LONG_AGO = 1_000_000_000


def feed_files(outdir: Path) -> dict[str, bytes]:
    folder = outdir / "feeds"
    return {path.relative_to(outdir).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.xml"))}


def parsed(data: bytes) -> feedparser.FeedParserDict:
    """``data`` through feedparser, which must find it well-formed Atom 1.0."""
    result = feedparser.parse(data)
    assert result.bozo == 0, result.get("bozo_exception")
    assert result.version == "atom10"
    return result


def page_url(docname: str) -> str:
    return f"{BASE}{docname}.html"


def entry_urls(result: feedparser.FeedParserDict) -> list[str]:
    return [entry.link for entry in result.entries]


def rebuild(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """Build ``srcdir`` again into the output and doctrees of its previous build."""
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(), **kwargs)
    try:
        app.build()
    except BaseException:
        app.cleanup()  # else the next app finds this one's directives still registered
        raise
    return app


def touch_long_ago(outdir: Path) -> None:
    for path in (outdir / "feeds").rglob("*.xml"):
        os.utime(path, (LONG_AGO, LONG_AGO))


def mtimes(outdir: Path) -> dict[str, float]:
    return {path.relative_to(outdir).as_posix(): path.stat().st_mtime for path in (outdir / "feeds").rglob("*.xml")}


#: a post from the year 2999 is kept, but it is almost certainly a typo: the reader is told
FAR_FUTURE_WARNING = ("posts/2999/far-future/index.md:4: WARNING: date 2999-01-01 is more than a year in the future; "
                      "the post is kept, but listed only from that day [confarchive.date]")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The feeds root, built once: its output folder."""
    app = build_root("feeds", tmp_path_factory.mktemp("feeds") / "src")
    try:
        assert warning_lines(app) == [FAR_FUTURE_WARNING]
        return Path(app.outdir)
    finally:
        app.cleanup()


# --- the whole build -----------------------------------------------------------------


def test_every_feed_is_valid_atom_with_absolute_links(built):
    files = feed_files(built)
    assert set(files) == FEED_FILES
    for path, data in files.items():
        result = parsed(data)
        assert result.feed.id.startswith("tag:archive.example.org,2026:feed")
        links = {link.rel: link.href for link in result.feed.links}
        assert links["self"] == BASE + path
        assert links["alternate"].startswith(BASE)
        assert result.feed.generator == "confarchive"
        assert result.entries, path
        for entry in result.entries:
            assert entry.id.startswith("tag:archive.example.org,2026:posts/")
            assert entry.link.startswith(BASE) and entry.link.endswith("/index.html")
            assert entry.published_parsed and entry.updated_parsed
            assert entry.content[0].base == entry.link


def test_the_archive_feed_lists_the_newest_dated_posts(built):
    result = parsed((built / "feeds/atom.xml").read_bytes())
    assert result.feed.title == "Talks & Notes"
    assert {link.rel: link.href for link in result.feed.links}["alternate"] == BASE + "index.html"
    assert entry_urls(result) == [page_url(docname) for docname in LISTED]
    # the newest entry dates the feed; a date with its own zone keeps it
    assert result.feed.updated == "2018-05-12T17:00:00Z"
    day_two = result.entries[2]
    assert day_two.published == "2017-12-07T18:30:00+01:00"
    assert [author.name for author in day_two.authors] == ["Ada Writer", "Bo Reporter"]
    keynotes = result.entries[3]
    assert [tag.term for tag in keynotes.tags] == ["kubernetes", "cncf"]


def test_drafts_future_and_undated_posts_are_in_no_feed(built):
    everything = b"".join(feed_files(built).values())
    assert all(docname.encode() in everything for docname in LISTED)
    for docname in ("posts/2018/pycon-sprints/index", "posts/2999/far-future/index", "posts/undated/index"):
        assert docname.encode() not in everything
    assert not (built / "feeds/tags/unreleased.xml").exists()


def test_each_event_and_tag_has_its_feed(built):
    kubecon = parsed((built / "feeds/events/kubecon-na-2017.xml").read_bytes())
    assert kubecon.feed.title == "Talks & Notes: KubeCon + CloudNativeCon North America 2017"
    assert {link.rel: link.href for link in kubecon.feed.links}["alternate"] == (
        BASE + "archive/events/kubecon-na-2017.html")
    assert entry_urls(kubecon) == [page_url(docname) for docname in LISTED[2:]]
    pycon = parsed((built / "feeds/events/pycon-us-2018.xml").read_bytes())
    assert entry_urls(pycon) == [page_url(docname) for docname in LISTED[:2]]
    cncf = parsed((built / "feeds/tags/cncf.xml").read_bytes())
    assert cncf.feed.title == "Talks & Notes: Posts tagged cncf"
    assert {link.rel: link.href for link in cncf.feed.links}["alternate"] == BASE + "archive/tags/cncf.html"
    assert entry_urls(cncf) == [page_url("posts/2017/kubecon-keynotes/index")]
    kubernetes = parsed((built / "feeds/tags/kubernetes.xml").read_bytes())
    assert entry_urls(kubernetes) == [page_url(docname) for docname in LISTED[2:]]
    # every alternate page exists
    for data in feed_files(built).values():
        alternate = {link.rel: link.href for link in parsed(data).feed.links}["alternate"]
        assert (built / alternate.removeprefix(BASE)).is_file()


def test_entries_carry_the_summary_and_the_full_body(built):
    result = parsed((built / "feeds/atom.xml").read_bytes())
    keynotes, day_two = result.entries[3], result.entries[2]
    assert keynotes.summary == "The day-one keynotes, speaker by speaker."
    assert keynotes.summary_detail.type == "text/plain"
    # without a summary, the excerpt
    assert day_two.summary == "Day two was about operators, and the hallway track was louder than the talks."
    body = keynotes.content[0]
    assert body.type == "text/html"
    assert "The growth of the event was the first thing on every slide." in body.value
    # the image's relative path resolves against xml:base to the copied image
    image = BASE + "_images/" + stable_image_name("posts/2017/kubecon-keynotes/square.png")
    assert f'src="{image}"' in body.value
    assert (built / image.removeprefix(BASE)).is_file()
    # so do links to other posts
    assert f'href="{page_url("posts/2017/kubecon-keynotes/index")}"' in day_two.content[0].value


def test_a_hostile_title_and_author_stay_text(built):
    data = (built / "feeds/atom.xml").read_bytes()
    assert b"<img" not in data and b"<script" not in data
    entry = parsed(data).entries[0]
    assert entry.title == HOSTILE_TITLE
    assert entry.title_detail.type == "text/plain"
    assert entry.author == HOSTILE_AUTHOR
    # the XML itself holds exactly the text, escaped once
    root = ET.fromstring(data)
    first = root.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}title").text == HOSTILE_TITLE
    assert first.find(f"{ATOM}author/{ATOM}name").text == HOSTILE_AUTHOR


def alternate_feeds(page: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(link["title"], link["href"])
            for link in soup.head.find_all("link", rel="alternate", type="application/atom+xml")]


def test_pages_link_to_their_feeds(built):
    archive = ("Talks & Notes", BASE + "feeds/atom.xml")
    assert alternate_feeds(built / "index.html") == [archive]
    assert alternate_feeds(built / "posts/2017/kubecon-keynotes/index.html") == [archive]
    assert alternate_feeds(built / "search.html") == [archive]
    assert alternate_feeds(built / "archive/tags/python.html") == [
        archive, ("Talks & Notes: Posts tagged python", BASE + "feeds/tags/python.xml")]
    assert alternate_feeds(built / "archive/events/kubecon-na-2017.html") == [
        archive, ("Talks & Notes: KubeCon + CloudNativeCon North America 2017",
                  BASE + "feeds/events/kubecon-na-2017.xml")]


def visible_feeds(built: Path, page: str) -> list[tuple[str, str]]:
    """The feed links a reader sees on ``page``: their text and the file each leads to."""
    soup = BeautifulSoup((built / page).read_text(encoding="utf-8"), "html.parser")
    links = soup.select("article .confarchive-feed-links a")
    return [(a.get_text(), posixpath.normpath(posixpath.join(posixpath.dirname(page), a["href"]))) for a in links]


def test_lists_of_posts_show_their_feeds(built):
    archive = ("Atom feed of the whole archive", "feeds/atom.xml")
    assert visible_feeds(built, "index.html") == [archive]
    assert visible_feeds(built, "archive/tags/python.html") == [("Atom feed of this tag", "feeds/tags/python.xml"),
                                                                archive]
    assert visible_feeds(built, "archive/events/kubecon-na-2017.html") == [
        ("Atom feed of this event", "feeds/events/kubecon-na-2017.xml"), archive]
    assert visible_feeds(built, "archive/years/index.html") == [archive]
    for page in ("index.html", "archive/tags/python.html", "archive/events/kubecon-na-2017.html"):
        for _, target in visible_feeds(built, page):
            assert (built / target).is_file(), target
    # a post's own page has none: its text goes into the feeds as it is
    assert visible_feeds(built, "posts/2017/kubecon-keynotes/index.html") == []


# --- configuration -------------------------------------------------------------------


def test_show_drafts_puts_drafts_and_future_posts_in_the_feeds(tmp_path):
    app = build_root("feeds", tmp_path / "src", confoverrides={"confarchive_show_drafts": True})
    try:
        outdir = Path(app.outdir)
        result = parsed((outdir / "feeds/atom.xml").read_bytes())
        assert entry_urls(result)[:1] == [page_url("posts/2999/far-future/index")]
        assert page_url("posts/2018/pycon-sprints/index") in entry_urls(result)
        assert page_url("posts/undated/index") not in entry_urls(result)
        unreleased = parsed((outdir / "feeds/tags/unreleased.xml").read_bytes())
        assert entry_urls(unreleased) == [page_url("posts/2018/pycon-sprints/index")]
    finally:
        app.cleanup()


def test_feed_length_limits_every_feed(tmp_path):
    app = build_root("feeds", tmp_path / "src", confoverrides={"confarchive_feed_length": 1})
    try:
        outdir = Path(app.outdir)
        assert entry_urls(parsed((outdir / "feeds/atom.xml").read_bytes())) == [page_url(LISTED[0])]
        assert entry_urls(parsed((outdir / "feeds/tags/kubernetes.xml").read_bytes())) == [page_url(LISTED[2])]
    finally:
        app.cleanup()


def test_no_base_url_no_feeds_and_old_feeds_go(tmp_path):
    app = build_root("feeds", tmp_path / "src")
    app.cleanup()
    outdir = Path(app.outdir)
    assert (outdir / "feeds/atom.xml").is_file()
    app = rebuild(tmp_path / "src", confoverrides={"html_baseurl": ""})
    try:
        assert not (outdir / "feeds").exists()
        assert alternate_feeds(outdir / "index.html") == []
        # information, said once; not a warning
        assert app.status.getvalue().count("confarchive: no feeds: html_baseurl") == 1
        assert [line for line in warning_lines(app) if "confarchive" in line] == []
    finally:
        app.cleanup()


def test_dirhtml_feeds_link_to_directory_urls(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-feeds", srcdir)
    app = rebuild(srcdir, "dirhtml")
    try:
        result = parsed((Path(app.outdir) / "feeds/atom.xml").read_bytes())
        assert entry_urls(result)[-1] == BASE + "posts/2017/kubecon-keynotes/"
        image = stable_image_name("posts/2017/kubecon-keynotes/square.png")
        assert f'src="{BASE}_images/{image}"' in result.entries[-1].content[0].value
        assert {link.rel: link.href for link in result.feed.links}["alternate"] == BASE
    finally:
        app.cleanup()


# --- incremental and parallel builds -------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = path.stat().st_mtime + 10  # newer than anything the last build wrote
    os.utime(path, (later, later))


def test_incremental_builds_follow_the_posts(tmp_path):
    srcdir = tmp_path / "src"
    app = build_root("feeds", srcdir)
    app.cleanup()
    outdir, doctreedir = Path(app.outdir), Path(app.doctreedir)
    content = doctreedir / "confarchive-feed-content" / "html"

    # nothing changed: no feed is touched
    before = feed_files(outdir)
    touch_long_ago(outdir)
    rebuild(srcdir).cleanup()
    assert feed_files(outdir) == before
    assert set(mtimes(outdir).values()) == {LONG_AGO}

    # a post loses a tag and its text changes
    keynotes = srcdir / "posts/2017/kubecon-keynotes/index.md"
    edit(keynotes, "tags: [kubernetes, cncf]", "tags: [kubernetes]")
    edit(keynotes, "the first thing on every slide", "the last thing anyone mentioned")
    touch_long_ago(outdir)
    rebuild(srcdir).cleanup()
    assert not (outdir / "feeds/tags/cncf.xml").exists()  # its only post left it
    result = parsed((outdir / "feeds/atom.xml").read_bytes())
    assert [tag.term for tag in result.entries[3].tags] == ["kubernetes"]
    assert "the last thing anyone mentioned" in result.entries[3].content[0].value
    changed = {path for path, mtime in mtimes(outdir).items() if mtime != LONG_AGO}
    assert changed == {"feeds/atom.xml", "feeds/events/kubecon-na-2017.xml", "feeds/tags/kubernetes.xml"}

    # a post moves to another tag, one is deleted, one is added
    edit(srcdir / "posts/2017/kubecon-day-two/index.md", "tags: [kubernetes]", "tags: [operators]")
    shutil.rmtree(srcdir / "posts/2018/pycon-opening")
    added = srcdir / "posts/2018/pycon-closing/index.md"
    added.parent.mkdir(parents=True)
    added.write_text("---\ntitle: PyCon closes\nauthor: Bo Reporter\ndate: 2018-05-13 18:00\n"
                     "event: pycon-us-2018\ntags: [python]\n---\n\nThe closing keynote was short.\n",
                     encoding="utf-8")
    rebuild(srcdir).cleanup()
    assert entry_urls(parsed((outdir / "feeds/tags/kubernetes.xml").read_bytes())) == [
        page_url("posts/2017/kubecon-keynotes/index")]
    assert entry_urls(parsed((outdir / "feeds/tags/operators.xml").read_bytes())) == [
        page_url("posts/2017/kubecon-day-two/index")]
    assert entry_urls(parsed((outdir / "feeds/tags/python.xml").read_bytes())) == [
        page_url("posts/2018/pycon-closing/index"), page_url("posts/2018/pycon-lightning/index")]
    assert entry_urls(parsed((outdir / "feeds/atom.xml").read_bytes())) == [
        page_url(docname) for docname in ("posts/2018/pycon-closing/index", "posts/2018/pycon-lightning/index",
                                          "posts/2017/kubecon-day-two/index", "posts/2017/kubecon-keynotes/index")]
    assert not (content / "posts/2018/pycon-opening/index.body").exists()
    assert "The closing keynote was short." in (content / "posts/2018/pycon-closing/index.body").read_text()

    # the kept bodies are lost: the posts are written again, the feeds come out the same
    before = feed_files(outdir)
    shutil.rmtree(content)
    app = rebuild(srcdir)
    app.cleanup()
    assert feed_files(outdir) == before
    assert warning_lines(app) == []


def test_serial_and_parallel_builds_write_the_same_feeds(tmp_path):
    # as separate processes: a parallel build forks, and forking the test process, which
    # may hold the browser tests' threads, can leave children that never exit
    outputs = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"j{jobs}" / "src"
        shutil.copytree(ROOTS / "test-feeds", srcdir)
        result = sphinx_build(srcdir, srcdir.parent / "html", "-j", str(jobs))
        assert result.returncode == 0, result.stderr
        assert [line for line in result.stderr.splitlines() if "WARNING" in line] == \
            [f"{srcdir}/{FAR_FUTURE_WARNING}"]
        outputs[jobs] = feed_files(srcdir.parent / "html")
    assert set(outputs[1]) == FEED_FILES
    assert outputs[1] == outputs[2]
    for data in outputs[2].values():
        assert all(entry.content[0].value for entry in parsed(data).entries)


# --- the feed document itself ----------------------------------------------------------


def test_characters_xml_cannot_hold_are_dropped():
    from confarchive.model import Post
    from confarchive.publish.feeds import Feed, Site, render_feed

    post = Post(docname="posts/a b/index", title="Form\x0cfeed & <friends>", authors=(),
                date="2020-02-03 04:05:06", tags=("a&b",), excerpt="Bell\x07 rings.")
    feed = Feed("feeds/atom.xml", "archive", "", "Project", "index", (post,))
    site = Site(authority="example.org", page_url=lambda docname: f"https://example.org/{docname}.html",
                file_url=lambda path: f"https://example.org/{path}", default_author="Project")
    result = parsed(render_feed(feed, site, lambda docname: "<p>Tab\x0b here</p>"))
    entry = result.entries[0]
    assert entry.title == "Formfeed & <friends>"
    assert entry.summary == "Bell rings."
    assert entry.content[0].value == "<p>Tab here</p>"
    assert entry.id == "tag:example.org,2026:posts/a%20b/index"
    assert entry.updated == "2020-02-03T04:05:06Z"
    assert entry.author == "Project"  # a post without an author is credited to the project
    assert [tag.term for tag in entry.tags] == ["a&b"]
