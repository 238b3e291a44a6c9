"""Support for browser tests: Debian's chromium, driven through Playwright's sync API.

Import the fixtures into a test module (``tests/`` is on ``sys.path`` in pytest's default
import mode)::

    from browser import chromium, chromium_executable, open_page, served_docs  # noqa: F401

and mark the tests ``@pytest.mark.browser``.

Fixtures:

``chromium_executable``
    The chromium binary: ``$CONFARCHIVE_CHROMIUM`` when set, else ``/usr/bin/chromium``, else
    ``chromium`` on ``PATH``. When it (or the ``playwright`` package) is missing the tests
    *skip* and say what to install; with ``CONFARCHIVE_REQUIRE_BROWSER=1`` they *fail*
    instead (CI sets it, so a broken image cannot turn the browser tests into skips).
    Point ``CONFARCHIVE_CHROMIUM`` at a path that does not exist to see both behaviours.
``chromium``
    A headless Playwright ``Browser`` running that binary, one per session.
``served_docs``
    The strict build of ``docs/`` (conftest's ``docs_build``) served over HTTP on
    127.0.0.1 at a free port; the base URL, ending in ``/``.
``open_page``
    ``open_page(url, width=1280, height=900, color_scheme="light")`` opens ``url`` in a
    fresh browser context and returns a :class:`BrowserPage`: the Playwright page plus the
    console errors, page errors and failed requests seen since before navigation.
    :meth:`BrowserPage.assert_no_errors` fails the test on any of them.

Outside the tests, :func:`serve_folder` serves any built HTML folder the same way.
Set ``CONFARCHIVE_SCREENSHOTS`` to a folder to keep a screenshot of each page a test
takes with :meth:`BrowserPage.screenshot` (nothing is written otherwise).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: where Debian's ``chromium`` package installs the browser
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
#: a path to chromium that overrides the search (a missing path simulates a missing browser)
CHROMIUM_ENV = "CONFARCHIVE_CHROMIUM"
#: set to 1 to make a missing browser fail the browser tests instead of skipping them
REQUIRE_ENV = "CONFARCHIVE_REQUIRE_BROWSER"
#: a folder to write screenshots into (optional)
SCREENSHOTS_ENV = "CONFARCHIVE_SCREENSHOTS"
#: Playwright's own browser download is not used: it needs the internet and a writable cache
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_required() -> bool:
    """Whether a missing browser must fail the tests (``CONFARCHIVE_REQUIRE_BROWSER=1``)."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def browser_missing(what: str, how: str) -> None:
    """Skip the test because ``what`` is missing, or fail it when the browser is required."""
    message = f"browser tests need {what}, which is missing; {how}"
    if browser_required():
        pytest.fail(f"{message} ({REQUIRE_ENV}=1, so this fails instead of skipping)", pytrace=False)
    pytest.skip(f"{message} (or set {REQUIRE_ENV}=1 to make this a failure)")


def find_chromium() -> tuple[Path | None, str]:
    """The chromium binary, or None; and a description of where it was looked for."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        path = Path(override)
        return (path if path.is_file() and os.access(path, os.X_OK) else None), f"{CHROMIUM_ENV}={override}"
    if DEFAULT_CHROMIUM.is_file() and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM, str(DEFAULT_CHROMIUM)
    found = shutil.which("chromium")
    return (Path(found) if found else None), f"{DEFAULT_CHROMIUM} or `chromium` on PATH"


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """The chromium binary; skips (or fails, when required) where it or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        browser_missing("the Python package `playwright`",
                        "install the test dependencies with `pip install -e '.[test]'`")
    path, looked_at = find_chromium()
    if path is None:
        browser_missing(f"chromium (looked for {looked_at})",
                        f"install it with `apt-get install chromium`, or point {CHROMIUM_ENV} at the binary")
    return path


