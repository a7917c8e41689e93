"""The scheduler's error handling: a failing time-driven step or ticker pass is logged once
per kind, counted, and never stops the steps or the ticker that come after it."""
from __future__ import annotations

import logging
import threading
import weakref
from datetime import datetime, timezone

import pytest

from simulator import create_app, scheduler
from simulator.config import Settings


@pytest.fixture
def s():
    app = create_app(Settings())
    simulator = app.extensions["twilio_sim"]
    simulator.clock.freeze(datetime(2030, 1, 15, 10, tzinfo=timezone.utc))
    yield simulator
    simulator.close()


@pytest.fixture
def steps():
    ran = []

    def boom(sim, timer):
        ran.append(timer["target"])
        raise RuntimeError("boom")

    def fine(sim, timer):
        ran.append(timer["target"])

    scheduler.HANDLERS["test.boom"], scheduler.HANDLERS["test.fine"] = boom, fine
    yield ran
    del scheduler.HANDLERS["test.boom"], scheduler.HANDLERS["test.fine"]


def test_a_failing_step_is_logged_once_per_kind_and_the_next_steps_run(s, steps, caplog):
    for i in range(3):
        s.scheduler.schedule("test.boom", f"b{i}", 1)
    s.scheduler.schedule("test.fine", "f", 2)
    with caplog.at_level(logging.ERROR, logger="twilio_sim"):
        s.clock.advance(5)
    assert steps == ["b0", "b1", "b2", "f"]
    logged = [r for r in caplog.records if "test.boom" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info[0] is RuntimeError
    assert sum(n for kind, n in s.scheduler.errors.counts.items() if "test.boom" in kind) == 3


class _FailingScheduler:
    """A scheduler whose first passes fail (the disk is full), then work."""

    def __init__(self, fail_times: int):
        self.errors = scheduler.ErrorLog()
        self.passes = 0
        self.fail_times = fail_times
        self.recovered = threading.Event()
        self.stopped = False

    def run_due(self):
        self.passes += 1
        if self.passes <= self.fail_times:
            raise OSError("disk full")
        self.recovered.set()
        return 0


class _FakeSimulator:
    """What the ticker touches: a running clock and the scheduler."""

    def __init__(self, sched):
        self.clock = type("Clock", (), {"frozen": False})()
        self.scheduler = sched


def test_the_ticker_logs_an_error_once_and_keeps_ticking(caplog):
    sched = _FailingScheduler(fail_times=5)
    fake = _FakeSimulator(sched)
    with caplog.at_level(logging.ERROR, logger="twilio_sim"):
        ticker = threading.Thread(target=scheduler._tick, args=(weakref.ref(fake), 0.001),
                                  daemon=True)
        ticker.start()
        assert sched.recovered.wait(10), "the ticker stopped after an error"
        del fake  # the simulator is gone: the ticker ends
        ticker.join(10)
    assert not ticker.is_alive() and sched.passes >= 6
    assert list(sched.errors.counts.values()) == [5]
    logged = [r for r in caplog.records if "ticker pass failed" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info[0] is OSError
