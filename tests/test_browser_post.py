"""The example post in a real browser: the floated logo, the phone layout, readable cards."""

from __future__ import annotations

import pytest

from browser import contrast_ratio, relative_luminance



POST = "posts/2017/kubecon-dayone-keynotes/index.html"
LOGO = 'img[alt="KubeCon Logo"]'
SPEAKERS = ["Dan Kohn", "Michelle Noorali", "Imad Sousou", "Diane Marsh", "Adrian Cockroft"]
#: WCAG 2.x AA contrast for normal-size text
AA_CONTRAST = 4.5
#: how far two edges may be apart and still "align", in CSS pixels
SLACK = 2

#: boxes of the logo, its figure, the paragraph after it and the article's content box,
#: plus the paragraph's line boxes (from a Range over its text)
MEASURE = """(selector) => {
  const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                       width: r.width, height: r.height});
  const img = document.querySelector(selector);
  if (!img) return null;
  const figure = img.closest("figure");
  const paragraph = figure && figure.nextElementSibling;
  const article = document.querySelector("article[role=main]");
  const style = getComputedStyle(article);
  const outer = article.getBoundingClientRect();
  const content = {
    left: outer.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
    right: outer.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
  };
  let lines = [];
  if (paragraph) {
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    lines = Array.from(range.getClientRects()).filter((r) => r.width > 0).map(box);
  }
  const figureStyle = figure ? getComputedStyle(figure) : null;
  return {
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    img: box(img.getBoundingClientRect()),
    figure: figure ? box(figure.getBoundingClientRect()) : null,
    float: figureStyle ? figureStyle.float : null,
    marginLeft: figureStyle ? parseFloat(figureStyle.marginLeft) : 0,
    marginBottom: figureStyle ? parseFloat(figureStyle.marginBottom) : 0,
    paragraphTag: paragraph ? paragraph.tagName : null,
    paragraphText: paragraph ? paragraph.textContent : null,
    paragraph: paragraph ? box(paragraph.getBoundingClientRect()) : null,
    lines: lines,
    content: content,
    viewport: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""

#: the colour of each card's name and the card's effective background, as sRGB 0-255,
#: read by painting the computed colours on a canvas (so any CSS colour syntax works)
CARD_COLOURS = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (colour) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  // the page's canvas colour, under everything
  const probe = document.createElement("div");
  probe.style.backgroundColor = "Canvas";
  document.body.appendChild(probe);
  const canvasColour = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  const background = (element) => {
    const layers = [];
    const images = [];
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") images.push(node.className || node.tagName);
      const colour = rgba(style.backgroundColor);
      layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [...canvasColour.slice(0, 3), 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return {colour: result, images: images};
  };
  return Array.from(document.querySelectorAll("article .confarchive-speaker")).map((card) => {
    // the card's name, or where the heading above says it, its first link
    const name = card.querySelector(".confarchive-speaker-name");
    const heading = card.closest("section").querySelector("h1, h2, h3, h4, h5, h6");
    const strong = name ? (name.querySelector("strong") || name) : card.querySelector(".confarchive-speaker-links a");
    const behind = background(card);
    return {
      name: (name || heading).textContent.trim().replace(/¶$/, ""),
      text: over(rgba(getComputedStyle(strong).color), behind.colour),
      background: behind.colour,
      backgroundImages: behind.images,
      opacity: parseFloat(getComputedStyle(card).opacity),
      pageBackground: background(document.body).colour,
    };
  });
}"""


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((18, 52, 86), (18, 52, 86)) == pytest.approx(1)


def open_post(open_page, served_docs, **options):
    opened = open_page(served_docs + POST, **options)
    logo = opened.page.locator(LOGO)
    assert logo.count() == 1, f"expected one {LOGO} in {POST}"
    # the legacy float div became a figure holding the logo, followed by the first paragraph
    layout = opened.page.evaluate(MEASURE, LOGO)
    assert layout["figure"] is not None, "the logo is not inside a <figure>"
    assert layout["paragraphTag"] == "P", "the logo's figure is not followed by a paragraph"
    assert layout["paragraphText"].startswith("I hope you"), layout["paragraphText"][:80]
    assert layout["viewport"] == options["width"]
    return opened, logo, layout


