"""Links and images that lead outside the project, or that were refused as links.

Sphinx copies every image and downloadable file a page points at into the site, and a
relative path may climb out of the source folder (``../../secret.png``): the file
would be published. An image's absolute path (``/home/x/y.png``) is looked up in the
source folder, where the file the author meant is not. And markdown-it refuses links and
images with a ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` URL (but pictures
in ``data:image/gif|png|jpeg|webp``), leaving their Markdown as literal text with no
word about it.

Before Sphinx's collectors see a document (a transform, so ahead of ``doctree-read``),
each such path is reported with a ``confarchive.path`` warning at its line and left out of the
page: an image is replaced by its alt text, a link by its text. Refused URLs are
reported where their text stands; that text is harmless and stays as it is.

The directives that read a file (:mod:`confarchive.directives.files`) hold their paths to
the same folders, with :func:`outside_reason`: the source folder and
``confarchive_file_roots``.
"""

from __future__ import annotations

import os
import re
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import get_image_filename_for_language, search_image_for_language
from sphinx.util.matching import Matcher

from ..config import archive_config
from ..problems import ArchiveWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: schemes markdown-it never makes a link of, as its ``validateLink`` says
REFUSED_SCHEMES = ("javascript", "vbscript", "file", "data")
_SCHEMES = "|".join(REFUSED_SCHEMES)
#: the ``data:`` URLs markdown-it accepts: pictures, which cannot run anything
_DATA_IMAGE = r"data:image/(?:gif|png|jpeg|webp);"
_REFUSED_URL = rf"(?!{_DATA_IMAGE})(?:{_SCHEMES}):"
#: a link or image, an autolink, or a link reference definition, left as text; the
#: destination of a link may hold balanced parentheses, as in ``javascript:alert(1)``
_REFUSED = re.compile(
    rf"(?P<image>!?)\[[^\]\n]*\]\(\s*<?\s*(?P<inline>{_REFUSED_URL}(?:[^\s()<>]|\([^\s()<>]*\))*)"
    rf"|<(?P<autolink>{_REFUSED_URL}[^\s<>]*)>"
    rf"|^\[[^\]\n]+\]:[ \t]*<?(?P<definition>{_REFUSED_URL}[^\s<>]*)",
    re.IGNORECASE | re.MULTILINE,
)
_QUICK = re.compile(rf"(?:{_SCHEMES}):", re.IGNORECASE)
#: what browsers ignore in a URL's scheme: controls and spaces (``java\tscript:``)
_IGNORED = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: the shortest text a long URL is shown with
_SHOWN = 60
#: elements whose text is read as prose (code, raw HTML and comments are not)
_PROSE = (nodes.paragraph, nodes.title, nodes.caption, nodes.term, nodes.rubric, nodes.line)
_NOT_PROSE = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.comment, nodes.math)


class ConfinePaths(SphinxTransform):
    """Leave out what points outside the source folder; report refused URLs."""

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        check_paths(self.env, self.document)


def check_paths(env: BuildEnvironment, doctree: nodes.document) -> None:
    """Leave out of ``doctree`` what points outside the source folder; report refused URLs."""
    # one walk through the page: posts are long, and each walk costs
    images, file_links, links, prose = [], [], [], []
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.image):
            images.append(node)
        if _is_file_link(node):
            file_links.append(node)
        if isinstance(node, nodes.reference):
            links.append(node)
        if isinstance(node, _PROSE):
            prose.append(node)
    for image in images:
        reason = image_reason(env, image["uri"])
        if reason:
            _warn(env.docname, image, "image %r %s; it is left out of the page", image["uri"], reason)
            _replace_with_text(image, image.get("alt", ""))
    for link in file_links:
        target = link["reftarget"]
        reason = _bad_path(env, target)
        if reason:
            _warn(env.docname, link, "link to %r %s; only its text is kept", target, reason)
            _replace_with_text(link, link.astext())
    for link in links:
        scheme = refused_scheme(link.get("refuri", ""))
        if scheme:
            _warn(env.docname, link, "link to %r refused: the scheme %r is never followed; only its text is kept",
                  _shorten(link["refuri"]), scheme)
            _replace_with_text(link, link.astext())
    for element in prose:
        if not _QUICK.search(element.astext()):
            continue
        text = _prose_text(element)
        for match in _REFUSED.finditer(text):
            url = match.group("inline") or match.group("autolink") or match.group("definition")
            scheme = url.split(":", 1)[0].lower()
            what = "image" if match.group("image") else "link"
            # a paragraph's soft line breaks are in its text: count them for the line
            location = (env.docname, element.line + text.count("\n", 0, match.start())) \
                if element.line else _location(env.docname, element)
            warn("%s %r refused: the scheme %r is never followed; the Markdown is shown as text", ArchiveWarning.PATH,
                 location, what, _shorten(url), scheme)


