"""The store: the only place that knows TinyDB.

Every record is a plain dict keyed by its SID (the TinyDB document id), in a
table declared with the field that owns it (usually ``account_sid``). One
re-entrant lock serialises writes and index walks, so the threaded server is safe;
a stored document is never changed in place (a write replaces it), so single reads
take no lock and copies are made outside it. Callers get deep copies, never live
documents. A write the journal refuses is not applied (``atomic`` groups writes).
"""
from __future__ import annotations

import contextlib
import itertools
import threading
from typing import Any, Callable, Iterable

from ..errors import TwilioError
from .journal import FolderInUse, Journal
from .tinystore import IndexedTable, JournalStorage, SimTinyDB, clone

Predicate = Callable[[dict], bool]
__all__ = ["Store", "FolderInUse", "UndeclaredTable", "clone"]


class UndeclaredTable(LookupError):
    """A table name nobody declared (tables.py declares the simulator's)."""


def _not_found(table: str, sid: str) -> TwilioError:
    """20404; a door answering a request names the request's path instead."""
    return TwilioError.not_found()


WHOLE = None   # a unit's key written whole (inserted, replaced or deleted), not only patched


class _Unit:
    """The writes of one ``Store.atomic()`` block: what to undo, and what to journal: per
    table and key, ``WHOLE`` or the names of the fields its updates changed."""

    def __init__(self):
        self.undo: list[tuple[IndexedTable, str, Any]] = []
        self.touched: dict[str, dict[str, set[str] | None]] = {}


class _Atomic:
    __slots__ = ("store", "unit")

    def __init__(self, store: "Store"):
        self.store = store
        self.unit = None

    def __enter__(self):
        local = self.store._local
        if getattr(local, "unit", None) is None:
            self.unit = local.unit = _Unit()
        return self

    def __exit__(self, *exc):
        unit = self.unit
        if unit is not None:
            self.store._local.unit = None
            if unit.undo:
                self.store._commit(unit)
        return False


