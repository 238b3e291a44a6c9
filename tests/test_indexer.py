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
    result = subprocess.run([sys.executable, "-m", "confarchive.search.indexer", str(tmp_path / "records.json"),
                             str(tmp_path / "staging")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) > 0
    entry = json.loads((tmp_path / "staging" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert (tmp_path / "staging" / "pagefind.js").is_file()


def test_the_indexer_fails_loudly_on_bad_records(tmp_path):
    (tmp_path / "records.json").write_text("not json", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "confarchive.search.indexer", str(tmp_path / "records.json"),
                             str(tmp_path / "staging")], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "JSONDecodeError" in result.stderr


def _records(*texts):
    return [{"url": f"posts/{index}.html", "content": text, "language": "en", "meta": {"title": str(index)},
             "filters": {"event": ["KubeCon"]}} for index, text in enumerate(texts)]


def _files(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_second_index_writes_only_the_files_the_first_lacks(tmp_path):
    from confarchive.search.indexer import MANIFEST, install, write_index

    first = _records("kubernetes at scale", "containers everywhere", "service meshes")
    write_index(first, tmp_path / "staging")
    install(tmp_path / "staging", tmp_path / "pagefind")
    assert not (tmp_path / "staging").exists()
    before = _files(tmp_path / "pagefind")
    assert MANIFEST not in before and "pagefind-entry.json" in before

    # one record's text edited: its fragment is new, the other two fragments are kept
    second = _records("kubernetes at scale", "containers everywhere", "service meshes, edited")
    written = write_index(second, tmp_path / "staging", tmp_path / "pagefind")
    staged = _files(tmp_path / "staging")
    fragments = [name for name in before if name.startswith("fragment/")]
    assert len(fragments) == 3
    assert sum(name.startswith("fragment/") for name in staged) == 1
    assert written == len(staged) - 1 < len(before)  # the manifest aside
    assert "pagefind.js" not in staged  # the same script as before

    manifest = set(staged[MANIFEST].decode().splitlines())
    install(tmp_path / "staging", tmp_path / "pagefind")
    after = _files(tmp_path / "pagefind")
    # every file the new index names, and no other: the edited record's old fragment is gone
    assert set(after) == manifest
    assert len([name for name in after if name.startswith("fragment/")]) == 3
    # its records are those a first build of the edited records writes (Pagefind names
    # fragments after their content; its filter files' names vary from run to run)
    write_index(second, tmp_path / "fresh")
    fresh = _files(tmp_path / "fresh")
    assert {name: after[name] for name in after if name.startswith("fragment/")} == \
        {name: fresh[name] for name in fresh if name.startswith("fragment/")}


def test_the_indexer_reads_an_index_bigger_than_a_pipe_buffer(tmp_path):
    # the whole index comes back as one answer of several MiB
    import random

    from confarchive.search.indexer import MANIFEST, write_index

    words = random.Random(3).choices([f"word{n}" for n in range(50000)], k=400000)
    records = _records(*(" ".join(words[i:i + 2000]) for i in range(0, len(words), 2000)))
    write_index(records, tmp_path / "staging")
    files = _files(tmp_path / "staging")
    assert sum(len(content) for content in files.values()) > 2 * 2**20
    assert len(files[MANIFEST].decode().splitlines()) == len(files) - 1
