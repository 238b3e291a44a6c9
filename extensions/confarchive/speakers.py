"""The ``speaker`` directive: a card for the person who gave a talk.

The section holding a speaker card is a talk; :mod:`confarchive.posts` records it.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .domain import ArchiveDomain, Speaker
from .identity import twitter_handle
from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

DIRECTIVE_NAME = "speaker"
SAFE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class speaker_card(nodes.container):
    """A speaker card; writers render it as the container it is."""


class RefusedLink(ValueError):
    """A link that must not become a link."""


def checked_url(value: str) -> str:
    """``value`` if it is an http(s) URL or a relative path; :class:`RefusedLink` otherwise."""
    value = value.strip()
    compact = re.sub(r"[\x00-\x20]", "", value)
    scheme = _SCHEME.match(compact)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        raise RefusedLink(f"{value!r} uses the scheme {scheme.group(1)!r}; only http and https become links")
    if value.startswith("//"):
        raise RefusedLink(f"{value!r} has no scheme; write it with https://")
    return value


def _handle_or_url(value: str, pattern: str, url_template: str, kind: str) -> tuple[str, str]:
    """(url, handle) from a handle or a profile URL."""
    value = value.strip()
    if _SCHEME.match(value) or value.startswith("//"):
        url = checked_url(value)
        path = [part for part in urlsplit(url).path.split("/") if part]
        handle = path[-1].lstrip("@") if path else urlsplit(url).netloc
        return url, handle
    handle = value.lstrip("@")
    if not re.fullmatch(pattern, handle):
        raise RefusedLink(f"{value!r} is not a {kind} handle")
    return url_template.format(handle=handle), handle


def twitter_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9_]{1,15}", "https://x.com/{handle}", "Twitter/X")
    return url, f"@{handle} on X"


def github_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", "https://github.com/{handle}",
                                 "GitHub")
    return url, f"{handle} on GitHub"


def bluesky_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "https://bsky.app/profile/{handle}",
                                 "Bluesky")
    return url, f"@{handle} on Bluesky"


def mastodon_link(value: str) -> tuple[str, str]:
    value = value.strip()
    match = re.fullmatch(r"@?([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})", value)
    if match:
        user, host = match.groups()
        return f"https://{host}/@{user}", f"@{user}@{host} on Mastodon"
    if _SCHEME.match(value):
        url = checked_url(value)
        parts = urlsplit(url)
        user = parts.path.strip("/").lstrip("@")
        return url, f"@{user}@{parts.netloc} on Mastodon"
    raise RefusedLink(f"{value!r} is not a Mastodon handle (@user@host) or profile URL")


def website_link(value: str) -> tuple[str, str]:
    value = value.strip()
    if not _SCHEME.match(value) and re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?", value):
        value = "https://" + value
    if not _SCHEME.match(value):
        raise RefusedLink(f"{value!r} is not a web address")
    url = checked_url(value)
    return url, f"Website: {urlsplit(url).netloc or url}"


#: profile link kinds, in the order cards show them
LINK_KINDS = {
    "twitter": twitter_link,
    "mastodon": mastodon_link,
    "bluesky": bluesky_link,
    "github": github_link,
    "website": website_link,
}


def initials(name: str) -> str:
    words = [word for word in re.split(r"\s+", name.strip()) if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


class SpeakerDirective(SphinxDirective):
    """A speaker card: name, profile links, role and affiliation, avatar, free text."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        "twitter": directives.unchanged_required,
        "x": directives.unchanged_required,
        "mastodon": directives.unchanged_required,
        "bluesky": directives.unchanged_required,
        "github": directives.unchanged_required,
        "website": directives.unchanged_required,
        "role": directives.unchanged_required,
        "affiliation": directives.unchanged_required,
        "avatar": directives.unchanged_required,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        name = " ".join(self.arguments[0].split())
        options = dict(self.options)
        if "x" in options:
            options.setdefault("twitter", options.pop("x"))

        links = []
        handle = None
        for kind, make_link in LINK_KINDS.items():
            if kind not in options:
                continue
            try:
                url, label = make_link(options[kind])
            except RefusedLink as refused:
                logger.warning("speaker %r: %s link refused: %s", name, kind, refused,
                               location=self.get_location(), **warning_kwargs(ArchiveWarning.LINK))
                continue
            links.append((kind, url, label))
            if kind == "twitter":
                handle = twitter_handle(url)

        avatar = options.get("avatar")
        if avatar:
            try:
                avatar = checked_url(avatar)
            except RefusedLink as refused:
                logger.warning("speaker %r: avatar refused: %s", name, refused,
                               location=self.get_location(), **warning_kwargs(ArchiveWarning.LINK))
                avatar = None

        domain: ArchiveDomain = self.env.domains["archive"]
        speaker = Speaker(
            name=name,
            links=tuple((kind, url) for kind, url, _ in links),
            role=options.get("role"),
            affiliation=options.get("affiliation"),
            avatar=avatar,
            handle=handle,
            id=domain.identities().speaker_id(name, handle),
        )
        card = speaker_card(classes=["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm",
                                     "confarchive-speaker", *options.get("class", [])])
        card["speaker"] = speaker
        self.set_source_info(card)
        self.add_name(card)

        body = nodes.container(classes=["sd-card-body", "confarchive-speaker-body"])
        card += body
        body += self._avatar(speaker)

        info = nodes.container(classes=["confarchive-speaker-info"])
        body += info
        # the name links to the speaker's page in the archive
        name_link = addnodes.pending_xref("", nodes.strong(name, name), refdomain="archive", reftype="speaker",
                                          reftarget=speaker.id, refexplicit=True, refwarn=False,
                                          confarchive_quiet=True)
        info += nodes.paragraph("", "", name_link, classes=["sd-card-title", "confarchive-speaker-name"])
        position = ", ".join(part for part in (speaker.role, speaker.affiliation) if part)
        if position:
            info += nodes.paragraph(position, position, classes=["confarchive-speaker-position"])
        if links:
            items = nodes.bullet_list(classes=["confarchive-speaker-links"])
            for kind, url, label in links:
                reference = nodes.reference(label, label, refuri=url,
                                            classes=[f"confarchive-link-{kind}"])
                items += nodes.list_item("", nodes.paragraph("", "", reference))
            info += items
        if self.content:
            info += self.parse_content_to_nodes()
        return [card]

    def _avatar(self, speaker: Speaker) -> nodes.Node:
        box = nodes.container(classes=["confarchive-speaker-avatar"])
        if speaker.avatar:
            # The photo is decoration: the speaker's name is written out beside it, so an
            # empty alt keeps screen readers from reading the name twice (WCAG H67).
            image = nodes.image(uri=speaker.avatar, alt="", classes=["confarchive-speaker-photo"])
            self.set_source_info(image)
            box += image
        else:
            # initials are decoration: the name is written out beside them
            box += nodes.raw(
                "",
                f'<span class="confarchive-speaker-initials" aria-hidden="true">'
                f"{html.escape(initials(speaker.name))}</span>",
                format="html",
                confarchive_trusted=True,  # our own markup: the HTML policy leaves it alone
            )
        return box


def setup_speakers(app: Sphinx) -> None:
    app.add_node(speaker_card)
    app.add_directive(DIRECTIVE_NAME, SpeakerDirective)
