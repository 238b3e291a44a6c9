"""Reading hooks: each source prepared before MyST parses it, each post recorded once it is read.

- ``env-before-read-docs``: sources are decoded leniently (a Latin-1 byte is reported,
  not a traceback);
- ``source-read`` (:func:`read_source`): characters no page can carry are replaced, the
  legacy dialect converted, the front matter title made the H1, lists nested deeper
  than MyST reads flattened; each step reports at the line of the original file;
- transforms, before Sphinx's collectors: raw HTML cleaned (:mod:`.rawhtml`), paths
  that lead outside the sources left out (:mod:`.confine`);
- ``doctree-read``, after Sphinx's collectors (:func:`record_post`): the post's record
  and its talks go into the store.
"""

from __future__ import annotations

import re

from dataclasses import replace
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..model import Post, Talk, is_future
from ..nodes import speaker_card
from ..problems import ArchiveWarning, warn, warn_problem
from ..text.encoding import (
    LENIENT_UTF_8,
    is_utf_8,
    replace_control_characters,
    undecodable_bytes,
)
from ..text.frontmatter import is_post, read_post_fields
from ..text.legacy import MORE_MARKER
from ..text.nesting import limit_nesting
from ..text.prepare import prepare_source
from ..text.slugs import TAG_RULE, tag_key
from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import ArchiveDomain

#: where the front matter of the document being read waits for ``doctree-read``
_FRONT_KEY = "confarchive_front_matter"


