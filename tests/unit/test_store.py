"""The Store API: copies in and out, per-owner order and paging, the owner index,
whole-state load/dump, and concurrent use."""
from __future__ import annotations

import json
import threading

import pytest

from simulator.errors import TwilioError
from simulator.store import UndeclaredTable, compactor
from store_helpers import reopened, things_store as _store


@pytest.fixture
def store():
    s = _store()
    yield s
    s.close()


def _thing(sid, owner="o1", **extra):
    return {"sid": sid, "owner": owner, "name": f"name {sid}", "tags": ["a"], "meta": {"n": 1},
            **extra}


def _sids(docs):
    return [d["sid"] for d in docs]


# -- tables --------------------------------------------------------------------------------
def test_an_undeclared_table_is_refused_not_created(store):
    """A typo in a table name must fail loudly, not read or write a new empty table."""
    for call in (lambda: store.insert("thigns", _thing("T1")), lambda: store.get("thigns", "T1"),
                 lambda: store.owned("thigns", "o1"), lambda: store.find("thigns", bool),
                 lambda: store.update("thigns", "T1", {}), lambda: store.delete("thigns", "T1"),
                 lambda: store.count("thigns", "o1")):
        with pytest.raises(UndeclaredTable, match="thigns"):
            call()
    assert "thigns" not in store.dump()
    store.insert("things", _thing("T1"))
    assert store.get("things", "T1")["owner"] == "o1"


def test_every_table_the_simulator_uses_is_declared():
    """Every table name the simulator passes to the store is in tables.py."""
    import ast
    from pathlib import Path

    from simulator import tables
    root = Path(tables.__file__).parent
    used = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("get", "require", "insert", "update", "delete",
                                           "owned", "pager", "find", "count") \
                    and isinstance(getattr(node.func.value, "attr", None), str) \
                    and node.func.value.attr == "store" and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                used.add(node.args[0].value)
    assert used and used <= set(tables.TABLES), sorted(used - set(tables.TABLES))


# -- single records ----------------------------------------------------------------------
def test_insert_and_get_round_trip(store):
    doc = _thing("T1")
    assert store.insert("things", doc) == doc
    assert store.get("things", "T1") == doc
    assert store.get("things", "T2") is None


def test_insert_keeps_no_reference_to_the_callers_dict(store):
    doc = _thing("T1")
    returned = store.insert("things", doc)
    doc["name"] = "changed by caller"
    doc["tags"].append("b")
    doc["meta"]["n"] = 99
    returned["name"] = "changed via return value"
    returned["tags"].append("c")
    assert store.get("things", "T1") == _thing("T1")


def test_get_returns_a_copy(store):
    store.insert("things", _thing("T1"))
    got = store.get("things", "T1")
    got["name"] = "x"
    got["tags"].append("x")
    got["meta"]["n"] = 2
    assert store.get("things", "T1") == _thing("T1")


def test_peek_sees_the_stored_document_which_a_write_replaces(store):
    store.insert("things", _thing("T1"))
    peeked = store.peek("things", "T1")
    assert peeked == _thing("T1") and store.peek("things", "T404") is None
    store.update("things", "T1", {"name": "renamed"})
    store.update("things", "T1", {"meta": {"n": 9}})
    assert peeked == _thing("T1")          # what was peeked stays as it was
    assert store.peek("things", "T1")["name"] == "renamed"
    assert store.peek("things", "T1")["meta"] == {"n": 9}


def test_require(store):
    store.insert("things", _thing("T1"))
    got = store.require("things", "T1")
    got["meta"]["n"] = 5
    assert store.require("things", "T1")["meta"]["n"] == 1
    with pytest.raises(TwilioError) as e:
        store.require("things", "missing")
    assert e.value.status == 404
    custom = TwilioError(20003)
    with pytest.raises(TwilioError) as e:
        store.require("things", "missing", custom)
    assert e.value is custom


def test_update_merges_fields_and_returns_a_copy(store):
    store.insert("things", _thing("T1"))
    fields = {"name": "renamed", "meta": {"n": 2}}
    updated = store.update("things", "T1", fields)
    assert updated == {**_thing("T1"), "name": "renamed", "meta": {"n": 2}}
    fields["meta"]["n"] = 3            # the caller's fields are not kept by reference
    updated["tags"].append("x")        # nor is the returned document
    updated["meta"]["n"] = 4
    assert store.get("things", "T1") == {**_thing("T1"), "name": "renamed", "meta": {"n": 2}}


