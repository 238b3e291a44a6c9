"""The official program beside the coverage: program talks' pages, the event's schedule, speakers
across program and coverage, the links both ways, search records, bad program files, rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import sphinx_build
from siteoutput import pagefind_records

CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'

PROGRAM = """\
# The program of Demo Conf 2022, written for these tests.
event:
  name: Demo Conf 2022
  start: 2022-07-11
  end: 2022-07-12
  location: Dublin, Ireland
rooms: [Main Hall, Room B]
speakers:
  ada: {name: Ada Lovelace}
  grace: {name: Grace Hopper}
  alan: {name: Alan Turing}
  kat: {name: Kat Oduya}
talks:
  engines:
    title: Analytical Engines Today
    speakers: [ada]
    date: 2022-07-11
    start: "09:00"
    duration: 30
    room: Main Hall
    language: eng
    abstract: |
      Notes on <b>engines</b>.

      A second paragraph about looms (see https://example.org/looms).
    video: https://www.youtube.com/watch?v=9EknwbLYSsU
    slides: https://example.org/slides.pdf
    links:
      - {label: Notes, url: https://example.org/notes}
    tags: [history]
  compilers:
    title: Compilers for Everyone
    speakers: [grace]
    date: 2022-07-11
    start: "10:00"
    duration: 45
    room: Room B
  machines:
    title: Thinking Machines
    speakers: [alan]
    date: 2022-07-12
    start: "09:00"
    duration: 30
    room: Main Hall
  refused:
    title: A Talk Nobody Matched
    speakers: [kat]
    date: 2022-07-12
    start: "11:00"
    room: Room B
"""

POST = """\
---
title: Day one at Demo Conf
author: Writer
date: 2022-07-12
event: demo-2022
tags: [python]
---
What we saw.

## The engines talk

:::{speaker} Ada Lovelace
:twitter: ada
:talk: demo-2022/engines
:::

Great talk about engines.

## Grace on compilers

:::{speaker} Grace Hopper
:::

Compilers, for everyone.

## Kat's talk

:::{speaker} Kat Oduya
:talk: none
:::

Not the program's.

## A mystery

:::{speaker} Alan Turing
:talk: demo-2022/machine
:::

Machines.
"""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(path: Path) -> BeautifulSoup:
    return soup(path).find("article")


class Site:
    def __init__(self, root: Path, program: str = PROGRAM, others: dict[str, str] | None = None) -> None:
        self.src, self.out = root / "src", root / "html"
        (self.src / "posts" / "day-one").mkdir(parents=True)
        (self.src / "program").mkdir()
        (self.src / "conf.py").write_text(CONF)
        (self.src / "index.md").write_text("# Home\n\n:::{postlist}\n:::\n")
        (self.src / "posts" / "day-one" / "index.md").write_text(POST)
        (self.src / "program" / "demo-2022.yaml").write_text(program)
        for name, text in (others or {}).items():
            (self.src / "program" / name).write_text(text)
        (self.src / "notes.md").write_text("---\norphan: true\n---\n# Notes\n\n"
                                           "See {archive:talk}`demo-2022/engines` and {archive:talk}`demo-2022/nothing`.\n")
        self.stderr = self.build()

    def build(self, *args: str) -> str:
        result = sphinx_build(self.src, self.out, *args)
        assert result.returncode == 0, result.stderr
        return result.stderr

    def page(self, name: str) -> Path:
        return self.out / name


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(tmp_path_factory.mktemp("program"))


def test_each_program_talk_has_a_page_with_its_details_video_abstract_and_links(site):
    page = article(site.page("archive/talks/demo-2022/engines.html"))
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True).startswith("Analytical Engines Today")
    assert "Monday 11 July 2022, 09:00–09:30 (30 min)" in text
    assert "Main Hall" in text
    assert "Language English" in text  # pyvideo writes "eng", schedules "en"
    assert page.find("a", string="Demo Conf 2022")["href"] == "../../events/demo-2022.html"
    assert page.find("a", string="Ada Lovelace")["href"] == "../../speakers/ada.html"
    iframe = page.find("iframe")
    assert iframe["src"] == "https://www.youtube-nocookie.com/embed/9EknwbLYSsU"
    assert iframe["loading"] == "lazy"
    abstract = [p.get_text() for p in page.select("p.confarchive-abstract")]
    # the abstract is text: its markup is shown, never run
    assert abstract == ["Notes on <b>engines</b>.", "A second paragraph about looms (see https://example.org/looms)."]
    assert page.find("b") is None
    # its addresses are links
    assert page.select_one("p.confarchive-abstract a")["href"] == "https://example.org/looms"
    assert page.find("a", string="Slides")["href"] == "https://example.org/slides.pdf"
    assert page.find("a", string="Notes")["href"] == "https://example.org/notes"


def test_a_program_talk_links_to_the_posts_that_cover_it(site):
    page = article(site.page("archive/talks/demo-2022/engines.html"))
    coverage = page.select("ul.confarchive-talk-list a.confarchive-talk-link")
    assert [a["href"] for a in coverage] == ["../../../posts/day-one/index.html#the-engines-talk"]
    lonely = article(site.page("archive/talks/demo-2022/refused.html"))
    assert "No post covers this talk yet." in lonely.get_text()


def test_the_posts_talk_sections_link_to_the_program_talks_they_cover(site):
    page = article(site.page("posts/day-one/index.html"))
    links = {a.find_parent("section")["id"]: a["href"] for a in page.select("a.confarchive-program-link")}
    assert links == {
        "the-engines-talk": "../../archive/talks/demo-2022/engines.html",  # named on its card
        "grace-on-compilers": "../../archive/talks/demo-2022/compilers.html",  # proposed by its speaker
    }
    line = page.select_one("#the-engines-talk p.confarchive-program-line").get_text(" ", strip=True)
    assert line == "In the program: Analytical Engines Today · Monday 11 July 2022, 09:00–09:30 · Main Hall"


def test_a_proposed_match_is_reported_at_its_card_and_a_wrong_name_is_too(site):
    post = str(site.src / "posts" / "day-one" / "index.md")
    lines = [line for line in site.stderr.splitlines() if "[confarchive.talk_match]" in line]
    proposed = [line for line in lines if "Compilers for Everyone" in line]
    card = {name: number for number, line in enumerate(POST.splitlines(), 1)
            for name in ("Grace Hopper", "Alan Turing") if line == f":::{{speaker}} {name}"}
    assert len(proposed) == 1 and proposed[0].startswith(f"{post}:{card['Grace Hopper']}:")
    assert "write ':talk: demo-2022/compilers' on its card to confirm" in proposed[0]
    wrong = [line for line in lines if "demo-2022/machine'" in line]
    assert len(wrong) == 1 and wrong[0].startswith(f"{post}:{card['Alan Turing']}:")
    assert "did you mean 'demo-2022/machines'?" in wrong[0]
    # ":talk: none" refuses a match, silently: Kat's talk is in the program by her name only
    assert not any("Kat" in line for line in lines)
    assert len(lines) == 2


def test_the_event_page_shows_the_program_by_day_with_times_and_rooms(site):
    page = article(site.page("archive/events/demo-2022.html"))
    assert [h.get_text() for h in page.select("h3")] == ["Monday 11 July 2022", "Tuesday 12 July 2022"]
    items = [li.get_text(" ", strip=True) for li in page.select("ul.confarchive-program li")]
    assert items == [
        "09:00–09:30 · Main Hall — Analytical Engines Today by Ada Lovelace · covered in Day one at Demo Conf",
        "10:00–10:45 · Room B — Compilers for Everyone by Grace Hopper · covered in Day one at Demo Conf",
        "09:00–09:30 · Main Hall — Thinking Machines by Alan Turing",
        "11:00 · Room B — A Talk Nobody Matched by Kat Oduya",
    ]
    # the event is described by its program alone
    card = page.select_one(".confarchive-event-card").get_text(" ", strip=True)
    assert "2022-07-11 to 2022-07-12" in card and "Dublin, Ireland" in card


def test_a_speaker_is_one_person_across_program_and_coverage(site):
    # the card has a handle, the program a name only: one person, one page
    assert not site.page("archive/speakers/ada-lovelace.html").exists()
    page = article(site.page("archive/speakers/ada.html"))
    given = [li.get_text(" ", strip=True) for li in page.select("ul.confarchive-program li")]
    assert given == ["Analytical Engines Today — Demo Conf 2022 · 2022-07-11 · covered in Day one at Demo Conf"]
    assert [h.get_text() for h in page.select("h3")] == ["2022"]
    assert "Talks covered (1)" in page.get_text()
    # a speaker of the program only has a page too
    only = article(site.page("archive/speakers/alan-turing.html"))
    assert "Thinking Machines" in only.get_text()


def test_program_talks_are_search_records_with_a_coverage_filter(site):
    records = pagefind_records(site.page("pagefind"))
    engines = records["archive/talks/demo-2022/engines.html"]
    assert engines["meta"]["kind"] == "program"
    assert engines["filters"]["coverage"] == ["Covered"]
    assert engines["filters"]["event"] == ["Demo Conf 2022"]
    assert engines["filters"]["speaker"] == ["Ada Lovelace"]
    assert engines["filters"]["year"] == ["2022"]
    assert engines["filters"]["tag"] == ["history"]
    assert "looms" in engines["content"]
    assert records["archive/talks/demo-2022/machines.html"]["filters"]["coverage"] == ["Not covered"]


def test_an_edited_program_rewrites_its_pages_and_the_posts_that_cover_it(tmp_path):
    built = Site(tmp_path)
    talk = built.page("archive/talks/demo-2022/compilers.html")
    post = built.page("posts/day-one/index.html")
    home = built.page("index.html")
    home_before = home.stat().st_mtime_ns
    path = built.src / "program" / "demo-2022.yaml"
    path.write_text(PROGRAM.replace("Compilers for Everyone", "Compilers for All"))
    built.build()
    assert "Compilers for All" in talk.read_text()
    assert "Compilers for All" in post.read_text()
    assert "Compilers for All" in built.page("archive/events/demo-2022.html").read_text()
    assert "Compilers for All" in built.page("archive/speakers/grace-hopper.html").read_text()
    assert home.stat().st_mtime_ns == home_before  # it shows nothing of the program
    # a talk taken out of the program loses its page, and the post its link
    path.write_text(PROGRAM.replace("  compilers:\n", "  compilers-gone:\n").replace(
        "Compilers for Everyone", "Other Things"))
    built.build()
    assert not talk.exists()
    links = [a["href"] for a in article(post).select("a.confarchive-program-link")]
    assert "../../archive/talks/demo-2022/compilers.html" not in links


BAD_PROGRAM = PROGRAM.replace("  refused:\n", """\
  crowded:
    title: Everyone on Stage
    speakers: [{crowd}]
  huge:
    title: A Long Abstract
    abstract: "{huge}"
  ghost:
    title: Who Is This
    speakers: [nobody-known]
  engines:
    title: The Same Id Again
  refused:
""".format(crowd=", ".join(["ada"] * 1 + [f"p{n}" for n in range(39)]), huge="word " * 2_000_000))


def test_bad_program_input_is_reported_at_its_line_and_loses_no_other_talk(tmp_path):
    built = Site(tmp_path, BAD_PROGRAM, {"broken-2021.yaml": "event: {name: Broken\ntalks: [\n"})
    stderr = built.stderr
    path = built.src / "program" / "demo-2022.yaml"
    problems = [line for line in stderr.splitlines() if "[confarchive.program]" in line]
    lines = BAD_PROGRAM.splitlines()

    def at(fragment: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if fragment in line)

    expected = {
        f"{path}:{at('speakers: [ada, p0')}:": "has 40 speakers; the first 20 are kept",
        f"{path}:{at('abstract: ' + chr(34) + 'word')}:": "characters; the first 20,000 are shown",
        f"{path}:{at('speakers: [nobody-known]')}:": "speaker id 'nobody-known' is not in the file's speakers",
        f"{path}:{at('title: The Same Id Again') - 1}:": "talk id 'engines' is given twice",
    }
    for where, what in expected.items():
        assert any(line.startswith(where) and what in line for line in problems), (where, what, problems)
    broken = [line for line in problems if "broken-2021.yaml" in line]
    assert len(broken) == 1 and "is not valid YAML" in broken[0]
    # every other talk has its page; the second "engines" is left out, the first kept
    for talk in ("engines", "compilers", "machines", "refused", "crowded", "huge", "ghost"):
        assert built.page(f"archive/talks/demo-2022/{talk}.html").is_file(), talk
    assert "Analytical Engines Today" in built.page("archive/talks/demo-2022/engines.html").read_text()
    crowded = article(built.page("archive/talks/demo-2022/crowded.html"))
    assert len(crowded.select(".confarchive-talk-details a.confarchive-speaker-link")) == 20
    huge = article(built.page("archive/talks/demo-2022/huge.html")).select_one("p.confarchive-abstract").get_text()
    assert len(huge) <= 20_002 and huge.endswith(" …")

    # a build from a fresh environment reports them again; a build with nothing new, not
    assert "[confarchive.program]" not in built.build()
    assert len([line for line in built.build("-E").splitlines() if "[confarchive.program]" in line]) == len(problems)


def test_the_talk_role_names_a_program_talk_by_its_key(site):
    page = article(site.page("notes.html"))
    link = page.find("a", string="Analytical Engines Today")
    assert link["href"] == "archive/talks/demo-2022/engines.html"
    assert any("talk reference target not found in the archive: 'demo-2022/nothing'" in line
               for line in site.stderr.splitlines())


# --- what a review found: people, rebuilds and files the first version got wrong -------------


def test_people_named_in_other_scripts_are_each_their_own_speaker(tmp_path):
    program = PROGRAM.replace("  kat: {name: Kat Oduya}", "  kat: {name: Kat Oduya}\n"
                              "  nik: {name: Николай Карелин}\n  yam: {name: 山田太郎}").replace(
        "    speakers: [kat]", "    speakers: [kat, nik, yam]")
    built = Site(tmp_path, program)
    page = article(built.page("archive/talks/demo-2022/refused.html"))
    hrefs = [a["href"] for a in page.select(".confarchive-talk-details a.confarchive-speaker-link")]
    assert len(hrefs) == len(set(hrefs)) == 3
    assert not any("untitled" in href for href in hrefs)
    assert all(built.page("archive/speakers").joinpath(Path(href).name).is_file() for href in hrefs)
    # the index: a Cyrillic name under its letter, a name in Han characters under "#"
    index = article(built.page("archive/speakers/index.html"))
    letters = [h.get_text() for h in index.select("h2.confarchive-heading")]
    assert "Н" in letters and "山" not in letters and "#" in letters
    under = index.select_one("#letter-\\#") or index.find(id="letter-#")
    assert "山田太郎" in under.find_next("ul").get_text()


def test_an_edited_post_rewrites_the_program_talk_that_lists_it(tmp_path):
    built = Site(tmp_path)
    source = built.src / "posts" / "day-one" / "index.md"
    source.write_text(POST.replace("title: Day one at Demo Conf", "title: Renamed post"))
    built.build()
    coverage = article(built.page("archive/talks/demo-2022/engines.html")).select("a.confarchive-talk-link")
    assert [a.find_next("a", class_="confarchive-post-link").get_text() for a in coverage] == ["Renamed post"]


def test_a_new_card_with_a_handle_moves_a_program_speaker_and_every_link_follows(tmp_path):
    # Barbara Liskov is a person of the program only, until a post's card names her with a handle
    program = PROGRAM.replace("  kat: {name: Kat Oduya}", "  kat: {name: Kat Oduya}\n  bl: {name: Barbara Liskov}").replace(
        "    speakers: [kat]", "    speakers: [kat, bl]")
    built = Site(tmp_path, program)
    assert built.page("archive/speakers/barbara-liskov.html").is_file()
    (built.src / "posts" / "later").mkdir()
    (built.src / "posts" / "later" / "index.md").write_text(
        "---\ntitle: Later\ndate: 2023-01-01\nevent: other-2023\n---\nText.\n\n## Abstraction\n\n"
        ":::{speaker} Barbara Liskov\n:twitter: bliskov\n:::\n\nMore.\n")
    built.build()
    assert not built.page("archive/speakers/barbara-liskov.html").exists()
    for name in ("archive/talks/demo-2022/refused.html", "archive/events/demo-2022.html"):
        links = [a["href"] for a in article(built.page(name)).select("a.confarchive-speaker-link")]
        assert any(href.endswith("speakers/bliskov.html") for href in links), name
        assert not any(href.endswith("speakers/barbara-liskov.html") for href in links), name


def test_a_post_without_an_event_follows_the_program_talk_its_card_names(tmp_path):
    built = Site(tmp_path)
    (built.src / "posts" / "aside").mkdir()
    (built.src / "posts" / "aside" / "index.md").write_text(
        "---\ntitle: Aside\ndate: 2022-08-01\n---\nText.\n\n## Compilers\n\n"
        ":::{speaker} Grace Hopper\n:talk: demo-2022/compilers\n:::\n\nMore.\n")
    built.build()
    path = built.src / "program" / "demo-2022.yaml"
    path.write_text(PROGRAM.replace("Compilers for Everyone", "Compilers for All"))
    built.build()
    line = article(built.page("posts/aside/index.html")).select_one("p.confarchive-program-line").get_text()
    assert "Compilers for All" in line


def test_a_drafts_card_does_not_name_a_program_speaker(tmp_path):
    built = Site(tmp_path)
    (built.src / "posts" / "draft").mkdir()
    (built.src / "posts" / "draft" / "index.md").write_text(
        "---\ntitle: Draft\ndate: 2022-08-01\ndraft: true\n---\nText.\n\n## Machines\n\n"
        ":::{speaker} Alan Turing\n:twitter: secrethandle\n:::\n\nMore.\n")
    built.build()
    assert "secrethandle" not in built.page("archive/talks/demo-2022/machines.html").read_text()
    assert not built.page("archive/speakers/secrethandle.html").exists()


def test_program_stamps_live_in_the_environment_so_an_unsaved_build_is_caught_up(tmp_path):
    from confarchive.archive.program import read_program_files

    folder, cache = tmp_path / "program", tmp_path / "doctrees"
    folder.mkdir()
    (folder / "demo-2022.yaml").write_text(PROGRAM)
    first = read_program_files(folder, cache, known={})
    assert first.changed == {"demo-2022"}
    # the cache holds the file; an environment that never saw it still hears it changed
    assert read_program_files(folder, cache, known={}).changed == {"demo-2022"}
    assert read_program_files(folder, cache, known=first.stamps).changed == set()
    (folder / "demo-2022.yaml").unlink()
    assert read_program_files(folder, cache, known=first.stamps).changed == {"demo-2022"}


def test_bad_ids_keys_links_and_lengths_in_a_program_file(tmp_path):
    from confarchive.text.program import read_program

    path = tmp_path / "demo-2022.yaml"
    path.write_text(
        "event: {name: Demo}\n"
        "talks:\n"
        "  My Talk: {title: One}\n"
        "  my-talk: {title: Two}\n"
        "  ? [a, b]\n"
        "  : {title: Complex}\n"
        "  links:\n"
        "    title: Links\n"
        "    slides: example.org/slides.pdf\n"
        "    video: /\\\\evil.example/x\n"
        "    links: [/media/a.pdf, https://example.org/b, 'http://example.org/pycon\\_slides/']\n"
        "    duration: 1:30:00\n")
    event, problems = read_program(path)
    assert [talk.id for talk in event.talks] == ["my-talk", "links"]
    assert event.talks[0].title == "One"
    links = event.talks[1]
    assert (links.slides, links.video, links.duration) == (None, None, None)
    # a backslash in a path is kept (pyvideo escapes underscores so): only the host matters
    assert links.links == (("https://example.org/b", "https://example.org/b"),
                           ("http://example.org/pycon\\_slides/", "http://example.org/pycon\\_slides/"))
    messages = {problem.line: problem.message for problem in problems}
    assert "has the page of talk 'My Talk' (line 3)" in messages[4]
    assert "a mapping or a list" in messages[5]
    assert "slides refused" in messages[9] and "video refused" in messages[10]
    assert "link refused" in messages[11]
    assert "duration 5400" in messages[12]
