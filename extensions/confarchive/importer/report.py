"""What ``confarchive import`` did: the report it prints, and the problems it found, each at a file and line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem


class ReportCounts:
    """What the reports of ``confarchive import`` and ``import-program`` both answer, from
    their ``failed`` list and their ``problems``."""

    failed: list[tuple[str, str]]
    problems: list[Problem]

    @property
    def exit_status(self) -> int:
        """1 when something (a post, an event) could not be imported at all, else 0."""
        return 1 if self.failed else 0

    def problems_by_kind(self) -> Counter:
        """How many problems of each kind, by the kind's label (``front matter``)."""
        return Counter(problem.subtype.label for problem in self.problems)


@dataclass
class ImportReport(ReportCounts):
    """What an import did."""

    source: Path
    into: Path
    source_format: str
    dry_run: bool = False
    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_posts: list[tuple[str, str]] = field(default_factory=list)
    images_copied: int = 0
    images_missing: int = 0
    files_copied: int = 0
    redirects: int = 0
    redirects_file: Path | None = None
    converted: Counter = field(default_factory=Counter)
    #: constructs kept as text, and dropped, by kind (converted ones are in ``converted``)
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def render(self) -> str:
        would = "would be " if self.dry_run else ""
        lines = [
            f"confarchive import: {self.source_format} blog {self.source} -> {self.into}"
            + (" (dry run: nothing written)" if self.dry_run else ""),
            "",
            f"  posts {would}imported   {len(self.imported):6}",
            f"  posts skipped    {len(self.skipped):6}" + ("  (already there; --force replaces them)"
                                                          if self.skipped else ""),
            f"  posts failed     {len(self.failed):6}",
            f"  images {would}copied   {self.images_copied:6}",
            f"  images missing   {self.images_missing:6}",
            f"  other files      {self.files_copied:6}",
            f"  redirects        {self.redirects:6}" + (f"  ({self.redirects_file})" if self.redirects_file else ""),
        ]
        if self.not_posts:
            lines.append(f"  not posts        {len(self.not_posts):6}")
        kinds = sorted(set(self.converted) | set(self.kept) | set(self.dropped))
        if kinds:
            lines += ["", f"  {'Constructs, by kind:':<38} {'converted':>9} {'kept as text':>12} {'dropped':>7}"]
            lines += [f"  {kind:<38} {self.converted[kind]:9} {self.kept[kind]:12} {self.dropped[kind]:7}"
                      for kind in kinds]
        lines += problem_sections(self.problems, {"Posts that could not be imported": self.failed,
                                                  "Posts skipped": self.skipped,
                                                  "Files that are not posts": self.not_posts})
        return "\n".join(lines) + "\n"


def problem_sections(problems: list[Problem], lists: dict[str, list[tuple[str, str]]]) -> list[str]:
    """The end of an import's report: its problems counted by kind, then each list of
    ``(file, reason)`` that has any (posts that failed, posts skipped...), then every
    problem at its file and line."""
    lines: list[str] = []
    by_kind = Counter(problem.subtype.label for problem in problems)
    if by_kind:
        lines += ["", "Problems, by kind:"]
        lines += [f"  {kind:<34} {count:6}" for kind, count in sorted(by_kind.items())]
    for heading, entries in lists.items():
        if entries:
            lines += ["", f"{heading}:"]
            lines += [f"  {path}: {reason}" for path, reason in entries]
    if problems:
        lines += ["", "Problems:"]
        lines += [f"  {problem}" for problem in sorted(problems, key=_problem_order)]
    return lines


def _problem_order(problem: Problem) -> tuple:
    return (problem.file or "", problem.line, problem.subtype.label, problem.message)
