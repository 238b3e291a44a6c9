"""The ``image-float`` directive: an image that text wraps around on wide screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from ..problems import ArchiveWarning, warn
from ..text.links import RefusedLink, checked_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx


DIRECTIVE_NAME = "image-float"


def _side(value: str) -> str:
    return directives.choice(value, ("left", "right"))


class ImageFloatDirective(SphinxDirective):
    """An image floated left or right, with alt text and an optional caption (the body)."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        "alt": directives.unchanged,
        "align": _side,
        "width": directives.length_or_percentage_or_unitless,
        "target": directives.unchanged_required,
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        uri = directives.uri(self.arguments[0])
        side = self.options.get("align", "right")
        alt = " ".join(self.options.get("alt", "").split())
        if not alt:
            warn("image float %r has no alt text; add :alt: to describe it", ArchiveWarning.IMAGE_ALT,
                 self.get_location(), uri)

        figure = nodes.figure(classes=["confarchive-float", *self.options.get("class", [])])
        figure["align"] = side
        if "width" in self.options:
            figure["width"] = self.options["width"]
        self.set_source_info(figure)
        self.add_name(figure)

        image = nodes.image(uri=uri, alt=alt)
        self.set_source_info(image)
        picture: nodes.Node = image
        target = self.options.get("target")
        if target:
            try:
                picture = nodes.reference("", "", image, refuri=checked_url(target))
            except RefusedLink as refused:
                warn("image float %r: target refused: %s", ArchiveWarning.LINK, self.get_location(), uri, refused)
        figure += picture

        if self.content:
            text = " ".join(line.strip() for line in self.content if line.strip())
            inline, messages = self.parse_inline(text, lineno=self.content_offset + 1)
            caption = nodes.caption(text, "", *inline)
            caption.source, caption.line = self.get_source_info()
            figure += caption
            figure += messages
        return [figure]


class RestoreImageLines(SphinxTransform):
    """Give images back a line number, so a missing image file warns at its line.

    Sphinx's ``ApplySourceWorkaround`` (priority 10) sets every image's line to 0; an
    image then takes the line of the nearest ancestor that has one.
    """

    default_priority = 11

    def apply(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            if image.line:
                continue
            parent = image.parent
            while parent is not None and not getattr(parent, "line", None):
                parent = parent.parent
            if parent is not None:
                image.line = parent.line


def setup_image_float(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE_NAME, ImageFloatDirective)
    app.add_transform(RestoreImageLines)
