"""Bad front matter and bad dates: each warns at its file and line, and every page builds.

Two test roots, one per family, each with one well-formed post beside the broken ones.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import ROOTS, build_root, warning_lines

FRONT_MATTER_POSTS = ("good", "yaml-syntax", "yaml-quote", "wrong-types", "yes-title", "list-fields",
                      "mapping-title", "long-title", "unclosed-fence", "duplicate-keys")
FRONT_MATTER_PAGES = ("list-front-matter", "scalar-front-matter", "empty-front-matter")
ATOM = "{http://www.w3.org/2005/Atom}"
DATE_POSTS = ("good", "slashes", "words", "missing-day", "february-30", "february-30-string", "month-13",
              "hour-25", "year-9999", "year-3024", "offset", "offset-string", "utc", "named-zone", "quoted",
              "year-only", "empty-date")


def built(name: str, tmp_path_factory):
    app = build_root(name, tmp_path_factory.mktemp(name) / "src")
    # done with at once (its output and warnings stay), or the other root's build finds
    # this one's directives still registered
    app.cleanup()
    return app


@pytest.fixture(scope="module")
def front_matter(tmp_path_factory):
    return built("bad-frontmatter", tmp_path_factory)


@pytest.fixture(scope="module")
def dates(tmp_path_factory):
    return built("bad-dates", tmp_path_factory)


def page(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def heading(app, docname: str) -> str:
    return page(app, docname).find("h1").get_text().rstrip("¶")


def byline(app, docname: str) -> str:
    meta = page(app, docname).select_one(".confarchive-post-meta")
    return " ".join(meta.get_text().split()) if meta else ""


def article_text(app, docname: str) -> str:
    return " ".join(page(app, docname).select_one("article").get_text().split())


def feed_entries(app) -> dict[str, str]:
    """The archive feed's entries: title -> published timestamp."""
    feed = ElementTree.parse(app.outdir / "feeds" / "atom.xml").getroot()
    return {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}published")
            for entry in feed.iter(f"{ATOM}entry")}


# --- front matter ---------------------------------------------------------------------


def test_front_matter_warnings(front_matter):
    assert warning_lines(front_matter) == [
        "duplicate-keys.md:5: WARNING: key 'title' is given twice (first on line 2); the last value is kept [confarchive.front_matter]",
        "list-fields.md:2: WARNING: 'title' must be text, not a list; read as 'Day one, Keynotes' [confarchive.front_matter]",
        "list-fields.md:5: WARNING: 'event' must be text, not a list; read as 'KubeCon, CloudNativeCon' [confarchive.front_matter]",
        "list-fields.md:6: WARNING: 'tags' ignored {'name': 'cncf'}: each entry must be a name [confarchive.front_matter]",
        "list-front-matter.md:2: WARNING: front matter must be a mapping of keys to values, not a list [confarchive.front_matter]",
        "long-title.md:2: WARNING: 'title' is 10,000 characters long; the page shows it whole, listings, feeds and search show its first 200 [confarchive.front_matter]",
        "mapping-title.md:2: WARNING: 'title' must be text, not a mapping; read as 'Keynotes: Day one' [confarchive.front_matter]",
        "scalar-front-matter.md:2: WARNING: front matter must be a mapping of keys to values, not text [confarchive.front_matter]",
        "unclosed-fence.md:1: WARNING: front matter opens with --- but never closes; it is read up to the first blank line (line 5) [confarchive.front_matter]",
        "wrong-types.md:3: WARNING: 'author' must be a name or a list of names, not true [confarchive.front_matter]",
        "wrong-types.md:5: WARNING: 'event' must be text, not a mapping [confarchive.front_matter]",
        "wrong-types.md:8: WARNING: 'draft' must be true or false, not 'maybe' [confarchive.front_matter]",
        "yaml-quote.md:2: WARNING: front matter is not valid YAML (found unexpected end of stream while scanning a quoted scalar); kept: author, date, title [confarchive.front_matter]",
        "yaml-syntax.md:5: WARNING: front matter is not valid YAML (expected ',' or ']', but got '<stream end>' while parsing a flow sequence); kept: author, date, tags, title [confarchive.front_matter]",
    ]


def test_every_front_matter_page_is_written(front_matter):
    for docname in ("index", *FRONT_MATTER_POSTS, *FRONT_MATTER_PAGES):
        assert (front_matter.outdir / f"{docname}.html").is_file(), docname


def test_the_good_post_is_intact(front_matter):
    assert heading(front_matter, "good") == "Good Morning KubeCon"
    assert byline(front_matter, "good") == "2017-12-06 · by Adron Hall, Dan Kohn · KubeCon 2017 · #kubernetes #cncf"
    assert "The keynotes opened with a packed hall." in article_text(front_matter, "good")
    assert feed_entries(front_matter)["Good Morning KubeCon"] == "2017-12-06T08:57:00Z"