@pytest.fixture(scope="session")
def chromium(chromium_executable) -> Iterator[Browser]:
    """A headless chromium, driven by Playwright, for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


# --- serving a built folder ----------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from a folder without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send_head(self):
        # Browsers ask for /favicon.ico on their own; a site without one is not broken.
        if urlsplit(self.path).path == "/favicon.ico" and not Path(self.translate_path(self.path)).exists():
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 at a free port; yields the base URL (ends in ``/``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"nothing to serve: {folder} is not a folder")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def served_docs(chromium_executable, docs_build) -> Iterator[str]:
    """The strict build of docs/, served over HTTP; the base URL.

    Asks for the browser first, so that without one the tests skip before building docs/.
    """
    with serve_folder(docs_build) as url:
        yield url


# --- pages -------------------------------------------------------------------------


@dataclass
class BrowserPage:
    """A page opened by ``open_page``, with what went wrong while it loaded and ran."""

    page: Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
        )

    def assert_no_errors(self) -> None:
        """Fail when the console showed an error, a script threw, or a request failed."""
        problems = self.problems()
        assert not problems, f"{self.url}:\n" + "\n".join(problems)

    def screenshot(self, name: str, *, full_page: bool = False) -> Path | None:
        """Save a screenshot as ``$CONFARCHIVE_SCREENSHOTS/<name>.png`` when that is set."""
        folder = os.environ.get(SCREENSHOTS_ENV)
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _describe_console(message) -> str:
    location = message.location or {}
    where = location.get("url")
    if where:
        where += f":{location.get('lineNumber', 0)}"
    return f"{message.text} ({where})" if where else message.text


@pytest.fixture
def open_page(chromium) -> Iterator[Callable[..., BrowserPage]]:
    """``open_page(url, width=1280, height=900, color_scheme="light")``: a loaded page.

    Each call gets a fresh context (no shared storage, so furo's theme choice starts at
    "auto" and follows ``color_scheme``). Only 127.0.0.1 is reachable: a request for
    anything else is aborted and reported as a failed request, so tests do not depend
    on the network.
    """
    contexts = []

    def opener(url: str, *, width: int = 1280, height: int = 900, color_scheme: str = "light",
               wait_until: str = "load") -> BrowserPage:
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        opened = BrowserPage(page, url)

        def on_console(message) -> None:
            if message.type == "error":
                opened.console_errors.append(_describe_console(message))

        def on_request_failed(request) -> None:
            opened.failed_requests.append(f"{request.url}: {request.failure}")

        def on_response(response) -> None:
            if response.status >= 400:
                opened.failed_requests.append(f"{response.url}: HTTP {response.status}")

        def only_local(route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort("blockedbyclient")

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)
        context.route("**/*", only_local)
        response = page.goto(url, wait_until=wait_until)
        assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"
        return opened

    yield opener
    for context in contexts:
        context.close()


# --- colours ------------------------------------------------------------------------------


def relative_luminance(rgb) -> float:
    """WCAG 2.x relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- the search page ----------------------------------------------------------------------

#: the search page marks itself done once results, filters and status are all shown
DONE = "() => document.getElementById('confarchive-search').dataset.searchState === 'done'"


def search(open_page, base: str, query: str = "", **filters: list[str]):
    """Open the search page for ``query`` and ``filters``; wait for the results."""
    params = [f"q={quote(query)}"] + [f"{name}={quote(value)}" for name, values in filters.items()
                                      for value in values]
    opened = open_page(f"{base}search.html?{'&'.join(params)}")
    dialogs: list[str] = []
    opened.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    opened.page.wait_for_function(DONE, timeout=15000)
    return opened


def show_filters(opened):
    """Ask for the filters, as a reader does with the button in their place; wait for them."""
    opened.page.click(".confarchive-filters-offer")
    opened.page.wait_for_function(
        "() => document.querySelector('.confarchive-search-filters input[type=checkbox]') !== null")
    opened.page.wait_for_function(DONE, timeout=15000)
    return opened


def results(opened) -> list[dict]:
    return opened.page.eval_on_selector_all(".confarchive-result", """(items) => items.map((item) => ({
        kind: item.className.replace(/.*confarchive-result-/, ''),
        title: item.querySelector('.confarchive-result-title').textContent,
        href: item.querySelector('.confarchive-result-title').href,
        meta: (item.querySelector('.confarchive-result-meta') || {}).textContent || '',
        marks: Array.from(item.querySelectorAll('mark')).map((m) => m.textContent),
    }))""")


def filter_counts(opened, name: str) -> dict[str, int]:
    return opened.page.eval_on_selector_all(
        f'fieldset[data-filter="{name}"] label',
        """(rows) => Object.fromEntries(rows.map((row) => [
            row.querySelector('.confarchive-filter-name').textContent,
            Number(row.querySelector('.confarchive-filter-count').textContent)]))""")


def status(opened) -> str:
    return opened.page.inner_text(".confarchive-search-status")
