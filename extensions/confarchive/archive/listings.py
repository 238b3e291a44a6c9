"""Listings: the lists of posts, talks and speakers on archive pages and ``postlist``s.

The directives leave an ``archive_listing`` placeholder; once every post is read, the
``doctree-resolved`` handler replaces it with lists built from the build's view of the
archive. Everything is made of standard docutils nodes with ``confarchive-`` classes, so
any builder can write it; :mod:`.fasthtml` writes the same pieces as HTML strings for
the thousands of archive pages.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes

from ..model import ListingSpec, Post, ProgramTalk, SpeakerEntry, Talk, event_dates
from ..nodes import archive_listing
from ..problems import ArchiveWarning, warn
from ..text.embeds import embed_html, parse_video
from ..text.links import LINK_KINDS, RefusedLink, checked_url
from ..text.program import paragraphs_of
from ..text.registry import Registry
from ..text.slugs import initials, name_key, slugify, tag_key, tag_slug, tally, twitter_handle
from .domain import page_exists
from .layout import archive_docname, page_count, pagination_docname
from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def matches(post: Post, spec: ListingSpec, talks: list[Talk], identities: Registry) -> bool:
    """Whether ``post`` belongs in the list ``spec`` describes."""
    if spec.event and post.event_slug != identities.event_slug(spec.event):
        return False
    if spec.tag and tag_key(spec.tag) not in {tag_key(tag) for tag in post.tags}:
        return False
    if spec.author and slugify(spec.author) not in {slugify(author) for author in post.authors}:
        return False
    if spec.year and post.year != spec.year:
        return False
    if spec.speaker:
        wanted = {spec.speaker.lower().lstrip("@"), identities.speaker_id(spec.speaker, twitter_handle(spec.speaker))}
        key = name_key(spec.speaker)
        if not any(s.id in wanted or name_key(s.name) == key for talk in talks for s in talk.speakers):
            return False
    return True


class ListingNodes:
    """Builds the nodes of one page's listings."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.app = app
        self.builder: Builder = app.builder
        self.docname = docname
        self.env = app.env
        self.state = build_state(app.env)
        self.settings = self.state.config
        self.view = self.state.read_view()
        self.posts = self.view.listed
        #: which page of a paginated list this page is (:meth:`render_page_of`)
        self.number = 1

    # --- links -----------------------------------------------------------------------

    def uri(self, docname: str, anchor: str = "") -> str:
        uri = self._relative_uri(docname)
        return f"{uri}#{anchor}" if anchor else uri

    def _relative_uri(self, docname: str) -> str:
        """The builder's relative URI, cached a build: it depends on this page's folder only.

        Archive pages link to the same posts, talks and speakers over and over.
        """
        if docname == self.docname:
            return self.builder.get_relative_uri(self.docname, docname)
        cache = self.state.relative_uris
        key = (self.folder(), docname)
        if key not in cache:
            cache[key] = self.builder.get_relative_uri(self.docname, docname)
        return cache[key]

    def folder(self) -> str:
        """The folder of this page's output, which every relative link from it depends on."""
        if not hasattr(self, "_folder"):  # once a page, not once a link
            self._folder = posixpath.dirname(self.builder.get_target_uri(self.docname))
        return self._folder

    # --- primitives ------------------------------------------------------------------
    # Everything below is built from these. They make docutils nodes, so any builder can
    # write a listing; :class:`confarchive.archive.fasthtml.ListingHtml` makes the same pieces as
    # the HTML Sphinx would write for those nodes, for the thousands of archive pages.

    def text(self, value: str) -> nodes.Node:
        return nodes.Text(value)

    def inline(self, children: list, classes: tuple[str, ...] = ()) -> nodes.Node:
        return nodes.inline("", "", *children, classes=list(classes))

    def reference(self, text: str, refuri: str, classes: tuple[str, ...] = (), internal: bool = True) -> nodes.Node:
        if internal:
            return nodes.reference(text, text, internal=True, refuri=refuri, classes=list(classes))
        return nodes.reference(text, text, refuri=refuri, classes=list(classes))

    def paragraph(self, children: list, classes: tuple[str, ...] = ()) -> nodes.Node:
        return nodes.paragraph("", "", *children, classes=list(classes))

    def container(self, children: list, classes: tuple[str, ...] = ()) -> nodes.Node:
        return nodes.container("", *children, classes=list(classes))

    def bullet_list(self, paragraphs: list, classes: tuple[str, ...] = ()) -> nodes.Node:
        """A list whose items are one paragraph each."""
        return nodes.bullet_list("", *(nodes.list_item("", paragraph) for paragraph in paragraphs),
                                 classes=list(classes))

    def decoration(self, text: str, classes: tuple[str, ...]) -> nodes.Node:
        """Text that only decorates (a speaker's initials): hidden from screen readers, HTML only."""
        return nodes.raw("", decoration_html(text, classes), format="html")

    def heading(self, text: str, ids: tuple[str, ...] = (), level: int = 2) -> nodes.Node:
        """A heading inside an archive page, under its title: an ``<h2>`` in HTML (``<h3>`` under it).

        A rubric, so it stays out of the page's table of contents; its level makes it a
        real heading that screen readers list and jump to, not a styled paragraph.
        """
        rubric = nodes.rubric(text, text, classes=["confarchive-heading"], ids=list(ids))
        rubric["heading-level"] = level
        return rubric

    def raw_html(self, markup: str) -> nodes.Node:
        """HTML made by confarchive itself (a video's player): HTML builders only."""
        return nodes.raw("", markup, format="html")

    # --- pieces ----------------------------------------------------------------------

    def link(self, text: str, docname: str, anchor: str = "", classes: tuple[str, ...] = ()):
        """A link to an archive page, or plain text where that page does not exist."""
        if not page_exists(self.env, docname):
            return self.inline([self.text(text)], classes)
        return self.reference(text, self.uri(docname, anchor), classes)

    def entity_link(self, kind: str, key: str, text: str):
        return self.link(text, archive_docname(self.settings, kind, key), classes=(f"confarchive-{kind}-link",))

    def empty(self, text: str):
        return self.paragraph([self.text(text)], ("confarchive-empty",))

    def post_meta(self, post: Post):
        """``2017-12-06 · by Adron Hall · KubeCon ... · #kubernetes``"""
        parts: list[list] = []
        if post.date:
            parts.append([self.inline([self.text(post.date[:10])], ("confarchive-date",))])
        if post.authors:
            authors: list = [self.text("by ")]
            for number, author in enumerate(post.authors):
                if number:
                    authors.append(self.text(", "))
                authors.append(self.entity_link("author", slugify(author), author))
            parts.append(authors)
        if post.event_slug:
            parts.append([self.entity_link("event", post.event_slug, self.view.event(post.event_slug).name)])
        if post.tags:
            tags: list = []
            for number, tag in enumerate(post.tags):
                if number:
                    tags.append(self.text(" "))
                tags.append(self.entity_link("tag", tag_slug(tag), f"#{tag}"))
            parts.append(tags)
        children: list = []
        for number, part in enumerate(parts):
            if number:
                children.append(self.text(" · "))
            children.extend(part)
        return self.paragraph(children, ("confarchive-post-meta",))

    def post_summary(self, post: Post):
        children = [self.paragraph([self.link(post.title, post.docname)], ("confarchive-post-title",)),
                    self.post_meta(post)]
        blocks = ((("paragraph", post.summary),) if post.summary
                  else post.excerpt_blocks or ((("paragraph", post.excerpt),) if post.excerpt else ()))
        children.extend(self.excerpt(bounded_excerpt(blocks, self.settings.excerpt_words)))
        children.append(self.paragraph([self.link("Continue reading →", post.docname,
                                                  classes=("confarchive-continue",))], ("confarchive-continue-line",)))
        return self.container(children, ("confarchive-post-summary",))

    def excerpt(self, blocks: list[tuple[str, str]]) -> list:
        """An excerpt's blocks: paragraphs, list items as one list, headings as strong lines."""
        out: list = []
        items: list = []
        for kind, text in blocks:
            if kind == "item":
                items.append(self.paragraph([self.text(text)]))
                continue
            if items:
                out.append(self.bullet_list(items, ("confarchive-excerpt-list",)))
                items = []
            classes = ("confarchive-excerpt", "confarchive-excerpt-heading") if kind == "heading" \
                else ("confarchive-excerpt",)
            out.append(self.paragraph([self.text(text)], classes))
        if items:
            out.append(self.bullet_list(items, ("confarchive-excerpt-list",)))
        return out

    def post_list(self, posts: list[Post], empty: str = "No posts yet.") -> list:
        if not posts:
            return [self.empty(empty)]
        return [self.container([self.post_summary(post) for post in posts], ("confarchive-post-list",))]

    def talk_item(self, talk: Talk, *, speakers: bool = True, post: bool = True):
        """``Talk title by Speaker — Event · 2017-12-06 · in Post title``.

        A talk whose heading is its speakers' names (as legacy posts write them) is
        "Talk by Dan Kohn", not "Dan Kohn by Dan Kohn".
        """
        children = [self.link(talk_title(talk), talk.docname, talk.anchor, classes=("confarchive-talk-link",))]
        if speakers and talk.speakers:
            children.append(self.text(" by "))
            for number, speaker in enumerate(talk.speakers):
                if number:
                    children.append(self.text(", "))
                name = self.speaker_name(speaker.id, speaker.name)
                children.append(self.entity_link("speaker", speaker.id, name))
        record = self.view.posts.get(talk.docname)
        if post and record:
            details: list[list] = []
            if record.event_slug:
                details.append([self.entity_link("event", record.event_slug,
                                                 self.view.event(record.event_slug).name)])
            if record.date:
                details.append([self.inline([self.text(record.date[:10])], ("confarchive-date",))])
            details.append([self.text("in "), self.link(record.title, record.docname,
                                                        classes=("confarchive-post-link",))])
            children.append(self.text(" — "))
            for number, part in enumerate(details):
                if number:
                    children.append(self.text(" · "))
                children.extend(part)
        return self.paragraph(children, ("confarchive-talk",))

    def talk_cards(self, talks: list[Talk]) -> list:
        """Talks as cards: the title, the speakers, the post that covers it."""
        if not talks:
            return [self.empty("No talks covered yet.")]
        cards = []
        for talk in talks:
            parts = [self.paragraph([self.link(talk_title(talk), talk.docname, talk.anchor,
                                               classes=("confarchive-talk-link",))], ("confarchive-talk-card-title",))]
            if talk.speakers:
                speakers: list = []
                for number, speaker in enumerate(talk.speakers):
                    if number:
                        speakers.append(self.text(", "))
                    speakers.append(self.entity_link("speaker", speaker.id,
                                                     self.speaker_name(speaker.id, speaker.name)))
                parts.append(self.paragraph(speakers, ("confarchive-talk-card-speakers",)))
            record = self.view.posts.get(talk.docname)
            if record:
                meta = [self.text("in "), self.link(record.title, record.docname, classes=("confarchive-post-link",))]
                if record.date:
                    meta.append(self.text(f" · {record.date[:10]}"))
                parts.append(self.paragraph(meta, ("confarchive-talk-card-post",)))
            cards.append(self.container(parts, ("sd-card", "sd-shadow-sm", "confarchive-talk-card")))
        return [self.container(cards, ("confarchive-talk-cards",))]

    def talk_list(self, talks: list[Talk], **kwargs) -> list:
        if not talks:
            return [self.empty("No talks covered yet.")]
        return [self.bullet_list([self.talk_item(talk, **kwargs) for talk in talks], ("confarchive-talk-list",))]

    def speaker_name(self, speaker_id: str, fallback: str) -> str:
        entry = self._speakers().get(speaker_id)
        # namesakes are told apart: "Alex Kim (@akim)"
        return entry.label if entry else fallback

    def _speakers(self) -> dict[str, SpeakerEntry]:
        return self.view.shown_speakers

    def external(self, url: str | None, text: str | None = None) -> list:
        if not url:
            return []
        try:
            url = checked_url(url)
        except RefusedLink:
            return [self.text(url)]
        return [self.reference(text or url, url, internal=False)]

    # --- the official program ----------------------------------------------------------

    def program_speakers(self, talk: ProgramTalk) -> list:
        """A program talk's speakers, each a link to their page."""
        ids = self.view.program_speaker_ids.get(talk.key, ())
        out: list = []
        for number, (speaker_id, person) in enumerate(zip(ids, talk.speakers)):
            if number:
                out.append(self.text(", "))
            out.append(self.entity_link("speaker", speaker_id, self.speaker_name(speaker_id, person.name)))
        return out

    def covered_in(self, key: str) -> list:
        """`` · covered in Post title``: the posts that cover a program talk."""
        coverage = self.view.coverage_of(key)
        out: list = []
        for number, talk in enumerate(coverage):
            post = self.view.posts[talk.docname]
            out.append(self.text(" · covered in " if number == 0 else ", "))
            out.append(self.link(post.title, talk.docname, talk.anchor, classes=("confarchive-coverage-link",)))
        return out

    def program_item(self, talk: ProgramTalk, *, speakers: bool = True, event: bool = False):
        """``10:30–11:00 · Liffey B — Title by Speaker · covered in Post``."""
        children: list = []
        when = talk_time(talk)
        place = [part for part in (when, talk.room) if part]
        if place and not event:
            children.append(self.inline([self.text(" · ".join(place))], ("confarchive-time",)))
            children.append(self.text(" — "))
        children.append(self.link(talk.title, archive_docname(self.settings, "talk", talk.key),
                                  classes=("confarchive-program-link",)))
        if speakers and talk.speakers:
            children.append(self.text(" by "))
            children.extend(self.program_speakers(talk))
        if event:
            children.append(self.text(" — "))
            children.append(self.entity_link("event", talk.event, self.view.event(talk.event).name))
            if talk.date:
                children.append(self.text(" · "))
                children.append(self.inline([self.text(talk.date)], ("confarchive-date",)))
        children.extend(self.covered_in(talk.key))
        return self.paragraph(children, ("confarchive-program-talk",))

    def program_schedule(self, talks: list[ProgramTalk]) -> list:
        """An event's program by day (where its talks have days), each day's talks as the schedule runs."""
        days: dict[str, list[ProgramTalk]] = defaultdict(list)
        for talk in talks:
            days[talk.date or ""].append(talk)
        out: list = []
        for day, listed in days.items():
            if len(days) > 1 or day:
                out.append(self.heading(day_title(day), ids=(f"day-{day or 'unknown'}",), level=3))
            out.append(self.bullet_list([self.program_item(talk) for talk in listed], ("confarchive-program",)))
        return out

    def render_talk(self, key: str, node: archive_listing | None) -> list[nodes.Node]:
        """A talk of the official program: when and where, who, the video, the abstract, links, coverage."""
        talk = self.view.program_talks[key]
        event = self.view.event(talk.event)
        rows: list[tuple[str, list]] = [("Event", [self.entity_link("event", talk.event, event.name)])]
        when = ", ".join(part for part in (day_title(talk.date) if talk.date else "", talk_time(talk)) if part)
        if when:
            rows.append(("When", [self.text(when + (f" ({talk.duration} min)" if talk.duration else ""))]))
        language = language_name(talk.language, self.app.config.language or "en") if talk.language else None
        for label, value in (("Room", talk.room), ("Track", talk.track), ("Language", language)):
            if value:
                rows.append((label, [self.text(value)]))
        if talk.speakers:
            rows.append(("Speakers" if len(talk.speakers) > 1 else "Speaker", self.program_speakers(talk)))
        if talk.tags:
            rows.append(("Tags", [self.text(", ".join(talk.tags))]))
        out = [self.details_card(rows, ("confarchive-talk-details",))]
        video = parse_video(talk.video) if talk.video else None
        if video is not None:
            out.append(self.raw_html(embed_html(video.embed_url, video.watch_url, f"Video: {talk.title}")))
        elif talk.video:
            out.append(self.paragraph([self.text("Video: "), *self.external(talk.video)], ("confarchive-talk-video",)))
        if talk.abstract:
            out.append(self.heading("Abstract"))
            out.extend(self.paragraph(self.linked_text(paragraph), ("confarchive-abstract",))
                       for paragraph in paragraphs_of(talk.abstract))
        links = ([("Slides", talk.slides)] if talk.slides else []) + list(talk.links)
        if links:
            out.append(self.heading("Links"))
            out.append(self.bullet_list([self.paragraph(self.external(url, label)) for label, url in links],
                                        ("confarchive-talk-links",)))
        coverage = self.view.coverage_of(key)
        out.append(self.heading(f"Coverage ({len(coverage)})"))
        out.extend(self.talk_list(coverage) if coverage else [self.empty("No post covers this talk yet.")])
        return out

    def linked_text(self, text: str) -> list:
        """Plain text whose http(s) addresses are links: an abstract's paragraph."""
        out: list = []
        position = 0
        for match in _URL.finditer(text):
            url = match.group(0).rstrip(".,;:!?'\"")
            if url.endswith(")") and "(" not in url:
                url = url[:-1]
            if match.start() > position:
                out.append(self.text(text[position:match.start()]))
            out.extend(self.external(url))
            position = match.start() + len(url)
        if position < len(text):
            out.append(self.text(text[position:]))
        return out

    def details_card(self, rows: list[tuple[str, list]], classes: tuple[str, ...]):
        """A card of labelled lines: ``Dates 2017-12-06 to 2017-12-08``."""
        return self.container([self.paragraph([self.inline([self.text(label)], ("confarchive-label",)),
                                               self.text(" "), *value]) for label, value in rows],
                              ("sd-card", "sd-shadow-sm", "confarchive-details", *classes))

    # --- pages -----------------------------------------------------------------------

    def render(self, node: archive_listing) -> list[nodes.Node]:
        """The content of a placeholder left by ``postlist`` or ``archive-page``."""
        return getattr(self, f"render_{node['kind']}")(node["key"], node)

    def render_page_of(self, kind: str, key: str, number: int = 1) -> list[nodes.Node]:
        """The content of (page ``number`` of) the page of one event, speaker, tag, author, year,
        or older posts."""
        self.number = number
        return getattr(self, f"render_{kind}")(key, None)

    def render_posts(self, key: str, node: archive_listing) -> list[nodes.Node]:
        spec: ListingSpec = node["spec"]
        posts = [post for post in self.posts if matches(post, spec, self.view.talks.get(post.docname, []),
                                                        self.state.registry)]
        if not posts and any((spec.event, spec.tag, spec.speaker, spec.author, spec.year)):
            warn("postlist: no post matches %s", ArchiveWarning.LISTING, node, _describe(spec))
        if spec.paginate:
            return self.page(1, posts)
        return self.post_list(posts[: spec.limit] if spec.limit else posts)

    def render_page(self, key: str, node: archive_listing) -> list[nodes.Node]:
        return self.page(int(key), self.posts)

    def page(self, number: int, posts: list[Post]) -> list[nodes.Node]:
        root = self.app.config.root_doc
        return self.paged(number, posts, lambda page: pagination_docname(self.settings, root, page))

    def paged(self, number: int, posts: list[Post], docname_of: Callable[[int], str],
              empty: str = "No posts yet.") -> list[nodes.Node]:
        """Page ``number`` of a list of posts, and the pager under it when there is more than one."""
        per_page = self.settings.posts_per_page
        total = page_count(len(posts), per_page)
        shown = self.post_list(posts[(number - 1) * per_page: number * per_page], empty)
        if total <= 1:
            return shown
        return [*shown, self.pager(number, total, docname_of)]

    def pager(self, number: int, total: int, docname_of: Callable[[int], str]):
        """``← Newer posts · 1 2 … 7 8 9 … 14 · Older posts →``, with "Page 8 of 14" for context."""
        parts: list[list] = []
        if number > 1:
            parts.append([self.link("← Newer posts", docname_of(number - 1), classes=("confarchive-newer",))])
        numbers: list = []
        for page in page_numbers(number, total):
            if numbers:
                numbers.append(self.text(" "))
            if page is None:
                numbers.append(self.inline([self.text("…")], ("confarchive-gap",)))
            elif page == number:
                numbers.append(self.inline([self.text(str(page))], ("confarchive-current",)))
            else:
                numbers.append(self.link(str(page), docname_of(page), classes=("confarchive-page-number",)))
        parts.append([self.inline(numbers, ("confarchive-page-numbers",))])
        parts.append([self.inline([self.text(f"Page {number} of {total}")], ("confarchive-page-of",))])
        if number < total:
            parts.append([self.link("Older posts →", docname_of(number + 1), classes=("confarchive-older",))])
        children: list = []
        for part in parts:
            if children:
                children.append(self.text(" · "))
            children.extend(part)
        return self.paragraph(children, ("confarchive-pager",))

    def listing_page(self, kind: str, key: str, posts: list[Post], empty: str = "No posts yet.") -> list:
        """This page (``self.number``) of an event's, tag's, author's or year's posts."""
        return self.paged(self.number, posts,
                          lambda page: archive_docname(self.settings, kind, key, page), empty)

    def render_event(self, key: str, node: archive_listing) -> list[nodes.Node]:
        event = self.view.event(key)
        posts = self.grouped("event").get(key, [])
        if self.number > 1:
            return self.listing_page("event", key, posts)
        talks = [talk for post in posts for talk in self.view.talks.get(post.docname, [])]
        # the event's card: when, where, its website (its logo, if any, stands above it)
        rows = [(label, [self.text(value)] if isinstance(value, str) else value)
                for label, value in (("Dates", event_dates(event)), ("Location", event.location or ""),
                                     ("Website", self.external(event.website))) if value]
        out = [self.details_card(rows, ("confarchive-event-card",))] if rows else []
        program = self.view.program_by_event.get(key, [])
        out.append(self.heading(f"Coverage ({len(posts)} {'post' if len(posts) == 1 else 'posts'})"))
        out.extend(self.listing_page("event", key, posts, "No coverage of this event yet."))
        if talks or not program:
            out.append(self.heading(f"Talks covered ({len(talks)})"))
            out.extend(self.talk_cards(talks))
        if program:
            out.append(self.heading(f"Program ({len(program)} {'talk' if len(program) == 1 else 'talks'})",
                                    ids=("program",)))
            out.extend(self.program_schedule(program))
        return out

    def render_speaker(self, key: str, node: archive_listing) -> list[nodes.Node]:
        entry = self._speakers().get(key)
        if entry is None:
            return [self.empty("No talks by this speaker are covered yet.")]
        card = entry.details
        registry = entry.registry
        links = dict(card.links if card else ())
        if registry:
            links.update(dict(registry.links))
        profiles: list = []
        for kind, value in sorted(links.items(), key=lambda kv: list(LINK_KINDS).index(kv[0])):
            try:
                url, label = LINK_KINDS[kind](value)
            except RefusedLink:
                continue
            if profiles:
                profiles.append(self.text(" · "))
            profiles.append(self.reference(label, url, internal=False))
        others = [name for name in entry.names if name != entry.name]
        role = (registry.role if registry else None) or (card.role if card else "") or ""
        affiliation = (registry.affiliation if registry else None) or (card.affiliation if card else "") or ""
        # the speaker's card: who they are and where to find them (the photo, if any, is above it)
        parts = []
        position = ", ".join(part for part in (role, affiliation) if part)
        if position:
            parts.append(self.paragraph([self.text(position)], ("confarchive-speaker-position",)))
        if profiles:
            parts.append(self.paragraph([self.inline(profiles)], ("confarchive-speaker-profiles",)))
        if others:
            parts.append(self.paragraph([self.text(f"Also written {', '.join(others)}")],
                                        ("confarchive-speaker-aliases",)))
        card_parts = []
        if not (registry and registry.avatar):  # a photo stands above the card
            card_parts.append(self.container([self.decoration(initials(entry.name), ("confarchive-speaker-initials",))],
                                             ("confarchive-speaker-avatar",)))
        card_parts.append(self.container(parts, ("confarchive-speaker-info",)))
        out = [self.container(card_parts, ("sd-card", "sd-shadow-sm", "confarchive-speaker-page-card"))]
        if entry.program_talks:
            # the talks the programs give them, by year, each with the posts that cover it
            out.append(self.heading(f"Talks given ({len(entry.program_talks)})", ids=("talks-given",)))
            years: dict[str, list[ProgramTalk]] = defaultdict(list)
            for talk in entry.program_talks:
                years[talk.year or ""].append(talk)
            for year, listed in years.items():
                if len(years) > 1 or year:
                    out.append(self.heading(year or "Date unknown", ids=(f"year-{year or 'unknown'}",), level=3))
                out.append(self.bullet_list([self.program_item(talk, speakers=len(talk.speakers) > 1, event=True)
                                             for talk in listed], ("confarchive-program",)))
        if entry.talks or not entry.program_talks:
            out.append(self.heading(f"Talks covered ({len(entry.talks)})"))
            out.extend(self.talk_list(entry.talks, speakers=False))
        return out

    def grouped(self, kind: str) -> dict[str, list[Post]]:
        """Listed posts by event, tag, author or year slug, newest first."""
        return self.view.grouped(kind)

    def render_tag(self, key: str, node: archive_listing) -> list[nodes.Node]:
        return self.listing_page("tag", key, self.grouped("tag").get(key, []))

    def render_author(self, key: str, node: archive_listing) -> list[nodes.Node]:
        return self.listing_page("author", key, self.grouped("author").get(key, []))

    def render_year(self, key: str, node: archive_listing) -> list[nodes.Node]:
        return self.listing_page("year", key, self.grouped("year").get(key, []))

    def _index(self, kind: str, counts: Counter, names: dict[str, str], noun: str) -> list[nodes.Node]:
        if not counts:
            return [self.empty(f"No {noun}s yet.")]
        return [self.bullet_list([self.paragraph([self.entity_link(kind, key, names[key]),
                                                  self.text(f" ({counts[key]})")])
                                  for key in sorted(counts, key=lambda k: (name_key(names[k]), k))],
                                 (f"confarchive-{kind}-index",))]

    def render_events(self, key: str, node: archive_listing) -> list[nodes.Node]:
        """Every event by year, newest first: its name, place, dates and how many posts cover it.

        An event without dates is listed under the year of its first post.
        """
        counts = Counter(post.event_slug for post in self.posts if post.event_slug)
        for slug in self.view.data.get("events", {}):
            counts.setdefault(slug, 0)
        program = self.view.program_by_event
        events = {slug: self.view.event(slug) for slug in counts}
        if not events:
            return [self.paragraph([self.text("No events yet.")])]
        by_year: dict[str, list[str]] = defaultdict(list)
        for slug, event in events.items():
            years = [post.year for post in self.grouped("event").get(slug, []) if post.year]
            by_year[(event.start or "")[:4] or (min(years) if years else "")].append(slug)
        out: list = []
        for year in sorted(by_year, key=lambda year: (year != "", year), reverse=True):
            out.append(self.heading(year or "Date unknown", ids=(f"year-{year or 'unknown'}",)))
            items = []
            for slug in sorted(by_year[year], key=lambda s: (events[s].start or "", name_key(events[s].name)),
                               reverse=True):
                count = counts[slug]
                talks = len(program.get(slug, ()))
                details = [part for part in (events[slug].location, event_dates(events[slug]),
                                             f"{count} {'post' if count == 1 else 'posts'}",
                                             f"{talks} {'talk' if talks == 1 else 'talks'}" if talks else "") if part]
                items.append(self.paragraph([self.entity_link("event", slug, events[slug].name),
                                             self.text(" — " + " · ".join(details))]))
            out.append(self.bullet_list(items, ("confarchive-event-index",)))
        return out

    def render_speakers(self, key: str, node: archive_listing) -> list[nodes.Node]:
        entries = self._speakers()
        by_letter: dict[str, list[SpeakerEntry]] = defaultdict(list)
        for entry in entries.values():
            initial = (name_key(entry.name)[:1] or "#").upper()
            # a letter of an alphabet with cases (Latin, Cyrillic, Greek...); a Han or kana
            # initial would make a heading of each surname
            by_letter[initial if initial.isalpha() and initial != initial.lower() else "#"].append(entry)
        if not by_letter:
            return [self.paragraph([self.text("No speakers yet.")])]
        letters: list = []
        for letter in sorted(by_letter):
            if letters:
                letters.append(self.text(" "))
            letters.append(self.reference(letter, f"#letter-{letter.lower()}"))
        out = [self.paragraph(letters, ("confarchive-letters",))]
        for letter in sorted(by_letter):
            out.append(self.heading(letter, ids=(f"letter-{letter.lower()}",)))
            out.append(self.bullet_list([
                self.paragraph([self.entity_link("speaker", entry.id, entry.label),
                                self.text(f" ({len(entry.talks) + len(entry.program_talks)})")])
                for entry in sorted(by_letter[letter], key=lambda e: (name_key(e.name), e.id))
            ], ("confarchive-speaker-index",)))
        return out

    def render_tags(self, key: str, node: archive_listing) -> list[nodes.Node]:
        counts, names = tally((post.tags for post in self.posts), tag_slug)
        return self._index("tag", counts, names, "tag")

    def render_authors(self, key: str, node: archive_listing) -> list[nodes.Node]:
        counts, names = tally((post.authors for post in self.posts), slugify)
        return self._index("author", counts, names, "author")

    def render_years(self, key: str, node: archive_listing) -> list[nodes.Node]:
        counts = Counter(post.year for post in self.posts if post.year)
        if not counts:
            return [self.paragraph([self.text("No posts yet.")])]
        return [self.bullet_list([self.paragraph([self.entity_link("year", year, year),
                                                  self.text(f" ({counts[year]})")])
                                  for year in sorted(counts, reverse=True)], ("confarchive-year-index",))]


