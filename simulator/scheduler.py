"""Time-driven steps on the simulator clock (message and call status, reviews).

A step is a ``timers`` record ``{kind, target, due, seq, data}``, persisted with the
rest of the state. ``run_due()`` runs every step whose time has come, in due order
(steps a handler schedules that are already due run in the same pass). It runs when
the clock is advanced, before each request, and, when served over a socket with the
clock in real time, from a background ticker that wakes as steps come due. Once the ticker
runs, a request leaves the steps to it (it runs one bounded slice only when the ticker has
fallen behind), and a read of one resource runs that resource's due steps first
(``catch_up``), so it still sees what the clock says. The domain registers a handler per kind
with ``@handler``; a handler is called as ``fn(simulator, timer)``.

Each Simulator has one ``Scheduler``; it mirrors the pending steps in an in-memory
heap, so the check made before every request costs the same with no step pending
as with 100,000.
"""
from __future__ import annotations

import functools
import heapq
import itertools
import logging
import threading
import time
import traceback
import weakref
from datetime import timedelta

from .dates import iso, parse_iso
from .store import clone

HANDLERS: dict = {}
TICK_SECONDS = 0.5      # the ticker looks at least this often
TICK_LATE = 0.002       # and wakes this long after the next step is due
SLICE = 16               # steps a request's pass runs (one store unit)
TICKER_SLICE = 64        # steps the ticker runs per store unit (and hold of the store lock)
CATCH_UP_WAIT = 0.05     # how long a read waits for another thread running its target's steps
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


@functools.lru_cache(maxsize=4096)
def _due(start, seconds: float) -> str:
    """When a step ``seconds`` after ``start`` (a datetime, or a stored timestamp) is due.
    (Cached: the steps of a busy second share their start and delays.)"""
    if isinstance(start, str):
        start = parse_iso(start)
    return iso(start + timedelta(seconds=seconds))


# the head of the heap, parsed: every request looks at it while steps are due
_parsed_due = functools.lru_cache(maxsize=256)(parse_iso)


def handler(kind: str):
    def register(fn):
        HANDLERS[kind] = fn
        return fn
    return register


