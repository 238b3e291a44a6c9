"""``confarchive import``: a whole blog as clean MyST posts. No Sphinx import.

- :mod:`.run`: the blog's formats (Wintersmith, Jekyll, Hugo), its posts read and written
  as ``<into>/<year>/<slug>/index.md`` with their images, and the redirects from their
  old addresses;
- :mod:`.migrate`: a post's body migrated to clean MyST (the legacy dialect, template
  tags, links between posts);
- :mod:`.html_to_myst`: raw HTML in a post written as MyST where it can be;
- :mod:`.report`: what the import did and what it found, each problem at a file and line.
"""

from .report import ImportReport
from .run import FORMATS, ImportAborted, detect_format, import_blog, render_front_matter

__all__ = ["FORMATS", "ImportAborted", "ImportReport", "detect_format", "import_blog", "render_front_matter"]
