"""Every page built from a post full of hostile HTML, in a real browser.

The post (tests/roots/test-hostile/posts/hostile.md) tries scripts, ``onerror`` and
``onmouseover`` handlers, ``javascript:`` and ``data:`` links, ``<svg onload>``,
``<iframe srcdoc>``, an iframe from an unknown host and a style-based overlay, in its
body, its front matter and its speaker card. Each page of the site is loaded, hovered,
focused and clicked through; no dialog may open, no request may leave the page's host,
and the post's text must be there to read.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from browser import serve_folder
from conftest import ROOTS, sphinx_build
from test_html_policy import VISIBLE

pytestmark = pytest.mark.browser

#: hover and focus every element of the article, click every link that stays on the page,
#: then wait for timers a script could have set
PROVOKE = """async () => {
  const article = document.querySelector("article") || document.body;
  for (const element of article.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "focus", "pointerdown"]) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  for (const link of article.querySelectorAll("a")) {
    const href = link.getAttribute("href");
    if (href === null || href.startsWith("#")) link.click();
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return true;
}"""

#: the element on top at a few points of the viewport: an overlay would be on top everywhere
TOP_ELEMENTS = """() => [[0.5, 0.5], [0.1, 0.9], [0.9, 0.1]].map(([x, y]) => {
  const element = document.elementFromPoint(innerWidth * x, innerHeight * y);
  return element ? getComputedStyle(element).position : null;
})"""


@pytest.fixture(scope="module")
def site(chromium_executable, tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("hostile") / "src"
    shutil.copytree(ROOTS / "test-hostile", srcdir)
    outdir = srcdir.parent / "html"
    result = sphinx_build(srcdir, outdir)
    assert result.returncode == 0, result.stderr
    with serve_folder(outdir) as url:
        yield outdir, url


def visit(chromium, url: str) -> dict:
    """Open ``url`` with every request watched; provoke the page; what happened."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    seen: dict = {"dialogs": [], "outside": [], "errors": []}
    host = urlsplit(url).hostname

    def route(route) -> None:
        if urlsplit(route.request.url).hostname == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            seen["outside"].append(route.request.url)
            route.abort("blockedbyclient")

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.goto(url, wait_until="load")
        page.evaluate(PROVOKE)
        page.mouse.move(640, 450)
        for _ in range(15):
            page.keyboard.press("Tab")
        seen["top"] = page.evaluate(TOP_ELEMENTS)
        seen["text"] = " ".join(page.locator("article").first.inner_text().split()) \
            if page.locator("article").count() else ""
    finally:
        context.close()
    return seen


def test_no_page_opens_a_dialog_or_leaves_the_site(site, chromium):
    outdir, url = site
    pages = sorted(path.relative_to(outdir).as_posix() for path in outdir.rglob("*.html"))
    assert "posts/hostile.html" in pages and len(pages) > 10
    happened = {}
    for page in pages:
        seen = visit(chromium, url + page)
        if page == "posts/plain.html":
            # the plain post embeds a player from a listed host: the one request that leaves
            assert seen["outside"] == ["https://www.youtube.com/embed/abc123"]
            seen["outside"] = []
        if seen["dialogs"] or seen["outside"] or seen["errors"] or "fixed" in seen["top"]:
            happened[page] = {key: seen[key] for key in ("dialogs", "outside", "errors", "top")}
    assert happened == {}


def test_the_post_reads_as_written(site, chromium):
    _, url = site
    text = visit(chromium, url + "posts/hostile.html")["text"]
    for sentence in VISIBLE:
        assert sentence in text
    assert "<script>alert(‘title’)</script> Hostile <b>coverage</b>" in text


def test_a_search_for_the_speaker_shows_the_hostile_names_as_text(site, chromium):
    _, url = site
    context = chromium.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "search.html?q=Mallory")
        page.wait_for_function(
            "() => document.getElementById('confarchive-search').dataset.searchState === 'done'",
            timeout=15000)
        titles = page.eval_on_selector_all(".confarchive-result-title", "(items) => items.map((i) => i.textContent)")
        injected = page.eval_on_selector_all(".confarchive-results img, .confarchive-results script, "
                                             ".confarchive-results b", "(items) => items.length")
    finally:
        context.close()
    assert dialogs == [] and injected == 0
    assert any("Mallory" in title for title in titles), titles
