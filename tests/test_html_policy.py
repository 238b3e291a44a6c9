"""The HTML policy: raw HTML in posts is cleaned, what goes is reported, text stays.

``tests/roots/test-hostile`` holds a post full of hostile HTML (in its body, its front
matter and its speaker card) beside a plain post. The built site must carry no script
of the post's, no event handler, no ``javascript:``/``data:`` link, no iframe from a host
off the list and no style; every page built from the post must still exist and show
its text. tests/test_browser_hostile.py loads the same pages in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import build_root, warning_lines
from confarchive.text.sanitise import HtmlPolicy, clean_html, clean_whole

POST = "posts/hostile"
HOSTILE_WARNINGS = [
    "posts/hostile.md:12: WARNING: raw HTML cleaned by the HTML policy: removed elements <script> [confarchive.html]",
    "posts/hostile.md:14: WARNING: image file not readable: posts/missing.png [image.not_readable]",
    "posts/hostile.md:16: WARNING: raw HTML cleaned by the HTML policy: removed elements <script>; attributes href, onclick [confarchive.html]",
    "posts/hostile.md:18: WARNING: raw HTML cleaned by the HTML policy: removed elements <svg>; attributes onload [confarchive.html]",
    "posts/hostile.md:20: WARNING: raw HTML cleaned by the HTML policy: removed elements <iframe>; an iframe without an https address [confarchive.html]",
    "posts/hostile.md:22: WARNING: raw HTML cleaned by the HTML policy: removed elements <iframe>; iframe hosts not in confarchive_iframe_hosts: evil.example [confarchive.html]",
    "posts/hostile.md:24: WARNING: raw HTML cleaned by the HTML policy: removed attributes style [confarchive.html]",
    "posts/hostile.md:26: WARNING: raw HTML cleaned by the HTML policy: removed elements <style> [confarchive.html]",
    "posts/hostile.md:28: WARNING: raw HTML cleaned by the HTML policy: removed attributes href [confarchive.html]",
    "posts/hostile.md:36: WARNING: raw HTML cleaned by the HTML policy: removed attributes onmouseover [confarchive.html]",
    "posts/hostile.md:38: WARNING: speaker \"<b onmouseover=alert('card')>Mallory</b>\": website link refused: \"javascript:alert('website')\" uses the scheme 'javascript'; only http and https become links [confarchive.link]",
    "posts/plain.md:11: WARNING: raw HTML cleaned by the HTML policy: removed attributes onload [confarchive.html]",
]
#: sentences of the hostile post a reader must still see
VISIBLE = [
    "Opening prose stays readable.",
    "a javascript link",
    "bold text",
    "words after the script.",
    "Overlay text is kept.",
    "The slides are described here.",
    "Mallory’s talk text is intact.",
    "a data link",
]


# --- the cleaner on its own ------------------------------------------------------------

@pytest.mark.parametrize(("fragment", "kept", "removed"), [
    ('<p onclick="x()" class="a">Hi <b>there</b></p>', "<p>Hi <b>there</b></p>", "attributes class, onclick"),
    ("<script>alert(1)</script>after", "after", "elements <script>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>', "attributes href"),
    ('<a href=" JaVa&#x09;script:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>', "attributes href"),
    ('<img src="x.png" onerror="alert(1)" alt="A">', '<img src="x.png" alt="A">', "attributes onerror"),
    ('<img src="data:image/png;base64,AAAA" alt="dot">', '<img src="data:image/png;base64,AAAA" alt="dot">', ""),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="s">', '<img alt="s">', "attributes src"),
    ('<a href="data:text/html,hi">d</a>', '<a rel="noopener noreferrer">d</a>', "attributes href"),
    ('<iframe src="https://www.youtube.com/embed/x" srcdoc="<b>">fallback</iframe>after',
     '<iframe src="https://www.youtube.com/embed/x"></iframe>after', "attributes srcdoc"),
    ('<iframe src="http://www.youtube.com/embed/x"></iframe>', "",
     "elements <iframe>; iframe hosts not in confarchive_iframe_hosts: www.youtube.com"),
    ('<svg onload="alert(1)"><text>hi</text></svg>', "", "elements <svg>; attributes onload"),
    ('<div style="position:fixed;inset:0">overlay</div>', "<div>overlay</div>", "attributes style"),
    ("<form action=x><input name=a><button>Go</button></form>", "Go", "elements <button>, <form>, <input>"),
    # a title that closes a raw-text element is only text once the element is gone
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "", "elements <noscript>"),
    ('<p title="</noscript><img src=x onerror=alert(1)>">t</p>',
     '<p title="&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;">t</p>', ""),
    # pieces MyST splits a post's HTML into keep their structure
    ("<details open><summary>Slides</summary>", "<details open=\"\"><summary>Slides</summary>", ""),
    ("</details>", "</details>", ""),
    ('<td colspan="2" onclick="x">', '<td colspan="2">', "attributes onclick"),
    # text is text: entities stay entities, a broken tag is escaped, plain comments stay
    ("AT&T &amp; &lt;b&gt;", "AT&amp;T &amp; &lt;b&gt;", ""),
    ("<!-- more -->", "<!-- more -->", ""),
    ("<!--[if IE]><script>x()</script><![endif]-->", "", ""),
    ("<!-- never closed", "&lt;!-- never closed", ""),
    # angle brackets in prose are not elements: shown as written
    ("git push origin <branch>", "git push origin &lt;branch&gt;", ""),
    ("<received a deluge of calls>", "&lt;received a deluge of calls&gt;", ""),
    ('<my-widget onclick="x()">t</my-widget>', "t", "elements <my-widget>; attributes onclick"),
])
def test_clean_html(fragment, kept, removed):
    cleaned = clean_html(fragment)
    assert (cleaned.html, cleaned.describe()) == (kept, removed)


def test_an_open_content_element_is_carried_to_the_next_piece():
    first = clean_html("before <script>")
    assert (first.html, first.open_content) == ("before ", "script")
    second = clean_html("alert(1)</script> after", skipping="script")
    assert (second.html, second.open_content) == (" after", None)


def test_iframe_hosts_are_configurable():
    policy = HtmlPolicy(iframe_hosts=frozenset({"video.example.org"}))
    assert clean_html('<iframe src="https://video.example.org/v/1"></iframe>', policy).html == \
        '<iframe src="https://video.example.org/v/1"></iframe>'
    assert clean_html('<iframe src="https://www.youtube.com/embed/x"></iframe>', policy).html == ""


def test_a_whole_body_is_cleaned_in_one_pass():
    body = '<section id="s"><p onclick="x()">Text <script>alert(1)</script></p></section>'
    assert clean_whole(body) == "<section><p>Text </p></section>"


# --- a site built from a hostile post ---------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("hostile", tmp_path_factory.mktemp("hostile") / "src")
    yield app
    app.cleanup()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def script_key(script) -> str:
    """A script by what it runs: its file from the site's root, or its inline text."""
    source = script.get("src")
    return re.sub(r"^(?:\.\./|/)*", "", source) if source else script.get_text()


