"""Sphinx builds as subprocesses: wall time, peak memory, warnings; output trees hashed.

Peak memory is measured two ways, both cheap enough to run on every timed build:

- exactly, the largest resident set any single process of the build reached: the
  ``ru_maxrss`` that ``wait4`` returns for the build, which covers the ``-j`` workers
  it forked and reaped;
- sampled, the sum of the proportional set size (PSS, from ``/proc/<pid>/smaps_rollup``)
  of the build's whole process tree, every :data:`SAMPLE_SECONDS`: with ``-j 2`` the main
  process and its workers live at once, and PSS counts the pages they share once.

The build's peak memory is the larger of the two.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from confarchive.search.index import wait_for_index

SAMPLE_SECONDS = 0.5
#: stderr lines that mean the build went wrong, not just warned
_ERROR_MARKS = ("ERROR:", "CRITICAL:", "SEVERE:", "Traceback (most recent call last)",
                "Exception occurred", "Extension error", "Sphinx error")


@dataclass
class Build:
    """One finished ``sphinx-build`` run."""

    label: str
    seconds: float
    returncode: int
    #: the largest single process's peak RSS, bytes (exact)
    max_rss: int
    #: the highest sum of PSS over the process tree, bytes (sampled)
    tree_pss: int
    stderr: str = ""
    stdout: str = ""
    #: from the start until the search index was in place: a build may end before it
    index_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def peak_memory(self) -> int:
        return max(self.max_rss, self.tree_pss)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.errors

    def as_json(self) -> dict:
        return {"label": self.label, "seconds": round(self.seconds, 3), "index_seconds": round(self.index_seconds, 3),
                "returncode": self.returncode,
                "max_rss": self.max_rss, "tree_pss": self.tree_pss, "peak_memory": self.peak_memory,
                "warnings": len(self.warnings), "errors": self.errors[:20]}


class BuildFailed(RuntimeError):
    """A build exited non-zero or printed an error."""


def sphinx_build(srcdir: Path, outdir: Path, doctrees: Path, *, jobs: int = 1, clean: bool = True,
                 label: str = "", code: Path | None = None) -> Build:
    """Build ``srcdir`` as HTML into ``outdir`` (doctrees in ``doctrees``).

    Not ``-q``: the status output goes to a file, so the build's own timings (the search
    index's) can be read from it; a line per document costs nothing measurable.
    ``clean`` removes both output folders first, so the build reads and writes everything.
    ``code``, a folder put first on ``PYTHONPATH``, makes the build import the extension
    from there (a snapshot taken when the run started).
    """
    if clean:
        for folder in (outdir, doctrees):
            if folder.exists():
                shutil.rmtree(folder)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs),
               "-d", str(doctrees), str(srcdir), str(outdir)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    outdir.parent.mkdir(parents=True, exist_ok=True)
    with open(outdir.parent / f"{outdir.name}.stdout", "w+", encoding="utf-8") as stdout, \
            open(outdir.parent / f"{outdir.name}.stderr", "w+", encoding="utf-8") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
        # a rebuild ends once its pages are written; its index is put in place after it
        if not wait_for_index(doctrees):
            raise BuildFailed(f"{label}: the search index was not in place 10 minutes after the build")
        index_seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read()
        stdout.seek(0)
        status = stdout.read()
    lines = text.splitlines()
    return Build(
        label=label,
        seconds=seconds,
        index_seconds=index_seconds,
        returncode=process.returncode,
        max_rss=usage.ru_maxrss * 1024,
        tree_pss=sampler.peak,
        stderr=text,
        stdout=status,
        warnings=[line for line in lines if "WARNING:" in line],
        errors=[line for line in lines if any(mark in line for mark in _ERROR_MARKS)]
        + ([f"exit status {process.returncode}"] if process.returncode else []),
    )


class _TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def snapshot_code(repo: Path, dest: Path, commit: str | None = None) -> dict:
    """Copy the extension's code to ``dest``, so a long run measures one version of it.

    ``commit``: take ``extensions/`` as committed there (``git archive``); otherwise as it
    is in the working tree. Returns what was copied: the commit, and the files of the
    working tree that differ from it when the working tree was copied.
    """
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    if dest.exists():
        shutil.rmtree(dest)
    if commit is not None:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit, "extensions"],
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(dest), "--strip-components=1"], input=archive.stdout, check=True)
        return {"commit": git("rev-parse", commit), "uncommitted": [], "source": f"git archive {commit}"}
    shutil.copytree(repo / "extensions", dest, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return {"commit": git("rev-parse", "HEAD"), "source": "working tree",
            "uncommitted": git("status", "--porcelain", "--", "extensions").splitlines()}


# --- output trees ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tree:
    """Every file of an output folder: content hash and modification time, by relative path."""

    hashes: dict[str, str]
    mtimes: dict[str, int]

    def html(self) -> set[str]:
        return {path for path in self.hashes if path.endswith(".html")}


def snapshot(root: Path) -> Tree:
    hashes, mtimes = {}, {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            mtimes[relative] = path.stat().st_mtime_ns
    return Tree(hashes, mtimes)


def differing(before: Tree, after: Tree, *, html_only: bool = False) -> list[str]:
    """Paths added, removed or changed in content between two trees."""
    paths = set(before.hashes) | set(after.hashes)
    if html_only:
        paths = {path for path in paths if path.endswith(".html")}
    return sorted(path for path in paths if before.hashes.get(path) != after.hashes.get(path))


def written(before: Tree, after: Tree) -> list[str]:
    """HTML files written by the build between two snapshots (new, or a new mtime)."""
    return sorted(path for path in after.html() if before.mtimes.get(path) != after.mtimes[path])
