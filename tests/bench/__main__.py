"""``python -m bench``: build corpora of pyvideo talks and measure confarchive against plain Sphinx.

For each size, in one run: full builds (plain -j 1, confarchive -j 1, confarchive -j 2,
alternating, medians over repeats), then the ``-j`` output comparison, then incremental
rebuilds of the confarchive build (no-op, one post's text edited, one post's event and
tags changed), then the search figures. Prints a Markdown table to stdout, writes JSON,
and reports progress on stderr. ``--smoke`` runs two small sizes once each and fails when
any figure it claims is missing (never on timing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from siteoutput import pagefind_records

from . import corpus, program, report, runner, search

REPO = Path(__file__).resolve().parent.parent.parent
TARBALL = REPO.parent / "shared" / "corpora" / "pyvideo-data.tar.xz"
DEFAULT_SIZES = ("300", "1000", "3000", "all")
SMOKE_SIZES = ("3", "6")
#: sizes at which --repeat-large applies instead of --repeat
LARGE = 3000
FULL_BUILDS = (("plain", 1), ("confarchive", 1), ("confarchive", 2))
INCREMENTAL_STEPS = ("noop", "edit_text", "edit_event_tags", "edit_date", "rename_event", "delete_post")

_started = time.perf_counter()


def progress(message: str) -> None:
    print(f"[bench {time.perf_counter() - _started:7.1f} s] {message}", file=sys.stderr, flush=True)


# --- one size ----------------------------------------------------------------------------


@dataclass
class Site:
    """The folders of one size: per build label, a source tree, an HTML folder and doctrees.

    Every clean build first writes its sources afresh (so files a build generates in its
    source folder, such as confarchive's archive stubs, never carry over), and each label
    has its own source tree, so rewriting one never makes another's build out of date.
    """

    root: Path
    posts: list[corpus.Post]
    #: the snapshot of the extension the builds import
    code: Path | None = None
    #: the source files the corpus writes, relative to a source tree
    generated: tuple[str, ...] = ()

    def src(self, label: str) -> Path:
        return self.root / label / "src"

    def html(self, label: str) -> Path:
        return self.root / label / "html"

    def clean_build(self, variant: str, label: str, *, jobs: int) -> runner.Build:
        self.generated = tuple(corpus.write_site(self.posts, self.src(label), variant))
        return self._build(label, jobs=jobs, clean=True)

    def rebuild(self, label: str) -> runner.Build:
        return self._build(label, jobs=1, clean=False)

    def write(self, label: str, relative: str, text: str) -> None:
        """A source file of ``label`` written, and kept by the clean copies of its sources."""
        (self.src(label) / relative).write_text(text, encoding="utf-8")
        if relative not in self.generated:
            self.generated = (*self.generated, relative)

    def delete(self, label: str, relative: str) -> None:
        """A source file of ``label`` deleted, and left out of the clean copies of its sources."""
        (self.src(label) / relative).unlink()
        self.generated = tuple(path for path in self.generated if path != relative)

    def clean_copy_build(self, source_label: str, label: str, *, jobs: int) -> runner.Build:
        """A clean build of the corpus files of ``source_label``'s sources, as they are now."""
        target = self.src(label)
        if target.exists():
            shutil.rmtree(target)
        for relative in self.generated:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.src(source_label) / relative, target / relative)
        return self._build(label, jobs=jobs, clean=True)

    def _build(self, label: str, *, jobs: int, clean: bool) -> runner.Build:
        build = runner.sphinx_build(self.src(label), self.html(label), self.root / label / "doctrees",
                                    jobs=jobs, clean=clean, label=label, code=self.code)
        if not build.ok:
            raise runner.BuildFailed(f"{label} build of {self.src(label)} failed:\n"
                                     + "\n".join(build.stderr.splitlines()[-40:]))
        return build


