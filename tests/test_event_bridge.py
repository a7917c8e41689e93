"""The TaskRouter event bridge, spoken the way the ``twilio-taskrouter`` SDK (2.x) speaks it,
from Python: a websocket per Worker (``?token=<JWT>&closeExistingSessions=...``) whose frames
are ``{"event_type", "payload"}``, and a REST endpoint taking a JSON string
``{url, method, params, token}`` with a form content type (as axios sends it).

Expectations come from the SDK's source (``lib/signaling/EventBridgeSignaling.js``,
``lib/util/Request.js``, ``lib/descriptors/*.js``, ``lib/handlers/TaskRouterEventHandler.js``,
version 2.1.1), Twilio's Access Token format and TaskRouter's documented behaviour; the test
tests/test_taskrouter_js.py runs the real SDK.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
import requests
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import TaskRouterGrant
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from simulator import create_app
from simulator.bridge import websocket
from simulator.config import Settings
from simulator.server import Server
from simulator.testing import SimulatorHandle

# the properties each of the SDK's descriptors requires (lib/Worker.js, Activity.js,
# Channel.js, Reservation.js, Task.js: ...Properties)
WORKER_PROPERTIES = {"account_sid", "activity_name", "activity_sid", "attributes", "available",
                     "date_created", "date_status_changed", "date_updated", "friendly_name",
                     "sid", "workspace_sid", "version"}
ACTIVITY_PROPERTIES = {"account_sid", "available", "date_created", "date_updated",
                       "friendly_name", "sid", "workspace_sid"}
CHANNEL_PROPERTIES = {"account_sid", "assigned_tasks", "available",
                      "available_capacity_percentage", "configured_capacity", "date_created",
                      "date_updated", "last_reserved_time", "sid", "task_channel_sid",
                      "task_channel_unique_name", "worker_sid", "workspace_sid"}
RESERVATION_PROPERTIES = {"account_sid", "date_created", "date_updated", "reservation_status",
                          "sid", "task", "reservation_timeout", "worker_sid", "workspace_sid",
                          "version"}
TASK_PROPERTIES = {"addons", "age", "attributes", "date_created", "date_updated", "priority",
                   "queue_name", "queue_sid", "reason", "routing_target", "sid",
                   "assignment_status", "task_channel_unique_name", "task_channel_sid",
                   "timeout", "workflow_name", "workflow_sid", "version", "virtual_start_time"}
FRAME_TIMEOUT = 10.0


@pytest.fixture(scope="module")
def served():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    yield server
    server.stop()
    app.extensions["twilio_sim"].close()


@pytest.fixture
def sim(served):
    handle = SimulatorHandle(served.base_url)
    handle.reset()
    handle.real_time()
    return handle


class Contact:
    """A FIFO workspace with workers, and the account's standard API key."""

    def __init__(self, sim: SimulatorHandle, n_workers: int = 2):
        self.sim = sim
        self.client = sim.client()
        main = sim.main
        self.account_sid = main["sid"]
        self.key_sid, self.key_secret = main["keys"][0]["sid"], main["keys"][0]["secret"]
        tr = self.client.taskrouter.v1
        self.ws = tr.workspaces.create(friendly_name="Support", template="FIFO")
        self.tr = tr.workspaces(self.ws.sid)
        acts = {a.friendly_name: a.sid for a in self.tr.activities.list()}
        self.available, self.offline = acts["Available"], acts["Offline"]
        self.workers = [self.tr.workers.create(friendly_name=f"agent{i}").sid
                        for i in range(n_workers)]
        health = sim.control("GET", "health")["event_bridge"]
        self.eb_server, self.ws_server = health["eb_server"], health["ws_server"]

    def token(self, worker_sid: str, *, ttl: int = 3600, secret: str | None = None,
              workspace_sid: str | None = None, role: str = "worker") -> str:
        token = AccessToken(self.account_sid, self.key_sid, secret or self.key_secret,
                            identity=worker_sid, ttl=ttl)
        token.add_grant(TaskRouterGrant(workspace_sid=workspace_sid or self.ws.sid,
                                        worker_sid=worker_sid, role=role))
        return token.to_jwt()

    def open(self, worker_sid: str, token: str | None = None, **query):
        params = {"closeExistingSessions": "false", "clientVersion": "2.1.1", **query}
        query = urlencode({"token": self.token(worker_sid) if token is None else token,
                           **params})
        # entered as a context manager (websockets 17 warns about a bare connect())
        return Socket(connect(f"{self.ws_server}?{query}", open_timeout=10).__enter__())

    def rest(self, token: str, url: str, method: str = "GET", params: dict | None = None,
             api_version: str = "v1", if_match: str | None = None):
        """A call as lib/util/Request.js makes it: a JSON string, with a form content type."""
        body = json.dumps({"url": url, "method": method, "params": params or {},
                           "token": token})
        headers = {"apiVersion": api_version, "clientVersion": "2.1.1",
                   "Content-Type": "application/x-www-form-urlencoded"}
        if if_match:
            headers["If-Match"] = if_match
        return requests.post(self.eb_server, data=body, headers=headers, timeout=30)

    def call(self, worker_sid: str, url: str, method: str = "GET", params: dict | None = None,
             **kwargs):
        r = self.rest(self.token(worker_sid), f"Workspaces/{self.ws.sid}/{url}", method,
                      params, **kwargs)
        assert r.status_code == 200, r.text
        return r.json()["payload"]