def test_update_does_not_change_a_copy_taken_before(store):
    store.insert("things", _thing("T1"))
    before = store.get("things", "T1")
    snapshot = store.dump()
    store.update("things", "T1", {"name": "new"})
    assert before["name"] == "name T1"
    assert snapshot["things"]["T1"]["name"] == "name T1"


def test_update_of_a_missing_record_is_not_found(store):
    with pytest.raises(TwilioError) as e:
        store.update("things", "missing", {"name": "x"})
    assert e.value.status == 404
    assert store.get("things", "missing") is None


def test_delete(store):
    store.insert("things", _thing("T1"))
    store.insert("things", _thing("T2"))
    assert store.delete("things", "T1") is True
    assert store.delete("things", "T1") is False
    assert store.get("things", "T1") is None
    assert _sids(store.owned("things", "o1")) == ["T2"]
    assert store.count("things", "o1") == 1


def test_duplicate_sid_is_refused_and_the_original_kept(store):
    store.insert("things", _thing("T1"))
    with pytest.raises(ValueError):
        store.insert("things", _thing("T1", name="other"))
    assert store.get("things", "T1") == _thing("T1")
    assert store.count("things", "o1") == 1


# -- many records --------------------------------------------------------------------------
@pytest.fixture
def filled(store):
    """T00..T19 for o1 (even ones 'red'), interleaved with U00..U09 for o2."""
    for i in range(20):
        store.insert("things", _thing(f"T{i:02d}", color="red" if i % 2 == 0 else "blue"))
        if i % 2:
            store.insert("things", _thing(f"U{i // 2:02d}", owner="o2", color="red"))
    return store


def test_owned_is_insertion_order_of_that_owner_only(filled):
    assert _sids(filled.owned("things", "o1")) == [f"T{i:02d}" for i in range(20)]
    assert _sids(filled.owned("things", "o2")) == [f"U{i:02d}" for i in range(10)]
    assert filled.owned("things", "nobody") == []
    assert filled.count("things", "o1") == 20 and filled.count("things", "o2") == 10


def test_owned_order_survives_updates(filled):
    filled.update("things", "T05", {"name": "touched"})
    assert _sids(filled.owned("things", "o1")) == [f"T{i:02d}" for i in range(20)]


def test_owned_newest_first(filled):
    assert _sids(filled.owned("things", "o1", newest_first=True)) == \
        [f"T{i:02d}" for i in reversed(range(20))]
    assert _sids(filled.owned("things", "o1", newest_first=True, limit=3)) == ["T19", "T18", "T17"]


def test_owned_returns_copies(filled):
    docs = filled.owned("things", "o1", limit=1)
    docs[0]["meta"]["n"] = 42
    assert filled.get("things", "T00")["meta"]["n"] == 1


def test_owned_skip_and_limit(filled):
    assert _sids(filled.owned("things", "o1", skip=5, limit=3)) == ["T05", "T06", "T07"]
    assert _sids(filled.owned("things", "o1", skip=18)) == ["T18", "T19"]
    assert filled.owned("things", "o1", skip=20) == []


def test_owned_where_filter(filled):
    def red(d):
        return d["color"] == "red"
    assert _sids(filled.owned("things", "o1", where=red)) == [f"T{i:02d}" for i in range(0, 20, 2)]
    # skip and limit count matching records, not scanned ones
    assert _sids(filled.owned("things", "o1", where=red, skip=2, limit=2)) == ["T04", "T06"]
    assert _sids(filled.owned("things", "o1", where=red, newest_first=True, limit=2)) == \
        ["T18", "T16"]


def test_find_scans_across_owners(filled):
    assert sorted(_sids(filled.find("things", lambda d: d["sid"].endswith("3")))) == \
        ["T03", "T13", "U03"]


def test_after_token_resumes_just_past_that_record(filled):
    pages, after = [], None
    while True:
        page = filled.owned("things", "o1", after=after, limit=6)
        if not page:
            break
        pages.append(_sids(page))
        after = page[-1]["sid"]
    assert pages == [[f"T{i:02d}" for i in range(a, min(a + 6, 20))] for a in range(0, 20, 6)]
    # the token wins over skip while its record exists
    assert _sids(filled.owned("things", "o1", after="T03", skip=100, limit=2)) == ["T04", "T05"]
    assert _sids(filled.owned("things", "o1", after="T03", newest_first=True, limit=2)) == \
        ["T02", "T01"]


