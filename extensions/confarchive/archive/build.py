"""A build of the archive, from its first event to its pages: the archive layer's Sphinx glue.

- ``builder-inited``: the five index pages are written as documents into the archive
  folder (:func:`~.plan.index_stubs`), before Sphinx looks for documents;
- ``env-get-outdated`` (:func:`start`): the build's state is made (:mod:`.state`): the
  settings, the data files read (the posts naming an entry that changed are read again), and the
  records of the posts about to be read again;
- reading (:mod:`.reading`, :mod:`.rawhtml`, :mod:`.confine`);
- ``env-updated`` (:func:`after_reading`): the view of the archive, its pages planned
  from the store, images named by their paths;
- ``env-get-updated``: the pages to write again (:mod:`.incremental`);
- ``write-started`` (:func:`freeze_for_writers`): in a parallel build, the objects read so
  far are set aside from the garbage collector, so the forked writers share their memory;
- writing: listings filled in (:mod:`.listings`), posts' headers and neighbours
  (:mod:`.postpage`), archive pages (:mod:`.pages`), drafts hidden (:mod:`.drafts`).
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..config import archive_config
from ..problems import ArchiveWarning, warn, warn_problem
from ..text.registry import Registry, read_events, read_speakers
from .images import name_images_by_path
from .incremental import remember_records, touched_by_registry
from .plan import index_stubs, plan_pages, write_stubs
from .program import read_program_files, with_program_events
from .state import BuildState, build_state, start_build
from .view import ArchiveView

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import ArchiveDomain

logger = logging.getLogger(__name__)


def freeze_for_writers(app: Sphinx, builder: object) -> None:
    """``write-started``: before a parallel build forks its writers, freeze what reading made.

    A forked writer's garbage collector would otherwise walk the whole environment and
    copy every page of the parent's memory it touches (Python's advice for ``fork()``
    without ``exec()``); :func:`thaw_after_writing` gives them back.
    """
    if app.parallel > 1:
        gc.freeze()


def thaw_after_writing(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the objects frozen for the writers are collected as any others."""
    if gc.get_freeze_count():
        gc.unfreeze()


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: the documents this build reads, read in this process so far."""
    state = build_state(env)
    state.reading = frozenset(docnames)
    state.reader_pid = os.getpid()


def lighten_reader(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``, first in a process of a parallel read: forget the documents already read.

    Sphinx reads a chunk of documents in a forked process, which sends its whole
    environment back to be unpickled, serially, by the main process; but the main process
    merges only the chunk's documents from it. The process was forked with every chunk
    merged so far, so each sent more than the last: at 1,000 posts the main process spent
    5 s unpickling what it already had, while the readers waited. A reader forgets those
    documents before it reads its own, and sends back only what it read.
    """
    state = build_state(app.env)
    if state.reader_pid in (0, os.getpid()):
        return
    state.reader_pid = os.getpid()
    env = app.env
    for other in sorted(state.reading & set(env.all_docs) - {docname}):
        app.events.emit("env-purge-doc", env, other)
        env.clear_doc(other)


def write_index_pages(app: Sphinx) -> None:
    """``builder-inited``: the index pages' sources, which are the same whatever the posts say."""
    write_stubs(Path(app.srcdir) / archive_config(app.config).archive_dir, index_stubs())


