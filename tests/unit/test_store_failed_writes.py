"""A write the journal does not take (disk full, file size limit) is not applied: the store
answers an OSError, nothing of the write is visible, nothing of it survives a restart, and the
store keeps working once the disk does."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from simulator import create_app
from simulator.config import Settings
from simulator.domain import messages
from simulator.store import journal as journal_module
from store_helpers import reopened, things_store as _store

ROOT = Path(__file__).resolve().parents[2]


def _thing(sid, owner="o1", **extra):
    return {"sid": sid, "owner": owner, "name": f"name {sid}", **extra}


class FullDisk:
    """A disk that fills up. The journal reserves each segment's space up front
    (``posix_fallocate``) and writes lines into it; where it cannot reserve (here: unless
    ``reserve``, and never while ``full``) it writes line by line with ``pwrite``, which fails
    with ENOSPC while ``full``, after writing ``partial`` bytes of the line if asked (as a disk
    filling up mid-write does)."""

    def __init__(self, monkeypatch, partial: int = 0, truncate_fails: bool = False,
                 reserve: bool = False):
        self.full = False
        self.reserve = reserve
        self.partial = partial
        self.real_pwrite = os.pwrite
        self.real_truncate = os.ftruncate
        self.real_fallocate = os.posix_fallocate
        monkeypatch.setattr(journal_module.os, "pwrite", self.pwrite)
        monkeypatch.setattr(journal_module.os, "posix_fallocate", self.fallocate)
        if truncate_fails:
            monkeypatch.setattr(journal_module.os, "ftruncate", self.truncate)

    def fallocate(self, fd, offset, length):
        if self.full or not self.reserve:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real_fallocate(fd, offset, length)

    def pwrite(self, fd, data, offset):
        if not self.full:
            return self.real_pwrite(fd, data, offset)
        if self.partial and len(data) > self.partial:
            n = self.real_pwrite(fd, bytes(data[:self.partial]), offset)
            self.partial = 0   # the next call (the rest of the line) fails
            return n
        raise OSError(errno.ENOSPC, "No space left on device")

    def truncate(self, fd, size):
        if self.full:
            raise OSError(errno.EIO, "I/O error")
        return self.real_truncate(fd, size)


def _lines(folder: Path) -> list[str]:
    out = []
    for p in sorted(folder.glob("journal.*.jsonl")):
        out += p.read_bytes().split(b"\0", 1)[0].decode().splitlines()
    return out


@pytest.mark.parametrize("partial", [0, 7], ids=["nothing written", "half a line written"])
def test_a_refused_insert_update_and_delete_are_not_applied(tmp_path, monkeypatch, partial):
    disk = FullDisk(monkeypatch, partial=partial)
    store = _store(tmp_path)
    try:
        store.insert("things", _thing("T1"))
        disk.full = True
        with pytest.raises(OSError):
            store.insert("things", _thing("T2"))
        assert store.get("things", "T2") is None
        assert [d["sid"] for d in store.owned("things", "o1")] == ["T1"]
        assert store.count("things", "o1") == 1
        disk.partial = partial
        with pytest.raises(OSError):
            store.update("things", "T1", {"name": "changed", "owner": "o2"})
        assert store.get("things", "T1")["name"] == "name T1"
        assert store.owned("things", "o2") == [] and store.count("things", "o1") == 1
        disk.partial = partial
        with pytest.raises(OSError):
            store.delete("things", "T1")
        assert store.get("things", "T1") is not None
        # the journal holds whole lines only: what failed was cut off again
        assert all(json.loads(line) for line in _lines(tmp_path))
        disk.full = False   # space again: the store goes on
        store.insert("things", _thing("T3"))
        expected = store.dump()
    finally:
        disk.full = False
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected
        assert [d["sid"] for d in again.owned("things", "o1")] == ["T1", "T3"]


def test_a_line_that_cannot_be_cut_off_ends_its_segment(tmp_path, monkeypatch):
    """When even the truncation fails, the half line stays the last of its segment (loading
    ignores a torn last line) and the next write goes to a new segment."""
    disk = FullDisk(monkeypatch, partial=5, truncate_fails=True)
    store = _store(tmp_path)
    try:
        store.insert("things", _thing("T1"))
        disk.full = True
        with pytest.raises(OSError):
            store.insert("things", _thing("T2"))
        disk.full = False
        store.insert("things", _thing("T3"))
        segments = sorted(tmp_path.glob("journal.*.jsonl"))
        assert len(segments) == 2
        crashed = tmp_path / "crashed"   # as kill -9 would leave it: no final compaction
        crashed.mkdir()
        for p in segments:
            (crashed / p.name).write_bytes(p.read_bytes())
    finally:
        store.close()
    for folder in (crashed, tmp_path):
        with reopened(folder) as again:
            assert [d["sid"] for d in again.owned("things", "o1")] == ["T1", "T3"]


def test_a_segment_full_when_the_disk_is_refuses_the_next_write(tmp_path, monkeypatch):
    """Lines go into the space reserved for the segment; once it is used up, the next segment
    cannot be reserved on a full disk nor written line by line: that write is refused."""
    monkeypatch.setattr(journal_module, "SEGMENT_BYTES", 4096)
    disk = FullDisk(monkeypatch, reserve=True)
    store = _store(tmp_path)
    try:
        i = 0
        while store._storage.journal._seg.fits(300):   # fill the reserved space
            store.insert("things", _thing(f"T{i:03d}", pad="x" * 100))
            i += 1
        disk.full = True
        with pytest.raises(OSError):
            store.insert("things", _thing("LATE", pad="x" * 200))
        assert store.get("things", "LATE") is None and store.count("things", "o1") == i
        disk.full = False
        store.insert("things", _thing("AFTER"))
        expected = store.dump()
    finally:
        disk.full = False
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected and again.get("things", "LATE") is None


def test_a_unit_is_journaled_whole_or_undone_whole(tmp_path, monkeypatch):
    disk = FullDisk(monkeypatch)
    store = _store(tmp_path)
    try:
        store.insert("things", _thing("T1"))
        with store.atomic():   # the block reads its own writes; one line at its end
            store.insert("things", _thing("T2"))
            store.update("things", "T1", {"name": "renamed"})
            store.delete("things", "T2")
            store.insert("things", _thing("T3", owner="o2"))
            assert store.get("things", "T1")["name"] == "renamed"
        assert len(_lines(tmp_path)) == 2
        disk.full = True
        with pytest.raises(OSError):
            with store.atomic():
                store.insert("things", _thing("T4"))
                store.update("things", "T1", {"name": "again", "owner": "o2"})
                store.delete("things", "T3")
        assert store.get("things", "T4") is None
        assert store.get("things", "T1") == _thing("T1", name="renamed")
        assert [d["sid"] for d in store.owned("things", "o1")] == ["T1"]
        assert [d["sid"] for d in store.owned("things", "o2")] == ["T3"]
        disk.full = False
        expected = store.dump()
    finally:
        disk.full = False
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected


def test_a_file_size_limit_is_a_refused_write_not_a_crash(tmp_path):
    """RLIMIT_FSIZE, for real, in a child process: the write that crosses it raises, is not
    visible, and is not in the folder afterwards; what was acknowledged before is."""
    child = textwrap.dedent(f"""
        import json, resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        from simulator.store import Store
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        store = Store(sys.argv[1])   # no room to reserve a segment: lines written one by one
        store.define("things", "owner")
        acked, refused = [], None
        for i in range(1000):
            sid = f"T{{i:04d}}"
            try:
                store.insert("things", {{"sid": sid, "owner": "o1", "pad": "x" * 200}})
            except OSError as e:
                refused = (sid, e.errno)
                break
            acked.append(sid)
        visible = [d["sid"] for d in store.owned("things", "o1")]
        print(json.dumps({{"acked": acked, "refused": refused, "visible": visible,
                          "get": store.get("things", refused[0]) if refused else None}}))
        sys.stdout.flush()
        import os
        os._exit(0)   # a crash: no final compaction (the limit would refuse it anyway)
    """)
    data = tmp_path / "data"
    out = subprocess.run([sys.executable, "-c", child, str(data)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["refused"] is not None and got["refused"][1] in (errno.EFBIG, errno.ENOSPC)
    assert got["visible"] == got["acked"] and got["get"] is None
    with reopened(data) as again:
        assert [d["sid"] for d in again.owned("things", "o1")] == got["acked"]


# -- through the app: a Messages create, and a message's steps -------------------------------
@pytest.fixture
def served_from_disk(tmp_path, monkeypatch):
    disk = FullDisk(monkeypatch)
    app = create_app(Settings(data_dir=str(tmp_path / "data"), seed=5, freeze_clock=True))
    s = app.extensions["twilio_sim"]
    s.clock.freeze(datetime(2030, 1, 15, 10, tzinfo=timezone.utc))
    main = next(a for a in s.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    yield app, s, main, disk
    disk.full = False
    s.close()


def _auth(main):
    import base64
    token = base64.b64encode(f"{main['sid']}:{main['auth_token']}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_a_message_create_the_disk_refuses_is_not_listed_and_has_no_lifecycle(
        served_from_disk, tmp_path):
    app, s, main, disk = served_from_disk
    c = app.test_client()
    path = f"/api/2010-04-01/Accounts/{main['sid']}/Messages.json"
    form = {"To": "+14155550199", "From": "+14155550100", "Body": "hello"}
    timers_before = len(s.store.find("timers", lambda t: True))
    disk.full = True
    r = c.post(path, data=form, headers=_auth(main))
    disk.full = False
    assert r.status_code == 500 and r.get_json()["code"] == 20500
    listed = c.get(path, headers=_auth(main)).get_json()["messages"]
    assert listed == []
    assert len(s.store.find("timers", lambda t: True)) == timers_before   # no lifecycle
    assert s.store.find("messages", lambda m: True) == []
    s.clock.advance(10)   # nothing happens: there was no message
    assert s.store.find("messages", lambda m: True) == []
    # the disk has room again: the next create is stored and runs its lifecycle
    ok = c.post(path, data=form, headers=_auth(main))
    assert ok.status_code == 201
    s.clock.advance(3)
    sid = ok.get_json()["sid"]
    assert c.get(f"{path[:-5]}/{sid}.json", headers=_auth(main)).get_json()["status"] == \
        "delivered"
    s.close()
    again = create_app(Settings(data_dir=str(tmp_path / "data"), seed=5, freeze_clock=True))
    stored = again.extensions["twilio_sim"].store.find("messages", lambda m: True)
    assert [m["sid"] for m in stored] == [sid]
    again.extensions["twilio_sim"].close()


def test_a_step_the_disk_refuses_is_undone_and_runs_once_it_can(served_from_disk):
    app, s, main, disk = served_from_disk
    m = messages.send(s, main, to="+14155550199", from_="+14155550100", service_sid=None,
                      body="hello", media_urls=[])
    disk.full = True
    s.clock.advance(1)   # the "sending" step: refused, so undone
    assert s.store.get("messages", m["sid"])["status"] == "queued"
    assert [t["data"]["status"] for t in s.store.owned("timers", m["sid"])] == ["sending"]
    disk.full = False
    s.clock.advance(0)   # the next pass runs it (and what came due meanwhile)
    assert s.store.get("messages", m["sid"])["status"] == "sending"
    s.clock.advance(2)
    stored = s.store.get("messages", m["sid"])
    assert stored["status"] == "delivered"
    assert [h["status"] for h in stored["status_history"]] == ["queued", "sending", "sent",
                                                                "delivered"]

