"""What can be wrong, and how it is said: one enum of kinds, one problem type, one helper.

Every build warning has the type ``confarchive`` and a subtype from
:class:`ArchiveWarning`, so Sphinx prints ``[confarchive.<subtype>]`` after it and a
project can silence one kind with ``suppress_warnings = ["confarchive.<subtype>"]``.
The same kinds name what ``confarchive import`` reports (some only it reports).

The text layer and the importer, which know nothing of Sphinx, return a
:class:`Problem` (a 1-based line, a kind, a message); the Sphinx side turns each into a
located warning with :func:`warn`, the one place a confarchive warning is emitted.
Pure: Sphinx's logging is imported by :func:`warn` only, when it is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

WARNING_TYPE = "confarchive"
#: the name of confarchive's logger
LOGGER_NAME = "confarchive"


class ArchiveWarning(Enum):
    """Warning subtypes of confarchive (the ``[confarchive.<subtype>]`` suffix)."""

    FRONT_MATTER = "front_matter"
    """The front matter is not valid YAML, is not a mapping, or a field has the wrong type.
    The post still renders: readable fields are kept, the rest is dropped."""

    DATE = "date"
    """A post's ``date`` is malformed. What can be read (year, month) is kept;
    a date with nothing readable leaves the post undated."""

    LINK = "link"
    """A link in a directive option (speaker profile, image target) uses a scheme other
    than ``http`` or ``https``. It is refused and never becomes a link."""

    IMAGE_ALT = "image_alt"
    """An image float has no ``alt`` text, so readers of screen readers get nothing."""

    SPEAKER = "speaker"
    """A speaker card cannot be read as part of a talk (for example it sits outside any
    section)."""

    DATA_FILE = "data_file"
    """``events.yaml`` or ``speakers.yaml`` cannot be read, or an entry is not a mapping
    of fields. The entries that can be read are kept."""

    EVENT = "event"
    """An event's description is inconsistent (a malformed date, an end before its start)."""

    IDENTITY = "identity"
    """Two registry entries claim one speaker, or one speaker's cards disagree."""

    REFERENCE = "reference"
    """A ``{archive:speaker}``, ``{archive:event}`` or ``{archive:talk}`` reference names
    nothing in the archive."""

    LISTING = "listing"
    """A ``postlist`` filter names nothing in the archive, so the list is empty."""

    HTML = "html"
    """Raw HTML in a post breaks the archive's HTML policy (a script, an event handler
    attribute, a ``javascript:`` URL, an iframe from a host not on the list...). What
    breaks it is removed, and the rest of the HTML is kept."""

    ENCODING = "encoding"
    """A source file is not valid UTF-8, or holds characters no page can carry (NUL bytes).
    The undecodable bytes are replaced and the page still builds."""

    STRUCTURE = "structure"
    """A post's structure is unusual enough to confuse readers or lose something: two talks
    with one title (each keeps an anchor of its own), lists or quotes nested deeper than
    Markdown reads (flattened, every word kept)."""

    TAG = "tag"
    """Two spellings of a tag are one tag: they differ only in case, in Unicode form, or in
    the spaces, hyphens and underscores between words (``Go`` and ``go``,
    ``cloud native`` and ``cloud-native``). The tag has one page, named after the
    spelling most posts use. Each post keeps its own spelling under its title."""

    PATH = "path"
    """A link or image in a post (or a logo or photo in a data file) points outside the
    project's source folder, or at an absolute path on the machine that builds it: it is
    left out, its text kept. Or a Markdown link uses a scheme that is never followed
    (``javascript:``, ``data:``...): it stays text."""

    PROGRAM = "program"
    """A program file (``program/<event>.yaml``) or a schedule being imported cannot be
    read, or one of its talks is incomplete or too large: a missing title, a speaker id the
    file does not describe, a talk id given twice, more speakers or a longer abstract than
    a page can show. The talk is kept as far as it can be read (the second of two talks
    with one id is left out), and every other talk is kept."""

    TALK_MATCH = "talk_match"
    """A talk covered in a post was taken to be a talk of the program because its
    speakers and title match, not because its card says so. The post links to it; write
    ``:talk: event/talk`` on the card to confirm the match, or ``:talk: none`` to refuse
    it. A card's ``:talk:`` naming no talk of the program is reported too."""

    SEARCH_INDEX = "search_index"
    """The search index that the last build left being written could not be written (the
    message says why). The site kept the index before it; this build writes it again."""

    # --- kinds only ``confarchive import`` reports ----------------------------------------

    UNREADABLE = "unreadable"
    """Import: a file of the blog cannot be read, or lies outside the blog's folder."""

    OUTSIDE = "outside"
    """Import: a file the blog names lies outside its folder; it is not imported."""

    EMPTY_POST = "empty_post"
    """Import: a post has no text; it is not imported."""

    LARGE_POST = "large_post"
    """Import: a post is larger than a megabyte; it is imported, and worth a look."""

    POST_FAILED = "post_failed"
    """Import: a post could not be imported; the others are."""

    TITLE = "title"
    """Import: a post has no title; one is made from its file name or first heading."""

    AUTHOR = "author"
    """Import: a post names no author; the blog's owner (or ``--author``) is written."""

    SLUG = "slug"
    """Import: a post's folder name had to be made from its title."""

    DUPLICATE_SLUG = "duplicate_slug"
    """Import: two posts want one folder; the second gets a number."""

    CODE_LANGUAGE = "code_language"
    """Import: a code block names a language Pygments does not know; a close one is written."""

    MARKDOWN = "markdown"
    """Import: Markdown that would not read as meant (``** bold **``) is written so that it does."""

    TEMPLATE = "template"
    """Import: a template tag (a Hugo shortcode, a Jekyll Liquid tag or variable) the import
    does not know, or a link tag naming no post of the import. It is kept as text, shown as
    code, so that nothing is lost without a word."""

    IMAGE_MISSING = "image_missing"
    """Import: a post names an image the blog does not hold."""

    IMAGE_REFUSED = "image_refused"
    """Import: an image path leads outside the blog; it is not copied."""

    EMBED = "embed"
    """Import: an embedded player or widget from a host the HTML policy does not allow."""

    HEADING_LEVEL = "heading_level"
    """Import: headings skip a level; they are renumbered so that levels follow each other."""

    SYMLINK = "symlink"
    """Import: a file of the blog is a symbolic link; it is read where it leads, inside the blog."""

    SYMLINK_LOOP = "symlink_loop"
    """Import: a symbolic link of the blog leads to itself; it is not read."""

    LINE_ENDS = "line_ends"
    """Import: a post's CR LF or CR line ends are written as LF."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The kind as reports write it: ``front matter``."""
        return self.value.replace("_", " ")


