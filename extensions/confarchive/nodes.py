"""The docutils nodes confarchive adds. Classes only: the directives and writers that use them
register their visitors.

Each is a plain container, paragraph or element with ``confarchive-`` classes, so a
builder without a visitor of its own writes it as what it is.
"""

from __future__ import annotations

from docutils import nodes


class speaker_card(nodes.container):
    """A speaker card; writers render it as the container it is.

    A card without a photo is compact while it is read and kept: its ``speaker``, its
    profile ``links`` and, as children, its free text; its other parts (initials, the
    name linked to the speaker's page, position, links) are written from those. An
    archive has a card for every talk, and each part as nodes was about ten nodes a
    card to build, keep in memory, store and load again. When an HTML page is written,
    :class:`NameSpeakerCards` gives a compact card its name, a reference Sphinx
    resolves, and the HTML writer writes the rest from the card's data
    (:func:`visit_speaker_card`); for other writers :class:`CompleteSpeakerCards` makes
    the card whole, with the nodes of :func:`fill_card`. A card with a photo is
    whole from the start, so that Sphinx copies the photo like any image, and so is a
    card with quotes, dashes, dots or backslashes in its text, so that Sphinx's smart
    quotes apply.
    """


class speaker_card_name(nodes.paragraph):
    """A compact card's name, a reference to the speaker's page, while its page is written.

    HTML writers write it as the paragraph it is, then the card's position and links.
    """


class video_embed(nodes.container):  # noqa: N801 - docutils names nodes in lower case
    """A video: HTML embeds its player; other builders show its link (the node's content)."""


class archive_listing(nodes.General, nodes.Element):
    """Placeholder for a list filled in once every post is read."""


class post_header(nodes.Invisible, nodes.container):
    """A post's date, authors, event and tags under its title.

    Writers render it as the container it is; readers of a page's text for its
    description (sphinxext-opengraph) pass over ``Invisible`` nodes, so the description
    is the post's prose, not this line.
    """
