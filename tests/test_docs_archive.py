"""The archive of docs/ itself: the example post's event, speakers, home page and feeds."""

from __future__ import annotations

from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from confarchive.text.program import read_program

DOCS = Path(__file__).resolve().parent.parent / "docs"

SPEAKER_PAGES = {
    "dankohn1": "Dan Kohn",
    "michellenoorali": "Michelle Noorali",
    "imadsousou": "Imad Sousou",
    "dmarsh": "Diane Marsh",
    "adrianco": "Adrian Cockcroft",
}


def page(docs_build, name: str) -> BeautifulSoup:
    return BeautifulSoup((docs_build / name).read_text(encoding="utf-8"), "html.parser")


def test_event_page_lists_the_post_and_its_five_talks(docs_build):
    event = page(docs_build, "archive/events/kubecon-na-2017.html")
    article = event.select_one("article[role=main]")
    assert article.find("h1").get_text().rstrip("¶") == "KubeCon + CloudNativeCon North America 2017"
    text = article.get_text(" ")
    assert "Austin, Texas" in text and "2017-12-06 to 2017-12-08" in text
    assert [a.get_text() for a in article.select(".confarchive-post-title a")] == ["Good Morning KubeCon?"]
    # the talks as cards, each with its speaker and the post that covers it
    cards = article.select(".confarchive-talk-cards .confarchive-talk-card")
    assert [card.select_one(".confarchive-talk-card-speakers").get_text() for card in cards] == [
        "Dan Kohn", "Michelle Noorali", "Imad Sousou", "Diane Marsh", "Adrian Cockcroft"]
    assert all(card.select_one(".confarchive-talk-card-post").get_text().startswith("in Good Morning KubeCon?")
               for card in cards)
    talks = article.select(".confarchive-talk-cards .confarchive-talk-link")
    assert [a["href"].split("#")[1] for a in talks] == [
        "dan-kohn", "michelle-noorali", "imad-sousou", "diane-marsh", "adrian-cockroft"]
    assert all(a["href"].startswith("../../posts/2017/kubecon-dayone-keynotes/index.html#") for a in talks)


def test_five_speaker_pages_and_the_index(docs_build):
    for speaker_id, name in SPEAKER_PAGES.items():
        speaker = page(docs_build, f"archive/speakers/{speaker_id}.html").select_one("article[role=main]")
        assert speaker.find("h1").get_text().rstrip("¶") == name
        assert speaker.select(".confarchive-talk-link"), speaker_id
    index = page(docs_build, "archive/speakers/index.html")
    listed = [a.get_text() for a in index.select(".confarchive-speaker-index a")]
    # the speakers of the posts, and of the programs docs/ ships
    programs = [read_program(path)[0] for path in sorted((DOCS / "program").glob("*.yaml"))]
    people = {person.name for program in programs for talk in program.talks for person in talk.speakers}
    assert len(people) > 10
    assert set(listed) == set(SPEAKER_PAGES.values()) | people
    assert len(listed) == len(set(listed))


def test_the_shipped_programs_have_talk_pages_reachable_from_their_events(docs_build):
    for path in sorted((DOCS / "program").glob("*.yaml")):
        program, problems = read_program(path)
        assert problems == [], path
        event = page(docs_build, f"archive/events/{program.id}.html").select_one("article[role=main]")
        linked = {a["href"] for a in event.select("a.confarchive-program-link")}
        assert linked == {f"../talks/{program.id}/{talk.id}.html" for talk in program.talks}
        for talk in program.talks:
            assert (docs_build / "archive" / "talks" / program.id / f"{talk.id}.html").is_file()


def test_home_page_lists_the_post_with_its_excerpt(docs_build):
    home = page(docs_build, "index.html").select_one("article[role=main]")
    summary = home.select_one(".confarchive-post-summary")
    assert summary.select_one(".confarchive-post-title").get_text() == "Good Morning KubeCon?"
    assert "KubeCon + CloudNativeCon North America 2017" in summary.select_one(".confarchive-post-meta").get_text()
    assert summary.select_one(".confarchive-excerpt").get_text().startswith("I hope you")


def test_feeds_of_the_archive_and_the_event(docs_build):
    for name in ("feeds/atom.xml", "feeds/events/kubecon-na-2017.xml", "feeds/tags/kubernetes.xml"):
        feed = feedparser.parse((docs_build / name).read_bytes())
        assert feed.bozo == 0, name
        assert [entry.title for entry in feed.entries] == ["Good Morning KubeCon?"], name


def test_github_alert_in_the_manual_renders_as_a_callout(docs_build):
    article = page(docs_build, "writing-posts.html").select_one("article[role=main]")
    callouts = [box for box in article.select(".admonition.confarchive-callout")
                if box.select_one(".admonition-title").get_text() == "Queues at the door"]
    assert len(callouts) == 1 and "warning" in callouts[0]["class"]
    assert "Badge pick-up opens at 7:30" in callouts[0].get_text()
    # the alert's marker shows only in the example's code block
    shown = [node for node in article.find_all(string=lambda text: "[!WARNING]" in text)]
    assert shown and all(node.find_parent("pre") for node in shown)
