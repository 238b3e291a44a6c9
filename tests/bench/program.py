"""``python -m bench --program``: the whole pyvideo corpus as official programs, imported and built.

Every event of the corpus is imported with ``confarchive import-program`` into a site
that has the example post and nothing else, then the site is built clean with ``-j 2``
(twice, taking the median), and, as the baseline measured in the same run, the same
site without its programs. Every talk must have its page, reachable from its event's
page and from each of its speakers' pages; the figures are wall time (until the search
index is in place) and peak memory.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urljoin

from bs4 import BeautifulSoup

from . import runner

REPO = Path(__file__).resolve().parent.parent.parent
CONF = ('extensions = ["confarchive"]\nhtml_theme = "furo"\nproject = "Program benchmark"\n'
        'html_baseurl = "https://archive.example.org/"\n')


def make_site(root: Path, data: Path, with_program: bool) -> tuple[Path, float]:
    """A site with the example post and (``with_program``) every event's program: (its folder, import seconds)."""
    src = root / ("program" if with_program else "baseline") / "src"
    if src.exists():
        shutil.rmtree(src)
    (src / "posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Program benchmark\n\n:::{postlist}\n:paginate:\n:::\n", encoding="utf-8")
    shutil.copytree(REPO / "docs" / "posts", src / "posts", dirs_exist_ok=True)
    for name in ("events.yaml", "speakers.yaml"):
        shutil.copyfile(REPO / "docs" / name, src / name)
    seconds = 0.0
    if with_program:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "confarchive", "import-program", str(data), "--into",
                        str(src / "program")], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    return src, seconds


def reachability(outdir: Path) -> dict:
    """How many talk pages there are, and how many are linked from their event's page and
    from every one of their speakers' pages."""
    talks = sorted((outdir / "archive" / "talks").rglob("*.html"))
    wanted = {path.relative_to(outdir).as_posix() for path in talks}
    from_event: set[str] = set()
    from_speakers: dict[str, set[str]] = {}
    for page in sorted((outdir / "archive" / "events").glob("*.html")) + \
            sorted((outdir / "archive" / "events").glob("*/page/*.html")):
        from_event |= _links_to_talks(outdir, page)
    for page in sorted((outdir / "archive" / "speakers").glob("*.html")):
        for talk in _links_to_talks(outdir, page):
            from_speakers.setdefault(talk, set()).add(page.stem)
    missing_speakers = 0
    for path in talks:
        name = path.relative_to(outdir).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        speakers = {Path(unquote(a["href"])).stem for a in soup.select("article .confarchive-talk-details "
                                                                        "a.confarchive-speaker-link")}
        if not speakers <= from_speakers.get(name, set()):
            missing_speakers += 1
    return {"talk_pages": len(wanted), "linked_from_event": len(wanted & from_event),
            "talks_missing_a_speaker_link": missing_speakers}


def _links_to_talks(outdir: Path, page: Path) -> set[str]:
    base = page.relative_to(outdir).as_posix()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {unquote(urljoin(base, a["href"]).split("#")[0])
            for a in soup.select("article a.confarchive-program-link")}


def run(data: Path, out: Path, repeat: int, code: Path | None, progress) -> dict:
    """Import and build; the figures as a dict (printed by :func:`table`)."""
    results: dict = {"builds": {}}
    for with_program in (False, True):
        label = "program" if with_program else "baseline"
        src, import_seconds = make_site(out, data, with_program)
        if with_program:
            files = list((src / "program").glob("*.yaml"))
            results["import_seconds"] = round(import_seconds, 1)
            results["events"] = len(files)
        builds = []
        for number in range(repeat):
            progress(f"program: {label} build -j 2, {number + 1} of {repeat}")
            build = runner.sphinx_build(src, out / label / "html", out / label / "doctrees", jobs=2,
                                        label=label, code=code)
            if not build.ok:
                raise runner.BuildFailed(f"{label}: {build.errors[:5]}")
            builds.append(build)
        results["builds"][label] = {
            "seconds": round(statistics.median(b.index_seconds for b in builds), 1),
            "peak_memory_mb": round(max(b.peak_memory for b in builds) / 2**20),
            "warnings": len(builds[-1].warnings),
        }
    results.update(reachability(out / "program" / "html"))
    base = results["builds"]["baseline"]["seconds"]
    results["ratio"] = round(results["builds"]["program"]["seconds"] / base, 1) if base else None
    return results


def table(results: dict) -> str:
    program, baseline = results["builds"]["program"], results["builds"]["baseline"]
    return "\n".join([
        "| | clean build -j 2 (until the index is in place) | peak memory |",
        "| --- | --- | --- |",
        f"| the example post alone (baseline) | {baseline['seconds']} s | {baseline['peak_memory_mb']} MB |",
        f"| with every pyvideo event's program ({results['events']} events) | {program['seconds']} s "
        f"({results['ratio']}x the baseline) | {program['peak_memory_mb']} MB |",
        "",
        f"Import of the {results['events']} events: {results['import_seconds']} s. Talk pages: "
        f"{results['talk_pages']}, {results['linked_from_event']} linked from their event's page, "
        f"{results['talks_missing_a_speaker_link']} missing from a speaker's page. Warnings in the build: "
        f"{program['warnings']}.",
    ])


def save(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
