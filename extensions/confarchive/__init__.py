"""confarchive: a Sphinx extension that turns conference coverage into a browsable archive.

Importing the package imports no Sphinx: ``confarchive.text``, ``confarchive.importer``
and the ``confarchive`` command work without it. Sphinx calls :func:`setup`, which sets
up the extension (:mod:`confarchive.extension`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["__version__", "setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx's entry point: every part of the extension, registered by :mod:`confarchive.extension`."""
    from .extension import setup as setup_extension

    return setup_extension(app)
