"""Time-driven steps on the simulator clock (message and call status, reviews).

A step is a ``timers`` record ``{kind, target, due, seq, data}``, persisted with the
rest of the state. ``run_due()`` runs every step whose time has come, in due order
(steps a handler schedules that are already due run in the same pass). It runs when
the clock is advanced, before each request, and, when served over a socket with the
clock in real time, from a background ticker. The domain registers a handler per kind
with ``@handler``; a handler is called as ``fn(simulator, timer)``.

Each Simulator has one ``Scheduler``; it mirrors the pending steps in an in-memory
heap, so the check made before every request costs the same with no step pending
as with 100,000.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import traceback
import weakref
from datetime import timedelta

from .dates import iso, parse_iso

HANDLERS: dict = {}
TICK_SECONDS = 0.5
log = logging.getLogger("twilio_sim")


class ErrorLog:
    """Logs an error, with its traceback, the first time its kind is seen; later errors of
    that kind are only counted (``counts``), so a failure that repeats on every pass of the
    ticker does not flood the log, and the loop goes on."""

    def __init__(self):
        self.counts: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def error(self, kind: tuple, message: str, *args) -> bool:
        """Call from an ``except`` block; True when this one was logged."""
        with self._lock:
            seen = self.counts.get(kind, 0)
            self.counts[kind] = seen + 1
        if seen:
            return False
        log.exception(message + " (logged once; later errors of this kind are counted)", *args)
        return True


def _kind(exc: BaseException) -> tuple:
    """An error's kind: its type and the line that raised it."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = (frames[-1].filename, frames[-1].lineno) if frames else ("?", 0)
    return (type(exc).__name__, *where)


def handler(kind: str):
    def register(fn):
        HANDLERS[kind] = fn
        return fn
    return register


class Scheduler:
    def __init__(self, simulator):
        self.sim = simulator
        self.lock = threading.RLock()       # one pass at a time
        self._heap_lock = threading.Lock()
        self._heap: list[tuple[str, int, str]] = []  # (due, seq, timer sid)
        self._seq = itertools.count()
        self._local = threading.local()
        self._ticker = False
        self.errors = ErrorLog()
        simulator.clock.on_advance(lambda now: self.run_due())

    def rebuild(self):
        """Mirror the stored steps (after start, reset or a restored snapshot)."""
        timers = self.sim.store.find("timers", lambda t: True)
        with self._heap_lock:
            self._heap = [(t["due"], t["seq"], t["sid"]) for t in timers]
            heapq.heapify(self._heap)
            self._seq = itertools.count(max((t["seq"] for t in timers), default=-1) + 1)

    def schedule(self, kind: str, target: str, seconds: float, data: dict | None = None, *,
                 base: str | None = None) -> dict:
        start = parse_iso(base) if base else self.sim.clock.now()
        with self._heap_lock:
            seq = next(self._seq)
        timer = self.sim.store.insert("timers", {
            "sid": self.sim.ids.sid("TM"), "kind": kind, "target": target,
            "due": iso(start + timedelta(seconds=seconds)), "seq": seq, "data": data or {}})
        with self._heap_lock:
            heapq.heappush(self._heap, (timer["due"], timer["seq"], timer["sid"]))
        return timer

    def cancel(self, target: str, kind: str | None = None):
        # the heap entry stays; run_due skips a step whose record is gone
        store = self.sim.store
        for t in store.owned("timers", target, where=lambda t: kind is None or t["kind"] == kind):
            store.delete("timers", t["sid"])

    def _pop_due(self, now: str) -> str | None:
        with self._heap_lock:
            if self._heap and self._heap[0][0] <= now:
                return heapq.heappop(self._heap)[2]
        return None

    def run_due(self, limit: int = 100_000, *, blocking: bool = True) -> int:
        """Run every due step; returns how many ran. Never re-entered from a handler.

        Not blocking (before each request), a request made while another thread runs
        the steps (e.g. a webhook handler calling back into the simulator) does not wait.
        """
        now = iso(self.sim.clock.now())
        if not self._heap or self._heap[0][0] > now or getattr(self._local, "running", False):
            return 0
        if not self.lock.acquire(blocking=blocking):
            return 0
        ran = 0
        try:
            self._local.running = True
            store = self.sim.store
            while ran < limit and (sid := self._pop_due(now)) is not None:
                t = store.get("timers", sid)
                if t is None:  # cancelled
                    continue
                store.delete("timers", sid)
                fn = HANDLERS.get(t["kind"])
                if fn is not None:
                    try:
                        fn(self.sim, t)
                    except Exception as e:  # a step must never break the simulator
                        self.errors.error(("step", t["kind"], *_kind(e)),
                                          "time-driven step %s failed", t["kind"])
                ran += 1
        finally:
            self._local.running = False
            self.lock.release()
        return ran

    def start_ticker(self):
        """When served over a real socket: run due steps as real time passes."""
        if self._ticker:
            return
        self._ticker = True
        threading.Thread(target=_tick, args=(weakref.ref(self.sim),), name="twilio-sim-ticker",
                         daemon=True).start()


def _tick(sim_ref, interval: float = TICK_SECONDS):
    """Run due steps every ``interval`` seconds of real time while the simulator lives. An
    error is logged once per kind (``scheduler.errors``) and the ticker keeps ticking."""
    while True:
        time.sleep(interval)
        simulator = sim_ref()
        if simulator is None:
            return
        try:
            if not simulator.clock.frozen:
                simulator.scheduler.run_due()
        except Exception as e:  # keep ticking
            simulator.scheduler.errors.error(("ticker", *_kind(e)), "ticker pass failed")
        del simulator


__all__ = ["handler", "Scheduler"]
