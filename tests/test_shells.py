"""Archive pages rendered through a shell are the pages the template renders."""

from __future__ import annotations

from jinja2 import Environment

from confarchive.archive.templates import SHELL, PageShells

TEMPLATE = """<html><head>{{ metatags }}<title>{{ title|striptags|e }} - Site</title>
{%- if pageurl %}<link rel="canonical" href="{{ pageurl|e }}">{% endif %}</head>
<body><nav>{{ nav }}</nav><main>{{ body }}</main></body></html>"""
#: a theme that writes the page's name: shells cannot serve it
NAMED = TEMPLATE.replace("<main>", "<main data-page='{{ pagename }}'>")


def renderer(source: str) -> tuple[PageShells, list[str]]:
    template = Environment().from_string(source)
    calls: list[str] = []

    def render(name: str, context: dict) -> str:
        calls.append(context["pagename"])
        return template.render(context)

    return PageShells(render), calls


def page(name: str, title: str, **extra) -> dict:
    return {"pagename": name, "title": title, "body": f"<p>{title} &amp; more</p>", "metatags": f"<meta x='{name}'>",
            "pageurl": f"https://example.org/{name}.html?a=1&b=2", "nav": "<a href='../index.html'>Home</a>",
            SHELL: True, **extra}


def test_a_shell_gives_what_the_template_gives():
    shells, calls = renderer(TEMPLATE)
    full = Environment().from_string(TEMPLATE)
    titles = ["Ada Lovelace", "Sean O'Donnell", "Tom &amp; Jerry", "A <b>bold</b> name", "Zoë"]
    for number, title in enumerate(titles):
        context = page(f"archive/speakers/p{number}", title)
        assert shells("page.html", context) == full.render(context)
    # every page from the shell; the template ran for the shell and three checks
    assert shells.rendered == 5 and len(calls) == 4


def test_pages_without_a_canonical_address_get_their_own_shell():
    shells, _ = renderer(TEMPLATE)
    full = Environment().from_string(TEMPLATE)
    for number in range(4):
        context = page(f"archive/tags/t{number}", f"Tag {number}", pageurl=None)
        assert shells("page.html", context) == full.render(context)
    assert len(shells.shells) == 1 and "canonical" not in next(iter(shells.shells.values()))[0]


def test_a_template_that_names_the_page_is_rendered_in_full():
    shells, calls = renderer(NAMED)
    full = Environment().from_string(NAMED)
    for number in range(5):
        context = page(f"archive/events/e{number}", f"Event {number}")
        assert shells("page.html", context) == full.render(context)
    # the first page matches the shell its own context made; the second shows the difference
    assert shells.rendered == 1
    # the shell, the first page checked, then every page in full
    assert calls == ["archive/events/e0", "archive/events/e0"] + [f"archive/events/e{n}" for n in range(1, 5)]


def test_other_pages_are_left_to_the_template():
    shells, calls = renderer(TEMPLATE)
    context = page("posts/one", "One")
    del context[SHELL]
    assert shells("page.html", context) == Environment().from_string(TEMPLATE).render(context)
    assert calls == ["posts/one"] and shells.shells == {}