def decode_leniently(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: read UTF-8 sources with undecodable bytes replaced, not as errors."""
    if is_utf_8(env.settings["input_encoding"]):
        env.settings["input_encoding"] = LENIENT_UTF_8


def read_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: the characters first, then the Markdown."""
    check_characters(app, docname, source)
    prepare_markdown_source(app, docname, source)


def check_characters(app: Sphinx, docname: str, source: list[str]) -> None:
    """Report undecodable bytes, and replace the characters no page can carry."""
    if "\ufffd" in source[0] and app.env.settings["input_encoding"] == LENIENT_UTF_8:
        try:
            problem = undecodable_bytes(app.env.doc2path(docname).read_bytes())
        except OSError:
            problem = None
        if problem:
            warn_problem(problem, docname=docname)
    source[0], problem = replace_control_characters(source[0])
    if problem:
        warn_problem(problem, docname=docname)


def prepare_markdown_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Convert the legacy dialect, make the front matter title the H1, and flatten lists and
    quotes nested deeper than MyST renders."""
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    prepared = prepare_source(source[0])
    text, nesting_problems = limit_nesting(prepared.text, lambda: _markdown_parser(app))
    source[0] = text
    for problem in (*prepared.problems, *nesting_problems):
        warn_problem(problem, docname=docname)
    if prepared.front is not None:
        app.env.temp_data[_FRONT_KEY] = prepared.front


def _markdown_parser(app: Sphinx):
    """A markdown-it parser configured as MyST's, for a look at a document's block structure."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(app.env.myst_config, RendererHTML)


def note_references(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note a document that uses ``{archive:speaker}``, ``{archive:event}`` or
    ``{archive:talk}``, so that it is written again when what they name changes."""
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "archive" and not xref.get("confarchive_quiet"):
            app.env.domains["archive"].note_references(app.env.docname)
            return


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: store the post's record and its talks in the archive domain."""
    env = app.env
    docname = env.docname
    domain: ArchiveDomain = env.domains["archive"]
    excerpt_blocks = _take_excerpt(doctree)
    excerpt = "\n\n".join(text for _, text in excerpt_blocks)
    talks, headings = _collect_talks(env, doctree)

    front = env.temp_data.pop(_FRONT_KEY, None)
    if front is None or not is_post(front.data):
        return  # a page, not a post: its speaker cards are examples, not talks
    _warn_same_titles(docname, talks, headings)
    fields, problems = read_post_fields(front)
    for problem in problems:
        warn_problem(problem, docname=docname)
    title = env.titles[docname].astext() if docname in env.titles else fields.title or docname
    tags_line = front.key_lines.get("tags")
    tags = _one_spelling_a_tag(docname, fields.tags, tags_line)
    state = build_state(env)
    post = Post(
        docname=docname,
        title=fields.title or title,
        authors=fields.authors,
        date=fields.date.isoformat() if fields.date else None,
        event=fields.event,
        event_slug=state.registry.event_slug(fields.event) if fields.event else None,
        tags=tags,
        summary=fields.summary,
        excerpt=excerpt,
        excerpt_blocks=excerpt_blocks,
        draft=fields.draft,
        tags_line=tags_line,
    )
    domain.note_post(post)
    domain.note_talks(docname, talks)
    if is_future(post.date, state.now):
        # read again once its day comes, so that everything it holds is listed from then on
        domain.note_future(docname, post.date)
    if not state.config.show_drafts and (post.draft or is_future(post.date, state.now)):
        # a draft's index entries and glossary terms would lead readers to it from the general index
        # (emptied, not removed: the index domain merges every document's entry under -j)
        env.domains.index_domain.entries[docname] = []
    # posts are reached through archive pages, never through the global toctree
    env.metadata[docname]["orphan"] = True


def _one_spelling_a_tag(docname: str, tags: tuple[str, ...], line: int | None) -> tuple[str, ...]:
    """A post's tags, each once: a second spelling of a tag the post has is left out, and reported."""
    kept: dict[str, str] = {}
    for tag in tags:
        if not tag_key(tag):
            warn("tag %r shows nothing (only invisible characters) and is left out", ArchiveWarning.TAG,
                 (docname, line), tag)
            continue
        first = kept.setdefault(tag_key(tag), tag)
        if first != tag:
            warn("tag %r is the tag %r given before it, and is left out: %s", ArchiveWarning.TAG, (docname, line),
                 tag, first, TAG_RULE)
    return tuple(kept.values())


#: what the importer writes for an embed it cannot show: no part of an excerpt
_EMBED_PLACEHOLDER = re.compile(r"^Embedded content from \S+$")


def _take_excerpt(doctree: nodes.document) -> tuple[tuple[str, str], ...]:
    """Remove the read-more marker; the text before it (else the first paragraph), in blocks.

    A block is ``("paragraph", text)``, ``("item", text)`` for a paragraph of a list item,
    or ``("heading", text)`` for a section's title below the post's own, so that a listing
    can show the excerpt's structure. Embed placeholders are left out.
    """
    marker = next((raw for raw in doctree.findall(nodes.raw) if raw.astext().strip() == MORE_MARKER), None)
    blocks: list[tuple[str, str]] = []
    for node in doctree.findall():
        if node is marker:
            break
        if marker is not None and isinstance(node, nodes.title) and isinstance(node.parent, nodes.section) \
                and isinstance(node.parent.parent, nodes.section):
            blocks.append(("heading", " ".join(node.astext().split())))
        if isinstance(node, nodes.paragraph) and _is_prose(node):
            text = " ".join(node.astext().split())
            if _EMBED_PLACEHOLDER.match(text):
                continue
            blocks.append(("item" if isinstance(node.parent, nodes.list_item) else "paragraph", text))
            if marker is None:
                break
    if marker is not None:
        marker.parent.remove(marker)
    return tuple(blocks)


def _is_prose(paragraph: nodes.paragraph) -> bool:
    """A paragraph of the post's own text: not inside a card, a callout, a caption or a field."""
    parent = paragraph.parent
    while parent is not None:
        if isinstance(parent, (nodes.Admonition, nodes.figure, nodes.docinfo, nodes.field_list,
                               nodes.container, nodes.table)):
            return False
        parent = parent.parent
    return bool(paragraph.astext().strip())


def _collect_talks(env: BuildEnvironment, doctree: nodes.document) -> tuple[list[Talk], list[int | None]]:
    """Each section holding speaker cards is a talk: the talks, and the line of each one's heading."""
    talks: dict[int, Talk] = {}
    headings: dict[int, int | None] = {}
    for card in doctree.findall(speaker_card):
        speaker = replace(card["speaker"], line=card.line)
        section = card.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None:
            warn("speaker card %r is outside any section, so it belongs to no talk", ArchiveWarning.SPEAKER, card,
                 speaker.name)
            continue
        key = id(section)
        is_page = section.parent is doctree
        program = card.get("program")
        if key in talks:
            talk = talks[key]
            if program and talk.program and program != talk.program:
                warn("speaker card %r names the program talk %r, another card of its talk %r", ArchiveWarning.TALK_MATCH,
                     card, speaker.name, program, talk.program)
            talks[key] = replace(talk, speakers=talk.speakers + (speaker,), program=talk.program or program)
            continue
        title = section.next_node(nodes.title)
        talks[key] = Talk(
            docname=env.docname,
            anchor="" if is_page else (section["ids"][0] if section["ids"] else ""),
            title=title.astext() if title else "",
            speakers=(speaker,),
            line=card.line,
            program=program,
        )
        headings[key] = section.line or card.line
    return list(talks.values()), [headings[key] for key in talks]


def _warn_same_titles(docname: str, talks: list[Talk], headings: list[int | None]) -> None:
    """Two talks of one post with one title: both are kept, but lists cannot tell them apart."""
    first: dict[str, tuple[Talk, int | None]] = {}
    for talk, heading in zip(talks, headings):
        title = " ".join(talk.title.split()).casefold()
        if not title:
            continue
        if title not in first:
            first[title] = (talk, heading)
            continue
        earlier, line = first[title]
        warn("talk %r has the title of the talk at line %s; both are kept, at #%s and #%s, "
             "but lists of talks cannot tell them apart: give each a title of its own", ArchiveWarning.STRUCTURE,
             (docname, heading), talk.title, line, earlier.anchor or "top", talk.anchor or "top")
