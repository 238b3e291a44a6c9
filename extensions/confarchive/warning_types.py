"""The kinds of warning confarchive emits.

Every warning has the type ``confarchive`` and one of these subtypes, so Sphinx
prints ``[confarchive.<subtype>]`` after it and a project can silence one kind
with ``suppress_warnings = ["confarchive.<subtype>"]``.
"""

from __future__ import annotations

from enum import Enum

WARNING_TYPE = "confarchive"


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

    def __str__(self) -> str:
        return self.value


def warning_kwargs(subtype: ArchiveWarning) -> dict[str, str]:
    """The ``type`` and ``subtype`` arguments of a confarchive warning."""
    return {"type": WARNING_TYPE, "subtype": subtype.value}