#: the kinds that only ``confarchive import`` reports: never a build warning
IMPORT_ONLY = frozenset({
    ArchiveWarning.UNREADABLE, ArchiveWarning.OUTSIDE, ArchiveWarning.EMPTY_POST, ArchiveWarning.LARGE_POST,
    ArchiveWarning.POST_FAILED, ArchiveWarning.TITLE, ArchiveWarning.AUTHOR, ArchiveWarning.SLUG,
    ArchiveWarning.DUPLICATE_SLUG, ArchiveWarning.CODE_LANGUAGE, ArchiveWarning.MARKDOWN, ArchiveWarning.TEMPLATE,
    ArchiveWarning.IMAGE_MISSING, ArchiveWarning.IMAGE_REFUSED, ArchiveWarning.EMBED, ArchiveWarning.HEADING_LEVEL,
    ArchiveWarning.SYMLINK, ArchiveWarning.SYMLINK_LOOP, ArchiveWarning.LINE_ENDS,
})


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, at a 1-based line: what the text layer and the importer return."""

    line: int
    subtype: ArchiveWarning
    message: str
    #: the file, where the finder knows it and the caller does not (the importer's reports)
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
        return f"{where}: [{self.subtype.label}] {self.message}"


def warn(message: str, subtype: ArchiveWarning, location: Any, *args: Any) -> None:
    """Emit a located confarchive warning: ``message % args``, at ``location``.

    ``location`` is what Sphinx takes: a node, ``(docname, line)``, or ``"path:line"``.
    """
    from sphinx.util import logging

    logging.getLogger(LOGGER_NAME).warning(message, *args, type=WARNING_TYPE, subtype=subtype.value,
                                           location=location)


def warn_problem(problem: Problem, *, docname: str | None = None, path: Any = None) -> None:
    """A :class:`Problem` as a located warning: at its line of a document, or of a file by path."""
    location = (docname, problem.line) if docname is not None else f"{path}:{problem.line}"
    warn("%s", problem.subtype, location, problem.message)
