"""``confarchive import-program``: pyvideo events and frab/pretalx schedules written as program files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zlib
from pathlib import Path

import pytest
import yaml
from confarchive.cli import main
from confarchive.importer import ImportAborted, import_program
from confarchive.importer.program import HAND_EDITED, checksum_matches
from confarchive.text.program import MAX_ABSTRACT, read_program

from conftest import need_shared

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PYVIDEO = FIXTURES / "program-pyvideo"
SWISS = PYVIDEO / "swiss-python-summit-2018"
SCHEDULE = FIXTURES / "program-schedule"
KEYNOTE_SPEAKERS = ["Dan Kohn", "Michelle Noorali", "Imad Sousou", "Diane Marsh", "Adrian Cockcroft"]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def header_and_body(path: Path) -> tuple[list[str], str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:3], "\n".join(lines[3:])


def problems_of(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def located(report, where: str, words: str) -> bool:
    """Whether the report holds a problem at ``where`` (``file:line``) whose message says ``words``."""
    return any(line.startswith(f"{where}: [") and words in line for line in problems_of(report))


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def talk_json(title: str, speakers: list[str], **fields) -> dict:
    return {"title": title, "speakers": speakers, "recorded": "2021-05-01", "description": f"About {title}.",
            "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa"}], **fields}


# --- pyvideo ----------------------------------------------------------------------------------


def test_a_pyvideo_event_becomes_one_program_file(tmp_path):
    report = import_program(SWISS, tmp_path / "program")
    assert report.exit_status == 0 and report.problems == []
    target = tmp_path / "program" / "swiss-python-summit-2018.yaml"
    assert report.written == [target.as_posix()] and report.talks == 9 and report.speakers == 10

    header, body = header_and_body(target)
    assert header[0] == "# The program of Swiss Python Summit 2018, from pyvideo.org's data (CC0 1.0)."
    assert header[2] == "# confarchive-program sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert checksum_matches(target.read_bytes())
    data = load(target)
    assert yaml.safe_load(body) == data
    assert data["event"] == {"name": "Swiss Python Summit 2018", "start": dt.date(2018, 2, 16)}
    assert (data["source"], data["license"]) == ("pyvideo", "CC0-1.0")
    assert "rooms" not in data

    talks = data["talks"]
    assert len(talks) == 9
    gil = talks["amit-kumar-lets-talk-about-gil"]
    assert gil == {
        "title": "Let's Talk About GIL!",
        "speakers": ["amit-kumar"],
        "date": dt.date(2018, 2, 16),
        "language": "eng",
        "abstract": gil["abstract"],
        "video": "https://www.youtube.com/watch?v=2JCQQR-IGAg",
        "slides": "http://www.python-summit.ch/files/amit-kumar-gil.pdf",
        "links": [{"label": "code", "url": "https://github.com/aktech/gil_talk"}],
    }
    assert gil["abstract"].startswith("There is lot of misconception") and gil["abstract"].endswith("tasks.\n")
    assert data["speakers"]["amit-kumar"] == {"name": "Amit Kumar"}
    # two speakers, in the talk's order; a name with an accent keeps it, its id has none
    delays = talks["gabriel-krummenacher-leveraging-neural-networks-python-to-forecast-train-delays"]
    assert delays["speakers"] == ["gabriel-krummenacher", "beat-wettstein"]
    assert data["speakers"]["sarah-muhlemann"] == {"name": "Sarah Mühlemann"}
    keynote = talks["carina-haupt-rocket-science-and-software-engineering-keynote"]
    assert keynote["duration"] == 49 and keynote["tags"] == ["keynote"]
    # paragraphs stay apart, and abstracts are literal blocks
    assert "\n\nThis talk gives an overview" in keynote["abstract"]
    assert body.count("    abstract: |\n") == 9
    assert "keynote]\n" in body and "speakers: [amit-kumar]\n" in body


def test_a_pyvideo_data_folder_writes_every_event(tmp_path):
    report = import_program(PYVIDEO, tmp_path)
    assert report.exit_status == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["djangocon-au-2019.yaml",
                                                                "swiss-python-summit-2018.yaml"]
    assert report.talks == 18 and report.withheld == 0
    data = load(tmp_path / "djangocon-au-2019.yaml")
    rust = data["talks"]["rust-s-recipes-for-code-and-community-e-dunham-pycon-au-2019"]
    # a recorded date and time: the day, and the local time
    assert (rust["date"], rust["start"]) == (dt.date(2019, 8, 2), "09:15")
    assert '    start: "09:15"\n' in (tmp_path / "djangocon-au-2019.yaml").read_text(encoding="utf-8")
    # a long file name is cut to 80 characters at a dash
    assert "forklifting-django-migrating-a-complex-django-app-to-kubernetes-noah-kantrowitz" in data["talks"]
    assert all(len(talk_id) <= 80 for talk_id in data["talks"])
    rendered = report.render()
    assert "  events written        2\n" in rendered and "  talks written        18\n" in rendered


def test_the_docs_programs_are_this_import_of_the_fixtures(tmp_path):
    docs = Path(__file__).resolve().parents[1] / "docs" / "program"
    import_program(PYVIDEO, tmp_path)
    for name in ("swiss-python-summit-2018.yaml", "djangocon-au-2019.yaml"):
        assert (docs / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8")


def test_program_files_read_back_without_a_problem():
    docs = Path(__file__).resolve().parents[1] / "docs" / "program"
    for path in [*docs.glob("*.yaml"), SCHEDULE / "kubecon-na-2017.yaml"]:
        event, problems = read_program(path)
        assert problems == [] and event is not None and event.talks, path.name
    event, _ = read_program(docs / "swiss-python-summit-2018.yaml")
    gil = next(talk for talk in event.talks if talk.id == "amit-kumar-lets-talk-about-gil")
    assert [person.name for person in gil.speakers] == ["Amit Kumar"] and gil.date == "2018-02-16"


# --- schedule ---------------------------------------------------------------------------------


def test_a_schedule_gives_days_rooms_and_times(tmp_path):
    report = import_program(SCHEDULE, tmp_path)
    assert report.exit_status == 0 and report.problems == [] and report.kind == "schedule"
    target = tmp_path / "kubecon-na-2017.yaml"
    # the fixture beside the schedule is this import, kept for other tests
    assert target.read_text(encoding="utf-8") == (SCHEDULE / "kubecon-na-2017.yaml").read_text(encoding="utf-8")
    data = load(target)
    assert data["event"] == {"name": "KubeCon + CloudNativeCon North America 2017", "start": dt.date(2017, 12, 6),
                             "end": dt.date(2017, 12, 8)}
    assert data["source"] == "schedule" and "license" not in data
    assert data["rooms"] == ["Ballroom", "Room 9AB"]

    talks = list(data["talks"].values())
    day_one = [talk for talk in talks if talk["date"] == dt.date(2017, 12, 6)]
    assert len(day_one) == 5
    assert [data["speakers"][talk["speakers"][0]]["name"] for talk in day_one] == KEYNOTE_SPEAKERS
    assert all(len(talk["speakers"]) == 1 and talk["room"] == "Ballroom" for talk in day_one)
    starts = [talk["start"] for talk in day_one]
    assert starts == sorted(starts) and starts[0] == "09:00"
    last = dt.datetime.strptime(day_one[-1]["start"], "%H:%M") + dt.timedelta(minutes=day_one[-1]["duration"])
    assert last.strftime("%H:%M") == "10:30"
    welcome = data["talks"]["keynote-welcome-to-kubecon-plus-cloudnativecon"]
    assert welcome["title"] == "Keynote: Welcome to KubeCon + CloudNativeCon"
    assert (welcome["start"], welcome["duration"], welcome["track"], welcome["language"]) == ("09:00", 15,
                                                                                            "Keynote", "en")
    # speakers by the schedule's code for them; an attachment relative to base_url is made absolute
    assert data["speakers"]["KDK7QH"] == {"name": "Dan Kohn"}
    update = data["talks"]["keynote-kubernetes-project-update"]
    assert update["slides"] == "https://schedule.example.org/media/kubecon-na-2017/project-update-slides.pdf"
    assert update["abstract"].count("\n\n") == 1

    day_two = [talk for talk in talks if talk["date"] == dt.date(2017, 12, 7)]
    assert [(talk["room"], talk["start"]) for talk in day_two] == [("Room 9AB", "11:10"), ("Room 9AB", "14:00")]
    assert day_two[0]["speakers"] == ["MNR4LX", "ISU9ZP"] and "speakers" not in day_two[1]


def test_a_schedule_file_and_an_event_id_of_ones_own(tmp_path):
    report = import_program(SCHEDULE / "schedule.json", tmp_path, event="kubecon-2017")
    assert report.written == [(tmp_path / "kubecon-2017.yaml").as_posix()]
    assert len(load(tmp_path / "kubecon-2017.yaml")["talks"]) == 7


def test_an_event_id_is_written_as_posts_name_the_event(tmp_path):
    """``event: PyCon.2019`` in a post is the event ``pycon-2019``: its program file has that name."""
    from confarchive.text.registry import Registry

    report = import_program(SCHEDULE / "schedule.json", tmp_path, event="PyCon.2019")
    assert report.written == [(tmp_path / "pycon-2019.yaml").as_posix()]
    assert Registry().event_slug("PyCon.2019") == "pycon-2019"


def schedule_with(talks_by_room: dict[str, list[dict]], **conference) -> dict:
    return {"schedule": {"version": "1", "base_url": "https://pretalx.example.org/demo/schedule/", "conference": {
        "acronym": "demo", "title": "DemoCon", "start": "2020-12-14", "end": "2020-12-15", "daysCount": 1,
        "timeslot_duration": "00:05", "time_zone_name": "UTC",
        "rooms": [{"name": room, "guid": f"room-{room}"} for room in talks_by_room],
        "days": [{"index": 1, "date": "2020-12-14", "day_start": "2020-12-14T08:00:00+00:00",
                  "day_end": "2020-12-14T20:00:00+00:00", "rooms": talks_by_room}], **conference}}}


def schedule_talk(guid: str, title: str | None, start: str, persons: list[dict], **fields) -> dict:
    talk = {"guid": guid, "id": zlib.crc32(guid.encode()) % 10_000 + 1, "date": f"2020-12-14T{start}:00+00:00",
            "start": start, "duration": "00:30", "room": "Main", "slug": f"demo-{guid}", "url": f"/demo/talk/{guid}/",
            "title": title, "subtitle": "", "track": None, "type": "Talk", "language": "en",
            "abstract": "A talk.", "description": "", "persons": persons, "links": [], "attachments": [],
            **fields}
    if title is None:
        del talk["title"]
    return talk


def lines_of_guid(path: Path, guid: str) -> list[int]:
    """The lines of the opening braces of the talks with ``guid``: it is each talk's first key, one line below."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [number - 1 for number, line in enumerate(lines, 1) if f'"guid": "{guid}"' in line]


