"""Incremental builds: each change rewrites the post and the pages that list it, nothing else."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import sphinx_build

#: written on every build: Sphinx's index and search pages, sphinx-notfound-page's 404 page
SPHINX_ALWAYS = {"genindex.html", "search.html", "404.html"}
CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\nconfarchive_posts_per_page = 3\n'


def post(number: int, event: str, tags: list[str], date: str | None = None) -> str:
    return (
        f"---\ntitle: Post {number}\nauthor: Writer {number % 2}\ndate: {date or f'2020-0{number}-01'}\n"
        f"event: {event}\ntags: [{', '.join(tags)}]\n---\n"
        f"Intro of post {number}.\n\n## Talk {number}\n\n:::{{speaker}} Speaker {number}\n"
        f":twitter: sp{number}\n:::\n\nBody of {number}.\n"
    )


class Site:
    """A small archive in a temporary folder, built again and again into the same output."""

    def __init__(self, root: Path) -> None:
        self.src, self.out = root / "src", root / "html"
        (self.src / "posts").mkdir(parents=True)
        (self.src / "conf.py").write_text(CONF)
        (self.src / "index.md").write_text("# Home\n\n:::{postlist}\n:paginate:\n:::\n")
        for number in range(1, 7):
            self.write(number, "alpha-conf" if number <= 3 else "beta-conf", [f"t{number % 3}", "common"])
        self.build()

    def write(self, number: int, event: str, tags: list[str]) -> None:
        (self.src / "posts" / f"p{number}.md").write_text(post(number, event, tags))

    def build(self) -> dict[str, int]:
        """Build; the mtimes of every HTML page from before the build."""
        before = self.mtimes()
        result = sphinx_build(self.src, self.out, "-W")
        assert result.returncode == 0, result.stderr
        return before

    def mtimes(self) -> dict[str, int]:
        return {str(path.relative_to(self.out)): path.stat().st_mtime_ns for path in self.out.rglob("*.html")
                if ".doctrees" not in path.parts}

    def rewritten(self, before: dict[str, int]) -> set[str]:
        """Pages written by the last build, less the two Sphinx writes on every build."""
        after = self.mtimes()
        return {page for page, mtime in after.items() if before.get(page) != mtime} - SPHINX_ALWAYS

    def listed(self, page: str, follow: bool = True) -> list[str]:
        """Titles of the posts a page lists; with ``follow``, and those of the pages after it
        (its pager's "Older posts")."""
        html = BeautifulSoup((self.out / page).read_text(encoding="utf-8"), "html.parser")
        titles = [p.get_text() for p in html.select(".confarchive-post-title")]
        older = html.select_one(".confarchive-pager a.confarchive-older")
        if older is not None and follow:
            titles += self.listed(posixpath.normpath(posixpath.join(posixpath.dirname(page), older["href"])))
        return titles


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_no_change_rewrites_nothing(site):
    index = site.out / "pagefind" / "pagefind-entry.json"
    indexed = index.stat().st_mtime_ns
    before = site.build()
    assert site.rewritten(before) == set()
    assert index.stat().st_mtime_ns == indexed  # no record changed: the search index stays


def test_a_new_environment_rewrites_every_archive_page(site):
    # the environment is gone (dropped by Sphinx after an upgrade, say), the rest of the
    # doctrees folder kept: a page left stale in the output is written again, though no
    # post changed
    page = site.out / "archive" / "tags" / "common.html"
    page.write_text("stale", encoding="utf-8")
    (site.out / ".doctrees" / "environment.pickle").unlink()
    site.build()
    assert "Post 6" in page.read_text(encoding="utf-8")


def test_editing_text_rewrites_only_the_post(site):
    path = site.src / "posts" / "p2.md"
    path.write_text(path.read_text().replace("Body of 2.", "Body of 2, edited."))
    index = site.out / "pagefind" / "pagefind-entry.json"
    indexed = index.stat().st_mtime_ns
    before = site.build()
    assert site.rewritten(before) == {"posts/p2.html"}
    assert "Body of 2, edited." in (site.out / "posts/p2.html").read_text()
    assert index.stat().st_mtime_ns != indexed  # the edited talk is searched as it is now


def test_editing_an_excerpt_rewrites_only_the_pages_that_show_the_post(site):
    """A post that stays where it was in every list is on one page of each: only that page changes."""
    path = site.src / "posts" / "p1.md"
    path.write_text(path.read_text().replace("Intro of post 1.", "Intro of post 1, edited."))
    before = site.build()
    rewritten = site.rewritten(before)
    # newest first, three a page: p1 is on the second page of the home list, of "common" and of 2020
    assert {"posts/p1.html", "archive/page/2.html", "archive/tags/common/page/2.html",
            "archive/years/2020/page/2.html", "archive/tags/t1.html", "archive/events/alpha-conf.html"} <= rewritten
    assert not rewritten & {"archive/tags/common.html", "archive/years/2020.html", "archive/events/beta-conf.html",
                            "posts/p4.html", "posts/p5.html", "posts/p6.html"}
    assert "Intro of post 1, edited." in (site.out / "archive/tags/common/page/2.html").read_text()


def test_adding_a_post(site):
    (site.src / "posts" / "p7.md").write_text(post(7, "alpha-conf", ["t1"], date="2020-07-01"))
    before = site.build()
    assert site.listed("index.html", follow=False) == ["Post 7", "Post 6", "Post 5"]
    assert site.listed("archive/page/2.html", follow=False) == ["Post 4", "Post 3", "Post 2"]
    assert site.listed("archive/page/3.html", follow=False) == ["Post 1"]
    assert "Post 7" in site.listed("archive/events/alpha-conf.html")
    assert "Post 7" in site.listed("archive/tags/t1.html")
    rewritten = site.rewritten(before)
    assert {"posts/p7.html", "posts/p6.html", "archive/events/alpha-conf.html", "archive/tags/t1.html",
            "archive/speakers/sp7.html", "index.html"} <= rewritten
    assert not rewritten & {"posts/p1.html", "posts/p2.html", "posts/p3.html", "posts/p4.html",
                            "archive/events/beta-conf.html", "archive/tags/t0.html", "archive/tags/t2.html",
                            "archive/speakers/sp1.html"}


def test_changing_a_posts_event_and_tags(site):
    site.write(2, "beta-conf", ["t9"])
    before = site.build()
    assert "Post 2" not in site.listed("archive/events/alpha-conf.html")
    assert "Post 2" in site.listed("archive/events/beta-conf.html")
    assert "Post 2" not in site.listed("archive/tags/t2.html")
    assert "Post 2" not in site.listed("archive/tags/common.html")
    assert site.listed("archive/tags/t9.html") == ["Post 2"]
    rewritten = site.rewritten(before)
    assert {"posts/p2.html", "archive/events/alpha-conf.html", "archive/events/beta-conf.html",
            "archive/tags/t2.html", "archive/tags/t9.html", "archive/tags/common.html"} <= rewritten
    assert not rewritten & {"posts/p4.html", "posts/p5.html", "posts/p6.html", "archive/tags/t0.html",
                            "archive/speakers/sp4.html"}


def test_deleting_a_post(site):
    (site.src / "posts" / "p5.md").unlink()
    before = site.build()
    assert "Post 5" not in site.listed("archive/events/beta-conf.html")
    assert "Post 5" not in site.listed("archive/tags/t2.html")
    assert site.listed("index.html", follow=False) == ["Post 6", "Post 4", "Post 3"]
    assert not (site.src / "archive" / "speakers" / "sp5.md").exists()
    rewritten = site.rewritten(before)
    assert {"archive/events/beta-conf.html", "archive/tags/t2.html", "index.html",
            "posts/p4.html", "posts/p6.html"} <= rewritten
    assert not rewritten & {"posts/p1.html", "posts/p2.html", "archive/events/alpha-conf.html",
                            "archive/tags/t0.html"}


def test_drafts_and_future_posts_stay_out_of_listings_unless_shown(site):
    (site.src / "posts" / "p7.md").write_text(post(7, "alpha-conf", ["t1"], date="2020-07-01")
                                              .replace("---\nIntro", "draft: true\n---\nIntro", 1))
    # a post dated a few weeks ahead: written early, listed from its day (further ahead warns)
    soon = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    (site.src / "posts" / "p8.md").write_text(post(8, "alpha-conf", ["t1"], date=soon))
    site.build()
    assert site.listed("index.html", follow=False) == ["Post 6", "Post 5", "Post 4"]
    assert "Post 7" not in site.listed("archive/tags/t1.html") and "Post 8" not in site.listed("archive/tags/t1.html")
    assert "Post 7" not in site.listed("archive/events/alpha-conf.html")
    assert (site.out / "posts/p7.html").is_file() and (site.out / "posts/p8.html").is_file()

    (site.src / "conf.py").write_text(CONF + "confarchive_show_drafts = True\n")
    site.build()
    assert site.listed("index.html", follow=False) == ["Post 8", "Post 7", "Post 6"]
    assert {"Post 7", "Post 8"} <= set(site.listed("archive/tags/t1.html"))
