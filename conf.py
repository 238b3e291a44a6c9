"""Sphinx configuration for the confarchive archive; the sources live in docs/."""

import os

project = "confarchive"
author = "The confarchive authors"
copyright = "2026, The confarchive authors"

extensions = [
    "sphinx.ext.autodoc",
    "confarchive",
]

html_theme = "furo"
html_title = "confarchive"
exclude_patterns = ["_build"]

# Read the Docs gives the canonical URL of each build; elsewhere, the published one.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://confarchive.readthedocs.io/en/latest/")
