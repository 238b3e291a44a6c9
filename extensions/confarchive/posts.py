"""Sphinx glue for posts: prepare each Markdown source, then record the post and its talks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from .domain import ArchiveDomain, Post, Talk
from .frontmatter import is_post, read_post_fields
from .legacy import MORE_MARKER
from .source import prepare_source
from .speakers import speaker_card
from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_FRONT_KEY = "confarchive_front_matter"


def setup_posts(app: Sphinx) -> None:
    app.connect("source-read", prepare_markdown_source)
    # after Sphinx's own collectors (priority 500) have read titles and metadata
    app.connect("doctree-read", record_post, priority=600)


def prepare_markdown_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: convert the legacy dialect and make the front matter title the H1."""
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    prepared = prepare_source(source[0])
    source[0] = prepared.text
    for problem in prepared.problems:
        logger.warning(problem.message, location=(docname, problem.line),
                       **warning_kwargs(problem.subtype))
    if prepared.front is not None:
        app.env.temp_data[_FRONT_KEY] = prepared.front


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: store the post's record and its talks in the archive domain."""
    env = app.env
    docname = env.docname
    domain: ArchiveDomain = env.domains["archive"]
    excerpt = _take_excerpt(doctree)
    talks = _collect_talks(env, doctree)

    front = env.temp_data.pop(_FRONT_KEY, None)
    if front is None or not is_post(front.data):
        return  # a page, not a post: its speaker cards are examples, not talks
    fields, problems = read_post_fields(front)
    for problem in problems:
        logger.warning(problem.message, location=(docname, problem.line),
                       **warning_kwargs(problem.subtype))
    title = env.titles[docname].astext() if docname in env.titles else fields.title or docname
    domain.note_post(Post(
        docname=docname,
        title=fields.title or title,
        authors=fields.authors,
        date=fields.date.isoformat() if fields.date else None,
        event=fields.event,
        event_slug=domain.identities().event_slug(fields.event) if fields.event else None,
        tags=fields.tags,
        summary=fields.summary,
        excerpt=excerpt,
        draft=fields.draft,
    ))
    domain.note_talks(docname, talks)
    # posts are reached through archive pages, never through the global toctree
    env.metadata[docname]["orphan"] = True


def _take_excerpt(doctree: nodes.document) -> str:
    """Remove the read-more marker and return the text before it (else the first paragraph)."""
    marker = next((raw for raw in doctree.findall(nodes.raw) if raw.astext().strip() == MORE_MARKER), None)
    paragraphs = []
    for node in doctree.findall():
        if node is marker:
            break
        if isinstance(node, nodes.paragraph) and _is_prose(node):
            paragraphs.append(" ".join(node.astext().split()))
            if marker is None:
                break
    if marker is not None:
        marker.parent.remove(marker)
    return "\n\n".join(paragraphs)


def _is_prose(paragraph: nodes.paragraph) -> bool:
    """A paragraph of the post's own text: not inside a card, a callout, a caption or a field."""
    parent = paragraph.parent
    while parent is not None:
        if isinstance(parent, (nodes.Admonition, nodes.figure, nodes.docinfo, nodes.field_list,
                               nodes.container, nodes.table)):
            return False
        parent = parent.parent
    return bool(paragraph.astext().strip())


def _collect_talks(env: BuildEnvironment, doctree: nodes.document) -> list[Talk]:
    """Each section holding speaker cards is a talk."""
    talks: dict[int, Talk] = {}
    for card in doctree.findall(speaker_card):
        section = card.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None:
            logger.warning("speaker card %r is outside any section, so it belongs to no talk",
                           card["speaker"].name, location=card,
                           **warning_kwargs(ArchiveWarning.SPEAKER))
            continue
        key = id(section)
        is_page = section.parent is doctree
        if key in talks:
            talk = talks[key]
            talks[key] = Talk(talk.docname, talk.anchor, talk.title,
                              talk.speakers + (card["speaker"],), talk.line)
            continue
        title = section.next_node(nodes.title)
        talks[key] = Talk(
            docname=env.docname,
            anchor="" if is_page else (section["ids"][0] if section["ids"] else ""),
            title=title.astext() if title else "",
            speakers=(card["speaker"],),
            line=card.line,
        )
    return list(talks.values())
