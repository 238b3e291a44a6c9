"""The whole real blog imported into an empty archive, then built strictly (needs ../shared)."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import need_shared, sphinx_build
from siteoutput import differences, site_files

pytestmark = pytest.mark.corpus

CONF = """\
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
"""
HTML_TAGS = ("a|b|blockquote|br|code|div|em|h[1-6]|i|iframe|img|li|ol|p|pre|script|span|strong|sub|sup|table|"
             "td|th|tr|ul")
TAG = re.compile(rf"</?(?:{HTML_TAGS})\b[^<>]*>", re.I)
FLOAT_DIV = re.compile(r'<div class="image float-(left|right)">(.*?)</div>', re.S)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+?)\)")
IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)


def run_import(source: Path, into: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "confarchive", "import", str(source), "--into", str(into), *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def blog():
    return need_shared("corpora", "adron-blog")


@pytest.fixture(scope="module")
def imported(blog, tmp_path_factory):
    """The blog imported into an empty archive and built with -W --keep-going."""
    srcdir = tmp_path_factory.mktemp("archive") / "docs"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(CONF)
    (srcdir / "index.md").write_text("# The archive\n")
    result = run_import(blog, srcdir / "posts")
    assert result.returncode == 0, result.stdout + result.stderr
    outdir = srcdir.parent / "html"
    build = sphinx_build(srcdir, outdir, "-W", "--keep-going", "-j", "2")
    return srcdir, outdir, result.stdout, build


def figure(report: str, label: str) -> int:
    return int(re.search(rf"^\s+{label}\s+(\d+)", report, re.M).group(1))


def posts(blog: Path) -> list[Path]:
    return sorted((blog / "articles").glob("*/index.md"))


def source_title(text: str) -> str:
    return re.search(r"^title:\s*(.+)$", text, re.M).group(1).strip().strip("'\"")


def page(outdir: Path, year: str, slug: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / "posts" / year / slug / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def new_location(srcdir: Path, slug: str) -> tuple[str, Path]:
    [found] = srcdir.glob(f"posts/*/{slug}/index.md")
    return found.parent.parent.name, found


def test_report_counts_every_post(imported):
    _, _, report, _ = imported
    assert figure(report, "posts imported") == 136
    assert figure(report, "posts failed") == 0
    assert figure(report, "images copied") > 300
    # the report's problems each name a file and a line
    problems = report.split("\nProblems:\n", 1)[1].rstrip("\n").splitlines()
    assert problems and all(re.match(r"^  articles/[^:]+/index\.md:\d+: \[[a-z ]+\] ", line) for line in problems)
    assert "articles/going-the-full-mile-continuous-delivery/index.md:4: [date] date '2015-09- 01:04:28'" in report


def test_strict_build_warns_only_for_missing_images_as_many_as_reported(imported):
    _, _, report, build = imported
    assert "Traceback" not in build.stderr
    kinds = Counter(re.findall(r"\[([a-z_.]+)\]$", build.stderr, re.M))
    warnings = [line for line in build.stderr.splitlines() if "WARNING" in line]
    assert set(kinds) == {"image.not_readable"}, "\n".join(line for line in warnings
                                                          if "image.not_readable" not in line)
    assert kinds["image.not_readable"] == len(warnings) == figure(report, "images missing") > 0


def test_every_post_has_title_date_and_author(blog, imported):
    srcdir, outdir, _, _ = imported
    for source in posts(blog):
        text = source.read_text(encoding="utf-8")
        year, _ = new_location(srcdir, source.parent.name)
        built = page(outdir, year, source.parent.name)
        title = built.select_one("article h1").get_text()
        assert letters(title) == letters(source_title(text)), source
        date = built.select_one(".confarchive-date").get_text()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and date.startswith(year), source
        assert [a.get_text() for a in built.select(".confarchive-post-meta .confarchive-author-link")] == \
            ["Adron Hall"], source


def letters(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text)


def test_floated_images_keep_their_side_and_missing_ones_their_alt_text(blog, imported):
    srcdir, outdir, _, _ = imported
    with_floats = shown = missing = 0
    for source in posts(blog):
        text = source.read_text(encoding="utf-8")
        divs = FLOAT_DIV.findall(text)
        if not divs:
            continue
        with_floats += 1
        year, _ = new_location(srcdir, source.parent.name)
        built = page(outdir, year, source.parent.name)
        for side, inner in divs:
            images = [(alt, src) for alt, src in MD_IMAGE.findall(inner)]
            for tag in IMG_TAG.findall(inner):
                alt = re.search(r'alt="([^"]*)"', tag)
                images.append((alt.group(1) if alt else None, re.search(r'src="([^"]+)"', tag).group(1)))
            for alt, src in images:
                floated = [img for img in built.select("figure img")
                           if f"align-{side}" in img.find_parent("figure")["class"]
                           and (alt is None or img.get("alt") == html.unescape(alt))]
                if (source.parent / src.removeprefix("./")).is_file():
                    stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                    # Sphinx renames an image whose file name another post used too: golang-mascot1.png
                    assert any(unquote(img["src"]).rsplit("/", 1)[-1].startswith(stem) for img in floated), \
                        f"{source.parent.name}: {src} is not shown floated {side}"
                    shown += 1
                else:
                    assert floated, f"{source.parent.name}: missing {src} lost its alt text"
                    missing += 1
    assert with_floats == 62
    assert shown > 100 and missing > 0


def visible_text(node) -> str:
    for hidden in node.select("pre, code, .highlight, script, style"):
        hidden.decompose()
    return node.get_text(" ")


def test_no_page_shows_literal_markdown_or_html(blog, imported):
    srcdir, outdir, _, _ = imported
    literal = re.compile(r"\]\(|!\[|\*\*|(?:^|\n)\s*#{1,6} |:::|\{(?:image-float|speaker|callout|video)\}"
                         r"|&(?:quot|amp|lt|gt|mdash|nbsp);")
    for source in posts(blog):
        year, _ = new_location(srcdir, source.parent.name)
        article = page(outdir, year, source.parent.name).select_one("article")
        text = visible_text(article)
        assert not TAG.search(text), f"{source.parent.name}: {TAG.search(text).group(0)!r}"
        found = literal.search(text)
        assert not found, f"{source.parent.name}: {text[max(found.start() - 60, 0):found.end() + 60]!r}"


def prose_words(text: str) -> list[str]:
    """The words of a post's prose: no front matter, code, tags, addresses or image alt texts."""
    body = text.split("\n---\n", 1)[1]
    body = re.sub(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", " ", body, flags=re.M | re.S)
    body = re.sub(r"(?m)^(?: {4}|\t).*$", " ", body)  # indented code
    body = re.sub(r"(?m)^\s*\d+[.)]\s", " ", body)  # list numbers
    body = re.sub(r"<(script|style|pre)\b.*?</\1>|<!--.*?-->", " ", body, flags=re.S | re.I)
    body = MD_IMAGE.sub(" ", body)
    body = TAG.sub(" ", body)
    body = re.sub(r"\]\([^)]*\)|^\s*\[[^\]]+\]:\s*\S+", " ", body, flags=re.M)
    body = body.replace("**NOTE:", " ")  # the callout it opens says so by its look
    return re.findall(r"[A-Za-z0-9]+", html.unescape(body))


def test_every_word_of_every_post_is_on_its_page_in_order(blog, imported):
    srcdir, outdir, _, _ = imported
    checked = 0
    for source in posts(blog):
        words = prose_words(source.read_text(encoding="utf-8"))
        year, _ = new_location(srcdir, source.parent.name)
        shown = re.findall(r"[A-Za-z0-9]+", page(outdir, year, source.parent.name).select_one("article")
                           .get_text(" "))
        position = 0
        for index, word in enumerate(words):
            try:
                position = shown.index(word, position) + 1
            except ValueError:
                context = " ".join(words[max(index - 8, 0):index + 3])
                pytest.fail(f"{source.parent.name}: {word!r} is missing after ...{context}...")
        checked += len(words)
    assert checked > 100_000


def test_old_wintersmith_urls_redirect_to_the_new_pages(blog, imported):
    srcdir, outdir, _, _ = imported
    for source in posts(blog):
        slug = source.parent.name
        year, _ = new_location(srcdir, slug)
        redirect = outdir / "articles" / slug / "index.html"
        assert redirect.is_file(), slug
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', redirect.read_text()).group(1)
        assert target == f"../../posts/{year}/{slug}/index.html"
        assert (redirect.parent / target).resolve().is_file()


def test_links_between_posts_point_at_the_new_pages(imported):
    srcdir, outdir, _, _ = imported
    year, _ = new_location(srcdir, "cd-is-working-lets-get-a-site-live-with-loopback")
    links = page(outdir, year, "cd-is-working-lets-get-a-site-live-with-loopback").select("article a[href]")
    target = next(a for a in links if a.get_text() == "Going the Full Mile, Continuous Delivery")
    assert target["href"] == "../going-the-full-mile-continuous-delivery/index.html"
    # an anchor of another post lands on the label the import wrote for it
    year, _ = new_location(srcdir, "aws-beanstalk-worker-with-node-js-and-sqs")
    hrefs = [a["href"] for a in page(outdir, year, "aws-beanstalk-worker-with-node-js-and-sqs")
             .select("article a[href]")]
    assert any(href.endswith("hapijs-aws-worker-publish/index.html#hapijs-aws-worker-publish-mocha")
               for href in hrefs), hrefs


def tree_digest(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_import_again_keeps_hand_edits_and_changes_nothing(blog, tmp_path):
    srcdir = tmp_path / "docs"
    first = run_import(blog, srcdir / "posts")
    assert first.returncode == 0
    edited = srcdir / "posts" / "2017" / "kubecon-dayone-keynotes" / "index.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edit by hand.\n", encoding="utf-8")
    before = tree_digest(srcdir)

    again = run_import(blog, srcdir / "posts")
    assert again.returncode == 0
    assert tree_digest(srcdir) == before
    assert edited.read_text(encoding="utf-8").endswith("\nAn edit by hand.\n")
    assert figure(again.stdout, "posts imported") == 0
    assert figure(again.stdout, "posts skipped") == 136
    assert f"  articles/kubecon-dayone-keynotes/index.md: {edited} exists; left as it is" in again.stdout

    forced = run_import(blog, srcdir / "posts", "--force")
    assert figure(forced.stdout, "posts imported") == 136
    assert "An edit by hand." not in edited.read_text(encoding="utf-8")


def test_serial_and_parallel_builds_are_identical_file_for_file(imported, tmp_path):
    # the fixture's build ran with -j 2; the same sources again with -j 1
    srcdir, outdir, _, _ = imported
    serial = tmp_path / "html"
    build = sphinx_build(srcdir, serial, "-j", "1")
    assert build.returncode == 0, build.stderr
    parallel_files, serial_files = site_files(outdir), site_files(serial)
    assert len(serial_files) > 700  # every page, image, feed, redirect and Pagefind's records
    assert differences(serial_files, parallel_files) == []
