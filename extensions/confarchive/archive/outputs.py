"""What a build leaves in the site of documents that are gone: removed at the end of every build.

Sphinx writes the pages of the documents it has and never removes the page of one
that was deleted or moved: its page, its ``_sources`` copy, its images and downloads
stay in ``_build/html``, reachable at their old addresses. A writer who deletes a post
for a legal or privacy reason expects it gone. So at ``build-finished``:

- the page and the source copy of every document this build found removed are deleted;
- every file in ``_images/``, ``_downloads/`` and ``_archive_images/`` that no document
  and no archive page of this build names is deleted;
- folders left empty are removed.

An incremental build then leaves the same files as a clean build of the same sources.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .images import stable_image_name
from .state import build_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: the names :func:`~.images.stable_image_name` gives: a name, a hyphen, 8 hex digits, a suffix
_STABLE_NAME = re.compile(r"-[0-9a-f]{8}(\.[^./]+)?$")


def remove_stale_outputs(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the outputs of documents that are gone, and files no page names any more."""
    builder = app.builder
    if exception is not None or builder.format != "html" or not hasattr(builder, "get_target_uri"):
        return
    env = app.env
    state = build_state(env)
    outdir = Path(app.outdir)
    emptied: set[Path] = set()
    for docname in sorted(state.removed - set(env.all_docs)):
        uri = builder.get_target_uri(docname)
        page = outdir / (uri + "index.html" if uri.endswith("/") or not uri else uri)
        sources = (outdir / "_sources" / docname).parent.glob(f"{Path(docname).name}.*.txt")
        for path in [page, *sources]:
            if path.is_file():
                path.unlink()
                emptied.add(path.parent)
    images = {name for _, name in env.images.values()}
    emptied |= _remove_unnamed(outdir / "_images", lambda path: path.name not in images
                               and bool(_STABLE_NAME.search(path.name)))
    downloads = {name for _, name in env.dlfiles.values()}
    emptied |= _remove_unnamed(outdir / "_downloads",
                               lambda path: path.relative_to(outdir / "_downloads").as_posix() not in downloads)
    pictures = _page_pictures(Path(app.srcdir).resolve(), state.pages.values())
    emptied |= _remove_unnamed(outdir / "_archive_images", lambda path: path.name not in pictures)
    _remove_empty(emptied, outdir)


def _page_pictures(srcdir: Path, pages) -> set[str]:
    """The names the archive pages' logos and avatars are copied under (as :mod:`.fasthtml` names them)."""
    names = set()
    for page in pages:
        if not page.image or "://" in page.image:
            continue
        try:
            names.add(stable_image_name((srcdir / page.image.lstrip("/")).resolve().relative_to(srcdir).as_posix()))
        except (ValueError, OSError, RuntimeError):
            continue  # outside the sources: never copied
    return names


def _remove_unnamed(folder: Path, unnamed) -> set[Path]:
    """Delete the files of ``folder`` for which ``unnamed(path)`` holds; the folders they left."""
    left: set[Path] = set()
    if not folder.is_dir():
        return left
    for path in sorted(folder.rglob("*")):
        if path.is_file() and unnamed(path):
            path.unlink()
            left.add(path.parent)
    return left


def _remove_empty(folders: set[Path], outdir: Path) -> None:
    """Remove the folders that are empty now, and their parents that became so, up to ``outdir``."""
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        current = folder
        while current != outdir and current.is_relative_to(outdir) and current.is_dir() \
                and not any(current.iterdir()):
            current.rmdir()
            current = current.parent
