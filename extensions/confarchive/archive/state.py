"""The state of one build, in one object: what a build knows beyond the environment.

The environment (``ArchiveDomain.data``) keeps what documents say, across builds.
Everything else a build works out lives in one :class:`BuildState`, made in one place
(:func:`start_build`, at ``env-get-outdated``, the first event of every build) and
reached from anywhere through :func:`build_state`:

- the settings (:class:`~confarchive.config.ArchiveConfig`) and the data files
  (:class:`~confarchive.text.registry.Registry`), read before any document;
- for incremental builds, the records of the posts about to be read again, and the
  archive pages to write again;
- after reading, the archive as readers see it (:class:`~.view.ArchiveView`) and its
  pages (:mod:`.plan`);
- while writing, the links made once a folder, and the search index being made.

It hangs on the archive domain's object, which Sphinx makes afresh for each environment
and never pickles: nothing of it outlives the process, and no module holds build state.
A parallel build's writers are forked after reading, and each reads its copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from ..config import ArchiveConfig
    from ..model import Post, Talk
    from ..text.registry import Registry
    from .layout import ArchivePage
    from .program import ProgramFiles
    from .view import ArchiveView


@dataclass
class BuildState:
    """What one build of the archive knows beyond its environment."""

    config: ArchiveConfig
    registry: Registry
    #: the start of the build: a post dated after it is not listed yet
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    #: the official programs (program files), and which of them changed since the last build
    program: ProgramFiles | None = None
    #: what the last build's pages showed of the programs: which program talk each covered
    #: talk is (``docname#anchor`` -> key), and the speakers' ids of each program talk (by key)
    program_links_before: dict[str, str] = field(default_factory=dict)
    program_speakers_before: dict[str, list[str]] = field(default_factory=dict)
    #: whether the data files say something else than at the last build
    registry_changed: bool = False
    #: the entries that changed (event slugs, speaker ids), and the posts that name them (read again)
    registry_events: set[str] = field(default_factory=set)
    registry_speakers: set[str] = field(default_factory=set)
    registry_posts: set[str] = field(default_factory=set)
    #: the records of the posts about to be read again or removed, as they were: docname -> (post, talks)
    before: dict[str, tuple[Post | None, list[Talk]]] = field(default_factory=dict)
    #: a first build, or a new environment: every archive page is written
    rewrite_all: bool = False
    #: the documents this build found gone: their outputs are removed when it ends
    removed: set[str] = field(default_factory=set)
    #: the archive pages whose content changed in this build
    dirty_pages: set[str] = field(default_factory=set)
    #: after reading: the archive as readers see it, and its pages by pagename
    view: ArchiveView | None = None
    pages: dict[str, ArchivePage] = field(default_factory=dict)
    #: while writing: relative URIs and finished links, by output folder (see the listings)
    relative_uris: dict[tuple, str] = field(default_factory=dict)
    links: dict[tuple, Any] = field(default_factory=dict)
    #: the search index being made (:class:`confarchive.search.index.IndexJob`), and the feeds' plan
    index_job: Any = None
    #: whether the build ends once its search index is in place (see ``confarchive_search_wait``)
    index_wait: bool = True
    #: every document is read in this build (a first build, a changed configuration...)
    read_all: bool = False
    #: the documents this build reads, and the process reading them (see ``build.lighten_reader``)
    reading: frozenset[str] = frozenset()
    reader_pid: int = 0
    feeds: Any = None

    def read_view(self) -> ArchiveView:
        """The view of the archive: an error before every document is read."""
        if self.view is None:
            raise RuntimeError("confarchive: the archive is asked about before its documents are read")
        return self.view


def build_state(env: BuildEnvironment) -> BuildState:
    """The state of the build in progress."""
    state = env.domains["archive"].build
    if state is None:
        raise RuntimeError("confarchive: no build in progress (the state starts at env-get-outdated)")
    return state


def start_build(env: BuildEnvironment, state: BuildState) -> BuildState:
    """Make ``state`` the state of the build that starts; the one place a state is set."""
    env.domains["archive"].build = state
    return state
