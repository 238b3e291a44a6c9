"""Accessibility: axe-core over the archive's pages, visible keyboard focus, text alternatives.

``tests/roots/test-a11y`` is a small archive holding everything a page can show: speaker
cards with and without photos, image floats (one a link, one with a caption), callouts,
code, quotes, lists of posts and talks, an event logo and a speaker's photo. It is built
once for the session, and one chromium serves every browser test.

axe-core (shipped in ``axe-playwright-python``) checks each page in light and dark mode and
on a phone. Two rules apply:

* no violation of impact "serious" or "critical" anywhere on the page;
* nothing at all, of any impact, inside the page's content (``article[role=main]``): that
  is the markup our directives, listings and templates write. "Needs review" findings
  count there too, except colour contrast that axe cannot measure (text over an image, or
  an element partly outside the viewport); the contrast it can measure is checked.

Outside the content, furo's page has two "moderate" findings that only a copy of furo's
page template could change, so they are reported in a failure's message but fail nothing:
``region`` (the hidden "View this page" text of the source link sits before the
``main`` landmark) and ``landmark-unique`` (furo's two unlabelled sidebars). The search page
uses Pagefind's JavaScript API only, not its UI, so no Pagefind markup is checked.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import browser_missing, serve_folder
from browser import contrast_ratio as contrast
from browser import relative_luminance as luminance
from conftest import ROOTS, sphinx_build

#: the pages axe checks, by name
PAGES = {
    "home": "index.html",
    "post": "posts/2021/harbor-keynotes/index.html",
    "event": "archive/events/harbor-2021.html",
    "speaker": "archive/speakers/mvance.html",
    "speakers": "archive/speakers/index.html",
    "tag": "archive/tags/kubernetes.html",
    "program-talk": "archive/talks/harbor-2021/opening.html",
    "search": "search.html?q=kubernetes",
}
#: colour modes: (the theme furo stores in localStorage "theme", the system's colour scheme)
MODES = {
    "light": ("light", "light"),
    "dark": ("dark", "dark"),
    # furo's "auto" on a dark system: our CSS's prefers-color-scheme rules
    "auto-dark": ("auto", "dark"),
    # the reader chose dark on a light system: our CSS's data-theme rules
    "dark-on-light": ("dark", "light"),
}
DESKTOP = (1280, 900)
PHONE = (390, 844)
#: every page in light and dark; the pages with the most of our markup also in furo's other
#: two ways of being dark, and on a phone
AXE_CASES = (
    [(page, mode, DESKTOP) for page in PAGES for mode in ("light", "dark")]
    + [(page, mode, DESKTOP) for page in ("post", "search") for mode in ("auto-dark", "dark-on-light")]
    + [(page, mode, PHONE) for page in ("post", "search") for mode in ("light", "dark")]
)
BLOCKING = {"serious", "critical"}
#: the search page marks itself done once results, filters and status are all shown
SEARCH_DONE = "() => document.getElementById('confarchive-search').dataset.searchState === 'done'"
FILTERS_SHOWN = "() => document.querySelector('.confarchive-search-filters input[type=checkbox]') !== null"
#: WCAG 2.x non-text contrast (1.4.11), which a focus indicator needs against its background
FOCUS_CONTRAST = 3.0
#: more Tab presses than any checked page has stops: the walk must end before this
MAX_TABS = 150


# --- the site ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def a11y_build(tmp_path_factory) -> Path:
    """tests/roots/test-a11y built in strict mode; the HTML output folder."""
    srcdir = tmp_path_factory.mktemp("a11y") / "src"
    shutil.copytree(ROOTS / "test-a11y", srcdir)
    outdir = srcdir.parent / "html"
    result = sphinx_build(srcdir, outdir, "-W", "--keep-going")
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="session")
def a11y_site(chromium_executable, a11y_build):
    """The built root served over HTTP; the base URL (asks for the browser first)."""
    with serve_folder(a11y_build) as url:
        yield url


@pytest.fixture(scope="session")
def axe(chromium_executable):
    """axe-core, ready to run in a Playwright page."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        browser_missing("the Python package `axe-playwright-python`",
                        "install the test dependencies with `pip install -e '.[test]'`")
    return Axe()


