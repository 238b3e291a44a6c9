"""The example post, built as part of docs/ in strict mode."""

from __future__ import annotations

import pickle
import re

import pytest
from bs4 import BeautifulSoup

from conftest import REPO

SEED_DOC = "posts/2017/kubecon-dayone-keynotes/index"
SEED_SOURCE = REPO / "docs" / f"{SEED_DOC}.md"
SPEAKERS = {
    "Dan Kohn": "https://twitter.com/dankohn1",
    "Michelle Noorali": "https://twitter.com/michellenoorali",
    "Imad Sousou": "https://twitter.com/imadsousou",
    "Diane Marsh": "https://twitter.com/dmarsh",
    "Adrian Cockroft": "https://twitter.com/adrianco",
}
FIRST_PARAGRAPH = (
    "I hope you're having a good morning so far. KubeCon has kicked off in full force like the "
    "pro-conference that it is. With 4k+ people in attendance the crowds are distinctive, even among "
    "a city like Austin. The conference lit off the day with an absurdly early registration time of "
    "7am, and a continental breakfast of some fruit and pastries."
)


def plain(text: str) -> str:
    """Text with typographic quotes made straight and white space folded."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page(docs_build) -> BeautifulSoup:
    return BeautifulSoup((docs_build / f"{SEED_DOC}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def article(page):
    return page.select_one("article[role=main]")


def test_title_and_heading_come_from_front_matter(page, article):
    assert page.title.get_text().split(" - ")[0] == "Good Morning KubeCon?"
    [heading] = article.find_all("h1")
    assert heading.get_text().rstrip("¶") == "Good Morning KubeCon?"


def test_five_speaker_cards_linking_to_the_profiles_in_the_post(article):
    cards = article.select(".confarchive-speaker")
    assert len(cards) == len(SPEAKERS)
    for card, (name, profile) in zip(cards, SPEAKERS.items()):
        links = card.select(".confarchive-speaker-links a[href]")
        assert [a["href"] for a in links] == [profile], name
        assert links[0].get_text() == "@" + profile.rsplit("/", 1)[1] + " on X"
        assert "sd-card" in card["class"]
        # each card sits in its talk's section, headed by the speaker: the heading is the name,
        # and leads to the speaker's page in the archive; the card does not say it again
        heading = card.find_parent("section").find(["h3"])
        assert heading.get_text().rstrip("¶") == name
        assert heading.select_one("a.reference.internal")["href"].startswith("../../../archive/speakers/")
        assert card.select_one(".confarchive-speaker-name") is None and name not in card.get_text()


def test_two_notes_with_their_titles_and_bodies(article):
    notes = article.select("div.admonition.note")
    assert [n.select_one(".admonition-title").get_text() for n in notes] == [
        "Diveristy Scholarship",
        "Just for your information, Intel isn't just processor chips.".replace("'", "\u2019"),
    ]
    assert plain(notes[0].get_text()).endswith(
        "But I digress, onward with the keynote."
    ) and "The US failed to provide visas" in notes[0].get_text()
    assert "Intel have thousands of software developers" in notes[1].get_text()
    # the body is inside the note, not a separate quote after it
    assert not any("The US failed" in q.get_text() for q in article.find_all("blockquote"))


def test_logo_is_shown_floated_right_with_its_alt_text(article, docs_build):
    [image] = article.select('img[alt="KubeCon Logo"]')
    figure = image.find_parent("figure")
    assert {"confarchive-float", "align-right"} <= set(figure["class"])
    assert (docs_build / SEED_DOC).parent.joinpath(image["src"]).resolve().is_file()


def test_no_legacy_or_markdown_text_is_left(article):
    text = article.get_text()
    for literal in ("![", "](", "<span", "<div", "NOTE:"):
        assert literal not in text


def test_every_sentence_of_the_prose_is_in_the_page(article):
    source = SEED_SOURCE.read_text(encoding="utf-8").split("---", 2)[2]
    source = re.sub(r"<[^>]+>", " ", source)                 # legacy HTML
    source = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", source)     # images
    source = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)  # links: their text
    source = re.sub(r"^\s*#+\s*|^\s*>\s?|\*\*NOTE:\s*|\*", "", source, flags=re.M)
    page_text = squeeze(article.get_text().replace("\N{PILCROW SIGN}", ""))
    sentences = [
        sentence
        for block in re.split(r"\n\s*\n", source)
        for sentence in re.split(r"(?<=[.!?])\s+", plain(block))
        if sentence.strip()
    ]
    assert len(sentences) > 50
    missing = [s for s in sentences if squeeze(s) not in page_text]
    assert missing == []


def squeeze(text: str) -> str:
    """Text with straight quotes and no white space at all, for comparing across markup."""
    return re.sub(r"\s+", "", plain(text))


def test_recorded_excerpt_is_the_first_paragraph(docs_build):
    with open(docs_build / ".doctrees" / "environment.pickle", "rb") as stream:
        env = pickle.load(stream)
    post = env.domaindata["archive"]["posts"][SEED_DOC]
    assert plain(post.excerpt) == FIRST_PARAGRAPH
    assert post.title == "Good Morning KubeCon?"
    assert post.authors == ("Adron Hall",)
    assert post.date == "2017-12-06T08:57:22"
    talks = env.domaindata["archive"]["talks"][SEED_DOC]
    assert [(t.title, t.anchor, [s.name for s in t.speakers]) for t in talks] == [
        (name, name.lower().replace(" ", "-"), [name]) for name in SPEAKERS
    ]


def test_read_more_marker_leaves_nothing_visible(page, article):
    assert "more" not in [c for el in article.find_all(True) for c in el.get("class", [])]
    assert "<!-- more -->" not in str(article)


def test_post_is_not_in_the_sidebar_toctree(docs_build):
    home = BeautifulSoup((docs_build / "index.html").read_text(encoding="utf-8"), "html.parser")
    sidebar = home.select_one(".sidebar-tree")
    assert sidebar is not None and "Good Morning KubeCon" not in sidebar.get_text()
