"""A post's social preview is an article's: summary or first sentence, type, time, tags, card."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import sphinx_build

CONF = 'extensions = ["confarchive"]\nhtml_theme = "furo"\nhtml_baseurl = "https://archive.example.org/"\n'


def metas(page: Path) -> dict[str, list[str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found.setdefault(key, []).append(tag.get("content"))
    return found


def test_previews_come_from_the_post_not_from_its_first_image(tmp_path):
    src = tmp_path / "src"
    (src / "posts" / "2019" / "summed").mkdir(parents=True)
    (src / "posts" / "2019" / "plain").mkdir(parents=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text("# Archive\n\n:::{postlist}\n:::\n")
    (src / "posts" / "2019" / "summed" / "index.md").write_text(
        "---\ntitle: Summed up\ndate: 2019-05-03T10:00:00\ntags: [python, \"<b>bold</b>\"]\n"
        "summary: The keynotes of day one, \"in short\" & <quoted>.\n---\n\n"
        "```{figure} https://example.org/stage.png\n:alt: The stage before the keynote\n\nA caption.\n```\n\n"
        "The morning began early. Then more.\n")
    (src / "posts" / "2019" / "plain" / "index.md").write_text(
        "---\ntitle: Plain\ndate: 2019-05-04\n---\n\nThe hall was full by nine. Nobody left early.\n")
    build = sphinx_build(src, tmp_path / "html", "-W", "--keep-going")
    assert build.returncode == 0, build.stderr

    summed = metas(tmp_path / "html/posts/2019/summed/index.html")
    assert summed["og:description"] == ['The keynotes of day one, "in short" & <quoted>.']
    assert summed["description"] == ['The keynotes of day one, "in short" & <quoted>.']
    assert summed["og:type"] == ["article"]
    assert summed["article:published_time"] == ["2019-05-03T10:00:00"]
    assert summed["article:tag"] == ["python", "<b>bold</b>"]
    assert summed["twitter:card"] == ["summary_large_image"]
    raw = (tmp_path / "html/posts/2019/summed/index.html").read_text(encoding="utf-8")
    assert "<quoted>" not in raw and "<b>bold</b>" not in raw  # escaped on the way out

    plain = metas(tmp_path / "html/posts/2019/plain/index.html")
    assert plain["og:description"] == ["The hall was full by nine."]
    assert plain["twitter:card"] == ["summary"] and plain["og:type"] == ["article"]
    # a page that is not a post keeps sphinxext-opengraph's own
    index = metas(tmp_path / "html/index.html")
    assert index["og:type"] == ["website"] and "article:published_time" not in index
