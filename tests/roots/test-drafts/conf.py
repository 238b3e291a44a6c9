extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
# the future post is dated 2999, more than a year ahead: said once, as a warning
suppress_warnings = ["confarchive.date"]
