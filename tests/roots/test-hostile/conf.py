# A post full of hostile HTML beside a plain one; see tests/test_html_policy.py.
project = "Hostile test"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://archive.example.org/"
