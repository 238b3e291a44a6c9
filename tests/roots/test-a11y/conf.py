# A small archive with every kind of content a page can show, for tests/test_accessibility.py:
# speaker cards with and without avatars, image floats, callouts, code, listings, search.
project = "Accessibility test"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://a11y.example.org/"
confarchive_posts_per_page = 2
# the program's talks are checked on their own pages; no post proposes a match
confarchive_talk_matching = False
