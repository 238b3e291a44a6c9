"""Lists of posts: bounded excerpts that keep their structure, "Continue reading", numbered pages."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import sphinx_build

CONF = ('extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'
        "confarchive_posts_per_page = 2\n"
        "confarchive_excerpt_words = 12\n")
LONG = " ".join(f"word{number}" for number in range(1, 41))


def post(number: int, body: str, summary: str | None = None) -> str:
    front = f"---\ntitle: Post {number}\ndate: 2019-05-{number:02d}\ntags: [talks]\nauthor: Ann Lee\n"
    if summary:
        front += f"summary: {summary}\n"
    return front + "---\n\n" + body


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("listings") / "src"
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text("# Home\n\n:::{postlist}\n:paginate:\n:::\n")
    posts = {
        1: post(1, f"{LONG}\n"),
        2: post(2, "Three things we learnt:\n\n- small images\n- fewer fonts\n- no trackers\n\n"
                   "## After lunch\n\nThe hallway track.\n\n<!-- more -->\n\nThe rest.\n"),
        3: post(3, "[Embedded content from www.slideshare.net](https://www.slideshare.net/x)\n\n"
                   "The slides were shared.\n\n<!-- more -->\n\nMore.\n"),
        4: post(4, "A body that is not shown.\n", summary="The summary, shown instead."),
        5: post(5, "Short.\n"),
    }
    for number, text in posts.items():
        (src / "posts" / f"p{number}.md").write_text(text, encoding="utf-8")
    result = sphinx_build(src, src.parent / "html", "-W", "--keep-going")
    assert result.returncode == 0, result.stderr
    return src.parent / "html"


def summaries(site: Path, page: str) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return {box.select_one(".confarchive-post-title").get_text(strip=True): box
            for box in soup.select("article .confarchive-post-summary")}


def all_summaries(site: Path) -> dict[str, BeautifulSoup]:
    found: dict[str, BeautifulSoup] = {}
    for page in ["index.html", "archive/page/2.html", "archive/page/3.html"]:
        found.update(summaries(site, page))
    return found


def test_excerpts_are_bounded_and_keep_their_structure(site):
    shown = all_summaries(site)
    assert sorted(shown) == [f"Post {number}" for number in range(1, 6)]
    long = [p.get_text() for p in shown["Post 1"].select(".confarchive-excerpt")]
    assert long == [" ".join(f"word{number}" for number in range(1, 13)) + " …"]
    listed = shown["Post 2"]
    assert [p.get_text() for p in listed.select("p.confarchive-excerpt")] == ["Three things we learnt:"]
    # twelve words: 4 + 2 + 2 + 2, then the heading and the last two words
    assert [li.get_text(strip=True) for li in listed.select("ul.confarchive-excerpt-list li")] == [
        "small images", "fewer fonts", "no trackers"]
    assert [p.get_text() for p in listed.select(".confarchive-excerpt-heading")] == []
    assert "The rest" not in listed.get_text()
    assert [p.get_text() for p in shown["Post 3"].select(".confarchive-excerpt")] == ["The slides were shared."]
    assert "Embedded content" not in shown["Post 3"].get_text()
    assert [p.get_text() for p in shown["Post 4"].select(".confarchive-excerpt")] == ["The summary, shown instead."]
    for title, box in shown.items():
        more = box.select_one("a.confarchive-continue")
        assert more.get_text() == "Continue reading →", title
        assert more["href"].endswith(f"posts/p{title.split()[1]}.html")


def test_a_heading_in_an_excerpt_is_kept_when_words_are_left(tmp_path):
    src = tmp_path / "src"
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF.replace("= 12", "= 40"))
    (src / "index.md").write_text("# Home\n\n:::{postlist}\n:::\n")
    (src / "posts" / "p.md").write_text(post(1, "Intro.\n\n## After lunch\n\nThe hallway track.\n\n<!-- more -->\n\n"
                                               "Rest.\n"), encoding="utf-8")
    assert sphinx_build(src, tmp_path / "html", "-W").returncode == 0
    box = summaries(tmp_path / "html", "index.html")["Post 1"]
    assert [(p.get("class"), p.get_text()) for p in box.select("p.confarchive-excerpt")] == [
        (["confarchive-excerpt"], "Intro."), (["confarchive-excerpt", "confarchive-excerpt-heading"], "After lunch"),
        (["confarchive-excerpt"], "The hallway track.")]


def pager(site: Path, page: str) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    numbers = soup.select_one("article .confarchive-pager .confarchive-page-numbers")
    out = []
    for child in numbers.find_all(["a", "span"], recursive=False):
        href = child.get("href")
        out.append((child.get_text(), posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
                    if href else None))
    return out


def test_tag_author_and_year_pages_are_paginated_with_page_numbers(site):
    for base in ("archive/tags/talks", "archive/authors/ann-lee", "archive/years/2019"):
        pages = [f"{base}.html", f"{base}/page/2.html", f"{base}/page/3.html"]
        assert not (site / f"{base}/page/4.html").exists()
        titles = []
        for number, page in enumerate(pages, start=1):
            titles += list(summaries(site, page))
            assert pager(site, page) == [(str(other), None if other == number else pages[other - 1])
                                         for other in (1, 2, 3)], page
            text = " ".join(BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
                            .select_one("article .confarchive-pager").get_text(" ").split())
            assert f"Page {number} of 3" in text
            assert ("Newer posts" in text) == (number > 1) and ("Older posts" in text) == (number < 3)
        assert titles == [f"Post {number}" for number in (5, 4, 3, 2, 1)], base
    heading = BeautifulSoup((site / "archive/tags/talks/page/2.html").read_text(encoding="utf-8"),
                            "html.parser").select_one("article h1").get_text()
    assert re.sub(r"\W+$", "", heading) == "Posts tagged talks, page 2"
