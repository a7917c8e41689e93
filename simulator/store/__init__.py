"""The store: the only place that knows TinyDB.

Every record is a plain dict keyed by its SID (the TinyDB document id), in a
table declared with the field that owns it (usually ``account_sid``). One
re-entrant lock serialises access, so the threaded server is safe; callers get
deep copies, never live documents.
"""
from __future__ import annotations

import copy
import itertools
import threading
from typing import Any, Callable, Iterable

from tinydb.table import Document

from ..errors import TwilioError
from .journal import FolderInUse, Journal
from .tinystore import IndexedTable, JournalStorage, SimTinyDB

Predicate = Callable[[dict], bool]
__all__ = ["Store", "FolderInUse", "UndeclaredTable"]


class UndeclaredTable(LookupError):
    """A table name nobody declared (tables.py declares the simulator's)."""


def _not_found(table: str, sid: str) -> TwilioError:
    """20404; a door answering a request names the request's path instead."""
    return TwilioError.not_found()


class Store:
    def __init__(self, data_dir: str | None = None, compact_every: int = 20_000):
        self.lock = threading.RLock()
        journal = Journal(data_dir, self.lock, compact_every=compact_every) if data_dir else None
        self._storage = JournalStorage(journal)
        if journal:
            journal.source = self._storage.read
        self._db = SimTinyDB(storage=lambda: self._storage)
        self._owners: dict[str, str | None] = {}

    # -- tables ----------------------------------------------------------------
    def define(self, table: str, owner: str | None = "account_sid"):
        """Declare a table and the field its per-owner index follows."""
        self._owners[table] = owner

    def _table(self, name: str) -> IndexedTable:
        try:
            owner = self._owners[name]
        except KeyError:  # a typo must not quietly make a new, empty table
            raise UndeclaredTable(f"table {name!r} was never declared with Store.define() "
                                  f"(declared: {', '.join(sorted(self._owners))})") from None
        return self._db.table(name, owner_field=owner)

    def is_empty(self) -> bool:
        with self.lock:
            return not any(self._storage.read().values())

    # -- single records ------------------------------------------------------------
    def get(self, table: str, sid: str) -> dict | None:
        with self.lock:
            doc = self._table(table).get(doc_id=sid)
            return copy.deepcopy(dict(doc)) if doc is not None else None

    def require(self, table: str, sid: str, error: TwilioError | None = None) -> dict:
        doc = self.get(table, sid)
        if doc is None:
            raise error or _not_found(table, sid)
        return doc

    def insert(self, table: str, doc: dict) -> dict:
        with self.lock:
            self._table(table).insert(Document(copy.deepcopy(doc), doc_id=doc["sid"]))
        return copy.deepcopy(doc)

    def update(self, table: str, sid: str, fields: dict) -> dict:
        with self.lock:
            t = self._table(table)
            if t.get(doc_id=sid) is None:  # (TinyDB < 4.9 raises KeyError on a missing id)
                raise _not_found(table, sid)
            t.update(copy.deepcopy(fields), doc_ids=[sid])
            return copy.deepcopy(dict(t.get(doc_id=sid)))

    def delete(self, table: str, sid: str) -> bool:
        with self.lock:
            t = self._table(table)
            if t.get(doc_id=sid) is None:
                return False
            t.remove(doc_ids=[sid])
            return True

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
            raw = t._read_table()
            docs: Iterable[dict] = (raw[k] for k in keys)
            if where is not None:
                docs = (d for d in docs if where(d))
            if skip and not resumed:  # skip counts the records the filter keeps
                docs = itertools.islice(docs, skip, None)
            if limit is not None:
                docs = itertools.islice(docs, limit)
            return [copy.deepcopy(d) for d in docs]

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
            return [copy.deepcopy(d) for d in self._table(table)._read_table().values() if where(d)]

    def count(self, table: str, owner: Any) -> int:
        with self.lock:
            return len(self._table(table).by_owner.get(owner, {}))

    # -- whole state -------------------------------------------------------------------
    def dump(self) -> dict:
        with self.lock:
            return copy.deepcopy(self._storage.read())

    def load(self, data: dict):
        with self.lock:
            self._storage.write(copy.deepcopy(data))
            for t in self._db._tables.values():
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
