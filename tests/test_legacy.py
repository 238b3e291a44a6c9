"""The legacy converter: a pure function, text in, text out."""

from __future__ import annotations

import re

import pytest
from confarchive.text.legacy import MORE_MARKER, convert_legacy

from conftest import REPO

SEED = REPO / "docs" / "posts" / "2017" / "kubecon-dayone-keynotes" / "index.md"


def test_image_float_div_with_indented_image():
    text = '<div class="image float-right">\n    ![KubeCon Logo](kubelogo-wide.png)\n</div>\n\nText.'
    result = convert_legacy(text)
    assert result.text == (
        ":::{image-float} kubelogo-wide.png\n:alt: KubeCon Logo\n:align: right\n:::\n\nText."
    )
    assert result.converted == {"image float": 1}


def test_image_float_div_unindented_left_linked_image():
    text = '<div class="image float-left">\n[![Join](join.png)](https://example.org/pricing)\n</div>'
    assert convert_legacy(text).text == (
        ":::{image-float} join.png\n:alt: Join\n:align: left\n:target: https://example.org/pricing\n:::"
    )


def test_image_float_div_keeps_caption_text_and_img_tags():
    text = (
        '<div class="image float-right">\n'
        '    <img class="img-responsive" src="./fish.png" alt="A fish" />\n'
        "    This is the first logo.\n"
        "</div>"
    )
    assert convert_legacy(text).text == (
        ":::{image-float} fish.png\n:alt: A fish\n:align: right\nThis is the first logo.\n:::"
    )


def test_inline_image_float_div_in_a_list_item():
    text = '* <div class="image float-right">[![Oi](oi.jpg)](https://github.com/Oi)</div> Oi runs the project.'
    assert convert_legacy(text).text == (
        "* :::{image-float} oi.jpg\n"
        "  :alt: Oi\n"
        "  :align: right\n"
        "  :target: https://github.com/Oi\n"
        "  :::\n"
        "\n"
        "  Oi runs the project."
    )


def test_float_div_without_an_image_keeps_its_text():
    text = '<div class="image float-left">\n  [Zeto](http://example.org/zeto)\n</div>'
    result = convert_legacy(text)
    assert result.text == "[Zeto](http://example.org/zeto)"
    assert result.converted == {"float div without image": 1}


@pytest.mark.parametrize("marker", ['<span class="more"></span>', "<!--more-->", "<!--  more -->"])
def test_read_more_markers_become_one_marker(marker):
    assert convert_legacy(f"Intro.\n\n{marker}\n\nRest.").text == f"Intro.\n\n{MORE_MARKER}\n\nRest."


def test_read_more_marker_followed_by_text_on_the_same_line():
    assert convert_legacy("<!--more-->First clone the repo.").text == f"{MORE_MARKER}\n\nFirst clone the repo."


def test_note_with_body_in_the_next_quote():
    text = "> **NOTE: Diveristy Scholarship**\n\n> The US failed.\n> Onward.\n\nAfter."
    result = convert_legacy(text)
    assert result.text == ":::{callout} Diveristy Scholarship\nThe US failed.\nOnward.\n:::\n\nAfter."
    assert result.converted == {"note callout": 1}


def test_note_takes_every_following_quote_and_lazy_lines():
    text = "> **NOTE: Title**\n> First\nlazy line\n\n> Second\n\nPlain."
    assert convert_legacy(text).text == ":::{callout} Title\nFirst\nlazy line\n\nSecond\n:::\n\nPlain."


def test_note_body_with_a_colon_fence_gets_a_longer_fence():
    text = "> **NOTE: T**\n> :::{speaker} X\n> :::"
    assert convert_legacy(text).text == "::::{callout} T\n:::{speaker} X\n:::\n::::"


def test_speaker_heading_becomes_heading_and_card():
    text = "### [Dan Kohn](https://twitter.com/dankohn1)\n\nHe spoke."
    assert convert_legacy(text).text == (
        "### Dan Kohn\n\n:::{speaker} Dan Kohn\n:twitter: https://twitter.com/dankohn1\n:::\n\nHe spoke."
    )


def test_heading_linking_elsewhere_is_left_alone():
    text = "### [Kata](https://katacontainers.io)"
    assert convert_legacy(text).text == text


def test_empty_link_becomes_text_but_not_in_code_or_images():
    text = "Projects: [containerd](), `[keep]()` and ![img]()."
    result = convert_legacy(text)
    assert result.text == "Projects: containerd, `[keep]()` and ![img]()."
    assert result.converted == {"empty link": 1}


def test_lone_img_tags_of_local_files_become_images():
    text = (
        'Before.\n\n<img src="liz.jpg" class="image float-right" />\n\n'
        '<img class="img-responsive" src="./streamset1.jpg" alt="Streams" />\n\n'
        '<img src="http://photos.example.org/a.png" alt="Remote" />\n\nAfter.'
    )
    result = convert_legacy(text)
    assert result.text == (
        "Before.\n\n:::{image-float} liz.jpg\n:align: right\n:::\n\n"
        "![Streams](streamset1.jpg)\n\n"
        '<img src="http://photos.example.org/a.png" alt="Remote" />\n\nAfter.'
    )
    assert result.converted == {"image float": 1, "img tag": 1}
    assert convert_legacy(result.text).text == result.text


