"""The archive: its store, the view a build works from, its reading hooks, its pages.

See :mod:`.build` for the order in which a build runs them, and ``docs/architecture.md``
for what each module may import.
"""
