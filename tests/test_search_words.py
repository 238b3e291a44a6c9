"""Search finds every word a reader sees, ranks phrases and coverage first, and says when nothing matches.

tests/roots/test-search-words: a post of pictures (alt text, captions, a speaker card with
words of its own), two posts holding one phrase once and five times, and a documentation
page that names the same speaker and phrase.
"""

from __future__ import annotations

import shutil

import pytest
from browser import DONE, filter_counts, results, search, serve_folder, show_filters, status
from conftest import REPO, ROOTS, sphinx_build
from siteoutput import pagefind_records


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The root built into HTML; the output folder."""
    srcdir = tmp_path_factory.mktemp("search-words") / "src"
    shutil.copytree(ROOTS / "test-search-words", srcdir)
    outdir = srcdir.parent / "html"
    result = sphinx_build(srcdir, outdir, "-W")
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="module")
def records(built) -> dict[str, dict]:
    return pagefind_records(built / "pagefind")


@pytest.mark.parametrize("words", [
    "Lanterns swaying over wet cobblestones",  # a Markdown image's alt text
    "A trawler unloading crates",  # a figure's alt text
    "Gulls circling the fishmonger’s stall.",  # the figure's caption
    "Rope coiled beside a bollard",  # an image float's alt text
    "A lighthouse keeper’s lamp.",  # the float's caption
    "Sailmakers stitching canvas",  # alt text of an image in the post's HTML
])
def test_what_images_say_is_in_their_posts_record(records, words):
    assert words in records["posts/pictures.html"]["content"]


def test_a_speaker_cards_own_words_are_in_its_talks_record(records):
    talk = records["posts/pictures.html#knots-and-splices"]
    assert "Sings sea shanties between demonstrations." in talk["content"]
    # once, from the speaker: the card's name is not read twice from its parts
    assert talk["content"].count("Marisol Quintero") == 1
    assert "Sings sea shanties" not in records["posts/pictures.html"]["content"]


def test_documentation_pages_are_indexed_at_a_lower_weight(records):
    page = records["manual/speakers.html"]
    assert page["meta"] == {"kind": "page", "title": "Writing about speakers"}
    assert "Marisol Quintero" in page["content"]


# --- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(chromium_executable, built):
    with serve_folder(built) as url:
        yield url


def _paths(opened) -> list[str]:
    return [found["href"].split("?")[0].split("/", 3)[3] + ("#" + found["href"].split("#")[1]
                                                             if "#" in found["href"] else "")
            for found in results(opened)]


@pytest.mark.browser
def test_ticking_two_years_shows_both_and_keeps_the_others_to_add(open_page, served):
    opened = show_filters(search(open_page, served, "session"))
    assert filter_counts(opened, "year") == {"2019": 1, "2020": 1, "2021": 1}
    opened.page.check('fieldset[data-filter="year"] input[value="2020"]')
    opened.page.wait_for_function("() => document.querySelectorAll('.confarchive-result').length === 1")
    opened.page.wait_for_function(DONE)
    # the other years stay, with what each would add
    assert filter_counts(opened, "year") == {"2019": 1, "2020": 1, "2021": 1}
    opened.page.check('fieldset[data-filter="year"] input[value="2021"]')
    opened.page.wait_for_function("() => document.querySelectorAll('.confarchive-result').length === 2")
    opened.page.wait_for_function(DONE)
    assert sorted(_paths(opened)) == ["posts/phrase-five.html", "posts/phrase-once.html"]
    assert status(opened).startswith("2 results")
    assert filter_counts(opened, "year") == {"2019": 1, "2020": 1, "2021": 1}
    # other filters count among the union: the 2019 post's tag "boats" is not in it
    assert filter_counts(opened, "tag") == {"harbour": 2}
    assert "year=2020" in opened.page.url and "year=2021" in opened.page.url
    opened.assert_no_errors()


@pytest.mark.browser
def test_a_phrase_said_five_times_ranks_above_a_newer_post_saying_it_once(open_page, served):
    opened = search(open_page, served, '"quiet harbour lights"')
    assert _paths(opened) == ["posts/phrase-five.html", "posts/phrase-once.html", "manual/speakers.html"]
    opened.assert_no_errors()


@pytest.mark.browser
@pytest.mark.parametrize("query", ["Marisol Quintero", "quiet harbour lights"])
def test_documentation_ranks_below_coverage(open_page, served, query):
    found = _paths(search(open_page, served, query))
    assert "manual/speakers.html" in found
    assert found[-1] == "manual/speakers.html", found


# Pagefind shortens a word it does not hold until an indexed word starts it: "qqqq" finds "q"
# and "Norali" finds "nor" in the 2019 post, "zzzyyy" finds a "Z" in the manual.
@pytest.mark.browser
@pytest.mark.parametrize("query", ["qqqq", "Norali"])
def test_a_word_that_matches_nothing_says_no_results(open_page, served, query):
    opened = search(open_page, served, query)
    assert results(opened) == []
    assert status(opened) == f"No results for “{query}”."
    opened.assert_no_errors()


def _not_in_the_manual(word: str) -> None:
    """The manual explains these searches with words of its own: a test word must not be one."""
    assert not [path for path in (REPO / "docs").rglob("*.md") if word in path.read_text(encoding="utf-8").lower()]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["zzzyyy", "xylophonequartz"])
def test_a_word_that_matches_nothing_in_the_manual_says_no_results(open_page, served_docs, query):
    _not_in_the_manual(query)
    opened = search(open_page, served_docs, query)
    assert results(opened) == []
    assert status(opened) == f"No results for “{query}”."


@pytest.mark.browser
@pytest.mark.parametrize(("query", "found"), [
    ("lighthousz", "posts/pictures.html"),  # a typo: the word it starts
    ("sailmakrs", "posts/pictures.html"),
    ("lighthous", "posts/pictures.html"),  # a word cut short
    ("sessions", "posts/harbour-2019.html"),  # another form of a word: its stem
    ("Quintero", "posts/pictures.html#knots-and-splices"),  # a speaker, in the talk's metadata too
])
def test_prefixes_and_typos_of_real_words_still_find_them(open_page, served, query, found):
    assert found in _paths(search(open_page, served, query))


@pytest.mark.browser
def test_a_typo_of_a_word_in_the_manual_finds_it(open_page, served_docs):
    _not_in_the_manual("kubernettes")
    found = _paths(search(open_page, served_docs, "kubernettes"))
    # the post, and before it nothing of the manual (a program's talk on Kubernetes may be)
    first = next(number for number, path in enumerate(found)
                 if path.startswith("posts/2017/kubecon-dayone-keynotes/index.html"))
    assert all(path.startswith(("posts/", "archive/talks/")) for path in found[:first]), found


def test_the_minified_search_script_keeps_every_string_as_written():
    """The search page is served its script minified (rjsmin): no text a reader sees may change.

    rjsmin once joined "Talk" and " by Dan Kohn" into "Talkby Dan Kohn": it does not read a
    template literal inside another, so the script writes none.
    """
    import re

    import rjsmin

    from confarchive.search.index import SEARCH_SCRIPT

    source = SEARCH_SCRIPT.read_text(encoding="utf-8")
    # the literals of the code: no comments, no regular expression holding a quote (/"/g)
    code = re.sub(r"^\s*//.*$", "", source, flags=re.M).replace('/"/g', "")
    minified = rjsmin.jsmin(source)
    literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`', code)
    assert len(literals) > 50
    missing = [literal for literal in literals if literal not in minified]
    assert missing == []
    assert not re.search(r"\$\{[^}]*`", code), "a template literal inside another"
    assert '" by "' in minified
