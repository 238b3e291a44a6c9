"""confarchive: a Sphinx extension that turns conference coverage into a browsable archive."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING, Any

from .archive import setup_archive
from .callouts import setup_callouts
from .confined import setup_confined
from .domain import ArchiveDomain
from .drafts import setup_drafts
from .feeds import setup_feeds
from .figures import setup_figures
from .htmlpolicy import setup_html_policy
from .linkcheck import setup_linkcheck
from .listings import setup_listings
from .paths import setup_paths
from .posts import setup_posts
from .redirects import setup_redirects
from .search import TEMPLATES_DIR, setup_search
from .sitemap import setup_sitemap
from .speakers import setup_speakers
from .video import setup_video

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "0.1.0"

STATIC_DIR = Path(__file__).parent / "static"
#: MyST syntax extensions the archive's directives and the legacy converter rely on
MYST_EXTENSIONS = ("colon_fence",)


def _configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: MyST syntax, static files, and Read the Docs' canonical URL."""
    enabled = list(config.myst_enable_extensions or [])
    config.myst_enable_extensions = enabled + [name for name in MYST_EXTENSIONS if name not in enabled]
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL")
    if canonical and not config.html_baseurl:
        config.html_baseurl = canonical
    # social cards: absolute URLs, and a post's first image as its picture
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if "ogp_use_first_image" not in config._raw_config:
        config.ogp_use_first_image = True
    # html_baseurl is the whole base (Read the Docs' includes language and version)
    if "sitemap_url_scheme" not in config._raw_config:
        config.sitemap_url_scheme = "{link}"
    # the 404 page's links are absolute: they start with the site's path
    if "notfound_urls_prefix" not in config._raw_config:
        config.notfound_urls_prefix = urlsplit(config.html_baseurl or "/").path or "/"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    # well-kept extensions for what every site needs: a sitemap, social cards, a 404 page
    app.setup_extension("sphinx_sitemap")
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("notfound.extension")
    app.connect("config-inited", _configure)
    app.add_domain(ArchiveDomain)
    app.add_css_file("confarchive.css")
    setup_speakers(app)
    setup_callouts(app)
    setup_figures(app)
    setup_html_policy(app)
    setup_posts(app)
    setup_paths(app)
    setup_confined(app)
    setup_archive(app)
    setup_listings(app)
    setup_search(app)
    setup_feeds(app)
    setup_video(app)
    setup_redirects(app)
    setup_drafts(app)
    setup_sitemap(app)
    setup_linkcheck(app)
    return {
        "version": __version__,
        "env_version": ArchiveDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
