"""Five families of bad input: each warns at its file and line, and every other page still builds.

Encodings, sizes, structure, links and paths, identities: one test root each
(``tests/roots/test-bad-<family>``), holding bad posts and one well-formed post.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from confarchive.archive.images import stable_image_name

from conftest import ROOTS, build_root, warning_lines

REPLACEMENT = "\ufffd"


def html(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def article(app, docname: str) -> BeautifulSoup:
    return html(app, docname).select_one("article")


def paragraphs(app, docname: str) -> list[str]:
    """The text of each paragraph of a page's article, spacing normalised."""
    return [" ".join(p.get_text().split()) for p in article(app, docname).find_all("p")]


def heading(app, docname: str) -> str:
    return article(app, docname).find("h1").get_text().rstrip("¶")


def assert_pages(app, *docnames: str) -> None:
    for docname in docnames:
        assert (app.outdir / f"{docname}.html").is_file(), docname


def build_family(tmp_path_factory, family: str, prepare=None):
    """Build ``tests/roots/test-bad-<family>``, after ``prepare(copy of the root)``; the finished app.

    The app is cleaned up at once (its output, environment and warnings stay readable), so
    that the next family's app registers confarchive afresh.
    """
    base = tmp_path_factory.mktemp(family)
    source = base / "root"
    shutil.copytree(ROOTS / f"test-bad-{family}", source)
    if prepare:
        prepare(source)
    app = build_root(family, base / "src", srcdir=source)
    app.cleanup()
    return app


# --- encodings --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def encoding(tmp_path_factory):
    return build_family(tmp_path_factory, "encoding")


def test_encoding_fixtures_are_byte_exact():
    """The odd bytes reach the tests as written (see .gitattributes)."""
    root = ROOTS / "test-bad-encoding"
    assert (root / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")
    crlf = (root / "crlf.md").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") == 14
    latin = (root / "latin1.md").read_bytes()
    assert b"caf\xe9" in latin
    with pytest.raises(UnicodeDecodeError):
        latin.decode("utf-8")
    assert (root / "nul.md").read_bytes().count(b"\x00") == 4


def test_encoding_warnings(encoding):
    assert warning_lines(encoding) == [
        "latin1.md:13: WARNING: not valid UTF-8: 5 undecodable bytes replaced with U+FFFD (lines 13, 17); "
        "save the file as UTF-8 [confarchive.encoding]",
        "nul.md:13: WARNING: 4 control characters (NUL) replaced with U+FFFD (lines 13, 15); "
        "no page can carry them [confarchive.encoding]",
    ]


def test_undecodable_bytes_are_replaced_and_the_rest_is_kept(encoding):
    assert heading(encoding, "latin1") == "Latin-1 post"
    assert paragraphs(encoding, "latin1")[-4:] == [
        f"Ana spoke at the caf{REPLACEMENT} about cr{REPLACEMENT}me br{REPLACEMENT}l{REPLACEMENT}e.",
        "A plain line between.",
        f"Na{REPLACEMENT}ve questions followed.",
        "The last line is intact.",
    ]


def test_nul_bytes_are_replaced_and_the_rest_is_kept(encoding):
    assert heading(encoding, "nul") == "NUL post"
    assert paragraphs(encoding, "nul")[-3:] == [
        f"A NUL{REPLACEMENT} byte, and two{REPLACEMENT}{REPLACEMENT} more.",
        f"Another{REPLACEMENT} line.",
        "The last line is intact.",
    ]
    assert "\x00" not in (encoding.outdir / "nul.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("docname", "title", "date", "tag"), [
    ("bom", "BOM post", "2017-12-07", "bom"),
    ("crlf", "CRLF post", "2017-12-08", "crlf"),
])
def test_bom_and_crlf_build_silently_with_their_front_matter(encoding, docname, title, date, tag):
    post = encoding.env.domains["archive"].posts[docname]
    assert (post.title, post.date[:10], post.tags, post.event) == (title, date, ("encoding", tag),
                                                                    "Encoding Summit 2017")
    assert heading(encoding, docname) == title
    assert article(encoding, docname).select_one(".confarchive-date").get_text() == date
    # the card's options are read too: the handle has no stray carriage return
    card = article(encoding, docname).select_one(".confarchive-speaker")
    assert [a["href"] for a in card.select(".confarchive-speaker-links a")] == ["https://x.com/alopez"]
    page = (encoding.outdir / f"{docname}.html").read_text(encoding="utf-8")
    assert "\r" not in page and "\ufeff" not in page
    # the archive, planned from a scan of the sources before reading, agrees
    tagged = article(encoding, f"archive/tags/{tag}")
    assert [a.get_text() for a in tagged.select(".confarchive-post-title a")] == [title]


