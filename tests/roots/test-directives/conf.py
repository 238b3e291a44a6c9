extensions = ["confarchive"]
html_theme = "furo"
