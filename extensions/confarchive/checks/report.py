"""The external links report: what Sphinx's ``linkcheck`` builder found, sorted. Pure, no Sphinx import.

``confarchive linkcheck-report`` reads the builder's ``output.json`` (:func:`read_results`)
and sorts its results (:class:`LinkcheckReport`): a broken link fails it; a rate-limited
link, an X/Twitter link (X answers every address with the same JavaScript page, or
refuses robots, so its answer proves neither that a page exists nor that it is gone), a
server that did not answer and a redirect are listed without failing it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

#: the hosts of Twitter, and of X, its new name
TWITTER_HOSTS = frozenset({"twitter.com", "www.twitter.com", "mobile.twitter.com"})
X_HOSTS = frozenset({"x.com", "www.x.com", "mobile.x.com"})


class Kind(StrEnum):
    """What a result means for the archive, in the order the report lists them."""

    BROKEN = "broken"
    RATE_LIMITED = "rate-limited"
    UNVERIFIABLE = "unverifiable"
    UNAVAILABLE = "unavailable"
    REDIRECTED = "redirected"
    OK = "ok"
    NOT_CHECKED = "not checked"


#: how Sphinx names each kind of redirect
_REDIRECTS = {301: "permanently", 302: "with Found", 303: "with See Other", 307: "temporarily",
              308: "permanently"}
#: requests' message for an HTTP error: "404 Client Error: Not Found for url: https://..."
_HTTP_ERROR = re.compile(r"(\d{3}) (?:Client|Server) Error: (.*?) for url: ")
#: the gist of requests' (long) messages for a failed connection
_CONNECTION_ERRORS = (
    (re.compile(r"Failed to resolve '([^']+)'"), "no address for {}"),
    (re.compile(r"Connection refused"), "connection refused"),
    (re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"), "the certificate is not valid"),
    (re.compile(r"Read timed out"), "read timed out"),
    (re.compile(r"timed out"), "connection timed out"),
)


@dataclass(frozen=True)
class LinkResult:
    """One line of Sphinx's ``output.json``: one link, at the first place it was found."""

    filename: str
    lineno: int | None
    status: str
    code: int
    uri: str
    info: str

    @property
    def where(self) -> str:
        return f"{self.filename}:{self.lineno}" if self.lineno and self.lineno > 0 else self.filename

    @property
    def http_status(self) -> int | None:
        """The HTTP status of a failed request, read from Sphinx's message; None if there is none."""
        match = _HTTP_ERROR.match(self.info)
        return int(match.group(1)) if match else None

    def failure(self) -> str:
        """The failure in a few words: ``404 Not Found``, ``connection refused``, else Sphinx's message."""
        match = _HTTP_ERROR.match(self.info)
        if match:
            return f"{match.group(1)} {match.group(2)}"
        for pattern, words in _CONNECTION_ERRORS:
            match = pattern.search(self.info)
            if match:
                return words.format(*match.groups())
        if self.info:
            return self.info
        return "no such file" if not urlsplit(self.uri).scheme else "broken"


def _social(uri: str) -> bool:
    return (urlsplit(uri).hostname or "") in TWITTER_HOSTS | X_HOSTS


def https_upgrade(url: str, new_url: str) -> bool:
    """Whether ``new_url`` is ``url`` (its fragment aside) with ``https:`` for ``http:``."""
    old = url.partition("#")[0]
    return (old.startswith("http://") and new_url.startswith("https://")
            and old[len("http://"):].rstrip("/") == new_url.partition("#")[0][len("https://"):].rstrip("/"))


def _fine_redirect(uri: str, new_uri: str) -> str | None:
    """Why a redirect from ``uri`` to ``new_uri`` still leads to the same page, or None."""
    if urlsplit(uri).hostname in TWITTER_HOSTS and urlsplit(new_uri).hostname in X_HOSTS:
        return "twitter.com is x.com now"
    if https_upgrade(uri, new_uri):
        return "the same address over https"
    return None


