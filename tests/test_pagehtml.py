"""Archive pages written as HTML strings are the pages the HTML writer gives for their nodes."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from confarchive.archive.fasthtml import CHECKED_PAGES, ArchivePageWriter, ListingHtml

#: roots with every kind of archive page, and with titles, names and tags that need escaping
ROOTS = ["archive", "archive-small", "hostile", "bad-identity", "a11y", "feeds"]


@pytest.fixture
def built(make_app, tmp_path, rootdir):
    def build(root: str):
        srcdir = tmp_path / root
        shutil.copytree(rootdir / f"test-{root}", srcdir)
        app = make_app("html", srcdir=srcdir)
        app.build()
        return app
    return build


@pytest.mark.parametrize("root", ROOTS)
def test_every_archive_page_from_strings_is_the_page_from_nodes(built, root):
    app = built(root)
    writer = ArchivePageWriter(app)
    pages = app.env.domains["archive"].build.pages
    kinds: Counter[str] = Counter()
    for pagename, page in sorted(pages.items()):
        if page.image:
            continue
        assert writer.string_body(pagename, page) == writer.node_body(pagename, page), pagename
        kinds[page.kind] += 1
    assert kinds, "no archive page to compare"


def test_the_archive_root_has_every_kind_of_page(built):
    kinds = {page.kind for page in built("archive").env.domains["archive"].build.pages.values()}
    assert kinds == {"event", "page", "speaker", "tag", "author", "year"}


def test_a_kind_whose_html_differs_is_written_from_nodes(built, monkeypatch):
    app = built("archive-small")
    pages = sorted(app.env.domains["archive"].build.pages.items())
    speakers = [(name, page) for name, page in pages if page.kind == "speaker" and not page.image]
    assert len(speakers) > CHECKED_PAGES
    # a writer whose paragraphs differ from the HTML writer's
    monkeypatch.setattr(ListingHtml, "paragraph",
                        lambda self, children, classes=(): f"<p data-x>{''.join(children)}</p>\n")
    writer = ArchivePageWriter(app)
    bodies = [writer.body(name, page) for name, page in speakers]
    assert writer.from_nodes == {"speaker"}
    assert bodies == [writer.node_body(name, page) for name, page in speakers]
    assert not any("data-x" in body for body in bodies)


def test_matching_kinds_are_checked_a_few_pages_then_trusted(built, monkeypatch):
    app = built("archive-small")
    pages = sorted(app.env.domains["archive"].build.pages.items())
    writer = ArchivePageWriter(app)
    calls = Counter()
    node_body = writer.node_body

    def counted(name, page):
        calls[page.kind] += 1
        return node_body(name, page)

    monkeypatch.setattr(writer, "node_body", counted)
    for name, page in pages:
        if not page.image:
            writer.body(name, page)
    assert writer.from_nodes == set()
    assert calls and all(count <= CHECKED_PAGES for count in calls.values()), calls


def test_long_pages_are_not_written_twice(built, monkeypatch):
    import confarchive.archive.fasthtml as pagehtml

    app = built("archive-small")
    pages = [(name, page) for name, page in sorted(app.env.domains["archive"].build.pages.items())
             if not page.image]
    writer = ArchivePageWriter(app)
    monkeypatch.setattr(pagehtml, "CHECKED_SIZE", 0)
    monkeypatch.setattr(writer, "node_body", lambda name, page: pytest.fail(f"{name} written from nodes"))
    assert all(writer.body(name, page) == writer.string_body(name, page) for name, page in pages)
