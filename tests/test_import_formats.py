"""Small Jekyll and Hugo blogs import and build cleanly: front matter, bundles, aliases, embeds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from confarchive.importer import detect_format, import_blog

from conftest import sphinx_build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'


def import_and_build(blog: str, tmp_path: Path):
    srcdir = tmp_path / "docs"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(CONF)
    (srcdir / "index.md").write_text("# The archive\n\n:::{postlist}\n:::\n")
    result = subprocess.run([sys.executable, "-m", "confarchive", "import", str(FIXTURES / blog),
                             "--into", str(srcdir / "posts")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    build = sphinx_build(srcdir, tmp_path / "html", "-W", "--keep-going")
    assert build.returncode == 0 and "WARNING" not in build.stderr, build.stderr
    return srcdir, tmp_path / "html", result.stdout


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def page(outdir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def redirect(outdir: Path, path: str) -> str:
    return re.search(r'url=([^"]+)"', (outdir / path).read_text(encoding="utf-8")).group(1)


def test_formats_are_told_apart():
    assert detect_format(FIXTURES / "import-jekyll") == "jekyll"
    assert detect_format(FIXTURES / "import-hugo") == "hugo"
    assert detect_format(FIXTURES) is None


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    return import_and_build("import-jekyll", tmp_path_factory.mktemp("jekyll"))


def test_jekyll_front_matter_is_normalised(jekyll):
    srcdir, _, _ = jekyll
    assert front(srcdir / "posts/2016/first-post/index.md") == {
        "title": "PyCon Day One: Keynotes", "author": ["Jane Doe"], "date": __import__("datetime").date(2016, 3, 4),
        "tags": ["pycon", "python", "conference notes"],
        "legacy": {"categories": ["conference notes"], "layout": "post"},
    }
    second = front(srcdir / "posts/2016/second-post/index.md")
    assert second["author"] == ["John Roe"] and second["summary"] == "Day two, with the talks and the sprints."
    assert second["date"].isoformat() == "2016-05-06T18:30:00-04:00"
    assert second["legacy"] == {"layout": "post", "permalink": "/talks/second/", "comments": True}
    draft = next((srcdir / "posts").glob("*/unfinished-thoughts/index.md"))
    assert front(draft)["draft"] is True


def test_jekyll_body_becomes_clean_myst(jekyll):
    srcdir, outdir, report = jekyll
    text = (srcdir / "posts/2016/first-post/index.md").read_text(encoding="utf-8")
    assert "```python\ndef greet" in text and "{%" not in text and "{{" not in text
    assert "<!-- more -->" in text
    assert "![The main stage](stage.png)" in text and (srcdir / "posts/2016/first-post/stage.png").is_file()
    built = page(outdir, "posts/2016/first-post/index")
    hrefs = [a["href"] for a in built.select("article a.reference.internal")]
    assert "../second-post/index.html" in hrefs
    assert "../second-post/index.html#second-post-lightning-talks" in hrefs
    second = page(outdir, "posts/2016/second-post/index")
    assert second.select_one(".confarchive-video iframe")["src"] == "https://player.vimeo.com/video/76979871?dnt=1"
    quote = second.select_one("article blockquote")
    assert "Sprints start tomorrow" in quote.get_text()
    assert quote.select_one('a[href="https://twitter.com/janedoe/status/1234567890"]')
    assert "platform.twitter.com" not in str(second)
    assert "_posts/2016-05-06-second-post.markdown:4: [date] date '2016-05-06 18:30:00 -0400' is not ISO 8601; " \
           "written as 2016-05-06T18:30:00-04:00" in report


def test_jekyll_permalinks_redirect_with_the_sites_base_path(jekyll):
    _, outdir, _ = jekyll
    assert redirect(outdir, "blog/conference-notes/2016/03/04/first-post/index.html") == \
        "../../../../../../posts/2016/first-post/index.html"
    assert redirect(outdir, "blog/talks/second/index.html") == "../../../posts/2016/second-post/index.html"


@pytest.fixture(scope="module")
def hugo(tmp_path_factory):
    return import_and_build("import-hugo", tmp_path_factory.mktemp("hugo"))


def test_hugo_toml_and_yaml_front_matter(hugo):
    srcdir, _, report = hugo
    plain = front(srcdir / "posts/2018/plain-post/index.md")
    assert plain["title"] == "GopherCon Recap" and plain["author"] == ["Sam Hugo"]
    assert plain["date"].isoformat() == "2018-08-30T09:15:00-06:00"
    assert plain["tags"] == ["go", "gophercon", "recaps"] and plain["summary"] == "What we saw at GopherCon."
    assert plain["legacy"] == {"categories": ["recaps"], "aliases": ["/old/gophercon-recap/"], "weight": 10}
    bundle = front(srcdir / "posts/2018/bundle-post/index.md")
    assert bundle["author"] == ["Sam Hugo", "Alex Lens"]
    assert "content/_index.md: a Hugo section page (_index.md), not a post" in report


def test_hugo_bundles_shortcodes_and_excerpt(hugo):
    srcdir, outdir, _ = hugo
    assert (srcdir / "posts/2018/bundle-post/photo.png").is_file()
    assert (srcdir / "posts/2018/plain-post/logo.png").is_file()  # from static/, by its site path
    text = (srcdir / "posts/2018/plain-post/index.md").read_text(encoding="utf-8")
    assert ":::{video} https://www.youtube.com/watch?v=dQw4w9WgXcQ" in text and "{{<" not in text
    built = page(outdir, "posts/2018/bundle-post/index")
    figure = built.select_one("article figure")
    assert figure.img["alt"] == "The Go gopher on stage" and "The gopher, on stage." in figure.get_text()
    assert built.select_one('article blockquote a[href="https://twitter.com/golang/status/1035193716283314176"]')
    plain = page(outdir, "posts/2018/plain-post/index")
    assert plain.select_one(".confarchive-video iframe")["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert "../bundle-post/index.html" in [a["href"] for a in plain.select("article a.reference.internal")]
    # the text before <!--more--> is the post's excerpt in listings
    assert "<!-- more -->" in (srcdir / "posts/2018/bundle-post/index.md").read_text(encoding="utf-8")
    summaries = {summary.select_one(".confarchive-post-title").get_text(strip=True):
                 " ".join(" ".join(p.get_text(" ") for p in summary.select(".confarchive-excerpt")).split())
                 for summary in page(outdir, "index").select(".confarchive-post-summary")}
    assert summaries["GopherCon in Pictures"] == ("A page bundle: the pictures sit beside the post. "
                                                  "Both paragraphs above the marker make the excerpt.")


def test_hugo_paths_and_aliases_redirect(hugo):
    _, outdir, _ = hugo
    assert redirect(outdir, "2018/08/plain-post/index.html") == "../../../posts/2018/plain-post/index.html"
    assert redirect(outdir, "old/gophercon-recap/index.html") == "../../posts/2018/plain-post/index.html"
    assert redirect(outdir, "pictures/gophercon/index.html") == "../../posts/2018/bundle-post/index.html"
    assert redirect(outdir, "2018/09/bundle-post/index.html") == "../../../posts/2018/bundle-post/index.html"


def test_dry_run_writes_nothing(tmp_path):
    report = import_blog(FIXTURES / "import-hugo", tmp_path / "docs" / "posts", dry_run=True)
    assert len(report.imported) == 2 and report.images_copied == 2
    assert "(dry run: nothing written)" in report.render()
    assert not (tmp_path / "docs").exists()


def test_wintersmith_blog_with_a_page_bundle(tmp_path):
    blog = tmp_path / "blog"
    (blog / "contents" / "articles" / "hello").mkdir(parents=True)
    (blog / "config.json").write_text('{"locals": {"url": "https://old.example.org", "owner": "Wendy Smith"}}')
    (blog / "contents" / "articles" / "hello" / "index.md").write_text(
        "---\ntitle: Hello\ndate: 2014-2-3\ntemplate: article.jade\n---\nHi, see ![a cat](cat.png).\n")
    shutil.copy(FIXTURES / "import-hugo" / "static" / "images" / "logo.png",
                blog / "contents" / "articles" / "hello" / "cat.png")
    report = import_blog(blog, tmp_path / "docs" / "posts")
    post = tmp_path / "docs" / "posts" / "2014" / "hello"
    assert front(post / "index.md") == {"title": "Hello", "author": ["Wendy Smith"],
                                        "date": __import__("datetime").date(2014, 2, 3), "tags": [],
                                        "legacy": {"template": "article.jade"}}
    assert (post / "cat.png").is_file() and report.images_copied == 1
    assert yaml.safe_load((tmp_path / "docs" / "redirects.yaml").read_text()) == \
        {"/articles/hello/": "posts/2014/hello/index"}
