"""confarchive's version: one place, read by the package, the feeds and the build."""

__version__ = "0.1.0"
