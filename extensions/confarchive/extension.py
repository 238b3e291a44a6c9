"""The Sphinx extension: every part of confarchive registered, in one place and in order.

``confarchive.setup`` (in the package's ``__init__``) calls :func:`setup`, so that
importing ``confarchive.text``, ``confarchive.importer`` or the command imports no
Sphinx. This module is the composition root: the only one that imports every layer,
and where the order of what runs at the same event is set:

- ``source-read``: the archive prepares each Markdown source (:mod:`.archive.reading`);
- transforms, before Sphinx's collectors: raw HTML cleaned, then paths confined;
- ``doctree-read``, after Sphinx's collectors (priority 500): the archive records the post
  and its talks, then search keeps the text of each talk (:func:`read_document`);
- ``env-updated``: the archive's view and pages, then the search index starts from
  them (:func:`after_reading`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import config as settings
from .archive import build as archive_build
from .archive.confine import ConfinePaths, exclude_links_leading_out
from .archive.domain import ArchiveDomain
from .archive.drafts import setup_drafts
from .archive.incremental import pages_to_rewrite
from .archive.listings import fill_listings
from .archive.outputs import remove_stale_outputs
from .archive.pages import collect_pages
from .archive.postpage import add_post_header, link_program_talks, post_neighbours, social_tags
from .archive.rawhtml import ApplyHtmlPolicy
from .archive.reading import decode_leniently, note_references, read_source, record_post
from .archive.templates import TEMPLATE_BRIDGE
from .checks.linkcheck import setup_linkcheck
from .directives.callout import setup_callout
from .directives.files import setup_files
from .directives.image_float import setup_image_float
from .directives.postlist import setup_postlist
from .directives.reference import setup_reference
from .directives.speaker import setup_speaker
from .directives.video import setup_video
from .nodes import post_header
from .publish.feeds import setup_feeds
from .publish.redirects import setup_redirects
from .publish.sitemap import setup_sitemap
from .search.index import plan_search_index, setup_search
from .search.records import note_search_text
from .version import __version__

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: MyST syntax extensions the archive's directives and the legacy converter rely on
MYST_EXTENSIONS = ("colon_fence",)


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: MyST syntax, static files, templates, Read the Docs' canonical URL,
    and (``confarchive_configure_extensions``) what suits an archive in the extensions it sets up."""
    enabled = list(config.myst_enable_extensions or [])
    config.myst_enable_extensions = enabled + [name for name in MYST_EXTENSIONS if name not in enabled]
    # sphinx-design appends its static folder when the builder starts, after Sphinx compared
    # the saved configuration with this one, so every build said the configuration had
    # changed: the folder is put there now, and drop_second_static_copy removes its repeat
    import sphinx_design.extension

    design = str(sphinx_design.extension.STATIC_DIR)
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR),
                               *([] if design in config.html_static_path else [design])]
    config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
    # archive pages are rendered through one shell a folder (archive/templates.py)
    if config.template_bridge is None:
        config.template_bridge = TEMPLATE_BRIDGE
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL")
    if canonical and not config.html_baseurl:
        config.html_baseurl = canonical
    if not settings.archive_config(config).configure_extensions:
        return
    # social cards: absolute URLs, and a post's first image as its picture
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if settings.left_at_default(config, "ogp_use_first_image"):
        config.ogp_use_first_image = True
    # html_baseurl is the whole base (Read the Docs' includes language and version)
    if settings.left_at_default(config, "sitemap_url_scheme"):
        config.sitemap_url_scheme = "{link}"
    # the 404 page's links are absolute: they start with the site's path
    if settings.left_at_default(config, "notfound_urls_prefix"):
        config.notfound_urls_prefix = urlsplit(config.html_baseurl or "/").path or "/"