def assert_logo_shown(logo, layout):
    assert logo.is_visible()
    assert layout["complete"] and layout["naturalWidth"] > 0, "the logo did not load"
    assert layout["img"]["width"] > 0 and layout["img"]["height"] > 0


def overlap(a, b) -> float:
    """How many pixels two boxes share vertically."""
    return min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])


@pytest.mark.browser
def test_logo_floats_right_of_the_first_paragraph_on_a_wide_screen(open_page, served_docs):
    opened, logo, layout = open_post(open_page, served_docs, width=1280, height=900)
    opened.screenshot("post-1280")
    assert_logo_shown(logo, layout)
    figure, paragraph, content = layout["figure"], layout["paragraph"], layout["content"]

    assert layout["float"] == "right"
    # the figure sits in the right half of the text column, flush with its right edge
    middle = (paragraph["left"] + paragraph["right"]) / 2
    assert figure["left"] >= middle - SLACK, (figure, paragraph)
    assert abs(figure["right"] - content["right"]) <= SLACK, (figure, content)
    assert content["left"] <= figure["left"] and figure["right"] <= content["right"] + SLACK
    # the logo fills its figure, which does not stick out of the column
    assert figure["left"] - SLACK <= layout["img"]["left"] and layout["img"]["right"] <= figure["right"] + SLACK
    # side by side: the figure and the first paragraph share rows ...
    assert overlap(figure, paragraph) > layout["img"]["height"] / 2, (figure, paragraph)
    # ... and the paragraph's lines beside the figure end before it (the text wraps round)
    beside = [line for line in layout["lines"] if overlap(line, figure) > 0]
    assert beside, f"no line of the first paragraph is beside the figure: {layout['lines']}"
    clear_of_figure = figure["left"] - layout["marginLeft"] + SLACK
    assert all(line["right"] <= clear_of_figure for line in beside), (figure, beside)
    assert min(line["left"] for line in beside) <= content["left"] + SLACK
    opened.assert_no_errors()


@pytest.mark.browser
def test_logo_takes_the_width_on_a_phone(open_page, served_docs):
    opened, logo, layout = open_post(open_page, served_docs, width=390, height=844)
    opened.screenshot("post-390")
    assert_logo_shown(logo, layout)
    figure, paragraph, content = layout["figure"], layout["paragraph"], layout["content"]

    assert layout["float"] == "none"
    assert figure["width"] <= 390 and layout["img"]["width"] <= 390
    assert content["left"] - SLACK <= figure["left"] and figure["right"] <= content["right"] + SLACK
    assert content["left"] - SLACK <= layout["img"]["left"] and layout["img"]["right"] <= content["right"] + SLACK
    # nothing beside it: the first paragraph starts below the figure
    assert paragraph["top"] >= figure["bottom"] - SLACK, (figure, paragraph)
    assert layout["scrollWidth"] <= 390, f"the page scrolls sideways: {layout['scrollWidth']}px wide"
    opened.assert_no_errors()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_speaker_cards_are_readable(open_page, served_docs, scheme):
    opened = open_page(served_docs + POST, width=1280, height=900, color_scheme=scheme)
    cards = opened.page.evaluate(CARD_COLOURS)
    assert [card["name"] for card in cards] == SPEAKERS

    # the colour scheme really took effect: a light page in light mode, a dark one in dark mode
    page_luminance = relative_luminance(cards[0]["pageBackground"])
    if scheme == "dark":
        assert page_luminance < 0.2, f"dark mode did not darken the page: {cards[0]['pageBackground']}"
    else:
        assert page_luminance > 0.8, f"light mode page is not light: {cards[0]['pageBackground']}"

    for card in cards:
        assert card["backgroundImages"] == [], f"{card['name']}: a background image hides the colour"
        assert card["opacity"] == 1, card
        ratio = contrast_ratio(card["text"], card["background"])
        assert ratio >= AA_CONTRAST, (
            f"{scheme}: {card['name']}'s name {card['text'][:3]} on {card['background'][:3]} "
            f"has contrast {ratio:.2f}, below {AA_CONTRAST}"
        )
    opened.assert_no_errors()
