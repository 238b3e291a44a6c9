"""The ``image-float`` directive: an image that text wraps around on wide screens."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from .links import RefusedLink, checked_url
from .warning_types import ArchiveWarning, warning_kwargs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

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
            logger.warning("image float %r has no alt text; add :alt: to describe it", uri,
                           location=self.get_location(), **warning_kwargs(ArchiveWarning.IMAGE_ALT))

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
                logger.warning("image float %r: target refused: %s", uri, refused,
                               location=self.get_location(), **warning_kwargs(ArchiveWarning.LINK))
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


def stable_image_name(path: str) -> str:
    """The name of an image in the site's ``_images/``: its own, and a digest of its path.

    Sphinx names images by their file name, adding a number to the second ``gcp.png``
    it meets; which one is second depends on the order the posts were read in, which
    differs between ``-j 1`` and ``-j 2`` and between builds. A name made from the
    image's path alone is the same whatever else the archive holds.
    """
    relative = PurePosixPath(path)
    digest = hashlib.sha256(relative.as_posix().encode("utf-8")).hexdigest()[:8]
    return f"{relative.stem}-{digest}{relative.suffix}"


def name_images_by_path(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: every image of the environment takes its :func:`stable_image_name`.

    The names Sphinx gave while reading are only used from the builder on, which starts
    after this; images stay the entries of ``env.images`` they were.
    """
    images = env.images
    for path, (docnames, _) in list(images.items()):
        images[path] = (docnames, stable_image_name(path))
    return []


def setup_figures(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE_NAME, ImageFloatDirective)
    app.add_transform(RestoreImageLines)
    app.connect("env-updated", name_images_by_path)
