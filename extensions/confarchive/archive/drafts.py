"""Drafts and future posts: written, but linked from nowhere a reader can reach.

A post with ``draft: true``, or dated after the day of the build, is read like any
other (its warnings are given, its talks checked) and its page is written at its
address, so that its writer can read it. Unless ``confarchive_show_drafts`` is on,
nothing leads to it: no list, feed, search record, speaker page or count holds it
(the archive's store answers with listed posts only), and here the rest:

- the sitemap leaves it out (:mod:`confarchive.publish.sitemap` asks the view's
  ``hidden``);
- no redirect from an old address leads to it (:func:`drop_redirects_to_hidden_posts`);
- its page has no previous and next links and asks search engines not to index it
  (:func:`hide_page`);
- ``objects.inv``, which Sphinx writes from every document, leaves it out
  (:func:`drop_hidden_from_inventory`).
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .view import ArchiveView

#: what a hidden post's page says to search engines
NOINDEX = '<meta name="robots" content="noindex" />'
_INVENTORY = "objects.inv"
#: the lines of ``objects.inv`` before its compressed body
_INVENTORY_HEADER_LINES = 4


def hide_page(view: ArchiveView, pagename: str, context: dict[str, Any]) -> bool:
    """For a hidden post's page: no previous or next link, and ``noindex``; whether it is one."""
    if pagename not in view.hidden:
        return False
    context["prev"] = context["next"] = None
    context["metatags"] = f"{context.get('metatags') or ''}\n{NOINDEX}\n"
    return True


def drop_redirects_to_hidden_posts(app: Sphinx):
    """``html-collect-pages``, before sphinx-reredirects writes: no redirect leads to a hidden post.

    Which posts are hidden is known once they are read, long after ``config-inited``,
    where the redirects are loaded; a redirect to one would tell readers where it is.
    """
    hidden = build_state(app.env).read_view().hidden
    redirects = app.config.redirects or {}
    if hidden and redirects:
        suffix = app.config.html_file_suffix or ".html"
        app.config.redirects = {old: new for old, new in redirects.items()
                                if new.removeprefix("/").removesuffix(suffix) not in hidden}
    return []


def drop_hidden_from_inventory(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: take hidden posts (and their talks) out of ``objects.inv``.

    Sphinx lists every document there, for intersphinx; it is the one file of the site
    it writes from every document.
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / _INVENTORY
    hidden = build_state(app.env).read_view().hidden
    if not hidden or not path.is_file():
        return
    uris = {app.builder.get_target_uri(docname) for docname in hidden}
    data = path.read_bytes()
    parts = data.split(b"\n", _INVENTORY_HEADER_LINES)
    if len(parts) <= _INVENTORY_HEADER_LINES:
        return
    *header, body = parts
    lines = zlib.decompress(body).decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if _inventory_uri(line) not in uris]
    if len(kept) != len(lines):
        path.write_bytes(b"\n".join(header) + b"\n" + zlib.compress("".join(kept).encode("utf-8"), 9))


def _inventory_uri(line: str) -> str:
    """The page of one ``objects.inv`` line (``name domain:role priority uri display``)."""
    fields = line.split(" ", 4)
    return fields[3].split("#", 1)[0] if len(fields) > 3 else ""


def setup_drafts(app: Sphinx) -> None:
    # sphinx-reredirects writes its pages at html-collect-pages, at the default priority
    app.connect("html-collect-pages", drop_redirects_to_hidden_posts, priority=400)
    app.connect("build-finished", drop_hidden_from_inventory)