def site_scripts(page: BeautifulSoup) -> set[str]:
    return {script_key(script) for script in page.find_all("script")}


def test_exact_warnings(built):
    assert warning_lines(built) == HOSTILE_WARNINGS


def unsafe_markup(page: BeautifulSoup, allowed_scripts: set[str]) -> list[str]:
    """What in ``page`` could run, load or cover something the site did not put there."""
    problems = []
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                problems.append(f"<{element.name} {name}>")
            if name in ("href", "src", "action", "formaction") and any(
                    re.match(r"\s*(javascript|vbscript|data):", item, re.I) for item in values):
                if not (element.name == "img" and re.match(r"data:image/(png|gif|jpe?g|webp)", values[0])):
                    problems.append(f"<{element.name} {name}={values[0]!r}>")
        if element.name == "script" and script_key(element) not in allowed_scripts:
            problems.append(f"<script> {script_key(element)[:60]!r}")
        if element.name in ("iframe", "object", "embed", "svg", "math", "form", "style") and \
                element.find_parent("article") is not None:
            if not (element.name == "iframe" and element.get("src", "").startswith("https://www.youtube.com/")):
                problems.append(f"<{element.name}> in the article")
        if element.get("style") and element.find_parent("article") is not None:
            problems.append(f"<{element.name} style> in the article")
    return problems


