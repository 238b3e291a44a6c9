"""The legacy dialect renders the same as the hand-written directive version of a post."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import build_root, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("directives", tmp_path_factory.mktemp("directives") / "src")
    yield app
    app.cleanup()


def article(app, docname: str) -> str:
    page = BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    return page.select_one("article[role=main]").decode_contents().strip()


def test_builds_without_warnings(built):
    assert warning_lines(built) == []


def test_legacy_post_renders_as_the_directive_version(built):
    legacy, myst = article(built, "legacy"), article(built, "myst")
    assert "confarchive-speaker" in legacy and "confarchive-callout" in legacy
    assert legacy == myst


def test_both_record_the_same_post_and_talks(built):
    domain = built.env.domains["archive"]
    legacy, myst = domain.posts["legacy"], domain.posts["myst"]
    assert (legacy.title, legacy.authors, legacy.date, legacy.excerpt) == (
        myst.title, myst.authors, myst.date, myst.excerpt)
    strip = lambda talks: [(t.title, t.anchor, t.speakers) for t in talks]  # noqa: E731
    assert strip(domain.talks["legacy"]) == strip(domain.talks["myst"])
    assert len(domain.talks["myst"]) == 5
