"""Append-only persistence for the store: a TinyDB file plus journal segments.

Layout under the data folder (formats in ``compactor.py``):

* ``state.json``: a plain TinyDB JSON file (loadable by ``tinydb.TinyDB``), with
  a ``_journal`` table naming the last journal segment folded into it;
* ``journal.<n>.jsonl``: one JSON line per acknowledged write (or unit of writes), written to
  the OS with one ``write`` before the response is sent (so a killed process loses nothing it
  acknowledged); fsynced at least once a second, off the store lock;
* a write the file does not take (disk full, file size limit) is cut off the file again and
  raises, so the store does not apply it (see ``Store``);
* compaction folds the closed segments into a new ``state.json`` (temp file, fsync, atomic
  rename) and only then deletes them. In the background it runs in a child process, from the
  files, so re-encoding the state never holds this interpreter; it is due once
  ``compact_every`` lines were written and, past ``SMALL_STATE`` bytes of state, once the
  journal has grown as large as ``state.json`` (so its cost per write does not grow with the
  state). On close the final compaction runs in-process. A crash at any point leaves a
  loadable state.
"""
from __future__ import annotations

import logging
import mmap
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from . import compactor
from .compactor import META_TABLE, STATE_FILE  # noqa: F401  (re-exported)

LOCK_FILE = ".lock"
SMALL_STATE = 4 << 20     # below this size of state.json, compact every compact_every lines
SEGMENT_BYTES = 16 << 20  # space reserved (and memory-mapped) for a journal segment
log = logging.getLogger("simulator.store")


class FolderInUse(RuntimeError):
    """Another store (in this or another process) has the data folder open."""


class _Segment:
    """One open journal segment. Its space is reserved up front (``posix_fallocate``) and
    memory-mapped, so appending a line is a copy into the page cache: no system call, and so no
    giving up the interpreter while the store lock is held (requests queued on that lock behind
    a thread waiting to get the interpreter back is what made a stall of every write). Where the
    space cannot be reserved (disk full, a file size limit), lines are written with ``pwrite``
    and a failed one is cut off again."""

    def __init__(self, path: Path, reserve: int):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self.pos = os.lseek(self.fd, 0, os.SEEK_END)
        self.mm: mmap.mmap | None = None
        self.capacity = 0
        self.torn = False   # a failed write could not be cut off: no more lines here
        if reserve and self.pos == 0:
            try:
                os.posix_fallocate(self.fd, 0, reserve)
                self.mm = mmap.mmap(self.fd, reserve)
                self.capacity = reserve
            except (OSError, ValueError):   # no room for it: write line by line instead
                self.mm = None
                try:
                    os.ftruncate(self.fd, 0)
                except OSError:
                    pass

    def fits(self, n: int) -> bool:
        return self.mm is None or self.pos + n <= self.capacity

    def write(self, line: bytes):
        start = self.pos
        if self.mm is not None:
            self.mm[start:start + len(line)] = line
        else:
            try:
                view = memoryview(line)
                offset = start
                while view:
                    n = os.pwrite(self.fd, view, offset)
                    view, offset = view[n:], offset + n
            except OSError:
                try:
                    os.ftruncate(self.fd, start)
                except OSError:
                    self.torn = True
                raise
        self.pos = start + len(line)

    def finish(self):
        """No more lines: unmap, and give back the reserved space past the last line (a crash
        before this leaves zeros there, where loading stops)."""
        if self.mm is not None:
            self.mm.close()
            self.mm = None
            try:
                os.ftruncate(self.fd, self.pos)
            except OSError:
                pass

    def close(self, sync: bool = True):
        if self.fd < 0:
            return
        try:
            if sync:
                os.fsync(self.fd)
        finally:
            os.close(self.fd)
            self.fd = -1


