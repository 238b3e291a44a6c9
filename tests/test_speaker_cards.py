"""A compact speaker card is written exactly as the whole card it stands for."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from conftest import build_root, warning_lines

#: roots with plain cards, cards with links, positions and free text, photos, odd names
ROOTS = ("directives", "a11y", "archive-small", "archive-bad", "hostile", "search")


def _pages(outdir: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article[role=main]")
        if article is not None and article.select_one(".confarchive-speaker"):
            pages[path.relative_to(outdir).as_posix()] = article.decode()
    return pages


def _cards(app):
    from confarchive.speakers import speaker_card

    for docname in sorted(app.env.found_docs):
        path = Path(app.doctreedir) / f"{docname}.doctree"
        if path.is_file():
            yield from pickle.loads(path.read_bytes()).findall(speaker_card)


@pytest.mark.parametrize("root", ROOTS)
def test_compact_cards_write_the_html_of_whole_cards(root, tmp_path, monkeypatch):
    from confarchive import speakers

    compact = build_root(root, tmp_path / "compact")
    try:
        cards = list(_cards(compact))
        assert any(card.get("compact") for card in cards), "no compact card to compare"
        written = _pages(compact.outdir)
        warnings = warning_lines(compact)
    finally:
        compact.cleanup()
    # the same sources, every card made whole when written, as for writers other than HTML
    monkeypatch.setattr(speakers, "writes_compact", lambda builder: False)
    whole = build_root(root, tmp_path / "whole")
    try:
        assert _pages(whole.outdir) == written
        assert written
        assert warning_lines(whole) == warnings
    finally:
        whole.cleanup()


@pytest.mark.parametrize("root", ["a11y", "hostile"])
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
        assert speaker.avatar or any(mark in text for text in texts for mark in ("'", '"', "--", "...")), \
            speaker.name
        assert card.next_node(nodes.strong) is not None
    for card in cards:
        if card.get("compact"):
            # nothing but the card's own free text is kept as nodes
            assert card.next_node(nodes.strong) is None or card.next_node(nodes.strong).astext() != \
                card["speaker"].name
            assert not any("confarchive-speaker-body" in child.get("classes", []) for child in card.children
                           if isinstance(child, nodes.Element))


def test_other_writers_get_whole_cards(tmp_path):
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    from conftest import ROOTS as ROOTS_DIR

    shutil.copytree(ROOTS_DIR / "test-directives", tmp_path / "src")
    app = SphinxTestApp("text", srcdir=tmp_path / "src", status=StringIO(), warning=StringIO())
    try:
        app.build()
        text = (app.outdir / "myst.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "**Dan Kohn**" in text
    assert "@dankohn1 on X" in text
