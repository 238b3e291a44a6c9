"""Search in a real browser: per-talk results, filters with counts, phrases, shared URLs."""

from __future__ import annotations

import shutil

import pytest
from browser import DONE, filter_counts, results, search, serve_folder, show_filters, status
from conftest import ROOTS, sphinx_build

pytestmark = pytest.mark.browser

POST = "posts/2017/kubecon-dayone-keynotes/index.html"
#: a page opened from a file runs no module: its inline script says why
FILE_DONE = "() => /cannot/.test(document.querySelector('.confarchive-search-status').textContent)"


@pytest.fixture(scope="module")
def built_root(chromium_executable, tmp_path_factory):
    """tests/roots/test-search built into HTML; the output folder."""
    srcdir = tmp_path_factory.mktemp("search") / "src"
    shutil.copytree(ROOTS / "test-search", srcdir)
    outdir = srcdir.parent / "html"
    result = sphinx_build(srcdir, outdir, "-W")
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="module")
def served_root(built_root):
    with serve_folder(built_root) as url:
        yield url


# --- the example post, in docs/ ----------------------------------------------------------


def test_speaker_name_finds_her_talk_first(open_page, served_docs):
    opened = search(open_page, served_docs, "Michelle Noorali")
    first = results(opened)[0]
    assert first["kind"] == "talk" and first["title"] == "Michelle Noorali"
    assert first["href"].split("?")[0].endswith(POST)
    assert first["href"].endswith("#michelle-noorali")
    assert "Michelle" in first["marks"] and "Noorali" in first["marks"]
    opened.assert_no_errors()


def test_quoted_phrase_finds_the_example_post(open_page, served_docs):
    opened = search(open_page, served_docs, '"boring infrastructure"')
    found = results(opened)
    assert found and found[0]["href"].split("?")[0].split("#")[0].endswith(POST)
    assert "boring infrastructure" in " ".join(found[0]["marks"]).lower() or found[0]["marks"] == ["boring",
                                                                                                   "infrastructure"]
    # without quotes the words need not stand together, so the phrase finds no more than the words
    loose = results(search(open_page, served_docs, "boring infrastructure"))
    assert len(found) <= len(loose)


def test_opened_result_highlights_the_words(open_page, served_docs):
    opened = search(open_page, served_docs, "Michelle Noorali")
    opened.page.click(".confarchive-result-title >> nth=0")
    opened.page.wait_for_url("**/kubecon-dayone-keynotes/**")
    opened.page.wait_for_selector("span.highlighted", timeout=10000)
    marked = opened.page.eval_on_selector_all("span.highlighted", "(m) => m.map((x) => x.textContent)")
    assert "Michelle" in marked and "Noorali" in marked


def test_sidebar_search_box_leads_to_the_search_page(open_page, served_docs):
    opened = open_page(served_docs + POST)
    opened.page.fill("input.sidebar-search", "Kata containers")
    opened.page.press("input.sidebar-search", "Enter")
    opened.page.wait_for_url("**/search.html?*")
    opened.page.wait_for_function(DONE, timeout=15000)
    assert opened.page.input_value("#confarchive-search-query") == "Kata containers"
    assert results(opened)[0]["title"] == "Imad Sousou"


# --- a larger root: filters, URLs, hostile input -----------------------------------------


def test_speaker_filter_narrows_to_exactly_their_talks(open_page, served_root):
    opened = show_filters(search(open_page, served_root, "prometheus"))
    # one person, two spellings ("Tom Wilkie", "Tom Wilke"), one handle: one filter value
    speakers = filter_counts(opened, "speaker")
    assert len(speakers) == 1 and list(speakers.values()) == [2]
    name = next(iter(speakers))
    filtered = search(open_page, served_root, "", speaker=[name])
    titles = sorted(r["title"] for r in results(filtered))
    assert titles == ["Observability with Prometheus", "Prometheus at scale"]
    assert all(name in r["meta"] for r in results(filtered))
    assert status(filtered).startswith("2 results")


def test_event_filter_narrows_and_counts(open_page, served_root):
    everything = search(open_page, served_root, "", event=["AlphaConf 2019", "BetaConf 2020"])
    counts = filter_counts(everything, "event")
    beta = search(open_page, served_root, "", event=["BetaConf 2020"])
    found = results(beta)
    assert found and all("BetaConf 2020" in r["meta"] for r in found)
    assert len(found) == counts["BetaConf 2020"]
    # the beta post and its two talks
    assert sorted(r["kind"] for r in found) == ["post", "talk", "talk"]
    beta.assert_no_errors()


def test_filters_alone_list_the_newest_first(open_page, served_root):
    import re

    opened = search(open_page, served_root, "", event=["AlphaConf 2019", "BetaConf 2020"])
    found = [(re.search(r"\d{4}-\d{2}-\d{2}", r["meta"]).group(), r["kind"]) for r in results(opened)]
    dates = [date for date, _ in found]
    assert len(set(dates)) == 3 and dates == sorted(dates, reverse=True), found
    # each post, then its talks
    assert all(kind == "post" for number, (date, kind) in enumerate(found)
               if number == 0 or found[number - 1][0] != date), found