def classify(result: LinkResult) -> tuple[Kind, str]:
    """What ``result`` means, and why, in a few words."""
    status = result.status
    if status in ("ignored", "unchecked") and result.info != "service unavailable":
        return Kind.NOT_CHECKED, result.info or status
    if status == "rate-limited" or result.http_status == 429 or "Too Many Requests" in result.info:
        return Kind.RATE_LIMITED, "429 Too Many Requests: not a failure, check it again later"
    moved = ""
    if status == "redirected":
        how = _REDIRECTS.get(result.code)
        moved = f"moved {how} to {result.info}" if how else f"moved to {result.info}"
        fine = _fine_redirect(result.uri, result.info)
        if fine:
            return Kind.REDIRECTED, f"{moved}; fine: {fine}"
    if _social(result.uri):
        # X sends a robot a script, not the page, or refuses it: its answer proves nothing
        answer = "answered" if status == "working" else moved or result.failure()
        return Kind.UNVERIFIABLE, f"{answer}: X's answer to a robot proves nothing; check it by hand"
    if status == "redirected":
        return Kind.REDIRECTED, f"{moved}; update the link"
    if status == "timeout":
        return Kind.UNAVAILABLE, f"no answer in time: {result.failure()}"
    if status == "ignored":  # Sphinx ignores a 503
        return Kind.UNAVAILABLE, "503 Service Unavailable: check it again later"
    if status == "working":
        return Kind.OK, ""
    if status == "broken":
        return Kind.BROKEN, result.failure()
    return Kind.NOT_CHECKED, f"status {status!r}"


class ReportError(Exception):
    """``output.json`` is missing or is not Sphinx's."""


def read_results(path: Path) -> list[LinkResult]:
    """The results in ``path``: Sphinx's ``output.json``, or the folder holding it."""
    path = Path(path)
    if path.is_dir():
        path = path / "output.json"
    if not path.is_file():
        raise ReportError(f"no {path}: run sphinx-build -b linkcheck first")
    results = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            results.append(LinkResult(filename=str(record["filename"]), lineno=record.get("lineno"),
                                      status=str(record["status"]), code=int(record.get("code") or 0),
                                      uri=str(record["uri"]), info=str(record.get("info") or "")))
        except (ValueError, KeyError, TypeError) as error:
            raise ReportError(f"{path}:{number}: not a linkcheck result ({error})") from None
    return results


@dataclass
class LinkcheckReport:
    """The results, sorted by what they mean; ``source_dir`` goes before each file name."""

    results: list[LinkResult]
    source_dir: str | None = None

    def __post_init__(self) -> None:
        self.entries = sorted(((*classify(result), result) for result in self.results),
                              key=lambda entry: (list(Kind).index(entry[0]), entry[2].filename,
                                                 entry[2].lineno or 0, entry[2].uri))
        self.counts = Counter(kind for kind, _, _ in self.entries)

    @property
    def exit_status(self) -> int:
        """1 when a link is broken, else 0: nothing else is the archive's to fix."""
        return 1 if self.counts[Kind.BROKEN] else 0

    def lines(self) -> list[str]:
        """A located line, ``file:line: uri (kind: why)``, for each link that needs a look."""
        lines = []
        for kind, why, result in self.entries:
            if kind in (Kind.OK, Kind.NOT_CHECKED) or (kind is Kind.UNVERIFIABLE and result.status == "working"):
                continue
            where = f"{self.source_dir.rstrip('/')}/{result.where}" if self.source_dir else result.where
            lines.append(f"{where}: {result.uri} ({kind}: {why})")
        return lines

    def summary(self) -> str:
        """``<n> links: <n> broken, <n> rate-limited, ...``, every kind, zero or not."""
        fine = sum(1 for kind, why, _ in self.entries if kind is Kind.REDIRECTED and "; fine: " in why)
        counts = [f"{self.counts[kind]} {kind}" + (f" ({fine} fine)" if kind is Kind.REDIRECTED else "")
                  for kind in Kind]
        return f"{len(self.entries)} links: {', '.join(counts)}"

    def render(self) -> str:
        return "".join(f"{line}\n" for line in [*self.lines(), self.summary()])
