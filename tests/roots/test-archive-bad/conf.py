# Bad input for the archive: each case warns with its file and line, or renders escaped.
project = "Archive bad input"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
