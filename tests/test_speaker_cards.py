"""A compact speaker card is written exactly as the whole card it stands for."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from docutils import nodes

from conftest import build_root, warning_lines

#: roots with plain cards, cards with links, positions and free text, photos, odd names
ROOTS = ("speaker-cards", "directives", "a11y", "archive-small", "archive-bad", "hostile", "search")


def _pages(outdir: Path) -> dict[str, str]:
    """Each page with a card: its article, as written (no parser between)."""
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        start, end = text.find("<article"), text.find("</article>")
        if start >= 0 and "confarchive-speaker" in text[start:end]:
            pages[path.relative_to(outdir).as_posix()] = text[start:end]
    return pages


def _cards(app):
    from confarchive.directives.speaker import speaker_card

    for docname in sorted(app.env.found_docs):
        path = Path(app.doctreedir) / f"{docname}.doctree"
        if path.is_file():
            yield from pickle.loads(path.read_bytes()).findall(speaker_card)


@pytest.mark.parametrize(("root", "overrides"), [
    *((root, {}) for root in ROOTS),
    # lists written without the "simple" class
    ("directives", {"html_compact_lists": False}),
])
def test_compact_cards_write_the_html_of_whole_cards(root, overrides, tmp_path, monkeypatch):
    from confarchive.directives import speaker as speakers

    compact = build_root(root, tmp_path / "compact", confoverrides=overrides)
    try:
        cards = list(_cards(compact))
        assert any(card.get("compact") for card in cards), "no compact card to compare"
        written = _pages(compact.outdir)
        warnings = warning_lines(compact)
    finally:
        compact.cleanup()
    # the same sources, every card whole from the start, as cards were before compact ones
    monkeypatch.setattr(speakers, "_TYPOGRAPHY", re.compile(""))
    whole = build_root(root, tmp_path / "whole", confoverrides=overrides)
    try:
        assert not any(card.get("compact") for card in _cards(whole))
        assert _pages(whole.outdir) == written
        assert written
        assert warning_lines(whole) == warnings
    finally:
        whole.cleanup()


@pytest.mark.parametrize("root", ["a11y", "hostile", "speaker-cards"])
def test_cards_with_a_photo_or_typography_are_whole_from_the_start(root, tmp_path):
    app = build_root(root, tmp_path / "src")
    try:
        cards = list(_cards(app))
    finally:
        app.cleanup()
    whole = [card for card in cards if not card.get("compact")]
    assert whole and len(whole) < len(cards)
    for card in whole:
        speaker = card["speaker"]
        texts = (speaker.name, speaker.role or "", speaker.affiliation or "")
        # a photo: Sphinx must see its image node to copy it; typography: its smart quotes
        assert speaker.avatar or any(mark in text for text in texts for mark in ("'", '"', "--", "...", "\\")), \
            speaker.name
        # its name, unless the heading above says it
        assert card.get("named_by_heading") or card.next_node(nodes.strong) is not None
    for card in cards:
        if card.get("compact"):
            # nothing but the card's own free text is kept as nodes
            assert card.next_node(nodes.strong) is None or card.next_node(nodes.strong).astext() != \
                card["speaker"].name
            assert not any("confarchive-speaker-body" in child.get("classes", []) for child in card.children
                           if isinstance(child, nodes.Element))


@pytest.mark.parametrize(("builder", "overrides"), [
    ("text", {}),
    # epub shows the addresses of links from the nodes (epub_show_urls)
    ("epub", {}),
    # Sphinx's own search index reads the cards' words from the nodes
    ("html", {"confarchive_search": False}),
])
def test_other_writers_get_whole_cards(builder, overrides, tmp_path):
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    from conftest import ROOTS as ROOTS_DIR
    from confarchive.directives.speaker import speaker_card

    shutil.copytree(ROOTS_DIR / "test-speaker-cards", tmp_path / "src")
    app = SphinxTestApp(builder, srcdir=tmp_path / "src", confoverrides=overrides,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
        assert any(card.get("compact") for card in _cards(app))  # as read
        doctree = app.env.get_and_resolve_doctree("cards", app.builder, tags=app.tags)
        cards = {card["speaker"].name: card for card in doctree.findall(speaker_card)}
        if builder == "text":
            text = (app.outdir / "cards.txt").read_text(encoding="utf-8")
            assert "**Zoë Ångström**" in text and "@zoe_a on X" in text
    finally:
        app.cleanup()
    assert len(cards) == 6
    for name, card in cards.items():
        assert not card.get("compact"), name
        # as smart quotes leave it: builders differ (text output has none)
        assert card.next_node(nodes.strong).astext() in (name, name.replace("'", "’"), "Ed – Example", "Ed -- Example")
    zoe = cards["Zoë Ångström"]
    assert [ref.astext() for ref in zoe.findall(nodes.reference) if "refuri" in ref and "://" in ref["refuri"]] \
        == ["@zoe_a on X", "@zoe@social.example.org on Mastodon", "@zoe.bsky.social on Bluesky", "zoe-a on GitHub",
            "Website: zoe.example.org"]
