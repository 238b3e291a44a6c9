"""The ``speaker`` directive: a card for the person who gave a talk.

The section holding a speaker card is a talk; :mod:`confarchive.posts` records it.
"""

from __future__ import annotations

import contextlib
import html
import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..archive.state import build_state
from ..config import archive_config
from ..model import Speaker
from ..nodes import speaker_card, speaker_card_name
from ..problems import ArchiveWarning, warn
from ..text.links import LINK_KINDS, RefusedLink, checked_url
from ..text.slugs import initials, name_key, twitter_handle

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

DIRECTIVE_NAME = "speaker"
_NAME_CLASSES = ["sd-card-title", "confarchive-speaker-name"]
#: what Sphinx's smart quotes change in text (``smartquotes_action``: quotes, dashes,
#: ellipses, and the backslashes that escape them)
_TYPOGRAPHY = re.compile(r"['\"`\\]|--|\.\.\.|\. \. \.")


class SpeakerDirective(SphinxDirective):
    """A speaker card: name, profile links, role and affiliation, avatar, free text.

    ``:talk: event/talk`` says which talk of the official program the card's section
    covers (``:talk: none``: none of them).
    """

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
        "talk": directives.unchanged_required,
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
                warn("speaker %r: %s link refused: %s", ArchiveWarning.LINK, self.get_location(), name, kind, refused)
                continue
            links.append((kind, url, label))
            if kind == "twitter":
                handle = twitter_handle(url)

        avatar = options.get("avatar")
        if avatar:
            try:
                avatar = checked_url(avatar)
            except RefusedLink as refused:
                warn("speaker %r: avatar refused: %s", ArchiveWarning.LINK, self.get_location(), name, refused)
                avatar = None

        registry = build_state(self.env).registry
        speaker_id = registry.speaker_id(name, handle)
        described = registry.speakers.get(speaker_id)
        if described is not None:
            # the registry fills in what the card leaves out: role, affiliation, profiles
            options.setdefault("role", described.role)
            options.setdefault("affiliation", described.affiliation)
            given = {kind for kind, _, _ in links}
            for kind, value in described.links:
                if kind not in given:
                    with contextlib.suppress(RefusedLink):  # the registry reported it when it was read
                        links.append((kind, *LINK_KINDS[kind](value)))
            links.sort(key=lambda link: list(LINK_KINDS).index(link[0]))

        speaker = Speaker(
            name=name,
            links=tuple((kind, url) for kind, url, _ in links),
            role=options.get("role"),
            affiliation=options.get("affiliation"),
            avatar=avatar,
            handle=handle,
            id=speaker_id,
        )
        card = speaker_card(classes=["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm",
                                     "confarchive-speaker", *options.get("class", [])])
        card["speaker"] = speaker
        if options.get("talk"):
            # the program talk this section covers: ``event/talk``, or ``none``
            card["program"] = " ".join(options["talk"].split()).lower()
        self.set_source_info(card)
        self.add_name(card)
        content = self.parse_content_to_nodes() if self.content else []
        typography = _TYPOGRAPHY.search(" ".join([name, _position(speaker), *(label for *_, label in links)]))
        if speaker.avatar or typography:
            # whole from the start: Sphinx's image collector copies a photo of the project,
            # and its smart quotes turn quotes, dashes and dots in text into typography
            fill_card(card, links, content)
        else:
            card["compact"] = True
            card["links"] = links
            card.extend(content)
        return [card]


def fill_card(card: speaker_card, links: list[tuple[str, str, str]], content: list[nodes.Node]) -> None:
    """Give ``card`` its parts as nodes: photo or initials, linked name, position, links, ``content``."""
    speaker: Speaker = card["speaker"]
    body = nodes.container(classes=["sd-card-body", "confarchive-speaker-body"])
    card += body
    body += _avatar(card, speaker)

    info = nodes.container(classes=["confarchive-speaker-info"])
    body += info
    # the name links to the speaker's page in the archive (or the heading above does)
    if not card.get("named_by_heading"):
        info += nodes.paragraph("", "", _name_xref(card), classes=_NAME_CLASSES)
    info.extend(_position_and_links(speaker, links))
    info.extend(content)


def _position_and_links(speaker: Speaker, links: list[tuple[str, str, str]]) -> list[nodes.Element]:
    """The nodes of a card after its name: the speaker's position, the profile links."""
    parts: list[nodes.Element] = []
    position = _position(speaker)
    if position:
        parts.append(nodes.paragraph(position, position, classes=["confarchive-speaker-position"]))
    if links:
        items = nodes.bullet_list(classes=["confarchive-speaker-links"])
        for kind, url, label in links:
            reference = nodes.reference(label, label, refuri=url, classes=[f"confarchive-link-{kind}"])
            items += nodes.list_item("", nodes.paragraph("", "", reference))
        parts.append(items)
    return parts


def _name_xref(card: speaker_card, children: list[nodes.Node] | None = None) -> addnodes.pending_xref:
    name = card["speaker"].name
    children = children if children is not None else [nodes.strong(name, name)]
    xref = addnodes.pending_xref("", *children, refdomain="archive", reftype="speaker",
                                 reftarget=card["speaker"].id, refexplicit=True, refwarn=False,
                                 confarchive_quiet=True)
    xref.source, xref.line = card.source, card.line
    return xref


def _position(speaker: Speaker) -> str:
    return ", ".join(part for part in (speaker.role, speaker.affiliation) if part)