def talk_title(talk: Talk) -> str:
    """What a list calls a talk: its title, or "Talk" when its heading is only its speakers' names."""
    title = talk.title or "Untitled talk"
    names = ", ".join(speaker.name for speaker in talk.speakers)
    return "Talk" if talk.speakers and name_key(title) == name_key(names) else title


#: an http(s) address in plain text
_URL = re.compile(r"https?://[^\s<>\"]+")


def language_name(code: str, locale: str = "en") -> str:
    """A language's name from its code, in the site's language: ``English`` for ``en`` or
    ``eng`` (programs write both), ``Spanish (Mexico)`` for ``es-MX``; the code itself when
    Babel (Sphinx's own) does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(code.strip().replace("-", "_"))
        # a bare language code names the language, not the country Babel would guess for it
        shown = parsed if any(mark in code for mark in "-_") else Locale(parsed.language)
        return shown.get_display_name(Locale.parse(locale.replace("-", "_"))) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def talk_time(talk: ProgramTalk) -> str:
    """``10:30–11:00``, or ``10:30``, or nothing."""
    if not talk.start:
        return ""
    if not talk.duration:
        return talk.start
    hours, minutes = map(int, talk.start.split(":"))
    end = hours * 60 + minutes + talk.duration
    return f"{talk.start}–{end // 60 % 24:02d}:{end % 60:02d}"


def day_title(day: str) -> str:
    """``Wednesday 6 December 2017`` for ``2017-12-06``; "Date unknown" for nothing."""
    if not day:
        return "Date unknown"
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return day
    return f"{when:%A} {when.day} {when:%B %Y}"


def decoration_html(text: str, classes: tuple[str, ...]) -> str:
    return f'<span class="{html.escape(" ".join(classes))}" aria-hidden="true">{html.escape(text)}</span>'


def page_numbers(number: int, total: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and the two around ``number``;
    None where numbers are left out."""
    wanted = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    shown: list[int | None] = []
    for page in wanted:
        if shown and page - shown[-1] == 2:
            shown.append(page - 1)  # a gap of one number shows the number, not an ellipsis
        elif shown and page - shown[-1] > 2:
            shown.append(None)
        shown.append(page)
    return shown


def bounded_excerpt(blocks: tuple[tuple[str, str], ...], words: int) -> list[tuple[str, str]]:
    """The first ``words`` words of an excerpt's blocks; a block cut short ends in an ellipsis
    (the "Continue reading" link after them says there is more).

    A heading is never the last block shown: it would announce what is not there.
    """
    shown: list[tuple[str, str]] = []
    left = words
    for kind, text in blocks:
        if left <= 0:
            break
        parts = text.split()
        if len(parts) > left:
            text = " ".join(parts[:left]).rstrip(",;:—-") + " …"
        shown.append((kind, text))
        left -= len(parts)
    while shown and shown[-1][0] == "heading":
        shown.pop()
    return shown


def _describe(spec: ListingSpec) -> str:
    return ", ".join(f"{key} {getattr(spec, key)!r}" for key in ("event", "tag", "speaker", "author", "year")
                     if getattr(spec, key))


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder with its list."""
    if not app.env.domains["archive"].has_placeholders(docname):
        return  # most documents have none, and looking through a post for one takes time
    placeholders = list(doctree.findall(archive_listing))
    if not placeholders:
        return
    renderer = ListingNodes(app, docname)
    for node in placeholders:
        node.replace_self(renderer.render(node))