class Journal:
    def __init__(self, folder: str | os.PathLike, lock: threading.RLock,
                 compact_every: int = 20_000, fsync_interval: float = 1.0,
                 background_process: bool = True):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = lock
        self.compact_every = compact_every
        self.fsync_interval = fsync_interval
        self.background_process = background_process
        self.source = None  # set by the storage: returns the live data (for the final compaction)
        self._seg: _Segment | None = None   # the open segment
        self._retired: list[_Segment] = []  # finished ones, to fsync and close off the lock
        self._segment = 0
        self._lines = 0         # lines since the last compaction
        self._bytes = 0         # bytes since the last compaction
        self._state_bytes = 0   # size of state.json after the last compaction
        self._dirty = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._idle = threading.Condition()  # notified when a background compaction ends
        self._compacting = False
        self._thread: threading.Thread | None = None
        self._lock_file = None

    # -- loading ---------------------------------------------------------------
    def _segments(self) -> list[int]:
        return compactor.segments(self.folder)

    def _segment_path(self, n: int) -> Path:
        return compactor.segment_path(self.folder, n)

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
        with compactor.folder_lock(self.folder):   # not while a compaction replaces files
            data, folded, last = compactor.load(self.folder)
        self._segment = max([folded, last, *self._segments()])
        self._state_bytes = self._stat_state()
        self._rotate()
        self._thread = threading.Thread(target=self._background, name="twilio-sim-journal",
                                        daemon=True)
        self._thread.start()
        return data

    def _stat_state(self) -> int:
        try:
            return (self.folder / STATE_FILE).stat().st_size
        except OSError:
            return 0

    # -- writing (callers hold the store lock) -----------------------------------
    def _rotate(self, reserve: int | None = None) -> "_Segment | None":
        """Start the next segment; returns the previous one, finished (unmapped, cut to its
        lines), for the caller to fsync and close outside the lock. Raises OSError (and keeps
        the current segment) if the next one cannot be created."""
        new = _Segment(self._segment_path(self._segment + 1), reserve or SEGMENT_BYTES)
        old, self._seg = self._seg, new
        self._segment += 1
        if old is not None:
            old.finish()
        return old

    def _retire(self, old: "_Segment | None"):
        """A finished segment, to fsync and close off the lock (by the background thread)."""
        if old is not None:
            self._retired.append(old)

    def _check_open(self):
        if self._seg is None:
            raise RuntimeError("the store is closed: its journal takes no more writes")

    def _write(self, line: bytes):
        """Append one line, whole, or raise OSError having changed nothing. The line is copied
        into the segment's reserved, memory-mapped space (the OS has it at once: a killed
        process loses nothing; and no system call gives up the interpreter while the store
        lock is held). A full segment rotates to a new one; a segment whose space could not
        be reserved (disk full, file size limit) is written with ``pwrite``, and a line the
        file does not take is cut off again (or, failing that, ends the segment: loading
        ignores a torn last line)."""
        self._check_open()
        seg = self._seg
        if seg.torn or not seg.fits(len(line)):
            self._retire(self._rotate(max(SEGMENT_BYTES, len(line) + SEGMENT_BYTES // 2)))
            seg = self._seg
        seg.write(line)
        self._dirty = True
        self._lines += 1
        self._bytes += len(line)
        if self._lines >= self.compact_every and (
                self._state_bytes < SMALL_STATE or self._bytes >= self._state_bytes):
            self._wake.set()

    def append(self, table: str, changes: dict):
        self._write(compactor.encode({"t": table, "c": changes}, line=True))

    def append_unit(self, tables: dict[str, dict], patches: dict[str, dict] | None = None):
        """The writes of one unit as one line, replayed together or not at all: records written
        whole, and the changed fields of records only updated."""
        if not patches and len(tables) == 1:
            (table, changes), = tables.items()
            self.append(table, changes)
        elif patches:
            self._write(compactor.encode({"m": tables, "p": patches}, line=True))
        else:
            self._write(compactor.encode({"m": tables}, line=True))

    def replace(self, data: dict):
        self._write(compactor.encode({"replace": data}, line=True))
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
        """fsync the open segment (and close the finished ones). Only a descriptor is taken
        under the store lock (a duplicate, so a rotation may close the original): the disk's
        wait is nobody's."""
        with self.lock:
            retired, self._retired = self._retired, []
            fd = None
            if self._dirty and self._seg is not None:
                fd = os.dup(self._seg.fd)
                self._dirty = False
        for seg in retired:
            seg.close()
        if fd is None:
            return
        try:
            os.fsync(fd)
        except OSError:
            self._dirty = True
            raise
        finally:
            os.close(fd)

    def compact(self):
        """Fold every closed segment into a new state.json, in a child process."""
        with self.lock:
            self._check_open()
            folded = self._segment
            old = self._rotate()
            self._lines = self._bytes = 0
            retired, self._retired = self._retired, []
        for seg in [*retired, old]:   # their lines are on disk before anything folds them
            seg.close()
        if self.background_process:
            self._fold_in_child(folded)
        else:
            compactor.fold(self.folder, folded)
        self._state_bytes = self._stat_state()

    def _fold_in_child(self, folded: int):
        """Run the fold in a child process; the open segment is still fsynced every
        ``fsync_interval`` while it runs (a large fold takes seconds)."""
        with tempfile.TemporaryFile() as errors:
            try:
                proc = subprocess.Popen([sys.executable, "-I", compactor.__file__,
                                         str(self.folder), str(folded)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=errors)
            except OSError:   # no interpreter to start: fold here
                compactor.fold(self.folder, folded)
                return
            while True:
                try:
                    code = proc.wait(timeout=self.fsync_interval)
                    break
                except subprocess.TimeoutExpired:
                    self.sync()
            if code:
                errors.seek(0)
                raise RuntimeError(f"compaction of {self.folder} failed ({code}): "
                                   f"{errors.read().decode(errors='replace')[-2000:]}")

    def _compact_from_memory(self):
        """The final compaction: the live data is everything acknowledged."""
        with self.lock:
            snapshot = {name: dict(docs) for name, docs in self.source().items()}
            folded = self._segment
            old = self._rotate(reserve=0)   # no more lines: nothing to reserve
            self._lines = self._bytes = 0
            retired, self._retired = self._retired, []
        for seg in [*retired, old]:
            seg.close()
        with compactor.folder_lock(self.folder):
            compactor.write_state(self.folder, snapshot, folded)

    def close(self, _data=None):
        if self._stop.is_set():
            return  # already closed
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join()
        try:
            self._compact_from_memory()
        finally:  # even if the final compaction failed (the journal still has it all)
            with self.lock:
                if self._seg is not None:
                    seg, self._seg = self._seg, None
                    seg.finish()
                    for old in [*self._retired, seg]:
                        old.close()
                    self._retired = []
                    # compaction opened a fresh segment; nothing was written to it
                    empty = self._segment_path(self._segment)
                    if empty.exists() and empty.stat().st_size == 0:
                        empty.unlink()
                if self._lock_file:
                    self._lock_file.close()  # releases the folder
                    self._lock_file = None
