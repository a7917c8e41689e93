"""TinyDB extension points that keep a write O(1) and persist it incrementally.

TinyDB's stock ``Table`` re-keys and rewrites the whole table on every write and its
JSONStorage rewrites the whole file. Here the data stays a plain ``{table: {sid: document}}``
dict in ``JournalStorage`` (in memory, each change appended to a journal: ``journal.py``), and
``IndexedTable`` applies single-document changes to it directly, keeping a per-owner index.

A stored document is never changed in place: a write replaces it with a new dict (which may
share unchanged values with the old one), so a shallow copy of a table is a consistent
snapshot, and what was stored before a write can be put back if the write fails.
"""
from __future__ import annotations

import copy
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .journal import Journal

ABSENT = object()
_ATOMIC = frozenset((str, int, float, bool, type(None)))


def clone(value):
    """A deep copy of a JSON-like value: dicts and lists are copied, strings, numbers, booleans
    and None shared; anything else goes through ``copy.deepcopy``. Several times faster than
    ``copy.deepcopy`` on the documents the store keeps."""
    kind = type(value)
    if kind is dict:
        copied = value.copy()
        for key, item in copied.items():
            if type(item) not in _ATOMIC:
                copied[key] = clone(item)
        return copied
    if kind is list:
        atomic = _ATOMIC
        return [item if type(item) in atomic else clone(item) for item in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)


class IndexedTable(Table):
    """A TinyDB table keyed by SID with an ordered index per owner.

    ``put`` and ``restore`` change the storage's data directly (the store holds its lock and
    journals the change); TinyDB's own write path is not used."""

    document_id_class = str

    def __init__(self, storage: Storage, name: str, owner_field: str | None = None, **kw):
        super().__init__(storage, name, cache_size=0, **kw)
        self.owner_field = owner_field
        self.by_owner: dict[Any, dict[str, None]] = {}
        self.rebuild_index()

    def rebuild_index(self):
        self.by_owner = {}
        if self.owner_field:
            for doc_id, doc in self._read_table().items():
                self.by_owner.setdefault(doc.get(self.owner_field), {})[doc_id] = None

    def raw(self) -> dict:
        """The live documents (read only; empty, and not created, when the table is new)."""
        return self._storage.data.get(self.name) or {}

    def put(self, key: str, new: dict | None) -> Any:
        """Store ``new`` (None: delete) under ``key``; returns what was there (or ABSENT)."""
        raw = self._storage.table_data(self.name)
        old = raw.get(key, ABSENT)
        if new is None:
            if old is not ABSENT:
                del raw[key]
        else:
            raw[key] = new
        if self.owner_field:
            self._reindex(key, old, new, raw)
        return old

    def restore(self, key: str, old: Any):
        """Undo a ``put``: ``old`` is what it returned."""
        self.put(key, None if old is ABSENT else old)

    def _reindex(self, key: str, old: Any, new: dict | None, raw: dict):
        field = self.owner_field
        old_owner = None if old is ABSENT else old.get(field)
        new_owner = None if new is None else new.get(field)
        if old is not ABSENT and (new is None or old_owner != new_owner):
            bucket = self.by_owner.get(old_owner)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self.by_owner[old_owner]
        if new is not None and (old is ABSENT or old_owner != new_owner):
            bucket = self.by_owner.setdefault(new_owner, {})
            bucket[key] = None
            if old is not ABSENT and len(bucket) > 1:
                # A record that changed owner takes its place by creation (table) order in
                # its new owner's list, as rebuild_index() gives it after a restart. Owner
                # changes are rare, so the scan of the table is affordable.
                self.by_owner[new_owner] = {k: None for k in raw if k in bucket}


class JournalStorage(Storage):
    """In-memory TinyDB storage that journals each change when given a journal."""

    def __init__(self, journal: Journal | None = None):
        self.journal = journal
        self.data: dict[str, dict[str, dict]] = journal.load() if journal else {}

    def read(self):
        return self.data

    def write(self, data):
        # Whole-database writes (TinyDB.drop_tables, a restored snapshot) are rare:
        # they replace everything and are persisted as one full snapshot, before they apply.
        if self.journal:
            self.journal.replace(data)
        self.data = data

    def table_data(self, name: str) -> dict:
        return self.data.setdefault(name, {})

    def record(self, table: str, changes: dict[str, dict | None]):
        if self.journal:
            self.journal.append(table, changes)

    def record_unit(self, tables: dict[str, dict[str, dict | None]],
                    patches: dict[str, dict[str, dict]] | None = None):
        if self.journal:
            self.journal.append_unit(tables, patches)

    def close(self):
        if self.journal:
            self.journal.close(self.data)


class SimTinyDB(TinyDB):
    table_class = IndexedTable