def test_after_token_is_exact_when_records_come_and_go(filled):
    first = filled.owned("things", "o1", limit=5)
    filled.delete("things", "T01")                      # before the token
    filled.insert("things", _thing("T99"))              # at the end
    rest = filled.owned("things", "o1", after=first[-1]["sid"])
    assert _sids(rest) == [f"T{i:02d}" for i in range(5, 20)] + ["T99"]


def test_after_token_with_where_filter(filled):
    def red(d):
        return d["color"] == "red"
    assert _sids(filled.owned("things", "o1", where=red, after="T04", limit=2)) == ["T06", "T08"]
    # a token naming a record the filter does not match still marks the position
    assert _sids(filled.owned("things", "o1", where=red, after="T05", limit=2)) == ["T06", "T08"]


def test_skip_is_used_when_the_tokens_record_is_gone(filled):
    page1 = filled.owned("things", "o1", limit=4)
    filled.delete("things", page1[-1]["sid"])
    assert _sids(filled.owned("things", "o1", after=page1[-1]["sid"], skip=4, limit=2)) == \
        ["T05", "T06"]


def test_skip_is_used_when_the_tokens_record_is_gone_with_a_filter(filled):
    def red(d):
        return d["color"] == "red"
    page1 = filled.owned("things", "o1", where=red, limit=3)   # T00 T02 T04
    assert _sids(page1) == ["T00", "T02", "T04"]
    filled.delete("things", "T04")
    page2 = filled.owned("things", "o1", where=red, after="T04", skip=3, limit=3)
    assert _sids(page2) == ["T08", "T10", "T12"]  # skip counts matching records


def test_a_token_from_another_owner_does_not_empty_the_list(filled):
    # U00 exists but belongs to o2: it cannot mark a position in o1's list
    assert _sids(filled.owned("things", "o1", after="U00", skip=2, limit=2)) == ["T02", "T03"]


def test_unowned_table_lists_nothing_by_owner_but_finds(store):
    store.insert("unowned", {"sid": "X1", "owner": "o1"})
    assert store.get("unowned", "X1") == {"sid": "X1", "owner": "o1"}
    assert store.owned("unowned", "o1") == []
    assert _sids(store.find("unowned", lambda d: True)) == ["X1"]


# -- the owner index -------------------------------------------------------------------------
def test_owner_index_follows_an_owner_change(filled):
    filled.update("things", "T03", {"owner": "o2"})
    assert "T03" not in _sids(filled.owned("things", "o1"))
    assert "T03" in _sids(filled.owned("things", "o2"))
    assert filled.count("things", "o1") == 19 and filled.count("things", "o2") == 11
    assert filled.owned("things", "o2", where=lambda d: d["sid"] == "T03")[0]["owner"] == "o2"
    # and back again; an owner left with nothing disappears from the index
    for sid in _sids(filled.owned("things", "o2")):
        filled.update("things", sid, {"owner": "o3"})
    assert filled.owned("things", "o2") == [] and filled.count("things", "o2") == 0
    assert filled.count("things", "o3") == 11
    t = filled._table("things")
    assert "o2" not in t.by_owner


def test_a_moved_record_takes_its_creation_place_in_the_new_owners_list(tmp_path):
    store = _store(tmp_path)
    try:
        for sid, owner in [("A", "o1"), ("B", "o2"), ("C", "o1"), ("D", "o2"), ("E", "o1")]:
            store.insert("things", _thing(sid, owner))
        store.update("things", "C", {"owner": "o2"})
        store.update("things", "A", {"owner": "o2"})
        assert _sids(store.owned("things", "o2")) == ["A", "B", "C", "D"]
        assert _sids(store.owned("things", "o2", newest_first=True)) == ["D", "C", "B", "A"]
        assert _sids(store.owned("things", "o1")) == ["E"]
        assert _sids(store.owned("things", "o2", after="B")) == ["C", "D"]
    finally:
        store.close()
    with reopened(tmp_path) as again:  # the same order after a restart
        assert _sids(again.owned("things", "o2")) == ["A", "B", "C", "D"]
        assert _sids(again.owned("things", "o1")) == ["E"]