def test_img_tag_inside_an_html_block_is_left_alone():
    text = '<a href="./">\n    <img width="100" src="logo.png">\n</a>'
    assert convert_legacy(text).text == text


def test_image_path_with_spaces_gets_angle_brackets():
    result = convert_legacy("![Syntax Error Explosion](syntax error.gif) and ![ok](fine.png)")
    assert result.text == "![Syntax Error Explosion](<syntax error.gif>) and ![ok](fine.png)"
    assert convert_legacy(result.text).text == result.text


def test_code_fences_are_left_untouched():
    text = '```html\n<div class="image float-right">\n  ![a](b.png)\n</div>\n[x]()\n```'
    assert convert_legacy(text).text == text


def test_front_matter_is_left_untouched():
    text = "---\ntitle: '[x]()'\n---\n[x]()"
    assert convert_legacy(text).text == "---\ntitle: '[x]()'\n---\nx"


def test_seed_post_converts_every_construct_and_is_idempotent():
    original = SEED.read_text(encoding="utf-8")
    result = convert_legacy(original)
    assert result.converted == {
        "speaker heading": 5,
        "note callout": 2,
        "image float": 1,
        "read-more marker": 1,
        "empty link": 1,
    }
    assert "<div" not in result.text and "<span" not in result.text and "]()" not in result.text
    again = convert_legacy(result.text)
    assert again.text == result.text and not again.changed


def test_seed_post_keeps_every_word():
    original = SEED.read_text(encoding="utf-8")
    words = re.findall(r"[A-Za-z0-9']+", re.sub(r"<[^>]+>|\]\([^)]*\)|!\[|\*\*NOTE:", " ", original))
    converted_words = re.findall(r"[A-Za-z0-9']+", convert_legacy(original).text)
    position = 0
    for word in words:
        assert word in converted_words[position:], f"{word!r} lost"
        position = converted_words.index(word, position) + 1


# --- regressions: converting converted text changes nothing, and no prose is lost --------


def test_constructs_inside_a_float_div_without_an_image_are_converted_at_once():
    text = '<div class="image float-left">\n<!--more-->\n[docs]()\n</div>'
    result = convert_legacy(text)
    assert result.text == f"{MORE_MARKER}\ndocs"
    assert result.converted == {"float div without image": 1, "read-more marker": 1, "empty link": 1}
    assert convert_legacy(result.text).text == result.text


def test_an_empty_link_inside_an_empty_link_goes_at_once():
    assert convert_legacy("See [[x]()]().").text == "See x."


def test_a_callout_body_is_converted_too():
    assert convert_legacy("> **NOTE: T**\n> see [docs]()").text == ":::{callout} T\nsee docs\n:::"


def test_a_float_div_never_reaches_into_a_code_block():
    text = '<div class="image float-left">\n\nText.\n\n```html\n</div>\n```'
    assert convert_legacy(text).text == text


def test_an_image_path_with_spaces_in_a_float_div():
    text = '<div class="image float-right">\n![A fish](my fish.png)\n</div>'
    # an unescaped space in a directive's argument (a URI) would be dropped
    assert convert_legacy(text).text == ":::{image-float} my\\ fish.png\n:alt: A fish\n:align: right\n:::"


def test_a_lone_img_tag_keeps_its_title_and_escapes_its_alt_text():
    text = '\n<img src="logo.png" alt="see [1] \\ here" title=\'The "logo"\'>\n'
    assert convert_legacy(text).text == '\n![see \\[1\\] \\\\ here](logo.png "The \\"logo\\"")\n'


def test_a_lone_img_tag_with_parentheses_in_its_path():
    assert convert_legacy('\n<img src="a (1).png" alt="x">\n').text == "\n![x](<a (1).png>)\n"


def test_nested_constructs_are_converted_at_once():
    text = '<div class="image float-left"><div class="image float-left"><!--more-->[[x]()]()</div></div>'
    result = convert_legacy(text)
    assert result.text == f"{MORE_MARKER}\n\nx"
    assert convert_legacy(result.text).text == result.text


def test_github_alerts_become_callouts_of_their_kind():
    text = ("> [!NOTE]\n> Useful to know.\n> Still the note.\n\n"
            "> [!warning] Mind the gap\n> Crowded *hall*.\n\n> a plain quote")
    result = convert_legacy(text)
    assert result.text == (
        ":::{callout} Note\n:kind: note\n\nUseful to know.\nStill the note.\n:::\n\n"
        ":::{callout} Mind the gap\n:kind: warning\n\nCrowded *hall*.\n:::\n\n> a plain quote"
    )
    assert result.converted == {"github alert": 2}
    assert convert_legacy(result.text).text == result.text


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_every_github_alert_kind_is_a_callout(kind):
    result = convert_legacy(f"> [!{kind}]\n> Body.")
    assert result.text.splitlines()[:2] == [f":::{{callout}} {kind.title()}", f":kind: {kind.lower()}"]


def test_unknown_alert_and_alerts_in_code_are_left_alone():
    assert convert_legacy("> [!BANANA]\n> Body.").text == "> [!BANANA]\n> Body."
    fenced = "```\n> [!NOTE]\n> Body.\n```"
    assert convert_legacy(fenced).text == fenced
