"""Search records: each post, talk and documentation page as one Pagefind record.

Reading a post notes its searchable text: each talk's section on its own, and the rest
of the post. After an HTML build, every post, talk and documentation page becomes one
Pagefind record, so a hit inside a talk is a result for that talk (linking to the talk's
section) and a hit elsewhere is a result for the post. Records carry filters (event,
speaker, year, tag, author) with the archive's canonical names, so all the spellings of
one person are one filter value.

Listing pages (events, speakers, tags...) are not indexed: they repeat the excerpts of
posts. Sidebars, navigation and footers never enter the index: records are built from
the documents' text, not from the finished pages. Sphinx's own search index is not
built; the search page (``search.html``) runs Pagefind in the browser. A result's link
carries ``?highlight=<words>``, which Sphinx's own ``sphinx_highlight.js`` (on every
page) reads to highlight the words on the page it opens.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..archive.layout import archive_docname
from ..archive.state import build_state
from ..model import Post
from ..nodes import speaker_card
from ..text.sanitise import TRUSTED, html_text
from ..text.slugs import tag_slug

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..archive.domain import ArchiveDomain
    from ..archive.view import ArchiveView

#: under the doctree folder: each document's searchable text, by docname
_TEXT_DIR = "confarchive-search"
#: block-level nodes whose text is read; the rest is walked through
_SKIP = (nodes.comment, nodes.system_message, nodes.Invisible, nodes.substitution_definition,
         nodes.target)
#: how much a word counts in a page that is neither a post nor a talk, against 1 in them
PAGE_WEIGHT = 0.1
#: the parts of a speaker card made from its speaker, not from the card's text
_CARD_PARTS = frozenset({"confarchive-speaker-name", "confarchive-speaker-position", "confarchive-speaker-links",
                         "confarchive-speaker-avatar"})


# --- reading: the searchable text of each document ------------------------------------


def document_text(node: nodes.Node, without: Collection[str] = ()) -> str:
    """The words of ``node`` as a reader sees them: no markup, no link labels of cards.

    Sections whose first id is in ``without`` are left out.
    """
    parts: list[str] = []

    def walk(current: nodes.Node) -> None:
        if isinstance(current, _SKIP):
            return
        if without and isinstance(current, nodes.section) and current["ids"] and current["ids"][0] in without:
            return
        if isinstance(current, speaker_card):
            # the card's name and position from the speaker, then the writer's own words on it
            speaker = current["speaker"]
            parts.append(" ".join(filter(None, (speaker.name, speaker.role, speaker.affiliation))) + "\n")
            for child in current.children:
                walk(child)
            return
        if isinstance(current, nodes.Element) and _CARD_PARTS.intersection(current["classes"]):
            return  # written from the speaker above: the name, position, links, photo or initials
        if isinstance(current, nodes.image):
            # what a reader of the page without its pictures reads, and a screen reader says
            parts.append(f" {current.get('alt', '')}\n")
            return
        if isinstance(current, nodes.raw):
            # raw HTML (cleaned by the HTML policy): the words, not the markup
            if "html" in current.get("format", "").split() and not current.get(TRUSTED):
                parts.append(html_text(current.astext()))
            return
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
            return
        for child in current.children:
            walk(child)
        if isinstance(current, (nodes.TextElement, nodes.section, nodes.Body)):
            parts.append("\n")

    walk(node)
    return " ".join("".join(parts).split())


def note_search_text(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, once the archive has the post's talks: keep each talk's text and the
    rest of the page, beside the doctree."""
    env = app.env
    domain: ArchiveDomain = env.domains["archive"]
    docname = env.docname
    talks = {talk.anchor: talk for talk in domain.talks.get(docname, [])}
    talk_texts: dict[str, str] = {}
    sections = [section for section in doctree.findall(nodes.section)
                if section["ids"] and section["ids"][0] in talks and talks[section["ids"][0]].anchor]
    for section in sections:
        talk_texts[section["ids"][0]] = document_text(section)
    # the page without its talks
    record = {"text": document_text(doctree, without=talk_texts.keys()), "talks": talk_texts}
    path = Path(app.doctreedir) / _TEXT_DIR / f"{docname}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


# --- building the index ----------------------------------------------------------------


