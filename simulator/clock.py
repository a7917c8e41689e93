"""The simulator clock: every timestamp the simulator writes comes from here.

Real time by default (optionally shifted by ``advance``); frozen on request,
after which only ``advance`` moves it. Time-driven behaviour (message status,
reservation timeouts, verification reviews) reads this clock.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)
        self._listeners = []

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return _utcnow() + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: datetime | None = None) -> datetime:
        with self._lock:
            if at is not None and at.tzinfo is None:
                at = at.replace(tzinfo=timezone.utc)
            self._frozen_at = (at or (_utcnow() + self._offset)).replace(microsecond=0)
            return self._frozen_at

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)
        now = self.now()
        for listener in list(self._listeners):
            listener(now)
        return now

    def real(self) -> datetime:
        """Back to real time (drops any offset)."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)
        return self.now()

    def seconds_until(self, moment: datetime) -> float | None:
        """Real seconds until ``now()`` reaches ``moment`` (None while frozen: only an
        advance moves the clock)."""
        with self._lock:
            if self._frozen_at is not None:
                return None
            return (moment - (datetime.now(timezone.utc) + self._offset)).total_seconds()

    def on_advance(self, listener):
        """Called with the new time after each advance (for time-driven behaviour)."""
        self._listeners.append(listener)

    def state(self) -> dict:
        return {"now": self.now().isoformat().replace("+00:00", "Z"),
                "mode": "frozen" if self.frozen else "real",
                "offset_seconds": self._offset.total_seconds()}