def _avatar(card: speaker_card, speaker: Speaker) -> nodes.Node:
    box = nodes.container(classes=["confarchive-speaker-avatar"])
    if speaker.avatar:
        # The photo is decoration: the speaker's name is written out beside it, so an
        # empty alt keeps screen readers from reading the name twice (WCAG H67).
        image = nodes.image(uri=speaker.avatar, alt="", classes=["confarchive-speaker-photo"])
        image.source, image.line = card.source, card.line
        box += image
    else:
        box += nodes.raw("", _initials_html(speaker), format="html",
                         confarchive_trusted=True)  # our own markup: the HTML policy leaves it alone
    return box


def _initials_html(speaker: Speaker) -> str:
    # initials are decoration: the name is written out beside them
    return (f'<span class="confarchive-speaker-initials" aria-hidden="true">'
            f"{html.escape(initials(speaker.name))}</span>")


# --- writing: a compact card -------------------------------------------------------------


#: the builders whose pages have compact cards: epub shows link addresses from the nodes
COMPACT_BUILDERS = ("html", "dirhtml", "singlehtml")


def _named(card: speaker_card) -> bool:
    return bool(card.children) and isinstance(card[0], speaker_card_name)


class NameSpeakerCards(SphinxPostTransform):
    """HTML pages: a compact card gets its name, as the reference a whole card has.

    It runs before Sphinx resolves references (priority 10), so the name is resolved
    like any other reference. Where Sphinx's own search index is built
    (``confarchive_search = False``), it reads a card's words from its nodes, so the
    card is made whole instead (:class:`CompleteSpeakerCards`).
    """

    default_priority = 5
    builders = COMPACT_BUILDERS

    def run(self, **kwargs: Any) -> None:
        if not archive_config(self.config).search:
            return
        for card in self.document.findall(speaker_card):
            if card.get("compact") and not _named(card):
                # a card under a heading that names the speaker writes no name (its position and links still)
                children = [] if card.get("named_by_heading") else [_name_xref(card)]
                name = speaker_card_name("", "", *children, classes=_NAME_CLASSES)
                name.source, name.line = card.source, card.line
                card.insert(0, name)


class CompleteSpeakerCards(SphinxPostTransform):
    """Other writers: a compact card gets all its parts as nodes (:func:`fill_card`)."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        for card in list(self.document.findall(speaker_card)):
            if card.get("compact") and not _named(card):
                content = card.children[:]
                card.clear()
                del card["compact"]
                fill_card(card, card.attributes.pop("links"), content)


class NameTalkHeadings(SphinxTransform):
    """A talk headed by its speaker's name: the heading links to their page, the card does not repeat it.

    Legacy posts head each talk with its speaker's name, and the card under it said the
    name again. The first card of such a section gives the heading its link, and writes
    no name line of its own (a compact card leaves it out when it is written).
    """

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for card in list(self.document.findall(speaker_card)):
            section = card.parent
            if not isinstance(section, nodes.section) or not isinstance(section.parent, nodes.section):
                continue
            title = section[0] if section.children and isinstance(section[0], nodes.title) else None
            if title is None or next(title.findall(nodes.reference), None) is not None \
                    or next(title.findall(addnodes.pending_xref), None) is not None:
                continue
            if name_key(title.astext()) != name_key(card["speaker"].name):
                continue
            xref = _name_xref(card, list(title.children))
            title.clear()
            title += xref
            card["named_by_heading"] = True
            if not card.get("compact"):
                for name in list(card.findall(nodes.paragraph)):
                    if "confarchive-speaker-name" in name["classes"]:
                        name.parent.remove(name)
                        break


def visit_speaker_card(self: HTML5Translator, node: speaker_card) -> None:
    """A compact card as the HTML writer writes the nodes of a whole one (:func:`fill_card`)."""
    self.visit_container(node)
    if node.get("compact"):
        self.body.extend([
            '<div class="sd-card-body confarchive-speaker-body docutils container">\n',
            '<div class="confarchive-speaker-avatar docutils container">\n',
            f"{_initials_html(node['speaker'])}</div>\n",
            '<div class="confarchive-speaker-info docutils container">\n',
        ])


def depart_speaker_card(self: HTML5Translator, node: speaker_card) -> None:
    if node.get("compact"):
        self.body.append("</div>\n</div>\n")
    self.depart_container(node)


def visit_speaker_card_name(self: HTML5Translator, node: speaker_card_name) -> None:
    if node.children:
        self.visit_paragraph(node)


def depart_speaker_card_name(self: HTML5Translator, node: speaker_card_name) -> None:
    if node.children:
        self.depart_paragraph(node)
    card = node.parent
    # position and links as the nodes of a whole card, written by the writer itself
    # (its list settings, ``html_compact_lists``, apply); in a container, as there
    info = nodes.container(classes=["confarchive-speaker-info"])
    info.extend(_position_and_links(card["speaker"], card["links"]))
    for part in info.children:
        part.walkabout(self)


def setup_speaker(app: Sphinx) -> None:
    app.add_node(speaker_card, html=(visit_speaker_card, depart_speaker_card))
    app.add_node(speaker_card_name, html=(visit_speaker_card_name, depart_speaker_card_name))
    app.add_transform(NameTalkHeadings)
    app.add_post_transform(NameSpeakerCards)
    app.add_post_transform(CompleteSpeakerCards)
    app.add_directive(DIRECTIVE_NAME, SpeakerDirective)
