"""Bad input warns with the file and line, and the page still builds."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import build_root, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("bad-input", tmp_path_factory.mktemp("bad") / "src")
    yield app
    app.cleanup()


def html(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def test_exact_warnings(built):
    assert warning_lines(built) == [
        "bad-link.md:7: WARNING: speaker 'Mallory': github link refused: 'data:text/html,hi' uses the scheme 'data'; only http and https become links [confarchive.link]",
        "bad-link.md:7: WARNING: speaker 'Mallory': website link refused: 'javascript:alert(1)' uses the scheme 'javascript'; only http and https become links [confarchive.link]",
        "broken-yaml.md:2: WARNING: front matter is not valid YAML (mapping values are not allowed here); kept: author, date, title [confarchive.front_matter]",
        "dangling.md:6: WARNING: event reference target not found in the archive: 'NoConf 1999' [confarchive.reference]",
        "dangling.md:6: WARNING: speaker reference target not found in the archive: 'Nobody At All' [confarchive.reference]",
        "dangling.md:6: WARNING: talk reference target not found in the archive: 'bad-link#no-such-talk' [confarchive.reference]",
        "dangling.md:9: WARNING: postlist: no post matches tag 'no-such-tag' [confarchive.listing]",
        "image-problems.md:5: WARNING: image file not readable: missing.png [image.not_readable]",
        "image-problems.md:5: WARNING: image float 'missing.png' has no alt text; add :alt: to describe it [confarchive.image_alt]",
        "malformed-date.md:4: WARNING: date '2015-09- 01:04:28' cannot be read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); read as 2015-09-01 [confarchive.date]",
        "no-section.md:4: WARNING: speaker card 'Lone Speaker' is outside any section, so it belongs to no talk [confarchive.speaker]",
        "unknown-option.md:8: WARNING: 'speaker': Unknown option key: 'shoe-size' (allowed: ['affiliation', 'avatar', 'bluesky', 'class', 'github', 'mastodon', 'role', 'talk', 'twitter', 'website', 'x']) [myst.directive_option]",
    ]


def test_broken_front_matter_still_renders_title_and_body(built):
    page = html(built, "broken-yaml")
    assert page.find("h1").get_text().rstrip("¶") == "Broken: YAML: here"
    assert "The body text survives broken front matter." in page.get_text()


def test_refused_links_never_become_links(built):
    card = html(built, "bad-link").select_one(".confarchive-speaker")
    assert [a["href"] for a in card.select(".confarchive-speaker-links a[href]")] == ["https://twitter.com/ok_handle"]
    assert card.select_one(".confarchive-speaker-name a")["href"] == "archive/speakers/ok_handle.html"
    assert "javascript" not in str(card) and "data:" not in str(card)


def test_every_page_is_written(built):
    for docname in ("index", "dangling", "broken-yaml", "bad-link", "unknown-option", "malformed-date",
                    "image-problems", "no-section"):
        assert (built.outdir / f"{docname}.html").is_file(), docname