def bench_size(name: str, posts: list[corpus.Post], repeat: int, out: Path, code: Path, *,
               check: bool = True) -> dict:
    site = Site(out / f"size-{name}", posts, code)
    talks = sum(len(post.talks) for post in posts)
    progress(f"{report.size_label(name)}: {len(posts)} posts, {talks} talks")

    runs: dict[str, list[runner.Build]] = {f"{variant}-j{jobs}": [] for variant, jobs in FULL_BUILDS}
    #: files that differ between two clean -j 1 builds of the same sources (the control)
    run_to_run: set[str] = set()
    previous_j1 = None
    for round_ in range(repeat):
        shift = round_ % len(FULL_BUILDS)
        for variant, jobs in FULL_BUILDS[shift:] + FULL_BUILDS[:shift]:
            label = f"{variant}-j{jobs}"
            build = site.clean_build(variant, label, jobs=jobs)
            runs[label].append(build)
            progress(f"{report.size_label(name)}: round {round_ + 1}/{repeat}: {label} "
                     f"{build.seconds:.1f} s, peak {report.amount(build.peak_memory)}")
            if label == "confarchive-j1":
                tree = runner.snapshot(site.html(label))
                if previous_j1 is not None:
                    run_to_run.update(runner.differing(previous_j1, tree))
                previous_j1 = tree
    median = {label: statistics.median(b.seconds for b in builds) for label, builds in runs.items()}

    j1, j2 = runner.snapshot(site.html("confarchive-j1")), runner.snapshot(site.html("confarchive-j2"))
    differing = runner.differing(j1, j2)
    progress(f"{report.size_label(name)}: -j 1 and -j 2 output "
             + ("identical" if not differing else f"differ in {len(differing)} files: "
                f"{', '.join(sorted({path.split('/')[0] for path in differing}))}"))

    search_figures = search.measure(site.html("confarchive-j1"), [b.stdout for b in runs["confarchive-j1"]])
    search_json = search_figures.as_json()
    if search_figures.index_seconds is not None:
        # what indexing adds to the build; the indexer's own time runs beside the writing
        search_json["index_share"] = search_figures.index_wait_seconds / median["confarchive-j1"]
        search_json["index_work_share"] = search_figures.index_seconds / median["confarchive-j1"]

    oracle_jobs = 1 if any(path.endswith(".html") for path in differing) else 2
    incremental = measure_incremental(site, repeat, name, oracle_jobs=oracle_jobs, check=check)

    return {
        "name": name,
        "posts": len(posts),
        "talks": talks,
        "repeat": repeat,
        "full_build": {
            "plain": {"median": median["plain-j1"], "runs": [b.as_json() for b in runs["plain-j1"]]},
            "confarchive": {"median": median["confarchive-j1"],
                            "runs": [b.as_json() for b in runs["confarchive-j1"]]},
            "ratio": median["confarchive-j1"] / median["plain-j1"],
        },
        "per_post": {"plain": median["plain-j1"] / len(posts),
                     "confarchive": median["confarchive-j1"] / len(posts)},
        "per_talk": {"plain": median["plain-j1"] / talks, "confarchive": median["confarchive-j1"] / talks},
        "jobs": {
            "j1": median["confarchive-j1"],
            "j2": median["confarchive-j2"],
            "ratio": median["confarchive-j2"] / median["confarchive-j1"],
            "identical": not differing,
            "differing": differing,
            "identical_html": not [path for path in differing if path.endswith(".html")],
            "differing_folders": sorted({path.split("/")[0] for path in differing}),
            "run_to_run": sorted(run_to_run) if repeat > 1 else None,
            "run_to_run_folders": sorted({path.split("/")[0] for path in run_to_run}) if repeat > 1 else None,
            "runs": [b.as_json() for b in runs["confarchive-j2"]],
        },
        "incremental": incremental,
        "search": search_json,
        "memory": {label.replace("-", "_"): max(b.peak_memory for b in builds) for label, builds in runs.items()},
        "warnings": {"confarchive": max(len(b.warnings) for b in runs["confarchive-j1"]),
                     "plain": max(len(b.warnings) for b in runs["plain-j1"])},
        "warning_samples": sorted({w for b in runs["confarchive-j1"] + runs["plain-j1"] for w in b.warnings})[:20],
    }


# --- incremental rebuilds ----------------------------------------------------------------


