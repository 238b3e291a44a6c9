"""Every kind of page on a phone (390 px wide) and a wide screen, light and dark: nothing is
wider than the screen.

Checked by each element's bounding box, not by the page's ``scrollWidth``: an element that
sticks out of the screen is found even where ``overflow`` hides it from the scroll width
(furo's content column scrolls sideways, so a wide element there would only make the
column scroll). Elements inside a box made to scroll sideways (a code block, a wide
table in furo's table wrapper) are left to that box, which is checked itself; furo's
closed drawers (the navigation, the table of contents) sit off the screen by design.

Set ``CONFARCHIVE_SCREENSHOTS`` to a folder to keep a screenshot of each page.
"""

from __future__ import annotations

import pytest
from browser import search, show_filters

pytestmark = pytest.mark.browser

PHONE = 390

#: every kind of page: home, post, event, speaker, tag, year, and the indexes
PAGES = {
    "home": "index.html",
    "post": "posts/2017/kubecon-dayone-keynotes/index.html",
    "event": "archive/events/kubecon-na-2017.html",
    "events-index": "archive/events/index.html",
    "speaker": "archive/speakers/michellenoorali.html",
    "speakers-index": "archive/speakers/index.html",
    "tag": "archive/tags/kubernetes.html",
    "year": "archive/years/2017.html",
    "manual": "writing-posts.html",
    "program-event": "archive/events/djangocon-au-2019.html",
    "program-talk": "archive/talks/djangocon-au-2019/wasm-matter-russell-keith-magee-pycon-au-2019.html",
    "program-speaker": "archive/speakers/andrew-godwin.html",
}
#: a program talk's video player: the tests block every request that leaves the machine
PLAYER = "https://www.youtube-nocookie.com/embed/"

#: the elements whose box reaches past the screen's edges, as ``tag.class (left-right)``
WIDER_THAN_THE_SCREEN = """() => {
  const SCROLLERS = 'pre, .highlight, .table-wrapper, .math-wrapper';
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('.sidebar-drawer, .toc-drawer, .visually-hidden, .skip-to-content')) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    // inside a box made to scroll sideways (code, a wide table, math): that box is checked
    const scroller = element.parentElement && element.parentElement.closest(SCROLLERS);
    if (scroller && ['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if (rect.left < -1 || rect.right > width + 1) {
      found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} ` +
                 `(${Math.round(rect.left)}-${Math.round(rect.right)})`);
    }
  }
  return found;
}"""


@pytest.mark.parametrize(("width", "scheme"), [(PHONE, "light"), (PHONE, "dark"), (1280, "light"), (1280, "dark")])
@pytest.mark.parametrize("kind", PAGES)
def test_no_element_is_wider_than_the_screen(open_page, served_docs, kind, width, scheme):
    opened = open_page(served_docs + PAGES[kind], width=width, height=844 if width == PHONE else 900,
                       color_scheme=scheme)
    assert opened.page.evaluate("() => document.documentElement.clientWidth") == width
    assert opened.page.evaluate(WIDER_THAN_THE_SCREEN) == []
    opened.screenshot(f"{kind}-{width}-{scheme}", full_page=True)
    if kind == "program-talk":
        # the player, and only it, was asked for (and blocked: no test leaves the machine)
        assert opened.page.locator(f"iframe[src^='{PLAYER}']").count() == 1
        opened.failed_requests[:] = [failed for failed in opened.failed_requests if PLAYER not in failed]
    opened.assert_no_errors()


@pytest.mark.parametrize(("width", "scheme"), [(PHONE, "light"), (PHONE, "dark"), (1280, "light"), (1280, "dark")])
def test_search_with_its_filters_open_fits_the_screen(open_page, served_docs, width, scheme):
    opened = search(lambda url, **kwargs: open_page(url, width=width, height=844, color_scheme=scheme),
                    served_docs, "kubernetes")
    show_filters(opened)
    assert opened.page.locator(".confarchive-search-filters input[type=checkbox]").count() > 0
    filters = opened.page.locator(".confarchive-search-filters").bounding_box()
    first = opened.page.locator(".confarchive-result").first.bounding_box()
    if width == PHONE:  # above the results
        assert filters["y"] + filters["height"] <= first["y"]
    else:  # beside them, to the left
        assert filters["x"] + filters["width"] <= first["x"]
    metas = opened.page.eval_on_selector_all(".confarchive-result-meta", "(items) => items.map((p) => p.textContent)")
    assert any(meta.startswith("Talk by Dan Kohn · ") for meta in metas), metas
    assert opened.page.evaluate(WIDER_THAN_THE_SCREEN) == []
    opened.screenshot(f"search-{width}-{scheme}", full_page=True)
    opened.assert_no_errors()


def test_the_check_finds_an_element_wider_than_the_screen(open_page, served_docs):
    """The check itself: a box made too wide is found."""
    opened = open_page(served_docs + PAGES["event"], width=PHONE, height=844)
    opened.page.evaluate("() => { document.querySelector('article p').style.width = '600px'; }")
    assert any(found.startswith("p") for found in opened.page.evaluate(WIDER_THAN_THE_SCREEN))
