"""Names in URL form, and how two spellings of one name compare. Pure, no Sphinx import.

A slug names a page: an event's, a speaker's, a tag's, an author's. Two spellings of a
speaker's name are one name when their :func:`name_key` is; two spellings of a tag are
one tag when their :func:`tag_key` is (the rule the documentation states).

The two slug functions keep a memo (``lru_cache``): archive pages make the slugs of the
same names over and over, and a slug depends on its text alone, never on a build.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

_TWITTER_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com)/@?([A-Za-z0-9_]{1,15})/?$")
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")
_SLUG_SPECIAL = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}


def slugify(text: str) -> str:
    """A URL-safe name: ``"KubeCon + CloudNativeCon 2017"`` -> ``kubecon-plus-cloudnativecon-2017``."""
    return _slugify(str(text))


@functools.lru_cache(maxsize=65536)
def _slugify(text: str) -> str:
    # archive pages slugify the same tags and names over and over
    text = "".join(_SLUG_SPECIAL.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "untitled"


#: a tag made of plain words: lower-case letters and digits, one space between words
_PLAIN_TAG = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
#: what separates two words of a tag and means nothing more: spaces, hyphens, underscores
_TAG_SEPARATORS = re.compile(r"(?<=\w)[\s_\-\u2010-\u2015]+(?=\w)")
#: characters that show nothing: zero-width spaces and joiners between words, soft hyphens,
#: variation selectors (``❤`` and ``❤️`` are one heart); the zero-width joiner inside an
#: emoji sequence is kept, since it makes one emoji of several
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u2060\ufeff\ufe00-\ufe0f]")


def tag_key(tag: str) -> str:
    """How two spellings of a tag are compared: they are one tag when their keys are equal.

    Unicode-normalised (NFKC: ``ﬁ`` is ``fi``, a composed ``ó`` is a decomposed one),
    without characters that show nothing (zero-width spaces, soft hyphens, variation
    selectors), case-folded (``Go``, ``go`` and ``GO`` are one tag), and with the spaces,
    hyphens and underscores between two words read as one space (``cloud native``,
    ``cloud-native``). Every other character is kept: ``Go!``, ``gó``, ``C++``, ``C#`` and
    ``-1`` are tags of their own, distinct from ``go``, ``c`` and ``1``. A tag with nothing
    visible in it has an empty key, and is no tag.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(tag))).casefold()
    return " ".join(_TAG_SEPARATORS.sub(" ", text).split())


def tag_slug(tag: str) -> str:
    """The name of a tag's page: distinct for every distinct :func:`tag_key`, the same for every spelling.

    A tag of plain words keeps them, joined by hyphens (``Cloud Native`` ->
    ``cloud-native``). Any other tag gets a readable ASCII form and a fingerprint of its
    key after a double hyphen, which no plain tag has: ``C++`` -> ``c-plus-plus--<8 hex>``,
    an emoji -> ``tag--<8 hex>``. So ``Go!`` and ``gó`` never share ``go``'s page. A
    plain tag longer than 80 characters is shortened the same way.
    """
    return _tag_slug(tag_key(tag))


@functools.lru_cache(maxsize=65536)
def _tag_slug(key: str) -> str:
    # archive pages make the slugs of the same tags over and over
    if len(key) <= 80 and _PLAIN_TAG.fullmatch(key):
        return key.replace(" ", "-")
    readable = _slugify(key)
    readable = "tag" if readable == "untitled" else readable[:60].strip("-")
    return f"{readable}--{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def tally(groups: Iterable[Iterable[str]], slug_of: Callable[[str], str]) -> tuple[Counter, dict[str, str]]:
    """How many groups (posts) hold each slug, each counted once, and each slug's name.

    The name is the spelling most groups use (ties: the first in code point order).
    """
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for group in groups:
        seen: dict[str, str] = {}
        for value in group:
            seen.setdefault(slug_of(value), value)
        for slug, value in seen.items():
            counts[slug] += 1
            spellings[slug][value] += 1
    return counts, {slug: most_common(names) for slug, names in spellings.items()}


def most_common(names: Counter) -> str:
    """The name counted most often; ties go to the first in code point order."""
    return min(names, key=lambda name: (-names[name], name))


def name_key(name: str) -> str:
    """How two spellings of one name are compared: case, accents and spacing aside.

    A name with no letter of the Latin alphabet (``Николай Карелин``, ``山田太郎``) is
    compared in its own script (:func:`script_key`), so that two such names stay two.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) or script_key(name)


def script_key(name: str) -> str:
    """A name's words in any script, case and accents aside: ``николай карелин``."""
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join(re.findall(r"[^\W_]+", "".join(char for char in decomposed
                                                   if not unicodedata.combining(char)).casefold()))


def person_slug(name: str) -> str:
    """A person's id from their name: its slug; for a name with nothing in ASCII, whose slug
    would be ``untitled`` for everyone, ``speaker-`` and a fingerprint of the name (the first
    8 hex digits of the SHA-256 of its :func:`script_key`).

    A name that mixes ASCII letters with letters of another script (``José 山田``) keeps
    its ASCII slug, as speaker pages always had: two such names alike in ASCII are one id.
    """
    slug = slugify(name)
    key = script_key(name)
    if slug != "untitled" or not key:
        return slug
    return f"speaker-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def initials(name: str) -> str:
    """``DK`` for Dan Kohn: what a speaker's card shows where there is no photo."""
    words = [word for word in re.split(r"\s+", name.strip()) if word[:1].isalnum()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def twitter_handle(value: str | None) -> str | None:
    """The lower-cased Twitter/X handle in a handle or profile URL, else None."""
    if not value:
        return None
    value = value.strip()
    match = _TWITTER_URL.match(value) or _HANDLE.match(value)
    return match.group(1).lower() if match else None


#: the folding rule, as warnings state it
TAG_RULE = ("tags that differ only in case, in Unicode form, or in the spaces, hyphens and underscores "
            "between words are one tag")
