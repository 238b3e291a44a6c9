"""The example post and the program of its event: its five talks link to the program's, and back.

The program is ``tests/fixtures/program-schedule/kubecon-na-2017.yaml``, imported from the
illustrative schedule beside it (see ``tests/fixtures/NOTICE.md``). The post is the one
``docs/`` ships, in the legacy dialect, so its cards name no program talk: each match is
proposed by its speaker, and reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, sphinx_build

FIXTURE = Path(__file__).parent / "fixtures" / "program-schedule" / "kubecon-na-2017.yaml"
POST = "posts/2017/kubecon-dayone-keynotes/index"
#: the post's talk sections, and the program talk each covers
EXPECTED = {
    "dan-kohn": "keynote-welcome-to-kubecon-plus-cloudnativecon",
    "michelle-noorali": "keynote-kubernetes-project-update",
    "imad-sousou": "keynote-open-source-at-scale",
    "diane-marsh": "keynote-cloud-native-in-practice",
    "adrian-cockroft": "keynote-the-road-ahead",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("seed-program")
    src = root / "docs"
    shutil.copytree(REPO / "docs", src, ignore=shutil.ignore_patterns("archive", "program"))
    (src / "program").mkdir()
    shutil.copyfile(FIXTURE, src / "program" / FIXTURE.name)
    result = sphinx_build(src, root / "html", confdir=REPO)
    assert result.returncode == 0, result.stderr
    return root / "html", result.stderr


def page(built: tuple[Path, str], name: str) -> BeautifulSoup:
    return BeautifulSoup((built[0] / f"{name}.html").read_text(encoding="utf-8"), "html.parser").find("article")


def test_the_fixture_program_holds_a_talk_for_each_speaker_of_the_post():
    text = FIXTURE.read_text(encoding="utf-8")
    for talk in EXPECTED.values():
        assert f"\n  {talk}:\n" in text


def test_each_of_the_five_talks_links_to_its_program_talk(built):
    post = page(built, POST)
    links = {a.find_parent("section")["id"]: a["href"] for a in post.select("a.confarchive-program-link")}
    assert links == {section: f"../../../archive/talks/kubecon-na-2017/{talk}.html"
                     for section, talk in EXPECTED.items()}


def test_each_program_talk_links_back_to_its_section(built):
    for section, talk in EXPECTED.items():
        coverage = page(built, f"archive/talks/kubecon-na-2017/{talk}").select("a.confarchive-talk-link")
        assert [a["href"] for a in coverage] == [f"../../../{POST}.html#{section}"], talk


def test_each_match_is_proposed_by_its_speaker_and_reported_at_its_card(built):
    reports = [line for line in built[1].splitlines() if "[confarchive.talk_match]" in line]
    assert len(reports) == 5
    source = (REPO / "docs" / f"{POST}.md").read_text(encoding="utf-8").splitlines()
    for talk in EXPECTED.values():
        report = next(line for line in reports if f":talk: kubecon-na-2017/{talk}'" in line)
        assert "(it has the same speaker" in report
        # at the talk: under its heading (which makes its card), before the next one
        line = int(report.split(".md:", 1)[1].split(":", 1)[0])
        heading = max(number for number, text in enumerate(source[:line], 1) if text.startswith("#"))
        assert source[heading - 1].startswith("### ["), report


def test_the_event_page_shows_the_schedule_with_the_coverage(built):
    event = page(built, "archive/events/kubecon-na-2017")
    days = [h.get_text() for h in event.select("h3")]
    assert days[0] == "Wednesday 6 December 2017" and len(days) >= 2
    items = [li.get_text(" ", strip=True) for li in event.select("ul.confarchive-program li")]
    # the schedule's times and rooms, as it runs
    assert items[0].startswith("09:00–09:15 · Ballroom — Keynote: Welcome to KubeCon + CloudNativeCon by Dan Kohn")
    assert any(item.startswith("11:10–11:50 · Room 9AB — Panel: Ask the Maintainers") for item in items)
    covered = [li for li in event.select("ul.confarchive-program li") if "covered in" in li.get_text()]
    assert len(covered) == 5
    assert all(" · Ballroom — Keynote: " in li.get_text() for li in covered)
