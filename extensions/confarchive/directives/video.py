"""The ``video`` directive: a YouTube or Vimeo video, embedded without tracking.

HTML gets a responsive ``<iframe>`` of the privacy-friendly player
(``youtube-nocookie.com``, Vimeo's player with ``dnt=1``), with a ``title`` for screen
readers and a link to the video's page under it. The node is a container holding that
link, so every other builder (LaTeX, text, man) shows the link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..nodes import video_embed
from ..problems import ArchiveWarning, warn
from ..text.embeds import SERVICES, embed_html, parse_seconds, parse_video

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


DIRECTIVE_NAME = "video"
CSS_FILE = "confarchive-video.css"


def _start(value: str) -> int:
    seconds = parse_seconds(value)
    if seconds is None:
        raise ValueError(f"{value!r} is not a time like 90, 90s or 1m30s")
    return seconds


def _service(value: str) -> str:
    return directives.choice(value.lower(), SERVICES)


class VideoDirective(SphinxDirective):
    """``{video} <YouTube or Vimeo URL, or id>``, with an optional title and start time."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar = {
        "title": directives.unchanged_required,
        "start": _start,
        "service": _service,
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        video = parse_video(self.arguments[0], self.options.get("service"))
        if video is None:
            warn("video %r is not a YouTube or Vimeo video URL or id; nothing is embedded", ArchiveWarning.LINK,
                 self.get_location(), self.arguments[0])
            return []
        if "start" in self.options:
            video = type(video)(video.service, video.id, self.options["start"])
        title = " ".join(self.options.get("title", "").split()) or video.default_title
        node = video_embed(classes=["confarchive-video", *self.options.get("class", [])],
                           service=video.service, video_id=video.id, title=title,
                           embed_url=video.embed_url, watch_url=video.watch_url)
        self.set_source_info(node)
        self.add_name(node)
        link = nodes.paragraph("", "", classes=["confarchive-video-link"])
        link += nodes.reference("", f"{title} ({video.service_name})", refuri=video.watch_url)
        node += link
        return [node]


def visit_video_html(self: HTML5Translator, node: video_embed) -> None:
    self.body.append(embed_html(node["embed_url"], node["watch_url"], node["title"], tuple(node["classes"]),
                                node["ids"][0] if node["ids"] else ""))
    raise nodes.SkipNode


def setup_video(app: Sphinx) -> None:
    app.add_node(video_embed, html=(visit_video_html, None))
    app.add_directive(DIRECTIVE_NAME, VideoDirective)
    # the file sits in the extension's static folder, which confarchive adds to html_static_path
    app.add_css_file(CSS_FILE)
