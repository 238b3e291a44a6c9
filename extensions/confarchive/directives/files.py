"""Directives that read files read them from the project's sources only.

``include``, ``literalinclude``, ``raw`` (``:file:``), ``csv-table`` (``:file:``),
``image`` and ``figure``, whether written in MyST or in reStructuredText (``{eval-rst}``),
would read any path the build machine can open (``../../../../conf.py``,
``/etc/hostname``) and publish the text in the page, its feeds and its search records.
confarchive registers each of them again, as a subclass that first works out the file
the directive would read, exactly as the directive itself does, and refuses it with a
located ``confarchive.path`` warning, reading nothing, when it lies outside the source
folder (symbolic links followed) and outside every folder of
``confarchive_file_roots``. ``raw`` and ``csv-table`` with ``:url:`` would fetch from
the network while building: refused too. Paths inside the sources read as before.

Links and images that are not directives (Markdown images, ``{download}``) are held to
the same folders when the page is read (:mod:`confarchive.archive.confine`).

MyST reads ``{include}`` itself when the registered directive is docutils' ``Include``
(``myst_parser.mocking.MockIncludeDirective``), so the confined ``include`` is a
directive of its own that checks the path, then hands over: to MyST's reader in a
Markdown document, to Sphinx's ``Include`` in reStructuredText.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.images import Image
from docutils.parsers.rst.directives.misc import Raw, adapt_path
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.directives.patches import CSVTable, Figure
from sphinx.util.docutils import SphinxDirective

from ..archive.confine import image_reason, outside_reason
from ..problems import ArchiveWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

def _refuse(directive: SphinxDirective, what: str, path: str, reason: str) -> list[nodes.Node]:
    warn("%s of %r refused: the file %s; nothing is read", ArchiveWarning.PATH, directive.get_location(), what, path,
         reason)
    return []


def _refuse_url(directive: SphinxDirective, url: str) -> list[nodes.Node]:
    warn("%s :url: %r refused: a build reads no file from the network; nothing is read", ArchiveWarning.PATH,
         directive.get_location(), directive.name, url)
    return []


def _is_standard_include(argument: str) -> bool:
    """``<isonum.txt>``: one of docutils' own substitution sets, not a file of the project."""
    return argument.startswith("<") and argument.endswith(">")


def _standard_include_reason(argument: str) -> str | None:
    """Why ``<...>`` must not be read: it leaves docutils' folder of standard includes."""
    folder = Path(Include.standard_include_path).resolve()
    # docutils and MyST both join the name to the folder, so ``..`` and absolute paths leave it
    if Path(folder, argument[1:-1]).resolve().is_relative_to(folder):
        return None
    return "is outside docutils' standard includes"


def _reason(env, path_of) -> str | None:
    """Why the file ``path_of()`` gives must not be read; a path that cannot be worked out is refused."""
    try:
        return outside_reason(env, path_of())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symbolic link that loops
        return "cannot be read as a path"


def _in_markdown(directive: SphinxDirective) -> bool:
    """Whether MyST runs the directive (its state renders Markdown), not docutils' parser."""
    return hasattr(directive.state, "_renderer")