class Scheduler:
    """The pending steps, in a heap mirroring the ``timers`` table, and the passes that run
    them.

    Steps run in slices (``TICKER_SLICE`` steps for the ticker, ``SLICE`` for a request), each
    slice one store unit (``Store.atomic``) run under one hold of the store lock: taking the
    timers, the changes and the steps they schedule are journaled together, or not at all (then
    they are put back and tried again by a later pass). Taking the lock step by step instead,
    the ticker starved under load: each wait for the contended lock is followed by a wait for
    its turn at the interpreter. A step delivering a webhook lets go of the lock while the
    receiver answers (``Store.released``). Several threads may run slices at once (the ticker,
    a request helping when it falls behind, a read catching up): each step is claimed by taking
    its timer, and a target (a message, a call...) has one runner at a time, so its steps run
    one after the other, in order."""

    def __init__(self, simulator):
        self.sim = simulator
        self._heap_lock = threading.Lock()
        self._running = threading.Condition(self._heap_lock)   # a target's step has ended
        self._heap: list[tuple[str, int, str, str]] = []  # (due, seq, timer sid, target)
        self._busy: dict[str, int] = {}   # targets whose steps a thread is running
        self._seq = itertools.count()
        self._local = threading.local()
        self._ticker = False
        self._ticker_thread: threading.Thread | None = None
        self._helper = threading.Lock()   # held by the request helping a late ticker
        self.stopped = False   # the simulator closed: the ticker ends
        self.errors = ErrorLog()
        simulator.clock.on_advance(lambda now: self.run_due())

    def rebuild(self):
        """Mirror the stored steps (after start, reset or a restored snapshot)."""
        timers = self.sim.store.find("timers", lambda t: True)
        with self._heap_lock:
            self._heap = [(t["due"], t["seq"], t["sid"], t["target"]) for t in timers]
            heapq.heapify(self._heap)
            self._seq = itertools.count(max((t["seq"] for t in timers), default=-1) + 1)

    def schedule(self, kind: str, target: str, seconds: float, data: dict | None = None, *,
                 base: str | None = None) -> None:
        """Run ``kind``'s handler on ``target`` ``seconds`` after ``base`` (a stored
        timestamp; default now)."""
        due = _due(base or self.sim.clock.now(), seconds)
        with self._heap_lock:
            seq = next(self._seq)
        sid = self.sim.ids.sid("TM")
        self.sim.store.insert("timers", {
            "sid": sid, "kind": kind, "target": target,
            "due": due, "seq": seq, "data": clone(data) if data else {}}, adopt=True,
            returning=False)
        self._push((due, seq, sid, target))

    def _push(self, entry: tuple):
        with self._heap_lock:
            heapq.heappush(self._heap, entry)

    def cancel(self, target: str, kind: str | None = None):
        # the heap entry stays; a pass skips a step whose record is gone
        store = self.sim.store
        for t in store.owned("timers", target, where=lambda t: kind is None or t["kind"] == kind):
            store.delete("timers", t["sid"])

    # -- claiming -------------------------------------------------------------------------
    def _claim(self, now: str) -> tuple | None:
        """The next due entry whose target no other thread is running (that target is then
        this thread's until ``_release``), or None."""
        skipped = []
        try:
            with self._heap_lock:
                heap, busy = self._heap, self._busy
                while heap and heap[0][0] <= now and len(skipped) < SLICE:
                    entry = heapq.heappop(heap)
                    if entry[3] in busy:
                        skipped.append(entry)   # another thread runs that target: later
                        continue
                    busy[entry[3]] = 1
                    return entry
                return None
        finally:
            if skipped:
                with self._heap_lock:
                    for entry in skipped:
                        heapq.heappush(self._heap, entry)

    def _release(self, target: str):
        with self._running:
            self._busy.pop(target, None)
            self._running.notify_all()

    def _run_step(self, sid: str) -> bool:
        """Take one step's timer and run its handler (in the caller's store unit). False: it
        was cancelled, or run by someone else."""
        t = self.sim.store.take("timers", sid)
        if t is None:
            return False
        kind = t["kind"]
        fn = HANDLERS.get(kind)
        if fn is not None:
            try:
                fn(self.sim, t)
            except Exception as e:  # a step must never break the simulator
                self.errors.error(("step", kind, *_kind(e)), "time-driven step %s failed", kind)
        return True

    def _run_slice(self, now: str, most: int) -> tuple[int, list]:
        """Claim and run up to ``most`` due steps, one at a time (a step its predecessor
        scheduled already due keeps its place), as one store unit: one journal line. If the
        journal does not take it, every change is undone (the timers are back) and ran is -1.
        Returns (ran, the entries claimed)."""
        ran, claimed = 0, []
        try:
            # One acquisition of the store lock for the slice, not three or four a step: under
            # load the lock is contended, and a thread that waits for it waits for its turn at
            # the interpreter after, so a pass taking it step by step fell ever further behind.
            # (A webhook a step delivers waits for its receiver without it: store.released.)
            with self.sim.store.lock, self.sim.store.atomic():
                while len(claimed) < most:
                    entry = self._claim(now)
                    if entry is None:
                        break
                    claimed.append(entry)
                    try:
                        ran += self._run_step(entry[2])
                    finally:
                        self._release(entry[3])
        except OSError as e:
            self.errors.error(("step-journal", *_kind(e)), "time-driven steps not journaled "
                              "(undone; they will be tried again)")
            return -1, claimed
        return ran, claimed

    # -- passes ---------------------------------------------------------------------------
    def run_due(self, limit: int = 100_000, *, blocking: bool = True) -> int:
        """Run due steps in due order; returns how many ran. Never re-entered from a handler.

        Steps that handlers schedule already due run in the same pass. ``blocking`` is what an
        advance of the clock, the ticker and the domain ask for: every due step.

        Not blocking (the pass made before each request): once a ticker runs the steps (served
        over a socket), a request leaves them to it, unless it has fallen behind: then one
        request at a time runs one slice. Without a ticker (in process, or a frozen clock), the
        request runs every due step first.
        """
        if self._idle_now() or getattr(self._local, "running", False):
            return 0
        ticker = threading.current_thread() is self._ticker_thread
        if not blocking and self._ticker and not self.sim.clock.frozen:
            # one request at a time helps: several would contend for the store and the
            # interpreter, each costing more than the steps it runs
            if not self._behind() or not self._helper.acquire(blocking=False):
                return 0
            try:
                return self._pass(min(limit, SLICE), SLICE)
            finally:
                self._helper.release()
        return self._pass(limit, TICKER_SLICE if ticker else SLICE)

    def _pass(self, limit: int, slice_size: int) -> int:
        ran = 0
        retry = []   # slices the journal did not take: back in the heap after this pass
        self._local.running = True
        try:
            while ran < limit:
                most = min(slice_size, limit - ran)
                done, claimed = self._run_slice(self._now(), most)
                if done < 0:
                    retry += claimed
                    break
                ran += done
                if len(claimed) < most or self._idle_now():
                    break
        finally:
            self._local.running = False
            for entry in retry:
                self._push(entry)
        return ran

    def catch_up(self, target: str) -> int:
        """Run the due steps of one target (a message, a call...), so that a request reading
        it sees what the clock says, whatever the passes have got to. If another thread is
        running that target's steps, wait for it (a moment at most: it may be delivering a
        webhook whose receiver is the one reading)."""
        if getattr(self._local, "running", False) or self._idle_now():
            return 0
        with self._running:
            if not self._running.wait_for(lambda: target not in self._busy, CATCH_UP_WAIT):
                return 0
            self._busy[target] = 1
        store = self.sim.store
        ran = 0
        self._local.running = True
        try:
            while True:   # (its steps may schedule steps already due)
                now = self._now()
                due = sorted((t["due"], t["seq"], t["sid"]) for t in store.owned("timers", target)
                             if t["due"] <= now)
                if not due:
                    break
                try:
                    with store.lock, store.atomic():   # one acquisition (see _run_slice)
                        for entry in due:
                            ran += self._run_step(entry[2])
                except OSError as e:   # undone; a later pass (or read) tries again
                    self.errors.error(("step-journal", *_kind(e)), "time-driven steps not "
                                      "journaled (undone; they will be tried again)")
                    break
        finally:
            self._local.running = False
            self._release(target)
        return ran

    def _now(self) -> str:
        """The clock's time as steps are due (the store's ISO 8601)."""
        return self.sim.now()

    def _idle_now(self) -> bool:
        """Nothing is due (a cheap look at the heap's head: every request makes it)."""
        try:
            head = self._heap[0][0]
        except IndexError:
            return True
        return head > self._now()

    def _behind(self) -> bool:
        """The earliest pending step has been due for more than a tick (the ticker is late)."""
        left = self.seconds_to_next()
        return left is not None and left < -TICK_SECONDS

    def seconds_to_next(self) -> float | None:
        """Real seconds until the earliest step is due (None: none pending, or a frozen clock)."""
        try:
            due = self._heap[0][0]
        except IndexError:
            return None
        return self.sim.clock.seconds_until(_parsed_due(due))

    def start_ticker(self):
        """When served over a real socket: run due steps as real time passes."""
        if self._ticker:
            return
        self._ticker = True
        self._ticker_thread = threading.Thread(target=_tick, args=(weakref.ref(self.sim),),
                                               name="twilio-sim-ticker", daemon=True)
        self._ticker_thread.start()


def _tick(sim_ref, interval: float = TICK_SECONDS):
    """Run due steps as they come due (at most ``interval`` seconds of real time apart) while
    the simulator lives. An error is logged once per kind (``scheduler.errors``) and the
    ticker keeps ticking."""
    while True:
        simulator = sim_ref()
        if simulator is None:
            return
        wait = interval
        try:
            nxt = getattr(simulator.scheduler, "seconds_to_next", lambda: None)()
            if nxt is not None:
                wait = min(interval, max(nxt, 0) + TICK_LATE)
        except Exception:  # a look-ahead never stops the ticker
            pass
        del simulator
        time.sleep(wait)
        simulator = sim_ref()
        if simulator is None or simulator.scheduler.stopped:
            return
        try:
            if not simulator.clock.frozen:
                simulator.scheduler.run_due()
        except Exception as e:  # keep ticking
            simulator.scheduler.errors.error(("ticker", *_kind(e)), "ticker pass failed")
        del simulator


__all__ = ["handler", "Scheduler"]
