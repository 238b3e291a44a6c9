"""The figures as a Markdown table (one column per size) and as JSON.

Sizes are written in decimal units: 1 kB = 1,000 bytes, 1 MB = 10^6 bytes, 1 GB = 10^9.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the issue's targets, by row
TARGETS = {
    "ratio": "≤ 1.15 at 1,000",
    "growth": "≤ 1.10 (3,000 vs 300)",
    "edit_text": "≤ 1.5 at 1,000; only the post and its listings; index as a clean build's",
    "edit_event_tags": "only the post and its listings",
    "edit_date": "only the post, its neighbours and its listings",
    "rename_event": "only the pages that name the event",
    "delete_post": "only its neighbours and listings; its page gone",
    "jobs": "≤ 0.85, identical",
    "clean_j2": "whole set < 10 min",
    "memory": "whole set < 4 GB",
    "index_share": "≤ 5 %",
    "first_query": "≤ 300 kB (whole set)",
    "second_query": "≤ 60 kB (whole set)",
}


def size_label(name: str) -> str:
    return "whole set" if name == "all" else f"{int(name):,}"


def seconds(value: float) -> str:
    if value >= 120:
        return f"{value / 60:.1f} min"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def amount(value: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value} B"


def pages(step: dict) -> str:
    """``changed of needed`` for an incremental step, with what else is worth knowing."""
    if step["needed"] is None:
        return f"{len(step['changed'])} changed ({step['written']} written); needed: not checked at this size"
    text = f"{len(step['changed'])} changed / {len(step['needed'])} needed"
    extra = []
    if step["written"] != len(step["changed"]):
        extra.append(f"{step['written']} written")
    if step["stale"]:
        extra.append(f"{len(step['stale'])} stale")
    unneeded = sorted(set(step["changed"]) - set(step["needed"]))
    if unneeded:
        extra.append(f"{len(unneeded)} needlessly")
    return text + (f" ({', '.join(extra)})" if extra else "")


def sameness(figures: dict) -> str:
    """Whether -j 2 wrote what -j 1 wrote, and where not, whether two -j 1 runs differ there too."""
    if figures["identical"]:
        return "identical"
    folders = sorted({path.split("/")[0] for path in figures["differing"]})
    text = f"{len(figures['differing'])} files differ ({', '.join(f'{folder}/' if '.' not in folder else folder for folder in folders)})"
    if not any(path.endswith(".html") for path in figures["differing"]):
        text = "HTML identical; " + text
    control = figures.get("run_to_run_folders")
    if control is None:
        return text + ", no -j 1 control at 1 run"
    if set(folders) <= set(control):
        return text + ", as between two -j 1 runs"
    return text + ", unlike two -j 1 runs"


def _rows(run: dict) -> list[tuple[str, str, Callable[[dict], str]]]:
    """(row label, target key, cell for one size's figures)."""

    def full(side: str) -> Callable[[dict], str]:
        return lambda s: f"{seconds(s['full_build'][side]['median'])}"

    def step(kind: str) -> Callable[[dict], str]:
        def cell(s: dict) -> str:
            figures = s["incremental"][kind]
            text = f"{figures['ratio']:.2f} ({seconds(figures['median'])}); {pages(figures)}"
            if kind != "noop" and "index_median" in figures:
                text += f"; index in place after {seconds(figures['index_median'])}"
                if "index_differs" in figures:
                    differs = figures["index_differs"]
                    text += f", {len(differs)} records unlike a clean build's" if differs else ", as a clean build's"
            return text
        return cell

    def search(key: str) -> Callable[[dict], str]:
        def cell(s: dict) -> str:
            figures = s["search"]
            if key in figures["missing"]:
                return figures["missing"][key]
            if key == "index":
                work = figures.get("index_work_share", figures["index_share"])
                return (f"{100 * figures['index_share']:.1f} % waited; indexing "
                        f"{seconds(figures['index_seconds'])} = {100 * work:.1f} % ran beside the writing")
            served = figures.get(f"{key}_served_bytes")
            shown = amount(figures[f"{key}_bytes"])
            return f"{shown} ({amount(served)} served compressed)" if served is not None else shown
        return cell

    def jobs(s: dict) -> str:
        figures = s["jobs"]
        return f"{figures['ratio']:.2f}, {sameness(figures)}"

    def growth(s: dict) -> str:
        value = s.get("growth")
        if value is None:
            return "—"
        unit = " per talk" if s["name"] == "all" else ""
        return f"{value['confarchive']:.2f} (plain {value['plain']:.2f}){unit}"

    return [
        ("posts (talks)", "", lambda s: f"{s['posts']:,} ({s['talks']:,})"),
        ("full build, plain Sphinx + MyST + furo, -j 1", "", full("plain")),
        ("full build, confarchive, -j 1", "", full("confarchive")),
        ("full build, confarchive / plain", "ratio",
         lambda s: f"{s['full_build']['ratio']:.2f}"),
        ("time per post, confarchive (plain)", "",
         lambda s: f"{1000 * s['per_post']['confarchive']:.0f} ms ({1000 * s['per_post']['plain']:.0f} ms)"),
        (f"time per post / time per post at {run['growth_base']}", "growth", growth),
        ("no-op rebuild", "", lambda s: seconds(s["incremental"]["noop"]["median"])),
        ("one post's text edited / no-op", "edit_text", step("edit_text")),
        ("one post's event and tags changed / no-op", "edit_event_tags", step("edit_event_tags")),
        ("one post's date changed / no-op", "edit_date", step("edit_date")),
        ("an event renamed in events.yaml / no-op", "rename_event", step("rename_event")),
        ("one post deleted / no-op", "delete_post", step("delete_post")),
        ("-j 2 / -j 1 (output)", "jobs", jobs),
        ("clean build, confarchive, -j 2", "clean_j2", lambda s: seconds(s["jobs"]["j2"])),
        ("peak memory, confarchive -j 1 / -j 2", "memory",
         lambda s: f"{amount(s['memory']['confarchive_j1'])} / {amount(s['memory']['confarchive_j2'])}"),
        ("search indexing / build", "index_share", search("index")),
        (f"first one-word query ({run['queries'][0]}), bytes fetched", "first_query", search("first_query")),
        (f"second query ({run['queries'][1]}), bytes fetched", "second_query", search("second_query")),
        ("warnings, confarchive / plain", "",
         lambda s: f"{s['warnings']['confarchive']} / {s['warnings']['plain']}"),
    ]


def table(run: dict) -> str:
    """The figures of a run as a Markdown table: a row per figure, a column per size."""
    sizes = run["sizes"]
    header = ["figure", *(size_label(s["name"]) for s in sizes), "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for label, target, cell in _rows(run):
        lines.append("| " + " | ".join([label, *(cell(s) for s in sizes), TARGETS.get(target, "")]) + " |")
    return "\n".join(lines)


def notes(run: dict) -> str:
    """How the figures were taken, under the table."""
    repeats = ", ".join(f"{size_label(s['name'])}: {s['repeat']}" for s in run["sizes"])
    return (
        f"Medians of repeated runs (repeats per size: {repeats}); full builds alternate plain -j 1, "
        f"confarchive -j 1 and confarchive -j 2, rotating which goes first. Incremental ratios are "
        f"to the no-op rebuild; pages: HTML files whose content changed / that had to change "
        f"(those a clean build of the edited sources has different). Sizes in decimal units."
    )


def write_json(run: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2, ensure_ascii=False, default=_default) + "\n", encoding="utf-8")


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