class Socket:
    """A Worker's websocket: frames decoded, heartbeats (empty frames) counted apart."""

    def __init__(self, ws):
        self.ws = ws
        self.seen: list[dict] = []
        self.unclaimed: list[dict] = []
        self.heartbeats = 0

    def next(self, timeout: float = FRAME_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            text = self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
            if not text.strip():
                self.heartbeats += 1
                continue
            frame = json.loads(text)
            self.seen.append(frame)
            return frame

    def until(self, event_type: str, timeout: float = FRAME_TIMEOUT, **match) -> dict:
        """The payload of the first frame of ``event_type`` (with ``match`` in its payload)
        not claimed yet, waiting for it if need be; frames passed over stay unclaimed, so
        events of one change can be claimed in any order."""
        def wanted(frame):
            payload = frame["payload"] or {}
            return frame["event_type"] == event_type and all(payload.get(k) == v
                                                             for k, v in match.items())
        for frame in self.unclaimed:
            if wanted(frame):
                self.unclaimed.remove(frame)
                return frame["payload"] or {}
        deadline = time.monotonic() + timeout
        while True:
            try:
                frame = self.next(max(deadline - time.monotonic(), 0.01))
            except TimeoutError:
                raise AssertionError(f"no {event_type} {match or ''} in time; got "
                                     f"{[f['event_type'] for f in self.seen]}") from None
            if wanted(frame):
                return frame["payload"] or {}
            self.unclaimed.append(frame)

    def quiet(self, seconds: float = 0.5) -> list[str]:
        """The event types that arrive within ``seconds``."""
        got = []
        deadline = time.monotonic() + seconds
        while True:
            try:
                got.append(self.next(max(deadline - time.monotonic(), 0.01))["event_type"])
            except TimeoutError:
                return got

    def close(self):
        self.ws.close()


@pytest.fixture
def contact(sim):
    return Contact(sim)


def _refused(contact, token) -> tuple[int, dict]:
    with pytest.raises(InvalidStatus) as caught:
        contact.open("WK" + "0" * 32, token=token)
    response = caught.value.response
    return response.status_code, json.loads(response.body)


# -- where it is served ----------------------------------------------------------------------------
def test_health_names_both_urls(served, sim):
    bridge = sim.control("GET", "health")["event_bridge"]
    assert bridge == {"eb_server": f"{served.base_url}/event-bridge/v1/wschannels",
                      "ws_server": f"ws://127.0.0.1:{served.ws_port}/v1/wschannels"}


def test_serve_refuses_a_taken_ws_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "simulator", "serve", "--memory", "--port", "0",
             "--ws-port", str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("twilio-sim: error: the event bridge's websocket port "
                                    f"{port}: ") and "--ws-port" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_in_process_there_is_no_websocket():
    app = create_app(Settings())
    try:
        bridge = app.test_client().get("/_sim/v1/health").get_json()["event_bridge"]
        assert bridge["ws_server"] is None
        assert bridge["eb_server"].endswith("/event-bridge/v1/wschannels")
    finally:
        app.extensions["twilio_sim"].close()


# -- the token --------------------------------------------------------------------------------------
def test_connect_sends_init_first(contact):
    alice = contact.workers[0]
    sock = contact.open(alice)
    try:
        frame = sock.next()
        assert frame["event_type"] == "init"
        init = frame["payload"]
        assert (init["channel_id"], init["account_sid"], init["workspace_sid"]) == (
            alice, contact.account_sid, contact.ws.sid)
        assert 3_590_000 <= init["token_lifetime"] <= 3_600_000   # ms, on the simulator clock
    finally:
        sock.close()


def test_an_idle_websocket_gets_heartbeats(contact, monkeypatch):
    """The SDK reconnects after 30 s without a frame; an empty frame keeps it alive (the
    interval, 15 s, is shortened here)."""
    assert websocket.HEARTBEAT_SECONDS < 30
    monkeypatch.setattr(websocket, "HEARTBEAT_SECONDS", 0.3)
    sock = contact.open(contact.workers[0])
    try:
        assert sock.next()["event_type"] == "init"
        assert sock.quiet(1.2) == [] and sock.heartbeats >= 2
    finally:
        sock.close()


def test_bad_tokens_are_refused_at_the_handshake_with_twilios_codes(contact):
    alice = contact.workers[0]
    cases = {
        "not a jwt": (403, 20101),
        contact.token(alice, secret="0" * 32): (403, 20107),
        contact.token(alice, workspace_sid="WS" + "0" * 32): (403, 20106),
        contact.token("WK" + "1" * 32): (403, 20106),
    }
    for token, (status, code) in cases.items():
        got_status, body = _refused(contact, token)
        assert (got_status, body["code"]) == (status, code), body
        assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    status, body = _refused(contact, "")
    assert (status, body["code"]) == (403, 20101)


def test_a_token_expires_on_the_simulator_clock(contact):
    alice = contact.workers[0]
    token = contact.token(alice, ttl=600)
    sock = contact.open(alice, token=token)
    try:
        assert sock.next()["event_type"] == "init"
        contact.sim.advance(601)
        assert sock.until("tokenExpired") == {}
        r = contact.rest(token, f"Workspaces/{contact.ws.sid}/Workers/{alice}")
        assert (r.status_code, r.json()["code"]) == (401, 20104)
        assert "message" in r.json()   # what the SDK reports (Request.js handleError)
    finally:
        sock.close()
    status, body = _refused(contact, token)
    assert (status, body["code"]) == (401, 20104)


# -- the REST endpoint -----------------------------------------------------------------------------
def test_what_the_sdk_fetches_before_ready(contact):
    alice = contact.workers[0]
    worker = contact.call(alice, f"Workers/{alice}")
    assert set(worker) >= WORKER_PROPERTIES
    assert (worker["sid"], worker["activity_sid"], worker["available"]) == (
        alice, contact.offline, False)
    assert json.loads(worker["attributes"]) == {}
    assert isinstance(worker["date_created"], int)           # epoch seconds
    assert abs(worker["date_created"] - time.time()) < 120

    first = contact.call(alice, "Activities", params={"PageSize": 2})
    assert len(first["contents"]) == 2 and first["after_sid"] == first["contents"][1]["sid"]
    rest = contact.call(alice, "Activities", params={"PageSize": 1000,
                                                     "AfterSid": first["after_sid"]})
    assert rest["after_sid"] is None
    names = [a["friendly_name"] for a in first["contents"] + rest["contents"]]
    assert names == ["Offline", "Available", "Unavailable"]
    assert all(set(a) >= ACTIVITY_PROPERTIES for a in first["contents"] + rest["contents"])

    channels = contact.call(alice, f"Workers/{alice}/WorkerChannels", params={"PageSize": 1000})
    assert {c["task_channel_unique_name"] for c in channels["contents"]} == {
        "default", "voice", "chat", "sms", "video"}
    assert all(set(c) >= CHANNEL_PROPERTIES for c in channels["contents"])

    reservations = contact.call(alice, f"Workers/{alice}/Reservations",
                                params={"Active": "true", "PageSize": 1000}, api_version="v2")
    assert reservations == {"contents": [], "after_sid": None}


def test_a_workers_token_reaches_only_its_own_worker(contact):
    alice, bob = contact.workers
    r = contact.rest(contact.token(alice), f"Workspaces/{contact.ws.sid}/Workers/{bob}")
    assert (r.status_code, r.json()["code"]) == (403, 20106)
    r = contact.rest(contact.token(alice, role="supervisor"),
                     f"Workspaces/{contact.ws.sid}/Workers/{bob}")
    assert r.status_code == 200 and r.json()["payload"]["sid"] == bob


def test_unknown_calls_and_malformed_bodies_are_twilio_errors(contact):
    alice = contact.workers[0]
    r = contact.rest(contact.token(alice), f"Workspaces/{contact.ws.sid}/Nowhere")
    assert (r.status_code, r.json()["code"]) == (404, 20404)
    r = requests.post(contact.eb_server, data="{not json", timeout=30,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (r.status_code, r.json()["code"]) == (400, 20422)
    r = contact.rest(contact.token(alice), f"Workspaces/{contact.ws.sid}/Workers/{alice}",
                     "POST", {"ActivitySid": "WA" + "0" * 32})
    assert (r.status_code, r.json()["code"]) == (400, 20422)
    # the body is JSON, not a percent-encoded form: "%ff" is text
    worker = contact.call(alice, f"Workers/{alice}", "POST", {"Attributes": {"note": "50%ff"}})
    assert json.loads(worker["attributes"]) == {"note": "50%ff"}


def test_browser_apps_may_call_the_rest_endpoint_from_any_origin(contact):
    """axios in a browser sends custom headers (apiVersion, clientVersion): a preflight."""
    r = requests.options(contact.eb_server, timeout=30, headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "apiversion,clientversion,content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"apiversion", "clientversion", "content-type", "if-match"} <= allowed
    alice = contact.workers[0]
    for url in (f"Workers/{alice}", "Nowhere"):
        got = contact.rest(contact.token(alice), f"Workspaces/{contact.ws.sid}/{url}")
        assert got.headers["Access-Control-Allow-Origin"] == "*"


# -- events, as the engine acts --------------------------------------------------------------------
def _ready(contact, worker_sid: str, **query) -> Socket:
    """Connected, then made Available through the bridge (as connectActivitySid does)."""
    sock = contact.open(worker_sid, **query)
    assert sock.next()["event_type"] == "init"
    worker = contact.call(worker_sid, f"Workers/{worker_sid}", "POST",
                          {"ActivitySid": contact.available})
    assert worker["activity_sid"] == contact.available and worker["available"] is True
    update = sock.until("worker.activity.update")
    assert set(update) >= WORKER_PROPERTIES and update["activity_sid"] == contact.available
    return sock


def test_two_workers_a_task_accepted_and_completed_and_one_timing_out(contact):
    alice, bob = contact.workers
    a = _ready(contact, alice)
    b = _ready(contact, bob)
    try:
        contact.tr.tasks.create(attributes='{"type": "support"}')
        # alice became available first: idle longest, she is offered the task
        created = a.until("reservation.created")
        assert set(created) >= RESERVATION_PROPERTIES and created["reservation_status"] == "pending"
        assert set(created["task"]) >= TASK_PROPERTIES
        assert created["task"]["queue_name"] == "Sample Queue"
        assert json.loads(created["task"]["attributes"]) == {"type": "support"}
        assert created["reservation_timeout"] == 120
        active = contact.call(alice, f"Workers/{alice}/Reservations",
                              params={"Active": "true"}, api_version="v2")["contents"]
        assert [r["sid"] for r in active] == [created["sid"]]

        accepted = contact.call(alice, f"Workers/{alice}/Reservations/{created['sid']}", "POST",
                                {"ReservationStatus": "accepted"}, if_match=created["version"])
        assert accepted["reservation_status"] == "accepted"
        assert a.until("reservation.accepted", sid=created["sid"])["task"]["assignment_status"] \
            == "assigned"

        # the second task goes to bob (alice is busy); bob does not answer in 120 s
        contact.tr.tasks.create(attributes='{"type": "support"}')
        offered = b.until("reservation.created")
        contact.sim.advance(121)
        timed_out = b.until("reservation.timeout", sid=offered["sid"])
        assert timed_out["reservation_status"] == "timeout"
        moved = b.until("worker.activity.update")
        assert (moved["activity_sid"], moved["activity_name"], moved["available"]) == (
            contact.offline, "Offline", False)
        assert contact.ws.timeout_activity_sid == contact.offline

        # alice completes her task (Task.complete(reason) in the SDK)
        task_sid = created["task"]["sid"]
        done = contact.call(alice, f"Tasks/{task_sid}", "POST",
                            {"AssignmentStatus": "completed", "Reason": "resolved"})
        assert done["assignment_status"] == "completed" and done["reason"] == "resolved"
        assert a.until("reservation.completed", sid=created["sid"])["reservation_status"] \
            == "completed"
        assert a.until("task.completed", sid=task_sid)["reason"] == "resolved"
        # each worker heard only its own events
        assert all(f["payload"].get("worker_sid", alice) == alice for f in a.seen[1:]
                   if f["event_type"].startswith("reservation."))
        assert not any(f["payload"].get("sid") == created["sid"] for f in b.seen)
    finally:
        a.close()
        b.close()


def test_reject_and_the_next_offer(contact):
    alice = contact.workers[0]
    a = _ready(contact, alice)
    try:
        contact.tr.tasks.create(attributes="{}")
        first = a.until("reservation.created")
        rejected = contact.call(alice, f"Workers/{alice}/Reservations/{first['sid']}", "POST",
                                {"ReservationStatus": "rejected",
                                 "WorkerActivitySid": contact.offline})
        assert rejected["reservation_status"] == "rejected"
        assert a.until("reservation.rejected", sid=first["sid"])["reservation_status"] == "rejected"
        assert a.until("worker.activity.update")["activity_sid"] == contact.offline
        # available again: offered again; the task canceled meanwhile cancels the reservation
        contact.tr.workers(alice).update(activity_sid=contact.available)
        second = a.until("reservation.created")
        assert second["task"]["sid"] == first["task"]["sid"] and second["sid"] != first["sid"]
        contact.tr.tasks(first["task"]["sid"]).update(assignment_status="canceled",
                                                      reason="customer hung up")
        canceled = a.until("reservation.canceled", sid=second["sid"])
        assert canceled["reservation_status"] == "canceled"
        assert a.until("task.canceled")["reason"] == "customer hung up"
    finally:
        a.close()


def test_call_instruction_then_wrap_up_and_complete(contact):
    """Reservation.call(from, url, {accept: true, to}), Reservation.wrap(), .complete()."""
    alice = contact.workers[0]
    a = _ready(contact, alice)
    try:
        contact.tr.tasks.create(attributes='{"from": "+14155550123"}')
        offered = a.until("reservation.created")
        url = f"Workers/{alice}/Reservations/{offered['sid']}"
        called = contact.call(alice, url, "POST", {
            "Instruction": "call", "CallFrom": "+14155550100", "CallTo": "client:alice",
            "CallUrl": "https://app.example.test/agent.xml", "CallAccept": True})
        assert called["reservation_status"] == "accepted"
        assert a.until("reservation.accepted", sid=offered["sid"])
        task = contact.call(alice, f"Tasks/{offered['task']['sid']}")
        assert json.loads(task["attributes"])["worker_call_sid"].startswith("CA")

        wrapping = contact.call(alice, url, "POST", {"ReservationStatus": "wrapping"})
        assert wrapping["reservation_status"] == "wrapping"
        assert a.until("reservation.wrapup", sid=offered["sid"])["reservation_status"] == \
            "wrapping"
        assert a.until("task.wrapup", sid=task["sid"])["assignment_status"] == "wrapping"
        done = contact.call(alice, url, "POST", {"ReservationStatus": "completed"})
        assert done["reservation_status"] == "completed"
        assert a.until("task.completed", sid=task["sid"])["assignment_status"] == "completed"
        # a second answer to a finished reservation is Twilio's error, in its body
        r = contact.rest(contact.token(alice), f"Workspaces/{contact.ws.sid}/{url}", "POST",
                         {"ReservationStatus": "accepted"})
        assert r.status_code == 400 and r.json()["message"]
    finally:
        a.close()


def test_instruction_parameters_are_read_as_the_rest_api_reads_them(contact):
    """Reservation.dequeue({statusCallbackEvents}) sends ``DequeueStatusCallbackEvents`` (the
    SDK's name for REST's ``DequeueStatusCallbackEvent``); a malformed conference option is
    refused as over REST; neither refusal changes the reservation."""
    alice = contact.workers[0]
    a = _ready(contact, alice)
    try:
        contact.tr.tasks.create(attributes=json.dumps({"call_sid": "CA" + "1" * 32}))
        offered = a.until("reservation.created")
        path = f"Workspaces/{contact.ws.sid}/Workers/{alice}/Reservations/{offered['sid']}"
        token = contact.token(alice)
        dequeue = {"Instruction": "dequeue", "DequeueTo": "client:alice",
                   "DequeueFrom": "+14155550100"}
        r = contact.rest(token, path, "POST", {**dequeue, "DequeueStatusCallbackEvents":
                                               ["hung-up"]})
        assert (r.status_code, r.json()["code"]) == (400, 40134)
        r = contact.rest(token, path, "POST", {"Instruction": "conference",
                                               "From": "+14155550100", "Muted": "maybe"})
        assert (r.status_code, r.json()["code"]) == (400, 20422)
        assert "Muted" in r.json()["message"]
        assert contact.call(alice, path.split("/", 2)[2])["reservation_status"] == "pending"
        done = contact.call(alice, path.split("/", 2)[2], "POST", {
            **dequeue, "DequeueStatusCallbackEvents": ["initiated", "completed"]})
        assert done["reservation_status"] == "accepted"
    finally:
        a.close()


def test_attributes_and_channel_updates_are_pushed(contact):
    alice = contact.workers[0]
    a = _ready(contact, alice)
    try:
        worker = contact.call(alice, f"Workers/{alice}", "POST",
                              {"Attributes": {"skills": ["es"], "level": 3}})
        assert json.loads(worker["attributes"]) == {"skills": ["es"], "level": 3}
        pushed = a.until("worker.attributes.update")
        assert json.loads(pushed["attributes"]) == {"skills": ["es"], "level": 3}

        contact.tr.workers(alice).worker_channels("chat").update(capacity=3)
        channel = a.until("worker.capacity.update")
        assert set(channel) >= CHANNEL_PROPERTIES
        assert (channel["task_channel_unique_name"], channel["configured_capacity"]) == ("chat", 3)
        contact.call(alice, f"Workers/{alice}/WorkerChannels/chat", "POST", {"Available": False})
        channel = a.until("worker.channel.availability.update")
        assert (channel["task_channel_unique_name"], channel["available"]) == ("chat", False)
    finally:
        a.close()


def test_a_task_the_worker_creates_for_itself(contact):
    alice = contact.workers[0]
    a = _ready(contact, alice)
    try:
        workflow = contact.tr.workflows.list()[0]
        queue = contact.tr.task_queues.list()[0]
        task = contact.call(alice, "Tasks", "POST", {
            "WorkflowSid": workflow.sid, "TaskQueueSid": queue.sid, "RoutingTarget": alice,
            "Attributes": {"outbound_to": "+14155550100", "from": "+14155550199"}})
        assert task["routing_target"] == alice
        assert a.until("reservation.created")["task"]["sid"] == task["sid"]
    finally:
        a.close()


# -- connections --------------------------------------------------------------------------------
def _activity(contact, worker_sid: str, expected: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        now = contact.tr.workers(worker_sid).fetch().activity_sid
        if now == expected or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def test_a_disconnected_worker_goes_offline_unless_told_otherwise(contact):
    alice, bob = contact.workers
    a = _ready(contact, alice)
    b = _ready(contact, bob, setWorkerOfflineIfDisconnected="false")
    a.close()
    b.close()
    assert _activity(contact, alice, contact.offline) == contact.offline
    time.sleep(0.5)
    assert contact.tr.workers(bob).fetch().activity_sid == contact.available


def test_close_existing_sessions_closes_the_older_websocket(contact):
    alice = contact.workers[0]
    old = _ready(contact, alice)
    new = contact.open(alice, closeExistingSessions="true")
    try:
        assert new.next()["event_type"] == "init"
        with pytest.raises(ConnectionClosed):
            old.quiet(5)
        # the Worker stays connected (and available) through its new session
        assert contact.tr.workers(alice).fetch().activity_sid == contact.available
    finally:
        new.close()


def test_stopping_the_server_closes_every_websocket(sim):
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    try:
        contact = Contact(SimulatorHandle(server.base_url), n_workers=1)
        sock = contact.open(contact.workers[0])
        assert sock.next()["event_type"] == "init"
    finally:
        server.stop()
    with pytest.raises(ConnectionClosed) as closed:
        sock.quiet(5)
    assert closed.value.rcvd.code == 1001
    app.extensions["twilio_sim"].close()