def test_combined_filters(open_page, served_root):
    opened = search(open_page, served_root, "", event=["AlphaConf 2019"], tag=["meshes"])
    found = results(opened)
    assert found and all("AlphaConf 2019" in r["meta"] for r in found)
    assert {r["title"] for r in found} == {"AlphaConf day one", "Observability with Prometheus",
                                          "Service meshes in practice"}


def test_checking_a_filter_narrows_and_the_url_keeps_it(open_page, served_root):
    opened = show_filters(search(open_page, served_root, "prometheus"))
    opened.page.check('fieldset[data-filter="event"] input[value="BetaConf 2020"]')
    opened.page.wait_for_function("() => document.querySelectorAll('.confarchive-result').length === 1")
    opened.page.wait_for_function(DONE)
    assert [r["title"] for r in results(opened)] == ["Prometheus at scale"]
    assert "event=BetaConf+2020" in opened.page.url or "event=BetaConf%202020" in opened.page.url
    opened.page.reload()
    opened.page.wait_for_function(DONE, timeout=15000)
    assert opened.page.input_value("#confarchive-search-query") == "prometheus"
    assert opened.page.is_checked('fieldset[data-filter="event"] input[value="BetaConf 2020"]')
    assert [r["title"] for r in results(opened)] == ["Prometheus at scale"]


def test_a_plain_search_loads_no_filter_index_until_asked(open_page, served_root):
    fetched: list[str] = []
    opened = open_page(served_root + "index.html")
    opened.page.on("requestfinished", lambda request: fetched.append(request.url))
    opened.page.goto(served_root + "search.html?q=prometheus")
    opened.page.wait_for_function(DONE, timeout=15000)
    assert len(results(opened)) == 2
    assert not any("/pagefind/filter/" in url for url in fetched), fetched
    assert opened.page.locator(".confarchive-search-filters input").count() == 0
    # asked for: the filters come, with counts, and focus goes to the first of them
    show_filters(opened)
    assert any("/pagefind/filter/" in url for url in fetched)
    assert filter_counts(opened, "event") == {"AlphaConf 2019": 1, "BetaConf 2020": 1}
    assert opened.page.evaluate("() => document.activeElement.matches('.confarchive-search-filters input')")
    opened.assert_no_errors()


def test_an_address_with_filters_shows_them_at_once(open_page, served_root):
    opened = search(open_page, served_root, "prometheus", event=["BetaConf 2020"])
    assert opened.page.locator(".confarchive-filters-offer").count() == 0
    assert opened.page.is_checked('fieldset[data-filter="event"] input[value="BetaConf 2020"]')
    assert [r["title"] for r in results(opened)] == ["Prometheus at scale"]


def test_no_match_says_so(open_page, served_root):
    opened = search(open_page, served_root, "xylophonequartz")
    assert status(opened) == "No results for “xylophonequartz”."
    assert results(opened) == []


@pytest.mark.parametrize("word", ["Sidebaronlyword", "Footeronlyword", "zebrafish"])
def test_sidebar_footer_and_draft_words_are_not_found(open_page, served_root, word):
    opened = search(open_page, served_root, word)
    assert results(opened) == [], word


def test_hostile_title_and_speaker_are_text(open_page, served_root):
    opened = search(open_page, served_root, "hostile")
    found = results(opened)
    assert "<img src=x onerror=alert(1)>" in {r["title"] for r in found}
    assert any("<script>alert(1)</script>" in r["meta"] for r in found)
    assert "<script>alert(1)</script>" in filter_counts(show_filters(opened), "speaker")
    assert opened.page.eval_on_selector_all(".confarchive-search img, .confarchive-search script",
                                            "(n) => n.length") == 0
    opened.page.wait_for_timeout(300)
    assert opened.dialogs == []
    opened.assert_no_errors()


def test_search_page_opened_from_a_file_says_why(chromium, built_root):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto((built_root / "search.html").as_uri(), wait_until="load")
        page.wait_for_function(FILE_DONE, timeout=10000)
        text = page.inner_text(".confarchive-search-status")
        assert "opened from a file" in text and "make serve" in text
    finally:
        context.close()


def test_program_talks_are_results_of_their_own_with_a_coverage_filter(open_page, served_docs):
    """docs/ ships two pyvideo programs: a talk of them is found by its words, with its speaker,
    event and day, and the "Program talks" filter tells covered talks from the others."""
    opened = search(open_page, served_docs, "WASM")
    first = results(opened)[0]
    assert first["kind"] == "program" and first["title"] == "WASM matter?"
    assert first["href"].split("?")[0].endswith(
        "archive/talks/djangocon-au-2019/wasm-matter-russell-keith-magee-pycon-au-2019.html")
    assert first["meta"] == "In the program, by Russell Keith-Magee · DjangoCon AU 2019 · 2019-08-02"
    opened.assert_no_errors()
    uncovered = search(open_page, served_docs, "django", coverage=["Not covered"])
    found = results(uncovered)
    assert found and all(result["kind"] == "program" for result in found)
    assert filter_counts(uncovered, "coverage")["Not covered"] >= len(found)
    uncovered.assert_no_errors()