class _QuietStart(logging.Filter):
    """Two lines every build printed that say nothing a writer can act on.

    - MyST's whole parser configuration (``myst v5.2.0: MdParserConfig(...)``), kept for
      ``-v``;
    - Sphinx's "The configuration has changed (... 'pygments_dark_style')": furo registers
      that setting when the theme loads, after Sphinx compares the saved configuration
      with the new one, so Sphinx names it at every build whether it changed or not (and
      never rereads for it). Other names in the line are kept.
    """

    def __init__(self, app: Sphinx):
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if "myst v%s:" in message:
            return self.app.verbosity > 0
        if message.startswith("The configuration has changed") and record.args:
            text = record.getMessage()
            names = re.findall(r"'([^']+)'", text)
            kept = [name for name in names if name != "pygments_dark_style"]
            if len(kept) == len(names):
                return True
            if not kept:
                return False
            count = f"{len(kept)} option{'s' if len(kept) > 1 else ''}"
            record.msg, record.args = "The configuration has changed (%s: %s)", (count, ", ".join(map(repr, kept)))
        return True


def quiet_start(app: Sphinx, config: Config) -> None:
    """``config-inited``: the filter above, on the two loggers that print those lines."""
    quiet = _QuietStart(app)
    for name in ("sphinx.myst_parser.sphinx_ext.main", "sphinx.sphinx.environment"):
        logger = logging.getLogger(name)
        logger.filters = [other for other in logger.filters if not isinstance(other, _QuietStart)]
        logger.addFilter(quiet)


def drop_second_static_copy(app: Sphinx) -> None:
    """``builder-inited``, after sphinx-design: each static folder once (see :func:`configure`)."""
    app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))


def read_document(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after Sphinx's collectors: the post and its talks, then their search text."""
    note_references(app, doctree)
    record_post(app, doctree)
    note_search_text(app, doctree)


def after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the archive's view and pages, then the search index starts from them."""
    archive_build.after_reading(app, env)
    return plan_search_index(app, env)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    # well-kept extensions for what every site needs: a sitemap, social cards, a 404 page
    app.setup_extension("sphinx_sitemap")
    # sphinxext-opengraph prints a line on import when matplotlib is missing: social cards
    # are an opt-in here (docs/archive-pages.md says how), so the line is not news
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("notfound.extension")
    settings.register(app)
    app.connect("config-inited", settings.check, priority=100)
    app.connect("config-inited", configure)
    app.connect("config-inited", exclude_links_leading_out)
    app.connect("config-inited", quiet_start)
    app.connect("builder-inited", drop_second_static_copy, priority=900)
    app.add_domain(ArchiveDomain)
    app.add_css_file("confarchive.css")
    app.add_node(post_header)

    # directives and their nodes
    setup_speaker(app)
    setup_callout(app)
    setup_image_float(app)
    setup_video(app)
    setup_postlist(app)
    setup_files(app)
    setup_reference(app)

    # a build of the archive
    app.connect("builder-inited", archive_build.write_index_pages)
    app.connect("env-get-outdated", archive_build.start)
    app.connect("env-before-read-docs", decode_leniently)
    app.connect("env-before-read-docs", archive_build.note_reading)
    app.connect("source-read", archive_build.lighten_reader, priority=100)
    app.connect("source-read", read_source)
    app.add_transform(ApplyHtmlPolicy)
    app.add_transform(ConfinePaths)
    app.connect("doctree-read", read_document, priority=600)
    app.connect("env-updated", after_reading)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("write-started", archive_build.freeze_for_writers)
    app.connect("doctree-resolved", add_post_header)
    app.connect("doctree-resolved", link_program_talks)
    app.connect("doctree-resolved", fill_listings)
    app.connect("html-page-context", post_neighbours)
    app.connect("html-page-context", social_tags, priority=400)
    app.connect("html-collect-pages", collect_pages)
    setup_drafts(app)
    app.connect("build-finished", remove_stale_outputs)
    app.connect("build-finished", archive_build.thaw_after_writing)

    # search, then what is published beside the pages, then link checks
    setup_search(app)
    setup_feeds(app)
    setup_redirects(app)
    setup_sitemap(app)
    setup_linkcheck(app)
    return {
        "version": __version__,
        "env_version": ArchiveDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