# --- colours -------------------------------------------------------------------------


def rgba(css: str) -> tuple[float, float, float, float]:
    """An ``rgb()``/``rgba()`` colour as computed by the browser: 0-255 channels and alpha."""
    match = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css.strip())
    assert match, f"not a computed rgb() colour: {css!r}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha) if alpha is not None else 1.0


def over(top, below):
    """``top`` painted over the opaque colour ``below``."""
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3)) + (1.0,)


def test_colour_helpers_match_wcag_reference_values():
    assert contrast(rgba("rgb(0, 0, 0)"), rgba("rgb(255, 255, 255)")) == pytest.approx(21)
    assert contrast(rgba("rgb(119, 119, 119)"), rgba("rgb(255, 255, 255)")) == pytest.approx(4.48, abs=0.01)
    assert over(rgba("rgba(0, 0, 0, 0.5)"), (255, 255, 255, 1))[:3] == pytest.approx((127.5,) * 3)


# --- opening a page in a colour mode ---------------------------------------------------

#: the page's background (the first opaque one from <body> up) and furo's theme
THEME = """() => {
  let colour = "rgb(255, 255, 255)";
  for (let node = document.body; node; node = node.parentElement) {
    const value = getComputedStyle(node).backgroundColor;
    if (value !== "rgba(0, 0, 0, 0)" && value !== "transparent") { colour = value; break; }
  }
  return {theme: document.body.dataset.theme, background: colour};
}"""


def open_in_mode(open_page, site: str, path: str, mode: str, size: tuple[int, int], filters: bool = True):
    """``path`` of ``site`` opened with furo's stored theme and the system scheme of ``mode``.

    On the search page, the filters are asked for (with their button) unless ``filters`` is false.
    """
    stored, system = MODES[mode]
    width, height = size
    # furo reads the stored choice as a page loads: store it on the home page, then go
    opened = open_page(site + "index.html", width=width, height=height, color_scheme=system)
    opened.page.evaluate("(theme) => localStorage.setItem('theme', theme)", stored)
    url = opened.url = site + path
    response = opened.page.goto(url)
    assert response is not None and response.ok, url
    if "search.html" in url:
        opened.page.wait_for_function(SEARCH_DONE, timeout=15000)
        if filters:
            # the filters come when asked for: ask, so they are checked too
            opened.page.click(".confarchive-filters-offer")
            opened.page.wait_for_function(FILTERS_SHOWN)
            opened.page.wait_for_function(SEARCH_DONE, timeout=15000)
    shown = opened.page.evaluate(THEME)
    assert shown["theme"] == stored, f"furo shows theme {shown['theme']!r}, not {stored!r}"
    dark = stored == "dark" or (stored == "auto" and system == "dark")
    page_luminance = luminance(rgba(shown["background"]))
    if dark:
        assert page_luminance < 0.2, f"{mode}: the page is not dark: {shown['background']}"
    else:
        assert page_luminance > 0.8, f"{mode}: the page is not light: {shown['background']}"
    return opened


# --- axe ---------------------------------------------------------------------------------

#: for each target, whether it is inside the page's content
IN_CONTENT = """(targets) => targets.map((target) => {
  const element = target.length === 1 ? document.querySelector(target[0]) : null;
  // a target axe reaches through a frame or a shadow root is counted as content
  return element ? element.closest("article[role=main]") !== null : true;
})"""


