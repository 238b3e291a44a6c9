"""The benchmark harness: ``python -m bench`` (``make bench``, ``make bench-smoke``).

Modules:

``corpus``
    Reads the pyvideo data set and renders it as coverage posts, in confarchive's syntax
    and as the plain MyST baseline. Pure functions apart from unpacking and writing files.
``runner``
    Runs Sphinx builds as subprocesses: wall time, peak memory, warnings; hashes output trees.
``search``
    What a browser fetches to search the built site, once the site has a Pagefind index.
``report``
    The figures as a Markdown table and as JSON.
"""