class ConfinedInclude(SphinxDirective):
    """``include``: Sphinx's, or MyST's in Markdown, for files inside the allowed folders."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar = {
        **Include.option_spec,
        # MyST's own options of ``{include}``, which it adds to docutils' Include
        "relative-images": directives.flag,
        "relative-docs": directives.path,
        "heading-offset": directives.nonnegative_int,
    }

    def run(self) -> list[nodes.Node]:
        argument = "".join(part.strip() for part in self.arguments[0].splitlines())
        if _is_standard_include(argument):
            reason = _standard_include_reason(argument)
        else:
            reason = _reason(self.env, lambda: self.env.relfn2path(argument)[1])
        if reason:
            return _refuse(self, self.name, argument, reason)
        if _in_markdown(self):
            from myst_parser.mocking import MockIncludeDirective

            reader = MockIncludeDirective(self.state._renderer, name=self.name, klass=Include,
                                          arguments=self.arguments, options=self.options,
                                          body=list(self.content), lineno=self.lineno)
            return reader.run()
        include = Include(self.name, self.arguments, self.options, self.content, self.lineno,
                          self.content_offset, self.block_text, self.state, self.state_machine)
        return include.run()


class ConfinedLiteralInclude(LiteralInclude):
    """``literalinclude``: the file and the ``:diff:`` file inside the allowed folders."""

    def run(self) -> list[nodes.Node]:
        reason = _reason(self.env, lambda: self.env.relfn2path(self.arguments[0])[1])
        if reason:
            return _refuse(self, self.name, self.arguments[0], reason)
        if "diff" in self.options:
            reason = _reason(self.env, lambda: self.env.relfn2path(self.options["diff"])[1])
            if reason:
                return _refuse(self, f"{self.name} :diff:", self.options["diff"], reason)
        return super().run()


def _docutils_path(directive: SphinxDirective, path: str) -> str:
    """The file a docutils directive's ``:file:`` option names, as docutils works it out."""
    document = directive.state.document
    return adapt_path(path, document.current_source or "", getattr(document.settings, "root_prefix", ""))


class ConfinedRaw(Raw, SphinxDirective):
    """``raw``: ``:file:`` inside the allowed folders, never ``:url:``."""

    def run(self) -> list[nodes.Node]:
        if "url" in self.options:
            return _refuse_url(self, self.options["url"])
        if "file" in self.options:
            reason = _reason(self.env, lambda: _docutils_path(self, self.options["file"]))
            if reason:
                return _refuse(self, f"{self.name} :file:", self.options["file"], reason)
        return super().run()


class ConfinedCSVTable(CSVTable, SphinxDirective):
    """``csv-table``: ``:file:`` inside the allowed folders, never ``:url:``."""

    def run(self) -> list[nodes.Node]:
        if "url" in self.options:
            return _refuse_url(self, self.options["url"])
        if "file" in self.options:
            name = self.options["file"]
            reason = _reason(self.env, lambda: _docutils_path(self, self._as_sphinx_passes_it(name)))
            if reason:
                return _refuse(self, f"{self.name} :file:", name, reason)
        return super().run()

    def _as_sphinx_passes_it(self, name: str) -> str:
        """``:file:`` as Sphinx's csv-table hands it to docutils.

        An absolute path that exists on the machine is passed on as it is; any other
        is read from the source folder, rewritten relative to the document's folder
        (which docutils then joins to the folder of the file being read, which may be
        an included file elsewhere).
        """
        if not name.startswith(("/", os.sep)) or Path(name).exists():
            return name
        env = self.env
        return os.path.relpath(env.srcdir / name[1:], env.doc2path(env.docname).parent)


def _image_reason(directive: SphinxDirective, uri: str) -> str | None:
    """Why an image directive's file must not be read (docutils reads it for ``:scale:``)."""
    return image_reason(directive.env, uri)


class ConfinedImage(Image, SphinxDirective):
    """``image``: a file inside the allowed folders (a URL as before)."""

    def run(self) -> list[nodes.Node]:
        reason = _image_reason(self, directives.uri(self.arguments[0]))
        if reason:
            return _refuse(self, self.name, self.arguments[0], reason)
        return super().run()


class ConfinedFigure(Figure, SphinxDirective):
    """``figure`` (Sphinx's, whose ``:name:`` labels the figure): an image file inside the allowed folders."""

    def run(self) -> list[nodes.Node]:
        reason = _image_reason(self, directives.uri(self.arguments[0]))
        if reason:
            return _refuse(self, self.name, self.arguments[0], reason)
        return super().run()


#: the directives that read a file, by name
CONFINED = {
    "include": ConfinedInclude,
    "literalinclude": ConfinedLiteralInclude,
    "raw": ConfinedRaw,
    "csv-table": ConfinedCSVTable,
    "image": ConfinedImage,
    "figure": ConfinedFigure,
}


def setup_files(app: Sphinx) -> None:
    for name, directive in CONFINED.items():
        app.add_directive(name, directive, override=True)
