"""State on disk: `twilio-sim serve --data DIR` across SIGTERM and SIGKILL, the
journal's background compaction, torn journal lines, and state.json as a plain
TinyDB file."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from tinydb import Query, TinyDB
from tinydb.table import Table
from twilio.base.exceptions import TwilioRestException

from simulator import tables
from simulator.store import Store
from simulator.store.journal import META_TABLE, STATE_FILE

TIMEOUT = 30.0
FLUSHED = "Twilio simulator stopped; state flushed."


# -- a `twilio-sim serve` subprocess ---------------------------------------------------------


# -- folder helpers --------------------------------------------------------------------------------
def _segments(folder: Path) -> list[Path]:
    return sorted(folder.glob("journal.*.jsonl"))


def _folded(folder: Path) -> int:
    path = folder / STATE_FILE
    if not path.exists():
        return 0
    return int(json.loads(path.read_text())[META_TABLE]["state"]["segment"])


class StrIds(Table):
    document_id_class = str  # the store keys documents by SID


def _sim_store(folder, **kw) -> Store:
    store = Store(folder, **kw)
    tables.define(store)
    return store


# -- SIGTERM ---------------------------------------------------------------------------------------
def test_state_survives_a_sigterm_restart(serve, tmp_path):
    data = tmp_path / "data"
    first = serve("--data", str(data))
    client = first.client()
    subs = [client.api.v2010.accounts.create(friendly_name=f"kept {i}") for i in range(5)]
    client.api.v2010.accounts(subs[1].sid).update(friendly_name="renamed")
    client.api.v2010.accounts(subs[2].sid).update(status="suspended")
    keys = [client.api.v2010.accounts(s.sid).new_keys.create(friendly_name=f"key {i}")
            for i, s in enumerate(subs[:3])]
    main_key = client.api.v2010.accounts(first.account_sid).new_keys.create(friendly_name="main")
    client.api.v2010.accounts(subs[0].sid).keys(keys[0].sid).delete()
    before = first.control("snapshot")
    creds_before = first.control("credentials")

    assert first.terminate() == 0, first.output
    assert first.lines[-1] == FLUSHED
    assert (data / STATE_FILE).exists()
    assert _segments(data) == []  # all folded into state.json, nothing left to replay

    second = serve("--data", str(data))
    assert (second.account_sid, second.auth_token) == (first.account_sid, first.auth_token)
    assert second.control("snapshot") == before
    assert second.control("credentials") == creds_before
    client = second.client()
    for sub in subs:  # same SIDs, same tokens
        again = client.api.v2010.accounts(sub.sid).fetch()
        assert again.auth_token == sub.auth_token
    assert client.api.v2010.accounts(subs[1].sid).fetch().friendly_name == "renamed"
    assert client.api.v2010.accounts(subs[2].sid).fetch().status == "suspended"
    # a subaccount's own credentials still work
    assert second.client(subs[3].sid, subs[3].auth_token).api.v2010.accounts(
        subs[3].sid).fetch().friendly_name == "kept 3"
    assert [k.sid for k in client.api.v2010.accounts(subs[1].sid).keys.list()] == [keys[1].sid]
    assert client.api.v2010.accounts(subs[0].sid).keys.list() == []
    listed_keys = {k.sid for k in client.api.v2010.accounts(second.account_sid).keys.list()}
    assert main_key.sid in listed_keys
    # the key secrets survived too
    stored_keys = {k["sid"]: k["secret"] for a in creds_before["accounts"] for k in a["keys"]}
    assert stored_keys[keys[2].sid] == keys[2].secret
    assert stored_keys[main_key.sid] == main_key.secret

    # and writes after the restart persist as well
    late = client.api.v2010.accounts.create(friendly_name="after restart")
    assert second.terminate() == 0 and second.lines[-1] == FLUSHED
    third = serve("--data", str(data))
    assert third.client().api.v2010.accounts(late.sid).fetch().friendly_name == "after restart"


def test_a_data_folder_serves_one_process_at_a_time(serve, tmp_path):
    data = tmp_path / "data"
    sim = serve("--data", str(data))
    second = subprocess.run(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--data", str(data)],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert second.returncode == 1
    assert "in use" in second.stderr and "Traceback" not in second.stderr
    sub = sim.client().api.v2010.accounts.create(friendly_name="still fine")  # unharmed
    assert sim.terminate() == 0 and sim.lines[-1] == FLUSHED
    store = _sim_store(data)
    try:
        assert store.get("accounts", sub.sid)["friendly_name"] == "still fine"
    finally:
        store.close()


def test_state_json_is_a_plain_tinydb_file(serve, tmp_path):
    name = "in tinydb, café ☕"   # state.json is UTF-8
    data = tmp_path / "data"
    sim = serve("--data", str(data))
    sub = sim.client().api.v2010.accounts.create(friendly_name=name)
    assert sim.terminate() == 0 and sim.lines[-1] == FLUSHED

    db = TinyDB(data / STATE_FILE, access_mode="r", encoding="utf-8")   # as the README says
    try:
        assert {"accounts", "keys", "test_credentials", META_TABLE} <= db.tables()
        accounts = db.table("accounts")
        assert accounts.get(doc_id=sub.sid)["friendly_name"] == name
        assert accounts.get(doc_id=sim.account_sid)["auth_token"] == sim.auth_token
        assert len(accounts) >= 3  # main, the fixtures' subaccount, ours
    finally:
        db.close()
    # with string document ids (SIDs), every TinyDB query works on it too
    class StrIdTinyDB(TinyDB):
        table_class = StrIds

    db = StrIdTinyDB(data / STATE_FILE, access_mode="r", encoding="utf-8")
    try:
        found = db.table("accounts").search(Query().friendly_name == name)
        assert [d.doc_id for d in found] == [sub.sid]
        assert sim.account_sid in {d.doc_id for d in db.table("accounts").all()}
    finally:
        db.close()


# -- SIGKILL ---------------------------------------------------------------------------------------
def test_sigkill_during_a_write_burst_loses_no_acknowledged_write(serve, tmp_path):
    data = tmp_path / "data"
    sim = serve("--data", str(data))
    acknowledged: list[str] = []
    ack_lock = threading.Lock()
    stop = threading.Event()
    unexpected: list[BaseException] = []

    def writer(n: int):
        client = sim.client()
        i = 0
        while not stop.is_set():
            try:
                sid = client.api.v2010.accounts.create(friendly_name=f"burst {n}-{i}").sid
            except requests.RequestException:  # refused, reset, or a response cut short
                return  # the server is gone: this write was never acknowledged
            except TwilioRestException as e:  # pragma: no cover - reported below
                unexpected.append(e)
                return
            with ack_lock:
                acknowledged.append(sid)
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:  # bounded wait for the burst to be well under way
            with ack_lock:
                if len(acknowledged) >= 300:
                    break
            assert time.monotonic() < deadline, "the writers made no progress"
            assert not unexpected, unexpected
            time.sleep(0.01)
        os.kill(sim.proc.pid, signal.SIGKILL)  # mid-burst: requests are in flight
        sim.proc.wait(timeout=TIMEOUT)
        assert sim.proc.returncode == -signal.SIGKILL
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    assert not unexpected, unexpected
    assert FLUSHED not in sim.output
    with ack_lock:
        acked = set(acknowledged)
    assert len(acked) == len(acknowledged) >= 300

    again = serve("--data", str(data))  # the folder loads and the server answers
    client = again.client()
    listed = {a.sid for a in client.api.v2010.accounts.list(page_size=1000)}
    missing = acked - listed
    assert not missing, f"{len(missing)} acknowledged creates were lost"
    # the restarted server writes and shuts down cleanly on top of the crash leftovers
    late = client.api.v2010.accounts.create(friendly_name="after the crash")
    assert again.terminate() == 0 and again.lines[-1] == FLUSHED
    store = _sim_store(data)
    try:
        stored = {a["sid"] for a in store.owned("accounts", again.account_sid)}
        assert acked | {late.sid} <= stored
        assert stored == listed | {late.sid}
    finally:
        store.close()
    db = TinyDB(data / STATE_FILE, access_mode="r")
    try:
        assert acked <= set(db.storage.read()["accounts"])
        assert db.table("accounts").get(doc_id=late.sid)["friendly_name"] == "after the crash"
    finally:
        db.close()


# -- compaction ------------------------------------------------------------------------------------
@contextlib.contextmanager
def quiescent(store: Store, folder: Path, single: bool = True, past: int = -1):
    """Hold the store lock once no compaction is due or running (``Store.settle``: it waits
    for the journal's own signal, not on a clock). With ``single``, the folder then holds
    exactly state.json plus the open segment; with ``past``, state.json has folded a segment
    beyond that one."""
    assert store.settle(TIMEOUT), "the journal never settled"
    with store.lock:
        names = [int(p.name.split(".")[1]) for p in _segments(folder)]
        folded = _folded(folder)
        assert names and all(n > folded for n in names), (names, folded)
        assert len(names) == 1 or not single, names
        assert folded > past, (folded, past)
        yield folded


def _copy_folder(src: Path, dst: Path) -> Path:
    """Copy as a crash would leave it: segments first, then state.json (which a
    compaction replaces before it deletes the segments it folded)."""
    dst.mkdir()
    for p in _segments(src):
        with contextlib.suppress(FileNotFoundError):
            shutil.copy2(p, dst / p.name)
    if (src / STATE_FILE).exists():
        shutil.copy2(src / STATE_FILE, dst / STATE_FILE)
    return dst


def test_compaction_folds_the_journal_into_state_json(tmp_path):
    data = tmp_path / "data"
    store = _sim_store(data, compact_every=50)
    try:
        folds = []
        for round_ in range(4):  # each round writes well over compact_every lines
            for i in range(round_ * 150, (round_ + 1) * 150):
                sid, owner = f"SK{i:032x}", f"AC{i % 7:032x}"
                store.insert("keys", {"sid": sid, "account_sid": owner,
                                      "friendly_name": f"k{i}", "secret": "s" * 32})
                if i % 5 == 0:
                    store.update("keys", sid, {"friendly_name": f"renamed {i}"})
                if i % 9 == 0:
                    store.delete("keys", sid)
            with quiescent(store, data, past=folds[-1] if folds else 0) as folded:
                # compacted in the background; every folded segment is gone, only
                # the open one is left
                assert [p.name for p in _segments(data)] == [f"journal.{folded + 1:08d}.jsonl"]
                folds.append(folded)
        assert folds == sorted(set(folds)), folds
        with quiescent(store, data):
            expected = store.dump()
            order = {o: [d["sid"] for d in store.owned("keys", o)] for o in
                     {d["account_sid"] for d in expected["keys"].values()}}
            crashed = _copy_folder(data, tmp_path / "copy")  # as a kill -9 would leave it
        state = json.loads((data / STATE_FILE).read_text())
        assert len(state["keys"]) > 100
    finally:
        store.close()

    for folder in (crashed, data):  # the live folder copy, and the cleanly closed one
        again = _sim_store(folder)
        try:
            assert again.dump() == expected
            for owner, sids in order.items():
                assert [d["sid"] for d in again.owned("keys", owner)] == sids
        finally:
            again.close()
    assert _segments(data) == []
    db = TinyDB(data / STATE_FILE, access_mode="r")
    try:
        assert set(db.storage.read()["keys"]) == set(expected["keys"])
    finally:
        db.close()


def test_a_leftover_temp_file_and_folded_segments_are_harmless(tmp_path):
    """A crash mid-compaction leaves state.json.tmp, or segments already folded."""
    data = tmp_path / "data"
    store = _sim_store(data)
    store.insert("keys", {"sid": "SK1", "account_sid": "AC1"})
    store.close()
    (data / (STATE_FILE + ".tmp")).write_text('{"keys": {"SK')  # half-written
    folded = _folded(data)
    # a folded segment that was not yet deleted, holding stale data
    (data / f"journal.{folded:08d}.jsonl").write_text(
        json.dumps({"t": "keys", "c": {"SK1": None}}) + "\n")
    again = _sim_store(data)
    try:
        assert again.get("keys", "SK1") == {"sid": "SK1", "account_sid": "AC1"}
        again.insert("keys", {"sid": "SK2", "account_sid": "AC1"})
    finally:
        again.close()
    third = _sim_store(data)
    try:
        assert [k["sid"] for k in third.owned("keys", "AC1")] == ["SK1", "SK2"]
    finally:
        third.close()


def test_a_restored_snapshot_persists(tmp_path):
    data = tmp_path / "data"
    store = _sim_store(data)
    try:
        store.insert("keys", {"sid": "SKold", "account_sid": "AC1"})
        store.load({"keys": {"SKnew": {"sid": "SKnew", "account_sid": "AC2"}}})
        store.insert("keys", {"sid": "SKafter", "account_sid": "AC2"})
        with quiescent(store, data):
            expected = store.dump()
            crashed = _copy_folder(data, tmp_path / "copy")
    finally:
        store.close()
    for folder in (crashed, data):
        again = _sim_store(folder)
        try:
            assert again.dump() == expected
            assert again.get("keys", "SKold") is None
            assert [k["sid"] for k in again.owned("keys", "AC2")] == ["SKnew", "SKafter"]
        finally:
            again.close()


# -- torn journal lines ----------------------------------------------------------------------------
@pytest.mark.parametrize("torn", [
    '{"t":"keys","c":{"SKtorn":{"sid":"SKtorn","account_sid":"AC1","friendly_na',
    '{"t":"keys","c":{"SK0":null',
    "\x00\x00\x00\x00",
    '{"t":"keys","c":{"SKtorn":{"sid":"SKtorn"',
])
def test_a_torn_last_journal_line_is_ignored(tmp_path, torn):
    data = tmp_path / "data"
    store = _sim_store(data)
    try:
        for i in range(20):
            store.insert("keys", {"sid": f"SK{i}", "account_sid": "AC1", "n": i})
        store.update("keys", "SK3", {"n": 33})
        store.delete("keys", "SK4")
        with quiescent(store, data):
            expected = store.dump()
            crashed = _copy_folder(data, tmp_path / "crashed")
    finally:
        store.close()

    newest = _segments(crashed)[-1]
    # the open segment: its lines, then the zeros of the space reserved for the next ones
    content = newest.read_bytes()
    lines = content.split(b"\0", 1)[0]
    assert lines.endswith(b"\n")
    # the write that was cut short (never acknowledged), right after the last line
    cut = (lines + torn.encode()).ljust(len(content), b"\0")
    newest.write_bytes(cut)

    again = _sim_store(crashed)
    try:
        assert again.dump() == expected
        assert again.get("keys", "SKtorn") is None and again.get("keys", "SK0") is not None
        # the next run appends to a new segment, so the torn line never joins a good one
        again.insert("keys", {"sid": "SKnext", "account_sid": "AC1"})
        expected_next = again.dump()
        with quiescent(again, crashed, single=False):
            second_crash = _copy_folder(crashed, tmp_path / "crashed-again")
    finally:
        again.close()

    for folder in (second_crash, crashed):  # killed again, or closed cleanly
        third = _sim_store(folder)
        try:
            assert third.dump() == expected_next
            assert third.owned("keys", "AC1")[-1]["sid"] == "SKnext"
        finally:
            third.close()
    assert _segments(crashed) == []  # a clean close folded the torn segment away
