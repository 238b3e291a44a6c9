"""Which archive pages there are, from the store, once every document is read.

Every event a listed post covers or ``events.yaml`` or a program describes, every
speaker of a listed post's talks or of a program's, every talk of a program, every
tag, author and year of a listed post, and the older pages of the post list: each has a page, written from the store after the documents
(:mod:`.pages`). The pages are planned from what reading found (the records the domain
keeps), so a page exists exactly when its listings have something to show. Only the
five index pages are documents of their own (:func:`index_stubs`), so that a toctree
can hold them: they are the same whatever the posts say, and are written before reading.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from ..config import ArchiveConfig
from ..text.prepare import escape_markdown
from ..text.registry import Registry
from ..text.slugs import most_common, slugify, tag_slug, tally
from .layout import INDEX_TITLES, PAGINATED, ArchivePage, archive_docname, page_count
from .view import ArchiveView


def plan_pages(view: ArchiveView, registry: Registry, settings: ArchiveConfig) -> dict[str, ArchivePage]:
    """The archive's pages written from the store, by pagename."""
    posts = view.listed
    events: dict[str, str] = {slug: event.name for slug, event in registry.events.items()}
    event_names: dict[str, Counter] = defaultdict(Counter)
    for post in posts:
        if post.event and post.event_slug:
            event_names[post.event_slug][post.event] += 1
    for slug, names in event_names.items():
        events.setdefault(slug, most_common(names))
    _, tag_names = tally((post.tags for post in posts), tag_slug)
    _, author_names = tally((post.authors for post in posts), slugify)
    years = {post.year for post in posts if post.year}
    pages: dict[str, ArchivePage] = {}

    def add(kind: str, key: str, title: str, image: str | None = None, image_alt: str = "",
            image_line: int | None = None) -> None:
        pages[archive_docname(settings, kind, key)] = ArchivePage(kind, key, title, image, image_alt, image_line)

    for slug, name in events.items():
        event = registry.events.get(slug)
        add("event", slug, name, event.logo if event else None, f"Logo of {name}", event.logo_line if event else None)
    for speaker_id, entry in view.shown_speakers.items():
        described = registry.speakers.get(speaker_id)
        # the speaker's photo on their own page: its text alternative is who it shows
        add("speaker", speaker_id, entry.name, described.avatar if described else None, entry.name,
            described.avatar_line if described else None)
    for key, talk in view.program_talks.items():
        add("talk", key, talk.title)
    for slug, name in tag_names.items():
        add("tag", slug, f"Posts tagged {name}")
    for slug, name in author_names.items():
        add("author", slug, f"Posts by {name}")
    for year in years:
        add("year", year, f"Posts from {year}")
    for number in range(2, page_count(len(posts), settings.posts_per_page) + 1):
        add("page", str(number), f"All posts, page {number}")
    for kind in PAGINATED:
        for key, listed in view.grouped(kind).items():
            first = pages.get(archive_docname(settings, kind, key))
            if first is None:
                continue
            for number in range(2, page_count(len(listed), settings.posts_per_page) + 1):
                pages[archive_docname(settings, kind, key, number)] = replace(
                    first, title=f"{first.title}, page {number}", image=None, image_line=None, number=number)
    return pages


def index_stubs() -> dict[str, str]:
    """The index pages' sources, by path in the archive folder."""
    return {f"{kind}/index.md": _stub(title, kind) for kind, title in INDEX_TITLES.items()}


def _stub(title: str, kind: str) -> str:
    return (
        "---\norphan: true\n---\n"
        "% Written by confarchive on every build: edits here are lost.\n\n"
        f"# {escape_markdown(title)}\n\n:::{{archive-page}} {kind}\n:::\n"
    )


def write_stubs(folder: Path, stubs: dict[str, str]) -> tuple[int, int]:
    """Write the stubs that changed and remove any other source there: (written, removed)."""
    written = removed = 0
    for relative, text in stubs.items():
        path = folder / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if path.relative_to(folder).as_posix() not in stubs:
                path.unlink()
                removed += 1
        for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(path.iterdir()):
                path.rmdir()
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("# confarchive writes these pages on every build\n*\n", encoding="utf-8")
    return written, removed
