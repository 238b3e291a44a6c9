"""The sitemap lists every page after every build, incremental ones too, sorted by address."""

from __future__ import annotations

import multiprocessing
import queue
import shutil
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS, sphinx_build
from confarchive.publish.sitemap import PageLinks
from test_incremental import CONF, Site, post

BASE = "https://archive.example.org/"


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def sitemap_addresses(out: Path) -> list[str]:
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ElementTree.parse(out / "sitemap.xml").getroot()
    return [url.findtext(f"{namespace}loc") for url in root.iter(f"{namespace}url")]


def edit(site: Site, number: int) -> None:
    path = site.src / "posts" / f"p{number}.md"
    path.write_text(path.read_text().replace(f"Body of {number}.", f"Body of {number}, edited."))


def test_the_sitemap_lists_every_page_after_a_rebuild(site, tmp_path):
    # sphinx-sitemap alone lists only the pages a build writes: after an edit, the sitemap
    # would hold the edited post and the pages Sphinx writes every time
    addresses = sitemap_addresses(site.out)
    assert addresses == sorted(set(addresses))
    assert {f"{BASE}index.html", f"{BASE}posts/p1.html", f"{BASE}archive/tags/common.html",
            f"{BASE}archive/speakers/sp6.html", f"{BASE}archive/page/2.html"} <= set(addresses)

    edit(site, 2)
    (site.src / "posts" / "p7.md").write_text(post(7, "gamma-conf", ["t1"], date="2020-07-01"))
    before = site.build()
    assert "posts/p1.html" not in site.rewritten(before)
    clean = sphinx_build(site.src, tmp_path / "clean", "-W")
    assert clean.returncode == 0, clean.stderr
    assert (site.out / "sitemap.xml").read_bytes() == (tmp_path / "clean" / "sitemap.xml").read_bytes()
    assert {f"{BASE}posts/p1.html", f"{BASE}posts/p7.html", f"{BASE}archive/events/gamma-conf.html"} \
        <= set(sitemap_addresses(site.out))


def test_the_sitemap_is_the_same_with_parallel_writers(site, tmp_path):
    parallel = sphinx_build(site.src, tmp_path / "parallel", "-W", "-j", "2")
    assert parallel.returncode == 0, parallel.stderr
    assert (tmp_path / "parallel" / "sitemap.xml").read_bytes() == (site.out / "sitemap.xml").read_bytes()


def test_sitemap_excludes_applies_to_pages_written_or_not(site, tmp_path):
    (site.src / "conf.py").write_text(CONF + 'sitemap_excludes = ["archive/speakers/*"]\n')
    fresh = sphinx_build(site.src, tmp_path / "fresh", "-W")  # every page written
    assert fresh.returncode == 0, fresh.stderr
    site.build()
    edit(site, 2)
    before = site.build()
    assert "archive/speakers/sp2.html" not in site.rewritten(before)
    for out in (tmp_path / "fresh", site.out):
        addresses = sitemap_addresses(out)
        assert not any("/archive/speakers/" in address for address in addresses), out
        assert f"{BASE}archive/tags/common.html" in addresses


def test_a_failed_build_leaves_the_last_sitemap(site):
    complete = (site.out / "sitemap.xml").read_bytes()
    (site.src / "conf.py").write_text(CONF + (
        "def fail(app, pagename, templatename, context, doctree):\n"
        "    if pagename == 'posts/p3':\n"
        "        raise RuntimeError('stop')\n"
        "def setup(app):\n"
        "    app.connect('html-page-context', fail)\n"))
    edit(site, 3)  # so that the build writes it
    result = sphinx_build(site.src, site.out)
    assert result.returncode != 0 and "stop" in result.stderr
    assert (site.out / "sitemap.xml").read_bytes() == complete


def test_a_second_build_of_one_application_lists_its_own_pages(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-archive-small", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        first = sitemap_addresses(app.outdir)
        assert f"{BASE}index.html" in first
        shutil.copy(next((srcdir / "posts").rglob("*.md")), srcdir / "added-later.md")
        app.build()
        second = sitemap_addresses(app.outdir)
    finally:
        app.cleanup()
    assert set(second) == set(first) | {f"{BASE}added-later.html"}


def _put_from_a_child(links: PageLinks) -> None:
    links.put(("a.html", "2020-01-01T00:00:00Z"))
    links.put(("b.html", "written twice: the first one stays"))


def test_page_links_takes_pages_from_other_processes_sorted_and_once():
    with multiprocessing.Manager() as manager:
        links = PageLinks(manager.Queue())
        links.put(("c.html", None))
        links.put(("b.html", None))
        child = multiprocessing.get_context("fork").Process(target=_put_from_a_child, args=(links,))
        child.start()
        child.join(timeout=30)
        assert child.exitcode == 0
        assert not links.empty()
        taken = []
        while True:
            try:
                taken.append(links.get_nowait())
            except queue.Empty:
                break
        assert taken == [("a.html", "2020-01-01T00:00:00Z"), ("b.html", None), ("c.html", None)]
        # taken to the end: the next build starts afresh, and older releases put bare addresses
        assert links.empty()
        links.put("d.html")
        assert links.get_nowait() == "d.html"
