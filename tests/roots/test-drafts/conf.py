extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
# the future post is dated 2999, more than a year ahead: said once, as a warning
suppress_warnings = ["confarchive.date"]
# redirects written by hand, to the draft, in every form a redirect takes
redirects = {"old/a": "../posts/draft.html", "old/b": "/posts/draft.html#x",
             "old/c": "https://archive.example.org/posts/draft.html", "old/d": "../posts/published.html"}