def test_no_page_carries_anything_that_runs(built):
    outdir = Path(built.outdir)
    # the site's own scripts: those of a page the hostile post has no part in
    allowed = site_scripts(soup(outdir / "posts" / "plain.html"))
    # search.html is the site's own page (its form and scripts); no post reaches its markup
    pages = sorted(page for page in outdir.rglob("*.html") if page.name != "search.html")
    assert len(pages) > 10
    problems = {str(page.relative_to(outdir)): unsafe_markup(soup(page), allowed) for page in pages}
    assert {page: found for page, found in problems.items() if found} == {}


def test_the_post_keeps_its_text_and_structure(built):
    page = soup(Path(built.outdir) / f"{POST}.html")
    article = page.find("article")
    text = " ".join(article.get_text().split())
    for sentence in VISIBLE:
        assert sentence in text
    # the front matter's HTML is text, shown as written
    assert article.find("h1").get_text().rstrip("¶") == "<script>alert(‘title’)</script> Hostile <b>coverage</b>"
    assert "alert(‘block script’)" not in text and "alert(‘inline’)" not in text
    assert article.find("details").find("summary").get_text() == "Slides"
    assert article.find("a", string="a javascript link").get("href") is None


def test_every_page_of_the_post_is_built(built):
    outdir = Path(built.outdir)
    pages = {path.relative_to(outdir).as_posix() for path in outdir.rglob("*.html")}
    shown = {page for page in pages
             if "Hostile" in soup(outdir / page).get_text() and page not in {"genindex.html", "search.html"}}
    assert {"posts/hostile.html", "index.html"} <= shown
    for folder in ("events", "tags", "authors", "years", "speakers"):
        assert any(page.startswith(f"archive/{folder}/") and page != f"archive/{folder}/index.html"
                   for page in shown), folder


def test_feeds_carry_the_policy(built):
    outdir = Path(built.outdir)
    allowed: set[str] = set()
    for feed_path in sorted((outdir / "feeds").rglob("*.xml")):
        feed = feedparser.parse(feed_path.read_bytes())
        assert not feed.bozo, feed_path
        for entry in feed.entries:
            body = BeautifulSoup(entry.content[0].value, "html.parser")
            assert unsafe_markup(body, allowed) == [], (feed_path, entry.title)
    entry = next(entry for entry in feedparser.parse((outdir / "feeds" / "atom.xml").read_bytes()).entries
                 if entry.link.endswith("hostile.html"))
    assert entry.title == "<script>alert('title')</script> Hostile <b>coverage</b>"


def test_search_records_hold_text_only(built):
    from confarchive.search.records import search_records

    records = {record["url"]: record for record in search_records(built)}
    post = records["posts/hostile.html"]
    assert post["meta"]["title"] == "<script>alert('title')</script> Hostile <b>coverage</b>"
    assert "Overlay text is kept." in post["content"]
    assert "block script" not in post["content"] and "inline'" not in post["content"]


def test_trusting_raw_html_keeps_it(tmp_path):
    app = build_root("hostile", tmp_path / "src", confoverrides={"confarchive_trust_raw_html": True})
    try:
        assert not [line for line in warning_lines(app) if "[confarchive.html]" in line]
        article = soup(Path(app.outdir) / f"{POST}.html").find("article")
        assert article.find("script", string="alert('block script')") is not None
        # feeds are cleaned all the same: feed readers are not the archive's pages
        feed = (Path(app.outdir) / "feeds" / "atom.xml").read_text(encoding="utf-8")
        assert "block script" not in feed
    finally:
        app.cleanup()
