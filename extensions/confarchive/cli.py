"""The ``confarchive`` command: ``import`` a whole blog or a conference's program, start a ``new`` post, check links.

No Sphinx import. Run it as ``confarchive ...`` or ``python -m confarchive ...``. The
imports show a progress bar on standard error when that is a terminal, and print their
report on standard output. ``import`` turns a blog into MyST posts; ``import-program``
writes the official program of conferences (from pyvideo's data or a frab or pretalx
schedule) as program files, one YAML file per event. ``check-links`` checks the internal
links of a built site; ``linkcheck-report`` reads what Sphinx's ``linkcheck`` builder
found about external ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .checks.walker import check_site, site_path_of
from .importer import FORMATS, ImportAborted, import_blog, import_program, render_front_matter
from .text.frontmatter import read_front_matter
from .text.registry import Registry, read_events
from .text.skeleton import archive_files
from .text.slugs import name_key, slugify

DEFAULT_INTO = Path("docs/posts")
DEFAULT_PROGRAM_INTO = Path("docs/program")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="confarchive",
                                     description="Tools for a confarchive archive of conference coverage.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imported = commands.add_parser(
        "import", help="import a Wintersmith, Jekyll or Hugo blog as MyST posts",
        description="Import every post of a blog as clean MyST: one folder per post, "
                    "<into>/<year>/<slug>/index.md, with its images beside it, and a redirect "
                    "from each post's old URL.")
    imported.add_argument("source", type=Path, help="the blog's source folder")
    imported.add_argument("--into", type=Path, default=DEFAULT_INTO,
                          help="where the posts go (default: %(default)s)")
    imported.add_argument("--format", dest="source_format", choices=(*FORMATS, "auto"), default="auto",
                          help="the blog's generator (default: found from the folder's layout)")
    imported.add_argument("--redirects", type=Path, default=None,
                          help="the redirects data file (default: redirects.yaml in the folder above --into, "
                               "the Sphinx source folder)")
    imported.add_argument("--author", default=None,
                          help="the author of posts that name none (default: the blog's owner, from its config)")
    imported.add_argument("--site-url", default=None, metavar="URL",
                          help="the old site's address (default: the blog's configuration): a link to one of its "
                               "pages that is not a post becomes a link to the old site")
    imported.add_argument("--dry-run", action="store_true", help="report what would be done; write nothing")
    imported.add_argument("--force", action="store_true", help="replace posts that were imported before")
    imported.set_defaults(handler=_import)

    program = commands.add_parser(
        "import-program", help="import the official program of conferences as program files",
        description="Write the program of each event in SOURCE as <into>/<event-id>.yaml: its talks "
                    "with their speakers, days, rooms, times, abstracts, videos and slides. SOURCE is a "
                    "pyvideo event folder (category.json, videos/), a pyvideo data folder of such events, "
                    "or a frab or pretalx schedule.json (or a folder holding one). A program file edited "
                    "by hand since it was imported is left as it is.")
    program.add_argument("source", type=Path, metavar="SOURCE", help="the program to import")
    program.add_argument("--into", type=Path, default=DEFAULT_PROGRAM_INTO,
                         help="where the program files go (default: %(default)s)")
    program.add_argument("--event", default=None, metavar="ID",
                         help="the event's id, the file's name, for a single event (default: a pyvideo event "
                              "folder's name, or the slug of a schedule's conference acronym)")
    program.add_argument("--dry-run", action="store_true", help="report what would be done; write nothing")
    program.add_argument("--force", action="store_true", help="replace program files edited by hand")
    program.set_defaults(handler=_import_program)

    init = commands.add_parser("init", help="start a new, empty archive in a folder",
                               description="Write a new archive into FOLDER: conf.py, index.md with the list of "
                                           "posts, events.yaml and speakers.yaml with examples, and .gitignore. "
                                           "Build it with sphinx-build; start posts with confarchive new.")
    init.add_argument("folder", type=Path, metavar="FOLDER", help="where the archive goes (made if missing)")
    init.add_argument("--title", default=None, help="the archive's title (default: made from the folder's name)")
    init.add_argument("--author", default=None, help="who the archive is by (default: git config user.name)")
    init.add_argument("--url", default="http://127.0.0.1:8000/",
                      help="the address the archive will be published at, for feeds and the sitemap "
                           "(default: %(default)s, the address of a local preview)")
    init.set_defaults(handler=_init)

    new = commands.add_parser("new", help="write the skeleton of a new post",
                              description="Write <into>/<year>/<slug>/index.md with front matter, one talk "
                                          "section and a speaker card.")
    new.add_argument("title", help="the post's title")
    new.add_argument("--event", default=None, help="the event the post covers: its id, name or an alias in "
                                                   "events.yaml, or an event a post names already")
    new.add_argument("--events", type=Path, default=None, metavar="FILE",
                     help="the events data file (default: events.yaml in the folder above --into)")
    new.add_argument("--date", default=None, help="the post's date, 2026-05-04 or 2026-05-04T09:30 (default: now)")
    new.add_argument("--author", default=None, help="the author (default: git config user.name)")
    new.add_argument("--slug", default=None, help="the post's folder name (default: made from the title)")
    new.add_argument("--into", type=Path, default=DEFAULT_INTO, help="where posts go (default: %(default)s)")
    new.set_defaults(handler=_new)

    links = commands.add_parser(
        "check-links", help="check that every internal link and anchor of a built site resolves",
        description="Read every page of a built site and check each link that stays inside it: "
                    "the file it names must exist, and its #anchor must be an id in that page. "
                    "Prints each broken link and a summary; exits 1 if any is broken.")
    links.add_argument("html_dir", type=Path, metavar="HTML_DIR", help="the built site, such as _build/html")
    links.add_argument("--site-path", default=None,
                       help="the path the site is served under, such as /en/latest/: links from the "
                            "root must start with it (default: read from the canonical link of "
                            "index.html, else /)")
    links.set_defaults(handler=_check_links)

    report = commands.add_parser(
        "linkcheck-report", help="sort what sphinx-build -b linkcheck found into broken and the rest",
        description="Read the output.json of Sphinx's linkcheck builder and list each link that needs "
                    "a look: broken, rate-limited, unverifiable (X/Twitter), unavailable or redirected. "
                    "Exits 1 only if a link is broken.")
    report.add_argument("linkcheck_dir", type=Path, metavar="LINKCHECK_DIR",
                        help="the linkcheck builder's output folder (or its output.json)")
    report.add_argument("--source-dir", default=None,
                        help="the Sphinx source folder, put before each file name so that the lines "
                             "name files from where you are (such as docs)")
    report.set_defaults(handler=_linkcheck_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return arguments.handler(arguments)


# --- import ---------------------------------------------------------------------------


def _progress(items: Iterator[Any], total: int, unit: str = "post") -> Iterator[Any]:
    """A progress bar on standard error, only when that is a terminal."""
    from tqdm import tqdm

    return tqdm(items, total=total, desc="importing", unit=unit, file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)


def _import(arguments: argparse.Namespace) -> int:
    return _run_import("import", lambda: import_blog(
        arguments.source, arguments.into, source_format=arguments.source_format, dry_run=arguments.dry_run,
        force=arguments.force, redirects_file=arguments.redirects, author=arguments.author,
        site_url=arguments.site_url, progress=_progress))


def _import_program(arguments: argparse.Namespace) -> int:
    return _run_import("import-program", lambda: import_program(
        arguments.source, arguments.into, event=arguments.event, force=arguments.force, dry_run=arguments.dry_run,
        progress=lambda items, total: _progress(items, total, unit="event")))


def _run_import(command: str, run: Callable[[], Any]) -> int:
    """An import's report on standard output, and its exit status; 2, with the reason on
    standard error, when it could not start."""
    try:
        report = run()
    except ImportAborted as error:
        print(f"confarchive {command}: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(report.render())
    return report.exit_status


# --- init ----------------------------------------------------------------------------------


def _init(arguments: argparse.Namespace) -> int:
    folder: Path = arguments.folder
    url = arguments.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        print(f"confarchive init: --url {url!r} is not an http(s) address such as https://notes.example.org/",
              file=sys.stderr)
        return 2
    if folder.exists() and not folder.is_dir():
        print(f"confarchive init: {folder} is a file, not a folder", file=sys.stderr)
        return 2
    title = arguments.title or " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split()).title() \
        or "Conference Notes"
    author = arguments.author or _git_user() or "The authors"
    files = archive_files(title, author, url.rstrip("/") + "/", dt.date.today().year)
    there = [name for name in files if (folder / name).exists()]
    if there:
        print(f"confarchive init: {folder} holds {', '.join(there)} already; nothing written", file=sys.stderr)
        return 1
    (folder / "posts").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"A new archive, {title!r}, in {folder}: {', '.join(files)} and posts/.\n\n"
          f"Build it:         sphinx-build -M html {folder} {folder / '_build'}\n"
          f"Write a post:     confarchive new \"The first talk\" --into {folder / 'posts'}\n"
          f"Describe events:  {folder / 'events.yaml'}")
    return 0


# --- new -----------------------------------------------------------------------------------


def _git_user() -> str | None:
    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, check=False,
                                timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _parse_when(value: str | None) -> tuple[str, int]:
    """(the date as front matter writes it, its year)."""
    if not value:
        now = dt.datetime.now().replace(microsecond=0)
        return now.isoformat(), now.year
    text = value.strip()
    try:
        when = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        raise ValueError(f"--date {value!r} is not a date like 2026-05-04 or 2026-05-04T09:30") from None
    if len(text) <= 10:
        return when.date().isoformat(), when.year
    return when.isoformat(timespec="seconds"), when.year


SKELETON = """\
One or two sentences on the event: where, when, what it was about. This paragraph is the
post's excerpt in listings and feeds.

