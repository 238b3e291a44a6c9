"""The benchmark corpus: pyvideo's talks as conference coverage posts.

Reading (:func:`load_events`) turns the unpacked ``pyvideo-data`` tree into
:class:`Event` and :class:`Talk` records, leaving out every talk ``NO_PUBLISH.json``
names. Planning (:func:`plan_posts`, :func:`whole_set_posts`) groups talks into
:class:`Post` records. Rendering (:func:`render_post`) writes a post as Markdown, either in
confarchive's syntax or as the plain MyST baseline. All of these are pure functions;
:func:`unpack` and :func:`write_site` touch the disk.

The grouping, deterministic and independent of the machine:

- within an event, talks are ordered by recording date, then by file name, and cut into
  consecutive groups of :data:`TALKS_PER_POST` (the last group of an event is smaller);
- the groups of all events are ordered by the SHA-256 of ``<event>/<group number>``, a
  fixed shuffle, and a size of N posts takes the first N: so the posts of a size spread
  over many events, and each size holds the posts of every smaller size;
- the whole set is one post per event, holding all its talks.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TALKS_PER_POST = 7
#: the author every generated post names (the data set has no post authors)
AUTHOR = "PyVideo"
#: the variants of a post: confarchive's syntax, and the baseline's plain MyST
VARIANTS = ("confarchive", "plain")

#: characters that open inline markup wherever they stand
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&{}$|~#])")
#: a leading number that a ``.`` or ``)`` would turn into a list item
_LIST_NUMBER = re.compile(r"\d+(?=[.)])")
#: what YAML (and so front matter) refuses, and the line breaks it reads inside a scalar
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]")
#: a profile URL the speaker options accept: one path segment on these hosts
_PROFILE_HOSTS = {"twitter.com": "twitter", "x.com": "twitter", "github.com": "github"}


@dataclass(frozen=True)
class Speaker:
    name: str
    #: (option, URL): ``twitter`` or ``github`` profile links, http(s) only
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Talk:
    #: ``<event dir>/<file stem>``, unique in the data set
    key: str
    title: str
    speakers: tuple[Speaker, ...]
    #: ``YYYY-MM-DD`` or None
    recorded: str | None
    description: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    #: the event's directory name
    slug: str
    title: str
    description: str
    talks: tuple[Talk, ...]
    start_date: str | None = None


@dataclass(frozen=True)
class Post:
    #: the source path without ``.md``: ``posts/<year>/<slug>/index``
    docname: str
    title: str
    date: str | None
    event: str
    tags: tuple[str, ...]
    summary: str
    #: the opening paragraphs (plain text)
    intro: tuple[str, ...]
    talks: tuple[Talk, ...]


@dataclass
class Corpus:
    events: list[Event]
    #: talks left out because NO_PUBLISH.json names them
    withheld: list[str] = field(default_factory=list)

    @property
    def talk_count(self) -> int:
        return sum(len(event.talks) for event in self.events)


# --- unpacking and reading ---------------------------------------------------------------


def unpack(tarball: Path, cache: Path) -> Path:
    """Unpack ``tarball`` under ``cache`` once; the ``pyvideo-data`` folder."""
    root = cache / "pyvideo-data"
    stamp = cache / "unpacked.json"
    stat = tarball.stat()
    mark = {"tarball": str(tarball), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if root.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == mark:
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:xz") as archive:
        archive.extractall(cache, filter="data")
    if not root.is_dir():
        raise FileNotFoundError(f"{tarball} holds no pyvideo-data/ folder")
    stamp.write_text(json.dumps(mark))
    return root


def load_events(root: Path) -> Corpus:
    """Every event of the unpacked data set with its publishable talks, in a fixed order."""
    withheld_ids = set(json.loads((root / "NO_PUBLISH.json").read_text(encoding="utf-8")))
    events = []
    withheld = []
    for category in sorted(root.glob("*/category.json")):
        if category.parent.name.startswith("."):
            continue  # .schemas/ holds the JSON Schema of category.json
        info = json.loads(category.read_text(encoding="utf-8"))
        talks = []
        for path in sorted((category.parent / "videos").glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            key = f"{category.parent.name}/{path.stem}"
            if record.get("id") is not None and record["id"] in withheld_ids:
                withheld.append(key)
                continue
            talks.append(read_talk(key, record))
        talks.sort(key=lambda talk: (talk.recorded or "9999", talk.key))
        events.append(Event(
            slug=category.parent.name,
            title=one_line(info.get("title") or category.parent.name),
            description=clean(info.get("description") or ""),
            talks=tuple(talks),
            start_date=(info.get("start_date") or None),
        ))
    return Corpus(events, withheld)


def read_talk(key: str, record: dict) -> Talk:
    """A talk from its pyvideo record."""
    names = [one_line(name) for name in record.get("speakers") or [] if isinstance(name, str)]
    names = [name for name in dict.fromkeys(names) if name]
    links = profile_links(record.get("related_urls") or [])
    speakers = tuple(Speaker(name, links if len(names) == 1 else ()) for name in names)
    recorded = record.get("recorded") or None
    tags = [one_line(tag) for tag in record.get("tags") or [] if isinstance(tag, str)]
    return Talk(
        key=key,
        title=one_line(record.get("title") or "") or "Untitled talk",
        speakers=speakers,
        recorded=recorded[:10] if recorded else None,
        description=clean(record.get("description") or ""),
        tags=tuple(tag for tag in dict.fromkeys(tags) if tag),
    )


def profile_links(related: Iterable) -> tuple[tuple[str, str], ...]:
    """Twitter/X and GitHub profile URLs among a talk's related URLs, one of each kind at most.

    pyvideo records no profile for a speaker; a talk with one speaker whose related URLs
    include a profile (``https://twitter.com/<name>``) gets that link on its card.
    """
    found: dict[str, str] = {}
    for item in related:
        url = item if isinstance(item, str) else (item.get("url") if isinstance(item, dict) else None)
        if not isinstance(url, str):
            continue
        parts = urlsplit(url.strip())
        host = parts.netloc.lower().removeprefix("www.")
        segments = [segment for segment in parts.path.split("/") if segment]
        kind = _PROFILE_HOSTS.get(host)
        if kind and parts.scheme in ("http", "https") and len(segments) == 1 and not parts.query \
                and re.fullmatch(r"[A-Za-z0-9_-]+", segments[0]):
            found.setdefault(kind, f"https://{host}/{segments[0]}")
    return tuple(sorted(found.items()))


# --- planning ----------------------------------------------------------------------------


def plan_posts(corpus: Corpus, size: int) -> list[Post]:
    """``size`` coverage posts of up to :data:`TALKS_PER_POST` talks of one event each."""
    groups = []
    for event in corpus.events:
        chunks = [event.talks[start:start + TALKS_PER_POST]
                  for start in range(0, len(event.talks), TALKS_PER_POST)]
        for number, talks in enumerate(chunks, 1):
            order = hashlib.sha256(f"{event.slug}/{number}".encode()).hexdigest()
            groups.append((order, event, number, len(chunks), talks))
    if size > len(groups):
        raise ValueError(f"the data set makes {len(groups)} posts of {TALKS_PER_POST} talks, not {size}")
    groups.sort(key=lambda group: group[0])
    chosen = sorted(groups[:size], key=lambda group: (group[1].slug, group[2]))
    return [make_post(event, talks, number, count) for _, event, number, count, talks in chosen]


def whole_set_posts(corpus: Corpus) -> list[Post]:
    """One post per event, holding every talk of it."""
    return [make_post(event, event.talks, 1, 1) for event in corpus.events]


def make_post(event: Event, talks: Sequence[Talk], number: int, count: int) -> Post:
    dates = sorted(talk.recorded for talk in talks if talk.recorded)
    date = dates[0] if dates else (event.start_date or None)
    year = date[:4] if date else "undated"
    slug = event.slug if count == 1 else f"{event.slug}-{number}"
    title = event.title if count == 1 else f"{event.title}, part {number} of {count}"
    tags = tuple(dict.fromkeys(tag for talk in talks for tag in talk.tags))
    noun = "talk" if len(talks) == 1 else "talks"
    summary = f"{len(talks)} {noun} from {event.title}"
    opening = f"{summary}" + (f", recorded from {dates[0]} to {dates[-1]}." if dates else ".")
    intro = (opening, *paragraphs(event.description)) if number == 1 else (opening,)
    return Post(
        docname=f"posts/{year}/{slug}/index",
        title=title,
        date=date,
        event=event.title,
        tags=tags,
        summary=summary,
        intro=intro,
        talks=tuple(talks),
    )


# --- rendering ---------------------------------------------------------------------------


def render_post(post: Post, variant: str) -> str:
    """The post's Markdown source: ``confarchive`` syntax or the ``plain`` baseline."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    front = {"title": post.title, "author": AUTHOR}
    if post.date:
        front["date"] = post.date
    front.update({"event": post.event, "tags": list(post.tags), "summary": post.summary})
    lines = ["---"]
    if variant == "plain":
        lines.append("orphan: true")
    lines.extend(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items())
    lines.append("---")
    if variant == "plain":
        lines.extend(["", f"# {escape(post.title)}"])
    for paragraph in post.intro:
        lines.extend(["", escape(paragraph)])
    for talk in post.talks:
        lines.extend(["", f"## {escape(talk.title)}"])
        for speaker in talk.speakers:
            lines.extend(["", *(speaker_card(speaker) if variant == "confarchive" else speaker_line(speaker))])
        for paragraph in paragraphs(talk.description):
            lines.extend(["", escape(paragraph)])
    return "\n".join(lines) + "\n"


def speaker_card(speaker: Speaker) -> list[str]:
    """A confarchive ``speaker`` card: the name is the directive's argument, read literally."""
    return [f":::{{speaker}} {speaker.name}", *(f":{kind}: {url}" for kind, url in speaker.links), ":::"]


def speaker_line(speaker: Speaker) -> list[str]:
    """The baseline's speaker card: the name in bold, then the profile links."""
    links = "".join(f" · [{kind}]({url})" for kind, url in speaker.links)
    return [f"**{escape(speaker.name)}**{links}"]


def index_page(variant: str, posts: Sequence[Post]) -> str:
    """Each site's index: a title and a count; the posts are orphans on both sides."""
    talks = sum(len(post.talks) for post in posts)
    return f"# Benchmark corpus\n\n{len(posts)} coverage posts, {talks} talks ({variant}).\n"


def conf_py(variant: str) -> str:
    if variant == "confarchive":
        return 'extensions = ["confarchive"]\nhtml_theme = "furo"\n'
    return ('extensions = ["myst_parser"]\nhtml_theme = "furo"\n'
            'myst_enable_extensions = ["colon_fence"]\n')


def write_site(posts: Sequence[Post], srcdir: Path, variant: str) -> list[str]:
    """Write a Sphinx project of ``posts`` into ``srcdir`` (emptied first); the paths written."""
    import shutil

    if srcdir.exists():
        shutil.rmtree(srcdir)
    files = {"conf.py": conf_py(variant), "index.md": index_page(variant, posts)}
    files.update((f"{post.docname}.md", render_post(post, variant)) for post in posts)
    for relative, text in files.items():
        path = srcdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


# --- text ------------------------------------------------------------------------------


def clean(text: str) -> str:
    """``text`` without what YAML or Markdown cannot hold: control characters, odd line breaks."""
    return _UNPRINTABLE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def paragraphs(text: str) -> list[str]:
    """Plain paragraphs of a reStructuredText or plain text description: blank-line separated,
    whitespace collapsed, markup kept as literal text."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", clean(text)) if block.strip()]


def escape(text: str) -> str:
    """``text`` as literal Markdown, on one line, read as a paragraph of text.

    Every character that can start inline markup anywhere (code, emphasis, links, HTML,
    entities, MyST roles and substitutions, ``#``) is backslash-escaped, and so is a
    line's first character when it is punctuation (``:::``, ``#``, ``-``, ``>``, ``%``,
    ``(label)=``, ``+++``) or the ``.`` or ``)`` after a leading number (a list item).
    Nothing in it can open a directive, a heading, a list or HTML.
    """
    text = one_line(text)
    number = _LIST_NUMBER.match(text)
    if number:
        head, rest = text[:number.end()] + "\\" + text[number.end()], text[number.end() + 1:]
    elif text[:1] in string.punctuation:
        head, rest = "\\" + text[0], text[1:]
    else:
        head, rest = "", text
    return head + _INLINE_MARKUP.sub(r"\\\1", rest)
