"""The archive's pages: events, speakers, tags and pagination, built from three test roots.

- ``test-archive-small``: 24 synthetic posts over three events (two described in
  events.yaml, one named only by its posts); built with ``-j 1`` and ``-j 4``, which
  must write identical pages and store identical records.
- ``test-archive``: 29 real posts of the adron-blog (see its NOTICE.md) tagged with
  their events: KubeCon 2017, HashiConf 2016, Node PDX 2016.
- ``test-archive-bad``: bad input the issue lists; each case warns with its file and
  line, or renders as escaped text, never an exception or a broken link.

Every internal link of these sites, and of docs/, must resolve (``linkwalk``).
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
import posixpath
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOTS, build_root, sphinx_build, warning_lines
from confarchive.checks.walker import broken_links, site_pages

# --- helpers ---------------------------------------------------------------------------


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def article(outdir: Path, page: str):
    return soup(outdir, page).select_one("article")


def heading(outdir: Path, page: str) -> str:
    return article(outdir, page).find("h1").get_text().rstrip("¶").strip()


def target(page: str, href: str) -> str:
    """The output file ``href`` on ``page`` leads to, relative to the output folder."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), urlsplit(href).path))


def listed_posts(outdir: Path, page: str, follow: bool = True) -> list[str]:
    """The pages the first post list on ``page`` links to, in order; with ``follow``, and those of
    the pages after it (its pager's "Older posts")."""
    listed: list[str] = []
    while page:
        box = article(outdir, page).select_one(".confarchive-post-list")
        if box is None:
            break
        listed += [target(page, a["href"]) for a in box.select(".confarchive-post-title a")]
        older = article(outdir, page).select_one(".confarchive-pager a.confarchive-older") if follow else None
        page = target(page, older["href"]) if older is not None else ""
    return listed


def rubrics(outdir: Path, page: str) -> list[str]:
    return [p.get_text(" ", strip=True) for p in article(outdir, page).select(".confarchive-heading")]


def warnings_in(stderr: str, srcdir: Path) -> list[str]:
    return sorted(line.replace(f"{srcdir}/", "") for line in stderr.splitlines() if "WARNING" in line)


def posts_of(srcdir: Path) -> dict[str, dict]:
    """Front matter of every post of a root, by its page in the output (``x/y/index.html``)."""
    posts = {}
    for source in sorted(srcdir.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        front = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
        if "date" in front:
            posts[source.relative_to(srcdir).with_suffix(".html").as_posix()] = front
    return posts


def when(front: dict) -> dt.datetime:
    value = front["date"]
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value))


