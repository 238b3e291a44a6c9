"""Properties of the two readers every post goes through, checked on generated input.

The legacy converter (:func:`confarchive.text.legacy.convert_legacy`) and the forgiving front
matter reader (:mod:`confarchive.text.frontmatter`, with :func:`confarchive.text.prepare.prepare_source`,
which writes repaired front matter back as one line) must, on any input:

(a) never raise;
(b) keep every word of prose; what counts as markup, and may go, is set out below;
(c) be idempotent: run on their own output, they change nothing.

The strategies write text shaped like the posts these functions meet (prose, every
construct of the legacy dialect and of front matter with random content, HTML-ish noise)
as well as arbitrary text. Each test checks a property on 2,000 examples.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache

import yaml
from confarchive.text.frontmatter import parse_date, read_front_matter, read_post_fields, to_yaml_line
from confarchive.text.legacy import convert_legacy
from confarchive.text.prepare import prepare_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROPERTY = settings(max_examples=2000, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: a word: a run of letters
WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> Counter:
    return Counter(WORD.findall(text))


def lost(expected: Counter, text: str) -> Counter:
    """The words of ``expected`` that ``text`` does not hold as often."""
    return expected - words(text)


@cache
def one(*items):
    """One of ``items`` (strategies are built once: building them is what costs)."""
    return st.sampled_from(items)


# --- vocabulary -----------------------------------------------------------------------

#: the words of the dialect's markup and of YAML. Prose never uses them, so a word of
#: prose found in the output is never one the converter or the reader wrote itself.
MARKUP_WORDS = frozenset("""
    div img span class src alt title href width height image float left right more note
    callout speaker twitter target align png jpg gif svg http https www com org mobile x
    md a p b i em strong code pre html br yes no on off true false null nan inf y n draft
    tags author date event summary template myst name
""".split())

#: prose: words of several scripts
PROSE = """
    keynote kubernetes cluster Portland Dan Kohn Adron Hall scholarship diversity containerd
    schön Straße café naïve Ærø Ωmega λambda Жизнь привет 中文 字幕 día señor Zürich
    the opened with packed hall first logo fish streams project runs
