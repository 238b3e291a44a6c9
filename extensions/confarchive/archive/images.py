"""Image names in the site's ``_images/`` folder: made from each image's path.

Sphinx names images by their file name, adding a number to the second ``gcp.png`` it
meets; which one is second depends on the order the posts were read in, which differs
between ``-j 1`` and ``-j 2`` and between builds, and social cards and feeds then show
the wrong picture. confarchive names each image by its own name and a digest of its
path, the same whatever else the archive holds.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def stable_image_name(path: str) -> str:
    """The name of an image in ``_images/``: its own, and a digest of its path from the source folder."""
    relative = PurePosixPath(path)
    digest = hashlib.sha256(relative.as_posix().encode("utf-8")).hexdigest()[:8]
    return f"{relative.stem}-{digest}{relative.suffix}"


def name_images_by_path(env: BuildEnvironment) -> None:
    """After reading: every image of the environment takes its :func:`stable_image_name`.

    The names Sphinx gave while reading are only used from the builder on, which starts
    after this; images stay the entries of ``env.images`` they were.
    """
    images = env.images
    for path, (docnames, _) in list(images.items()):
        images[path] = (docnames, stable_image_name(path))