def measure_incremental(site: Site, repeat: int, name: str, *, oracle_jobs: int, check: bool = True) -> dict:
    """A no-op rebuild of the last clean confarchive -j 1 build, then each change kind a writer makes.

    The changes, in turn: one post's text edited, its ``event`` and ``tags`` changed, its
    date changed, its event renamed in ``events.yaml``, another post deleted. Which HTML
    pages had to change is what a clean build of the changed sources has different from
    the pages before the rebuild: the post, and every page that shows what changed
    (archive pages listing the post by event or tag, once they exist). The first cycle is
    checked that way (the clean build runs with ``oracle_jobs``, -j 2 when -j 2 was found
    to write the same HTML as -j 1) unless ``check`` is false; later cycles are timed.
    """
    posts = site.posts
    target = posts[len(posts) // 2]
    others = [post for post in posts if post.event != target.event] or posts
    label = "confarchive-j1"
    source = site.src(label) / f"{target.docname}.md"
    html = site.html(label)
    steps: dict[str, dict] = {step: {"runs": []} for step in INCREMENTAL_STEPS}
    for cycle in range(repeat):
        other = others[cycle % len(others)]
        for step in INCREMENTAL_STEPS:
            before = runner.snapshot(html)
            if step == "edit_text":
                edit_text(source, cycle)
            elif step == "edit_event_tags":
                edit_front_matter(source, event=other.event, tags=[*other.tags, f"bench-pass-{cycle + 1}"])
            elif step == "edit_date":
                edit_front_matter(source, date=f"{2000 + cycle:04d}-06-15")
            elif step == "rename_event":
                site.write(label, "events.yaml", rename_event(other.event, cycle))
            elif step == "delete_post":
                left = [post for post in posts if post.docname not in (target.docname, other.docname)
                        and f"{post.docname}.md" in site.generated]
                if not left:
                    raise ValueError(f"{len(posts)} posts are too few to delete one in each of {repeat} cycles")
                site.delete(label, f"{left[0].docname}.md")
            build = site.rebuild(label)
            after = runner.snapshot(html)
            figures = steps[step]
            figures["runs"].append(build.as_json())
            changed = runner.differing(before, after, html_only=True)
            if cycle == 0:
                figures["changed"] = changed
                figures["written"] = len(runner.written(before, after))
                if step == "noop":
                    figures["needed"], figures["stale"] = [], []
                elif not check:
                    figures["needed"] = figures["stale"] = None
                else:
                    oracle = site.clean_copy_build(label, "clean-after-edit", jobs=oracle_jobs)
                    clean = runner.snapshot(site.html("clean-after-edit"))
                    figures["needed"] = runner.differing(before, clean, html_only=True)
                    figures["stale"] = runner.differing(after, clean, html_only=True)
                    figures["clean_seconds"] = oracle.seconds
                    # the index the rebuild left, once in place, against the clean build's
                    mine = pagefind_records(html / "pagefind")
                    theirs = pagefind_records(site.html("clean-after-edit") / "pagefind")
                    figures["index_differs"] = sorted(url for url in mine.keys() | theirs.keys()
                                                      if mine.get(url) != theirs.get(url))
            else:
                figures["changed_later"] = max(figures.get("changed_later", 0), len(changed))
            progress(f"{report.size_label(name)}: cycle {cycle + 1}/{repeat}: {step} {build.seconds:.1f} s, "
                     f"{len(changed)} pages changed")
    for figures in steps.values():
        figures["median"] = statistics.median(run["seconds"] for run in figures["runs"])
        figures["index_median"] = statistics.median(run["index_seconds"] for run in figures["runs"])
    for step in INCREMENTAL_STEPS:
        steps[step]["ratio"] = steps[step]["median"] / steps["noop"]["median"]
        steps[step]["index_ratio"] = steps[step]["index_median"] / steps["noop"]["median"]
    steps["post"] = target.docname
    return steps


def edit_text(source: Path, cycle: int) -> None:
    """One post's text edited: a sentence added at its end."""
    text = source.read_text(encoding="utf-8")
    source.write_text(text + f"\nEdited for the benchmark, pass {cycle + 1}.\n", encoding="utf-8")


def edit_front_matter(source: Path, **values: object) -> None:
    """Front matter lines of one post replaced: each key of ``values``, which the post must have."""
    lines = source.read_text(encoding="utf-8").split("\n")
    replaced = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    for index, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in replaced:
            lines[index] = f"{key}: {replaced.pop(key)}"
        if line == "---" and index > 0:
            break
    if replaced:
        raise ValueError(f"{source} has no {', '.join(replaced)} line in its front matter")
    source.write_text("\n".join(lines), encoding="utf-8")


def rename_event(event: str, cycle: int) -> str:
    """An ``events.yaml`` that names ``event`` anew: its posts' event renamed in the data file."""
    return json.dumps({"bench-event": {"name": f"Renamed for the benchmark, pass {cycle + 1}",
                                       "aliases": [event]}}, ensure_ascii=False) + "\n"


# --- the run -----------------------------------------------------------------------------


def add_growth(sizes: list[dict]) -> str | None:
    """Time per post at each size over that at the smallest numbered size (per talk for the whole set)."""
    numbered = [s for s in sizes if s["name"] != "all"]
    if not numbered:
        return None
    base = min(numbered, key=lambda s: s["posts"])
    for s in sizes:
        unit = "per_talk" if s["name"] == "all" else "per_post"
        s["growth"] = {side: s[unit][side] / base[unit][side] for side in ("confarchive", "plain")}
    return report.size_label(base["name"])


def missing_figures(run: dict) -> list[str]:
    """Every figure the table claims, checked present (the smoke run's assertion)."""
    problems = []
    for s in run["sizes"]:
        where = report.size_label(s["name"])
        numbers = [("full build ratio", s["full_build"]["ratio"]), ("-j ratio", s["jobs"]["ratio"]),
                   ("peak memory", min(s["memory"].values())), ("time per post", s["per_post"]["confarchive"])]
        numbers += [(f"{step} ratio", s["incremental"][step]["ratio"]) for step in INCREMENTAL_STEPS]
        if s.get("growth") is not None:
            numbers.append(("growth", s["growth"]["confarchive"]))
        else:
            problems.append(f"{where}: no growth figure")
        problems += [f"{where}: {label} is {value!r}" for label, value in numbers
                     if not isinstance(value, (int, float)) or value <= 0]
        for step in INCREMENTAL_STEPS:
            figures = s["incremental"][step]
            problems += [f"{where}: {step} has no {key!r}" for key in ("changed", "needed", "stale", "written")
                         if key not in figures]
            if step != "noop" and figures.get("needed") is not None:
                if "index_differs" not in figures:
                    problems.append(f"{where}: {step}: the index was not compared with a clean build's")
                elif figures["index_differs"]:
                    problems.append(f"{where}: {step}: search records unlike a clean build's: "
                                    f"{', '.join(figures['index_differs'][:5])}")
        if not isinstance(s["jobs"]["identical"], bool):
            problems.append(f"{where}: no -j output comparison")
        if s["incremental"]["edit_text"].get("needed") == []:
            problems.append(f"{where}: editing a post's text changed nothing a clean build shows")
        for key in ("index", "first_query", "second_query"):
            value = s["search"]["missing"].get(key) or s["search"].get(
                {"index": "index_seconds"}.get(key, f"{key}_bytes"))
            if value is None:
                problems.append(f"{where}: search figure {key} neither measured nor explained")
    try:
        report.table(run)
    except (KeyError, TypeError, ValueError) as error:
        problems.append(f"the table cannot be made: {error!r}")
    return problems


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES),
                        help="comma-separated post counts, and 'all' for one post per event (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build to take the median of (default: 3)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help=f"runs at {LARGE:,} posts and more, and for the whole set (default: 1, so "
                             f"that a whole run takes about an hour and a half on 2 cores)")
    parser.add_argument("--check-up-to", type=int, default=None, metavar="POSTS",
                        help="check incremental rebuilds against a clean build only up to this many posts "
                             "(the whole set counts as more); default: at every size")
    parser.add_argument("--commit", default=None, metavar="REV",
                        help="measure the extension as committed at REV (default: as in the working tree)")
    parser.add_argument("--table", type=Path, default=None, metavar="JSON",
                        help="print the table of a results file (of a finished or interrupted run) and exit")
    parser.add_argument("--queries", type=Path, default=None, metavar="SITE",
                        help="print the files (and bytes) a first and a second query fetch from a built site, "
                             "e.g. OUT/size-all/confarchive-j1/html after its search script changed, and exit")
    parser.add_argument("--program", action="store_true",
                        help="import every pyvideo event as a program and build it clean with -j 2, against the "
                             "same site without programs")
    parser.add_argument("--smoke", action="store_true",
                        help=f"sizes {', '.join(SMOKE_SIZES)} once each; fail when a figure is missing")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "bench",
                        help="work folder (default: _build/bench)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default: OUT/results.json)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.repeat, args.repeat_large, args.check_up_to = ",".join(SMOKE_SIZES), 1, 1, None
    args.sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    for size in args.sizes:
        if size != "all" and not (size.isdigit() and int(size) > 0):
            parser.error(f"--sizes: {size!r} is neither a number of posts nor 'all'")
    if args.repeat < 1 or args.repeat_large < 1:
        parser.error("--repeat and --repeat-large must be at least 1")
    args.json = args.json or args.out / ("program.json" if args.program else "results.json")
    return args