def search_records(app: Sphinx) -> list[dict[str, Any]]:
    """One Pagefind record for each listed post, each of its talks, and each documentation page.

    Posts come newest first, each followed by its talks, then the other pages. Pagefind
    numbers records in that order and gives results of equal weight in it, so a search
    by filters alone lists the newest first without a sort: a sort would add two bytes
    a record to the metadata every first query loads (43 kB for 20,000 talks).
    """
    env = app.env
    builder = app.builder
    config = app.config
    state = build_state(env)
    view = state.read_view()
    speakers = view.shown_speakers
    tag_names = view.tag_names
    archive_dir = state.config.archive_dir.rstrip("/") + "/"
    newest_first = view.listed
    shown = {post.docname: post for post in newest_first}
    others = sorted(docname for docname in env.all_docs if docname not in view.posts)
    records = []
    for docname in [post.docname for post in newest_first] + others:
        if docname.startswith(archive_dir) or docname in view.listings:
            continue  # listing pages repeat posts' excerpts
        path = Path(app.doctreedir) / _TEXT_DIR / f"{docname}.json"
        try:
            text = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        url = builder.get_target_uri(docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        post = shown.get(docname)
        if post is None:
            # the archive's documentation ranks below posts and talks with the same words
            records.append({"url": url, "content": text["text"], "language": _language(config),
                            "meta": {"title": title, "kind": "page"}, "weight": PAGE_WEIGHT})
            continue
        filters = _post_filters(view, post, tag_names)
        meta = {"title": post.title, "kind": "post", "post": post.title, "post_url": url,
                "date": (post.date or "")[:10], "authors": ", ".join(post.authors)}
        if post.event_slug:
            meta["event"] = view.event(post.event_slug).name
        records.append({"url": url, "content": text["text"], "language": _language(config),
                        "meta": meta, "filters": filters})
        for talk in view.talks.get(docname, []):
            if not talk.anchor or talk.anchor not in text["talks"]:
                continue
            names = [speakers[s.id].name if s.id in speakers else s.name for s in talk.speakers]
            talk_meta = {**meta, "title": talk.title, "kind": "talk", "speakers": ", ".join(names),
                         "speaker_ids": " ".join(s.id for s in talk.speakers)}
            # every spelling of each speaker's name finds the talk
            content = text["talks"][talk.anchor]
            spellings = {name for s in talk.speakers for name in
                         (speakers[s.id].names if s.id in speakers else (s.name,))} | set(names)
            missing = sorted(name for name in spellings if name not in content)
            if missing:
                content = f"{content} ({', '.join(missing)})"
            records.append({"url": f"{url}#{talk.anchor}", "content": content, "language": _language(config),
                            "meta": talk_meta, "filters": {**filters, "speaker": sorted(set(names))}})
    # the talks of the programs, newest first, after the posts and before the documentation
    pages = [record for record in records if record["meta"]["kind"] == "page"]
    records = [record for record in records if record["meta"]["kind"] != "page"]
    records.extend(program_records(app, view))
    return records + pages


def program_records(app: Sphinx, view: ArchiveView) -> list[dict[str, Any]]:
    """One record for each talk of the programs: its title, speakers, place and abstract.

    Its filters are those of a talk covered in a post (event, speaker, year, tag), and
    ``coverage``: whether a post covers it.
    """
    settings = build_state(app.env).config
    speakers = view.shown_speakers
    language = _language(app.config)
    records = []
    talks = sorted(view.program_talks.values(), key=lambda talk: (talk.date or "", talk.start or "", talk.key),
                   reverse=True)
    for talk in talks:
        ids = view.program_speaker_ids.get(talk.key, ())
        names = [speakers[speaker_id].name if speaker_id in speakers else person.name
                 for speaker_id, person in zip(ids, talk.speakers)]
        spellings = sorted({name for speaker_id in ids if speaker_id in speakers for name in speakers[speaker_id].names}
                           | {person.name for person in talk.speakers} - set(names))
        event = view.event(talk.event).name
        covered = bool(view.coverage_of(talk.key))
        content = " ".join(part for part in (
            talk.title, f"by {', '.join(names)}." if names else "", " ".join(filter(None, (talk.room, talk.track))),
            talk.abstract, f"({', '.join(spellings)})" if spellings else "") if part)
        filters = {"event": [event], "coverage": ["Covered" if covered else "Not covered"]}
        if talk.year:
            filters["year"] = [talk.year]
        if names:
            filters["speaker"] = sorted(set(names))
        if talk.tags:
            filters["tag"] = sorted(set(talk.tags))
        meta = {"title": talk.title, "kind": "program", "event": event, "date": talk.date or "",
                "speakers": ", ".join(names)}
        if talk.room:
            meta["room"] = talk.room
        url = app.builder.get_target_uri(archive_docname(settings, "talk", talk.key))
        records.append({"url": url, "content": " ".join(content.split()), "language": language,
                        "meta": meta, "filters": filters})
    return records


def _post_filters(view: ArchiveView, post: Post, tag_names: dict[str, str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    if post.event_slug:
        filters["event"] = [view.event(post.event_slug).name]
    if post.year:
        filters["year"] = [post.year]
    if post.tags:
        # every spelling of a tag is one filter value, named as the tag's page is
        filters["tag"] = sorted({tag_names.get(tag_slug(tag), tag) for tag in post.tags})
    if post.authors:
        filters["author"] = sorted(set(post.authors))
    return filters


def _language(config) -> str:
    return (config.language or "en").split("_")[0].split("-")[0]
