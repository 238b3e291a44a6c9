"""External links: Sphinx's ``linkcheck`` builder, set up for an archive, and its report.

An archive of old conference coverage links to many pages that have moved or gone,
most of them on Twitter, now X. Sphinx's ``linkcheck`` builder checks them; this module
gives it defaults for such an archive, each applied only where ``conf.py`` (or ``-D``)
sets none:

- ``linkcheck_allowed_redirects``: twitter.com (and its ``www.`` and ``mobile.`` hosts)
  redirecting to x.com is not an error: it is the same page under the site's new name.
- ``linkcheck_rate_limit_timeout``: :data:`RATE_LIMIT_TIMEOUT`, a minute. Sphinx waits
  up to five minutes between attempts, doubling from one (12 minutes for a host that
  stays rate-limited). A rate limit says nothing about the link, and the report lists
  rate-limited links apart from broken ones, so a longer wait buys nothing.
- ``linkcheck_anchors_ignore_for_url``: GitHub, whose heading and line anchors
  (``#readme``, ``#L10``) are made by JavaScript, never in the page Sphinx reads. The
  page itself is still checked.

and it checks with :class:`ArchiveLinkcheckBuilder`, Sphinx's builder with two changes:

- Sphinx waits as long as a server's ``Retry-After`` says, whatever
  ``linkcheck_rate_limit_timeout`` is: an hour, if the server asks for one. Here a wait
  longer than ``linkcheck_rate_limit_timeout`` is not made, and the link is reported
  with its 429.
- a redirect from ``http://`` to the ``https://`` address of the same URL is not an
  error (``confarchive_linkcheck_https_upgrades``, on by default). Allowed redirects are
  pairs of regular expressions matched independently, which cannot say "the same URL".

The report (``confarchive linkcheck-report``,
            :mod:`.report`) reads the builder's ``output.json`` and sorts its results: a
broken link fails it; a rate-limited link, an X/Twitter link (X answers every address
with the same JavaScript page, or refuses robots, so its answer proves neither that a
page exists nor that it is gone), a server that did not answer and a redirect are
listed without failing it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx.builders.linkcheck import (
    CheckExternalLinksBuilder,
    HyperlinkAvailabilityChecker,
    HyperlinkAvailabilityCheckWorker,
    _Status,
)
from sphinx.util import logging

from ..config import archive_config, left_at_default
from .report import https_upgrade

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.linkcheck import Hyperlink
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: default ``linkcheck_allowed_redirects``: twitter.com is x.com now
ALLOWED_REDIRECTS = {
    r"https?://(www\.|mobile\.)?twitter\.com(/|$)": r"https://(www\.|mobile\.)?x\.com(/|$)",
}
#: default ``linkcheck_rate_limit_timeout``, in seconds: the longest wait for a rate-limited host
RATE_LIMIT_TIMEOUT = 60.0
#: default ``linkcheck_anchors_ignore_for_url``: pages whose anchors JavaScript makes
ANCHORS_IGNORE_FOR_URL = (r"https://github\.com/",)


# --- the builder ----------------------------------------------------------------------------


class _Worker(HyperlinkAvailabilityCheckWorker):
    """Sphinx's worker; a long ``Retry-After`` is not waited, an https upgrade is no redirect."""

    def __init__(self, config: Config, *args: Any) -> None:
        super().__init__(config, *args)
        self.https_upgrades = archive_config(config).linkcheck_https_upgrades

    def limit_rate(self, response_url: str, retry_after: str | None) -> float | None:
        next_check = super().limit_rate(response_url, retry_after)
        if next_check is not None and next_check - time.time() > self.rate_limit_timeout:
            # the server asks for a longer wait than the archive gives: report the 429
            # now, and let the host's other links be tried (and reported) now too
            self.rate_limits.pop(urlsplit(response_url).netloc, None)
            return None
        return next_check

    def _check(self, docname: str, uri: str, hyperlink: Hyperlink) -> tuple[_Status, str, int]:
        status, info, code = super()._check(docname, uri, hyperlink)
        if self.https_upgrades and status == _Status.REDIRECTED and https_upgrade(uri, info):
            return _Status.WORKING, "", 0
        return status, info, code


class _Checker(HyperlinkAvailabilityChecker):
    """Sphinx's checker, whose threads are :class:`_Worker`."""

    def invoke_threads(self) -> None:
        for _ in range(self.num_workers):
            thread = _Worker(self.config, self.rqueue, self.wqueue, self.rate_limits)
            thread.start()
            self.workers.append(thread)


class ArchiveLinkcheckBuilder(CheckExternalLinksBuilder):
    """Sphinx's ``linkcheck`` builder, checking with :class:`_Worker`."""

    def finish(self) -> None:
        # Sphinx's own finish(), with the archive's checker in place of Sphinx's
        checker = _Checker(self.config)
        logger.info("")
        with (open(self.outdir / "output.txt", "w", encoding="utf-8") as self.txt_outfile,
              open(self.outdir / "output.json", "w", encoding="utf-8") as self.json_outfile):
            for result in checker.check(self.hyperlinks):
                self.process_result(result)
        if self.broken_hyperlinks or self.timed_out_hyperlinks:
            self._app.statuscode = 1


def _configure_linkcheck(app: Sphinx, config: Config) -> None:
    """``config-inited``: the archive's linkcheck defaults, where the project sets none."""
    # before Sphinx compiles linkcheck_allowed_redirects (priority 900)
    if left_at_default(config, "linkcheck_allowed_redirects"):
        config.linkcheck_allowed_redirects = dict(ALLOWED_REDIRECTS)
    if left_at_default(config, "linkcheck_rate_limit_timeout"):
        config.linkcheck_rate_limit_timeout = RATE_LIMIT_TIMEOUT
    if left_at_default(config, "linkcheck_anchors_ignore_for_url"):
        config.linkcheck_anchors_ignore_for_url = list(ANCHORS_IGNORE_FOR_URL)


def setup_linkcheck(app: Sphinx) -> None:
    app.add_builder(ArchiveLinkcheckBuilder, override=True)
    app.connect("config-inited", _configure_linkcheck)
