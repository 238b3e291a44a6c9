"""The ``callout`` directive: a titled note, rendered as a furo admonition."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DIRECTIVE_NAME = "callout"
#: admonition kinds furo colours; ``note`` is the default
KINDS = ("note", "tip", "hint", "important", "attention", "caution", "warning", "danger", "error")


class CalloutDirective(SphinxDirective):
    """A note with a title of its own, holding any MyST."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        "kind": lambda value: directives.choice(value, KINDS),
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("kind", "note")
        title_text = " ".join(self.arguments[0].split())
        admonition = nodes.admonition(
            "", classes=[kind, "confarchive-callout", *self.options.get("class", [])]
        )
        self.set_source_info(admonition)
        self.add_name(admonition)
        inline, messages = self.parse_inline(title_text, lineno=self.lineno)
        title = nodes.title(title_text, "", *inline)
        title.source, title.line = self.get_source_info()
        admonition += title
        admonition += messages
        admonition += self.parse_content_to_nodes()
        return [admonition]


def setup_callout(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE_NAME, CalloutDirective)