""".split()
assert not MARKUP_WORDS & {word.lower() for word in PROSE}

prose_word = st.sampled_from(PROSE)


@cache
def some_words(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(prose_word, min_size=min_size, max_size=max_size)


def phrase(items: list[str]) -> str:
    return " ".join(items)


# --- the legacy dialect ---------------------------------------------------------------
#
# Each construct is drawn as (source text, Counter of its words of prose). Markup, which
# the converter may drop, is exactly:
#   - the float div's <div ...> and </div>, <span class="more"></span>, and an <img>
#     tag's name and attributes, except the value of its alt attribute;
#   - link and image destinations, ``](...)``, and image titles (a tooltip: it becomes
#     the caption of a float image that has no caption, and goes when the float has a
#     caption of its own, which then says what the picture is);
#   - the NOTE: keyword of a callout, quote markers, heading hashes.
# Everything else is prose: plain text, alt text, captions, link text, callout titles and
# bodies, speaker names, what code blocks show.

FILE_NAMES = one("pic.png", "./logo.jpg", "img/a.gif", "b.svg", "my image.png", "x y/z w.jpg")
URLS = one("https://example.org/page", "http://example.com/a?b=c", "https://x.com")


@st.composite
def markdown_image(draw) -> tuple[str, Counter]:
    alt = draw(some_words(0, 3))
    title = draw(some_words(0, 2))
    tooltip = f' "{phrase(title)}"' if title else ""
    text = f"![{phrase(alt)}]({draw(FILE_NAMES)}{tooltip})"
    if draw(st.booleans()):
        text = f"[{text}]({draw(URLS)})"
    return text, Counter(alt)


@st.composite
def img_tag(draw) -> tuple[str, Counter]:
    alt = draw(some_words(0, 3))
    attrs = [f'src="{draw(FILE_NAMES)}"']
    if alt or draw(st.booleans()):
        quote = draw(one('"', "'"))
        attrs.append(f"alt={quote}{phrase(alt)}{quote}")
    attrs.extend(draw(st.lists(one('class="img-responsive"', 'class="image float-right"', 'width="100"',
                                   "title='logo here'", "height=50"), max_size=2)))
    attrs = draw(st.permutations(attrs))
    return f"<img {' '.join(attrs)}{draw(one('>', ' />', '/>'))}", Counter(alt)


IMAGE = st.one_of(markdown_image(), img_tag())


@st.composite
def float_div(draw) -> tuple[str, Counter]:
    quote = draw(one('"', "'"))
    images = draw(st.lists(IMAGE, max_size=2))
    caption = draw(some_words(0, 4))
    trailing = draw(some_words(0, 3))
    expected = sum((alt for _, alt in images), Counter(caption) + Counter(trailing))
    parts = [text for text, _ in images]
    parts.insert(draw(st.integers(0, len(parts))), phrase(caption))
    opening = f"<div class={quote}image float-{draw(one('left', 'right'))}{quote}>"
    layout = draw(one("lines", "indented", "inline", "list"))
    if layout == "inline":
        text = f"{opening}{' '.join(parts)}</div> {phrase(trailing)}"
    elif layout == "list":
        text = f"{draw(one('* ', '- ', '1. '))}{opening}{' '.join(parts)}</div> {phrase(trailing)}"
    else:
        indent = "    " if layout == "indented" else ""
        text = "\n".join([opening, *(indent + part for part in parts), f"</div> {phrase(trailing)}"])
    return text, expected


@st.composite
def lone_img(draw) -> tuple[str, Counter]:
    tag, alt = draw(img_tag())
    if draw(st.booleans()):
        tag = tag.replace('src="', 'src="http://photos.example.org/', 1)
    return f"\n{tag}\n", alt


@st.composite
def more_marker(draw) -> tuple[str, Counter]:
    marker = draw(one('<span class="more"></span>', "<span class='more'> </span>", "<!--more-->",
                      "<!--  more -->", "<!-- more -->"))
    rest = draw(some_words(0, 3))
    return f"{draw(one('', ' ', '  '))}{marker}{phrase(rest)}", Counter(rest)


@st.composite
def note(draw) -> tuple[str, Counter]:
    title = draw(some_words())
    rest = draw(some_words(0, 3))
    lines = [f"{draw(one('', ' ', '   '))}>{draw(one('', ' '))}**NOTE: {phrase(title)}**"
             f"{' ' + phrase(rest) if rest else ''}"]
    expected = Counter(title) + Counter(rest)
    for _ in range(draw(st.integers(0, 3))):
        body = draw(some_words(0, 4))
        kind = draw(one("quote", "lazy", "blank", "nested", "fence"))
        lines.extend({"quote": [f"> {phrase(body)}"], "lazy": [phrase(body)], "nested": [f"> > {phrase(body)}"],
                      "fence": [f"> ::: {phrase(body)}"], "blank": ["", f"> {phrase(body)}"]}[kind])
        expected += Counter(body)
    return "\n".join(lines), expected


@st.composite
def speaker_heading(draw) -> tuple[str, Counter]:
    name = draw(some_words())
    host = draw(one("twitter.com", "www.twitter.com", "x.com", "mobile.twitter.com"))
    handle = draw(one("dankohn1", "_x", "A_b_9", "@adron", "toolonghandle_0123"))
    return f"{'#' * draw(st.integers(1, 6))} [{phrase(name)}](https://{host}/{handle})", Counter(name)


@st.composite
def paragraph(draw) -> tuple[str, Counter]:
    pieces = []
    expected = Counter()
    for _ in range(draw(st.integers(1, 5))):
        text = draw(some_words())
        expected += Counter(text)
        pieces.append({
            "words": phrase(text),
            "empty link": f"[{phrase(text)}]({draw(one('', ' '))})",
            "link": f"[{phrase(text)}]({draw(URLS)})",
            "spaced image": f"![{phrase(text)}]({draw(one('my image.png', 'a b c.jpg', 'x.png'))})",
            "code": f"`{phrase(text)}`",
            "emphasis": f"*{phrase(text)}*",
        }[draw(one("words", "words", "empty link", "link", "spaced image", "code", "emphasis"))])
    return draw(one(" ", " ", "\n")).join(pieces), expected


@st.composite
def heading(draw) -> tuple[str, Counter]:
    text = draw(some_words())
    return f"{'#' * draw(st.integers(1, 6))} {phrase(text)}", Counter(text)


DIALECT = st.one_of(paragraph(), float_div(), lone_img(), more_marker(), note(), speaker_heading(), heading())


@st.composite
def code_block(draw) -> tuple[str, Counter]:
    # code shows the dialect, never noise (noise may hold a fence that ends it early)
    inner = draw(st.lists(DIALECT, max_size=2))
    fence = draw(one("```", "~~~", "````"))
    code = "\n".join(text for text, _ in inner)
    text = f"{fence}{draw(one('', 'html', 'markdown'))}\n{code}\n{fence}"
    # its prose only: noise elsewhere may open a fence that this one closes
    return text, sum((counter for _, counter in inner), Counter())


#: noise that cannot hide prose: whole tags, stray closing tags and fences, quote
#: markers, brackets. Its words are all markup words.
SAFE_NOISE = (
    "<div>", "</div>", "<span>", "</span>", '<div class="image float-left">', "<div class='image float-right'>",
    '<img src="logo.png">', '<img alt="" src="x.png"/>', "<img>", "<p>", "</p>", "<!-- note -->", "<br/>",
    "```", "~~~", ":::", ":::{callout} more", "> ", ">", "**", "**NOTE:", "NOTE:", "[", "]", "(", ")", "](",
    "[]()", "![]()", "#", "###", "* ", "- ", "1. ", "    ", "\t", "\u00a0", "&amp;", "&lt;div&gt;", "\\",
    "`", "{", "}", "---", "===", '<span class="more"></span>', "<!--more-->", "https://twitter.com/x",
)
#: noise that breaks the dialect's HTML: unclosed tags and attribute values (which may
#: hide the text after them), and characters that end lines or should not be there
BROKEN_NOISE = (
    "<img", '<img src="a.png" alt="', '<div class="image float-', '<div class="image float-left"',
    '<span class="more">', "<!--", "-->", 'alt="', "src=", "<", ">", '"', "'", "![", "\r", "\ufeff",
    "\x00", "\u2028", "\x85", "\x0c", "</div", "<img src='x y.png' alt=\"a\"b\">",
)


@cache
def noise(tokens: tuple[str, ...]) -> st.SearchStrategy[tuple[str, Counter]]:
    line = st.lists(st.sampled_from(tokens), min_size=1, max_size=6).map(" ".join)
    return st.lists(line, min_size=1, max_size=3).map(lambda lines: ("\n".join(lines), Counter()))


@st.composite
def dialect_post(draw, noise_tokens: tuple[str, ...] = SAFE_NOISE) -> tuple[str, Counter]:
    """A post body in the legacy dialect: constructs and noise, blank lines between them or not."""
    parts = draw(st.lists(st.one_of(DIALECT, noise(noise_tokens), code_block()), min_size=1, max_size=7))
    text = parts[0][0]
    for part, _ in parts[1:]:
        text += draw(one("\n\n", "\n", "\n\n\n")) + part
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, sum((counter for _, counter in parts), Counter())


def tokens(*items: str) -> st.SearchStrategy[str]:
    """Text made of ``items``, characters and the words of a syntax, in any order."""
    return st.lists(st.sampled_from(items), max_size=60).map("".join)


#: text of any kind: the dialect with broken noise, arbitrary characters, or syntax soup
ANY_TEXT = st.one_of(
    dialect_post(SAFE_NOISE + BROKEN_NOISE).map(lambda post: post[0]),
    st.text(),
    tokens(*'<>/="\' \n\t![](){}:*#-`~>', "div", "img", "span", "class", "image float-left", "more", "NOTE:",
           "src", "alt", "https://twitter.com/a", "**", "---", "\r\n"),
)


@PROPERTY
@given(ANY_TEXT)
def test_converter_never_raises_and_is_idempotent(text):
    once = convert_legacy(text)
    twice = convert_legacy(once.text)
    assert twice.text == once.text
    assert not twice.changed


@PROPERTY
@given(dialect_post())
def test_converter_keeps_every_word_of_prose(post):
    text, expected = post
    once = convert_legacy(text)
    assert not lost(expected, once.text)
    assert convert_legacy(once.text).text == once.text


# --- front matter ---------------------------------------------------------------------
#
# A block is drawn as entries (key, source lines, words of the value). Every word of a
# value is kept somewhere in the data the reader returns (keys included: ``tags: a: b``
# is read as a mapping). What may go:
#   - the first value of a key given twice: YAML keeps the last one, and so does the
#     reader, which reports the duplicate. That value may hold the entries after it, when
#     it opens a quote that a later line closes;
#   - lines that belong to no key in a block that is not valid YAML, and the fields of a
#     block that is not a mapping at all (a list, a sentence); both are reported;
#   - letters of YAML syntax: the T and Z of a timestamp, ``yes`` read as true.
# The body, every line after the block, is kept as it is.

KEYS = one("title", "author", "date", "event", "tags", "summary", "draft", "template", "slug", "myst", "Other_key-2")
ENTRY_KINDS = one(
    "plain", "double", "single", "flow list", "block list", "continued", "literal", "folded", "flow map",
    "block map", "number", "yes", "date", "quoted date", "empty", "unclosed double", "unclosed single",
    "unclosed list", "colon", "tab", "at", "alias",
)


@st.composite
def date_text(draw) -> str:
    year = draw(one("2017", "2019", "3024", "9999", "0000", "1"))
    month = draw(one("01", "5", "12", "13", "00"))
    day = draw(one("06", "1", "30", "31", "00"))
    time = draw(one("", " 08:57", " 08:57:22", "T09:00:00", " 25:61:00", "T09:00:00.123456"))
    zone = draw(one("", "Z", "+02:00", "-0600", " PST", " UTC", "+25:00"))
    return {
        "full": f"{year}-{month}-{day}{time}{zone}",
        "year": year,
        "month": f"{year}-{month}",
        "slashes": f"{year}/{month}/{day}",
        "words": phrase(draw(some_words())),
    }[draw(one("full", "full", "year", "month", "slashes", "words"))]


DATE_TEXT = date_text()


@st.composite
def entry(draw) -> tuple[str, list[str], Counter]:
    key = draw(KEYS)
    value = draw(some_words())
    text = phrase(value)
    kind = draw(ENTRY_KINDS)
    if kind == "block list":
        indent = draw(one("", "  "))
        lines = [f"{key}:", *(f"{indent}- {word}" for word in value)]
    elif kind in ("continued", "literal", "folded"):
        lines = [f"{key}: {({'continued': value[0], 'literal': '|', 'folded': '>'})[kind]}",
                 *(f"  {word}" for word in value[kind == "continued":])]
    elif kind in ("flow map", "block map"):
        lines = [f"{key}: {{name: {text}}}"] if kind == "flow map" else [f"{key}:", f"  name: {text}"]
    elif kind in ("number", "yes", "empty"):
        written = {"number": one("2019", "1.10", "3.5", "0x1F", "1_000", "-7"),
                   "yes": one("yes", "No", "true", "off", "~", "null"), "empty": one("")}[kind]
        lines = [f"{key}: {draw(written)}".rstrip()]
        value = []
    elif kind in ("date", "quoted date"):
        when = draw(DATE_TEXT)
        lines = [f"{key}: {when}" if kind == "date" else f"{key}: '{when}'"]
        value = [word for word in WORD.findall(when) if word not in ("T", "Z")]
    elif kind == "alias":
        lines = [f"{key}: *{value[0]}"]
        value = []
    else:
        lines = [{
            "plain": f"{key}: {text}", "double": f'{key}: "{text}"', "single": f"{key}: '{text}'",
            "flow list": f"{key}: [{', '.join(value)}]", "unclosed double": f'{key}: "{text}',
            "unclosed single": f"{key}: '{text}", "unclosed list": f"{key}: [{', '.join(value)}",
            "colon": f"{key}: {value[0]}: {text}", "tab": f"{key}:\t{text}", "at": f"{key}: @{text}",
        }[kind]]
    return key, lines, Counter(value)


ENTRIES = st.lists(entry(), max_size=5)
#: lines that belong to no key: their words are not checked
STRAY_LINE = one("# a comment", "- stray item", "  indented stray", "no colon here", "[", "}", "&anchor",
                 "%YAML 1.1", "...", "? complex", "title", "'", "\t", "\x00", "\ufeff")
BODY = st.lists(st.one_of(some_words().map(phrase), one("", "---", "# A heading", "title: x")), max_size=4)
FENCES = one("closed", "closed", "closed", "unclosed", "spaces", "crlf")
KEY_LINE = re.compile(r"[A-Za-z_][\w-]*\s*:")


@st.composite
def front_matter_post(draw) -> tuple[str, list, list[str]]:
    """(text, entries, body lines)."""
    entries = draw(ENTRIES)
    lines: list[str] = []
    for _, entry_lines, _ in entries:
        lines.extend(entry_lines)
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(STRAY_LINE))
    body = draw(BODY)
    fence = draw(FENCES)
    if fence == "unclosed":
        # a block is read without its closing fence up to the first blank line, when every
        # line of it is a key line or under one, and the body holds no fence of its own
        lines = [line for line in lines if KEY_LINE.match(line) or re.match(r"[ \t]+\S|-(\s|$)", line)]
        if not lines or not KEY_LINE.match(lines[0]):
            lines.insert(0, "title: fallback")
        body = [line for line in body if line != "---"]
        text = "\n".join(["---", *lines, "", *body])
    elif fence == "crlf":
        text = "\r\n".join(["---", *lines, "---", *body])
        body = [line + "\r" for line in body[:-1]] + body[-1:]
    else:
        text = "\n".join(["---", *lines, "---   " if fence == "spaces" else "---", *body])
    return text, entries, body


def leaves(value) -> list[str]:
    """Every piece of text in read data, keys included."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [str(key), *leaves(item)]]
    if isinstance(value, (list, tuple, set)):
        return [text for item in value for text in leaves(item)]
    return [] if value is None else [str(value)]


