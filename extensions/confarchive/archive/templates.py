"""Archive pages through one rendered page "shell" per folder.

An archive has many more pages than posts (a page per speaker, tag, event...), and
each goes through the theme's whole page template: with furo, about 3 ms of Jinja a
page, the larger part of what an archive page costs. Pages of one folder
(``archive/speakers/``) differ only in their title, body, metadata tags and canonical
address: everything else (the head's assets, the navigation, the footer) is the same.

So for each template and folder, the template is rendered once with a token in place
of each of those values (the *shell*), and every page of the folder is the shell with
the tokens replaced. Sphinx still handles each page as usual (``html-page-context``
runs, so the sitemap, social cards and feeds see every page); only the rendering is
shared.

The shells live in :class:`ArchiveTemplates`, the template bridge confarchive gives
Sphinx (the ``template_bridge`` setting, Sphinx's own way to change how templates are
rendered): it renders like Sphinx's, and archive pages through their folder's shell.
A project that names a template bridge of its own keeps it; its archive pages are then
rendered in full, one by one.

The first pages of each folder are also rendered in full and compared with what the
shell gives; if any differs (a theme that shows the page's name, or sidebars that
differ from page to page), that folder's pages are rendered in full from then on.
"""

from __future__ import annotations

import posixpath
import secrets
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from sphinx.jinja2glue import BuiltinTemplateLoader

#: the context key that asks for shell rendering
SHELL = "confarchive_shell"
#: how many pages of each folder are rendered both ways and compared (the first always
#: matches: its own context made the shell)
CHECKED_PAGES = 3


class PageShells:
    """Renders pages whose context asks for it through their folder's shell; the rest in full."""

    def __init__(self, render: Callable[[str, dict[str, Any]], str]) -> None:
        self.render = render
        self.shells: dict[tuple, tuple[str, dict[str, str]]] = {}
        self.checked: Counter[tuple] = Counter()
        self.full: set[tuple] = set()
        #: pages served from a shell
        self.rendered = 0

    def __call__(self, template: str, context: dict[str, Any]) -> str:
        if not context.get(SHELL):
            return self.render(template, context)
        key = (template, posixpath.dirname(context["pagename"]), bool(context.get("pageurl")))
        if key in self.full:
            return self.render(template, context)
        if key not in self.shells:
            self.shells[key] = self._shell(template, context)
        page = self._fill(key, context)
        if self.checked[key] < CHECKED_PAGES:
            self.checked[key] += 1
            full = self.render(template, context)
            if full != page:
                self.full.add(key)
                return full
        self.rendered += 1
        return page

    def _shell(self, template: str, context: dict[str, Any]) -> tuple[str, dict[str, str]]:
        tokens = {name: f"confarchiveshell{name}{secrets.token_hex(8)}"
                  for name in ("title", "body", "metatags", "pageurl")}
        shell_context = {**context, **tokens}
        if not context.get("pageurl"):
            shell_context["pageurl"] = None
            del tokens["pageurl"]
        return self.render(template, shell_context), tokens

    def _fill(self, key: tuple, context: dict[str, Any]) -> str:
        shell, tokens = self.shells[key]
        values = {
            # as the templates write them: ``title|striptags|e``, ``pageurl|e``, the rest as is
            "title": str(escape(Markup(context.get("title") or "").striptags())),
            "body": context.get("body") or "",
            "metatags": context.get("metatags") or "",
            "pageurl": str(escape(context.get("pageurl") or "")),
        }
        page = shell
        for name, token in tokens.items():
            page = page.replace(token, values[name])
        return page


#: under the doctrees: the theme's templates, compiled
_COMPILED_TEMPLATES = "confarchive-templates"
#: the dotted name of :class:`ArchiveTemplates`, as ``template_bridge`` takes it
TEMPLATE_BRIDGE = f"{__name__}.ArchiveTemplates"


class ArchiveTemplates(BuiltinTemplateLoader):
    """Sphinx's template loader, with shells for the archive's pages while they are written.

    Compiled templates are kept beside the doctrees (Jinja's bytecode cache): a rebuild
    that writes one post does not compile the theme's templates again (half a second
    with furo), and a template that changes is compiled anew.
    """

    shells: PageShells | None = None

    def init(self, builder, theme=None, dirs=None) -> None:
        super().init(builder, theme, dirs)
        cache = Path(builder.doctreedir) / _COMPILED_TEMPLATES
        cache.mkdir(parents=True, exist_ok=True)
        self.environment.bytecode_cache = FileSystemBytecodeCache(str(cache))

    def start_shells(self) -> PageShells:
        """Render pages that ask for it through shells, from now until :meth:`stop_shells`."""
        self.shells = PageShells(super().render)
        return self.shells

    def stop_shells(self) -> None:
        self.shells = None

    def render(self, template: str, context: dict[str, Any]) -> str:  # type: ignore[override]
        if self.shells is not None:
            return self.shells(template, context)
        return super().render(template, context)
