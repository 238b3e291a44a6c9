"""Drafts and future posts are linked from nowhere a reader can reach (test-drafts).

The draft names a speaker of its own and one of the published post's, a tag of its own,
the shared event, and has an old address in ``redirects.yaml``; so does the post dated
in the future. Their words (``zebra``, ``quokka``, ``narwhal``) may stand in their own
pages only, in clean builds and in incremental ones, unless the build shows drafts.
"""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS, sphinx_build
from siteoutput import differences, site_files

HIDDEN_WORDS = re.compile(rb"zebra|quokka|narwhal", re.I)
#: the only files that may hold them: the hidden posts' own pages and sources
THEIR_OWN = {"posts/draft.html", "posts/future.html", "_sources/posts/draft.md.txt",
             "_sources/posts/future.md.txt"}


#: what the published post's links to the draft say, at the paragraph that holds them
LINKS_WAIT = sorted([
    "posts/published.md:19: WARNING: talk reference 'posts/draft#draft-keynote' names only what drafts or posts "
    "dated in the future hold; it stays text until they are published [confarchive.reference]",
    *["posts/published.md:19: WARNING: link to 'posts/draft', a draft or a post dated in the future, is left "
      "out until it is published; its text stays [confarchive.reference]"] * 3,
])


def build(srcdir: Path, outdir: Path, *args: str, warnings: list[str] | None = None) -> dict[str, bytes]:
    """Build; the site's files. The build warns of nothing but ``warnings`` (default: the links that wait)."""
    result = sphinx_build(srcdir, outdir, "--keep-going", *args)
    assert result.returncode == 0, result.stderr
    lines = sorted(line.replace(f"{srcdir}/", "") for line in result.stderr.splitlines() if "WARNING" in line)
    assert lines == (LINKS_WAIT if warnings is None else warnings)
    return site_files(outdir)


def mentioning(files: dict[str, bytes]) -> set[str]:
    found = {name for name, data in files.items() if HIDDEN_WORDS.search(data)}
    inventory = files.get("objects.inv")
    if inventory and HIDDEN_WORDS.search(zlib.decompress(inventory.split(b"\n", 4)[4])):
        found.add("objects.inv")
    return found


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = tmp_path_factory.mktemp("drafts")
    shutil.copytree(ROOTS / "test-drafts", root / "src")
    return root / "html", build(root / "src", root / "html")


def test_hidden_posts_are_mentioned_by_their_own_pages_only(clean):
    _, files = clean
    assert mentioning(files) == THEIR_OWN


def test_speaker_pages_and_index_count_published_talks_only(clean):
    outdir, files = clean
    assert not (outdir / "archive/speakers/draftquokka.html").exists()
    assert not (outdir / "archive/speakers/futurenarwhal.html").exists()
    index = soup(outdir, "archive/speakers/index.html").select_one("article").get_text(" ", strip=True)
    assert "Ana Lima (1)" in index
    talks = [a.get_text() for a in soup(outdir, "archive/speakers/analima.html").select("a.confarchive-talk-link")]
    assert talks == ["Opening keynote"]
    event = soup(outdir, "archive/events/open-conf-2020.html")
    assert [h.get_text() for h in event.select("h2.confarchive-heading")][0] == "Coverage (2 posts)"
    assert not (outdir / "archive/tags/zebra-secrets.html").exists()


def test_the_sitemap_lists_no_hidden_post(clean):
    _, files = clean
    sitemap = files["sitemap.xml"].decode()
    assert "posts/published.html" in sitemap and "posts/older.html" in sitemap
    assert "posts/draft.html" not in sitemap and "posts/future.html" not in sitemap


def test_no_redirect_leads_to_a_hidden_post(clean):
    outdir, _ = clean
    assert "posts/published.html" in (outdir / "old/published/index.html").read_text(encoding="utf-8")
    assert not (outdir / "old/draft/index.html").exists()
    assert not (outdir / "old/future/index.html").exists()