@pytest.mark.parametrize(
    ("docname", "title", "meta", "body"),
    [
        # what can be read of a block that is not YAML is kept; an unclosed list of tags
        # keeps its items, an unclosed quote its text
        ("yaml-syntax", "Unclosed list", "2017-12-07 · by Someone · #kubernetes #cncf",
         "The body survives an unclosed list."),
        ("yaml-quote", "Unclosed quote", "2017-12-08 · by Someone", "The body survives an unclosed quote."),
        # a number where text belongs is the text as written; an author of true, an event
        # that is a mapping and a draft of maybe are dropped
        ("wrong-types", "2019", "2017-12-09 · #kubernetes #cncf", "The body survives fields of the wrong type."),
        ("yes-title", "Yes", "2017-12-15 · by Someone", "The body survives a title YAML reads as true."),
        ("list-fields", "Day one, Keynotes", "2017-12-10 · by Someone · KubeCon, CloudNativeCon · #kubernetes",
         "The body survives lists where text belongs."),
        ("mapping-title", "Keynotes: Day one", "2017-12-14 · by Someone",
         "The body survives a title indented into a mapping."),
        # YAML keeps the last of two values, and so does the archive
        ("duplicate-keys", "Second title", "2017-12-12 · by Someone", "The body survives duplicate keys."),
        # the lines up to the first blank line are the front matter the closing fence forgot
        ("unclosed-fence", "Never closed", "2017-12-11 · by Someone",
         "The body survives a front matter fence that never closes."),
    ],
)
def test_a_broken_post_keeps_what_can_be_read(front_matter, docname, title, meta, body):
    assert heading(front_matter, docname) == title
    assert byline(front_matter, docname) == meta
    text = article_text(front_matter, docname)
    assert text.endswith(body)
    assert "title:" not in text and "---" not in text


def test_a_post_from_a_broken_block_is_listed_and_in_the_feed(front_matter):
    entries = feed_entries(front_matter)
    for title in ("Unclosed list", "Unclosed quote", "2019", "Yes", "Day one, Keynotes", "Keynotes: Day one",
                  "Second title", "Never closed"):
        assert title in entries, title
    tag_page = (front_matter.outdir / "archive" / "tags" / "kubernetes.html").read_text(encoding="utf-8")
    assert "Unclosed list" in tag_page and "2019" in tag_page


def test_a_very_long_title_is_whole_on_its_page_and_short_in_listings(front_matter):
    """A 10,000-character title is surely a mistake, but which part is the title is not
    for the archive to guess: the page keeps it whole (its heading), with a warning, and
    listings, feeds and search show its first 200 characters, so no listing is swamped."""
    title = " ".join(["Keynote"] * 1250) + "s"
    assert heading(front_matter, "long-title") == title
    assert "The body survives a title of 10,000 characters." in article_text(front_matter, "long-title")

    [short] = [entry for entry in feed_entries(front_matter) if entry.startswith("Keynote Keynote")]
    assert len(short) <= 200 and short.endswith("Keynote…") and title.startswith(short[:-1])
    year = page(front_matter, "archive/years/2017")
    [link] = [a.get_text() for a in year.select("a") if a.get_text().startswith("Keynote Keynote")]
    assert link == short


@pytest.mark.parametrize(
    ("docname", "title", "body"),
    [
        ("list-front-matter", "Front matter that is a list", "The body survives front matter that is a list."),
        ("scalar-front-matter", "Front matter that is a sentence",
         "The body survives front matter that is a sentence."),
        ("empty-front-matter", "Empty front matter", "The body survives empty front matter."),
    ],
)
def test_front_matter_that_gives_no_fields_leaves_a_page(front_matter, docname, title, body):
    """Front matter that is not a mapping gives no fields, so no post: the page is a page."""
    assert heading(front_matter, docname) == title
    assert byline(front_matter, docname) == ""
    assert article_text(front_matter, docname).endswith(body)


def test_the_long_title_is_10000_characters():
    long_title = (ROOTS / "test-bad-frontmatter" / "long-title.md").read_text(encoding="utf-8").split("\n")[1]
    assert len(long_title.removeprefix("title: ")) == 10_000


# --- dates ----------------------------------------------------------------------------


