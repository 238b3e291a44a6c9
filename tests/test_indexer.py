"""The search index is written by a process of its own, from the records alone."""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_indexer_writes_a_pagefind_bundle_from_records(tmp_path):
    records = [
        {"url": "posts/a.html", "content": "Kelsey talks about kubernetes.", "language": "en",
         "meta": {"title": "A"}, "filters": {"event": ["KubeCon"]}},
        {"url": "posts/a.html#talk", "content": "A talk on containers.", "language": "en",
         "meta": {"title": "Talk"}, "filters": {"speaker": ["Kelsey"]}},
    ]
    (tmp_path / "records.json").write_text(json.dumps(records), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "confarchive.indexer", str(tmp_path / "records.json"),
                             str(tmp_path / "staging")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) > 0
    entry = json.loads((tmp_path / "staging" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert (tmp_path / "staging" / "pagefind.js").is_file()


def test_the_indexer_fails_loudly_on_bad_records(tmp_path):
    (tmp_path / "records.json").write_text("not json", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "confarchive.indexer", str(tmp_path / "records.json"),
                             str(tmp_path / "staging")], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "JSONDecodeError" in result.stderr
