"""Reference tables generated from the code: ``{confarchive-config}`` and ``{confarchive-warnings}``.

The documentation's reference pages hold these directives, so that every setting (from
:class:`confarchive.config.ArchiveConfig`) and every warning subtype (from
:class:`confarchive.problems.ArchiveWarning`) is listed with its help text, and a new one
is documented the day it is added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

from ..config import PREFIX, fields
from ..problems import IMPORT_ONLY, WARNING_TYPE, ArchiveWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_REBUILDS = {"env": "every document read again", "html": "every page written again", "": "nothing"}


def _table(widths: list[int], header: list[str], rows: list[list[nodes.Node]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=["confarchive-reference", *classes])
    group = nodes.tgroup(cols=len(widths))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(text, text)) for text in header))
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += nodes.row("", *(nodes.entry("", cell) for cell in cells))
    group += body
    return table


class ConfigReference(SphinxDirective):
    """Every ``confarchive_*`` setting: its type, default, what a change rebuilds, and its help."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = []
        for item in fields():
            name = PREFIX + item.name
            target = nodes.target("", "", ids=[f"setting-{item.name.replace('_', '-')}"])
            types = " or ".join(kind.__name__ for kind in item.metadata["types"])
            rows.append([
                nodes.paragraph("", "", target, nodes.literal(name, name)),
                nodes.paragraph(types, types),
                nodes.paragraph("", "", nodes.literal(repr(item.default), repr(item.default))),
                nodes.paragraph(_REBUILDS[item.metadata["rebuild"]], _REBUILDS[item.metadata["rebuild"]]),
                self._help(item.metadata["help"]),
            ])
        return [_table([22, 8, 14, 12, 44], ["setting", "type", "default", "a change rebuilds", "what it does"],
                       rows, ["confarchive-config-reference"])]

    def _help(self, text: str) -> nodes.Node:
        inline, _ = self.parse_inline(text, lineno=self.lineno)
        return nodes.paragraph("", "", *inline)


class WarningsReference(SphinxDirective):
    """Every warning subtype, or (``:import:``) every kind ``confarchive import`` reports."""

    has_content = False
    option_spec: ClassVar = {"import": directives.flag}

    def run(self) -> list[nodes.Node]:
        imported = "import" in self.options
        # each member's docstring, as autodoc reads it: the string under its line
        docs = ModuleAnalyzer.for_module(ArchiveWarning.__module__).find_attr_docs()
        rows = []
        for member in ArchiveWarning:
            if imported != (member in IMPORT_ONLY):
                continue
            label = member.label if imported else f"{WARNING_TYPE}.{member.value}"
            target = nodes.target("", "", ids=[f"warning-{member.value.replace('_', '-')}"])
            text = " ".join(" ".join(docs.get(("ArchiveWarning", member.name), [])).split())
            text = text.removeprefix("Import: ")
            inline, _ = self.parse_inline(text, lineno=self.lineno)
            rows.append([nodes.paragraph("", "", target, nodes.literal(label, label)),
                         nodes.paragraph("", "", *inline)])
        header = ["kind" if imported else "subtype", "what it means"]
        return [_table([25, 75], header, rows, ["confarchive-warnings-reference"])]


def setup_reference(app: Sphinx) -> None:
    app.add_directive("confarchive-config", ConfigReference)
    app.add_directive("confarchive-warnings", WarningsReference)
