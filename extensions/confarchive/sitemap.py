"""The sitemap lists every page of the site, after any build.

sphinx-sitemap makes ``sitemap.xml`` from the pages the build writes, so after an
incremental build it lists only the pages that build rewrote (its issue #13): a rebuild
after one post's edit would leave a sitemap of that post, the pages listing it, and the
few pages Sphinx writes every time. confarchive rewrites as little as it can, so this
would hit every rebuild.

confarchive keeps sphinx-sitemap and gives it a complete list: before the sitemap is
written, every document and every archive page not written by this build is passed to
sphinx-sitemap's own page handler, so its rules (the address scheme, ``dirhtml``
addresses, ``sitemap_excludes``, ``sitemap_show_lastmod``) apply to them as to the
others. The sitemap is sorted by address, so it is the same whatever order the pages
were written in, with ``-j 2`` as with ``-j 1``.

sphinx-sitemap collects addresses in a queue served by another process, so that
parallel writers can add to it; a page costs a round trip to that process (about
0.1 ms, 0.8 s for the 7,500 pages of a 1,000-post archive). :class:`PageLinks` keeps the
addresses of the pages the main process writes in a list of its own, and sends only
those written by other processes through the queue.
"""

from __future__ import annotations

import os
import queue
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: the builders whose pages sphinx-sitemap lists, one page for each document
BUILDERS = ("html", "dirhtml")


class PageLinks:
    """sphinx-sitemap's queue of ``(address, last modified)``, sorted and without repeats.

    It has the three methods sphinx-sitemap calls: ``put``, ``empty`` and ``get_nowait``.
    """

    def __init__(self, shared: Any) -> None:
        #: sphinx-sitemap's queue, for the pages written in other processes (``-j``)
        self._shared = shared
        self._owner = os.getpid()
        self._links: dict[str, str | None] = {}
        self._taken: list[tuple[str, str | None]] | None = None

    def put(self, item: tuple[str, str | None]) -> None:
        if os.getpid() != self._owner:
            self._shared.put(item)
            return
        link, last_updated = item
        self._links.setdefault(link, last_updated)

    def empty(self) -> bool:
        return not self._remaining()

    def get_nowait(self) -> tuple[str, str | None]:
        remaining = self._remaining()
        if not remaining:
            raise queue.Empty
        return remaining.pop()

    def _remaining(self) -> list[tuple[str, str | None]]:
        """What is left to take, last address first; the first call gathers the queue."""
        if self._taken is None:
            while True:
                try:
                    link, last_updated = self._shared.get_nowait()
                except queue.Empty:
                    break
                self._links.setdefault(link, last_updated)
            self._taken = sorted(self._links.items(), reverse=True)
        return self._taken


def take_over_queue(app: Sphinx) -> None:
    """``builder-inited``, after sphinx-sitemap made its queue: put :class:`PageLinks` in its place."""
    shared = getattr(app, "sitemap_links", None)
    if shared is None or isinstance(shared, PageLinks):
        return
    if not all(callable(getattr(shared, name, None)) for name in ("put", "empty", "get_nowait")):
        return  # a sphinx-sitemap that collects pages some other way
    app.sitemap_links = PageLinks(shared)


def add_unwritten_pages(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``, before sphinx-sitemap writes the sitemap: add the pages not written."""
    links = getattr(app, "sitemap_links", None)
    if exception is not None or not isinstance(links, PageLinks) or app.builder.name not in BUILDERS:
        return
    if not (app.config.site_url or app.config.html_baseurl):
        return  # sphinx-sitemap writes no sitemap, and says why
    from sphinx_sitemap import add_html_link

    pages = set(app.env.found_docs) | set(app.env.domains["archive"].data.get("pages", {}))
    for pagename in sorted(pages):
        add_html_link(app, pagename, "page.html", {}, None)


def setup_sitemap(app: Sphinx) -> None:
    # sphinx-sitemap makes its queue at builder-inited and writes the sitemap at
    # build-finished, both at the default priority (500)
    app.connect("builder-inited", take_over_queue, priority=600)
    app.connect("build-finished", add_unwritten_pages, priority=400)