def print_queries(site: Path) -> int:
    """What a reader's first query, then a second, fetches from ``site``: each file, then the sums."""
    if not (site / search.BUNDLE).is_dir():
        print(f"bench: {site} holds no {search.BUNDLE}/ folder: build it first", file=sys.stderr)
        return 2
    try:
        fetched = search.fetched_by_queries(site)
    except search.BrowserMissing as missing:
        print(f"bench: {missing}", file=sys.stderr)
        return 2
    for word, paths in zip((search.FIRST_QUERY, search.SECOND_QUERY), fetched):
        raw = sum((site / path).stat().st_size for path in paths)
        served = sum(search.served_size(site / path) for path in paths)
        print(f"{'first' if word == search.FIRST_QUERY else 'then'} query {word!r}: {len(paths)} files, "
              f"{raw / 1000:.1f} kB ({served / 1000:.1f} kB served compressed)")
        for path in paths:
            print(f"  {(site / path).stat().st_size / 1000:8.1f} kB  {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table is not None:
        run = json.loads(args.table.read_text(encoding="utf-8"))
        run["growth_base"] = add_growth(run["sizes"]) or "—"
        print(report.table(run))
        print()
        print(report.notes(run))
        return 0
    if args.queries is not None:
        return print_queries(args.queries)
    if not TARBALL.is_file():
        print(f"bench: the corpus {TARBALL} is missing; it lives in ../shared/corpora/ beside the "
              f"checkout (see ../shared/corpora/PYVIDEO.md)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    lock = open(args.out / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"bench: another run is using {args.out}; wait for it, or pass --out", file=sys.stderr)
        return 2
    progress(f"unpacking {TARBALL.name} into {args.out / 'cache'}")
    unpacked = corpus.unpack(TARBALL, args.out / "cache")
    if args.program:
        code = args.out / "code"
        runner.snapshot_code(REPO, code, args.commit)
        results = program.run(unpacked, args.out / "program-site", args.repeat, code, progress)
        program.save(results, args.json)
        progress(f"figures written to {args.json}")
        print(program.table(results))
        return 0
    data = corpus.load_events(unpacked)
    progress(f"{len(data.events)} events, {data.talk_count} talks "
             f"({len(data.withheld)} withheld by NO_PUBLISH.json)")

    code = args.out / "code"
    run: dict = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    **{package: version(package) for package in ("sphinx", "myst-parser", "furo", "sphinx-design")}},
        "corpus": {"events": len(data.events), "talks": data.talk_count, "withheld": data.withheld,
                   "talks_per_post": corpus.TALKS_PER_POST},
        "queries": [search.FIRST_QUERY, search.SECOND_QUERY],
        "checked_up_to": args.check_up_to,
        "code": runner.snapshot_code(REPO, code, args.commit),
        "sizes": [],
    }
    try:
        for name in args.sizes:
            posts = corpus.whole_set_posts(data) if name == "all" else corpus.plan_posts(data, int(name))
            large = name == "all" or int(name) >= LARGE
            repeat = args.repeat_large if large else args.repeat
            check = args.check_up_to is None or (name != "all" and int(name) <= args.check_up_to)
            run["sizes"].append(bench_size(name, posts, repeat, args.out, code, check=check))
            report.write_json(run, args.json)
    except (runner.BuildFailed, ValueError, OSError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    run["growth_base"] = add_growth(run["sizes"]) or "—"
    report.write_json(run, args.json)
    print(report.table(run))
    print()
    print(report.notes(run))
    progress(f"figures written to {args.json}")
    if args.smoke:
        problems = missing_figures(run)
        for problem in problems:
            print(f"bench: smoke: {problem}", file=sys.stderr)
        if problems:
            return 1
        progress("smoke run complete: every figure measured or explained")
    return 0


if __name__ == "__main__":
    sys.exit(main())
