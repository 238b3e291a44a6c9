project = "Search Words"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://words.example.org/"
