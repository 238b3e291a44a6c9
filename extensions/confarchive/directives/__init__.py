"""The directives: one module for each, each with its ``setup_*``.

``speaker``, ``callout``, ``image-float``, ``video``, ``postlist`` (and the index pages'
``archive-page``), the file-reading directives confined to the sources, and the
reference tables of the documentation.
"""
