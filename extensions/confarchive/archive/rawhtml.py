"""Raw HTML in every document, cleaned by the archive's HTML policy (:mod:`confarchive.text.sanitise`).

A transform, so that it runs on every document after MyST and docutils have parsed it
and before Sphinx's collectors and the archive read the page. Each removal is reported
at its line with ``confarchive.html``; ``confarchive_trust_raw_html = True`` turns the
policy off for archives whose authors are all trusted.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..config import archive_config
from ..problems import ArchiveWarning, warn
from ..text.sanitise import TRUSTED, Cleaned, HtmlPolicy, clean_html


def policy_for(config: Any) -> HtmlPolicy:
    """The policy a project's configuration asks for."""
    return HtmlPolicy(iframe_hosts=frozenset(archive_config(config).iframe_hosts))


class ApplyHtmlPolicy(SphinxTransform):
    """Clean every raw HTML node, and report what goes where it was."""

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        if archive_config(self.config).trust_raw_html:
            return
        policy = policy_for(self.config)
        parents: dict[int, nodes.Element] = {}
        for raw in self.document.findall(nodes.raw):
            if _in_docinfo(raw):
                continue  # front matter: Sphinx takes it out of the page; its fields are text
            if raw.parent is not None and id(raw.parent) not in parents:
                parents[id(raw.parent)] = raw.parent
        for parent in parents.values():
            _clean_children(parent, policy, self.env.docname)


def _clean_children(parent: nodes.Element, policy: HtmlPolicy, docname: str) -> None:
    """Clean the raw HTML among ``parent``'s children, in order.

    Inline HTML comes in pieces (``<script>``, the text, ``</script>``): what sits
    between a removed content element's start and end tags in one paragraph goes too.
    Between blocks nothing is carried over: an element left open at the end of a block
    ends there, so no Markdown after it is ever lost.
    """
    inline = isinstance(parent, nodes.TextElement)
    skipping: str | None = None
    removed: dict[int | None, Cleaned] = {}  # line -> what went there: one warning a line
    for child in list(parent.children):
        if not (isinstance(child, nodes.raw) and "html" in child.get("format", "").split()):
            if skipping:
                parent.remove(child)
            continue
        if child.get(TRUSTED):
            continue
        source = child.astext()
        cleaned = clean_html(source, policy, skipping=skipping)
        skipping = cleaned.open_content if inline else None
        if cleaned.changed:
            removed.setdefault(_line(child), Cleaned("")).merge(cleaned)
        if cleaned.html == source:
            continue
        if cleaned.html.strip():
            child.children[:] = [nodes.Text(cleaned.html)]
        else:
            parent.remove(child)
    for line, what in removed.items():
        warn("raw HTML cleaned by the HTML policy: removed %s", ArchiveWarning.HTML, (docname, line),
             what.describe())


def _in_docinfo(node: nodes.Node) -> bool:
    return any(isinstance(ancestor, nodes.docinfo) for ancestor in _ancestors(node))


def _ancestors(node: nodes.Node):
    current = node.parent
    while current is not None:
        yield current
        current = current.parent


def _line(node: nodes.Node) -> int | None:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return None