def build_copy(root: str, dest: Path, *args: str) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """Copy ``tests/roots/test-<root>`` to ``dest/src``, build it into ``dest/html``."""
    srcdir, outdir = dest / "src", dest / "html"
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    result = sphinx_build(srcdir, outdir, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "Exception occurred" not in result.stderr, result.stderr
    return srcdir, outdir, result


def check_pagination(outdir: Path, posts: dict[str, dict], per_page: int) -> None:
    """The home page and archive/page/N.html list every post once, newest first, per_page a page."""
    total = math.ceil(len(posts) / per_page)
    pages = ["index.html"] + [f"archive/page/{number}.html" for number in range(2, total + 1)]
    written = sorted(path.name for path in (outdir / "archive" / "page").glob("*.html"))
    assert written == sorted(f"{number}.html" for number in range(2, total + 1))
    assert not (outdir / "archive" / "page" / f"{total + 1}.html").exists()
    shown: list[str] = []
    for number, page in enumerate(pages, start=1):
        listed = listed_posts(outdir, page, follow=False)
        assert len(listed) == (per_page if number < total else len(posts) - per_page * (total - 1)), page
        shown += listed
        pager = article(outdir, page).select_one(".confarchive-pager")
        assert f"Page {number} of {total}" in pager.get_text(), page
        newer = pager.select_one("a.confarchive-newer")
        older = pager.select_one("a.confarchive-older")
        if number == 1:
            assert newer is None
        else:
            assert target(page, newer["href"]) == pages[number - 2], page
        if number == total:
            assert older is None
        else:
            assert target(page, older["href"]) == pages[number], page
    assert sorted(shown) == sorted(posts), "every post, each once"
    assert_newest_first(shown, posts)


def assert_newest_first(pages: list[str], posts: dict[str, dict]) -> None:
    """Posts of one date may come in either order; the dates never go up."""
    dates = [when(posts[page]) for page in pages]
    assert dates == sorted(dates, reverse=True), "newest first"


# --- linkwalk, on a tree made by hand ----------------------------------------------------


def write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{html}</body></html>", encoding="utf-8")


def test_linkwalk_reports_a_missing_file_and_a_missing_anchor(tmp_path):
    write(tmp_path / "index.html", """
        <a href="other.html#here">good</a>
        <a href="missing.html">no file</a>
        <a href="other.html#nowhere">no anchor</a>
        <a href="https://example.org/missing.html">external</a> <a href="mailto:a@example.org">mail</a>
        <a href="#">top</a> <a href="//cdn.example.org/x.js">cdn</a> <img src="data:image/png;base64,AAAA">
    """)
    write(tmp_path / "other.html", '<h2 id="here">Here</h2>')
    assert broken_links(tmp_path) == [
        "index.html: missing.html (no such file)",
        "index.html: other.html#nowhere (no id 'nowhere' in other.html)",
    ]


def test_linkwalk_resolves_paths_as_a_browser_does(tmp_path):
    write(tmp_path / "a" / "b" / "page.html", """
        <p id="me">x</p>
        <a href="#me">same page</a> <a href="#gone">same page, missing</a>
        <a href="../../other.html#old">an a name</a> <a href="../../folder/">a folder's index.html</a>
        <a href="/site/other.html">from the root</a> <a href="/elsewhere/other.html">outside the path</a>
        <a href="../../../../etc/passwd">outside the site</a> <img src="../../img%20one.png">
        <script src="../../static/app.js?v=1"></script> <link href="../../static/missing.css?v=2">
    """)
    write(tmp_path / "other.html", '<a name="old"></a>')
    write(tmp_path / "folder" / "index.html", "")
    (tmp_path / "img one.png").write_bytes(b"")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("")
    write(tmp_path / ".doctrees" / "hidden.html", '<a href="nowhere.html">not the site</a>')
    assert broken_links(tmp_path, site_path="/site/") == [
        "a/b/page.html: #gone (no id 'gone' in a/b/page.html)",
        "a/b/page.html: ../../../../etc/passwd (outside the site)",
        "a/b/page.html: ../../static/missing.css?v=2 (no such file)",
        "a/b/page.html: /elsewhere/other.html (outside the site's path /site/)",
    ]


# --- test-archive-small: -j 1 and -j 4 ---------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """test-archive-small built with -j 1 and with -j 4: {"1": (srcdir, outdir, result), "4": ...}."""
    base = tmp_path_factory.mktemp("archive-small")
    return {jobs: build_copy("archive-small", base / f"j{jobs}", "-j", jobs) for jobs in ("1", "4")}


@pytest.fixture(scope="module")
def small_out(small) -> Path:
    return small["1"][1]


SMALL_POSTS = posts_of(ROOTS / "test-archive-small")


def test_small_root_is_big_enough():
    events = {front["event"] for front in SMALL_POSTS.values()}
    assert len(SMALL_POSTS) == 24 and len(events) >= 3


def test_small_root_builds_without_warnings(small):
    for jobs, (srcdir, _, result) in small.items():
        assert warnings_in(result.stderr, srcdir) == [], f"-j {jobs}"


def html_files(outdir: Path, folder: str) -> dict[str, bytes]:
    return {path.relative_to(outdir).as_posix(): path.read_bytes()
            for path in sorted((outdir / folder).rglob("*.html"))}


@pytest.mark.parametrize("folder", ["archive", "posts"])
def test_serial_and_parallel_builds_write_identical_pages(small, folder):
    serial, parallel = html_files(small["1"][1], folder), html_files(small["4"][1], folder)
    assert sorted(serial) == sorted(parallel)
    # 24 posts; 49 archive pages: 4 pages of the post list, 3 events, 13 speakers, 7 tags, 3 authors,
    # 3 years, the 5 indexes, and the second pages (5 posts a page) of 3 events, 2 tags, 3 authors, 3 years
    assert len(serial) == {"posts": 24, "archive": 49}[folder]
    differ = [page for page in serial if serial[page] != parallel[page]]
    assert differ == []


def test_serial_and_parallel_builds_write_identical_home_pages(small):
    assert (small["1"][1] / "index.html").read_bytes() == (small["4"][1] / "index.html").read_bytes()


def stored_records(outdir: Path) -> dict:
    with open(outdir / ".doctrees" / "environment.pickle", "rb") as stream:
        env = pickle.load(stream)
    data = env.domaindata["archive"]
    return {key: data[key] for key in ("posts", "talks", "listings")}


def test_serial_and_parallel_builds_store_identical_records(small):
    serial, parallel = stored_records(small["1"][1]), stored_records(small["4"][1])
    sections = sum(path.read_text(encoding="utf-8").count("\n## ")
                   for path in (ROOTS / "test-archive-small" / "posts").rglob("*.md"))
    assert len(serial["posts"]) == 24
    assert sum(len(talks) for talks in serial["talks"].values()) == sections == 32
    assert list(serial["listings"]) == ["index"]
    for key in ("posts", "talks", "listings"):
        assert serial[key] == parallel[key], key


SMALL_EVENTS = {
    "rainier-2016": ("Rainier Dev Summit 2016", "2016-05-10 to 2016-05-12", "Tacoma, Washington"),
    "harbor-2017": ("Harbor Cloud Days 2017", "2017-09-18 to 2017-09-19", "Vancouver, British Columbia"),
    "lantern-conf-2018": ("Lantern Conf 2018", None, None),
}
#: how posts of the small root name their events (by name, alias or id)
SMALL_EVENT_NAMES = {
    "Rainier Dev Summit 2016": "rainier-2016", "Rainier 2016": "rainier-2016", "rainier-2016": "rainier-2016",
    "Harbor Cloud Days 2017": "harbor-2017", "harbor-2017": "harbor-2017",
    "Lantern Conf 2018": "lantern-conf-2018",
}


@pytest.mark.parametrize("slug", sorted(SMALL_EVENTS))
def test_small_event_pages(small_out, slug):
    name, dates, location = SMALL_EVENTS[slug]
    page = f"archive/events/{slug}.html"
    expected = [page for page, front in SMALL_POSTS.items() if SMALL_EVENT_NAMES[front["event"]] == slug]
    assert len(expected) == 8
    assert heading(small_out, page) == name
    assert rubrics(small_out, page)[0] == "Coverage (8 posts)"
    listed = listed_posts(small_out, page)
    assert sorted(listed) == sorted(expected)
    assert_newest_first(listed, SMALL_POSTS)
    details = article(small_out, page).select_one(".confarchive-details")
    text = details.get_text(" ", strip=True) if details else ""
    for value in (dates, location):
        if value:
            assert value in text
    if dates is None:
        assert "Dates" not in text


def test_small_events_index(small_out):
    page = "archive/events/index.html"
    items = [(li.get_text(" ", strip=True), target(page, li.find("a")["href"]))
             for li in article(small_out, page).select("li")]
    # by year, newest first; an event without dates under the year of its posts
    assert rubrics(small_out, page) == ["2018", "2017", "2016"]
    assert items == [
        ("Lantern Conf 2018 — 8 posts", "archive/events/lantern-conf-2018.html"),
        ("Harbor Cloud Days 2017 — Vancouver, British Columbia · 2017-09-18 to 2017-09-19 · 8 posts",
         "archive/events/harbor-2017.html"),
        ("Rainier Dev Summit 2016 — Tacoma, Washington · 2016-05-10 to 2016-05-12 · 8 posts",
         "archive/events/rainier-2016.html"),
    ]


def test_small_home_page_paginates(small_out):
    check_pagination(small_out, SMALL_POSTS, 5)


def talks_on(outdir: Path, page: str) -> list[tuple[str, str]]:
    """(talk title, the page and anchor its link leads to) of each talk listed on ``page``."""
    return [(a.get_text(strip=True), target(page, a["href"]) + "#" + urlsplit(a["href"]).fragment)
            for a in article(outdir, page).select("a.confarchive-talk-link")]


def test_a_speaker_spelled_two_ways_has_one_page(small_out):
    pages = sorted(path.name for path in (small_out / "archive" / "speakers").glob("*oduya*.html"))
    assert pages == ["koduya.html"], "one page, whatever the spelling"
    page = "archive/speakers/koduya.html"
    assert heading(small_out, page) == "Katherine Oduya"  # the spelling most cards use
    card = article(small_out, page).select_one(".confarchive-speaker-page-card")
    assert card.select_one(".confarchive-speaker-aliases").get_text(" ", strip=True) == "Also written Kathy Oduya"
    assert card.select_one(".confarchive-speaker-initials").get_text() == "KO"
    assert rubrics(small_out, page) == ["Talks covered (3)"]
    assert talks_on(small_out, page) == [  # newest first
        ("Kubernetes is boring now", "posts/2018/lantern-day-one/index.html#kubernetes-is-boring-now"),
        ("Functions at scale", "posts/2017/harbor-day-one/index.html#functions-at-scale"),
        ("Clusters at the edge", "posts/2016/rainier-day-one-keynotes/index.html#clusters-at-the-edge"),
    ]
    # each card, whichever spelling it shows, links to that page
    for post, shown in (("posts/2016/rainier-day-one-keynotes/index.html", "Katherine Oduya"),
                        ("posts/2017/harbor-day-one/index.html", "Kathy Oduya"),
                        ("posts/2018/lantern-day-one/index.html", "Katherine Oduya")):
        links = [a for a in article(small_out, post).select(".confarchive-speaker-name a")
                 if a.get_text(strip=True) == shown]
        assert [target(post, a["href"]) for a in links] == [page], post


def test_a_registry_alias_is_the_registry_speaker(small_out):
    page = "archive/speakers/srivera.html"
    assert heading(small_out, page) == "Samuel Rivera"
    assert [title for title, _ in talks_on(small_out, page)] == ["Global tables", "Postgres in practice"]


SMALL_SPEAKERS = ["Amara Nwosu", "Diego Alvarez", "Grace Oyelaran", "Hiro Tanaka", "Katherine Oduya",
                  "Lena Fischer", "Marisol Vance", "Noah Becker", "Priya Natarajan", "Samuel Rivera",
                  "Tomasz Wilk", "Yusuf Demir", "Zoe Laurent"]


def test_speaker_index_lists_each_person_once_a_to_z(small_out):
    page = "archive/speakers/index.html"
    links = article(small_out, page).select(".confarchive-speaker-index a")
    names = [a.get_text(strip=True) for a in links]
    assert names == SMALL_SPEAKERS
    assert len({target(page, a["href"]) for a in links}) == len(names)
    letters = [a.get_text(strip=True) for a in article(small_out, page).select(".confarchive-letters a")]
    assert letters == sorted({name[0] for name in SMALL_SPEAKERS})


# --- test-archive: real posts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return build_copy("archive", tmp_path_factory.mktemp("archive-real"))


@pytest.fixture(scope="module")
def real_out(real) -> Path:
    return real[1]


REAL_POSTS = posts_of(ROOTS / "test-archive")
REAL_EVENT_NAMES = {
    "KubeCon + CloudNativeCon North America 2017": "kubecon-na-2017",
    "hashiconf-2016": "hashiconf-2016",
    "Node PDX 2016": "node-pdx-2016",
}
REAL_EVENTS = {
    "kubecon-na-2017": ("KubeCon + CloudNativeCon North America 2017", 3,
                        "2017-12-06 to 2017-12-08", "Austin, Texas"),
    "hashiconf-2016": ("HashiConf 2016", 5, "2016-09-07 to 2016-09-08", "Napa, California"),
    "node-pdx-2016": ("Node PDX 2016", 21, None, "Portland, Oregon"),
}


def test_real_root_holds_the_event_posts():
    assert len(REAL_POSTS) == 29
    assert all(front["author"] == "Adron Hall" for front in REAL_POSTS.values())
    assert (ROOTS / "test-archive" / "NOTICE.md").is_file()


#: the embedded tweets' widget script, and their classes, are all the HTML policy takes out
REAL_HTML_WARNINGS = [
    f"articles/{name}/index.md:{line}: WARNING: raw HTML cleaned by the HTML policy: removed {what} [confarchive.html]"
    for name, line, what in [
        ("hashiconf-trip-day-3", 15, "elements <script>; attributes class, data-lang"),
        ("hashiconf-trip-day-3", 40, "elements <script>; attributes class, data-lang"),
        ("hashiconf-trip-day-3", 51, "elements <script>; attributes class, data-lang"),
        ("kubecon-arrival-schedule-etc", 9, "elements <script>; attributes class, data-lang"),
        ("node-pdx-2016-speaker-liz-abinante", 11, "attributes class"),
    ]
]


def test_real_root_builds_with_only_the_html_policy_warnings(real):
    srcdir, _, result = real
    assert [line for line in warnings_in(result.stderr, srcdir) if "[confarchive." in line] == REAL_HTML_WARNINGS


@pytest.mark.parametrize("slug", sorted(REAL_EVENTS))
def test_real_event_pages(real_out, slug):
    name, count, dates, location = REAL_EVENTS[slug]
    page = f"archive/events/{slug}.html"
    assert (real_out / page).is_file()
    tagged = [page for page, front in REAL_POSTS.items() if REAL_EVENT_NAMES[front["event"]] == slug]
    assert len(tagged) == count
    assert heading(real_out, page) == name
    assert rubrics(real_out, page)[0] == f"Coverage ({count} posts)"
    listed = listed_posts(real_out, page)
    assert sorted(listed) == sorted(tagged)
    assert_newest_first(listed, REAL_POSTS)
    text = article(real_out, page).select_one(".confarchive-details").get_text(" ", strip=True)
    assert location in text
    if dates:
        assert f"Dates {dates}" in text
    else:
        assert "Dates" not in text


def test_real_events_index(real_out):
    items = [li.get_text(" ", strip=True) for li in article(real_out, "archive/events/index.html").select("li")]
    assert rubrics(real_out, "archive/events/index.html") == ["2017", "2016"]
    assert items == [
        "KubeCon + CloudNativeCon North America 2017 — Austin, Texas · 2017-12-06 to 2017-12-08 · 3 posts",
        "HashiConf 2016 — Napa, California · 2016-09-07 to 2016-09-08 · 5 posts",
        "Node PDX 2016 — Portland, Oregon · 21 posts",
    ]


def test_real_home_page_shows_the_newest_posts_and_links_to_page_two(real_out):
    assert listed_posts(real_out, "index.html", follow=False) == [
        "articles/kubecon-daytwo-keynotes/index.html",
        "articles/kubecon-dayone-keynotes/index.html",
        "articles/kubecon-arrival-schedule-etc/index.html",
    ]
    older = article(real_out, "index.html").select_one(".confarchive-pager a.confarchive-older")
    assert older["href"] == "archive/page/2.html"
    newer = article(real_out, "archive/page/2.html").select_one(".confarchive-pager a.confarchive-newer")
    assert newer["href"] == "../../index.html"


def test_real_listing_pages_paginate(real_out):
    check_pagination(real_out, REAL_POSTS, 3)


def test_real_post_header_links_to_its_event(real_out):
    for page, front in REAL_POSTS.items():
        links = article(real_out, page).select(".confarchive-post-header a.confarchive-event-link")
        assert [target(page, a["href"]) for a in links] == [
            f"archive/events/{REAL_EVENT_NAMES[front['event']]}.html"], page


# --- test-archive-bad: bad input ----------------------------------------------------------


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    app = build_root("archive-bad", tmp_path_factory.mktemp("archive-bad") / "src")
    yield app
    app.cleanup()


@pytest.fixture(scope="module")
def bad_out(bad) -> Path:
    return Path(bad.outdir)


SCRIPT_NAME = "Eve <script>alert(1)</script> Hacker"
SCRIPT_SLUG = "eve-script-alert-1-script-hacker"
PUNCTUATED_TAG = "C# & .NET: <Tips>, *Tricks* [2019]!"
#: a tag with punctuation: a readable form and a fingerprint of the tag (see tag_slug)
PUNCTUATED_SLUG = "c-sharp-and-net-tips-tricks-2019--eb42d0aa"


def test_bad_input_gives_located_warnings(bad):
    assert warning_lines(bad) == [
        "events.yaml:5: WARNING: events.yaml: event 'backwards-2019': it ends (2019-03-01) before it starts "
        "(2019-03-03); the end date is dropped [confarchive.event]",
        "speakers.yaml:6: WARNING: speakers.yaml: 'jordan-q-lee' claims the handle or id 'jlee' of "
        "'jordan-lee' (line 2); the first entry is kept [confarchive.identity]",
    ]


def test_bad_input_pages_exist(bad_out):
    for page in ("index.html", "posts/same-handle.html", "posts/punctuation-tag.html", "posts/forty-tags.html",
                 "posts/script-speaker.html", "archive/events/backwards-2019.html", "archive/speakers/jlee.html",
                 f"archive/speakers/{SCRIPT_SLUG}.html", f"archive/tags/{PUNCTUATED_SLUG}.html",
                 "archive/speakers/index.html", "archive/tags/index.html", "archive/events/index.html"):
        assert (bad_out / page).is_file(), page


def test_conflicting_registry_entries_keep_the_first(bad_out):
    page = "archive/speakers/jlee.html"
    assert sorted(path.name for path in (bad_out / "archive" / "speakers").glob("*.html")) == [
        f"{SCRIPT_SLUG}.html", "index.html", "jlee.html"]
    assert heading(bad_out, page) == "Jordan Lee"
    details = article(bad_out, page).select_one(".confarchive-speaker-page-card").get_text(" ", strip=True)
    assert "First Entry Inc" in details and "Second Entry" not in details and "Imposter" not in details
    # both talks are in one post: in the order the post tells them
    assert [title for title, _ in talks_on(bad_out, page)] == ["Morning talk", "Afternoon talk"]


def test_an_event_ending_before_it_starts_shows_its_start(bad_out):
    text = article(bad_out, "archive/events/backwards-2019.html").select_one(".confarchive-details").get_text(
        " ", strip=True)
    assert "Dates 2019-03-03" in text and "2019-03-01" not in text
    assert rubrics(bad_out, "archive/events/backwards-2019.html")[0] == "Coverage (4 posts)"


def test_a_tag_with_spaces_and_punctuation_has_a_page_reached_from_its_post(bad_out):
    post = "posts/punctuation-tag.html"
    tags = {a.get_text(): target(post, a["href"])
            for a in article(bad_out, post).select(".confarchive-post-header a.confarchive-tag-link")}
    assert tags == {f"#{PUNCTUATED_TAG}": f"archive/tags/{PUNCTUATED_SLUG}.html",
                    "#plain": "archive/tags/plain.html"}
    page = f"archive/tags/{PUNCTUATED_SLUG}.html"
    assert heading(bad_out, page) == f"Posts tagged {PUNCTUATED_TAG}"
    assert listed_posts(bad_out, page) == [post]
    index = [a.get_text() for a in article(bad_out, "archive/tags/index.html").select("a.confarchive-tag-link")]
    assert PUNCTUATED_TAG in index


def test_a_post_with_forty_tags(bad_out):
    post = "posts/forty-tags.html"
    links = article(bad_out, post).select(".confarchive-post-header a.confarchive-tag-link")
    assert [a.get_text() for a in links] == [f"#topic {number:02d}" for number in range(1, 41)]
    for number, a in enumerate(links, start=1):
        page = target(post, a["href"])
        assert page == f"archive/tags/topic-{number:02d}.html"
        assert listed_posts(bad_out, page) == [post]


def test_a_speaker_named_with_a_script_tag_is_text(bad_out):
    page = f"archive/speakers/{SCRIPT_SLUG}.html"
    assert heading(bad_out, page) == SCRIPT_NAME
    names = [a.get_text(strip=True) for a in article(bad_out, "archive/speakers/index.html").select(
        ".confarchive-speaker-index a")]
    assert names == [SCRIPT_NAME, "Jordan Lee"]
    card = article(bad_out, "posts/script-speaker.html").select_one(".confarchive-speaker-name")
    assert card.get_text(strip=True) == SCRIPT_NAME
    assert target("posts/script-speaker.html", card.find("a")["href"]) == page
    for path in site_pages(bad_out):
        scripts = [str(tag) for tag in soup(bad_out, path.relative_to(bad_out).as_posix()).find_all("script")
                   if "alert" in str(tag)]
        assert scripts == [], path


# --- every internal link resolves ------------------------------------------------------------


def test_docs_links_resolve(docs_build):
    # docs/ is served under /en/latest/ (conf.py's html_baseurl): its 404 page links from there
    problems = broken_links(docs_build, site_path="/en/latest/")
    assert problems == [], "\n".join(problems)


def test_small_root_links_resolve(small):
    for jobs, (_, outdir, _) in small.items():
        problems = broken_links(outdir)
        assert problems == [], f"-j {jobs}:\n" + "\n".join(problems)


def test_real_root_links_resolve(real_out):
    problems = broken_links(real_out)
    assert problems == [], "\n".join(problems)


def test_bad_input_links_resolve(bad_out):
    problems = broken_links(bad_out)
    assert problems == [], "\n".join(problems)
