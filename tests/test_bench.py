"""The benchmark's corpus generator: reading pyvideo, grouping talks, rendering safe MyST."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from markdown_it.renderer import RendererHTML

from bench import corpus
from bench.__main__ import edit_front_matter

HOSTILE = [
    "::: {speaker} Mallory",
    "# Not a heading",
    "1. not a list",
    "- not a list either",
    "> not a quote",
    "`code` and ``more`` and *emphasis* and _under_ and **strong**",
    "<script>alert(1)</script> <!-- more --> &amp; &#60;",
    "{role}`content` and {{ substitution }} and $math$",
    "[a link](https://example.com) and ![an image](x.png) and [empty]()",
    "(label)= and % comment and +++ break",
    "Title\n=====",
    "trailing backslash \\",
    ".. code-block:: python\n\n    print('rst')",
    "<div class=\"image float-right\">",
    "> **NOTE: a callout**",
    "### [Dan Kohn](https://twitter.com/dankohn1)",
    "C# and F# ##",
]


def render_html(markdown: str) -> str:
    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    return parser.render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_is_one_paragraph_of_itself(text):
    rendered = render_html(corpus.escape(text))
    assert rendered.startswith("<p>") and rendered.rstrip().endswith("</p>")
    assert rendered.count("<p>") == 1
    inner = rendered.strip()[3:-4]
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(inner) == " ".join(text.split())


def test_paragraphs_split_on_blank_lines_and_collapse_whitespace():
    text = "First line\nstill first.\n\n\n  Second\tparagraph  \n\u2028odd break\x00"
    assert corpus.paragraphs(text) == ["First line still first.", "Second paragraph odd break"]


def talk(key: str, title: str = "A talk", speakers=("Ada Lovelace",), recorded="2019-05-03",
         description="Prose.", tags=("python",)) -> corpus.Talk:
    return corpus.Talk(key, title, tuple(corpus.Speaker(name) for name in speakers), recorded,
                       description, tuple(tags))


def test_confarchive_post_has_front_matter_sections_and_cards():
    talks = (
        corpus.Talk("ev/a", "Talk {one}: `code`", (corpus.Speaker("Ada", (("twitter", "https://twitter.com/ada"),)),),
                    "2019-05-03", "Line one.\n\n# Not a heading", ("web", "python")),
        talk("ev/b", "Second", speakers=("Bob", "Carol"), tags=("python", "data")),
        talk("ev/c", "No speaker", speakers=()),
    )
    post = corpus.make_post(corpus.Event("ev", "Event: 2019", "", talks), talks, 1, 2)
    text = corpus.render_post(post, "confarchive")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"title": "Event: 2019, part 1 of 2", "author": corpus.AUTHOR, "date": "2019-05-03",
                     "event": "Event: 2019", "tags": ["web", "python", "data"],
                     "summary": "3 talks from Event: 2019"}
    assert post.docname == "posts/2019/ev-1/index"
    assert re.findall(r"^## .*$", text, re.M) == ["## Talk \\{one\\}: \\`code\\`", "## Second", "## No speaker"]
    assert re.findall(r"^:::\{speaker\} (.*)$", text, re.M) == ["Ada", "Bob", "Carol"]
    assert ":twitter: https://twitter.com/ada" in text
    assert "\n\\# Not a heading\n" in text
    assert not re.search(r"^# ", text, re.M)  # confarchive makes the title the H1


def test_plain_post_is_an_orphan_with_a_title_and_no_directives():
    talks = (corpus.Talk("ev/a", "T", (corpus.Speaker("Ada *A*", (("github", "https://github.com/ada"),)),),
                         None, "", ()),)
    post = corpus.make_post(corpus.Event("ev", "Event", "About the event.", talks), talks, 1, 1)
    text = corpus.render_post(post, "plain")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["orphan"] is True and "date" not in front
    assert post.docname == "posts/undated/ev/index"
    assert "\n# Event\n" in text and "{speaker}" not in text
    assert "**Ada \\*A\\*** · [github](https://github.com/ada)" in text
    assert "About the event." in text


def test_profile_links_take_profiles_only():
    related = ["https://twitter.com/ada", {"label": "code", "url": "https://github.com/ada"},
               "https://github.com/ada/project", "javascript:alert(1)", "https://example.com/ada",
               {"label": "x", "url": "http://x.com/other?ref=1"}, 42]
    assert corpus.profile_links(related) == (("github", "https://github.com/ada"),
                                             ("twitter", "https://twitter.com/ada"))


def write_data(root: Path) -> None:
    (root / ".schemas").mkdir(parents=True)
    (root / ".schemas" / "category.json").write_text("{}")
    (root / "NO_PUBLISH.json").write_text("[13]")
    for event, count in (("alpha-2019", 16), ("beta-2020", 3)):
        videos = root / event / "videos"
        videos.mkdir(parents=True)
        (root / event / "category.json").write_text(json.dumps({"title": event.title()}))
        for number in range(count):
            record = {"title": f"{event} talk {number}", "speakers": [f"Speaker {number}"],
                      "recorded": f"{event[-4:]}-01-{number + 1:02d}", "description": "Text.",
                      "tags": ["t"], "videos": []}
            if number == 5:
                record["id"] = 13
            (videos / f"talk-{number:02d}.json").write_text(json.dumps(record))


def test_load_events_honours_no_publish_and_skips_schemas(tmp_path):
    write_data(tmp_path)
    data = corpus.load_events(tmp_path)
    assert [event.slug for event in data.events] == ["alpha-2019", "beta-2020"]
    assert data.withheld == ["alpha-2019/talk-05"]
    assert data.talk_count == 18
    assert all(t.key != "alpha-2019/talk-05" for event in data.events for t in event.talks)


def test_plans_are_deterministic_nested_and_bounded(tmp_path):
    write_data(tmp_path)
    data = corpus.load_events(tmp_path)
    # alpha: 15 talks -> groups of 7, 7, 1; beta: 3 talks -> one group
    assert len(corpus.plan_posts(data, 4)) == 4
    with pytest.raises(ValueError):
        corpus.plan_posts(data, 5)
    small, large = corpus.plan_posts(data, 2), corpus.plan_posts(data, 4)
    assert small == corpus.plan_posts(data, 2)
    assert {p.docname for p in small} <= {p.docname for p in large}
    assert all(1 <= len(p.talks) <= corpus.TALKS_PER_POST for p in large)
    assert sum(len(p.talks) for p in large) == data.talk_count
    whole = corpus.whole_set_posts(data)
    assert [len(p.talks) for p in whole] == [15, 3]
    assert whole[0].docname == "posts/2019/alpha-2019/index"


def test_write_site_writes_both_variants(tmp_path):
    write_data(tmp_path / "data")
    posts = corpus.plan_posts(corpus.load_events(tmp_path / "data"), 2)
    for variant in corpus.VARIANTS:
        written = corpus.write_site(posts, tmp_path / variant, variant)
        assert sorted(written) == sorted(["conf.py", "index.md", *(f"{p.docname}.md" for p in posts)])
        assert ("confarchive" in (tmp_path / variant / "conf.py").read_text()) == (variant == "confarchive")


def test_edit_front_matter_rewrites_only_the_front_matter(tmp_path):
    source = tmp_path / "post.md"
    source.write_text('---\ntitle: "T"\nevent: "Old"\ntags: ["a"]\n---\n\nevent: stays\n')
    edit_front_matter(source, event="New: event", tags=["b", "c"])
    assert source.read_text() == '---\ntitle: "T"\nevent: "New: event"\ntags: ["b", "c"]\n---\n\nevent: stays\n'


def test_queries_refuses_a_folder_without_an_index(tmp_path, capsys):
    from bench.__main__ import main

    assert main(["--queries", str(tmp_path)]) == 2
    assert "holds no pagefind/ folder" in capsys.readouterr().err


def test_the_program_benchmark_finds_every_talk_reachable(tmp_path):
    """``bench --program`` on the two pyvideo events of the fixtures: each talk has its page,
    linked from its event's page and from each of its speakers' pages."""
    from bench import program

    data = Path(__file__).parent / "fixtures" / "program-pyvideo"
    results = program.run(data, tmp_path, repeat=1, code=None, progress=lambda message: None)
    assert results["events"] == 2
    assert results["talk_pages"] == 18 == results["linked_from_event"]
    assert results["talks_missing_a_speaker_link"] == 0
    assert results["builds"]["program"]["warnings"] == 0
    assert "| with every pyvideo event's program (2 events) |" in program.table(results)
