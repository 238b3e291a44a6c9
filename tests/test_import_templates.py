"""Real Hugo and Jekyll blogs as they are: shortcodes, Liquid, kramdown, alerts, site-root links.

The two fixture blogs (``fixtures/import-hugo-site``, ``fixtures/import-jekyll-site``) are
written from Hugo's and Jekyll's documentation of each construct; they import, then build
strictly, and every word of their prose is on the built pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import sphinx_build
from test_import_formats import CONF, FIXTURES, front, import_and_build, page

#: template syntax that must never reach a page as text
LITERAL = re.compile(r"\{\{[<%]|\{%|\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|\{:")
#: what the prose check leaves out of the source: template tags, front matter, addresses
TEMPLATE = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}|\{:[^}]*\}|\[!\w+\]", re.S)


@pytest.fixture(scope="module")
def hugo(tmp_path_factory):
    return import_and_build("import-hugo-site", tmp_path_factory.mktemp("hugo-site"))


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    return import_and_build("import-jekyll-site", tmp_path_factory.mktemp("jekyll-site"))


def sources(blog: str) -> list[Path]:
    root = FIXTURES / blog
    return sorted(path for path in (root / ("content" if blog.startswith("import-hugo") else "_posts")).rglob("*.md")
                  if path.name != "_index.md")


def built_page(srcdir: Path, outdir: Path, source: Path) -> BeautifulSoup:
    """The built page of a fixture post, found by its title."""
    title = re.search(r"^title\s*[:=]\s*\"?(.+?)\"?\s*$", source.read_text(encoding="utf-8"), re.M).group(1)
    for index in srcdir.glob("posts/*/*/index.md"):
        if front(index)["title"] == title:
            return page(outdir, str(index.relative_to(srcdir).with_suffix("")))
    raise AssertionError(f"no imported post is titled {title!r}")


def visible_text(article) -> str:
    article = BeautifulSoup(str(article), "html.parser")
    for hidden in article.select("pre, code, .highlight"):
        hidden.decompose()
    return article.get_text(" ")


def prose_words(source: Path) -> list[str]:
    text = source.read_text(encoding="utf-8")
    body = re.split(r"^(?:---|\+\+\+)\s*$", text, maxsplit=2, flags=re.M)[2]
    body = re.sub(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", r"\1", body, flags=re.S)
    body = re.sub(r"^```.*?^```", " ", body, flags=re.M | re.S)
    body = TEMPLATE.sub(" ", body)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)
    body = re.sub(r"\]\([^)]*\)", " ", body)
    return re.findall(r"[A-Za-z0-9]+", body)


@pytest.mark.parametrize("blog", ["import-hugo-site", "import-jekyll-site"])
def test_no_page_shows_template_syntax_and_every_word_is_there_in_order(blog, hugo, jekyll):
    srcdir, outdir, _ = hugo if blog == "import-hugo-site" else jekyll
    checked = 0
    for source in sources(blog):
        article = built_page(srcdir, outdir, source).select_one("article")
        text = visible_text(article)
        found = LITERAL.search(text)
        assert not found, f"{source.name}: {text[max(found.start() - 60, 0):found.end() + 60]!r}"
        shown = re.findall(r"[A-Za-z0-9]+", article.get_text(" "))
        position = 0
        for index, word in enumerate(prose_words(source)):
            try:
                position = shown.index(word, position) + 1
            except ValueError:
                pytest.fail(f"{source.name}: {word!r} is missing after "
                            f"...{' '.join(prose_words(source)[max(index - 8, 0):index + 1])}")
            checked += 1
    assert checked > 250  # the fixtures hold 269 (Jekyll) and over 700 (Hugo) words of prose


def test_hugo_shortcodes_become_the_archives_directives(hugo):
    srcdir, outdir, report = hugo
    for text in (path.read_text(encoding="utf-8") for path in srcdir.glob("posts/*/*/index.md")):
        assert "{{<" not in text.replace("{{< figure src=\"x\" >}}", "").replace("{{< youtube w7Ft2ymGmfc >}}", "")
    keynotes = page(outdir, "posts/2019/opening-keynotes/index").select_one("article")
    figure = keynotes.select_one("figure")
    assert figure.img["alt"] == "The main stage before the first keynote"
    assert "The main stage, ten minutes before the doors closed." in figure.get_text(" ")
    assert keynotes.select_one(".confarchive-video iframe")["src"].endswith("/embed/w7Ft2ymGmfc")
    links = {a.get_text(" ", strip=True): a["href"] for a in keynotes.select("a[href]")}
    # site-root links: a page of the old site, a file the site serves, another post
    assert links["spec"] == "https://gohugo-example.org/ref/spec#Comparison_operators"
    assert links["dl"] == "https://gohugo-example.org/dl/"
    assert links["slides"].endswith("slides.pdf") and (srcdir / "posts/2019/opening-keynotes/slides.pdf").is_file()
    assert links["workshops post"] == "../hallway-workshops/index.html"

    workshops = page(outdir, "posts/2019/hallway-workshops/index").select_one("article")
    assert "player.vimeo.com/video/55073825" in workshops.select_one(".confarchive-video iframe")["src"]
    assert workshops.select_one("div.highlight-go pre") is not None
    quoted = [a["href"] for a in workshops.select("blockquote a")]
    assert quoted == ["https://twitter.com/SanDiegoZoo/status/1453110110599868418",
                      "https://twitter.com/golang/status/1035193716283314176"]
    assert workshops.select_one('a[href="https://gist.github.com/spf13/7896402"]') is not None

    bundle = page(outdir, "posts/2019/some-bundle/index").select_one("article")
    assert [a["href"] for a in bundle.select("a.reference.internal") if "index.html" in a["href"]] == [
        "../opening-keynotes/index.html", "../hallway-workshops/index.html"]

    notices = page(outdir, "posts/2019/notices-and-nesting/index").select_one("article")
    callouts = [(sorted(set(div["class"]) - {"admonition", "confarchive-callout"}),
                 div.select_one(".admonition-title").get_text(strip=True))
                for div in notices.select("div.confarchive-callout")]
    assert callouts == [(["note"], "Note"), (["warning"], "Warning"), (["tip"], "Tip"), (["note"], "Note"),
                        (["tip"], "Bring a charger")]
    # nested: the figure inside the warning, the notice inside the details
    assert notices.select_one("div.warning figure img")["alt"] == "A slide with two benchmark charts"
    assert notices.select_one("details div.note") is not None
    # and no stray container: each notice's fence is longer than the figure's inside it
    assert not [div for div in notices.select("div") if div.get("class") == ["docutils"]]

    escapes = page(outdir, "posts/2019/writing-shortcodes/index").select_one("article")
    assert '{{< figure src="x" >}}' in escapes.select_one("pre").get_text()
    inline = [code.get_text(" ", strip=True) for code in escapes.select("p code")]
    assert inline == ["{{% notice tip %}}", "{{< youtube w7Ft2ymGmfc >}}"]

    for kind, count in (("Hugo notice", 4), ("Hugo details", 1), ("Hugo shortcode escape", 3), ("Hugo figure", 3),
                        ("Hugo youtube", 1), ("Hugo vimeo", 1), ("Hugo tweet", 1), ("Hugo x", 1), ("Hugo gist", 1),
                        ("Hugo highlight", 1), ("Hugo ref", 1), ("Hugo relref", 1), ("github alert", 1),
                        ("link to a file of the site", 1)):
        assert re.search(rf"^  {re.escape(kind)} +{count} +0 +0$", report, re.M), (kind, report)


def test_jekyll_liquid_and_kramdown(jekyll):
    srcdir, outdir, report = jekyll
    keynote = page(outdir, "posts/2019/opening-keynote/index").select_one("article")
    assert "Welcome to Talk Notes from RubyConf, where" in " ".join(keynote.get_text(" ").split())
    figure = keynote.select_one("figure")
    assert figure.img["alt"] == "The keynote stage with the big screen"
    assert (srcdir / "posts/2019/opening-keynote/a.png").is_file()
    assert keynote.select_one("div.highlight-ruby pre") is not None
    # {: .note} made the paragraph a callout; {:target="_blank"} went
    callouts = [div.select_one(".admonition-title").get_text(strip=True) for div in
                keynote.select("div.confarchive-callout")]
    assert callouts == ["Note", "Important"]
    assert keynote.select_one('a[href="https://example.com/slides/keynote"]').get("target") is None

    liquid = page(outdir, "posts/2019/workshops-and-liquid/index").select_one("article")
    internal = [a["href"] for a in liquid.select("a.reference.internal") if "opening-keynote" in a["href"]]
    assert internal == ["../opening-keynote/index.html"] * 2  # post_url and link
    assert "{{ page.title }}" in liquid.select_one("div.highlight-liquid pre").get_text()
    assert "{{ site.url }}" in [code.get_text(" ", strip=True) for code in liquid.select("p code")]
    assert liquid.select_one("div.note").get_text(" ", strip=True).endswith("try on Monday morning.")
    for kind in ("Liquid highlight", "Liquid include (image)", "Liquid link", "Liquid post_url", "Liquid raw",
                 "Liquid variable", "kramdown attribute list (note)"):
        assert re.search(rf"^  {re.escape(kind)} +[1-9]\d* +0 +0$", report, re.M), (kind, report)


def copy_blog(blog: str, tmp_path: Path) -> Path:
    copied = tmp_path / blog
    shutil.copytree(FIXTURES / blog, copied)
    return copied


def run_import(source: Path, into: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "confarchive", "import", str(source), "--into", str(into), *args],
                          capture_output=True, text=True, check=False)


def problem_lines(report: str) -> list[str]:
    problems = report.split("\nProblems:\n", 1)[-1]
    return [line.strip() for line in problems.splitlines() if re.match(r"\s+\S+:\d+:", line)]


def build_quietly(srcdir: Path, outdir: Path) -> None:
    (srcdir / "conf.py").write_text(CONF)
    (srcdir / "index.md").write_text("# The archive\n\n:::{postlist}\n:::\n")
    build = sphinx_build(srcdir, outdir, "-W", "--keep-going")
    assert build.returncode == 0 and "WARNING" not in build.stderr, build.stderr


def test_unknown_shortcode_and_liquid_tag_stay_visible_with_one_located_line(tmp_path):
    hugo = copy_blog("import-hugo-site", tmp_path)
    (hugo / "content/posts/custom.md").write_text(
        '---\ntitle: "Custom"\ndate: 2019-08-01\n---\n\nThe speaker\'s gear:\n\n'
        '{{< gear-list kind="audio" >}}\n\nThat was all.\n', encoding="utf-8")
    result = run_import(hugo, tmp_path / "hugo/posts")
    assert result.returncode == 0, result.stderr
    custom = [line for line in problem_lines(result.stdout) if "custom.md" in line]
    assert custom == ["content/posts/custom.md:2: [author] no author in the front matter; written as 'Rita Pike', "
                      "the blog's owner",
                      "content/posts/custom.md:8: [template] shortcode '{{< gear-list kind=\"audio\" >}}' is not one "
                      "the import knows; kept as text"]
    assert re.search(r"^  Hugo shortcode \(unknown\) +0 +1 +0$", result.stdout, re.M)
    build_quietly(tmp_path / "hugo", tmp_path / "hugo-html")
    article = page(tmp_path / "hugo-html", "posts/2019/custom/index").select_one("article")
    assert '{{< gear-list kind="audio" >}}' in [code.get_text(" ", strip=True) for code in article.select("code")]

    jekyll = copy_blog("import-jekyll-site", tmp_path)
    (jekyll / "_posts/2019-11-20-custom.md").write_text(
        "---\ntitle: Custom\n---\nThe schedule:\n\n{% schedule day=2 %}\n\nSee you there.\n", encoding="utf-8")
    result = run_import(jekyll, tmp_path / "jekyll/posts")
    assert result.returncode == 0, result.stderr
    custom = [line for line in problem_lines(result.stdout) if "custom.md" in line and "[template]" in line]
    assert custom == ["_posts/2019-11-20-custom.md:6: [template] template tag '{% schedule day=2 %}' has no "
                      "meaning here; kept as text"]
    assert re.search(r"^  Liquid tag \(unknown\) +0 +1 +0$", result.stdout, re.M)
    build_quietly(tmp_path / "jekyll", tmp_path / "jekyll-html")
    article = page(tmp_path / "jekyll-html", "posts/2019/custom/index").select_one("article")
    assert "{% schedule day=2 %}" in [code.get_text(" ", strip=True) for code in article.select("code")]


def test_site_root_links_without_a_site_address_are_reported_once_per_post(tmp_path):
    hugo = copy_blog("import-hugo-site", tmp_path)
    config = hugo / "hugo.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('baseURL = "https://gohugo-example.org/"\n', ""))
    result = run_import(hugo, tmp_path / "docs/posts")
    assert result.returncode == 0, result.stderr
    links = [line for line in problem_lines(result.stdout) if "[link]" in line]
    assert links == ["content/posts/opening-keynotes.md:18: [link] 2 links point at pages of the old site that are "
                     "not posts of this import (/ref/spec, /dl/), and the site's address is not known: written as "
                     "their text; --site-url URL writes them as links to the old site"]
    build_quietly(tmp_path / "docs", tmp_path / "html")
    keynotes = page(tmp_path / "html", "posts/2019/opening-keynotes/index").select_one("article")
    assert "pointing the audience at the spec whenever" in " ".join(keynotes.get_text(" ").split())
    assert links and not keynotes.select('a[href*="/ref/spec"]')
    # the file the site serves and the other post still become what they are
    hrefs = [a["href"] for a in keynotes.select("a[href]")]
    assert any(href.endswith("/slides.pdf") for href in hrefs) and "../hallway-workshops/index.html" in hrefs

    given = run_import(hugo, tmp_path / "given/posts", "--site-url", "https://old.example.net/blog/")
    assert given.returncode == 0, given.stderr
    text = (tmp_path / "given/posts/2019/opening-keynotes/index.md").read_text(encoding="utf-8")
    assert "[spec](https://old.example.net/blog/ref/spec#Comparison_operators)" in text
    bad = run_import(hugo, tmp_path / "bad/posts", "--site-url", "javascript:alert(1)")
    assert bad.returncode == 2 and "--site-url 'javascript:alert(1)' is not an http(s) address" in bad.stderr


def test_header_lines_and_a_first_heading_are_read_as_front_matter(tmp_path):
    blog = tmp_path / "blog"
    posts = blog / "content" / "posts"
    posts.mkdir(parents=True)
    (blog / "hugo.toml").write_text('title = "Notes"\n[params]\nauthor = "Rita Pike"\n')
    (posts / "pandoc.md").write_text("% Notes from PyCon\n% Ann Lee; Bo Chen\n% 2019-05-03\n\nThe first talk.\n")
    (posts / "pelican.md").write_text("Title: Sprints at PyCon\nAuthor: Ann Lee\nDate: 2019-05-06\n"
                                      "Tags: python, sprints\n\nWe stayed for the sprints.\n")
    (posts / "heading.md").write_text("# Lightning Talks\n\nAuthor: Bo Chen\nDate: 2019-05-05\n\nFive minutes each.\n")
    (posts / "plain.md").write_text("# Posters\n\nNote: the posters were in the hall.\n")
    result = run_import(blog, tmp_path / "docs/posts")
    assert result.returncode == 0, result.stderr
    written = {path.parent.name: (front(path), path.read_text(encoding="utf-8").split("---\n", 2)[2])
               for path in (tmp_path / "docs/posts").glob("*/*/index.md")}
    pandoc, body = written["pandoc"]
    assert (pandoc["title"], pandoc["author"], str(pandoc["date"])) == ("Notes from PyCon", ["Ann Lee", "Bo Chen"],
                                                                         "2019-05-03")
    assert body.strip() == "The first talk."
    pelican, body = written["pelican"]
    assert (pelican["title"], pelican["author"], pelican["tags"]) == ("Sprints at PyCon", ["Ann Lee"],
                                                                      ["python", "sprints"])
    assert body.strip() == "We stayed for the sprints."
    heading, body = written["heading"]
    assert (heading["title"], heading["author"], str(heading["date"])) == ("Lightning Talks", ["Bo Chen"],
                                                                           "2019-05-05")
    assert body.strip() == "Five minutes each."
    # not a header: a heading and a sentence with a colon stay a heading and a sentence
    plain, body = written["plain"]
    assert plain["title"] == "Posters" and body.strip() == "Note: the posters were in the hall."
    build_quietly(tmp_path / "docs", tmp_path / "html")
