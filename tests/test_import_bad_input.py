"""Bad input never stops an import and never loses a post silently: each is reported with its line."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

GOOD = "---\ntitle: {title}\nauthor: Ann Author\ndate: 2016-01-01\n---\n{body}\n"
MTIME = 1_500_000_000  # the file time of the post without front matter: 2017-07-14


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


@pytest.fixture(scope="module")
def blog(tmp_path_factory) -> Path:
    """A Wintersmith blog holding every kind of bad input, between two good posts."""
    root = tmp_path_factory.mktemp("bad-blog")
    (root / "config.json").write_text('{"locals": {"url": "https://old.example.org", "owner": "Ann Author"}}')
    articles = root / "contents" / "articles"
    write(articles / "aaa-good" / "index.md", GOOD.format(title="First good post", body="Nothing wrong here."))
    write(articles / "zzz-good" / "index.md", GOOD.format(title="Last good post", body="Nothing wrong here either."))
    write(articles / "latin1" / "index.md",
          b"---\ntitle: Caf\xe9 notes\nauthor: Ann Author\ndate: 2016-01-01\n---\nA caf\xe9 in Portland.\n")
    write(articles / "bom" / "index.md", codecs.BOM_UTF8 + GOOD.format(title="With a BOM", body="Hi.").encode())
    write(articles / "crlf" / "index.md", GOOD.format(title="Windows lines", body="One.\n\nTwo.").replace("\n", "\r\n"))
    write(articles / "no-front-matter" / "index.md", "# A heading for a title\n\nThe body of a bare post.\n")
    os.utime(articles / "no-front-matter" / "index.md", (MTIME, MTIME))
    write(articles / "broken-yaml" / "index.md",
          "---\ntitle: Broken: YAML: here\nauthor: Ann Author\ndate: 2016-01-01\n---\nThe body survives.\n")
    for slug, date in (("date-unpadded", "2016-1-2"), ("date-unpadded-time", "2017-1-6 10:17"),
                       ("date-unpadded-day", "2014-10-9"), ("date-no-day", "2015-09- 01:04:28")):
        write(articles / slug / "index.md", f"---\ntitle: {slug}\nauthor: Ann Author\ndate: {date}\n---\nText.\n")
    write(articles / "empty" / "index.md", "")
    paragraph = "A long day of talks, told at length. " * 20 + "\n\n"
    write(articles / "huge" / "index.md",
          GOOD.format(title="A huge post", body=paragraph * (5_300_000 // len(paragraph)) + "The very end."))
    write(articles / "dup.md", GOOD.format(title="Duplicate as a file", body="I came first."))
    write(articles / "dup" / "index.md", GOOD.format(title="Duplicate as a folder", body="I came second."))
    write(articles / "escape" / "index.md", GOOD.format(
        title="Reaching out", body="![the password file](../../../../etc/passwd)\n\n"
                                   '<img src="/../../../etc/hostname" alt="the host name">\n\nStill here.'))
    (articles / "aaa-good" / "again").symlink_to("..")  # a folder loop
    (articles / "selfref").mkdir()
    (articles / "selfref" / "index.md").symlink_to("index.md")  # a file loop
    return root


@pytest.fixture(scope="module")
def imported(blog, tmp_path_factory):
    docs = tmp_path_factory.mktemp("archive") / "docs"
    result = subprocess.run([sys.executable, "-m", "confarchive", "import", str(blog), "--into", str(docs / "posts")],
                            capture_output=True, text=True, check=False, timeout=120)
    return docs, result


def post(docs: Path, slug: str) -> Path:
    [found] = (docs / "posts").glob(f"*/{slug}/index.md")
    return found


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def assert_reported(result, *lines: str) -> None:
    reported = result.stdout.splitlines()
    for line in lines:
        assert "  " + line in reported, f"not in the report: {line}\n{result.stdout[-3000:]}"


def test_the_run_ends_and_fails_only_for_posts_it_could_not_import(imported):
    docs, result = imported
    assert result.returncode == 1, result.stderr
    assert "posts failed          2" in result.stdout
    assert "Traceback" not in result.stderr
    imported_posts = sorted(path.parent.name for path in (docs / "posts").glob("*/*/index.md"))
    assert imported_posts == sorted([
        "aaa-good", "zzz-good", "latin1", "bom", "crlf", "no-front-matter", "broken-yaml", "date-unpadded",
        "date-unpadded-time", "date-unpadded-day", "date-no-day", "huge", "dup", "dup-2", "escape"])
    assert "posts imported       15" in result.stdout


def test_non_utf8_bytes(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/latin1/index.md:2: [encoding] the file is not UTF-8 (the first bad "
                            "byte, 0xE9, is at line 2); bytes that are not UTF-8 were read as Windows-1252")
    assert front(post(docs, "latin1"))["title"] == "Café notes"
    assert "A café in Portland." in post(docs, "latin1").read_text(encoding="utf-8")


def test_byte_order_mark(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/bom/index.md:1: [encoding] removed a byte order mark (BOM) at the "
                            "start of the file")
    text = post(docs, "bom").read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and front(post(docs, "bom"))["title"] == "With a BOM"


def test_crlf_line_ends(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/crlf/index.md:1: [line ends] CRLF line ends converted to LF")
    data = post(docs, "crlf").read_bytes()
    assert b"\r" not in data and b"One.\n\nTwo.\n" in data


def test_no_front_matter(imported):
    docs, result = imported
    when = dt.datetime.fromtimestamp(MTIME).isoformat()
    assert_reported(
        result,
        "contents/articles/no-front-matter/index.md:1: [front matter] the post has no front matter; title, date "
        "and author were filled in",
        "contents/articles/no-front-matter/index.md:1: [title] no title in the front matter; took the heading "
        "'A heading for a title'",
        f"contents/articles/no-front-matter/index.md:1: [date] no readable date in the front matter; took the "
        f"file's time, {when}",
    )
    fields = front(post(docs, "no-front-matter"))
    assert fields["title"] == "A heading for a title" and fields["author"] == ["Ann Author"]
    assert fields["date"].isoformat() == when
    assert "The body of a bare post." in post(docs, "no-front-matter").read_text(encoding="utf-8")


def test_broken_yaml(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/broken-yaml/index.md:2: [front matter] front matter is not valid "
                            "YAML (mapping values are not allowed here); kept: author, date, title")
    assert front(post(docs, "broken-yaml"))["title"] == "Broken: YAML: here"


@pytest.mark.parametrize(("slug", "line", "iso"), [
    ("date-unpadded", "date '2016-1-2' is not ISO 8601; written as 2016-01-02", "2016-01-02"),
    ("date-unpadded-time", "date '2017-1-6 10:17' is not ISO 8601; written as 2017-01-06T10:17:00",
     "2017-01-06T10:17:00"),
    ("date-unpadded-day", "date '2014-10-9' is not ISO 8601; written as 2014-10-09", "2014-10-09"),
    ("date-no-day", "date '2015-09- 01:04:28' cannot be read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); "
                    "read as 2015-09-01; written as 2015-09-01T01:04:28", "2015-09-01T01:04:28"),
])
def test_the_four_malformed_dates_of_the_corpus(imported, slug, line, iso):
    docs, result = imported
    assert_reported(result, f"contents/articles/{slug}/index.md:4: [date] {line}")
    assert front(post(docs, slug))["date"].isoformat() == iso


def test_empty_file(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/empty/index.md:1: [empty post] the file is empty; there is nothing "
                            "to import",
                    "contents/articles/empty/index.md: the file is empty")
    assert not list((docs / "posts").glob("*/empty"))


def test_a_5_mb_post(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/huge/index.md:1: [large post] the post is 5.3 MB; imported, but a "
                            "page this large builds and loads slowly")
    text = post(docs, "huge").read_text(encoding="utf-8")
    assert len(text) > 5_000_000 and text.rstrip().endswith("The very end.")


def test_two_posts_with_the_same_slug(imported):
    docs, result = imported
    assert_reported(result, "contents/articles/dup/index.md:1: [duplicate slug] contents/articles/dup.md has the "
                            "slug 'dup' too; this post is written as 'dup-2'")
    assert front(post(docs, "dup"))["title"] == "Duplicate as a file"
    assert front(post(docs, "dup-2"))["title"] == "Duplicate as a folder"
    redirects = yaml.safe_load((docs / "redirects.yaml").read_text())
    assert redirects["/articles/dup.html"] == "posts/2016/dup/index"
    assert redirects["/articles/dup/"] == "posts/2016/dup-2/index"


def test_an_image_outside_the_source_folder_is_refused(imported):
    docs, result = imported
    assert_reported(
        result,
        "contents/articles/escape/index.md:6: [image refused] image path '../../../../etc/passwd' points outside "
        "the source folder: refused, never copied",
        "contents/articles/escape/index.md:8: [image refused] image path '/../../../etc/hostname' points outside "
        "the source folder: refused, never copied",
    )
    text = post(docs, "escape").read_text(encoding="utf-8")
    assert "etc/" not in text and "the password file" in text and "the host name" in text and "Still here." in text
    assert not [path for path in docs.rglob("*") if path.name in ("passwd", "hostname")]


def test_symlink_loops(imported):
    docs, result = imported
    assert_reported(
        result,
        "contents/articles/aaa-good/again:1: [symlink loop] a symbolic link leads back to contents/articles, a "
        "folder it sits in; not followed",
        "contents/articles/selfref/index.md:1: [symlink loop] the file is a symbolic link that loops; not imported",
    )
    assert not (post(docs, "aaa-good").parent / "again").exists()


def test_a_second_run_skips_everything_and_changes_nothing(blog, imported):
    docs, _ = imported
    before = {path: path.read_bytes() for path in docs.rglob("*") if path.is_file()}
    again = subprocess.run([sys.executable, "-m", "confarchive", "import", str(blog), "--into", str(docs / "posts")],
                           capture_output=True, text=True, check=False, timeout=120)
    assert "posts skipped        15" in again.stdout and "posts imported        0" in again.stdout
    assert {path: path.read_bytes() for path in docs.rglob("*") if path.is_file()} == before
