"""Video services the archive embeds: YouTube and Vimeo. Pure, no Sphinx import.

:func:`parse_video` reads a watch page, share, embed or player URL (or a bare id) and
gives a :class:`Video`; the ``video`` directive and the import command both use it.
The embed URLs are the privacy-friendly ones: ``youtube-nocookie.com``, and Vimeo's
player with ``dnt=1`` (do not track).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

YOUTUBE = "youtube"
VIMEO = "vimeo"
SERVICES = (YOUTUBE, VIMEO)

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "player.vimeo.com"}
_TIME = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")
_NAMES = {YOUTUBE: "YouTube", VIMEO: "Vimeo"}


@dataclass(frozen=True)
class Video:
    """One video of a service, with an optional start time in seconds."""

    service: str
    id: str
    start: int | None = None

    @property
    def service_name(self) -> str:
        return _NAMES[self.service]

    @property
    def watch_url(self) -> str:
        """The video's own page, for readers and builders that cannot embed."""
        if self.service == YOUTUBE:
            return f"https://www.youtube.com/watch?v={self.id}" + (f"&t={self.start}s" if self.start else "")
        return f"https://vimeo.com/{self.id}" + (f"#t={self.start}s" if self.start else "")

    @property
    def embed_url(self) -> str:
        """The URL of the player to put in an iframe; sets no tracking cookies."""
        if self.service == YOUTUBE:
            return f"https://www.youtube-nocookie.com/embed/{self.id}" + (f"?start={self.start}" if self.start else "")
        return f"https://player.vimeo.com/video/{self.id}?dnt=1" + (f"#t={self.start}s" if self.start else "")

    @property
    def default_title(self) -> str:
        return f"{self.service_name} video {self.id}"


def parse_seconds(value: str | None) -> int | None:
    """``90``, ``90s``, ``1m30s`` or ``1h2m3s`` as seconds; ``None`` when unreadable."""
    if not value:
        return None
    match = _TIME.match(value.strip())
    if not match or not any(match.groupdict().values()):
        return None
    parts = {key: int(number) for key, number in match.groupdict().items() if number}
    return parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + parts.get("s", 0) or None


def parse_video(value: str, service: str | None = None) -> Video | None:
    """The video a URL or id names; ``None`` when it names no YouTube or Vimeo video.

    A bare id is read as Vimeo's when it is all digits, else as YouTube's (11 characters);
    ``service`` forces one of them.
    """
    value = (value or "").strip()
    if not value:
        return None
    if "/" not in value and "." not in value:
        if service in (None, VIMEO) and _VIMEO_ID.match(value):
            return Video(VIMEO, value)
        if service in (None, YOUTUBE) and _YOUTUBE_ID.match(value):
            return Video(YOUTUBE, value)
        return None
    if value.startswith("//"):
        value = "https:" + value
    elif "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    query = parse_qs(parts.query)
    fragment = parse_qs(parts.fragment)
    segments = [segment for segment in parts.path.split("/") if segment]

    if host in _YOUTUBE_HOSTS and service in (None, YOUTUBE):
        video_id = None
        if host == "youtu.be":
            video_id = segments[0] if segments else None
        elif segments[:1] == ["watch"]:
            video_id = (query.get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "v", "shorts", "live", "e"):
            video_id = segments[1]
        if not video_id or not _YOUTUBE_ID.match(video_id):
            return None
        start = parse_seconds((query.get("start") or query.get("t") or fragment.get("t") or [None])[0])
        return Video(YOUTUBE, video_id, start)

    if host in _VIMEO_HOSTS and service in (None, VIMEO):
        if host == "player.vimeo.com":
            video_id = segments[1] if len(segments) >= 2 and segments[0] == "video" else None
        else:
            video_id = next((segment for segment in reversed(segments) if _VIMEO_ID.match(segment)), None)
        if not video_id or not _VIMEO_ID.match(video_id):
            return None
        start = parse_seconds((fragment.get("t") or query.get("t") or [None])[0])
        return Video(VIMEO, video_id, start)
    return None


#: what an embedded player may do: play full screen and picture-in-picture, nothing more
IFRAME_ALLOW = "accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen"


def embed_html(embed_url: str, watch_url: str, title: str, classes: tuple[str, ...] = ("confarchive-video",),
               node_id: str = "") -> str:
    """A video's responsive player (loaded when scrolled to, no tracking cookies), with a
    link to its page under it: the HTML of the ``video`` directive and of a program talk's page."""
    ids = f' id="{escape(node_id)}"' if node_id else ""
    title = escape(title)
    return (
        f'<div class="{" ".join(escape(name) for name in classes)}"{ids}>'
        f'<div class="confarchive-video-frame">'
        f'<iframe src="{escape(embed_url)}" title="{title}" loading="lazy" allow="{IFRAME_ALLOW}" '
        f'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></div>'
        f'<p class="confarchive-video-link"><a class="reference external" href="{escape(watch_url)}">'
        f'{title}</a></p></div>\n'
    )
