extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
confarchive_posts_per_page = 2
# a post is dated far in the future by one of the changes the tests make
suppress_warnings = ["confarchive.date"]
