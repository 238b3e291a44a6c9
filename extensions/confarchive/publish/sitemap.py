"""The sitemap lists every page of the site after every build, incremental ones too.

sphinx-sitemap makes ``sitemap.xml`` from the pages the build writes, so after an
incremental build it lists only the pages that build rewrote (its issue #13): a rebuild
after one post's edit would leave a sitemap of that post, the pages listing it, and the
few pages Sphinx writes every time. confarchive rewrites as little as it can, so this
would hit every rebuild.

confarchive keeps sphinx-sitemap and gives it a complete list: before the sitemap is
written, every document and every archive page goes through sphinx-sitemap's own page
handler (a page written by this build is there already; an address is listed once), so
its rules (the address scheme, ``dirhtml`` addresses, excluded pages) apply to every
page alike. The sitemap is sorted by address, so it is the same whatever order the
pages were written in, with ``-j 2`` as with ``-j 1``. A build that fails leaves the
last sitemap as it was. Pages that other extensions write only when they change (such
as ``sphinx.ext.viewcode``'s) are listed after the builds that write them.

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

from ..archive.state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def _one_page_a_document(builder: Builder) -> bool:
    """Whether ``builder`` writes a web page for each document (not singlehtml, not epub)."""
    from sphinx.builders.epub3 import Epub3Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    one_file = (SingleFileHTMLBuilder, Epub3Builder)
    return isinstance(builder, StandaloneHTMLBuilder) and not isinstance(builder, one_file)


class PageLinks:
    """sphinx-sitemap's queue of pages, sorted by address and without repeats.

    It has the three methods sphinx-sitemap calls: ``put``, ``empty`` and ``get_nowait``.
    An item is what sphinx-sitemap puts: ``(address, last modified)``, or the address
    alone in older releases; it is handed back as it was put.
    """

    def __init__(self, shared: Any) -> None:
        #: sphinx-sitemap's queue, for the pages written in other processes (``-j``)
        self._shared = shared
        self._owner = os.getpid()
        self._items: dict[str, Any] = {}
        self._taken: list[Any] | None = None

    def put(self, item: Any) -> None:
        if os.getpid() != self._owner:
            self._shared.put(item)
            return
        self._items.setdefault(_address(item), item)

    def empty(self) -> bool:
        if self._remaining():
            return False
        self._reset()
        return True

    def get_nowait(self) -> Any:
        remaining = self._remaining()
        if not remaining:
            self._reset()
            raise queue.Empty
        return remaining.pop()

    def discard(self, addresses: set[str]) -> None:
        """Leave these addresses out, whoever put them (pages no reader may find)."""
        self._gather()
        for address in addresses:
            self._items.pop(address, None)
        self._taken = None

    def clear(self) -> None:
        """Forget every page, those still in sphinx-sitemap's queue too."""
        try:
            self._gather()
        except (OSError, EOFError):
            pass  # the queue's process has gone (the build was interrupted): nothing to take
        self._reset()

    def _reset(self) -> None:
        """Start afresh: everything was taken, and the next build of this application adds anew."""
        self._items = {}
        self._taken = None

    def _gather(self) -> None:
        while True:
            try:
                item = self._shared.get_nowait()
            except queue.Empty:
                return
            self._items.setdefault(_address(item), item)

    def _remaining(self) -> list[Any]:
        """What is left to take, last address first; the first call gathers the queue."""
        if self._taken is None:
            self._gather()
            self._taken = [self._items[address] for address in sorted(self._items, reverse=True)]
        return self._taken


def _address(item: Any) -> str:
    return item[0] if isinstance(item, tuple) else item


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
    if not isinstance(links, PageLinks) or not _one_page_a_document(app.builder):
        return
    if exception is not None:
        # the build stopped part-way: sphinx-sitemap finds no page and leaves the last
        # sitemap as it was, instead of one of the pages written before the error
        links.clear()
        return
    if not (app.config.site_url or app.config.html_baseurl):
        return  # sphinx-sitemap writes no sitemap, and says why
    from sphinx_sitemap import add_html_link

    state = build_state(app.env)
    hidden = state.read_view().hidden
    pages = set(app.env.found_docs) | set(state.pages)
    for pagename in sorted(pages - hidden):
        add_html_link(app, pagename, "page.html", {}, None)
    # drafts and future posts: their pages were handed over as they were written
    links.discard({sitemap_address(app, pagename) for pagename in hidden})


def sitemap_address(app: Sphinx, pagename: str) -> str:
    """A page's address in the sitemap, before its scheme, as sphinx-sitemap writes it."""
    if getattr(app.env, "is_directory_builder", False):
        if pagename == "index":
            return ""
        return pagename[: -len("index")] if pagename.endswith("/index") else pagename + "/"
    suffix = app.config.html_file_suffix if app.config.html_file_suffix is not None else ".html"
    return pagename + suffix


def setup_sitemap(app: Sphinx) -> None:
    # sphinx-sitemap makes its queue at builder-inited and writes the sitemap at
    # build-finished, both at the default priority (500)
    app.connect("builder-inited", take_over_queue, priority=600)
    app.connect("build-finished", add_unwritten_pages, priority=400)