def test_every_encoding_page_is_written(encoding):
    assert_pages(encoding, "index", "good", "latin1", "bom", "crlf", "nul", "archive/speakers/alopez",
                 "archive/events/encoding-summit-2017")
    assert len(encoding.env.domains["archive"].posts) == 5


# --- sizes ------------------------------------------------------------------------------

#: five megabytes
HUGE_BYTES = 5 * 1024 * 1024
TALKS = 10_000
#: the 10,000 talks are given by this many speakers, ten talks each
SPEAKERS = 1_000
LIST_DEPTH = 200


def write_size_posts(root: Path) -> None:
    """The posts too big to keep in the repository: 5 MB, 10,000 talks, a list 200 levels deep."""
    head = "---\ntitle: {}\ndate: 2017-12-0{}\nevent: Size Summit 2017\n---\n"
    paragraph = "Paragraph {:05d} of the long post: " + "the speaker went on, and on, about the same thing. " * 9
    body, size = [], 0
    while size < HUGE_BYTES:
        body.append(paragraph.format(len(body)) + "\n\n")
        size += len(body[-1])
    huge = "## A long talk\n\n:::{speaker} Long Speaker\n:::\n\n" + "".join(body) + "The very last paragraph.\n"
    (root / "huge.md").write_text(head.format("Five megabytes", 7) + huge, encoding="utf-8")
    talks = "".join(f"## Talk {n:05d}\n\n:::{{speaker}} Speaker {n % SPEAKERS:04d}\n:twitter: spk{n % SPEAKERS:04d}\n"
                    f":::\n\nWhat talk {n:05d} was about.\n\n" for n in range(TALKS))
    (root / "talks.md").write_text(head.format("Ten thousand talks", 8) + talks, encoding="utf-8")
    deep = "".join("  " * n + f"- level {n}\n" for n in range(LIST_DEPTH))
    (root / "deep-list.md").write_text(head.format("Deep list", 9) + "## A talk\n\n:::{speaker} Cy Dee\n:::\n\n"
                                       "Before the list.\n\n" + deep + "\nAfter the list.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def size(tmp_path_factory):
    return build_family(tmp_path_factory, "size", write_size_posts)


def test_size_warnings(size):
    assert warning_lines(size) == [
        "deep-list.md:22: WARNING: lists or block quotes nested 200 levels deep, deeper than a page can show; "
        "levels past 9 are flattened into level 9, keeping their text [confarchive.structure]",
        "deep-quote.md:31: WARNING: lists or block quotes nested 30 levels deep, deeper than a page can show; "
        "levels past 18 are flattened into level 18, keeping their text [confarchive.structure]",
    ]


def test_a_five_megabyte_post_builds_whole(size):
    assert (Path(size.srcdir) / "huge.md").stat().st_size >= HUGE_BYTES
    texts = paragraphs(size, "huge")
    assert texts[-1] == "The very last paragraph."
    numbered = [text for text in texts if text.startswith("Paragraph ")]
    assert len(numbered) == len(set(numbered)) > 10_000
    assert numbered[0].startswith("Paragraph 00000 ") and numbered[-1].startswith(f"Paragraph {len(numbered) - 1:05d} ")


def test_ten_thousand_talks_in_one_post(size):
    talks = size.env.domains["archive"].talks["talks"]
    assert [talk.title for talk in talks] == [f"Talk {n:05d}" for n in range(TALKS)]
    assert len({talk.anchor for talk in talks}) == TALKS
    # pages this big are counted in their text: parsing them would take longer than building them
    page = (size.outdir / "talks.html").read_text(encoding="utf-8")
    assert page.count('<div class="sd-card sd-sphinx-override sd-mb-3 sd-shadow-sm confarchive-speaker') == TALKS
    assert len(set(re.findall(r'<section id="(talk-\d{5})">', page))) == TALKS
    event = (size.outdir / "archive/events/size-summit-2017.html").read_text(encoding="utf-8")
    assert event.count('class="confarchive-talk-link') == TALKS + 4  # and one talk of each other post
    speaker = article(size, "archive/speakers/spk0007")
    assert [a.get_text() for a in speaker.select(".confarchive-talk-link")] == \
        [f"Talk {n:05d}" for n in range(7, TALKS, SPEAKERS)]  # one post's talks in the post's order


def test_a_list_too_deep_is_flattened_not_lost(size):
    texts = [" ".join(li.find("p").get_text().split()) for li in article(size, "deep-list").select("li")
             if li.find("p")]
    assert texts == [f"level {n}" for n in range(LIST_DEPTH)]
    assert "After the list." in paragraphs(size, "deep-list")
    deepest = max(len(ul.find_parents("ul")) for ul in article(size, "deep-list").find_all("ul"))
    assert deepest == 8  # nine lists, one in another


def test_a_quote_too_deep_is_flattened_not_lost(size):
    text = article(size, "deep-quote").get_text()
    assert re.findall(r"quote level (\d+)", text) == [str(n) for n in range(1, 31)]
    assert "After the quote." in paragraphs(size, "deep-quote")
    deepest = max(len(quote.find_parents("blockquote")) for quote in article(size, "deep-quote").find_all("blockquote"))
    assert deepest == 17  # eighteen quotes


def test_every_size_page_is_written(size):
    assert_pages(size, "index", "good", "huge", "talks", "deep-list", "deep-quote")
    assert len(size.env.domains["archive"].posts) == 5


# --- structure --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def structure(tmp_path_factory):
    return build_family(tmp_path_factory, "structure")


def test_structure_warnings(structure):
    assert warning_lines(structure) == [
        "card-first.md:5: WARNING: speaker card 'Lone Card' is outside any section, so it belongs to no talk "
        "[confarchive.speaker]",
        'same-label.md:15: WARNING: Duplicate explicit target name: "talk-label". [docutils]',
        "same-title.md:14: WARNING: talk 'Keynote' has the title of the talk at line 6; both are kept, at #keynote "
        "and #id1, but lists of talks cannot tell them apart: give each a title of its own [confarchive.structure]",
        "same-title.md:21: WARNING: talk 'keynote' has the title of the talk at line 6; both are kept, at #keynote "
        "and #id2, but lists of talks cannot tell them apart: give each a title of its own [confarchive.structure]",
        "skipped-levels.md:15: WARNING: Non-consecutive header level increase; H3 to H6 [myst.header]",
        "skipped-levels.md:21: WARNING: Non-consecutive header level increase; H2 to H4 [myst.header]",
        "skipped-levels.md:8: WARNING: Non-consecutive header level increase; H1 to H3 [myst.header]",
    ]


def talks_of(app, docname: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(talk.anchor, talk.title, tuple(s.name for s in talk.speakers))
            for talk in app.env.domains["archive"].talks.get(docname, [])]


def test_skipped_levels_keep_every_talk_and_its_text(structure):
    assert talks_of(structure, "skipped-levels") == [
        ("talk-under-the-title", "Talk under the title", ("Bo Chen",)),
        ("talk-under-a-session", "Talk under a session", ("Cy Dee",)),
        ("talk-after-a-deeper-one", "Talk after a deeper one", ("Di Eng",)),
    ]
    prose = [text for text in paragraphs(structure, "skipped-levels") if text.endswith(".")]
    assert prose == ["Headings that jump over a level.", "Text of the first talk.", "Questions after the first talk.",
                     "Text of the second talk.", "Text of the third talk."]


def test_talks_with_one_title_stay_apart(structure):
    assert talks_of(structure, "same-title") == [
        ("keynote", "Keynote", ("Ana Lopez",)),
        ("id1", "Keynote", ("Bo Chen",)),
        ("id2", "keynote", ("Cy Dee",)),
    ]
    page = article(structure, "same-title")
    for anchor, speaker in (("keynote", "Ana Lopez"), ("id1", "Bo Chen"), ("id2", "Cy Dee")):
        assert page.find(id=anchor).select_one(".confarchive-speaker-name").get_text() == speaker
    listed = article(structure, "archive/events/structure-summit-2017").select(".confarchive-talk-link")
    hrefs = [a["href"] for a in listed if "same-title" in a["href"]]
    assert sorted(hrefs) == ["../../same-title.html#id1", "../../same-title.html#id2",
                             "../../same-title.html#keynote"]


def test_talks_with_one_label_keep_their_own_anchors(structure):
    assert talks_of(structure, "same-label") == [
        ("first-labelled-talk", "First labelled talk", ("Ana Lopez",)),
        ("second-labelled-talk", "Second labelled talk", ("Di Eng",)),
    ]


def test_every_structure_page_is_written(structure):
    assert_pages(structure, "index", "good", "skipped-levels", "same-title", "same-label", "card-first")
    assert talks_of(structure, "good") == [("opening-keynote", "Opening keynote", ("Ana Lopez",))]
    assert talks_of(structure, "card-first") == []


# --- links and paths --------------------------------------------------------------------


def write_outside_files(root: Path) -> None:
    """Files beside the source folder, which a post reaches with ``../``: never to be published."""
    (root.parent / "outside.png").write_bytes((root / "good.png").read_bytes())
    (root.parent / "outside.txt").write_text("not for the site\n", encoding="utf-8")


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    return build_family(tmp_path_factory, "paths", write_outside_files)


BAD_PATHS = "posts/2017/paths/index"


def test_path_warnings(paths):
    post = f"{BAD_PATHS}.md"
    refused = "refused: the scheme {!r} is never followed; the Markdown is shown as text [confarchive.path]"
    assert warning_lines(paths) == [
        f"{post}:11: WARNING: image file not readable: posts/2017/paths/missing.png [image.not_readable]",
        f"{post}:13: WARNING: image '../../../../outside.png' is outside the source folder; it is left out of the "
        "page [confarchive.path]",
        f"{post}:13: WARNING: link to '../../../../outside.txt' is outside the source folder; only its text is "
        "kept [confarchive.path]",
        f"{post}:14: WARNING: link to '../../../../etc/hosts' is outside the source folder; only its text is kept "
        "[confarchive.path]",
        f"{post}:16: WARNING: 'myst' cross-reference target not found: '/etc/passwd' [myst.xref_missing]",
        f"{post}:16: WARNING: image '/etc/passwd' is an absolute path, read from the source folder, which has no "
        "etc/passwd; it is left out of the page [confarchive.path]",
        f"{post}:16: WARNING: image '/home/x/y.png' is an absolute path, read from the source folder, which has "
        "no home/x/y.png; it is left out of the page [confarchive.path]",
        f"{post}:18: WARNING: link 'data:text/html,hello' " + refused.format("data"),
        f"{post}:18: WARNING: link 'javascript:alert(1)' " + refused.format("javascript"),
        f"{post}:18: WARNING: link 'vbscript:msgbox(1)' " + refused.format("vbscript"),
        f"{post}:19: WARNING: link 'file:///etc/passwd' " + refused.format("file"),
        f"{post}:21: WARNING: image 'data:image/svg+xml,hello' " + refused.format("data"),
        f"{post}:24: WARNING: link 'javascript:alert(2)' " + refused.format("javascript"),
        f"{post}:26: WARNING: link 'javascript:alert(3)' " + refused.format("javascript"),
        f"{post}:7: WARNING: image '../../../../outside.png' is outside the source folder; it is left out of the "
        "page [confarchive.path]",
    ]


def test_nothing_outside_the_source_folder_is_published(paths):
    published = sorted(path.name for path in Path(paths.outdir).rglob("*") if path.is_file()
                       and path.name.startswith("outside"))
    assert published == []
    assert sorted(path.name for path in (Path(paths.outdir) / "_images").iterdir()) == sorted(
        [stable_image_name("good.png"), stable_image_name("posts/2017/paths/ok.png")])
    assert not (Path(paths.outdir) / "_downloads").exists()


def test_left_out_images_and_links_keep_their_text(paths):
    texts = paragraphs(paths, BAD_PATHS)
    assert "Outside the source folder: outside, a file and a page." in texts
    assert "Absolute paths: passwd and home, and a link to /etc/passwd." in texts
    refused = article(paths, BAD_PATHS).select(".confarchive-refused")
    assert [span.get_text() for span in refused] == ["outside", "a file", "a page", "passwd", "home"]
    # the card whose avatar was refused shows no picture
    assert article(paths, BAD_PATHS).select(".confarchive-speaker img") == []


def test_refused_urls_stay_text_and_never_reach_the_html(paths):
    texts = paragraphs(paths, BAD_PATHS)
    assert "Refused links: [js](javascript:alert(1)), [html](data:text/html,hello), [vb](vbscript:msgbox(1)) " \
           "and [file](file:///etc/passwd)." in texts
    assert "[bad]: javascript:alert(3)" in texts
    page = html(paths, BAD_PATHS)
    urls = [node.get(attribute) for attribute in ("href", "src") for node in page.find_all(attrs={attribute: True})]
    assert not [url for url in urls if re.match(r"\s*(javascript|vbscript|file|data):", url, re.I)
                and not url.startswith("data:image/png;")]
    assert [img["src"] for img in article(paths, BAD_PATHS).find_all("img")] == [
        "posts/2017/paths/missing.png", "data:image/png;base64,iVBORw0KGgo=",
        f"../../../_images/{stable_image_name('posts/2017/paths/ok.png')}"]


def test_every_paths_page_is_written(paths):
    assert_pages(paths, "index", "good", BAD_PATHS)
    good = article(paths, "good")
    assert [img["src"] for img in good.find_all("img")] == [f"_images/{stable_image_name('good.png')}"]
    assert [a["href"] for a in good.select("p a.reference")][-3:] == [
        "https://example.org/", "posts/2017/paths/index.html", "mailto:ana%40example.org"]


# --- identities -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    return build_family(tmp_path_factory, "identity")


def test_identity_warnings(identity):
    assert warning_lines(identity) == [
        "day-one.md:24: WARNING: speaker card 'Bob Jones' has the handle @koduya of 'Katherine Oduya' and "
        "'Kathy Oduya', whose names share no word with it; all are shown as 'Katherine Oduya': check the handle "
        "[confarchive.identity]",
        "day-two.md:8: WARNING: 2 speakers are named 'Alex Kim'; each has a page of their own, listed as "
        "'Alex Kim (@akim)', 'Alex Kim (@alexk)' (if they are one person, give their cards one handle) "
        "[confarchive.identity]",
        "index.md:5: WARNING: speaker reference 'Alex Kim' is ambiguous: it names 'Alex Kim (@akim)' and "
        "'Alex Kim (@alexk)'; write the handle or id instead [confarchive.reference]",
        "speakers.yaml:6: WARNING: speakers.yaml: 'sam-rivera-again' claims the handle or id 'srivera' of "
        "'srivera' (line 2); the first entry is kept [confarchive.identity]",
    ]


def speaker_pages(app) -> list[str]:
    return sorted(path.stem for path in (Path(app.outdir) / "archive" / "speakers").glob("*.html"))


def test_one_handle_is_one_page_whatever_the_name(identity):
    assert speaker_pages(identity) == ["akim", "alexk", "index", "koduya", "srivera"]
    page = article(identity, "archive/speakers/koduya")
    assert heading(identity, "archive/speakers/koduya") == "Katherine Oduya"  # the name most cards give
    assert page.select_one(".confarchive-speaker-aliases").get_text(" ", strip=True) == (
        "Also written Bob Jones, Kathy Oduya")
    assert [a.get_text() for a in page.select(".confarchive-talk-link")] == ["Functions", "Ops", "Clusters",
                                                                             "Wrong handle"]
    # a registry alias is the registry's person
    assert [a.get_text() for a in article(identity, "archive/speakers/srivera").select(".confarchive-talk-link")] \
        == ["Data", "Opening keynote"]


def test_two_people_with_one_name_have_a_page_each(identity):
    for handle, talk in (("akim", "Opening"), ("alexk", "Closing")):
        assert heading(identity, f"archive/speakers/{handle}") == "Alex Kim"
        page = article(identity, f"archive/speakers/{handle}")
        assert [a.get_text() for a in page.select(".confarchive-talk-link")] == [talk]
    entries = identity.env.domains["archive"].build.view.speakers
    assert (entries["akim"].label, entries["alexk"].label) == ("Alex Kim (@akim)", "Alex Kim (@alexk)")
    assert entries["koduya"].label == "Katherine Oduya"


def test_namesakes_are_told_apart_on_the_a_to_z_index(identity):
    links = article(identity, "archive/speakers/index").select(".confarchive-speaker-index a")
    assert [(a.get_text(), a["href"]) for a in links if a.get_text().startswith("Alex Kim")] == [
        ("Alex Kim (@akim)", "akim.html"), ("Alex Kim (@alexk)", "alexk.html")]


def test_references_by_handle_still_resolve(identity):
    links = article(identity, "index").select("p:not(.confarchive-feed-links) a.reference")
    assert [(a.get_text(), a["href"]) for a in links] == [("Alex Kim", "archive/speakers/alexk.html")]


def test_every_identity_page_is_written(identity):
    assert_pages(identity, "index", "good", "day-one", "day-two")


# --- the repairs, on their own ----------------------------------------------------------


def myst_parser():
    """A parser configured as MyST's in these roots (colon fences on)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def rendered_words(text: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", myst_parser().render(text)).split()


def test_an_ordinary_post_is_never_parsed_for_its_nesting():
    from confarchive.text.nesting import limit_nesting

    def refuse():
        raise AssertionError("parsed")

    text = (ROOTS / "test-bad-size" / "good.md").read_text(encoding="utf-8")
    assert limit_nesting(text, refuse) == (text, [])


def test_nesting_deeper_than_python_can_recurse_keeps_its_text():
    from confarchive.text.nesting import limit_nesting

    text = "".join("  " * n + f"- item{n}\n" for n in range(1000)) + "\nAfter.\n"
    flat, problems = limit_nesting(text, myst_parser)
    assert [(problem.line, problem.subtype.value) for problem in problems] == [(10, "structure")]
    assert "nested over " in problems[0].message
    assert flat.count("\n") == text.count("\n")  # every line where it was
    assert [word for word in rendered_words(flat) if word.startswith("item")] == [f"item{n}" for n in range(1000)]
    assert rendered_words(flat)[-1] == "After."


def test_nesting_inside_a_callout_is_flattened_too():
    from confarchive.text.nesting import limit_nesting

    body = "".join("  " * n + f"- item{n}\n" for n in range(30))
    flat, problems = limit_nesting(f"Before.\n\n:::{{callout}} Deep\n{body}:::\n\nAfter.\n", myst_parser)
    assert [problem.line for problem in problems] == [13]  # item9, the first list too deep
    inside = flat.split(":::{callout} Deep\n")[1].split(":::")[0]
    assert max(token.level for token in myst_parser().parse(inside)) < 20
    assert [word for word in rendered_words(inside) if word.startswith("item")] == [f"item{n}" for n in range(30)]


def test_code_is_never_flattened():
    from confarchive.text.nesting import limit_nesting

    text = "```text\n" + "".join(" " * 2 * n + f"> - line {n}\n" for n in range(40)) + "```\n"
    assert limit_nesting(text, myst_parser) == (text, [])


def test_control_characters_are_counted_by_line():
    from confarchive.text.encoding import replace_control_characters

    text, problem = replace_control_characters("one\ntwo\x00\x07\nthree\nfour\x1b[0m\n")
    assert text == f"one\ntwo{REPLACEMENT}{REPLACEMENT}\nthree\nfour{REPLACEMENT}[0m\n"
    assert (problem.line, problem.message) == (
        2, "3 control characters (NUL, U+0007, U+001B) replaced with U+FFFD (lines 2, 4); no page can carry them")
    assert replace_control_characters("tab\tand line\r\n") == ("tab\tand line\r\n", None)


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"),
    ("  JavaScript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),  # browsers drop the tab
    ("data:text/html,hi", "data"),
    ("vbscript:msgbox", "vbscript"),
    ("file:///etc/passwd", "file"),
    ("data:image/png;base64,iVBORw0KGgo=", None),
    ("https://example.org/", None),
    ("mailto:someone@example.org", None),
    ("../relative.png", None),
])
def test_refused_schemes(url, scheme):
    from confarchive.archive.confine import refused_scheme

    assert refused_scheme(url) == scheme


def test_data_file_images_outside_the_source_folder_are_not_published(tmp_path):
    """An event logo or speaker photo in the data files climbing out of the sources."""
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes((ROOTS / "test-bad-paths" / "good.png").read_bytes())
    (root / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\n'
                                 'html_baseurl = "https://archive.example.org/"\n', encoding="utf-8")
    (root / "index.md").write_text("# Home\n\n:::{postlist}\n:::\n", encoding="utf-8")
    (root / "events.yaml").write_text("outside-conf:\n  name: Outside Conf\n  logo: ../outside.png\n",
                                      encoding="utf-8")
    (root / "speakers.yaml").write_text("mallory:\n  name: Mallory\n  avatar: ../outside.png\n", encoding="utf-8")
    (root / "post.md").write_text("---\ntitle: A post\ndate: 2020-01-01\nevent: outside-conf\n---\n\n"
                                  "## Mallory\n\n:::{speaker} Mallory\n:twitter: mallory\n:::\n\nThe talk.\n",
                                  encoding="utf-8")
    app = build_root("paths", tmp_path / "src", srcdir=root)
    try:
        assert warning_lines(app) == [
            "events.yaml:3: WARNING: Outside Conf: image outside the source folder: ../outside.png [confarchive.path]",
            "speakers.yaml:3: WARNING: Mallory: image outside the source folder: ../outside.png [confarchive.path]",
        ]
        published = [path.name for path in Path(app.outdir).rglob("outside.png")]
        assert published == []
        assert (Path(app.outdir) / "archive" / "events" / "outside-conf.html").is_file()
        assert (Path(app.outdir) / "archive" / "speakers" / "mallory.html").is_file()
    finally:
        app.cleanup()
