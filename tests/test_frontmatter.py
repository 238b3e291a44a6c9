"""Front matter reading and source preparation: pure functions, bad input never raises."""

from __future__ import annotations

import datetime as dt

import pytest
from confarchive.frontmatter import parse_date, read_front_matter, read_post_fields
from confarchive.source import opens_with_h1, prepare_source
from confarchive.warning_types import ArchiveWarning


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
    assert front.problems[0].message == "front matter must be a mapping of keys to values, not list"


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
    assert [(p.line, p.subtype) for p in problems] == [
        (2, ArchiveWarning.FRONT_MATTER),
        (4, ArchiveWarning.DATE),
    ]


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
