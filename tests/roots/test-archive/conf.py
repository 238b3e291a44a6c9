# Real posts of the adron-blog (see NOTICE.md), tagged with the event each covers.
project = "Conference coverage"
extensions = ["confarchive"]
html_theme = "furo"
exclude_patterns = ["NOTICE.md"]
confarchive_posts_per_page = 3
html_baseurl = "https://archive.example.org/"
