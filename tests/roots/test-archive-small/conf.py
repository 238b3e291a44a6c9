# 24 synthetic posts over three events; see tests/test_archive.py.
project = "Archive test"
extensions = ["confarchive"]
html_theme = "furo"
confarchive_posts_per_page = 5
html_baseurl = "https://archive.example.org/"
