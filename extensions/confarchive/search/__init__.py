"""Search: Pagefind records of posts, talks and pages (:mod:`.records`), the index made beside
the build (:mod:`.index`), and the indexer that runs in a process of its own (:mod:`.indexer`).

Kept light: ``python -m confarchive.search.indexer`` imports this package.
"""
