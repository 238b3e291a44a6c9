"""``confarchive import``: a whole blog as clean MyST posts. No Sphinx import.

- :mod:`.run`: the blog's formats (Wintersmith, Jekyll, Hugo), its posts read and written
  as ``<into>/<year>/<slug>/index.md`` with their images, and the redirects from their
  old addresses;
- :mod:`.migrate`: a post's body migrated to clean MyST (the legacy dialect, template
  tags, links between posts);
- :mod:`.html_to_myst`: raw HTML in a post written as MyST where it can be;
- :mod:`.report`: what the import did and what it found, each problem at a file and line;
- :mod:`.program`: ``confarchive import-program``, the official program of conferences (a
  pyvideo event or data folder, a frab or pretalx schedule) written as program files,
  ``<into>/<event-id>.yaml``, and its report.
"""

from .program import ProgramReport, detect_program, import_program
from .report import ImportReport
from .run import FORMATS, ImportAborted, detect_format, import_blog, render_front_matter

__all__ = ["FORMATS", "ImportAborted", "ImportReport", "ProgramReport", "detect_format", "detect_program",
           "import_blog", "import_program", "render_front_matter"]
