"""The text layer: pure functions of a post's text and of the data files. No Sphinx, docutils or MyST.

Front matter (:mod:`.frontmatter`), the legacy dialect (:mod:`.legacy`), the source as
MyST reads it (:mod:`.prepare`), nesting (:mod:`.nesting`), encodings (:mod:`.encoding`),
slugs and the tag rule (:mod:`.slugs`), the data files (:mod:`.datafiles`,
:mod:`.registry`), video URLs (:mod:`.embeds`), link checks (:mod:`.links`), the HTML
sanitiser (:mod:`.sanitise`) and the redirects file (:mod:`.redirects`). The build and
``confarchive import`` share them; each problem comes back as a
:class:`~confarchive.problems.Problem`.
"""
