"""Reading a data folder and folding its journal into ``state.json``, from the files alone.

The store loads a folder with ``load()``; its journal compacts in a child process running this
file as a script (``python -I compactor.py FOLDER UPTO``), so re-encoding the whole state never
holds the server's interpreter. Only the standard library and orjson are used, so the child
starts fast and needs nothing of the package.

Layout: ``state.json``, a plain TinyDB file whose ``_journal`` table names the last segment folded
into it, and ``journal.<n>.jsonl`` segments, one JSON object a line:

* ``{"t": table, "c": {doc_id: document or null}}``: one write (null: deleted);
* ``{"m": {table: {doc_id: document or null}, ...}, "p": {table: {doc_id: fields}}}``: the
  writes of one unit, together; ``p`` (optional) holds the fields that changed in documents that
  were only updated, each merged into the document;
* ``{"replace": {table: {doc_id: document}}}``: the whole state replaced (reset, a snapshot).

A torn last line (a process killed mid-write) was never acknowledged: reading a segment stops
there, as it does at the first zero byte (the open segment's reserved space past its lines). Folding writes a temp file, fsyncs it, renames it over ``state.json``, fsyncs the folder,
and only then deletes the segments it folded, so a crash at any point leaves a loadable folder.
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import sys
from pathlib import Path

import orjson

STATE_FILE = "state.json"
COMPACT_LOCK = ".compact.lock"
META_TABLE = "_journal"
SEGMENT = re.compile(r"^journal\.(\d+)\.jsonl$")


@contextlib.contextmanager
def folder_lock(folder: Path):
    """Held while state.json is read with its segments, or replaced and its folded segments
    deleted: by a compaction child (which may outlive a killed server), by a store loading the
    folder, by the final compaction. One at a time, so a compaction never replaces a newer
    state.json nor deletes a segment someone is reading."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no guard
        yield
        return
    with open(folder / COMPACT_LOCK, "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def encode(obj, *, line: bool = False) -> bytes:
    """Compact JSON in UTF-8 (``line``: with a newline), as the journal's lines and state.json
    are written. orjson encodes several times faster than ``json`` (a line is made under the
    store lock, so its time is every writer's wait; a fold writes the whole state); an integer
    beyond 64 bits, which it refuses, goes through ``json``."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE if line else 0)
    except TypeError:
        text = json.dumps(obj, separators=(",", ":"))
        return (text + "\n" if line else text).encode("utf-8")


def segment_path(folder: Path, n: int) -> Path:
    return folder / f"journal.{n:08d}.jsonl"


def segments(folder: Path) -> list[int]:
    found = []
    for entry in folder.iterdir():
        m = SEGMENT.match(entry.name)
        if m:
            found.append(int(m.group(1)))
    return sorted(found)


def _apply(data: dict, table: str, changes: dict):
    docs = data.setdefault(table, {})
    for doc_id, doc in changes.items():
        if doc is None:
            docs.pop(doc_id, None)
        else:
            docs[doc_id] = doc


def _patch(data: dict, table: str, patches: dict):
    docs = data.setdefault(table, {})
    for doc_id, fields in patches.items():
        doc = docs.get(doc_id)
        if doc is not None:   # (always there: only a stored document is patched)
            docs[doc_id] = {**doc, **fields}


def replay(path: Path, data: dict):
    """Apply one segment's lines to ``data``, up to a torn line (or the zeros of the space
    reserved past its last line, where a process killed while it wrote to it stopped)."""
    raw = path.read_bytes()
    end = raw.find(b"\0")
    if end >= 0:
        raw = raw[:end]
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            break  # a torn last line from a killed process: it was never acknowledged
        if "replace" in entry:
            data.clear()
            data.update(entry["replace"])
        elif "m" in entry:
            for table, changes in entry["m"].items():
                _apply(data, table, changes)
            for table, patches in entry.get("p", {}).items():
                _patch(data, table, patches)
        else:
            _apply(data, entry["t"], entry["c"])


def load(folder: Path, upto: int | None = None) -> tuple[dict, int, int]:
    """The state ``state.json`` plus the segments after it (up to ``upto``) describe; returns
    (data, the segment state.json had folded, the last segment read)."""
    with _collector_paused():
        state_path = folder / STATE_FILE
        data: dict = {}
        folded = 0
        if state_path.exists():
            with open(state_path, encoding="utf-8") as fh:
                data = json.load(fh) or {}
            meta = data.pop(META_TABLE, {}).get("state", {})
            folded = int(meta.get("segment", 0))
        last = folded
        for n in segments(folder):
            if n > folded and (upto is None or n <= upto):
                replay(segment_path(folder, n), data)
                last = max(last, n)
    return data, folded, last


@contextlib.contextmanager
def _collector_paused():
    """Reading a state builds every record at once, and as the heap grows the cycle collector
    walks it again and again, to find nothing: decoded JSON holds no cycles. That was 40% of
    the time of reading a 77 MB state.json (in the fold child, and in a server starting), so
    the collector pauses for the read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_state(folder: Path, data: dict, folded: int):
    """Replace state.json atomically with ``data``, marked as folding segments <= ``folded``,
    then delete those segments."""
    blob = encode({**data, META_TABLE: {"state": {"segment": folded}}})
    tmp = folder / (STATE_FILE + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / STATE_FILE)
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    for n in segments(folder):
        if n <= folded:
            segment_path(folder, n).unlink(missing_ok=True)


def fold(folder: Path, upto: int):
    """Fold every segment up to ``upto`` into state.json (what the child process does). A
    state.json that already folded as far (a later compaction got there first) is left as it
    is."""
    with folder_lock(folder):
        data, folded, _ = load(folder, upto)
        if folded < upto:
            write_state(folder, data, upto)


def main(argv: list[str]) -> int:
    folder, upto = Path(argv[0]), int(argv[1])
    gc.disable()   # a one-shot process whose data holds no cycles: the collector only costs
    try:   # background work: on a busy machine the server's requests come first
        os.nice(10)
    except (AttributeError, OSError):
        pass
    fold(folder, upto)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
