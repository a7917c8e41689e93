"""TinyDB extension points that keep a write O(1) and persist it incrementally.

TinyDB's stock ``Table._update_table`` re-keys and rewrites the whole table on
every write and its JSONStorage rewrites the whole file. ``IndexedTable`` hands
the updater the live table with copy-on-write access instead, records which
documents the write touched, keeps a per-owner index, and passes only those
changes to the storage. ``JournalStorage`` keeps the data in memory and appends
each change to a journal file (see ``journal.py``).
"""
from __future__ import annotations

import copy
from collections.abc import MutableMapping
from typing import Any, Callable, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .journal import Journal

_ABSENT = object()


class _TrackedTable(MutableMapping):
    """The live table as TinyDB's updaters see it.

    Reading a document for a write copies it first (copy-on-write), so a
    snapshot taken by the compactor never sees a document change under it.
    """

    def __init__(self, raw: dict):
        self.raw = raw
        self.before: dict[str, Any] = {}  # doc_id -> document before this write

    def _touch(self, key):
        if key not in self.before:
            self.before[key] = self.raw.get(key, _ABSENT)

    def __getitem__(self, key):
        self._touch(key)
        doc = self.raw[key]
        if doc is self.before[key]:
            doc = self.raw[key] = copy.deepcopy(doc)
        return doc

    def __setitem__(self, key, value):
        self._touch(key)
        self.raw[key] = value

    def __delitem__(self, key):
        self._touch(key)
        del self.raw[key]

    def __contains__(self, key):
        return key in self.raw

    def __iter__(self) -> Iterator:
        return iter(list(self.raw))

    def __len__(self):
        return len(self.raw)

    def clear(self):
        for key in list(self.raw):
            del self[key]


class IndexedTable(Table):
    """A TinyDB table keyed by SID with an ordered index per owner."""

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

    def _update_table(self, updater: Callable[[dict], None]):
        raw = self._storage.table_data(self.name)
        tracked = _TrackedTable(raw)
        try:
            updater(tracked)
        finally:
            changes = {key: raw.get(key) for key in tracked.before}
            if changes:
                self._reindex(tracked.before, changes, raw)
                self._storage.record(self.name, changes)

    def _reindex(self, before: dict, after: dict, raw: dict):
        if not self.owner_field:
            return
        field = self.owner_field
        moved_to = set()
        for key, old in before.items():
            new = after[key]
            old_owner = None if old is _ABSENT else old.get(field)
            new_owner = None if new is None else new.get(field)
            if old is not _ABSENT and (new is None or old_owner != new_owner):
                bucket = self.by_owner.get(old_owner)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del self.by_owner[old_owner]
            if new is not None and (old is _ABSENT or old_owner != new_owner):
                self.by_owner.setdefault(new_owner, {})[key] = None
                if old is not _ABSENT:
                    moved_to.add(new_owner)
        # A record that changed owner takes its place by creation (table) order in
        # its new owner's list, as rebuild_index() gives it after a restart. Owner
        # changes are rare, so the scan of the table is affordable.
        for owner in moved_to:
            bucket = self.by_owner[owner]
            self.by_owner[owner] = {key: None for key in raw if key in bucket}


class JournalStorage(Storage):
    """In-memory TinyDB storage that journals each change when given a journal."""

    def __init__(self, journal: Journal | None = None):
        self.journal = journal
        self.data: dict[str, dict[str, dict]] = journal.load() if journal else {}

    def read(self):
        return self.data

    def write(self, data):
        # Whole-database writes (TinyDB.drop_tables, a restored snapshot) are rare:
        # they replace everything and are persisted as one full snapshot.
        self.data = data
        if self.journal:
            self.journal.replace(data)

    def table_data(self, name: str) -> dict:
        return self.data.setdefault(name, {})

    def record(self, table: str, changes: dict[str, dict | None]):
        if self.journal:
            self.journal.append(table, changes)

    def close(self):
        if self.journal:
            self.journal.close(self.data)


class SimTinyDB(TinyDB):
    table_class = IndexedTable
