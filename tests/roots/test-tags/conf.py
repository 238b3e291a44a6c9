extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
