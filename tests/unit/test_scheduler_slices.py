"""Time-driven steps in bounded slices: once a ticker runs them, a request runs at
most one slice of the backlog, yet a read of one message still sees every step of that message
the clock has reached; passes and reads running the same steps at once run each step once."""
from __future__ import annotations

import base64
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from simulator import create_app, scheduler
from simulator.config import Settings
from simulator.domain import calls, messages, webhooks
from simulator.webhooks.transports import register_wsgi, unregister_wsgi

T0 = datetime(2030, 1, 15, 10, tzinfo=timezone.utc)
HISTORY = ["queued", "sending", "sent", "delivered"]


@pytest.fixture
def app():
    app = create_app(Settings(seed=9, freeze_clock=True))
    app.extensions["twilio_sim"].clock.freeze(T0)
    yield app
    app.extensions["twilio_sim"].close()


def _setup(app, n):
    s = app.extensions["twilio_sim"]
    main = next(a for a in s.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    sent = [messages.send(s, main, to="+14155550199", from_="+14155550100", service_sid=None,
                          body=f"m{i}", media_urls=[])["sid"] for i in range(n)]
    token = base64.b64encode(f"{main['sid']}:{main['auth_token']}".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    return s, main, sent, headers


def _statuses(s, sids):
    return [s.store.get("messages", sid)["status"] for sid in sids]


def _in_the_past(app, n, seconds: float):
    """``n`` messages sent ``seconds`` ago on a running clock, whose steps no pass has run
    since (``Clock.real()`` drops the offset without running anything)."""
    s = app.extensions["twilio_sim"]
    s.clock.real()
    s.clock.advance(-seconds)
    setup = _setup(app, n)
    s.clock.real()
    return setup


def test_with_a_ticker_a_request_leaves_the_backlog_but_sees_its_own_message(app):
    s, main, sent, headers = _in_the_past(app, 120, 10)
    s.scheduler._ticker = True            # as when served: a ticker runs the backlog
    c = app.test_client()
    mine = sent[-1]
    r = c.get(f"/api/2010-04-01/Accounts/{main['sid']}/Messages/{mine}.json", headers=headers)
    assert r.get_json()["status"] == "delivered"   # its own steps, all three
    steps_run = sum(len(s.store.get("messages", sid)["status_history"]) - 1 for sid in sent)
    # the ticker is behind (steps due for seconds): the request helped with one slice
    assert steps_run <= scheduler.SLICE + 3
    assert _statuses(s, sent).count("queued") >= 120 - scheduler.SLICE - 1
    assert s.scheduler.run_due() > 0              # the ticker's pass does the rest
    assert set(_statuses(s, sent)) == {"delivered"}
    for sid in sent:
        assert [h["status"] for h in s.store.get("messages", sid)["status_history"]] == HISTORY


def test_with_a_ticker_on_time_a_request_runs_none_of_the_backlog(app):
    time.sleep(1.02 - time.time() % 1)   # just past a second: steps due since a moment
    s, main, sent, headers = _in_the_past(app, 20, 1.0)
    s.scheduler._ticker = True   # "sending" steps due for a moment: the ticker's business
    r = app.test_client().get(f"/api/2010-04-01/Accounts/{main['sid']}/Messages.json",
                              headers=headers)
    assert r.status_code == 200
    assert set(_statuses(s, sent)) == {"queued"}


def test_without_a_ticker_a_request_runs_everything_due_first(app):
    """In process (no ticker), as before: the pass before a request runs the whole backlog."""
    s, main, sent, headers = _setup(app, 60)
    s.clock.freeze(T0 + timedelta(seconds=10))
    r = app.test_client().get(f"/api/2010-04-01/Accounts/{main['sid']}/Messages.json",
                              headers=headers)
    assert {m["status"] for m in r.get_json()["messages"]} == {"delivered"}


def test_a_pass_and_reads_running_the_same_steps_run_each_once(app):
    s, main, sent, headers = _in_the_past(app, 300, 10)
    s.scheduler._ticker = True
    done = threading.Event()

    def ticker():
        s.scheduler.run_due()
        done.set()

    t = threading.Thread(target=ticker)
    t.start()
    seen = [messages.message_of(s, main["sid"], sid)["status"] for sid in reversed(sent)]
    t.join(60)
    assert done.is_set() and set(seen) == {"delivered"}
    for sid in sent:
        assert [h["status"] for h in s.store.get("messages", sid)["status_history"]] == HISTORY
    assert s.store.find("timers", lambda t: t["kind"] == "message.step") == []


def test_the_ticker_sleeps_until_the_next_step_is_due(app):
    s = app.extensions["twilio_sim"]
    assert s.scheduler.seconds_to_next() is None           # nothing pending
    s.scheduler.schedule("test.nothing", "X1", 30)
    assert s.scheduler.seconds_to_next() is None           # frozen: only an advance moves it
    s.clock.real()
    s.scheduler.schedule("test.nothing", "X2", 3)
    assert 1.5 <= s.scheduler.seconds_to_next() <= 3.5


def test_a_read_does_not_wait_for_a_webhook_the_pass_is_delivering(app):
    """A step delivering a webhook for a message holds that message while the receiver calls
    back to read it: the read waits a moment for its turn, not for the webhook (no deadlock),
    and a read of another message runs that message's own steps meanwhile."""
    s, main, sent, headers = _in_the_past(app, 2, 10)
    busy, other = sent
    release, entered = threading.Event(), threading.Event()

    def receiver(environ, start_response):   # an app that takes its time to answer
        entered.set()
        release.wait(30)
        start_response("204 No Content", [])
        return [b""]

    def slow(sim, timer):   # a step delivering a webhook to it
        webhooks.deliver(sim, main["sid"], "http://slow.example.com/hook",
                         {"Sid": timer["target"]})

    register_wsgi(app, "http://slow.example.com", receiver)
    scheduler.HANDLERS["test.slow"] = slow
    try:
        # due before the message's own steps: the pass is in it when the receiver reads
        s.scheduler.schedule("test.slow", busy, 0, base="2000-01-01T00:00:00Z")
        s.scheduler._ticker = True
        t = threading.Thread(target=s.scheduler.run_due)
        t.start()
        assert entered.wait(10)
        started = time.monotonic()
        seen = messages.message_of(s, main["sid"], busy)   # the receiver's read
        assert time.monotonic() - started < 5
        assert seen["status"] == "queued"   # its steps wait for the webhook; the read did not
        assert messages.message_of(s, main["sid"], other)["status"] == "delivered"
        r = app.test_client().get(f"/api/2010-04-01/Accounts/{main['sid']}/Messages.json",
                                  headers=headers)
        assert r.status_code == 200 and time.monotonic() - started < 5
        release.set()
        t.join(30)
        assert not t.is_alive()
        assert messages.message_of(s, main["sid"], busy)["status"] == "delivered"
    finally:
        release.set()
        del scheduler.HANDLERS["test.slow"]
        unregister_wsgi(app, "http://slow.example.com")


def test_one_request_at_a_time_helps_a_late_ticker(app):
    """Behind, a request runs one slice; while one is at it, the others leave the backlog to
    it (several at once contend for the store and the interpreter, and the tail grows)."""
    s, main, sent, headers = _in_the_past(app, 40, 10)
    release, entered = threading.Event(), threading.Event()

    def slow(sim, timer):
        entered.set()
        release.wait(30)

    scheduler.HANDLERS["test.slow"] = slow
    try:
        s.scheduler.schedule("test.slow", "XX" + "0" * 32, 0, base="2000-01-01T00:00:00Z")
        s.scheduler._ticker = True
        helper = threading.Thread(target=s.scheduler.run_due, kwargs={"blocking": False})
        helper.start()
        assert entered.wait(10)
        assert s.scheduler.run_due(blocking=False) == 0   # behind, but someone is helping
        assert set(_statuses(s, sent)) == {"queued"}
        release.set()
        helper.join(30)
        assert s.scheduler.run_due(blocking=False) > 0    # now this request helps
    finally:
        release.set()
        del scheduler.HANDLERS["test.slow"]


def test_the_ticker_ends_when_the_simulator_closes(tmp_path):
    """Closing the simulator ends its ticker: no pass runs against the closed store (which
    would log "the store is closed" as a failed pass)."""
    app = create_app(Settings(seed=9, data_dir=str(tmp_path)))
    s = app.extensions["twilio_sim"]
    s.scheduler.start_ticker()
    s.scheduler.schedule("test.nothing", "X1", 0.2)   # a step due while closing
    s.close()
    s.scheduler._ticker_thread.join(scheduler.TICK_SECONDS * 4)
    assert not s.scheduler._ticker_thread.is_alive()
    assert s.scheduler.errors.counts == {}


def test_with_a_ticker_a_call_fetch_sees_its_own_steps(app):
    """As for a message: a call read after its steps' due time sees them, whatever the
    ticker has got to."""
    s = app.extensions["twilio_sim"]
    s.clock.real()
    s.clock.advance(-3600)   # placed an hour ago; no pass has run since
    main = next(a for a in s.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    call = calls.new_call(s, main["sid"], to="+14155550199", from_="+14155550100", number=None,
                          url=None, method="POST", twiml=None, status_callback=None,
                          status_callback_method="POST", events=[])
    other = calls.new_call(s, main["sid"], to="+14155550198", from_="+14155550100", number=None,
                           url=None, method="POST", twiml=None, status_callback=None,
                           status_callback_method="POST", events=[])
    s.clock.real()
    s.scheduler._ticker = True   # as when served: the backlog is the ticker's
    assert calls.call_of(s, main["sid"], call["sid"])["status"] == "completed"
    assert s.store.get("calls", other["sid"])["status"] == "queued"   # not its business
