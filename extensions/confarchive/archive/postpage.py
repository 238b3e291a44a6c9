"""A post's own page: its date, authors, event and tags under its title, and the posts beside it."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..model import Post
from ..nodes import post_header
from .drafts import hide_page
from .listings import ListingNodes
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
