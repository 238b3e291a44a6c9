"""Link checks: Sphinx's linkcheck builder set up for an archive (:mod:`.linkcheck`), its
report (:mod:`.report`), and the walker of a built site's internal links (:mod:`.walker`)."""