def describe(findings: list[dict]) -> str:
    """Every finding's rule, impact and nodes, one node a line."""
    lines = []
    for finding in findings:
        lines.append(f"{finding['id']} ({finding['impact']}, {finding['kind']}): {finding['help']}"
                     f" <{finding['helpUrl']}>")
        for node in finding["nodes"]:
            where = " >> ".join(node["target"])
            marker = "  [content]" if node["in_content"] else ""
            lines.append(f"    {where}{marker}: {' '.join(node['html'].split())[:200]}")
    return "\n".join(lines)


def axe_findings(page, axe) -> list[dict]:
    """axe's violations and "needs review" results, each node marked in content or not."""
    results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    findings = [dict(v, kind="violation") for v in results["violations"]]
    findings += [dict(v, kind="needs review") for v in results["incomplete"]]
    nodes = [node for finding in findings for node in finding["nodes"]]
    for node, inside in zip(nodes, page.evaluate(IN_CONTENT, [node["target"] for node in nodes]), strict=True):
        node["in_content"] = inside
    return findings


def content_problem(finding: dict) -> bool:
    """Whether ``finding`` fails the content rule: anything in the content, bar unmeasured contrast."""
    if not any(node["in_content"] for node in finding["nodes"]):
        return False
    # "needs review" contrast: axe could not find the background (an image, an overlap, the
    # viewport's edge), so it measured nothing; measured contrast comes as a violation
    return not (finding["kind"] == "needs review" and finding["id"] == "color-contrast")


@pytest.mark.browser
@pytest.mark.parametrize(("name", "mode", "size"), AXE_CASES,
                         ids=[f"{name}-{mode}-{size[0]}" for name, mode, size in AXE_CASES])
def test_axe_finds_nothing_serious(open_page, a11y_site, axe, name, mode, size):
    opened = open_in_mode(open_page, a11y_site, PAGES[name], mode, size)
    if name == "search":
        # the query ran: results, with the words marked, and filters are on the page, not just the form
        assert opened.page.locator(".confarchive-result").count() >= 2
        assert opened.page.locator(".confarchive-search-filters input[type=checkbox]").count() >= 2
        assert opened.page.locator(".confarchive-result-excerpt mark").count() >= 1
    findings = axe_findings(opened.page, axe)
    blocking = [f for f in findings if f["kind"] == "violation" and f["impact"] in BLOCKING]
    in_content = [f for f in findings if content_problem(f)]
    assert not (blocking or in_content), (
        f"{PAGES[name]} ({mode}, {size[0]}x{size[1]}): "
        f"{len(blocking)} serious or critical violations, {len(in_content)} findings in the content.\n"
        + describe(findings)
    )
    opened.assert_no_errors()


# --- keyboard focus ----------------------------------------------------------------------

