"""Writes a Pagefind index of search records, in a process of its own.

``python -m confarchive.indexer RECORDS STAGING [CURRENT]`` reads the records (a JSON
list of Pagefind custom records) and indexes them; a record with a ``weight`` (the
archive's own documentation pages, see :mod:`confarchive.search.records`) is indexed as
an HTML document whose words carry that weight, since custom records have none. Into the folder STAGING it writes the
index's files that are not already, byte for byte, in the folder CURRENT (the index of
the last build), and a manifest naming every file of the index; it prints the seconds
the indexing took. :func:`install` then makes CURRENT the new index. The build starts
the indexer as soon as the documents are read (see :mod:`confarchive.search`).

Pagefind names its fragments and index chunks after their content, so after one post
is edited nearly all of the thousands of files are already there: writing only the
others saves most of the indexer's time, which went to creating files.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import html
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: one build at a time there
    fcntl = None  # type: ignore[assignment]

#: the file in STAGING that names every file of the index, one path a line
MANIFEST = ".manifest"
#: files a reader's browser opens first, put in place after the files they point to
_ENTRY_FILES = ("pagefind-entry.json", "pagefind.js")


def _prompt_service():
    """A Pagefind service client that reads each answer as soon as it comes, whatever its size.

    pagefind 1.5's ``PagefindService`` sleeps 100 ms before reading every answer of its
    backing process, so indexing N records took N/10 seconds (73 s for 770 records), and
    it cannot read an answer over 2 MiB (the whole index, from ``get_files``). This
    subclass reads the same answers, in the same format, as they come, in any size;
    records are sent all at once.
    """
    from pagefind.service import PagefindService

    class PromptPagefindService(PagefindService):
        #: why the backing process can answer no more, once it cannot
        _failure: Exception | None = None

        async def send(self, payload):
            # a question asked after the answers stopped would wait for ever
            if self._failure is not None:
                raise self._failure
            return await super().send(payload)

        async def _wait_for_responses(self) -> None:
            stdout = self._backend.stdout
            pending = bytearray()
            searched = 0  # the start of the part of ``pending`` not yet searched for a comma
            try:
                while chunk := await stdout.read(1 << 20):
                    pending += chunk
                    # answers are base64 (no commas), each followed by a comma
                    while (end := pending.find(b",", searched)) >= 0:
                        answer = json.loads(base64.b64decode(bytes(pending[:end])))
                        del pending[:end + 1]
                        searched = 0
                        if answer:
                            self._answer(answer)
                    searched = len(pending)
                failure: Exception = RuntimeError("the pagefind process stopped")
            except Exception as error:  # an answer that is not one (a crash message...)
                failure = RuntimeError(f"the pagefind process answered what is not an answer: {error}")
            # every question still waiting fails, so that the indexer stops with the reason
            self._failure = failure
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(failure)

        def _answer(self, answer: dict[str, Any]) -> None:
            payload = answer.get("payload", {})
            message_id = answer.get("message_id")
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            future = self._responses.get(message_id)
            if future is None or future.done():
                return
            if payload.get("type") == "Error":
                future.set_exception(Exception(payload.get("message"), payload.get("original_message")))
            else:
                future.set_result(payload)

    return PromptPagefindService()


def weighted_html(record: dict[str, Any]) -> str:
    """The HTML document Pagefind reads for a record with a ``weight``: its content at that
    weight, its metadata (which Pagefind reads inside ignored elements too) not searched."""
    meta = "".join(f'<span data-pagefind-meta="{html.escape(name)}">{html.escape(value)}</span>'
                   for name, value in sorted(record.get("meta", {}).items()))
    return (f'<html lang="{html.escape(record["language"])}"><body>'
            f'<div data-pagefind-ignore>{meta}</div>'
            f'<div data-pagefind-weight="{record["weight"]}">{html.escape(record["content"])}</div>'
            f'</body></html>')


def _add(index, record: dict[str, Any]):
    if "weight" in record:
        return index.add_html_file(content=weighted_html(record), url=record["url"])
    return index.add_custom_record(**record)


async def _index_files(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files of the Pagefind index of ``records``: dicts of ``path`` and ``content``."""
    from pagefind.index import IndexConfig

    service = await _prompt_service().launch()
    try:
        index = await service.create_index(IndexConfig())
        await asyncio.gather(*(_add(index, record) for record in records))
        return await index.get_files()
    finally:
        await service.close()