def start(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: the build's state; the posts to read again because the data files changed."""
    settings = archive_config(app.config)
    srcdir = Path(app.srcdir)
    events, event_problems = read_events(srcdir / settings.events)
    speakers, speaker_problems = read_speakers(srcdir / settings.speakers)
    for filename, problems in ((settings.events, event_problems), (settings.speakers, speaker_problems)):
        for problem in problems:
            warn_problem(problem, path=srcdir / filename)
    # the programs: each file read again only when it changed; their events join events.yaml's
    domain: ArchiveDomain = env.domains["archive"]
    program = read_program_files(srcdir / settings.program, Path(app.doctreedir),
                                 known=domain.data.get("program_stamps", {}), fresh=not env.all_docs)
    for path, problem in program.problems:
        warn_problem(problem, path=path)
    domain.data["program_stamps"] = program.stamps
    events = with_program_events(events, program.events)
    # what the entries say, not where they stand in the files (a line's ``repr`` is left out)
    fingerprint = hashlib.sha256(repr((sorted(events.items()), sorted(speakers.items()))).encode()).hexdigest()
    changed_registry = domain.data.get("registry_fingerprint") != fingerprint
    registry = Registry(events, speakers)
    touched: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    if changed_registry:
        # the posts that name a changed entry are read again: their event and speakers may resolve elsewhere
        touched = touched_by_registry(domain, Registry(domain.data.get("events", {}),
                                                       domain.data.get("registry", {})), registry)
    domain.data.update(events=events, registry=speakers, registry_fingerprint=fingerprint)
    state = start_build(env, BuildState(config=settings, registry=registry, program=program,
                                        registry_changed=changed_registry,
                                        registry_posts=touched[0], registry_events=touched[1],
                                        registry_speakers=touched[2], removed=set(removed)))
    reread = touched[0] - removed
    # posts whose day has come since they were read: read again, and shown as if new
    due = domain.falling_due(state.now) - removed
    remember_records(state, domain, env, added | changed | removed | reread | due, appearing=due)
    return sorted((reread | due) - changed - added)


def after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the archive as readers see it, and its pages."""
    state = build_state(env)
    domain: ArchiveDomain = env.domains["archive"]
    state.view = ArchiveView(domain.data, state.config.show_drafts, state.now,
                             program=state.program.events if state.program else None, registry=state.registry,
                             talk_matching=state.config.talk_matching)
    state.pages = plan_pages(state.view, state.registry, state.config)
    name_images_by_path(env)
    report_matches(state.view)
    remember_program_links(state, domain)
    logger.info("confarchive: %d posts, %d archive pages", len(state.view.posts),
                len(state.pages) + len(index_stubs()))
    undescribed = sorted({post.event_slug for post in state.view.listed if post.event_slug}
                         - set(state.registry.events))
    for slug in undescribed:
        logger.info("confarchive: event %r is described nowhere (add it to %s); its page shows its name only",
                    slug, state.config.events)


def report_matches(view: ArchiveView) -> None:
    """Each covered talk matched to the program by proposal, and each card naming no program talk,
    at the card."""
    coverage = view.coverage
    for match in sorted(coverage.proposed, key=lambda m: (m.docname, m.line or 0)):
        talk = view.program_talks[match.key]
        warn("talk %r is taken to be %r of the program (%s): write ':talk: %s' on its card to confirm, "
             "or ':talk: none' to refuse", ArchiveWarning.TALK_MATCH, (match.docname, match.line),
             _title_of(view, match), talk.title, match.reason, match.key)
    for docname, line, message in sorted(coverage.unmatched, key=lambda u: (u[0], u[1] or 0)):
        warn("%s", ArchiveWarning.TALK_MATCH, (docname, line), message)


def _title_of(view: ArchiveView, match) -> str:
    for talk in view.talks.get(match.docname, ()):
        if talk.anchor == match.anchor:
            return talk.title
    return match.anchor


def remember_program_links(state: BuildState, domain: ArchiveDomain) -> None:
    """Keep what this build's pages show of the programs, and what the last build's showed
    (:func:`~.incremental.program_pages` compares them)."""
    view = state.read_view()
    state.program_links_before = domain.data.get("program_links", {})
    state.program_speakers_before = domain.data.get("program_speakers", {})
    domain.data["program_links"] = {f"{docname}#{anchor}": key
                                    for (docname, anchor), key in sorted(view.coverage.program_of.items())
                                    if docname not in view.hidden}
    domain.data["program_speakers"] = {key: list(ids) for key, ids in sorted(view.program_speaker_ids.items())}
