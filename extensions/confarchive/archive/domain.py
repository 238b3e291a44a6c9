"""The archive's store: one data-only Domain keyed by docname.

Everything the archive reads from documents (posts, talks, listings) lives in
``ArchiveDomain.data``, keyed by the docname it was read from, so purging a document and
merging the results of parallel readers are one line each; the events and speakers of
the data files are kept beside them, to tell when they change. Questions about the
archive as a whole are answered by the build's view (:mod:`.view`), and the domain's
roles resolve through it to the pages of :mod:`.layout`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains import Domain
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from ..model import ListingSpec, Post, Talk, is_future
from ..problems import ArchiveWarning, warn
from ..text.slugs import name_key, twitter_handle
from .consistency import check_archive
from .layout import archive_docname
from .state import build_state

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .state import BuildState

#: the parts of the store kept by docname
_BY_DOCNAME = ("posts", "talks", "listings", "placeholders", "future", "references")


class ArchiveDomain(Domain):
    """Data-only domain holding the archive's posts, talks and listings."""

    name = "archive"
    label = "Conference archive"
    initial_data: dict[str, Any] = {"posts": {}, "talks": {}, "listings": {}, "placeholders": {}, "events": {},
                                    "registry": {}, "registry_fingerprint": ""}
    #: bump when the shape of the stored records changes
    data_version = 10
    roles = {
        "speaker": XRefRole(innernodeclass=nodes.inline),
        "event": XRefRole(innernodeclass=nodes.inline),
        "talk": XRefRole(innernodeclass=nodes.inline),
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: the state of the build in progress (:mod:`.state`); never pickled
        self.build: BuildState | None = None

    # --- the store ---------------------------------------------------------------------

    @property
    def posts(self) -> dict[str, Post]:
        return self.data.setdefault("posts", {})

    @property
    def talks(self) -> dict[str, list[Talk]]:
        return self.data.setdefault("talks", {})

    @property
    def listings(self) -> dict[str, list[ListingSpec]]:
        return self.data.setdefault("listings", {})

    def note_post(self, post: Post) -> None:
        self.posts[post.docname] = post

    def note_talks(self, docname: str, talks: Iterable[Talk]) -> None:
        talks = list(talks)
        if talks:
            self.talks[docname] = talks
        else:
            self.talks.pop(docname, None)

    def note_listing(self, docname: str, spec: ListingSpec) -> None:
        self.listings.setdefault(docname, []).append(spec)

    def note_future(self, docname: str, date: str) -> None:
        """``docname`` is a post dated after the build that read it: read it again on its day."""
        self.data.setdefault("future", {})[docname] = date

    def falling_due(self, now) -> set[str]:
        """The posts read while in the future whose date has come by ``now``."""
        return {docname for docname, date in self.data.get("future", {}).items() if not is_future(date, now)}

    def note_references(self, docname: str) -> None:
        """``docname`` names speakers, events or talks with the archive's roles (not a card's name)."""
        self.data.setdefault("references", {})[docname] = True

    @property
    def referring(self) -> set[str]:
        """The documents that name speakers, events or talks with the archive's roles."""
        return set(self.data.get("references", {}))

    def note_placeholder(self, docname: str) -> None:
        """``docname`` holds a list to fill in once every post is read."""
        self.data.setdefault("placeholders", {})[docname] = True

    def has_placeholders(self, docname: str) -> bool:
        return docname in self.data.get("placeholders", {})

    def clear_doc(self, docname: str) -> None:
        for key in _BY_DOCNAME:
            self.data.setdefault(key, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in _BY_DOCNAME:
            mine = self.data.setdefault(key, {})
            mine.update((docname, value) for docname, value in otherdata.get(key, {}).items()
                        if docname in docnames)

    def iter_talks(self) -> Iterator[Talk]:
        for docname in sorted(self.talks):
            yield from self.talks[docname]

    # --- consistency ---------------------------------------------------------------------

    def check_consistency(self) -> None:
        """After reading: tags that fold together, cards that make two people one or one name two."""
        check_archive(build_state(self.env).read_view())

    # --- cross-references ----------------------------------------------------------------

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
                     target: str, node: nodes.Element, contnode: nodes.Element) -> nodes.Element | None:
        found = self._find(env, typ, target)
        if isinstance(found, Ambiguous):
            warn("%s reference %r is ambiguous: it names %s; write the handle or id instead",
                 ArchiveWarning.REFERENCE, node, typ, target, found.describe())
            return None
        if node.get("confarchive_quiet") and not isinstance(found, tuple):
            return None  # a card's name: its page may list no talk; the name stays as text
        if found is Unpublished:
            warn("%s reference %r names only what drafts or posts dated in the future hold; it stays text "
                 "until they are published", ArchiveWarning.REFERENCE, node, typ, target)
            return None
        if found is None:
            warn("%s reference target not found in the archive: %r", ArchiveWarning.REFERENCE, node, typ, target)
            return None
        docname, anchor, title = found
        if typ in ("speaker", "event"):
            docname = archive_docname(build_state(env).config, typ, docname)
            if not page_exists(env, docname):
                return None
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def _find(self, env: BuildEnvironment, typ: str, target: str) -> tuple[str, str, str] | Ambiguous | object | None:
        """What a reference names: ``(docname or key, anchor, title)``, :data:`Unpublished`, or None.

        Only what readers can reach is named: speakers of listed posts, events of listed
        posts or of ``events.yaml``, talks of listed posts or of the programs (``event/talk``). A name known only from drafts
        and future posts is :data:`Unpublished`.
        """
        target = target.strip()
        state = build_state(env)
        view = state.read_view()
        if typ == "speaker":
            found = self._find_speaker(state, view.shown_speakers, target)
            if found is None and self._find_speaker(state, view.speakers, target) is not None:
                return Unpublished
            return found
        if typ == "event":
            slug = state.registry.event_slug(target)
            if slug in view.event_slugs or slug in state.registry.events:
                return slug, "", view.event(slug).name
            return Unpublished if any(post.event_slug == slug for post in view.posts.values()) else None
        if typ == "talk":
            program_talk = view.program_talks.get(target.strip("/").lower())
            if program_talk is not None:  # a talk of the official program: its page
                return archive_docname(state.config, "talk", program_talk.key), "", program_talk.title
            docname, _, anchor = target.partition("#")
            docname = docname.removesuffix(".md").strip("/")
            for talk in self.talks.get(docname, []):
                if talk.anchor == anchor or (not anchor and not talk.anchor):
                    return Unpublished if docname in view.hidden else (talk.docname, talk.anchor, talk.title)
            return None
        return None

    @staticmethod
    def _find_speaker(state: BuildState, speakers: dict, target: str) -> tuple[str, str, str] | Ambiguous | None:
        handle = twitter_handle(target) if target.startswith("@") else None
        entry = speakers.get(target.lower().lstrip("@")) or speakers.get(state.registry.speaker_id(target, handle))
        if entry is None:
            wanted = name_key(target)
            named = sorted((e for e in speakers.values() if wanted in map(name_key, e.names)), key=lambda e: e.id)
            if len(named) > 1:
                return Ambiguous(tuple(e.label for e in named))
            entry = named[0] if named else None
        return (entry.id, "", entry.name) if entry else None

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # noqa: D102
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The talks of listed posts, for ``objects.inv``: a draft's talks are not announced."""
        view = build_state(self.env).read_view()
        for talk in view.iter_talks():
            if talk.docname in view.hidden:
                continue
            yield (f"{talk.docname}#{talk.anchor}", talk.title, "talk", talk.docname, talk.anchor, 1)


#: what a reference names when only drafts and future posts hold it
Unpublished = object()


@dataclass(frozen=True)
class Ambiguous:
    """A reference that names more than one thing: the labels of what it names."""

    labels: tuple[str, ...]

    def describe(self) -> str:
        return " and ".join(repr(label) for label in self.labels)


def page_exists(env: BuildEnvironment, pagename: str) -> bool:
    """Whether the site has this page: a document, or an archive page written from the store."""
    return pagename in env.all_docs or pagename in build_state(env).pages
