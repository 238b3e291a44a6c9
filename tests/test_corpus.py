"""All 136 posts of the real blog build together, as they are (needs ../shared)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import need_shared, sphinx_build

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def blog_build(tmp_path_factory):
    articles = need_shared("corpora", "adron-blog", "articles")
    srcdir = tmp_path_factory.mktemp("adron") / "src"
    shutil.copytree(articles, srcdir / "articles")
    (srcdir / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\n'
                                    'html_baseurl = "https://blog.example.org/"\n')
    (srcdir / "index.md").write_text("# The blog\n")
    outdir = srcdir.parent / "html"
    result = sphinx_build(srcdir, outdir)
    return articles, outdir, result


def test_builds_without_an_exception(blog_build):
    _, _, result = blog_build
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "Exception occurred" not in result.stderr


def test_every_post_has_its_page_and_title(blog_build):
    articles, outdir, _ = blog_build
    slugs = sorted(path.parent.name for path in articles.glob("*/index.md"))
    assert len(slugs) == 136
    for slug in slugs:
        source = (articles / slug / "index.md").read_text(encoding="utf-8")
        title = re.search(r"^title:\s*(.+)$", source, re.M).group(1).strip().strip("'\"")
        page = BeautifulSoup((outdir / "articles" / slug / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert letters(page.title.get_text()).startswith(letters(title)), slug
        assert letters(page.select_one("article h1").get_text()) == letters(title), slug


def letters(text: str) -> str:
    """Letters and digits only: titles compared across smart quotes, dashes and ellipses."""
    return re.sub(r"[^0-9A-Za-z]", "", text)


def test_confarchive_warnings_are_the_known_content_problems(blog_build):
    _, _, result = blog_build
    ours = sorted(line.split("articles/", 1)[1] for line in result.stderr.splitlines()
                  if "[confarchive." in line and "[confarchive.html]" not in line)
    assert ours == [
        "elasticon-tour-2015-in-seattle/index.md:49: WARNING: image float "
        "'packetbeat-fish-and-cluster.png' has no alt text; add :alt: to describe it [confarchive.image_alt]",
        "elasticon-tour-2015-in-seattle/index.md:61: WARNING: image float "
        "'packetbeat-fish-nodes-bkgd.png' has no alt text; add :alt: to describe it [confarchive.image_alt]",
        "going-the-full-mile-continuous-delivery/index.md:4: WARNING: date '2015-09- 01:04:28' cannot be "
        "read fully (it is not of the form YYYY-MM-DD[ HH:MM[:SS]]); read as 2015-09-01 [confarchive.date]",
        "node-pdx-2016-speaker-liz-abinante/index.md:13: WARNING: image float 'liz.jpg' has no alt text; "
        "add :alt: to describe it [confarchive.image_alt]",
        "node-pdx-2016-speaker-tomomi-imura/index.md:16: WARNING: image float 'jamie-detected.png' has no alt "
        "text; add :alt: to describe it [confarchive.image_alt]",
    ]


def test_the_html_policy_takes_out_the_embeds_scripts_and_styling(blog_build):
    """The blog's tweet widgets, audio players and styling attributes, one warning a line."""
    _, _, result = blog_build
    removed = Counter(line.split("removed ", 1)[1] for line in result.stderr.splitlines()
                      if "[confarchive.html]" in line)
    assert removed == {
        "elements <script>; attributes class, data-lang [confarchive.html]": 50,
        "elements <iframe>; iframe hosts not in confarchive_iframe_hosts: embed.spotify.com [confarchive.html]": 16,
        "elements <iframe>; iframe hosts not in confarchive_iframe_hosts: open.spotify.com [confarchive.html]": 11,
        "elements <script> [confarchive.html]": 9,
        "attributes class [confarchive.html]": 8,
        "attributes name [confarchive.html]": 5,
        "attributes id [confarchive.html]": 2,
        "elements <iframe>; iframe hosts not in confarchive_iframe_hosts: channel9.msdn.com [confarchive.html]": 1,
        "attributes href [confarchive.html]": 1,
        "attributes class, id [confarchive.html]": 1,
        "attributes class, data-lang, style [confarchive.html]": 1,
    }


def test_no_page_of_the_blog_runs_a_script_of_its_own(blog_build):
    _, outdir, _ = blog_build
    for page in (outdir / "articles").rglob("*.html"):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("article")
        assert article.find("script") is None, page
        assert not [element for element in article.find_all(True)
                    if any(name.startswith("on") for name in element.attrs)], page


def test_floated_images_the_corpus_holds_are_shown(blog_build):
    """Every image of a float div whose file is in the corpus is shown, floated on its side."""
    articles, outdir, _ = blog_build
    checked = 0
    for source in sorted(articles.glob("*/index.md")):
        text = source.read_text(encoding="utf-8")
        page = BeautifulSoup((outdir / "articles" / source.parent.name / "index.html")
                             .read_text(encoding="utf-8"), "html.parser")
        for side, inner in re.findall(r'^<div class="image float-(left|right)">\n(.*?)</div>', text, re.M | re.S):
            for alt, src in re.findall(r"!\[([^\]]*)\]\(([^)\s]+)\)", inner):
                if not (source.parent / src).is_file():
                    continue
                # Sphinx renames an image whose file name another post used too: golang-mascot1.png
                stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                shown = [img for img in page.find_all("img", alt=alt)
                         if unquote(img["src"]).rsplit("/", 1)[-1].startswith(stem)
                         and f"align-{side}" in img.find_parent("figure")["class"]]
                assert shown, f"{source.parent.name}: {src} not shown floated {side}"
                checked += 1
    assert checked > 50