def test_neighbours_skip_hidden_posts_and_hidden_pages_ask_not_to_be_indexed(clean):
    outdir, _ = clean
    published = soup(outdir, "posts/published.html")
    assert [a["href"] for a in published.select("a.prev-page")] == ["older.html"]
    assert published.find("meta", attrs={"name": "robots"}) is None
    for page in ("posts/draft.html", "posts/future.html"):
        html = soup(outdir, page)
        assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert html.select("a.prev-page, a.next-page") == []


def test_an_incremental_build_that_adds_them_equals_a_clean_one(tmp_path, clean):
    _, clean_files = clean
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-drafts", srcdir)
    hidden = {path: path.read_text() for path in (srcdir / "posts" / "draft.md", srcdir / "posts" / "future.md",
                                                  srcdir / "redirects.yaml")}
    for path in hidden:
        path.unlink()
    (srcdir / "redirects.yaml").write_text("/old/published/: posts/published\n")
    published = srcdir / "posts" / "published.md"
    with_links = published.read_text()
    published.write_text(with_links.split("\nLinks that wait")[0] + "\n")
    build(srcdir, tmp_path / "html", warnings=[])
    published.write_text(with_links)
    for path, text in hidden.items():
        path.write_text(text)
    incremental = build(srcdir, tmp_path / "html")
    assert mentioning(incremental) == THEIR_OWN
    assert differences(clean_files, incremental) == []


def test_showing_drafts_lists_them_everywhere(tmp_path):
    shutil.copytree(ROOTS / "test-drafts", tmp_path / "src")
    files = build(tmp_path / "src", tmp_path / "html", "-D", "confarchive_show_drafts=1", warnings=[])
    shown = {"archive/speakers/draftquokka.html", "archive/tags/zebra-secrets.html", "old/draft/index.html"}
    assert shown <= set(files)
    assert "posts/draft.html" in files["sitemap.xml"].decode()


def test_links_to_hidden_posts_keep_their_text_only(clean):
    outdir, _ = clean
    article = soup(outdir, "posts/published.html").select_one("article")
    waiting = [span.get_text() for span in article.select(".confarchive-unpublished")]
    assert waiting == ["a draft", "a Markdown link", "a label"]
    assert "the draft’s keynote" in article.get_text()
    assert not [a for a in article.select("a[href]") if "draft" in a["href"]]


def test_drafts_rename_no_event_or_speaker(clean):
    outdir, files = clean
    article = soup(outdir, "posts/published.html").select_one("article")
    assert [a.get_text() for a in article.select("a.confarchive-event-link")] == ["Open Conf 2020"]
    assert [span.get_text() for span in article.select(".archive-event")] == ["Open Conf 2020"]
    # the card and the reference name the speaker as the published post does, not as the draft
    assert "Ana Aquokka" not in files["posts/published.html"].decode()
    assert b"OPEN CONF" not in files["feeds/events/open-conf-2020.xml"]


def test_redirects_written_by_hand_lead_to_no_hidden_post(clean):
    outdir, _ = clean
    assert sorted(path.name for path in (outdir / "old").glob("*.html")) == ["d.html"]


def test_a_future_post_whose_time_comes_is_listed_by_the_next_build(tmp_path, clean):
    import datetime as dt
    import time

    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-drafts", srcdir)
    soon = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(seconds=6)
    future = srcdir / "posts" / "future.md"
    future.write_text(future.read_text().replace("date: 2999-01-01", f"date: {soon.isoformat()}"))
    before = build(srcdir, tmp_path / "html")
    assert "posts/future.html" not in before["sitemap.xml"].decode()
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 1)
    incremental = build(srcdir, tmp_path / "html")
    assert "posts/future.html" in incremental["sitemap.xml"].decode()
    assert differences(build(srcdir, tmp_path / "clean"), incremental) == []
