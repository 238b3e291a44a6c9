"""Sphinx configuration for the confarchive archive; the sources live in docs/."""

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