def refused_scheme(url: str) -> str | None:
    """The scheme of ``url`` when it is one never followed, else ``None``."""
    compact = _IGNORED.sub("", url)
    scheme = _SCHEME.match(compact)
    if not scheme or scheme.group(1).lower() not in REFUSED_SCHEMES:
        return None
    if re.match(_DATA_IMAGE, compact, re.IGNORECASE):
        return None
    return scheme.group(1).lower()


def _is_url(path: str) -> bool:
    """Whether Sphinx reads ``path`` as a URL, not a file: ``://`` in it, or ``data:``.

    Sphinx's collectors take anything else for a file, ``x:/../../secret.png`` included.
    """
    return "://" in path or path.startswith("data:")


def image_reason(env: BuildEnvironment, uri: str) -> str | None:
    """Why an image must not be copied: its path, or any file Sphinx would take for it, else ``None``.

    Sphinx copies ``pic.*`` as every file the pattern matches, and ``pic.png`` as
    ``pic.de.png`` where that exists for the project's language
    (``figure_language_filename``): each such file is held to the folders too.
    """
    reason = _bad_path(env, uri)
    if reason or not uri or _is_url(uri) or uri.startswith("#"):
        return reason
    try:
        if uri.endswith(".*"):
            patterns = [uri, get_image_filename_for_language(uri, env)]
            files = [found for pattern in patterns for found in glob(env.relfn2path(pattern, env.docname)[1])]
        else:
            files = [env.relfn2path(search_image_for_language(uri, env), env.docname)[1]]
    except (OSError, ValueError, RuntimeError):
        return "cannot be read as a path"
    return next((outside for outside in (outside_reason(env, found) for found in files) if outside), None)


def _bad_path(env: BuildEnvironment, path: str) -> str | None:
    """Why a path in a page must not be followed (outside the source folder...), else ``None``."""
    if not path or _is_url(path) or path.startswith("#"):
        return None  # a URL, a data: URI, an anchor: not a path to a file
    try:
        relative, absolute = env.relfn2path(path, env.docname)
        outside = outside_reason(env, absolute)
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symbolic link that loops
        return "cannot be read as a path"
    if outside:
        return outside
    if path.startswith("/") and not env.srcdir.joinpath(relative).exists():
        return f"is an absolute path, read from the source folder, which has no {relative}"
    return None


def _is_file_link(node: nodes.Node) -> bool:
    """A download link, or a MyST link naming a relative path that is neither a document nor a label.

    A link starting with ``/`` is most often a path on the web site (``/about/``), so it
    is left to MyST, which warns when it names nothing; only what is copied into the
    site (images, downloads) is held to the source folder whatever its form.
    """
    if isinstance(node, addnodes.download_reference):
        return True
    if not isinstance(node, addnodes.pending_xref) or node.get("reftype") != "myst" or node.get("refdomain") == "doc":
        return False
    target = node.get("reftarget", "")
    return "/" in target and not target.startswith("/")


def _prose_text(element: nodes.Element) -> str:
    """The text of ``element`` outside code spans, math and raw HTML."""
    parts = []
    for text in element.findall(nodes.Text):
        parent = text.parent
        while parent is not None and parent is not element and not isinstance(parent, _NOT_PROSE):
            parent = parent.parent
        if parent is element:
            parts.append(text.astext())
    return "".join(parts)


def _replace_with_text(node: nodes.Element, text: str) -> None:
    """Put ``text`` where ``node`` stands (an image's alt text, a link's text); nothing when empty."""
    if text:
        node.parent.replace(node, nodes.inline(text, text, classes=["confarchive-refused"]))
    else:
        node.parent.remove(node)


