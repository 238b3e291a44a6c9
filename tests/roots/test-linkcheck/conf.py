# Links to a server on 127.0.0.1 that tests/test_linkcheck.py starts: its test copies
# this root and writes the server's port in place of PORT in index.md.
project = "Linkcheck"
extensions = ["confarchive"]
html_theme = "furo"
html_baseurl = "https://linkcheck.example.org/"

# a local server answers at once: a short timeout, and no second try
linkcheck_timeout = 5
linkcheck_retries = 1

