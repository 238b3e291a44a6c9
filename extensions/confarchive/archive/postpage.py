"""A post's own page: its date, authors, event and tags under its title, and the posts beside it."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..model import Post
from ..nodes import post_header, speaker_card
from .drafts import hide_page
from .layout import archive_docname
from .listings import ListingNodes, day_title, talk_time
from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def post_neighbours(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    """``html-page-context``: furo's previous/next links on a post go to the posts beside it in time."""
    state = build_state(app.env)
    view = state.read_view()
    if pagename not in view.posts:
        return
    if hide_page(view, pagename, context):
        return  # a draft or a future post
    order = view.listed
    index = view.position(pagename)

    def link(other: Post | None) -> dict[str, str] | None:
        if other is None:
            return None
        return {"link": app.builder.get_relative_uri(pagename, other.docname), "title": html.escape(other.title)}

    # furo's "next" is the newer post, "previous" the older one
    context["next"] = link(order[index - 1] if index > 0 else None)
    context["prev"] = link(order[index + 1] if index + 1 < len(order) else None)


#: where a sentence ends: its stop, then space and a capital, a digit or a quote
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[A-Z0-9])")
DESCRIPTION_LENGTH = 200


def describe(post: Post) -> str:
    """What a post's social preview says: its ``summary``, else the first sentence of its excerpt."""
    if post.summary:
        text = " ".join(post.summary.split())
    else:
        first = post.excerpt.split("\n\n", 1)[0]
        text = _SENTENCE_END.split(" ".join(first.split()), maxsplit=1)[0]
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def social_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``, before sphinxext-opengraph: a post's preview is an article's.

    Its description is the post's summary or first sentence (not the alt text of an image
    that opens it), its type ``article`` with its time of publication, its tags, and a
    ``twitter:card``. Everything comes from the post, so it is escaped here; sphinxext-opengraph
    writes ``og:`` fields given in the page's metadata as they are.
    """
    if doctree is None or app.builder.format != "html":
        return
    view = build_state(app.env).read_view()
    post = view.posts.get(pagename)
    if post is None or pagename in view.hidden:
        return
    description = describe(post)
    meta = dict(context.get("meta") or {})
    meta["og:type"] = "article"
    tags = []
    if description:
        meta["og:description"] = html.escape(description, quote=False)
        tags.append(_meta("name", "description", description))
    if post.date:
        tags.append(_meta("property", "article:published_time", post.date))
    tags += [_meta("property", "article:tag", tag) for tag in post.tags]
    picture = doctree.next_node(nodes.image) is not None or "og:image" in meta
    tags.append(_meta("name", "twitter:card", "summary_large_image" if picture else "summary"))
    context["meta"] = meta
    context["metatags"] = f"{context.get('metatags') or ''}" + "".join(f"\n{tag}" for tag in tags) + "\n"


def _meta(kind: str, name: str, content: str) -> str:
    return f'<meta {kind}="{name}" content="{html.escape(content)}" />'


def add_post_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a post shows its date, authors, event and tags under its title."""
    post = build_state(app.env).read_view().posts.get(docname)
    if post is None:
        return
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is None:
        return
    header = post_header(classes=["confarchive-post-header"])
    header += ListingNodes(app, docname).post_meta(post)
    title.parent.insert(title.parent.index(title) + 1, header)


def link_program_talks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each talk of a post that covers a talk of the program links to it,
    under its speakers' cards: ``In the program: Title · Wednesday 6 December 2017, 09:00–09:20 · Ballroom``."""
    state = build_state(app.env)
    view = state.read_view()
    talks = view.talks.get(docname)
    if not talks or not view.program:
        return
    renderer = None
    for talk in talks:
        program_talk = view.program_talk_of(talk)
        if program_talk is None:
            continue
        cards = [card for card in doctree.findall(speaker_card) if _section_id(card) == talk.anchor]
        if not cards:
            continue
        renderer = renderer or ListingNodes(app, docname)
        children = [renderer.text("In the program: "),
                    renderer.link(program_talk.title, archive_docname(state.config, "talk", program_talk.key),
                                  classes=("confarchive-program-link",))]
        when = ", ".join(part for part in (day_title(program_talk.date) if program_talk.date else "",
                                           talk_time(program_talk)) if part)
        details = [part for part in (when, program_talk.room) if part]
        if details:
            children.append(renderer.text(" · " + " · ".join(details)))
        line = renderer.paragraph(children, ("confarchive-program-line",))
        last = cards[-1]
        last.parent.insert(last.parent.index(last) + 1, line)


def _section_id(card: nodes.Element) -> str:
    """The id of the section a card's talk is: empty for the post's own (top) section."""
    section = card.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    if section is None or isinstance(section.parent, nodes.document):
        return ""
    return section["ids"][0] if section["ids"] else ""
