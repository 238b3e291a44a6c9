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
  (:func:`drop_hidden_from_inventory`), and so does the general index (its entries are
  dropped when it is read, :mod:`.reading`);
- a link to it from any other page (``{doc}``, ``{ref}``, a Markdown link, a
  ``{archive:talk}``) is left out, its text kept, with a warning
  (:func:`unlink_hidden_posts`).
"""

from __future__ import annotations

import posixpath
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes

from ..problems import ArchiveWarning, warn
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


def unlink_hidden_posts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a page that is not hidden links to no hidden post; the link's text stays."""
    view = build_state(app.env).read_view()
    if not view.hidden or docname in view.hidden:
        return
    uris = {app.builder.get_relative_uri(docname, hidden): hidden for hidden in view.hidden}
    for reference in list(doctree.findall(nodes.reference)):
        target = reference.get("refuri", "").split("#", 1)[0]
        if not reference.get("internal") or target not in uris:
            continue
        warn("link to %r, a draft or a post dated in the future, is left out until it is published; its text "
             "stays", ArchiveWarning.REFERENCE, _located(reference), uris[target])
        text = reference.astext()
        reference.replace_self(nodes.inline(text, text, classes=["confarchive-unpublished"]))


def _located(node: nodes.Element) -> nodes.Element:
    """The nearest element that knows its line (a resolved reference often does not)."""
    while node.parent is not None and not node.line:
        node = node.parent
    return node


def drop_redirects_to_hidden_posts(app: Sphinx):
    """``html-collect-pages``, before sphinx-reredirects writes: no redirect leads to a hidden post.

    Which posts are hidden is known once they are read, long after ``config-inited``,
    where the redirects are loaded; a redirect to one would tell readers where it is.
    """
    hidden = build_state(app.env).read_view().hidden
    redirects = app.config.redirects or {}
    if hidden and redirects:
        suffix = app.config.html_file_suffix or ".html"
        base = app.config.html_baseurl or ""
        dropped = {old for old, new in redirects.items() if redirect_page(old, new, base, suffix) in hidden}
        # the pages an earlier build wrote for them go too (confarchive.publish.redirects)
        app.config.redirects = {old: new for old, new in redirects.items() if old not in dropped}
    return []


def redirect_page(source: str, target: str, base_url: str, suffix: str) -> str:
    """The docname a redirect from ``source`` leads to, however ``target`` is written; "" if none of the site.

    ``target`` may be a path from the site's root (``/posts/x.html``), a path from the
    redirect's own page (``../posts/x.html``), or a URL of the site (``html_baseurl``),
    with or without a ``#fragment``.
    """
    url = urlsplit(target)
    path = url.path
    if url.scheme or url.netloc:
        site = urlsplit(base_url)
        if (url.scheme, url.netloc) != (site.scheme, site.netloc) or not path.startswith(site.path or "/"):
            return ""
        path = path[len(site.path or "/"):]
    elif not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    path = path.lstrip("/")
    if not path or path.endswith("/"):
        path += "index"
    return path.removesuffix(suffix)


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


#: one line of ``objects.inv``, as Sphinx reads it: a name (which may hold spaces), ``domain:role``,
#: a priority, the URI and the name shown
_INVENTORY_LINE = re.compile(r"(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


def _inventory_uri(line: str) -> str:
    """The page of one ``objects.inv`` line."""
    match = _INVENTORY_LINE.match(line.rstrip("\n"))
    return match.group(4).split("#", 1)[0] if match else ""


def setup_drafts(app: Sphinx) -> None:
    # sphinx-reredirects writes its pages at html-collect-pages, at the default priority
    app.connect("html-collect-pages", drop_redirects_to_hidden_posts, priority=400)
    app.connect("build-finished", drop_hidden_from_inventory)
    app.connect("doctree-resolved", unlink_hidden_posts)
