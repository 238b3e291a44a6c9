"""A built site as a comparable value: every file, Pagefind's index as its records.

Two builds of the same sources should give the same site. Pagefind names its index
files after their content and numbers its records in the order it was given them, so
its folder is compared by what it holds: each record's URL, content, metadata and
filters, decoded from its fragment files, and the files whose names do not vary.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
from pathlib import Path

#: Pagefind's files named after their content: compared through the records
_HASHED = re.compile(r"^(fragment|index|filter)/|\.pf_meta$|^wasm\.")
#: what Sphinx keeps beside the output: not part of the site
_NOT_SITE = (".doctrees",)


def pagefind_records(pagefind: Path) -> dict[str, dict]:
    """Every record of a Pagefind index, by URL: its content, meta, filters and anchors."""
    records = {}
    for fragment in sorted((pagefind / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records


def site_files(outdir: Path) -> dict[str, bytes]:
    """Every file of a built site by path, Pagefind's hashed files replaced by its records."""
    files: dict[str, bytes] = {}
    for path in sorted(outdir.rglob("*")):
        relative = path.relative_to(outdir)
        if not path.is_file() or relative.parts[0] in _NOT_SITE:
            continue
        name = relative.as_posix()
        if relative.parts[0] == "pagefind":
            inner = relative.relative_to("pagefind").as_posix()
            if _HASHED.search(inner):
                continue
            if inner == "pagefind-entry.json":
                entry = json.loads(path.read_text(encoding="utf-8"))
                for language in entry.get("languages", {}).values():
                    language.pop("hash", None)
                files[name] = json.dumps(entry, sort_keys=True).encode()
                continue
        files[name] = path.read_bytes()
    pagefind = outdir / "pagefind"
    if pagefind.is_dir():
        files["pagefind/(records)"] = json.dumps(pagefind_records(pagefind), sort_keys=True, indent=1,
                                                 ensure_ascii=False).encode()
    return files


def differences(first: dict[str, bytes], second: dict[str, bytes], *, context: int = 2) -> list[str]:
    """What differs between two sites: files only in one, and a short diff of each file in both."""
    lines = [f"only in the first: {name}" for name in sorted(set(first) - set(second))]
    lines += [f"only in the second: {name}" for name in sorted(set(second) - set(first))]
    for name in sorted(set(first) & set(second)):
        if first[name] == second[name]:
            continue
        try:
            a, b = first[name].decode().splitlines(), second[name].decode().splitlines()
        except UnicodeDecodeError:
            lines.append(f"differs: {name} (binary)")
            continue
        diff = list(difflib.unified_diff(a, b, name, name, n=context, lineterm=""))
        lines.append(f"differs: {name}\n" + "\n".join(diff[:40]))
    return lines
