"""The files of a new, empty archive (``confarchive init``). Pure: text in, text out.

:func:`archive_files` gives each file's path, relative to the archive's folder, and its
text: the Sphinx configuration, the home page with the list of posts and the archive's
indexes in the sidebar, the two data files with commented examples, and a
``.gitignore``. The archive builds as it is, with no warning, and shows "No posts yet."
until ``confarchive new`` writes the first post.
"""

from __future__ import annotations

__all__ = ["archive_files"]

_CONF = '''\
"""Sphinx configuration of {title}: conference coverage, built with confarchive."""

import os

project = {title!r}
author = {author!r}
copyright = {copyright!r}

extensions = ["confarchive"]
html_theme = "furo"
html_title = {title!r}
exclude_patterns = ["_build"]

# Where the archive is published: feeds, the sitemap and social previews need the
# address. Read the Docs gives it to every build; elsewhere, write your own here.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", {url!r})
'''

_INDEX = """\
# {title_markdown}

Notes from the conferences we went to: every talk, who gave it, and what we made of it.

## Latest coverage

:::{{postlist}}
:paginate:
:::

```{{toctree}}
:hidden:
:caption: Browse the archive

archive/events/index
archive/speakers/index
archive/tags/index
archive/authors/index
archive/years/index
```
"""

_EVENTS = """\
# The events the archive covers, one entry each. A post names its event in its front
# matter by the entry's id (`event: pycon-us-2019`), its name, or one of its aliases.
# Describe an event here before its first post; `confarchive new --event` checks.
#
# pycon-us-2019:
#   name: PyCon US 2019
#   start: 2019-05-01
#   end: 2019-05-09
#   location: Cleveland, Ohio
#   website: https://us.pycon.org/2019/
#   aliases: [PyCon 2019]
"""

_SPEAKERS = """\
# The speakers, where a card in a post is not enough: their canonical name, the other
# spellings posts use, their role, affiliation, photo and profiles. A speaker card with
# the same Twitter/X handle, name or alias is this person; the card's role, affiliation
# and links come from here where the card gives none.
#
# michellenoorali:
#   name: Michelle Noorali
#   aliases: [Michelle N.]
#   twitter: michellenoorali
#   github: michelleN
#   role: Senior Software Engineer
#   affiliation: Microsoft
"""

_GITIGNORE = """\
_build/
"""


def _markdown_text(text: str) -> str:
    """``text`` as a heading writes it: Markdown's special characters escaped."""
    return "".join(f"\\{char}" if char in "\\`*_{}[]<>()#+!|" else char for char in text)


def archive_files(title: str, author: str, url: str, year: int) -> dict[str, str]:
    """The files of a new archive, by path relative to its folder."""
    title = " ".join(title.split())
    author = " ".join(author.split())
    return {
        "conf.py": _CONF.format(title=title, author=author, copyright=f"{year}, {author}", url=url),
        "index.md": _INDEX.format(title_markdown=_markdown_text(title)),
        "events.yaml": _EVENTS,
        "speakers.yaml": _SPEAKERS,
        ".gitignore": _GITIGNORE,
    }
