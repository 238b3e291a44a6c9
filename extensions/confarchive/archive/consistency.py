"""After reading: what the archive's records say that readers would find wrong.

Run once every document is read (the domain's ``check_consistency``): two spellings
of one tag, one handle on cards of different people, two people with one name. Each
warning is located at the card or the front matter line it concerns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..model import Speaker, SpeakerEntry
from ..problems import ArchiveWarning, warn
from ..text.slugs import TAG_RULE, tag_slug, tally
from .view import ArchiveView, handle_of, known_names, namesakes_of, shares_a_word


def check_archive(view: ArchiveView) -> None:
    """Warn where tags fold together, where cards make two people one, or one name two people."""
    check_tags(view)
    check_speakers(view)


def check_tags(view: ArchiveView) -> None:
    """Each post whose spelling of a tag is not the one its page shows, at the tags line.

    A tag's page is named by the listed posts; a tag only drafts have, by the drafts.
    """
    posts = sorted(view.posts.values(), key=lambda post: post.docname)
    _, names = tally((post.tags for post in posts), tag_slug)
    names.update(view.tag_names)
    for post in posts:
        for tag in post.tags:
            shown = names[tag_slug(tag)]
            if tag != shown:
                warn("tag %r is the tag %r of other posts, as its page shows it: %s", ArchiveWarning.TAG,
                     (post.docname, post.tags_line), tag, shown, TAG_RULE)


def check_speakers(view: ArchiveView) -> None:
    entries = view.speakers
    for entry in sorted(entries.values(), key=lambda e: e.id):
        if not handle_of(entry):
            continue  # without a handle, only names that read alike are one person
        cards = list(_cards(entry))
        known = known_names(entry, Counter(speaker.name for _, speaker in cards))
        for docname, speaker in cards:
            if shares_a_word(speaker.name, known):
                continue
            warn("speaker card %r has the handle @%s of %s, whose names share no word with it; all are shown "
                 "as %r: check the handle", ArchiveWarning.IDENTITY, (docname, speaker.line), speaker.name,
                 handle_of(entry), " and ".join(map(repr, sorted(known))), entry.name)
    for namesakes in namesakes_of(entries).values():
        carded = [entry for entry in namesakes if entry.talks]
        if not carded:
            continue  # the people of programs only: nothing a post can change
        # reported at the first card of the namesake that comes last in the archive
        latest = max(carded, key=lambda e: min(_card_places(e)))
        docname, line = min(_card_places(latest))
        labels = ", ".join(repr(e.label) for e in sorted(namesakes, key=lambda e: e.label))
        warn("%d speakers are named %r; each has a page of their own, listed as %s (if they are one person, "
             "give their cards one handle)", ArchiveWarning.IDENTITY, (docname, line or None), len(namesakes),
             latest.name, labels)


def _cards(entry: SpeakerEntry) -> Iterator[tuple[str, Speaker]]:
    """(docname, card) of every card that names ``entry``'s person."""
    for talk in entry.talks:
        for speaker in talk.speakers:
            if speaker.id == entry.id:
                yield talk.docname, speaker


def _card_places(entry: SpeakerEntry) -> list[tuple[str, int]]:
    return [(docname, speaker.line or 0) for docname, speaker in _cards(entry)]
