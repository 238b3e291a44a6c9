"""The project as a new user meets it: Read the Docs config, canonical URLs, parallel builds."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, ROOTS, sphinx_build

SCHEMA = Path(__file__).parent / "data" / "readthedocs-config-schema-v2.json"


def test_readthedocs_config_validates_against_the_schema():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    jsonschema.validate(config, json.loads(SCHEMA.read_text()))


def test_readthedocs_runs_the_make_html_build():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    assert config["build"]["jobs"]["build"]["html"] == ["make html BUILDDIR=$READTHEDOCS_OUTPUT"]


def test_a_broken_readthedocs_config_is_caught():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    config["build"]["os"] = "windows-95"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(config, json.loads(SCHEMA.read_text()))


def test_canonical_url_comes_from_read_the_docs(tmp_path):
    outdir = tmp_path / "html"
    env = {**os.environ, "READTHEDOCS_CANONICAL_URL": "https://confarchive.readthedocs.io/en/latest/"}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(REPO), str(REPO / "docs"), str(outdir)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((outdir / "posts/2017/kubecon-dayone-keynotes/index.html").read_text(), "html.parser")
    assert page.find("link", rel="canonical")["href"] == (
        "https://confarchive.readthedocs.io/en/latest/posts/2017/kubecon-dayone-keynotes/index.html"
    )


def test_canonical_url_elsewhere_is_the_published_one(docs_build):
    page = BeautifulSoup((docs_build / "posts/2017/kubecon-dayone-keynotes/index.html").read_text(), "html.parser")
    assert page.find("link", rel="canonical")["href"] == (
        "https://confarchive.readthedocs.io/en/latest/posts/2017/kubecon-dayone-keynotes/index.html"
    )


def test_social_card_of_a_post(docs_build):
    page = BeautifulSoup((docs_build / "posts/2017/kubecon-dayone-keynotes/index.html").read_text(), "html.parser")
    meta = {tag["property"]: tag["content"] for tag in page.find_all("meta", property=True)}
    assert meta["og:title"] == "Good Morning KubeCon?"
    assert meta["og:url"] == "https://confarchive.readthedocs.io/en/latest/posts/2017/kubecon-dayone-keynotes/index.html"
    assert meta["og:image"].startswith("https://confarchive.readthedocs.io/en/latest/_images/kubelogo-wide")
    assert "I hope you" in meta["og:description"] and "Adron Hall" not in meta["og:description"]


def test_sitemap_and_404_page(docs_build):
    sitemap = (docs_build / "sitemap.xml").read_text()
    assert "https://confarchive.readthedocs.io/en/latest/posts/2017/kubecon-dayone-keynotes/index.html" in sitemap
    assert "archive/events/kubecon-na-2017.html" in sitemap
    assert (docs_build / "404.html").is_file()


def tree_digest(outdir: Path) -> dict[str, str]:
    """Hash of every HTML page in a build."""
    return {
        str(path.relative_to(outdir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(outdir.rglob("*.html"))
    }


def stored_records(outdir: Path) -> dict:
    with open(outdir / ".doctrees" / "environment.pickle", "rb") as stream:
        env = pickle.load(stream)
    return env.domaindata["archive"]


def test_serial_and_parallel_builds_are_identical(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-directives", srcdir)
    for number in range(8):  # enough documents for the parallel reader to split them
        text = (srcdir / "myst.md").read_text().replace("Good Morning KubeCon?", f"Copy {number}")
        (srcdir / f"copy{number}.md").write_text(text)
    outputs = {}
    for jobs in ("1", "4"):
        outdir = tmp_path / f"j{jobs}"
        result = sphinx_build(srcdir, outdir, "-j", jobs, "-W")
        assert result.returncode == 0, result.stderr
        outputs[jobs] = outdir
    assert tree_digest(outputs["1"]) == tree_digest(outputs["4"])
    serial, parallel = stored_records(outputs["1"]), stored_records(outputs["4"])
    assert len(serial["posts"]) == 10 and len(serial["talks"]) == 10
    assert serial["posts"] == parallel["posts"] and serial["talks"] == parallel["talks"]


def test_search_index_builds_inside_a_running_event_loop(tmp_path):
    """Sphinx run from async code (or beside Playwright's sync API) still gets its search index."""
    import asyncio
    import threading

    from conftest import build_root

    async def build():
        return build_root("directives", tmp_path / "src")

    # a thread of its own: the test process may already run the browser tests' loop
    built = {}
    worker = threading.Thread(target=lambda: built.setdefault("app", asyncio.run(build())))
    worker.start()
    worker.join()
    app = built["app"]
    try:
        assert app.statuscode == 0
        assert (app.outdir / "pagefind" / "pagefind.js").is_file()
    finally:
        app.cleanup()


def test_builds_print_no_configuration_dumps(tmp_path):
    """MyST's parser settings, 'The configuration has changed' and the social cards line are gone."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["confarchive"]\nhtml_theme = "furo"\n')
    (src / "index.md").write_text("# Archive\n\n:::{postlist}\n:::\n")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-N", str(src), str(tmp_path / "html")]
    env = {**os.environ, "NO_COLOR": "1"}
    outputs = [subprocess.run(command, capture_output=True, text=True, env=env, check=True) for _ in range(2)]
    for result in outputs:
        printed = result.stdout + result.stderr
        assert "MdParserConfig" not in printed and "social cards" not in printed
        assert "The configuration has changed" not in printed, printed
    assert "0 added, 0 changed, 0 removed" in outputs[1].stdout
    # a real change is still named, and -v still shows MyST's settings
    changed = subprocess.run([*command, "-D", "html_title=Other", "-v"], capture_output=True, text=True, env=env,
                             check=True)
    assert "The configuration has changed (2 options: 'html_short_title', 'html_title')" in changed.stdout
    assert "MdParserConfig" in changed.stdout
