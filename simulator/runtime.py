"""The Simulator: one app's state (store, clock, ids, scheduler, request journal) and its
lifecycle. The domain is handed it as its first argument; doors find it with ``current.sim()``.
"""
from __future__ import annotations

import threading
from collections import deque

from . import tables
from .clock import Clock
from .config import Settings
from .dates import iso
from .domain import steps  # noqa: F401  (registers every time-driven step)
from .domain.fixtures import load_fixtures
from .domain.taskrouter.index import RoutingIndex
from .scheduler import Scheduler
from .sids import Generator
from .store import Store


class Simulator:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.clock = Clock()
        self._last_now: tuple = (None, "")
        if settings.freeze_clock:
            self.clock.freeze()
        self.ids = Generator(settings.seed)
        self.store = Store(settings.data_dir, compact_every=settings.compact_every)
        self.requests: deque = deque(maxlen=settings.journal_size)
        self._requests_lock = threading.Lock()
        self.served = False  # set once a request arrives through a real WSGI server
        self.webhook_apps: dict = {}  # URL prefix -> WSGI app that receives those webhooks in-process
        tables.define(self.store)
        self.scheduler = Scheduler(self)   # runs the steps of every module in domain.steps
        self.routing = RoutingIndex()   # TaskRouter's in-memory view of waiting work, from the store

    def start(self):
        """Seed an empty store from the fixtures."""
        if self.store.is_empty():
            self.seed()
        self.scheduler.rebuild()

    def now(self) -> str:
        """The current simulator time as the store keeps it (ISO 8601, UTC); formatted once
        per second the clock shows (every request asks for it several times)."""
        now = self.clock.now()
        last = self._last_now
        if last[0] == now:
            return last[1]
        stamp = iso(now)
        self._last_now = (now, stamp)
        return stamp

    def modify(self, table: str, record: dict, changes: dict) -> dict:
        """Apply an update's changes; ``date_updated`` moves only when something changed."""
        if not changes:
            return record
        return self.store.update(table, record["sid"], {**changes, "date_updated": self.now()})

    def seed(self):
        load_fixtures(self, self.settings.fixtures_path)

    def reset(self):
        """Back to the fixtures: empty store, fresh ids (same seed), cleared journal."""
        with self.store.lock:
            self.store.clear()
            self.ids.reset()
            with self._requests_lock:
                self.requests.clear()
            self.routing.clear()
            self.seed()
            self.scheduler.rebuild()

    def load_snapshot(self, tables: dict):
        """Replace the whole state (a snapshot from GET /_sim/v1/snapshot)."""
        with self.store.lock:
            self.store.load(tables)
            self.routing.clear()
            self.scheduler.rebuild()

    def record_request(self, entry: dict):
        with self._requests_lock:
            self.requests.append(entry)

    def recent_requests(self) -> list[dict]:
        with self._requests_lock:
            return list(self.requests)

    def close(self):
        self.scheduler.stopped = True   # no pass after the store closed
        self.store.close()