def test_bad_schedule_talks_are_reported_at_their_line(tmp_path):
    ada = {"code": "ADA1", "public_name": "Ada Lovelace"}
    crowd = [{"code": f"P{number:02d}", "public_name": f"Person {number}"} for number in range(40)]
    path = write_json(tmp_path / "src" / "schedule.json", schedule_with({"Main": [
        schedule_talk("good", "A Good Talk", "09:00", [ada]),
        schedule_talk("same", "Twice Listed", "09:30", [ada]),
        schedule_talk("same", "Twice Listed", "09:30", [ada]),
        schedule_talk("other", "A Good Talk", "10:00", [{"code": "ADA1"}]),
        schedule_talk("ghost", "Ghost Speaker", "10:30", [{"code": "NOBODY"}, {"biography": "no one"}]),
        schedule_talk("crowd", "Everyone", "11:00", crowd),
        schedule_talk("long", "Long Abstract", "11:30", [ada], abstract=("word " * 200 + "\n\n") * 10_000),
        schedule_talk("untitled", None, "12:00", [ada]),
        schedule_talk("links", "Odd Links", "12:30", [], links=[{"url": "javascript:alert(1)", "title": "x"},
                                                               {"url": "https://example.org/v", "title": "Video"}]),
    ]}))
    report = import_program(path.parent, tmp_path / "out")
    assert report.exit_status == 0
    data = load(tmp_path / "out" / "demo.yaml")
    talks = data["talks"]

    def at(guid: str) -> str:
        return f"schedule.json:{lines_of_guid(path, guid)[0]}"

    # the same guid twice: the second is left out; a different talk with the same title gets -2
    assert list(talks) == ["a-good-talk", "twice-listed", "a-good-talk-2", "ghost-speaker", "everyone",
                           "long-abstract", "demo-untitled", "odd-links"]
    first, second = lines_of_guid(path, "same")
    assert located(report, f"schedule.json:{second}", f"given twice (first at schedule.json:{first})")
    assert located(report, at("other"), "talk id 'a-good-talk' is taken")
    # a person given by code alone is named where the schedule names them elsewhere
    assert talks["a-good-talk-2"]["speakers"] == ["ADA1"]
    # an id no talk names, and a person with neither name nor id: reported, left out
    assert located(report, at("ghost"), "person 'NOBODY' has no name")
    assert located(report, at("ghost"), "neither a name nor an id")
    assert "speakers" not in talks["ghost-speaker"]
    assert len(talks["everyone"]["speakers"]) == 20 and located(report, at("crowd"), "40 speakers")
    abstract = talks["long-abstract"]["abstract"]
    assert len(abstract) <= MAX_ABSTRACT + 1 and abstract.endswith(" …\n")
    assert located(report, at("long"), "the abstract is")
    assert talks["demo-untitled"]["title"] == "Demo untitled" and located(report, at("untitled"), "no title")
    assert talks["odd-links"]["video"] == "https://example.org/v" and located(report, at("links"), "javascript")
    assert talks["a-good-talk"]["links"] == [{"label": "Talk page",
                                              "url": "https://pretalx.example.org/demo/talk/good/"}]


