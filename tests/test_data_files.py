"""Data files: a mistake in an entry loses that entry only, at its line (test-data-files).

``events.yaml`` there is not valid YAML (an unclosed ``[``, then a bad indent), repeats
an id and a field, and names refused links; ``speakers.yaml`` repeats an id and holds
refused links and a handle that is none. Every other entry and field is kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from confarchive.text.datafiles import read_data_file
from conftest import build_root, warning_lines

SCHEME = "only http and https become links [confarchive.link]"


@pytest.fixture(scope="module")
def data_files(tmp_path_factory):
    app = build_root("data-files", tmp_path_factory.mktemp("data-files") / "src")
    app.cleanup()
    return app


def article(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser").select_one("article")


def details(app, page: str) -> str:
    """An event's details, or a speaker's card, as text."""
    found = article(app, page).select_one(".confarchive-details, .confarchive-speaker-page-card")
    return found.get_text(" ", strip=True) if found else ""


def test_each_problem_warns_at_its_own_line(data_files):
    assert warning_lines(data_files) == sorted([
        "events.yaml:10: WARNING: events.yaml: entry 'broken-aliases' cannot be read (did not find expected ',' "
        "or ']' while parsing a flow sequence); it is left out, the other entries are kept [confarchive.data_file]",
        "events.yaml:18: WARNING: events.yaml: entry 'bad-indent' cannot be read (mapping values are not allowed "
        "in this context); it is left out, the other entries are kept [confarchive.data_file]",
        "events.yaml:21: WARNING: events.yaml: 'twice': 'name' is given again (first at line 20); the first is "
        "kept [confarchive.data_file]",
        "events.yaml:22: WARNING: events.yaml: 'good-conf' is given again (first at line 2); the first is kept "
        "[confarchive.data_file]",
        "events.yaml:15: WARNING: events.yaml: event 'linked-conf': unknown field 'locaton' is ignored (the fields "
        "are name, start, end, location, website, logo, aliases) [confarchive.data_file]",
        "events.yaml:13: WARNING: events.yaml: event 'linked-conf': website refused: 'javascript:alert(1)' uses "
        f"the scheme 'javascript'; {SCHEME}",
        "events.yaml:14: WARNING: events.yaml: event 'linked-conf': logo refused: "
        f"'data:text/html,<script>alert(1)</script>' uses the scheme 'data'; {SCHEME}",
        "events.yaml:27: WARNING: events.yaml: event 'last-conf': it ends (2020-09-01) before it starts "
        "(2020-09-09); the end date is dropped [confarchive.event]",
        "speakers.yaml:7: WARNING: speakers.yaml: 'ana' is given again (first at line 2); the first is kept "
        "[confarchive.data_file]",
        "speakers.yaml:6: WARNING: speakers.yaml: speaker 'ana': website refused: 'javascript:alert(1)' uses the "
        f"scheme 'javascript'; {SCHEME}",
        "speakers.yaml:12: WARNING: speakers.yaml: speaker 'bo': website refused: 'data:text/html,<b>hi</b>' uses "
        f"the scheme 'data'; {SCHEME}",
        "speakers.yaml:13: WARNING: speakers.yaml: speaker 'bo': mastodon refused: 'not a handle' is not a "
        "Mastodon handle (@user@host) or profile URL [confarchive.link]",
        "speakers.yaml:14: WARNING: speakers.yaml: speaker 'bo': avatar refused: 'javascript:alert(2)' uses the "
        f"scheme 'javascript'; {SCHEME}",
        "speakers.yaml:15: WARNING: speakers.yaml: speaker 'bo': twitter refused: 'https://example.org/bo' is not "
        "a Twitter/X handle or profile URL [confarchive.link]",
    ])


def test_every_other_event_is_kept_whole(data_files):
    good = details(data_files, "archive/events/good-conf.html")
    assert "2020-05-01 to 2020-05-02" in good and "Lisbon" in good and "good.example.org" in good
    heading = article(data_files, "archive/events/good-conf.html").h1.get_text()
    assert heading.startswith("Good Conf 2020")  # not the duplicate's name
    assert article(data_files, "archive/events/twice.html").h1.get_text().startswith("First Name")
    last = details(data_files, "archive/events/last-conf.html")
    assert "2020-09-09" in last and "2020-09-01" not in last
    linked = article(data_files, "archive/events/linked-conf.html")
    assert linked.h1.get_text().startswith("Linked Conf")
    assert linked.select("img") == [] and "javascript" not in str(linked) and "Typo Town" not in str(linked)


def test_every_other_speaker_is_kept_whole(data_files):
    ana = details(data_files, "archive/speakers/analima.html")
    assert "Good Company" in ana and "Bad Company" not in ana
    assert "javascript" not in str(article(data_files, "archive/speakers/analima.html"))
    bo = article(data_files, "archive/speakers/bo.html")
    assert bo.h1.get_text().startswith("Bo Chen")
    assert "data:" not in str(bo) and "javascript" not in str(bo) and bo.select("img") == []
    cy = details(data_files, "archive/speakers/cy.html")
    assert "Third Company" in cy and "cydiaz on GitHub" in cy


def test_a_file_that_is_not_a_mapping_is_reported_not_silently_empty(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("- one\n- two\n", encoding="utf-8")
    data = read_data_file(path)
    assert data.entries == {}
    assert [(p.line, p.message) for p in data.problems] == [
        (1, "events.yaml must map ids to descriptions; this part of it is not read")]


def test_what_breaks_a_file_outside_its_entries_is_reported_and_the_entries_kept(tmp_path):
    path = tmp_path / "speakers.yaml"
    path.write_text("[stray\nana:\n  name: Ana\nbo:\n  name: Bo\n", encoding="utf-8")
    data = read_data_file(path)
    assert list(data.entries) == ["ana", "bo"]
    assert data.entries["bo"].fields == {"name": "Bo"} and data.entries["bo"].lines == {"name": 5}
    assert [p.line for p in data.problems] == [1]
    assert "2 entries read one by one" in data.problems[0].message


def read(tmp_path, text: str):
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return read_data_file(path)


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    import time

    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]" for n in range(7)]
    text = "anchors:\n  " + "\n  ".join(levels) + "\nbomb:\n  aliases: *h\nfine:\n  name: Fine Conf\n"
    started = time.perf_counter()
    data = read(tmp_path, text)
    assert time.perf_counter() - started < 5
    assert list(data.entries) == ["fine"]
    assert [(p.line, p.message) for p in data.problems] == [
        (1, "events.yaml: 'anchors' cannot be read (it holds more than 10,000 values once its aliases (*name) "
            "are expanded); it is left out"),
        (10, "events.yaml: 'bomb' cannot be read (it holds more than 10,000 values once its aliases (*name) "
             "are expanded); it is left out"),
    ]


def test_several_documents_are_read_as_one(tmp_path):
    data = read(tmp_path, "a:\n  name: A\n---\nb:\n  name: B\n")
    assert {key: entry.fields for key, entry in data.entries.items()} == {"a": {"name": "A"}, "b": {"name": "B"}}
    assert [p.line for p in data.problems] == [4]


def test_merge_keys_give_their_fields_and_written_ones_win(tmp_path):
    data = read(tmp_path, "base: &base\n  location: Lisbon\n  name: Base\nconf:\n  <<: *base\n  name: Conf\n")
    assert data.entries["conf"].fields == {"name": "Conf", "location": "Lisbon"}
    assert data.entries["conf"].lines == {"name": 6, "location": 5}
    assert data.problems == []


def test_a_broken_file_keeps_ids_with_a_hash_and_entries_that_name_an_anchor(tmp_path):
    text = ("c#d:\n  name: C Sharp Day\n  location: &place Porto\n"
            "broken:\n  name: [never closed\n"
            "e:\n  location: *place\n")
    data = read(tmp_path, text)
    assert {key: entry.fields for key, entry in data.entries.items()} == {
        "c#d": {"name": "C Sharp Day", "location": "Porto"}, "e": {"location": "Porto"}}
    assert [p.line for p in data.problems] == [5]