def test_date_warnings(dates):
    assert warning_lines(dates) == [
        "empty-date.md:4: WARNING: date must be a date like 2017-12-06 or 2017-12-06 08:57, not None [confarchive.date]",
        "february-30-string.md:4: WARNING: date '2023-02-30' cannot be read fully (day is out of range for month); read as 2023-02-01 [confarchive.date]",
        "february-30.md:4: WARNING: date '2023-02-30' cannot be read fully (day is out of range for month); read as 2023-02-01 [confarchive.date]",
        "hour-25.md:4: WARNING: date '2019-05-21 25:61:00' cannot be read fully (hour must be in 0..23); read as 2019-05-21 [confarchive.date]",
        "missing-day.md:4: WARNING: date '2015-09- 01:04:28' cannot be read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); read as 2015-09-01 [confarchive.date]",
        "month-13.md:4: WARNING: date '2023-13-01' cannot be read fully (month must be in 1..12); read as 2023-01-01 [confarchive.date]",
        "named-zone.md:4: WARNING: date '2019-05-21 09:00 PST' has an unreadable time zone 'PST'; read without it [confarchive.date]",
        "slashes.md:4: WARNING: date '2019/05/21' cannot be read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); read as 2019-05-21 [confarchive.date]",
        "words.md:4: WARNING: date 'last tuesday' cannot be read (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); the post is left undated [confarchive.date]",
        "year-3024.md:4: WARNING: date 3024-05-21 is more than a year in the future; the post is kept, but listed only from that day [confarchive.date]",
        "year-9999.md:4: WARNING: date 9999-12-31 is more than a year in the future; the post is kept, but listed only from that day [confarchive.date]",
        "year-only.md:4: WARNING: date '2019' cannot be read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); read as 2019-01-01 [confarchive.date]",
    ]


def test_every_dated_page_is_written(dates):
    for docname in ("index", *DATE_POSTS):
        assert (dates.outdir / f"{docname}.html").is_file(), docname


def test_the_good_date_is_intact(dates):
    assert heading(dates, "good") == "A good date"
    assert byline(dates, "good") == "2019-05-21 · by Someone"
    assert "Dated 21 May 2019 at nine." in article_text(dates, "good")
    assert feed_entries(dates)["A good date"] == "2019-05-21T09:00:00Z"


@pytest.mark.parametrize(
    ("docname", "title", "published"),
    [
        # impossible and malformed dates keep what can be read: year, month, day
        ("february-30", "February 30", "2023-02-01T00:00:00Z"),
        ("february-30-string", "February 30 quoted", "2023-02-01T00:00:00Z"),
        ("month-13", "Month 13", "2023-01-01T00:00:00Z"),
        ("hour-25", "Hour 25", "2019-05-21T00:00:00Z"),
        ("missing-day", "Missing day", "2015-09-01T00:00:00Z"),
        ("slashes", "Slashes", "2019-05-21T00:00:00Z"),
        ("year-only", "Year only", "2019-01-01T00:00:00Z"),
        # a time zone is kept, as an offset or as Z; a zone name is left out (read as UTC)
        ("offset", "Offset", "2019-05-21T09:00:00+02:00"),
        ("offset-string", "Offset quoted", "2019-05-21T09:00:00+02:00"),
        ("utc", "UTC", "2019-05-21T09:00:00Z"),
        ("named-zone", "Named zone", "2019-05-21T09:00:00Z"),
        # a YAML date and a date in quotes read alike
        ("quoted", "Quoted", "2019-05-21T00:00:00Z"),
    ],
)
def test_a_bad_date_keeps_what_can_be_read(dates, docname, title, published):
    assert heading(dates, docname) == title
    assert byline(dates, docname) == f"{published[:10]} · by Someone"
    assert feed_entries(dates)[title] == published


@pytest.mark.parametrize(("docname", "title"), [("words", "Words"), ("empty-date", "Empty date")])
def test_a_date_with_nothing_readable_leaves_the_post_undated(dates, docname, title):
    assert heading(dates, docname) == title
    assert byline(dates, docname) == "by Someone"
    assert title not in feed_entries(dates)  # an Atom entry needs a date


@pytest.mark.parametrize(("docname", "title", "date"),
                         [("year-9999", "Year 9999", "9999-12-31"), ("year-3024", "Year 3024", "3024-05-21")])
def test_a_far_future_date_is_kept_and_the_post_waits_for_it(dates, docname, title, date):
    """A post dated more than a year ahead is a typo more often than a plan: it is kept
    as written, with a warning, and, like any post dated in the future, listed from that day."""
    assert byline(dates, docname) == f"{date} · by Someone"
    assert title not in feed_entries(dates)
    years = (dates.outdir / "archive" / "years" / "index.html").read_text(encoding="utf-8")
    assert date[:4] not in years
    assert not (dates.outdir / "archive" / "years" / f"{date[:4]}.html").exists()