<!-- more -->

## The first talk's title

:::{{speaker}} Speaker Name
:twitter: handle
:role: Their role
:affiliation: Their company
:::

What the speaker said, showed and announced.
"""


def _new(arguments: argparse.Namespace) -> int:
    try:
        date, year = _parse_when(arguments.date)
    except ValueError as error:
        print(f"confarchive new: {error}", file=sys.stderr)
        return 2
    author = arguments.author or _git_user()
    if not author:
        print("confarchive new: no author: pass --author, or set git config user.name", file=sys.stderr)
        return 2
    if arguments.event is not None:
        refusal = _unknown_event(arguments.event, arguments.events or arguments.into.parent / "events.yaml",
                                 arguments.into)
        if refusal:
            print(f"confarchive new: {refusal}", file=sys.stderr)
            return 2
    slug = slugify(arguments.slug or arguments.title)
    folder = arguments.into / f"{year:04d}" / slug
    target = folder / "index.md"
    if target.exists():
        print(f"confarchive new: {target} exists; nothing written", file=sys.stderr)
        return 1
    front = render_front_matter(" ".join(arguments.title.split()), [author], date, event=arguments.event, tags=[])
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(front + "\n" + SKELETON.format(), encoding="utf-8", newline="\n")
    print(target)
    return 0


def _unknown_event(name: str, events_file: Path, into: Path) -> str | None:
    """Why ``--event name`` is refused (with the closest known ids), or None when it is known.

    Known: an id, name or alias of ``events.yaml``, or an event that a post under ``into``
    names already (an archive may cover events it does not describe).
    """
    events = read_events(events_file)[0] if events_file.is_file() else {}
    registry = Registry(events=events)
    if registry.event_slug(name) in events:
        return None
    named: dict[str, str] = {}
    for post in sorted(into.glob("**/*.md")) if into.is_dir() else []:
        try:
            front = read_front_matter(post.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        event = front.data.get("event") if front is not None else None
        if isinstance(event, str) and event.strip():
            named.setdefault(name_key(event), event.strip())
    if name_key(name) in named:
        return None
    known = sorted(events) + sorted(set(named.values()) - set(events))
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    where = events_file if events_file.is_file() else f"{events_file} (there is none)"
    listed = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "") if known else "none yet"
    return (f"no event {name!r} in {where} nor in any post under {into}; {hint}known events: {listed}. "
            f"Describe a new event in {events_file.name} first (id, name, start, end, location), "
            "or leave --event out")


# --- check-links, linkcheck-report ---------------------------------------------------------


def _check_links(arguments: argparse.Namespace) -> int:
    if not arguments.html_dir.is_dir():
        print(f"confarchive check-links: {arguments.html_dir} is not a folder", file=sys.stderr)
        return 2
    site_path = arguments.site_path or site_path_of(arguments.html_dir)
    result = check_site(arguments.html_dir, site_path=site_path)
    if not result.pages:
        print(f"confarchive check-links: no .html pages in {arguments.html_dir}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(problem)
    print(f"{result.pages} pages, {result.links} internal links checked, {len(result.problems)} broken "
          f"(site path {site_path})")
    return 1 if result.problems else 0


def _linkcheck_report(arguments: argparse.Namespace) -> int:
    from .checks.report import LinkcheckReport, ReportError, read_results

    try:
        results = read_results(arguments.linkcheck_dir)
    except ReportError as error:
        print(f"confarchive linkcheck-report: {error}", file=sys.stderr)
        return 2
    report = LinkcheckReport(results, source_dir=arguments.source_dir)
    sys.stdout.write(report.render())
    return report.exit_status
