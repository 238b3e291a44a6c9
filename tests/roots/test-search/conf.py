project = "Sidebaronlyword Archive"
copyright = "2026, Footeronlyword"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://search.example.org/"
