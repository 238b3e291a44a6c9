"""confarchive's configuration: one dataclass, each field with its type, default, rebuild kind and help.

Every ``confarchive_<name>`` value of ``conf.py`` is a field of :class:`ArchiveConfig`.
:func:`register` adds them all to Sphinx in one loop; :func:`check` (at
``config-inited``) checks each value and stops the build with a clear message when one
is wrong; :func:`archive_config` reads them back as one object. The reference page of
the documentation is generated from the fields (``{confarchive-config}``).

Pure: Sphinx is imported only by the functions that register and check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .text.sanitise import DEFAULT_IFRAME_HOSTS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: the prefix of every configuration value in ``conf.py``
PREFIX = "confarchive_"


def _positive(value: int) -> None:
    if value < 1:
        raise ValueError("must be 1 or more")


def _not_negative(value: int) -> None:
    if value < 0:
        raise ValueError("must be 0 or more")


def _relative_folder(value: str) -> None:
    if not value.strip("/") or value.startswith("/") or ".." in value.split("/"):
        raise ValueError("must be a folder inside the source folder, such as 'archive'")


#: how ``sphinx-build -D name=value`` may write True and False
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _auto_or_bool(value: Any) -> None:
    if auto_or_bool(value) is None and str(value).lower() != "auto":
        raise ValueError("must be 'auto', True or False")


def auto_or_bool(value: Any) -> bool | None:
    """A setting that is ``'auto'`` (None), True or False, also as ``-D`` writes them ("1", "no"...)."""
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _texts(value: Any) -> None:
    if not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of strings")


def option(default: Any, rebuild: str, types: tuple[type, ...], help: str,
           validate: Callable[[Any], None] | None = None) -> Any:
    """A field of :class:`ArchiveConfig`: its default and what Sphinx and the reference page need."""
    return field(default=default, metadata={"rebuild": rebuild, "types": types, "help": help, "validate": validate})


@dataclass(frozen=True)
class ArchiveConfig:
    """Every confarchive setting, as ``conf.py`` gives it (``confarchive_<field>``)."""

    archive_dir: str = option(
        "archive", "env", (str,),
        "The folder, inside the source folder, where confarchive writes the archive's index pages on "
        "every build. It ignores itself in git; do not edit the pages there.", _relative_folder)
    events: str = option(
        "events.yaml", "env", (str,),
        "The events data file, from the source folder: each event's name, dates, place, website, logo "
        "and aliases.")
    speakers: str = option(
        "speakers.yaml", "env", (str,),
        "The speakers data file, from the source folder: canonical names, aliases, affiliations, roles, "
        "avatars and profile links.")
    program: str = option(
        "program", "env", (str,),
        "The folder of program files, from the source folder: one ``<event>.yaml`` for each event: the "
        "official program of that event (written by ``confarchive import-program``). Each talk gets a page, "
        "listed on its event's and its speakers' pages.", _relative_folder)
    talk_matching: bool = option(
        True, "env", (bool,),
        "Whether a talk covered in a post whose card names no program talk (``:talk:``) is matched to the "
        "program by its speakers and title. Each match made this way is reported "
        "(``confarchive.talk_match``), so that it can be confirmed or refused on the card.")
    posts_per_page: int = option(
        10, "env", (int,), "Posts a page in a paginated list: the home page and its older pages, and each "
        "event's, tag's, author's and year's page.", _positive)
    excerpt_words: int = option(
        50, "html", (int,),
        "The most words of a post's summary or excerpt that a listing shows, about three lines; a longer "
        "one is cut at a word and ends in an ellipsis. Every excerpt ends in a ``Continue reading`` link.",
        _positive)
    show_drafts: bool = option(
        False, "env", (bool,),
        "List and link drafts and posts dated in the future like any other post (for a preview).")
    search: bool = option(
        True, "html", (bool,),
        "Build the Pagefind search index and page instead of Sphinx's own search.")
    search_wait: Any = option(
        "auto", "", (str, bool),
        "Whether a build ends only once its search index is in place. ``'auto'``: a first build, and one "
        "that reads every document, wait; other builds end as soon as the pages are written, and the "
        "index, made in a process of its own, replaces the last one, whole, a few seconds later "
        "(``make serve`` shows an edit at once). ``True`` always waits, ``False`` never does "
        "(``-D confarchive_search_wait=1`` on the command line).",
        _auto_or_bool)
    feed_length: int = option(
        20, "html", (int,), "Entries in each Atom feed; 0 writes no feeds.", _not_negative)
    trust_raw_html: bool = option(
        False, "env", (bool,),
        "Leave raw HTML in posts as written, without the HTML policy: for archives whose every author "
        "is trusted.")
    iframe_hosts: tuple = option(
        DEFAULT_IFRAME_HOSTS, "env", (list, tuple),
        "The hosts whose players raw HTML may embed with an ``<iframe>`` (https only).", _texts)
    redirects_file: str = option(
        "redirects.yaml", "env", (str,),
        "The data file, from the source folder, mapping imported posts' old addresses to their pages; "
        "an empty string makes no redirects.")
    file_roots: tuple = option(
        (), "env", (list, tuple),
        "Folders besides the source folder that directives may read files from (``include``, "
        "``literalinclude``, ``raw``, ``csv-table``, images), each relative to the source folder or "
        "absolute.", _texts)
    linkcheck_https_upgrades: bool = option(
        True, "", (bool,),
        "``make linkcheck``: report a redirect from http to the same address on https as fine.")
    configure_extensions: bool = option(
        True, "html", (bool,),
        "Give the extensions confarchive sets up settings that suit an archive, where ``conf.py`` leaves "
        "them at their defaults: OpenGraph's first image as a page's picture, a sitemap of the whole "
        "``html_baseurl``, a 404 page whose links start at the site's path. ``False`` leaves them alone.")


def fields() -> list[dataclasses.Field]:
    """The fields of :class:`ArchiveConfig`, in the order the reference lists them."""
    return list(dataclasses.fields(ArchiveConfig))


def archive_config(config: Config) -> ArchiveConfig:
    """The project's confarchive settings as one object."""
    return ArchiveConfig(**{item.name: config[PREFIX + item.name] for item in fields()})


def left_at_default(config: Config, name: str) -> bool:
    """Whether a setting (of Sphinx or of another extension) is at its default.

    Neither given on the command line (``-D``) nor set to anything but its default by
    ``conf.py``; a ``conf.py`` that sets a setting to its default leaves it at its default.
    """
    return name not in config.overrides and config[name] == config.values[name].default


def register(app: Sphinx) -> None:
    """Add every setting to Sphinx, with its help text."""
    for item in fields():
        app.add_config_value(PREFIX + item.name, item.default, item.metadata["rebuild"], item.metadata["types"],
                             description=item.metadata["help"])


def check(app: Sphinx, config: Config) -> None:
    """``config-inited``: a wrong value stops the build, naming the setting and what it must be."""
    from sphinx.errors import ConfigError

    for item in fields():
        name = PREFIX + item.name
        value = config[name]
        types = item.metadata["types"]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise ConfigError(f"{name} = {value!r}: must be {' or '.join(kind.__name__ for kind in types)}")
        validate = item.metadata["validate"]
        if validate is not None:
            try:
                validate(value)
            except ValueError as error:
                raise ConfigError(f"{name} = {value!r}: {error}") from None