def test_a_schedule_that_is_not_json_is_located_and_fails(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text('{\n  "schedule": {\n    "version": "1",\n    "conference": {,\n', encoding="utf-8")
    report = import_program(path, tmp_path / "out")
    assert report.exit_status == 1 and not (tmp_path / "out").exists()
    assert located(report, "schedule.json:4", "is not valid JSON") and "column" in problems_of(report)[0]


# --- bad pyvideo input ----------------------------------------------------------------------------


def test_bad_pyvideo_talks_are_reported_and_the_others_written(tmp_path):
    event = tmp_path / "data" / "pycon-test-2021"
    videos = event / "videos"
    (event / "category.json").parent.mkdir(parents=True)
    (event / "category.json").write_text('{"title": "PyCon Test 2021",\n "url": }\n', encoding="utf-8")
    write_json(videos / "good-talk.json", talk_json("Good Talk", ["Ada Lovelace"]))
    (videos / "broken.json").write_text('{\n  "title": "Broken",\n  "speakers": [,\n}\n', encoding="utf-8")
    write_json(videos / "no-title-here.json", {**talk_json("", ["Ada Lovelace"]), "title": ""})
    write_json(videos / "nameless.json", talk_json("Nameless Speaker", ["", "Grace Hopper"]))
    write_json(videos / "crowd.json", talk_json("Crowd", [f"Speaker {number}" for number in range(40)]))
    write_json(videos / "huge.json", talk_json("Huge", ["Ada Lovelace"],
                                               description=("lorem ipsum " * 50 + "\n\n") * 17_000))
    long_stem = "a-" + "very-long-talk-title-" * 4
    write_json(videos / f"{long_stem}part-one.json", talk_json("Part One", ["Ada Lovelace"]))
    write_json(videos / f"{long_stem}part-two.json", talk_json("Part Two", ["Ada Lovelace"]))
    write_json(videos / "first-copy.json", talk_json("Copy", ["Ada Lovelace"], id=77))
    write_json(videos / "second-copy.json", talk_json("Copy", ["Ada Lovelace"], id=77))
    write_json(videos / "links.json", talk_json("Links", ["Ada Lovelace"], related_urls=[
        "javascript:alert(1)", {"label": "Slides", "url": "https://speakerdeck.com/ada/links"}, "/relative"]))
    (videos / "latin1.json").write_bytes('{"title": "Caf\u00e9", "speakers": ["Zo\u00eb"]}'.encode("latin-1"))
    assert (videos / "huge.json").stat().st_size > 10_000_000

    report = import_program(event, tmp_path / "out")
    assert report.exit_status == 0
    data = load(tmp_path / "out" / "pycon-test-2021.yaml")
    talks = data["talks"]
    where = "pycon-test-2021"
    # a broken category.json: located, the event named after its folder
    assert data["event"]["name"] == "pycon-test-2021"
    assert located(report, f"{where}/category.json:2", "is not valid JSON")
    assert located(report, f"{where}/videos/broken.json:3", "is not valid JSON") and "broken" not in talks
    assert talks["good-talk"]["speakers"] == ["ada-lovelace"] and talks["good-talk"]["date"] == dt.date(2021, 5, 1)
    assert talks["no-title-here"]["title"] == "No title here"
    assert located(report, f"{where}/videos/no-title-here.json:1", "no title")
    assert talks["nameless"]["speakers"] == ["grace-hopper"]
    assert located(report, f"{where}/videos/nameless.json:1", "without a name")
    assert talks["crowd"]["speakers"] == [f"speaker-{number}" for number in range(20)]
    assert located(report, f"{where}/videos/crowd.json:1", "has 40 speakers; the first 20 are kept")
    huge = talks["huge"]["abstract"]
    assert len(huge) <= MAX_ABSTRACT + 1 and huge.endswith("ipsum …\n")
    assert located(report, f"{where}/videos/huge.json:1", "the abstract is 10,")
    one, two = (talk_id for talk_id, talk in talks.items() if talk["title"].startswith("Part "))
    assert one == "a-very-long-talk-title-very-long-talk-title-very-long-talk-title-very-long-talk"
    assert two == "a-very-long-talk-title-very-long-talk-title-very-long-talk-title-very-long-2"
    assert located(report, f"{where}/videos/{long_stem}part-two.json:1", f"talk id {one!r} is taken")
    assert "first-copy" in talks and "second-copy" not in talks
    assert located(report, f"{where}/videos/second-copy.json:1", "given twice")
    assert talks["links"]["slides"] == "https://speakerdeck.com/ada/links" and "links" not in talks["links"]
    assert located(report, f"{where}/videos/links.json:1", "javascript")
    assert located(report, f"{where}/videos/links.json:1", "'/relative' is not an http(s) address")
    assert talks["latin1"]["title"] == "Café" and data["speakers"]["zoe"] == {"name": "Zoë"}
    assert any(line.startswith(f"{where}/videos/latin1.json:1: [encoding]") for line in problems_of(report))
    assert report.talks == len(talks) == 10
    assert "Problems, by kind:\n  encoding " in report.render()


def test_names_without_an_ascii_form_get_ids_of_their_own(tmp_path):
    event = tmp_path / "pycon-ru-2021"
    write_json(event / "category.json", {"title": "PyCon Russia 2021"})
    write_json(event / "videos" / "доклад-один.json", talk_json("Доклад один", ["Станислав Рудаков"]))
    write_json(event / "videos" / "доклад-два.json", talk_json("Доклад два", ["Анна Иванова"]))
    import_program(event, tmp_path / "out")
    data = load(tmp_path / "out" / "pycon-ru-2021.yaml")
    assert len(data["talks"]) == 2 and len(data["speakers"]) == 2
    assert all(re.fullmatch(r"(talk|speaker)-[0-9a-f]{8}", key) for key in [*data["talks"], *data["speakers"]])


# --- hand edits, dry runs ------------------------------------------------------------------------


def test_a_hand_edit_is_kept_unless_forced(tmp_path):
    source = tmp_path / "swiss-python-summit-2018"
    shutil.copytree(SWISS, source)
    into = tmp_path / "program"
    import_program(source, into)
    target = into / "swiss-python-summit-2018.yaml"
    imported = target.read_text(encoding="utf-8")

    # untouched since the import: replaced with what the source says now
    talk = source / "videos" / "iacopo-spalletti-real-time-django.json"
    talk.write_text(talk.read_text(encoding="utf-8").replace("Real Time Django", "Real-Time Django"),
                    encoding="utf-8")
    report = import_program(source, into)
    assert report.written == [target.as_posix()] and report.skipped == []
    assert load(target)["talks"]["iacopo-spalletti-real-time-django"]["title"] == "Real-Time Django"

    # edited by hand: skipped and said so, the edit kept
    edited = target.read_text(encoding="utf-8").replace("title: Real-Time Django", "title: Real Time Django!")
    target.write_text(edited, encoding="utf-8")
    assert not checksum_matches(target.read_bytes())
    report = import_program(source, into)
    assert report.skipped == [(target.as_posix(), HAND_EDITED)] and report.written == []
    assert report.exit_status == 0 and target.read_text(encoding="utf-8") == edited
    assert "Events skipped:\n  " + target.as_posix() + ": edited by hand" in report.render()

    # a file without its checksum line is a hand edit too
    target.write_text("\n".join(edited.split("\n")[3:]), encoding="utf-8")
    assert import_program(source, into).skipped != []

    # --force replaces it
    report = import_program(source, into, force=True)
    assert report.written == [target.as_posix()] and checksum_matches(target.read_bytes())
    assert target.read_text(encoding="utf-8") != imported
    assert "Real-Time Django" in target.read_text(encoding="utf-8")


def test_a_dry_run_writes_nothing(tmp_path):
    into = tmp_path / "program"
    report = import_program(PYVIDEO, into, dry_run=True)
    assert not into.exists()
    assert len(report.written) == 2 and report.talks == 18
    rendered = report.render()
    assert "(dry run: nothing written)" in rendered and "events would be written" in rendered

    import_program(PYVIDEO, into)
    target = into / "djangocon-au-2019.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in into.iterdir()}
    report = import_program(PYVIDEO, into, dry_run=True, force=True)
    assert {path.name: path.read_bytes() for path in into.iterdir()} == before
    assert len(report.written) == 2


# --- NO_PUBLISH.json ---------------------------------------------------------------------------------


def test_talks_named_in_no_publish_are_withheld(tmp_path):
    root = tmp_path / "data"
    event = root / "pycon-test-2021"
    write_json(event / "category.json", {"title": "PyCon Test 2021", "start_date": "2021-05-01"})
    write_json(event / "videos" / "kept.json", talk_json("Kept", ["Ada Lovelace"], id=1))
    write_json(event / "videos" / "withheld.json", talk_json("Withheld", ["Grace Hopper"], id=2845))
    write_json(root / "NO_PUBLISH.json", [2845, 5984])
    for source in (root, event):  # the data folder, or one of its events
        into = tmp_path / f"out-{source.name}"
        report = import_program(source, into)
        data = load(into / "pycon-test-2021.yaml")
        assert list(data["talks"]) == ["kept"] and list(data["speakers"]) == ["ada-lovelace"]
        assert report.withheld == 1 and report.talks == 1
        assert "  talks withheld        1  (named in NO_PUBLISH.json)" in report.render()

    (root / "NO_PUBLISH.json").write_text("[2845,\n", encoding="utf-8")
    report = import_program(root, tmp_path / "out-broken")
    assert located(report, "NO_PUBLISH.json:2", "no talk is withheld") and report.withheld == 0


# --- the command ----------------------------------------------------------------------------------


def test_the_command_and_its_exit_statuses(tmp_path, capsys):
    assert main(["import-program", str(SWISS), "--into", str(tmp_path / "ok")]) == 0
    assert "events written        1" in capsys.readouterr().out

    assert main(["import-program", str(tmp_path / "nowhere"), "--into", str(tmp_path / "x")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["import-program", str(tmp_path / "empty"), "--into", str(tmp_path / "x")]) == 2
    assert "holds no program" in capsys.readouterr().err
    write_json(tmp_path / "other.json", {"not": "a schedule"})
    assert main(["import-program", str(tmp_path / "other.json"), "--into", str(tmp_path / "x")]) == 2
    assert "not a frab or pretalx schedule" in capsys.readouterr().err
    assert main(["import-program", str(SWISS), "--event", "../elsewhere", "--into", str(tmp_path / "x")]) == 2
    assert main(["import-program", str(PYVIDEO), "--event", "one", "--into", str(tmp_path / "x")]) == 2
    assert "--event names one event" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()

    # an event with no talk that can be read is not written: status 1
    broken = tmp_path / "broken-2021"
    write_json(broken / "category.json", {"title": "Broken 2021"})
    (broken / "videos").mkdir()
    (broken / "videos" / "a.json").write_text("{", encoding="utf-8")
    assert main(["import-program", str(broken), "--into", str(tmp_path / "y")]) == 1
    out = capsys.readouterr().out
    assert "events failed         1" in out and "broken-2021/videos/a.json:1: [program]" in out
    assert not (tmp_path / "y" / "broken-2021.yaml").exists()


def test_the_command_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "confarchive", "import-program", str(SCHEDULE), "--into",
                             str(tmp_path), "--dry-run"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"confarchive import-program: schedule {SCHEDULE} -> {tmp_path} (dry run")
    assert list(tmp_path.iterdir()) == []


def test_import_aborted_is_raised_for_no_program(tmp_path):
    with pytest.raises(ImportAborted):
        import_program(tmp_path, tmp_path / "out")


# --- the whole corpus -------------------------------------------------------------------------------


@pytest.mark.corpus
def test_the_whole_pyvideo_corpus(tmp_path_factory):
    archive = need_shared("corpora", "pyvideo-data.tar.xz")
    unpacked = tmp_path_factory.mktemp("pyvideo")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    root = next(path.parent for path in unpacked.glob("*/NO_PUBLISH.json"))
    withheld_ids = set(json.loads((root / "NO_PUBLISH.json").read_text(encoding="utf-8")))
    talk_files = list(root.glob("*/videos/*.json"))
    withheld = sum(1 for path in talk_files if json.loads(path.read_text(encoding="utf-8")).get("id")
                   in withheld_ids)
    assert len(talk_files) == 21_715 and withheld == 2

    into = unpacked / "program"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "confarchive", "import-program", str(root), "--into", str(into)],
                            capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 60, f"the whole corpus took {elapsed:.1f} s"
    files = sorted(into.glob("*.yaml"))
    assert len(files) == 540
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    talks = 0
    for path in files:
        assert checksum_matches(path.read_bytes()), path.name
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
        talks += len(data["talks"])
        assert all(speaker in data["speakers"] for talk in data["talks"].values()
                   for speaker in talk.get("speakers", ()))
    assert talks == len(talk_files) - withheld
    assert f"talks written     {talks:5}" in result.stdout and "talks withheld        2" in result.stdout