ANY_FRONT_MATTER = st.one_of(
    front_matter_post().map(lambda post: post[0]),
    st.text().map(lambda text: "---\n" + text),
    st.text().map(lambda text: "---\n" + text + "\n---\nBody"),
    tokens(*"-:'\"[]{}#&*!|>\n\t ?%@`,", "title", "date", "---", "\r\n", "2019-02-30", "\x00", "\ufeff",
           "\u2028", "yes", "- ", "<<", "!!int", "[[[[", "0x"),
)
TODAY = dt.date(2026, 1, 1)


def post_fields(text: str):
    front = read_front_matter(text)
    return read_post_fields(front, today=TODAY)[0] if front else None


@PROPERTY
@given(ANY_FRONT_MATTER)
def test_front_matter_never_raises_and_prepared_source_is_idempotent(text):
    front = read_front_matter(text)
    if front is not None:
        _, problems = read_post_fields(front, today=TODAY)
        for problem in [*front.problems, *problems]:
            assert 1 <= problem.line <= front.body_start, problem  # a line of the block
    once = prepare_source(text)
    twice = prepare_source(once.text)
    assert twice.text == once.text
    # the one line of front matter prepare_source writes reads back as the same fields
    assert post_fields(once.text) == post_fields(text)


@PROPERTY
@given(front_matter_post())
def test_front_matter_keeps_the_body_and_every_word_of_its_values(post):
    text, entries, body = post
    front = read_front_matter(text)
    assert front is not None
    assert text.split("\n")[front.body_start:] == body

    counts = Counter(key for key, _, _ in entries)
    kept = Counter(WORD.findall(" ".join(leaves(front.data))))
    swallowed = False
    for key, lines, value in entries:
        if counts[key] == 1 and not swallowed:
            assert not value - kept, (key, value)
        # a quote that never closes on its line holds what follows, up to the next quote
        swallowed = swallowed or (counts[key] > 1 and lines[0].count("'") + lines[0].count('"') == 1)

    # prepare_source rewrites the front matter only, and the legacy dialect of the body
    assert not lost(words("\n".join(body)), prepare_source(text).text)


@PROPERTY
@given(st.one_of(DATE_TEXT, st.text(max_size=30), st.dates().map(str),
                 st.datetimes(timezones=one(None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30))))))
def test_a_date_reads_the_same_once_written_down(value):
    """A date read once is written in the JSON line as ISO text that reads as the same date."""
    when, _ = parse_date(value)
    if when is not None:
        assert parse_date(when.isoformat(sep=" "))[0] == when
        assert parse_date(yaml.safe_load(to_yaml_line({"date": when}))["date"])[0] == when
