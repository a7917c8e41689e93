"""Compaction without stopping the world: the background fold of the journal into
state.json runs in a child process, from the files, and comes due more rarely as the state
grows (when the journal has grown as large as state.json), so its cost per write, and what a
request can see of it, does not grow with the state."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from simulator.store import journal as journal_module
from simulator.store.compactor import META_TABLE, STATE_FILE
from store_helpers import reopened, things_store as _store

ROOT = Path(__file__).resolve().parents[2]


def _folded(folder) -> int:
    path = folder / STATE_FILE
    return json.loads(path.read_text())[META_TABLE]["state"]["segment"] if path.exists() else 0


def test_background_compaction_runs_in_a_child_process_from_the_files(tmp_path, monkeypatch):
    calls = []
    real_popen = subprocess.Popen

    def spy(args, **kw):
        calls.append(args)
        return real_popen(args, **kw)

    monkeypatch.setattr(journal_module.subprocess, "Popen", spy)
    store = _store(tmp_path, compact_every=20)
    try:
        for i in range(50):
            store.insert("things", {"sid": f"T{i:03d}", "owner": "o1", "n": i})
        assert store.settle(30)
        assert calls, "no compaction ran"
        assert all(a[-3].endswith("compactor.py") for a in calls)   # a child, by file
        assert _folded(tmp_path) > 0
        state = json.loads((tmp_path / STATE_FILE).read_text())
        assert len(state["things"]) >= 20
        expected = store.dump()
    finally:
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected


def test_a_large_state_compacts_once_the_journal_is_as_large_as_it(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "SMALL_STATE", 10_000)
    store = _store(tmp_path, compact_every=10)
    try:
        for i in range(200):   # ~60 bytes a line: a state.json well past SMALL_STATE
            store.insert("things", {"sid": f"T{i:03d}", "owner": "o1", "pad": "x" * 60})
        assert store.settle(30)
        store._storage.journal.compact()   # everything folded: the journal starts empty
        assert store.settle(30)
        size = (tmp_path / STATE_FILE).stat().st_size
        assert size > 10_000
        folded = _folded(tmp_path)
        for i in range(20):    # compact_every lines, but far from state.json's size
            store.update("things", f"T{i:03d}", {"pad": "y"})
        assert store.settle(30) and _folded(tmp_path) == folded
        i = 0
        while store._storage.journal._bytes < size:   # now as large as state.json: due
            store.update("things", f"T{i % 200:03d}", {"pad": "z" * 60})
            i += 1
        assert store.settle(30) and _folded(tmp_path) > folded
    finally:
        store.close()


def test_a_late_compaction_never_replaces_a_newer_state(tmp_path):
    """A compaction child outlives a killed server; whatever order it and the next server's
    compactions finish in (they take turns on the folder's compaction lock), state.json only
    moves forward and no segment it still needs is deleted."""
    from simulator.store import compactor
    store = _store(tmp_path, compact_every=10**9)
    try:
        store.insert("things", {"sid": "T1", "owner": "o1"})
        early = store._storage.journal._segment          # what the child was asked to fold
        store._storage.journal.compact()
        store.insert("things", {"sid": "T2", "owner": "o1"})
        store._storage.journal.compact()                 # the next server got further
        later = _folded(tmp_path)
        assert later > early
        before = (tmp_path / STATE_FILE).read_bytes()
        compactor.fold(tmp_path, early)                  # the late child finishes now
        assert (tmp_path / STATE_FILE).read_bytes() == before
        expected = store.dump()
    finally:
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected


def test_new_lines_are_still_fsynced_while_a_compaction_runs(tmp_path, monkeypatch):
    """A fold of a large state takes seconds: meanwhile the open segment is fsynced every
    fsync interval, as always (the journal thread waits for the child, not instead of it)."""
    real_popen, real_fsync = subprocess.Popen, os.fsync
    synced = []

    def slow_child(args, **kw):   # the fold starts 2 s late
        return real_popen(["sh", "-c", 'sleep 2; exec "$@"', "sh", *args], **kw)

    def fsync(fd):
        synced.append(time.monotonic())
        return real_fsync(fd)

    monkeypatch.setattr(journal_module.subprocess, "Popen", slow_child)
    monkeypatch.setattr(journal_module.os, "fsync", fsync)
    store = _store(tmp_path, compact_every=10)
    journal = store._storage.journal
    journal.fsync_interval = 0.2
    try:
        for i in range(10):   # the tenth line asks for a compaction
            store.insert("things", {"sid": f"T{i:03d}", "owner": "o1", "n": i})
        deadline = time.monotonic() + 10
        while not journal._compacting and time.monotonic() < deadline:
            time.sleep(0.01)
        assert journal._compacting
        written = time.monotonic()
        store.insert("things", {"sid": "LATE", "owner": "o1", "n": 99})
        time.sleep(1)
        assert journal._compacting, "the fold was meant to be still running"
        assert any(t > written for t in synced), "no fsync while the compaction ran"
        assert store.settle(30)
    finally:
        store.close()
    with reopened(tmp_path) as again:
        assert again.get("things", "LATE") is not None


READ_COUNTING_PASSES = """
import gc, json, sys
from pathlib import Path
from simulator.store import compactor
passes = []
gc.callbacks.append(lambda phase, info: passes.append(info["generation"]) if phase == "start"
                    else None)
gc.collect()   # the counts start from zero: the read alone decides what runs
passes.clear()
data, _, _ = compactor.load(Path(sys.argv[1]))
print(json.dumps({"records": len(data["things"]), "passes": passes, "enabled": gc.isenabled()}))
"""


def test_reading_a_state_runs_no_garbage_collection(tmp_path):
    """Decoded JSON holds no cycles, so the collector's passes while a state is read (in the
    fold child, in a server starting) are wasted; they were 40% of reading a 77 MB state. The
    read is counted in a child interpreter, where no other thread allocates meanwhile."""
    store = _store(tmp_path, compact_every=10**9)
    try:
        for i in range(3000):   # records holding lists: the collector tracks each of them
            store.insert("things", {"sid": f"T{i:04d}", "owner": "o1", "tags": [i, [i]]})
        store._storage.journal.compact()   # half in state.json, half in the journal
        for i in range(3000, 6000):
            store.insert("things", {"sid": f"T{i:04d}", "owner": "o1", "tags": [i, [i]]})
        store._storage.journal.sync()
        done = subprocess.run([sys.executable, "-c", READ_COUNTING_PASSES, str(tmp_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        got = json.loads(done.stdout)
        assert got["records"] == 6000
        assert len(got["passes"]) <= 1   # the one young pass as the collector resumes, not a
        assert got["enabled"]            # pass for every few hundred records read
    finally:
        store.close()