def test_owner_index_after_update_that_keeps_the_owner(filled):
    filled.update("things", "T03", {"owner": "o1", "name": "same owner"})
    assert _sids(filled.owned("things", "o1")) == [f"T{i:02d}" for i in range(20)]


def test_owner_index_after_delete_and_reinsert(filled):
    filled.delete("things", "T00")
    filled.insert("things", _thing("T00"))
    assert _sids(filled.owned("things", "o1"))[-1] == "T00"
    assert filled.count("things", "o1") == 20


def test_records_without_the_owner_field(store):
    store.insert("things", {"sid": "N1"})
    assert _sids(store.owned("things", None)) == ["N1"]
    store.update("things", "N1", {"owner": "o1"})
    assert store.owned("things", None) == []
    assert _sids(store.owned("things", "o1")) == ["N1"]


# -- whole state -------------------------------------------------------------------------
def test_dump_and_load_round_trip(filled):
    snap = filled.dump()
    assert set(snap["things"]) == {f"T{i:02d}" for i in range(20)} | {f"U{i:02d}" for i in range(10)}
    snap["things"]["T00"]["name"] = "edited snapshot"  # a dump is a copy
    assert filled.get("things", "T00")["name"] == "name T00"

    other = _store()
    try:
        other.load(snap)
        assert other.dump() == snap
        assert _sids(other.owned("things", "o1")) == [f"T{i:02d}" for i in range(20)]
        assert other.count("things", "o2") == 10
        snap["things"]["T01"]["name"] = "after load"  # load keeps no reference either
        assert other.get("things", "T01")["name"] == "name T01"
    finally:
        other.close()


def test_load_replaces_everything_and_rebuilds_indexes(filled):
    filled.owned("things", "o1")  # the table (and its index) exists before the load
    filled.load({"things": {"Z1": {"sid": "Z1", "owner": "o9"}}})
    assert filled.owned("things", "o1") == []
    assert _sids(filled.owned("things", "o9")) == ["Z1"]
    assert filled.get("things", "T00") is None
    filled.insert("things", _thing("Z2", owner="o9"))
    assert _sids(filled.owned("things", "o9")) == ["Z1", "Z2"]


def test_clear_and_is_empty(filled):
    assert not filled.is_empty()
    filled.clear()
    assert filled.is_empty()
    assert filled.owned("things", "o1") == [] and filled.dump() == {}
    filled.insert("things", _thing("A1"))
    assert not filled.is_empty()


def test_a_folder_has_one_store_at_a_time(tmp_path):
    from simulator.store import FolderInUse
    first = _store(tmp_path)
    try:
        with pytest.raises(FolderInUse):
            _store(tmp_path)
        first.insert("things", _thing("T1"))
    finally:
        first.close()
    first.close()  # closing twice is harmless
    second = _store(tmp_path)  # free again once closed
    try:
        assert second.get("things", "T1") == _thing("T1")
    finally:
        second.close()


def test_a_closed_store_refuses_writes(tmp_path):
    store = _store(tmp_path)
    store.close()
    with pytest.raises(RuntimeError):
        store.insert("things", _thing("T1"))


def test_persisted_store_round_trips_through_its_folder(tmp_path):
    store = _store(tmp_path)
    for i in range(30):
        store.insert("things", _thing(f"T{i:02d}", owner=f"o{i % 3}"))
    store.update("things", "T04", {"name": "updated", "owner": "o2"})
    store.delete("things", "T05")
    expected = store.dump()
    store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected
        assert _sids(again.owned("things", "o0")) == [f"T{i:02d}" for i in range(0, 30, 3)]
        assert "T04" in _sids(again.owned("things", "o2"))
        assert "T05" not in _sids(again.owned("things", "o2"))


