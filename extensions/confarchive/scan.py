"""A quick look at every post before Sphinx reads it: which archive pages must exist.

Sphinx only builds documents that exist as files when reading starts, so the pages of
events, speakers, tags, authors and years are written as small stub sources first.
Which stubs are needed comes from this scan: the front matter and the speaker cards
of each post, found with the same converter and readers the build uses. Pure, no
Sphinx import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .encoding import replace_control_characters
from .frontmatter import is_post, read_post_fields
from .identity import twitter_handle
from .source import prepare_source

_SPEAKER_OPEN = re.compile(r"^\s*(:{3,}|`{3,})\{speaker\}\s+(?P<name>.+?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_YAML_OPTION = re.compile(r"^\s*(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class ScannedPost:
    """What the archive pages need to know of a post before it is read."""

    title: str | None
    date: str | None
    event: str | None
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    draft: bool
    #: (name, Twitter/X handle or None) of each speaker card
    speakers: tuple[tuple[str, str | None], ...]


def scan_post(text: str) -> ScannedPost | None:
    """The archive-relevant facts of a post's source; ``None`` when it is not a post."""
    text, _ = replace_control_characters(text)  # as the build reads it
    prepared = prepare_source(text)
    if prepared.front is None or not is_post(prepared.front.data):
        return None
    fields, _ = read_post_fields(prepared.front)
    return ScannedPost(
        title=fields.title,
        date=fields.date.isoformat() if fields.date else None,
        event=fields.event,
        tags=fields.tags,
        authors=fields.authors,
        draft=fields.draft,
        speakers=tuple(find_speaker_cards(prepared.text)),
    )


def find_speaker_cards(text: str) -> list[tuple[str, str | None]]:
    """(name, handle) of every ``speaker`` directive outside code fences."""
    cards = []
    lines = text.split("\n")
    fence = None
    index = 0
    while index < len(lines):
        line = lines[index]
        code = _CODE_FENCE.match(line)
        if fence:
            if code and code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence) \
                    and not code.group(2).strip():
                fence = None
            index += 1
            continue
        opened = _SPEAKER_OPEN.match(line)
        if opened:
            name = " ".join(opened.group("name").split())
            handle = None
            index += 1
            # options as ``:key: value`` lines, or as a YAML block between ``---`` lines
            block = index < len(lines) and lines[index].strip() == "---"
            index += block
            while index < len(lines):
                if block and lines[index].strip() == "---":
                    index += 1
                    break
                option = (_YAML_OPTION if block else _OPTION).match(lines[index])
                if not option:
                    break
                if option.group("key") in ("twitter", "x"):
                    handle = twitter_handle(_unquote(option.group("value")))
                index += 1
            cards.append((name, handle))
            continue
        if code and not code.group(2).lstrip().startswith("{"):
            fence = code.group(1)
        index += 1
    return cards


def _unquote(value: str) -> str:
    """An option's value as MyST reads it: without the quotes around it, if any."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