#: the focused element: what it is, whether it is in view and uncovered, and its focus styles.
#: Waits up to two seconds for it to come into view: furo's sidebars slide in, pages scroll smoothly.
FOCUSED = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = (window.a11yFocusSeen ||= new Set());
  if (seen.has(el)) return {again: true};
  seen.add(el);
  const place = () => {
    // the first box with an area: a link around a block starts with an empty line box
    const rect = [...el.getClientRects()].find((r) => r.width > 0 && r.height > 0) || el.getBoundingClientRect();
    const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
    const inside = rect.width > 0 && rect.height > 0 && x >= 0 && y >= 0
      && x < window.innerWidth && y < window.innerHeight;
    const hit = inside ? document.elementFromPoint(x, y) : null;
    // a checkbox's own label may be what is hit at its centre
    return {inside, uncovered: hit !== null && (el.contains(hit) || (hit.contains(el) && hit.tagName === "LABEL")),
            box: [x, y, rect.width, rect.height].map(Math.round)};
  };
  const deadline = performance.now() + 2000;
  let where = place();
  while (!(where.inside && where.uncovered) && performance.now() < deadline) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    where = place();
  }
  // the background the indicator is drawn on: the first opaque one from the element up
  let background = "rgb(255, 255, 255)";
  for (let node = el; node; node = node.parentElement) {
    const value = getComputedStyle(node).backgroundColor;
    if (value !== "rgba(0, 0, 0, 0)" && value !== "transparent") { background = value; break; }
  }
  const style = getComputedStyle(el);
  const image = el.querySelector("img[alt]");
  const text = [el.getAttribute("aria-label"), el.value, el.textContent.trim(), image && image.alt, el.title]
    .find(Boolean) || "";
  const label = text.trim().replace(/\\s+/g, " ").slice(0, 60);
  const classes = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  return {
    again: false,
    what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes} "${label}"`,
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || "",
    inSearch: el.closest("#confarchive-search") !== null,
    focusVisible: el.matches(":focus-visible"),
    inside: where.inside, uncovered: where.uncovered, box: where.box, visibility: style.visibility,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor, boxShadow: style.boxShadow, background,
  };
}"""


def focus_problem(stop: dict) -> str | None:
    """What is wrong with how ``stop`` shows keyboard focus, or None."""
    if not stop["focusVisible"]:
        return "does not match :focus-visible after a Tab"
    if stop["visibility"] != "visible" or not stop["inside"]:
        return (f"has focus out of sight (centre at {stop['box'][:2]}, size {stop['box'][2:]}, "
                f"visibility {stop['visibility']})")
    if not stop["uncovered"]:
        return "has focus under another element"
    outline = stop["outlineStyle"] != "none" and stop["outlineWidth"] > 0
    if not outline and stop["boxShadow"] in ("", "none"):
        return (f"shows no focus indicator (outline {stop['outlineStyle']} {stop['outlineWidth']}px, "
                f"box-shadow {stop['boxShadow']})")
    # "auto" is the browser's own ring, drawn in two colours to show on any background
    if outline and stop["outlineStyle"] != "auto":
        background = rgba(stop["background"])
        ring = over(rgba(stop["outlineColor"]), background)
        ratio = contrast(ring, background)
        if ratio < FOCUS_CONTRAST:
            return f"has a focus outline {stop['outlineColor']} on {stop['background']}: contrast {ratio:.2f}"
    return None


def tab_through(page) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it or comes round again."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or stop["again"]:
            return stops
        stops.append(stop)
    pytest.fail(f"{MAX_TABS} Tab presses never left the page: {[s['what'] for s in stops[-5:]]}")


FOCUS_CASES = [("post", "light", DESKTOP), ("post", "dark", DESKTOP), ("post", "light", PHONE),
               ("search", "light", DESKTOP), ("search", "dark", DESKTOP), ("search", "dark", PHONE)]


@pytest.mark.browser
@pytest.mark.parametrize(("name", "mode", "size"), FOCUS_CASES,
                         ids=[f"{name}-{mode}-{size[0]}" for name, mode, size in FOCUS_CASES])
def test_keyboard_focus_is_always_visible(open_page, a11y_site, name, mode, size):
    opened = open_in_mode(open_page, a11y_site, PAGES[name], mode, size, filters=False)
    stops = tab_through(opened.page)
    if name == "search":
        # the filters' button takes focus; Enter shows the filters and puts focus on the first
        offers = [stop for stop in stops if "Filter these results" in stop["what"]]
        assert len(offers) == 1 and offers[0]["tag"] == "button", [stop["what"] for stop in stops]
        opened.page.focus(".confarchive-filters-offer")
        opened.page.keyboard.press("Enter")
        opened.page.wait_for_function(FILTERS_SHOWN)
        opened.page.wait_for_function(SEARCH_DONE, timeout=15000)
        first = opened.page.evaluate(FOCUSED)
        assert first is not None and first["tag"] == "input" and first["type"] == "checkbox", first
        stops += [first, *tab_through(opened.page)]
    texts = " | ".join(stop["what"] for stop in stops)
    # the walk reached the archive's own controls, not only furo's
    if name == "post":
        for expected in ('"Marisol Vance"', '"@mvance on X"', '"@hiro@social.example.org on Mastodon"',
                         '"@koduya.bsky.social on Bluesky"'):
            assert expected in texts, f"no Tab stop {expected} in: {texts}"
        assert any(stop["tag"] == "a" and "The main hall" in stop["what"] for stop in stops), \
            f"the linked image float takes no focus: {texts}"
    else:
        kinds = [(stop["tag"], stop["type"]) for stop in stops if stop["inSearch"]]
        assert ("input", "search") in kinds and ("button", "submit") in kinds, texts
        assert kinds.count(("input", "checkbox")) >= 2, f"the filters take no focus: {texts}"
        assert sum(1 for stop in stops if "confarchive-result-title" in stop["what"]) >= 2, texts
    problems = [f"{stop['what']} {problem}" for stop in stops if (problem := focus_problem(stop))]
    assert not problems, f"{PAGES[name]} ({mode}, {size[0]}px), {len(stops)} Tab stops:\n" + "\n".join(problems)
    opened.assert_no_errors()


@pytest.mark.browser
def test_ticking_a_filter_keeps_keyboard_focus_on_it(open_page, a11y_site):
    opened = open_in_mode(open_page, a11y_site, PAGES["search"], "light", DESKTOP)
    page = opened.page
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.confarchive-search-filters input')"):
            break
    else:
        pytest.fail("no filter checkbox takes focus")
    name, value = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => new URLSearchParams(location.search).has({name!r})")
    page.wait_for_function(SEARCH_DONE, timeout=15000)
    # the filters were drawn anew; focus is on the same (now ticked) box, shown as focused
    focused = page.evaluate("""() => {
      const el = document.activeElement;
      return {name: el.name, value: el.value, checked: el.checked, visible: el.matches(':focus-visible'),
              inFilters: el.closest('.confarchive-search-filters') !== null, connected: el.isConnected};
    }""")
    assert focused == {"name": name, "value": value, "checked": True, "visible": True,
                       "inFilters": True, "connected": True}
    opened.assert_no_errors()


# --- text alternatives, in the HTML ----------------------------------------------------


@pytest.mark.parametrize("site", ["a11y_build", "docs_build"])
def test_every_card_photo_and_image_float_has_alt_text(request, site):
    """Speaker photos are decoration (alt="", the name beside them); floats describe themselves."""
    outdir: Path = request.getfixturevalue(site)
    photos = floats = 0
    problems = []
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(outdir).as_posix()
        for card in soup.select(".confarchive-speaker"):
            name = card.select_one(".confarchive-speaker-name")
            for img in card.find_all("img"):
                photos += 1
                if not img.has_attr("alt"):
                    problems.append(f"{where}: a speaker card's photo has no alt: {img}")
                elif img["alt"] != "":
                    problems.append(f"{where}: a card's photo repeats the name beside it: {img}")
                if name is None or not name.get_text(strip=True):
                    problems.append(f"{where}: a card's photo has no name beside it: {card.get_text(' ')[:80]}")
        for figure in soup.select("figure.confarchive-float"):
            for img in figure.find_all("img"):
                floats += 1
                if not img.get("alt", "").strip():
                    problems.append(f"{where}: an image float has no alt text: {img}")
        # the photo at the top of a speaker's own page is the person the page is about
        if where.startswith("archive/speakers/"):
            heading = soup.select_one("article h1")
            for link in heading.select("a.headerlink") if heading else ():
                link.decompose()
            title = heading.get_text(strip=True) if heading else None
            for img in soup.select(".confarchive-page-image img"):
                photos += 1
                if img.get("alt") != title:
                    problems.append(f"{where}: the speaker's photo is not described by their name: {img}")
    assert not problems, "\n".join(problems)
    if site == "a11y_build":
        # the root has two card photos, the speaker page's photo, and two floats
        assert photos == 3 and floats == 2, (photos, floats)
    else:
        assert floats >= 1, "docs/ shows no image float any more; the test would check nothing there"
