"""Tags: one folding rule, a page for every distinct tag, counts that match the pages (test-tags)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from confarchive.text.slugs import tag_key, tag_slug
from conftest import build_root, warning_lines
from siteoutput import pagefind_records


@pytest.mark.parametrize(("first", "second"), [
    ("Go", "go"), ("GO", "go"), ("Cloud Native", "cloud-native"), ("cloud_native", "cloud  native"),
    ("g\u00f3", "go\u0301"),  # composed and decomposed accents
    ("\ufb01sh", "fish"),  # a ligature and its letters
])
def test_spellings_of_one_tag_fold_together(first, second):
    assert tag_key(first) == tag_key(second)
    assert tag_slug(first) == tag_slug(second)


@pytest.mark.parametrize(("first", "second"), [
    ("Go", "Go!"), ("go", "gó"), ("C++", "C"), ("C#", "C"), ("🎉", "🦄"), (".NET", "NET"), ("go 1", "go1"),
])
def test_tags_that_mean_different_things_stay_apart(first, second):
    assert tag_key(first) != tag_key(second)
    assert tag_slug(first) != tag_slug(second)


def test_slugs_are_plain_words_or_a_readable_form_with_a_fingerprint():
    assert tag_slug("Cloud Native") == "cloud-native"
    assert tag_slug("kubernetes") == "kubernetes"
    assert tag_slug("C++").startswith("c-plus-plus--")
    assert tag_slug("🎉").startswith("tag--")
    # a plain tag never has a double hyphen, so no plain tag takes a fingerprinted slug
    assert "--" not in tag_slug("go d484ecf9")
    long_a, long_b = "word " * 20 + "alpha", "word " * 20 + "beta"
    assert tag_slug(long_a) != tag_slug(long_b) and len(tag_slug(long_a)) < 80


@pytest.fixture(scope="module")
def tags(tmp_path_factory):
    app = build_root("tags", tmp_path_factory.mktemp("tags") / "src")
    app.cleanup()
    return app


def article(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser").select_one("article")


def listed(outdir: Path, page: str) -> list[str]:
    return [p.get_text() for p in article(outdir, page).select(".confarchive-post-title")]


def test_folding_warns_at_the_tags_line(tags):
    rule = ("tags that differ only in case, in Unicode form, or in the spaces, hyphens and underscores between "
            "words are one tag [confarchive.tag]")
    assert warning_lines(tags) == [
        f"posts/p2.md:5: WARNING: tag 'GO' is the tag 'go' given before it, and is left out: {rule}",
        f"posts/p2.md:5: WARNING: tag 'go' is the tag 'Go' of other posts, as its page shows it: {rule}",
        f"posts/p8.md:5: WARNING: tag 'cloud-native' is the tag 'cloud native' of other posts, as its page "
        f"shows it: {rule}",
    ]


def test_every_distinct_tag_has_its_own_page(tags):
    outdir = Path(tags.outdir)
    pages = {tag: f"archive/tags/{tag_slug(tag)}.html" for tag in ("Go", "Go!", "gó", "🎉", "🦄", "cloud native")}
    assert len(set(pages.values())) == 6
    assert listed(outdir, pages["Go"]) == ["Post 2", "Post 1"]
    assert listed(outdir, pages["Go!"]) == ["Post 3"]
    assert listed(outdir, pages["gó"]) == ["Post 4"]
    assert listed(outdir, pages["🎉"]) == ["Post 5"]
    assert listed(outdir, pages["🦄"]) == ["Post 6"]
    assert listed(outdir, pages["cloud native"]) == ["Post 8", "Post 7"]
    titles = {tag: BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser").h1.get_text()
              for tag, page in pages.items()}
    assert titles["Go"].startswith("Posts tagged Go") and titles["🦄"].startswith("Posts tagged 🦄")


def test_index_counts_equal_the_posts_each_page_lists(tags):
    outdir = Path(tags.outdir)
    items = article(outdir, "archive/tags/index.html").select(".confarchive-tag-index li")
    assert len(items) == 6
    for item in items:
        link = item.find("a")
        count = int(item.get_text().rsplit("(", 1)[1].rstrip(")"))
        page = (outdir / "archive/tags" / link["href"]).resolve().relative_to(outdir.resolve())
        assert len(listed(outdir, page.as_posix())) == count, link.get_text()


def test_posts_show_each_tag_once_and_link_its_page(tags):
    outdir = Path(tags.outdir)
    links = article(outdir, "posts/p2.html").select(".confarchive-post-meta a.confarchive-tag-link")
    assert [(a.get_text(), a["href"]) for a in links] == [("#go", "../archive/tags/go.html")]


def test_search_and_feeds_know_one_tag_by_one_name(tags):
    outdir = Path(tags.outdir)
    records = pagefind_records(outdir / "pagefind")
    assert records["posts/p1.html"]["filters"]["tag"] == ["Go"]
    assert records["posts/p2.html"]["filters"]["tag"] == ["Go"]
    feed = (outdir / "feeds" / "tags" / "go.xml").read_text(encoding="utf-8")
    assert "Posts tagged Go<" in feed and feed.count("<entry>") == 2
    assert json.dumps(records["posts/p8.html"]["filters"]["tag"]) == '["cloud native"]'


@pytest.mark.parametrize(("first", "second"), [
    ("go\u200b", "go"),  # a zero-width space shows nothing
    ("\u2764", "\u2764\ufe0f"),  # a heart, and the same heart as an emoji
    ("soft\u00adware", "software"),
])
def test_what_shows_nothing_is_no_difference(first, second):
    assert tag_key(first) == tag_key(second)


@pytest.mark.parametrize(("first", "second"), [("-1", "1"), ("c-", "c"), ("_init", "init")])
def test_a_hyphen_or_underscore_that_is_not_between_words_counts(first, second):
    assert tag_key(first) != tag_key(second)


def test_a_tag_called_index_leaves_the_index_page_alone(tmp_path):
    srcdir = tmp_path / "src"
    (srcdir / "posts").mkdir(parents=True)
    (srcdir / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\n'
                                    'html_baseurl = "https://archive.example.org/"\n')
    (srcdir / "index.md").write_text("# Home\n\n:::{postlist}\n:::\n")
    posts = {"a": "[Index, cloud]", "b": '[cloud, "\u200b"]', "c": "[CLOUD]"}
    for name, tags in posts.items():
        draft = "draft: true\n" if name == "c" else ""
        (srcdir / "posts" / f"{name}.md").write_text(
            f"---\ntitle: Post {name}\ndate: 2020-01-01\nauthor: Index\ntags: {tags}\n{draft}---\n\nText.\n")
    app = build_root("tags", tmp_path / "built", srcdir=srcdir)
    app.cleanup()
    outdir = Path(app.outdir)
    assert listed(outdir, "archive/tags/index_.html") == ["Post a"]
    assert listed(outdir, "archive/authors/index_.html") == ["Post b", "Post a"]
    assert "Posts tagged" not in article(outdir, "archive/tags/index.html").h1.get_text()
    assert [item.get_text() for item in article(outdir, "archive/tags/index.html").select("li")] == [
        "cloud (2)", "Index (1)"]
    rule = ("tags that differ only in case, in Unicode form, or in the spaces, hyphens and underscores between "
            "words are one tag [confarchive.tag]")
    assert warning_lines(app) == [
        "posts/b.md:5: WARNING: tag '\\u200b' shows nothing (only invisible characters) and is left out "
        "[confarchive.tag]",
        # the draft is told the spelling the tag's page shows, which the listed posts give it
        f"posts/c.md:5: WARNING: tag 'CLOUD' is the tag 'cloud' of other posts, as its page shows it: {rule}",
    ]
