"""The ``confarchive`` command: ``import`` (report, progress, exit status) and ``new``."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import sphinx_build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'


def confarchive(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "confarchive", *args], capture_output=True, text=True,
                          check=False, cwd=cwd, env={**os.environ, **(env or {})}, timeout=120)


def test_the_console_script_is_installed():
    script = shutil.which("confarchive", path=str(Path(sys.executable).parent))
    assert script, "pip install -e . installs the confarchive command"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "import" in result.stdout and "new" in result.stdout


def test_import_reports_on_stdout_and_stays_quiet_off_a_terminal(tmp_path):
    result = confarchive("import", str(FIXTURES / "import-hugo"), "--into", str(tmp_path / "docs" / "posts"))
    assert result.returncode == 0
    assert result.stdout.startswith("confarchive import: hugo blog ")
    assert "  posts imported        2\n" in result.stdout and "  images copied        2\n" in result.stdout
    assert result.stderr == ""


def test_import_shows_progress_on_a_terminal(tmp_path):
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 wide
    process = subprocess.Popen([sys.executable, "-m", "confarchive", "import", str(FIXTURES / "import-jekyll"),
                                "--into", str(tmp_path / "posts")], stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.communicate(timeout=60)[0]
    os.close(primary)
    assert process.returncode == 0
    assert b"importing" in seen and b"/3 [" in seen and b"post" in seen
    assert b"importing" not in stdout


def test_import_of_no_blog_exits_2(tmp_path):
    result = confarchive("import", str(tmp_path), "--into", str(tmp_path / "posts"))
    assert result.returncode == 2
    assert "holds no Wintersmith (articles/), Jekyll (_posts/) or Hugo (content/) blog" in result.stderr
    missing = confarchive("import", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "is not a folder" in missing.stderr


def test_new_writes_a_skeleton_that_builds_and_never_overwrites(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(CONF)
    (docs / "index.md").write_text("# The archive\n")
    (docs / "events.yaml").write_text("kubecon-na-2017:\n  name: KubeCon North America 2017\n")
    result = confarchive("new", "KubeCon Day One: Keynotes", "--event", "kubecon-na-2017", "--date",
                         "2017-12-06T08:57", "--author", "Ada Lovelace", "--into", str(docs / "posts"))
    assert result.returncode == 0, result.stderr
    post = docs / "posts" / "2017" / "kubecon-day-one-keynotes" / "index.md"
    assert result.stdout.strip() == str(post)
    text = post.read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---\n")[1]) == {
        "title": "KubeCon Day One: Keynotes", "author": ["Ada Lovelace"],
        "date": dt.datetime(2017, 12, 6, 8, 57), "event": "kubecon-na-2017", "tags": []}
    assert "<!-- more -->" in text and ":::{speaker} Speaker Name" in text and "\n## " in text

    build = sphinx_build(docs, tmp_path / "html", "-W", "--keep-going")
    assert build.returncode == 0, build.stderr
    page = (tmp_path / "html" / "posts" / "2017" / "kubecon-day-one-keynotes" / "index.html").read_text()
    assert "confarchive-speaker" in page and "KubeCon Day One: Keynotes" in page

    post.write_text(text + "\nMy own words.\n", encoding="utf-8")
    again = confarchive("new", "KubeCon Day One: Keynotes", "--date", "2017-12-06", "--author", "Ada Lovelace",
                        "--into", str(docs / "posts"))
    assert again.returncode == 1 and "exists; nothing written" in again.stderr
    assert post.read_text(encoding="utf-8").endswith("My own words.\n")


def test_new_takes_the_author_from_git_and_the_date_from_now(tmp_path):
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Grace Hopper\n")
    result = confarchive("new", "Hallway track", "--into", str(tmp_path / "posts"), cwd=tmp_path,
                         env={"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"})
    assert result.returncode == 0, result.stderr
    year = dt.date.today().year
    post = tmp_path / "posts" / str(year) / "hallway-track" / "index.md"
    fields = yaml.safe_load(post.read_text(encoding="utf-8").split("---\n")[1])
    assert fields["author"] == ["Grace Hopper"] and fields["date"].year == year and "event" not in fields

    nobody = confarchive("new", "Nobody", "--into", str(tmp_path / "posts"), cwd=tmp_path,
                         env={"GIT_CONFIG_GLOBAL": str(tmp_path / "none"), "GIT_CONFIG_NOSYSTEM": "1"})
    assert nobody.returncode == 2 and "no author" in nobody.stderr
    bad_date = confarchive("new", "Bad date", "--date", "next tuesday", "--author", "X")
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr


def test_new_refuses_an_event_it_does_not_know_and_names_the_closest(tmp_path):
    docs = tmp_path / "docs"
    (docs / "posts" / "2019" / "sprints").mkdir(parents=True)
    (docs / "events.yaml").write_text("kubecon-na-2017:\n  name: KubeCon North America 2017\n"
                                      "  aliases: [KubeCon 2017]\n")
    (docs / "posts" / "2019" / "sprints" / "index.md").write_text(
        "---\ntitle: Sprints\nevent: PyCon US 2019\n---\nText.\n")
    into = ["--author", "Ada", "--into", str(docs / "posts")]
    typo = confarchive("new", "Day two", "--event", "kubecon-na-201", *into)
    assert typo.returncode == 2, typo.stdout
    assert typo.stderr.startswith(f"confarchive new: no event 'kubecon-na-201' in {docs / 'events.yaml'} nor in "
                                  f"any post under {docs / 'posts'}; did you mean kubecon-na-2017? known events: "
                                  "kubecon-na-2017, PyCon US 2019. Describe a new event in events.yaml first")
    assert not list((docs / "posts").glob("*/day-two"))
    unknown = confarchive("new", "Day two", "--event", "nosuchconf", *into)
    assert unknown.returncode == 2 and "did you mean" not in unknown.stderr
    # an id, a name or an alias of events.yaml, or an event a post names, is known
    for event in ("kubecon-na-2017", "KubeCon 2017", "pycon us 2019"):
        known = confarchive("new", f"About {event}", "--event", event, *into)
        assert known.returncode == 0, known.stderr


def test_init_starts_an_archive_that_builds_without_a_warning(tmp_path):
    """The three commands of getting-started.md: install, init, build (and a first post)."""
    folder = tmp_path / "pycon-notes"
    result = confarchive("init", str(folder), "--author", "Ada Lovelace", "--url", "https://notes.example.org")
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in folder.iterdir()) == [".gitignore", "conf.py", "events.yaml", "index.md",
                                                             "posts", "speakers.yaml"]
    assert "confarchive new" in result.stdout and "sphinx-build -M html" in result.stdout
    conf = (folder / "conf.py").read_text(encoding="utf-8")
    assert "project = 'Pycon Notes'" in conf and "author = 'Ada Lovelace'" in conf
    assert "'https://notes.example.org/'" in conf
    build = sphinx_build(folder, tmp_path / "html", "-W", "--keep-going")
    assert build.returncode == 0 and build.stderr == "", build.stderr
    home = BeautifulSoup((tmp_path / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.h1.get_text().startswith("Pycon Notes")
    assert "No posts yet." in home.select_one("article").get_text()
    sidebar = [a.get_text(strip=True) for a in home.select(".sidebar-tree a")]
    assert sidebar == ["Events", "Speakers", "Tags", "Authors", "Posts by year"]

    # the event described, the first post written: it builds, and is listed on the home page
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "pycon-us-2019:\n  name: PyCon US 2019\n"
                      "  location: Cleveland, Ohio\n", encoding="utf-8")
    new = confarchive("new", "Keynotes", "--event", "PyCon US 2019", "--author", "Ada Lovelace", "--date",
                      "2019-05-03", "--into", str(folder / "posts"))
    assert new.returncode == 0, new.stderr
    build = sphinx_build(folder, tmp_path / "html", "-W", "--keep-going")
    assert build.returncode == 0 and build.stderr == "", build.stderr
    home = BeautifulSoup((tmp_path / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in home.select(".confarchive-post-title a")] == ["Keynotes"]
    assert (tmp_path / "html" / "archive" / "events" / "pycon-us-2019.html").is_file()


def test_init_never_overwrites_and_checks_its_address(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "index.md").write_text("# Mine\n")
    again = confarchive("init", str(folder), "--author", "Ada")
    assert again.returncode == 1 and "holds index.md already; nothing written" in again.stderr
    assert (folder / "index.md").read_text() == "# Mine\n" and not (folder / "conf.py").exists()
    bad = confarchive("init", str(tmp_path / "other"), "--url", "javascript:alert(1)")
    assert bad.returncode == 2 and "is not an http(s) address" in bad.stderr
    assert not (tmp_path / "other").exists()