def _same(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def write_index(records: list[dict[str, Any]], staging: Path, current: Path | None = None) -> int:
    """Index ``records`` into ``staging``: the files not already in ``current``, and the manifest.

    Returns how many files were written.
    """
    files = asyncio.run(_index_files(records))
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    written = 0
    for file in files:
        relative = file["path"]
        if current is not None and _same(current / relative, file["content"]):
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])
        written += 1
    (staging / MANIFEST).write_text("".join(f"{file['path']}\n" for file in files), encoding="utf-8")
    return written


def install(staging: Path, output: Path) -> None:
    """Make ``output`` the index written into ``staging``; ``staging`` is gone afterwards.

    The new files go in first and the entry files last, so the index a browser finds
    is whole at each step; the files the new index does not name are then removed.
    """
    keep = set((staging / MANIFEST).read_text(encoding="utf-8").splitlines())
    (staging / MANIFEST).unlink()
    if not output.is_dir():
        shutil.rmtree(output, ignore_errors=True)
        staging.rename(output)
        return
    new = sorted((path for path in staging.rglob("*") if path.is_file()),
                 key=lambda path: path.name in _ENTRY_FILES)
    for path in new:
        target = output / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    for path in list(output.rglob("*")):
        if path.is_file() and path.relative_to(output).as_posix() not in keep:
            path.unlink()
    shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def index_lock(path: Path) -> Iterator[None]:
    """Held while an index is put in place, so that two never mix their files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m confarchive.search.indexer", description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("staging", type=Path)
    parser.add_argument("current", type=Path, nargs="?")
    parser.add_argument("--install", action="store_true",
                        help="once indexed, read a line from standard input: 'install' puts the index in place "
                             "of CURRENT (under --lock) and writes --digest into --stamp; anything else discards it")
    parser.add_argument("--lock", type=Path)
    parser.add_argument("--stamp", type=Path)
    parser.add_argument("--digest", default="")
    parser.add_argument("--pid", type=Path, help="a file naming this process, removed when it ends")
    args = parser.parse_args(argv)
    if args.install and not (args.current and args.lock and args.stamp):
        parser.error("--install needs CURRENT, --lock and --stamp")
    return args


def main(argv: list[str] | None = None) -> int:
    """``python -m confarchive.search.indexer RECORDS STAGING [CURRENT] [--install ...]``: index the records.

    Prints the seconds the indexing took. With ``--install`` the index is put in place by
    this process, when the build says so: a build that does not wait for its index (see
    :mod:`confarchive.search.index`) ends while this process goes on.
    """
    if hasattr(os, "nice"):
        # the build's own process goes first: the index has until the pages are written
        os.nice(10)
    args = _parse(argv if argv is not None else sys.argv[1:])
    try:
        records = json.loads(args.records.read_text(encoding="utf-8"))
        started = time.perf_counter()
        write_index(records, args.staging, args.current)
        print(f"{time.perf_counter() - started:.3f}", flush=True)
        if args.install:
            if sys.stdin.readline().strip() != "install":
                shutil.rmtree(args.staging, ignore_errors=True)
                return 0
            with index_lock(args.lock):
                install(args.staging, args.current)
                args.stamp.write_text(args.digest, encoding="utf-8")
            args.records.unlink(missing_ok=True)
        return 0
    finally:
        if args.pid is not None and _names_me(args.pid):
            args.pid.unlink(missing_ok=True)


def _names_me(pid_file: Path) -> bool:
    try:
        return pid_file.read_text(encoding="utf-8").split()[0] == str(os.getpid())
    except IndexError:
        return False
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
