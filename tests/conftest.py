"""Shared fixtures: Sphinx's own test fixtures, a build of docs/, and the shared corpora."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from confarchive.search.index import wait_for_index

# Sphinx's test fixtures, and the browser fixtures (one chromium for the whole session)
pytest_plugins = ["sphinx.testing.fixtures", "browser"]

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
#: the shared folder beside the checkout: present in CI, absent in a user's clone
SHARED = REPO.parent / "shared"


def pytest_collection_modifyitems(config, items) -> None:
    """Browser tests run last, so nothing forks the test process once Playwright runs.

    In-process Sphinx builds start processes (sphinx-sitemap's multiprocessing manager);
    forked after Playwright started, they hold its pipes and its shutdown never ends.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _end_helper_processes():
    """At the end of the session, end the processes in-process builds left running."""
    yield
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()
        child.join(timeout=5)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>`` roots."""
    return ROOTS


def sphinx_build(srcdir: Path, outdir: Path, *args: str, confdir: Path | None = None) -> subprocess.CompletedProcess:
    """Run sphinx-build as a user would; returns the finished process (output captured)."""
    # -N: plain text, whatever the environment says about colours (FORCE_COLOR...)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-N", str(srcdir), str(outdir), *args]
    if confdir is not None:
        command[3:3] = ["-c", str(confdir)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    # an incremental build may end before its search index is in place: tests read it whole
    doctrees = Path(args[args.index("-d") + 1]) if "-d" in args else outdir / ".doctrees"
    assert wait_for_index(doctrees), "the search index was not written within 10 minutes"
    return result


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory) -> Path:
    """docs/ built in strict mode, as ``make strict`` builds it; the HTML output folder."""
    outdir = tmp_path_factory.mktemp("docs") / "html"
    result = sphinx_build(REPO / "docs", outdir, "-W", "--keep-going", confdir=REPO)
    assert result.returncode == 0, f"strict build of docs/ failed:\n{result.stderr}"
    assert result.stderr.strip() == "", f"the build of docs/ warned:\n{result.stderr}"
    return outdir


def need_shared(*parts: str) -> Path:
    """A path under the shared folder; skips the test where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {Path('..', 'shared', *parts)} beside the checkout")
    return path


def build_root(name: str, dest: Path, *, confoverrides: dict | None = None, srcdir: Path | None = None):
    """Copy ``tests/roots/test-<name>`` (or ``srcdir``) to ``dest`` and build it; the finished app.

    Callers own the app and call ``app.cleanup()`` when done. Builds here are serial:
    parallel builds fork, so they run as separate processes (:func:`sphinx_build`).
    """
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(srcdir or ROOTS / f"test-{name}", dest)
    app = SphinxTestApp("html", srcdir=dest, confoverrides=confoverrides,
                        status=StringIO(), warning=StringIO())
    app.build()
    assert wait_for_index(app.doctreedir), "the search index was not written within 10 minutes"
    return app


def warning_lines(app) -> list[str]:
    """The app's warnings, one a line, sorted, with the source folder left out of paths."""
    from sphinx.util.console import strip_colors

    text = strip_colors(app.warning.getvalue()).replace(str(app.srcdir) + "/", "")
    return sorted(line for line in text.splitlines() if "WARNING" in line)