def _shorten(url: str) -> str:
    return url if len(url) <= _SHOWN else url[:_SHOWN - 3] + "..."


def _warn(docname: str, node: nodes.Element, message: str, *args) -> None:
    warn(message, ArchiveWarning.PATH, _location(docname, node), *args)


def _location(docname: str, node: nodes.Element) -> tuple[str, int] | nodes.Element:
    """Where ``node`` stands: the line of its paragraph, plus the line breaks before it there.

    Links and images inside a paragraph know no line of their own (or that of the
    paragraph's first line); elsewhere, the nearest element that knows its line.
    """
    block = node.parent
    while block is not None and not isinstance(block, _PROSE):
        block = block.parent
    if block is None or not block.line:
        while node.parent is not None and not node.line:
            node = node.parent
        return node
    breaks = 0
    for inner in block.findall():
        if inner is node:
            break
        if isinstance(inner, nodes.Text):
            breaks += inner.count("\n")
    return docname, block.line + breaks


def allowed_roots(env: BuildEnvironment) -> list[Path]:
    """The folders files may be read from: the source folder and ``confarchive_file_roots``."""
    return roots_of(Path(env.srcdir), archive_config(env.config).file_roots)


def roots_of(srcdir: Path, file_roots: tuple | list) -> list[Path]:
    """The source folder and ``file_roots``, each relative to it (``..`` is the folder above it) or absolute."""
    return [srcdir.resolve(), *((srcdir / root).resolve() for root in file_roots)]


def links_leading_out(srcdir: Path, roots: list[Path], skip) -> list[str]:
    """The symbolic links in the sources that lead outside ``roots``, as paths from ``srcdir``.

    Sphinx finds documents through links; one leading out would publish what it leads
    to as a page and its source. ``skip(path)`` leaves out folders not to look in (the
    build's own output, excluded patterns).
    """
    found = []
    for folder, subfolders, files in os.walk(srcdir, followlinks=False):
        base = Path(folder)
        kept = []
        for name in sorted(subfolders) + sorted(files):
            path = base / name
            relative = path.relative_to(srcdir).as_posix()
            if path.is_symlink():
                try:
                    inside = any(path.resolve().is_relative_to(root) for root in roots)
                except (OSError, RuntimeError):
                    inside = False  # a link that loops leads nowhere a page can come from
                if not inside:
                    found.append(relative)
            elif name in subfolders and not skip(relative):
                kept.append(name)
        subfolders[:] = [name for name in subfolders if name in kept]
    return found


def outside_reason(env: BuildEnvironment, path: str | os.PathLike[str]) -> str | None:
    """Why the file at ``path`` (absolute, or from the working folder) must not be read, else None.

    Symbolic links are followed; one that loops raises ``RuntimeError``, as ``Path.resolve`` does.
    """
    resolved = Path(path).resolve()
    if any(resolved.is_relative_to(root) for root in allowed_roots(env)):
        return None
    if archive_config(env.config).file_roots:
        return "is outside the source folder and confarchive_file_roots"
    return "is outside the source folder"


def exclude_links_leading_out(app: Sphinx, config: Config) -> None:
    """``config-inited``: documents and folders reached through a link out of the sources are not read.

    They are added to ``exclude_patterns``, each with a warning, before Sphinx looks for
    documents (and before it compares this configuration with the last build's).
    """
    srcdir = Path(app.srcdir)
    outputs = {Path(app.outdir).resolve(), Path(app.doctreedir).resolve()}
    matcher = Matcher(config.exclude_patterns)

    def skip(relative: str) -> bool:
        return bool(matcher(relative)) or (srcdir / relative).resolve() in outputs

    links = links_leading_out(srcdir, roots_of(srcdir, archive_config(config).file_roots), skip)
    for relative in links:
        # no location: Sphinx has no documents yet, and takes a name without a line for one
        warn("%s: a symbolic link that leads outside the source folder; nothing is read through it",
             ArchiveWarning.PATH, None, srcdir / relative)
    if links:
        config.exclude_patterns = [*config.exclude_patterns, *links, *(f"{link}/**" for link in links)]