# -- threads ---------------------------------------------------------------------------------
def test_concurrent_writers_and_readers(tmp_path):
    store = _store(tmp_path, compact_every=100)
    errors: list[BaseException] = []
    n_threads, per_thread = 8, 150

    def writer(w):
        try:
            for i in range(per_thread):
                sid = f"W{w}-{i:04d}"
                store.insert("things", _thing(sid, owner=f"o{w}"))
                if i % 3 == 0:
                    store.update("things", sid, {"name": "u", "owner": "shared"})
                if i % 10 == 0:
                    store.delete("things", sid)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    def reader():
        try:
            for i in range(200):
                docs = store.owned("things", "shared", newest_first=True, limit=20)
                assert all(d["owner"] == "shared" for d in docs)
                if i % 20 == 0:
                    store.dump()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(n_threads)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    deleted = {f"W{w}-{i:04d}" for w in range(n_threads) for i in range(0, per_thread, 10)}
    moved = {f"W{w}-{i:04d}" for w in range(n_threads) for i in range(0, per_thread, 3)} - deleted
    everything = {f"W{w}-{i:04d}" for w in range(n_threads) for i in range(per_thread)} - deleted
    assert set(_sids(store.owned("things", "shared"))) == moved
    for w in range(n_threads):
        mine = {s for s in everything - moved if s.startswith(f"W{w}-")}
        assert _sids(store.owned("things", f"o{w}")) == sorted(mine)
    assert set(store.dump()["things"]) == everything
    expected = store.dump()
    store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected


def test_released_lets_go_of_every_level_of_the_lock_and_takes_it_back(store):
    got = []

    def other():
        got.append(store.lock.acquire(timeout=5))
        store.lock.release()

    with store.lock, store.lock:          # held twice, as nested units do
        with store.released():
            t = threading.Thread(target=other)
            t.start()
            t.join(10)
        assert got == [True]              # another thread took it meanwhile
        store.lock.release()              # still held once more after the block
        assert store.lock._is_owned()
        store.lock.acquire()
    with store.released():                # not held: nothing to let go of
        pass


def test_a_persisted_store_keeps_what_only_json_can_encode(tmp_path):
    """Journal lines are encoded with orjson; an integer beyond 64 bits (which it refuses) or
    non-ASCII text round-trips all the same."""
    store = _store(tmp_path)
    try:
        store.insert("things", {"sid": "BIG", "owner": "o1", "n": 2 ** 70, "name": "Café ☕"})
        store.insert("things", {"sid": "SMALL", "owner": "o1", "n": -(2 ** 63), "name": "é"})
        expected = store.dump()
        lines = b"".join(p.read_bytes() for p in tmp_path.glob("journal.*.jsonl"))
        assert b"1180591620717411303424" in lines   # 2**70, written whole
    finally:
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected
        assert again.get("things", "BIG")["n"] == 2 ** 70


def _lines(folder) -> list[dict]:
    """Every journal line of the folder's segments, in order."""
    found = []
    for path in sorted(folder.glob("journal.*.jsonl")):
        raw = path.read_bytes().split(b"\0", 1)[0]
        found += [json.loads(line) for line in raw.splitlines()]
    return found


def test_an_update_journals_only_the_fields_it_changed_and_replays_to_the_same_state(tmp_path):
    """A record only updated is journaled as the fields that changed (a step changing a
    message's status writes a few hundred bytes, not the whole message); a record inserted,
    replaced or deleted is written whole. Replaying the files gives the state the store held."""
    store = _store(tmp_path, compact_every=10**9)
    try:
        pad = "p" * 500
        for sid in ("T1", "T2", "T3"):
            store.insert("things", _thing(sid, pad=pad))
        store.update("things", "T1", {"name": "renamed"})
        assert _lines(tmp_path)[-1] == {"m": {}, "p": {"things": {"T1": {"name": "renamed"}}}}
        with store.atomic():
            store.update("things", "T2", {"name": "first"})
            store.update("things", "T2", {"tags": ["b"], "name": "second"})
            store.insert("things", _thing("T4"))
            store.update("things", "T4", {"name": "new and changed"})
            store.update("things", "T3", {"name": "going"})
            store.delete("things", "T3")
        unit = _lines(tmp_path)[-1]
        assert unit["p"] == {"things": {"T2": {"name": "second", "tags": ["b"]}}}
        assert unit["m"]["things"]["T3"] is None
        assert unit["m"]["things"]["T4"]["name"] == "new and changed"
        assert pad not in str(unit) and pad not in str(_lines(tmp_path)[-2])
        expected = store.dump()
        replayed, _, _ = compactor.load(tmp_path)         # what a killed server's folder holds
        assert replayed["things"] == expected["things"]
        assert replayed["things"]["T2"]["pad"] == pad
        store._storage.journal.compact()                  # the fold child, from the files
        folded = json.loads((tmp_path / compactor.STATE_FILE).read_text(encoding="utf-8"))
        assert folded["things"] == expected["things"]
    finally:
        store.close()
    with reopened(tmp_path) as again:
        assert again.dump() == expected
