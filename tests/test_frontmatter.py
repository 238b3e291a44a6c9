"""Front matter reading and source preparation: pure functions, bad input never raises."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from confarchive.text.frontmatter import MAX_TITLE_LENGTH, parse_date, read_front_matter, read_post_fields, to_yaml_line
from confarchive.text.prepare import opens_with_h1, prepare_source
from confarchive.problems import ArchiveWarning


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-12-06 08:57:22", dt.datetime(2017, 12, 6, 8, 57, 22)),
        ("2017-12-06 08:57", dt.datetime(2017, 12, 6, 8, 57)),
        ("2017-12-06", dt.datetime(2017, 12, 6)),
        ("2016-1-2", dt.datetime(2016, 1, 2)),
        ("2017-1-6 10:17", dt.datetime(2017, 1, 6, 10, 17)),
        (dt.date(2017, 12, 6), dt.datetime(2017, 12, 6)),
        (dt.datetime(2017, 12, 6, 8, 57, 22), dt.datetime(2017, 12, 6, 8, 57, 22)),
    ],
)
def test_dates_real_posts_use(value, expected):
    assert parse_date(value) == (expected, None)


def test_iso_date_with_time_zone():
    when, problem = parse_date("2017-12-06T08:57:22-06:00")
    assert problem is None
    assert when.utcoffset() == dt.timedelta(hours=-6)


def test_date_with_missing_day_keeps_year_and_month():
    when, problem = parse_date("2015-09- 01:04:28")
    assert when == dt.datetime(2015, 9, 1)
    assert problem == (
        "date '2015-09- 01:04:28' cannot be read fully (it is not of the form "
        "YYYY-MM-DD[ HH:MM[:SS]]); read as 2015-09-01"
    )


def test_impossible_date_keeps_year_and_month():
    when, problem = parse_date("2017-02-30")
    assert when == dt.datetime(2017, 2, 1)
    assert problem.startswith("date '2017-02-30' cannot be read fully (day is out of range")


def test_unreadable_date_leaves_post_undated():
    assert parse_date("last tuesday") == (
        None,
        "date 'last tuesday' cannot be read (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); "
        "the post is left undated",
    )


def test_malformed_yaml_is_salvaged_and_located():
    text = "---\ntitle: Good: Morning: KubeCon\nauthor: Adron Hall\ndate: 2017-12-06\n---\nBody"
    front = read_front_matter(text)
    assert front.repaired
    assert front.data == {"title": "Good: Morning: KubeCon", "author": "Adron Hall", "date": dt.date(2017, 12, 6)}
    [problem] = front.problems
    assert problem.line == 2
    assert problem.subtype is ArchiveWarning.FRONT_MATTER
    assert problem.message.startswith("front matter is not valid YAML (mapping values are not allowed here)")


def test_front_matter_that_is_not_a_mapping():
    front = read_front_matter("---\n- a\n- b\n---\nBody")
    assert front.data == {}
    assert front.problems[0].message == "front matter must be a mapping of keys to values, not a list"


def test_post_fields_normalised_and_problems_at_their_lines():
    front = read_front_matter(
        "---\ntitle: [A, B]\nauthor: Ann, Bob\ndate: 2015-09- 01:04:28\ntags: [k8s, cncf, k8s]\n"
        "template: article.jade\n---\n"
    )
    fields, problems = read_post_fields(front)
    assert fields.title == "A, B"
    assert fields.authors == ("Ann", "Bob")
    assert fields.date == dt.datetime(2015, 9, 1)
    assert fields.tags == ("k8s", "cncf")
    # the title is read with the front matter (every page takes its heading from it),
    # the other fields with the post
    assert [(p.line, p.subtype, p.message) for p in front.problems] == [
        (2, ArchiveWarning.FRONT_MATTER, "'title' must be text, not a list; read as 'A, B'"),
    ]
    assert [(p.line, p.subtype) for p in problems] == [(4, ArchiveWarning.DATE)]


def test_title_becomes_h1_and_body_lines_keep_their_numbers():
    text = "---\ntitle: Good Morning KubeCon?\nauthor: Adron Hall\ndate: 2017-12-06\n---\nline six\n## H2"
    prepared = prepare_source(text)
    lines = prepared.text.split("\n")
    assert prepared.title_inserted
    assert lines[3] == "# Good Morning KubeCon\\?"
    assert lines[5] == "line six" and lines[6] == "## H2"


def test_title_is_escaped_markdown():
    prepared = prepare_source("---\ntitle: '<img src=x onerror=alert(1)> *x*'\ndate: 2017-01-01\n---\nBody")
    assert "# \\<img src\\=x onerror\\=alert\\(1\\)\\> \\*x\\*" in prepared.text


def test_body_with_its_own_h1_keeps_front_matter_as_written():
    text = "---\ntitle: T\ndate: 2017-01-01\n---\n# Own heading\n"
    assert prepare_source(text).text == text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# H1", True),
        ("\n\n# H1\ntext", True),
        ("Title\n=====", True),
        ("## H2\n### H3", False),
        ("Prose first.\n\n# A later H1", False),
        ("## H2 first\n\n# A later H1", False),
        ("#hashtag", False),
        ("", False),
    ],
)
def test_opens_with_h1(body, expected):
    assert opens_with_h1(body.split("\n")) is expected


# --- regressions: bad input never raises, loses no body and keeps what can be read -------


def problems_of(text: str) -> list[tuple[int, ArchiveWarning, str]]:
    front = read_front_matter(text)
    fields_problems = read_post_fields(front, today=dt.date(2026, 1, 1))[1]
    return [(p.line, p.subtype, p.message) for p in [*front.problems, *fields_problems]]


@pytest.mark.parametrize(
    ("line", "date", "message"),
    [
        # PyYAML raises ValueError, not a YAML error, on a timestamp that is no date
        ("date: 2023-02-30", dt.datetime(2023, 2, 1),
         "date '2023-02-30' cannot be read fully (day is out of range for month); read as 2023-02-01"),
        ("date: 2023-13-01", dt.datetime(2023, 1, 1),
         "date '2023-13-01' cannot be read fully (month must be in 1..12); read as 2023-01-01"),
        ("date: 2019-05-21 25:61:00", dt.datetime(2019, 5, 21),
         "date '2019-05-21 25:61:00' cannot be read fully (hour must be in 0..23); read as 2019-05-21"),
    ],
)
def test_an_impossible_yaml_date_is_read_as_far_as_it_goes(line, date, message):
    text = f"---\ntitle: T\n{line}\n---\nBody"
    front = read_front_matter(text)
    assert front.repaired  # MyST would raise on the block as written
    assert read_post_fields(front)[0].date == date
    assert problems_of(text) == [(3, ArchiveWarning.DATE, message)]


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("[" * 600, "[" * 600),  # nested deeper than PyYAML can recurse
        ("1" * 5000, "1" * 5000),  # longer than Python turns into an integer
        ("!!int x", "!!int x"),  # a tag that does not fit its value
    ],
)
def test_yaml_that_makes_the_parser_raise_something_else(value, kept):
    front = read_front_matter(f"---\ntitle: T\nodd: {value}\n---\nBody")
    assert front.data == {"title": "T", "odd": kept}
    assert prepare_source(f"---\ntitle: T\nodd: {value}\n---\nBody").text.endswith("\n# T\nBody")


def test_a_line_separator_in_front_matter_loses_no_body_line():
    # str.splitlines() breaks at U+2028 too: the body was then sliced too late, and lost
    prepared = prepare_source("---\ntitle: T\u2028x\ndate: 2017-01-01\n---\nline five")
    assert prepared.text.split("\n")[4] == "line five"


def test_the_json_line_reads_back_as_the_same_data():
    data = {"title": "a\x85b\u2028c\x9f", "when": {dt.date(2019, 1, 1): {1, 2}}, "raw": b"x", "nan": float("nan")}
    line = to_yaml_line(data)
    assert "\n" not in line and "\x85" not in line and "\u2028" not in line
    assert yaml.safe_load(line) == {"title": "a\x85b\u2028c\x9f", "when": {"2019-01-01": [1, 2]}, "raw": "x",
                                    "nan": "nan"}
    loop: list = []
    loop.append(loop)
    assert to_yaml_line({"loop": loop}) == '{"loop": [null]}'


@pytest.mark.parametrize(("title", "heading"), [("2019", "# 2019"), ("1.10", "# 1\\.10"), ("Yes", "# Yes"),
                                                ("2019-05-21", "# 2019\\-05\\-21")])
def test_a_title_yaml_reads_as_a_number_or_boolean_is_the_text_as_written(title, heading):
    # it used to be dropped (not text), leaving the page without a heading
    prepared = prepare_source(f"---\ntitle: {title}\ndate: 2017-01-01\n---\nBody")
    assert prepared.front.data["title"] == title
    assert prepared.text.split("\n")[3] == heading


def test_names_that_are_not_names():
    assert problems_of("---\nauthor: true\ntags: [yes, 2019]\n---\n") == [
        (2, ArchiveWarning.FRONT_MATTER, "'author' must be a name or a list of names, not true"),
        (3, ArchiveWarning.FRONT_MATTER, "'tags' ignored True: each entry must be a name"),
    ]
    fields, _ = read_post_fields(read_front_matter("---\nauthor: 2019\ntags: [k8s, 2019-05-21]\n---\n"))
    assert fields.authors == ("2019",) and fields.tags == ("k8s", "2019-05-21")


def test_a_title_that_is_a_mapping_is_read_as_its_pairs():
    text = "---\ntitle:\n  Keynotes: Day one\ndate: 2017-01-01\n---\nBody"
    assert read_front_matter(text).data["title"] == "Keynotes: Day one"
    assert problems_of(text) == [
        (2, ArchiveWarning.FRONT_MATTER, "'title' must be text, not a mapping; read as 'Keynotes: Day one'"),
    ]


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: A\nauthor: B\ntitle: C\n---\nBody", "---\ntitle: A\nauthor: B: b\ntitle: C\n---\nBody"],
    ids=["valid", "salvaged"],
)
def test_a_key_given_twice_keeps_the_last_value_and_says_so(text):
    front = read_front_matter(text)
    assert front.data["title"] == "C"
    assert front.key_lines["title"] == 4  # where the value that is kept is
    assert (4, ArchiveWarning.FRONT_MATTER,
            "key 'title' is given twice (first on line 2); the last value is kept") in problems_of(text)


def test_keys_stay_as_written():
    assert read_front_matter("---\nyes: 1\nTrue: 2\n---\n").data == {"yes": 1, "True": 2}


@pytest.mark.parametrize(
    ("text", "line", "end"),
    [
        ("---\ntitle: Never closed\ndate: 2017-01-01\n\nBody", 4, "up to the first blank line (line 4)"),
        ("---\ntitle: Never closed\ndate: 2017-01-01", 4, "to the end of the file"),
    ],
)
def test_front_matter_that_never_closes_ends_at_the_first_blank_line(text, line, end):
    front = read_front_matter(text)
    assert front.data == {"title": "Never closed", "date": dt.date(2017, 1, 1)}
    assert front.body_start == line
    assert front.repaired
    assert [(p.line, p.message) for p in front.problems] == [
        (1, f"front matter opens with --- but never closes; it is read {end}"),
    ]
    prepared = prepare_source(text)
    assert prepared.text.split("\n")[:4] == ["---", '{"title": "Never closed", "date": "2017-01-01"}', "---",
                                             "# Never closed"]


@pytest.mark.parametrize("text", ["---\nJust prose after a rule.\n\nMore.", "---\ntitle: x\nno colon\n\nMore."])
def test_a_rule_that_opens_a_text_is_not_front_matter(text):
    assert read_front_matter(text) is None


@pytest.mark.parametrize("block", ["", "# nothing yet"])
def test_front_matter_that_holds_nothing_is_written_as_an_empty_mapping(block):
    # MyST warns about front matter that reads as nothing
    text = f"---\n{block}\n---\nBody" if block else "---\n---\nBody"
    front = read_front_matter(text)
    assert front.data == {} and front.repaired and not front.problems


def test_a_broken_block_keeps_lines_under_a_key_and_the_items_of_an_unclosed_list():
    front = read_front_matter("---\ntitle: Broken: YAML\nsummary: a summary\n  that goes on\ntags: [a, b\n---\n")
    assert front.data == {"title": "Broken: YAML", "summary": "a summary that goes on", "tags": "a, b"}
    assert read_post_fields(front)[0].tags == ("a", "b")


def test_an_unclosed_quote_is_located_where_it_opens():
    text = '---\ntitle: "never closed\nauthor: B\ndate: 2017-01-01\n---\n'
    assert read_front_matter(text).data["title"] == "never closed"
    assert problems_of(text) == [
        (2, ArchiveWarning.FRONT_MATTER, "front matter is not valid YAML (found unexpected end of stream while "
                                         "scanning a quoted scalar); kept: author, date, title"),
    ]


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        ("2019-05-21 09:00:00.123456", dt.datetime(2019, 5, 21, 9, 0, 0, 123456), None),
        ("2019-05-21 09:00 UTC", dt.datetime(2019, 5, 21, 9, 0, tzinfo=dt.timezone.utc), None),
        ("2019-05-21T09:00Z", dt.datetime(2019, 5, 21, 9, 0, tzinfo=dt.timezone.utc), None),
        ("2019-05-21 09:00 PST", dt.datetime(2019, 5, 21, 9, 0),
         "date '2019-05-21 09:00 PST' has an unreadable time zone 'PST'; read without it"),
        ("2019/05/21", dt.datetime(2019, 5, 21), "date '2019/05/21' cannot be read fully (it is not of the form "
                                                 "YYYY-MM-DD[ HH:MM[:SS]]); read as 2019-05-21"),
        (2019, dt.datetime(2019, 1, 1), "date '2019' cannot be read fully (it is not of the form "
                                        "YYYY-MM-DD[ HH:MM[:SS]]); read as 2019-01-01"),
    ],
)
def test_dates_read_as_far_as_they_go(value, expected, problem):
    assert parse_date(value) == (expected, problem)


def test_a_far_future_date_is_kept_and_reported():
    text = "---\ntitle: T\ndate: 3024-05-21\n---\n"
    assert read_post_fields(read_front_matter(text))[0].date == dt.datetime(3024, 5, 21)
    assert problems_of(text) == [
        (3, ArchiveWarning.DATE,
         "date 3024-05-21 is more than a year in the future; the post is kept, but listed only from that day"),
    ]
    # a post scheduled for next month is no typo
    assert problems_of("---\ntitle: T\ndate: 2026-02-01\n---\n") == []


def test_a_very_long_title_is_shortened_in_the_fields_only():
    title = "word " * 2000
    front = read_front_matter(f"---\ntitle: {title}\n---\n")
    fields, problems = read_post_fields(front)
    assert front.data["title"] == title.strip()  # the page's heading
    assert len(fields.title) <= MAX_TITLE_LENGTH and fields.title == "word " * 38 + "word…"
    assert [p.message for p in problems] == [
        "'title' is 9,999 characters long; the page shows it whole, listings, feeds and search show its first 200",
    ]


def test_a_key_given_twice_is_read_as_written_from_its_last_value():
    assert read_front_matter("---\ntitle: 2019\ntitle: 2020\n---\n").data == {"title": "2020"}


def test_an_alias_bomb_in_front_matter_is_refused_at_once():
    import time

    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]" for n in range(7)]
    text = "---\ntitle: Bomb\n" + "\n".join(levels) + "\ntags: *h\n---\nBody.\n"
    started = time.perf_counter()
    front = read_front_matter(text)
    prepare_source(text)  # the build writes the front matter again as one line of YAML
    assert time.perf_counter() - started < 5
    assert front.data["title"] == "Bomb"
    assert any("more than 10,000 values" in problem.message for problem in front.problems)
