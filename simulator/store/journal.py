"""Append-only persistence for the store: a TinyDB file plus journal segments.

Layout under the data folder:

* ``state.json``: a plain TinyDB JSON file (loadable by ``tinydb.TinyDB``), with
  a ``_journal`` table naming the last journal segment folded into it;
* ``journal.<n>.jsonl``: one JSON line per acknowledged write, appended and
  flushed to the OS before the response is sent (so a killed process loses
  nothing it acknowledged); fsynced at least once a second;
* compaction, in the background once enough lines pile up, and on close, writes
  a new ``state.json`` (temp file, fsync, atomic rename) and only then deletes
  the segments it folded in. A crash at any point leaves a loadable state.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from pathlib import Path

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
META_TABLE = "_journal"
_SEGMENT = re.compile(r"^journal\.(\d+)\.jsonl$")
log = logging.getLogger("simulator.store")


class FolderInUse(RuntimeError):
    """Another store (in this or another process) has the data folder open."""


class Journal:
    def __init__(self, folder: str | os.PathLike, lock: threading.RLock,
                 compact_every: int = 20_000, fsync_interval: float = 1.0):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = lock
        self.compact_every = compact_every
        self.fsync_interval = fsync_interval
        self.source = None  # set by the storage: returns the live data
        self._file = None
        self._segment = 0
        self._lines = 0
        self._dirty = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._idle = threading.Condition()  # notified when a background compaction ends
        self._compacting = False
        self._thread: threading.Thread | None = None
        self._lock_file = None

    # -- loading ---------------------------------------------------------------
    def _segments(self) -> list[int]:
        found = []
        for entry in self.folder.iterdir():
            m = _SEGMENT.match(entry.name)
            if m:
                found.append(int(m.group(1)))
        return sorted(found)

    def _segment_path(self, n: int) -> Path:
        return self.folder / f"journal.{n:08d}.jsonl"

    def _lock_folder(self):
        """One store per folder: two would interleave segments and compact over each
        other. The OS drops the lock with the process, so a killed server's folder
        opens again at once."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no guard
            return
        fh = open(self.folder / LOCK_FILE, "a")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise FolderInUse(f"the data folder {self.folder} is in use by another "
                              "twilio-sim (or store)") from None
        self._lock_file = fh

    def load(self) -> dict:
        self._lock_folder()
        try:
            return self._load()
        except BaseException:
            if self._lock_file:
                self._lock_file.close()
                self._lock_file = None
            raise

    def _load(self) -> dict:
        state_path = self.folder / STATE_FILE
        data: dict = {}
        folded = 0
        if state_path.exists():
            with open(state_path, encoding="utf-8") as fh:
                data = json.load(fh) or {}
            meta = data.pop(META_TABLE, {}).get("state", {})
            folded = int(meta.get("segment", 0))
        segments = self._segments()
        for n in segments:
            if n > folded:
                self._replay(self._segment_path(n), data)
        self._segment = max([folded, *segments])
        self._open_next_segment()
        self._thread = threading.Thread(target=self._background, name="twilio-sim-journal",
                                        daemon=True)
        self._thread.start()
        return data

    @staticmethod
    def _replay(path: Path, data: dict):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    break  # a torn last line from a killed process: it was never acknowledged
                if "replace" in entry:
                    data.clear()
                    data.update(entry["replace"])
                    continue
                table = data.setdefault(entry["t"], {})
                for doc_id, doc in entry["c"].items():
                    if doc is None:
                        table.pop(doc_id, None)
                    else:
                        table[doc_id] = doc

    # -- writing (callers hold the store lock) -----------------------------------
    def _open_next_segment(self):
        if self._file:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        self._segment += 1
        self._file = open(self._segment_path(self._segment), "a", encoding="utf-8")

    def _check_open(self):
        if self._file is None:
            raise RuntimeError("the store is closed: its journal takes no more writes")

    def append(self, table: str, changes: dict):
        self._check_open()
        self._file.write(json.dumps({"t": table, "c": changes}, separators=(",", ":")) + "\n")
        self._file.flush()
        self._dirty = True
        self._lines += 1
        if self._lines >= self.compact_every:
            self._lines = 0
            self._wake.set()

    def replace(self, data: dict):
        self._check_open()
        self._file.write(json.dumps({"replace": data}, separators=(",", ":")) + "\n")
        self._file.flush()
        self._dirty = True
        self._wake.set()

    # -- background ----------------------------------------------------------------
    def _background(self):
        while not self._stop.is_set():
            woke = self._wake.wait(self.fsync_interval)
            if self._stop.is_set():
                break
            try:
                if woke:
                    with self._idle:
                        self._wake.clear()
                        self._compacting = True
                    self.compact()
                else:
                    self.sync()
            except Exception:  # keep journaling; the next round (or close) tries again
                log.exception("twilio-sim journal: background %s failed",
                              "compaction" if woke else "fsync")
            finally:
                if woke:
                    with self._idle:
                        self._compacting = False
                        self._idle.notify_all()

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until no background compaction is asked for or running (True), or for
        ``timeout`` seconds (False). A caller that then holds the store lock sees the folder
        as the last compaction left it: ``state.json`` and the open segment."""
        with self._idle:
            return self._idle.wait_for(
                lambda: self._stop.is_set() or not (self._wake.is_set() or self._compacting),
                timeout)

    def sync(self):
        with self.lock:
            if self._dirty and self._file:
                os.fsync(self._file.fileno())
                self._dirty = False

    def compact(self):
        """Fold every closed segment into a new state.json."""
        with self.lock:
            # Documents are copy-on-write (see IndexedTable), so a shallow copy
            # of each table is a consistent snapshot.
            snapshot = {name: dict(docs) for name, docs in self.source().items()}
            folded = self._segment
            self._open_next_segment()
            self._lines = 0
        snapshot[META_TABLE] = {"state": {"segment": folded}}
        tmp = self.folder / (STATE_FILE + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(snapshot, fh, separators=(",", ":"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / STATE_FILE)
        dir_fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        for n in self._segments():
            if n <= folded:
                self._segment_path(n).unlink(missing_ok=True)

    def close(self, _data=None):
        if self._stop.is_set():
            return  # already closed
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join()
        try:
            self.compact()
        finally:  # even if the final compaction failed (the journal still has it all)
            with self.lock:
                if self._file:
                    self._file.close()
                    self._file = None
                    # compaction opened a fresh segment; nothing was written to it
                    empty = self._segment_path(self._segment)
                    if empty.exists() and empty.stat().st_size == 0:
                        empty.unlink()
                if self._lock_file:
                    self._lock_file.close()  # releases the folder
                    self._lock_file = None
