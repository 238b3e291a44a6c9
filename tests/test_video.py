"""The ``video`` directive: privacy-friendly YouTube and Vimeo players, and a link elsewhere."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from confarchive.text.embeds import Video, parse_seconds, parse_video

from conftest import ROOTS, build_root, warning_lines


@pytest.mark.parametrize(("value", "expected"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
    ("https://youtu.be/NhgXQFk9noI?t=1m30s", Video("youtube", "NhgXQFk9noI", 90)),
    ("https://www.youtube.com/embed/5XD2kNopsUs?rel=0&amp;showinfo=0", Video("youtube", "5XD2kNopsUs")),
    ("//www.youtube-nocookie.com/embed/5XD2kNopsUs?start=12", Video("youtube", "5XD2kNopsUs", 12)),
    ("https://m.youtube.com/shorts/dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
    ("dQw4w9WgXcQ", Video("youtube", "dQw4w9WgXcQ")),
    ("https://player.vimeo.com/video/182030548?title=0&byline=0", Video("vimeo", "182030548")),
    ("https://vimeo.com/channels/staffpicks/76979871#t=30s", Video("vimeo", "76979871", 30)),
    ("182030548", Video("vimeo", "182030548")),
    ("https://example.org/watch?v=dQw4w9WgXcQ", None),
    ("https://www.youtube.com/watch?v=short", None),
    ("javascript:alert(1)", None),
    ("https://open.spotify.com/embed/track/47YfeXei5KhIb05ZqHMW5D", None),
])
def test_parse_video(value, expected):
    assert parse_video(value) == expected


def test_embed_and_watch_urls_set_no_tracking_cookies():
    assert Video("youtube", "dQw4w9WgXcQ", 90).embed_url == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"
    assert Video("youtube", "dQw4w9WgXcQ", 90).watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s"
    assert Video("vimeo", "76979871").embed_url == "https://player.vimeo.com/video/76979871?dnt=1"
    assert parse_seconds("1h2m3s") == 3723 and parse_seconds("soon") is None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("import-video", tmp_path_factory.mktemp("video") / "src")
    yield app
    app.cleanup()


def frames(app) -> list:
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page.select("article .confarchive-video")


def test_players_are_privacy_friendly_titled_iframes(built):
    videos = frames(built)
    assert [video.iframe["src"] for video in videos] == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/NhgXQFk9noI?start=90",
        "https://player.vimeo.com/video/76979871?dnt=1",
        "https://player.vimeo.com/video/182030548?dnt=1#t=45s",
    ]
    assert [video.iframe["title"] for video in videos] == [
        'The keynote <of> "day one"', "YouTube video NhgXQFk9noI", "Vimeo video 76979871", "Vimeo video 182030548",
    ]
    for video in videos:
        assert video.iframe.has_attr("allowfullscreen") and video.iframe["loading"] == "lazy"
        assert video.select_one(".confarchive-video-link a")["href"].startswith(("https://www.youtube.com/watch",
                                                                                 "https://vimeo.com/"))
    assert videos[3]["id"] == "vimeo-talk"


def test_titles_are_escaped_and_no_tracking_player_is_used(built):
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    assert 'title="The keynote &lt;of&gt; &quot;day one&quot;"' in html
    assert "youtube.com/embed" not in html and "<of>" not in html
    assert "confarchive-video.css" in html


def test_a_url_that_is_not_a_video_warns_and_embeds_nothing(built):
    assert warning_lines(built) == [
        "index.md:26: WARNING: video 'https://example.org/watch?v=dQw4w9WgXcQ' is not a YouTube or Vimeo video URL "
        "or id; nothing is embedded [confarchive.link]",
    ]
    assert len(frames(built)) == 4


def test_other_builders_show_a_link(tmp_path):
    shutil.copytree(ROOTS / "test-import-video", tmp_path / "src")
    app = SphinxTestApp("text", srcdir=tmp_path / "src", status=StringIO(), warning=StringIO())
    try:
        app.build()
        text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "The keynote <of> \"day one\" (YouTube)" in text
    assert "Vimeo video 182030548 (Vimeo)" in text
    assert "<iframe" not in text