class Store:
    def __init__(self, data_dir: str | None = None, compact_every: int = 20_000):
        self.lock = threading.RLock()
        journal = Journal(data_dir, self.lock, compact_every=compact_every) if data_dir else None
        self._storage = JournalStorage(journal)
        if journal:
            journal.source = self._storage.read
        self._db = SimTinyDB(storage=lambda: self._storage)
        self._owners: dict[str, str | None] = {}
        self._tables: dict[str, IndexedTable] = {}
        self._local = threading.local()

    # -- tables ----------------------------------------------------------------
    def define(self, table: str, owner: str | None = "account_sid"):
        """Declare a table and the field its per-owner index follows."""
        self._owners[table] = owner
        self._tables.pop(table, None)

    def _table(self, name: str) -> IndexedTable:
        try:
            return self._tables[name]
        except KeyError:
            pass
        try:
            owner = self._owners[name]
        except KeyError:  # a typo must not quietly make a new, empty table
            raise UndeclaredTable(f"table {name!r} was never declared with Store.define() "
                                  f"(declared: {', '.join(sorted(self._owners))})") from None
        with self.lock:   # one table object (and owner index) per name, whoever asks first
            t = self._tables.get(name)
            if t is None:
                t = self._tables[name] = self._db.table(name, owner_field=owner)
            return t

    def size(self) -> int:
        """How many records the store holds, all tables together."""
        with self.lock:
            return sum(len(docs) for docs in self._storage.read().values())

    def is_empty(self) -> bool:
        with self.lock:
            return not any(self._storage.read().values())

    # -- writing -------------------------------------------------------------------
    def _write(self, t: IndexedTable, key: str, new: dict | None,
               fields: dict | None = None):
        """One change (the caller holds the lock): ``new`` replaces the record (None deletes
        it); ``fields``, when given, are all that changed, and only they are journaled. Outside
        a unit it is journaled first and applied only once the journal took it; in a unit it
        applies now and is journaled with the unit (or undone with it)."""
        unit = getattr(self._local, "unit", None)
        if unit is None:
            if fields is None:
                self._storage.record(t.name, {key: new})
            else:
                self._storage.record_unit({}, {t.name: {key: fields}})
            t.put(key, new)
            return
        unit.undo.append((t, key, t.put(key, new)))
        touched = unit.touched.setdefault(t.name, {})
        if fields is None:
            touched[key] = WHOLE
        elif key not in touched:
            touched[key] = set(fields)
        elif touched[key] is not WHOLE:
            touched[key].update(fields)

    def atomic(self) -> "_Atomic":
        """Journal the writes made in this block (by this thread) as one line, when it ends:
        replayed together or not at all after a crash. They apply in memory as they are made
        (the block reads its own writes); if the journal does not take them (disk full),
        every one is undone and the OSError raised, so what clients see is what survives.
        An exception from the block itself keeps the writes made so far, as without a block.
        Nested blocks join the outermost one. (Another thread may see the writes before the
        block ends; were they undone, it would have seen what then never happened.)"""
        return _Atomic(self)

    @contextlib.contextmanager
    def released(self):
        """Let go of the store lock, at every level this thread holds it, for the block (and
        take it back after): for waiting on the network, say a webhook's receiver, which may
        call back into the simulator from another thread. What the holder changed so far is
        visible meanwhile, as it is to any reader. (A Condition's wait does the same with the
        same two methods of the lock.)"""
        lock = self.lock
        if not lock._is_owned():
            yield
            return
        state = lock._release_save()
        try:
            yield
        finally:
            lock._acquire_restore(state)

    def in_unit(self) -> bool:
        return getattr(self._local, "unit", None) is not None

    def _commit(self, unit: _Unit):
        with self.lock:
            whole: dict[str, dict] = {}
            patches: dict[str, dict] = {}
            for name, keys in unit.touched.items():
                raw = self._table(name).raw()
                for key, fields in keys.items():
                    doc = raw.get(key)
                    if fields is WHOLE or doc is None:
                        whole.setdefault(name, {})[key] = doc
                    else:
                        patches.setdefault(name, {})[key] = {f: doc[f] for f in fields}
            try:
                self._storage.record_unit(whole, patches)
            except BaseException:
                for t, key, old in reversed(unit.undo):
                    t.restore(key, old)
                raise

    # -- single records ------------------------------------------------------------
    def get(self, table: str, sid: str) -> dict | None:
        # No lock: a stored document is never changed in place (a write replaces it), and a
        # dict look-up is atomic, so this reads the document before or after any write.
        doc = self._table(table).raw().get(sid)
        return clone(doc) if doc is not None else None

    def peek(self, table: str, sid: str) -> dict | None:
        """The stored document itself, not a copy (None when absent): for a caller that only
        reads it, on a hot path. Never change what it returns (nor anything inside it); a write
        replaces the stored document, so what was peeked stays as it was."""
        return self._table(table).raw().get(sid)

    def require(self, table: str, sid: str, error: TwilioError | None = None) -> dict:
        doc = self.get(table, sid)
        if doc is None:
            raise error or _not_found(table, sid)
        return doc

    def insert(self, table: str, doc: dict, *, adopt: bool = False,
               returning: bool = True) -> dict | None:
        """Store a copy of ``doc`` (``adopt``: ``doc`` itself, which the caller then leaves
        alone) and return another copy (None when not ``returning``)."""
        new = doc if adopt else clone(doc)
        sid = new["sid"]
        with self.lock:
            t = self._table(table)
            if sid in t.raw():
                raise ValueError(f"Document with ID {sid} already exists")
            self._write(t, sid, new)
        return clone(doc) if returning else None

    def update(self, table: str, sid: str, fields: dict, *, adopt: bool = False,
               returning: bool = True) -> dict | None:
        """Merge ``fields`` into a record (copies of them; ``adopt``: the values themselves,
        which the caller then leaves alone) and return a copy of the result (None when not
        ``returning``)."""
        if not adopt:
            fields = clone(fields)
        with self.lock:
            t = self._table(table)
            old = t.raw().get(sid)
            if old is None:
                raise _not_found(table, sid)
            new = {**old, **fields}
            self._write(t, sid, new, fields)
        return clone(new) if returning else None   # (copied outside the lock: see get)

    def delete(self, table: str, sid: str) -> bool:
        with self.lock:
            t = self._table(table)
            if sid not in t.raw():
                return False
            self._write(t, sid, None)
            return True

    def take(self, table: str, sid: str) -> dict | None:
        """Delete a record and return it (None when it is not there): of several threads
        taking the same record, one gets it. What is returned is no longer stored, so it is
        not copied; treat it as read-only (a failed unit may put it back)."""
        with self.lock:
            t = self._table(table)
            doc = t.raw().get(sid)
            if doc is None:
                return None
            self._write(t, sid, None)
            return doc

    # -- many records --------------------------------------------------------------
    def owned(self, table: str, owner: Any, *, newest_first: bool = False,
              where: Predicate | None = None, after: str | None = None,
              skip: int = 0, limit: int | None = None) -> list[dict]:
        """Records of one owner in insertion order (or reversed), without scanning
        other owners' records. ``after`` resumes just past that SID (a page
        token); ``skip`` (records kept by ``where``) is used when the token's record
        is gone or no longer this owner's."""
        with self.lock:
            t = self._table(table)
            bucket = t.by_owner.get(owner, {})
            keys: Iterable[str] = reversed(bucket) if newest_first else iter(bucket)
            # the token marks a position only while its record is in this owner's list
            resumed = after is not None and after in bucket
            if resumed:
                keys = self._resume(bucket, keys, after, None if where else skip, newest_first)
            raw = t.raw()
            docs: Iterable[dict] = (raw[k] for k in keys)
            if where is not None:
                docs = (d for d in docs if where(d))
            if skip and not resumed:  # skip counts the records the filter keeps
                docs = itertools.islice(docs, skip, None)
            if limit is not None:
                docs = itertools.islice(docs, limit)
            found = list(docs)
        return [clone(d) for d in found]   # copied outside the lock (see get)

    def pager(self, table: str, owner: Any, *, where: Predicate | None = None,
              newest_first: bool = False):
        """The ``fetch(after, skip, limit)`` the list envelopes of ``wire`` page with."""
        def fetch(after, skip, limit):
            return self.owned(table, owner, where=where, newest_first=newest_first,
                              after=after, skip=skip, limit=limit)
        return fetch

    @staticmethod
    def _resume(bucket, keys, after: str, position: int | None, newest_first: bool):
        """The keys just past ``after``. A token from page N of an unfiltered list
        sits at position N*size-1, so look there first instead of walking the list."""
        if position:
            hinted = itertools.islice(keys, position - 1, None)
            if next(hinted, None) == after:
                return hinted
            keys = reversed(bucket) if newest_first else iter(bucket)
        keys = itertools.dropwhile(lambda k: k != after, keys)
        next(keys, None)
        return keys

    def find(self, table: str, where: Predicate) -> list[dict]:
        """Scan a whole table: for rare look-ups that have no owner (e.g. by email)."""
        with self.lock:
            docs = list(self._table(table).raw().values())
        return [clone(d) for d in docs if where(d)]   # outside the lock (see get)

    def count(self, table: str, owner: Any) -> int:
        return len(self._table(table).by_owner.get(owner, {}))

    # -- whole state -------------------------------------------------------------------
    def dump(self) -> dict:
        with self.lock:   # a consistent shallow snapshot; its documents are never changed
            snapshot = {name: dict(docs) for name, docs in self._storage.read().items()}
        return clone(snapshot)

    def load(self, data: dict):
        with self.lock:
            self._storage.write(clone(data))
            for t in self._tables.values():
                t.rebuild_index()

    def clear(self):
        self.load({})

    def settle(self, timeout: float | None = None) -> bool:
        """Wait for the journal's background compaction, if one is due or running (see
        ``Journal.settle``); an in-memory store is always settled."""
        journal = self._storage.journal
        return journal.settle(timeout) if journal else True

    def close(self):
        self._storage.close()
