"""The TaskRouter assignment engine, rule by rule, through the official twilio SDK over both
transports, on a frozen simulator clock (``sim.advance`` makes a timeout instant).

Each expectation is Twilio's documented behaviour (flex-routing.md §A-C, Twilio's TaskRouter
docs) or a literal value the test itself set up: which worker a task is offered to, when it
moves to another queue, what a timeout does, what a callback carries.
"""
from __future__ import annotations

import json
import pytest

START = "2030-01-15T10:00:00Z"


class Center:
    """One workspace on a frozen clock, and short ways to build and drive it."""

    def __init__(self, sim, client, **workspace):
        sim.freeze(START)
        self.sim, self.client = sim, client
        self.ws = client.taskrouter.v1.workspaces.create(friendly_name="Engine", **workspace)
        self.w = client.taskrouter.v1.workspaces(self.ws.sid)
        self.acts = {a.friendly_name: a.sid for a in self.w.activities.list()}

    # -- building ------------------------------------------------------------------------
    def queue(self, name: str, **kw):
        return self.w.task_queues.create(friendly_name=name, **kw)

    def workflow(self, *targets, expression="1==1", default=None, **kw):
        """One filter (``expression``) with ``targets`` in order; the default filter goes to
        ``default`` (else the last target's queue)."""
        config = {"task_routing": {
            "filters": [{"filter_friendly_name": "main", "expression": expression,
                         "targets": list(targets)}],
            "default_filter": {"queue": default or targets[-1]["queue"]}}}
        return self.w.workflows.create(friendly_name=kw.pop("friendly_name", "Route"),
                                       configuration=json.dumps(config), **kw)

    def worker(self, name: str, activity: str = "Available", **attributes):
        return self.w.workers.create(friendly_name=name, attributes=json.dumps(attributes),
                                     activity_sid=self.acts[activity])

    def activity(self, name: str, available: bool) -> str:
        self.acts[name] = self.w.activities.create(friendly_name=name, available=available).sid
        return self.acts[name]

    def task(self, workflow, **attributes):
        kw = {k: attributes.pop(k) for k in ("priority", "timeout", "task_channel")
              if k in attributes}
        return self.w.tasks.create(workflow_sid=workflow.sid, attributes=json.dumps(attributes),
                                   **kw)

    # -- looking -------------------------------------------------------------------------
    def fetch(self, task):
        return self.w.tasks(task.sid).fetch()

    def reservations(self, task, status=None):
        kw = {"reservation_status": status} if status else {}
        return self.w.tasks(task.sid).reservations.list(**kw)

    def worker_reservations(self, worker, status=None):
        kw = {"reservation_status": status} if status else {}
        return self.w.workers(worker.sid).reservations.list(**kw)

    def reserved_to(self, task) -> list[str]:
        """The workers the task has pending reservations with."""
        return sorted(r.worker_sid for r in self.reservations(task, "pending"))

    def activity_of(self, worker) -> str:
        return self.w.workers(worker.sid).fetch().activity_name

    # -- acting --------------------------------------------------------------------------
    def set_activity(self, worker, name: str):
        return self.w.workers(worker.sid).update(activity_sid=self.acts[name])

    def answer(self, reservation, status: str):
        return self.w.tasks(reservation.task_sid).reservations(reservation.sid).update(
            reservation_status=status)

    def serve(self, worker, count: int) -> list[str]:
        """The worker takes its pending reservation, accepts and completes it, ``count``
        times: the task SIDs in the order it was offered them."""
        served = []
        for _ in range(count):
            pending = self.worker_reservations(worker, "pending")
            assert len(pending) == 1, pending
            served.append(pending[0].task_sid)
            self.answer(pending[0], "accepted")
            self.answer(pending[0], "completed")
        return served

    def advance(self, seconds: float):
        self.sim.advance(seconds)


@pytest.fixture
def center(sim, client):
    return Center(sim, client)


# -- queue order ------------------------------------------------------------------------------
def test_fifo_queue_serves_higher_priority_first_then_the_oldest(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent", activity="Offline")
    old_low = c.task(wf, name="old low", priority=0)
    c.advance(1)
    old_high = c.task(wf, name="old high", priority=5)
    c.advance(1)
    new_high = c.task(wf, name="new high", priority=5)
    c.advance(1)
    new_low = c.task(wf, name="new low", priority=0)
    c.set_activity(agent, "Available")
    assert c.serve(agent, 4) == [old_high.sid, new_high.sid, old_low.sid, new_low.sid]


def test_lifo_queue_serves_the_newest_first_whatever_the_priority(center):
    c = center
    q = c.queue("Callbacks", task_order="LIFO")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent", activity="Offline")
    oldest = c.task(wf, priority=10)
    c.advance(1)
    middle = c.task(wf, priority=0)
    c.advance(1)
    newest = c.task(wf, priority=0)
    c.set_activity(agent, "Available")
    assert c.serve(agent, 3) == [newest.sid, middle.sid, oldest.sid]


def test_a_matched_targets_priority_overrides_the_tasks(center):
    c = center
    q = c.queue("Everyone")
    vip = c.w.workflows.create(friendly_name="VIP", configuration=json.dumps({"task_routing": {
        "filters": [{"filter_friendly_name": "vip", "expression": "vip == true",
                     "targets": [{"queue": q.sid, "priority": 20}]}],
        "default_filter": {"queue": q.sid}}}))
    agent = c.worker("agent", activity="Offline")
    regular = c.task(vip, vip=False, priority=10)
    c.advance(1)
    boosted = c.task(vip, vip=True, priority=1)
    assert c.fetch(boosted).priority == 20
    assert c.fetch(regular).priority == 10
    c.set_activity(agent, "Available")
    assert c.serve(agent, 2) == [boosted.sid, regular.sid]


# -- who is free --------------------------------------------------------------------------------
def test_with_every_worker_busy_a_task_waits_then_goes_to_the_first_one_free(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent")
    first = c.task(wf)
    second = c.task(wf)
    assert c.reserved_to(first) == [agent.sid]
    assert c.fetch(second).assignment_status == "pending" and c.reservations(second) == []
    reservation = c.reservations(first)[0]
    c.answer(reservation, "accepted")
    c.advance(60)
    assert c.fetch(second).assignment_status == "pending" and c.reservations(second) == []
    c.answer(reservation, "completed")
    assert c.fetch(second).assignment_status == "reserved"
    assert c.reserved_to(second) == [agent.sid]


def test_capacity_zero_on_the_tasks_channel_means_no_reservation(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent")
    c.w.workers(agent.sid).worker_channels("chat").update(capacity=0)
    chat = c.task(wf, task_channel="chat")
    c.advance(30)
    assert c.fetch(chat).assignment_status == "pending" and c.reservations(chat) == []
    voice = c.task(wf, task_channel="voice")   # other channels keep their capacity
    assert c.reserved_to(voice) == [agent.sid]
    c.w.workers(agent.sid).worker_channels("chat").update(capacity=1)
    assert c.reserved_to(chat) == [agent.sid]


def test_multitasking_capacity_two_holds_two_tasks_and_the_third_waits(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent")
    c.w.workers(agent.sid).worker_channels("chat").update(capacity=2)
    one, two, three = (c.task(wf, task_channel="chat", n=i) for i in range(3))
    assert c.reserved_to(one) == [agent.sid] and c.reserved_to(two) == [agent.sid]
    assert c.reservations(three) == []
    for task in (one, two):
        c.answer(c.reservations(task)[0], "accepted")
    channel = c.w.workers(agent.sid).worker_channels("chat").fetch()
    assert channel.assigned_tasks == 2 and channel.available_capacity_percentage == 0
    assert c.fetch(three).assignment_status == "pending" and c.reservations(three) == []
    c.answer(c.reservations(one)[0], "completed")
    assert c.reserved_to(three) == [agent.sid]


def test_a_worker_in_an_unavailable_activity_is_never_reserved(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    c.activity("Break", available=False)
    away = c.worker("away", activity="Unavailable")
    resting = c.worker("resting", activity="Break")
    offline = c.worker("offline", activity="Offline")
    task = c.task(wf)
    for _ in range(3):
        c.advance(100)
        assert c.fetch(task).assignment_status == "pending" and c.reservations(task) == []
    assert all(c.worker_reservations(w) == [] for w in (away, resting, offline))
    c.set_activity(resting, "Available")
    assert c.reserved_to(task) == [resting.sid]


# -- timeouts ---------------------------------------------------------------------------------
def test_reservation_timeout_moves_the_worker_to_the_timeout_activity_twice_in_a_row(center):
    c = center
    missed = c.activity("Missed", available=False)
    c.w.update(timeout_activity_sid=missed)
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid}, task_reservation_timeout=30)
    first = c.worker("first")
    c.advance(1)
    second = c.worker("second")
    task = c.task(wf)
    assert c.reserved_to(task) == [first.sid]
    c.advance(29)
    assert c.reservations(task)[0].reservation_status == "pending"
    assert c.activity_of(first) == "Available"
    c.advance(1)   # 30 s: the first reservation times out, the task goes to the next worker
    by_worker = {r.worker_sid: r.reservation_status for r in c.reservations(task)}
    assert by_worker == {first.sid: "timeout", second.sid: "pending"}
    assert c.activity_of(first) == "Missed"
    c.advance(30)  # the second one's own 30 s
    by_worker = {r.worker_sid: r.reservation_status for r in c.reservations(task)}
    assert by_worker == {first.sid: "timeout", second.sid: "timeout"}
    assert c.activity_of(second) == "Missed"
    assert c.fetch(task).assignment_status == "pending"
    timeouts = c.w.events.list(event_type="reservation.timeout", task_sid=task.sid)
    assert len(timeouts) == 2


def test_task_ttl_cancels_the_task_with_task_ttl_exceeded(center):
    c = center
    q = c.queue("Nobody", target_workers="team == 'ghosts'")
    wf = c.workflow({"queue": q.sid})
    task = c.task(wf, timeout=60)
    c.advance(59)
    assert c.fetch(task).assignment_status == "pending"
    c.advance(1)
    ended = c.fetch(task)
    assert ended.assignment_status == "canceled" and ended.reason == "Task TTL Exceeded"
    assert [e.resource_sid for e in c.w.events.list(event_type="task.canceled")] == [task.sid]


def test_step_timeouts_add_up_on_the_tasks_age(center):
    c = center
    first = c.queue("A", target_workers="skill == 'a'")
    second = c.queue("B", target_workers="skill == 'b'")
    last = c.queue("C")
    wf = c.workflow({"queue": first.sid, "timeout": 10}, {"queue": second.sid, "timeout": 10},
                    {"queue": last.sid}, task_reservation_timeout=8)
    agent = c.worker("agent", skill="a")
    task = c.task(wf)
    assert c.fetch(task).task_queue_sid == first.sid and c.reserved_to(task) == [agent.sid]
    c.advance(8)   # the reservation times out (the agent goes Offline); still step A
    assert c.reservations(task)[0].reservation_status == "timeout"
    c.advance(1.5)
    assert c.fetch(task).task_queue_sid == first.sid
    c.advance(0.5)   # t = 10: step A's timeout on the task's age, not 8 + 10
    assert c.fetch(task).task_queue_sid == second.sid
    c.advance(9.5)
    assert c.fetch(task).task_queue_sid == second.sid
    c.advance(0.5)   # t = 20: A's 10 s + B's 10 s
    assert c.fetch(task).task_queue_sid == last.sid
    assert c.fetch(task).assignment_status == "pending"


def test_skip_if_no_worker_available_skips_the_step(center):
    c = center
    team_a = c.queue("Team A", target_workers="team == 'a'")
    team_b = c.queue("Team B", target_workers="team == 'b'")
    c.worker("a1", activity="Offline", team="a")
    b1 = c.worker("b1", team="b")
    skipping = c.workflow({"queue": team_a.sid, "timeout": 100,
                           "skip_if": "workers.available == 0"}, {"queue": team_b.sid},
                          friendly_name="Skipping")
    waiting = c.workflow({"queue": team_a.sid, "timeout": 100}, {"queue": team_b.sid},
                         friendly_name="Waiting")
    skipped = c.task(skipping)
    assert c.fetch(skipped).task_queue_sid == team_b.sid
    assert c.reserved_to(skipped) == [b1.sid]
    kept = c.task(waiting)
    assert c.fetch(kept).task_queue_sid == team_a.sid
    assert c.fetch(kept).assignment_status == "pending"


# -- which worker -------------------------------------------------------------------------------
def test_known_worker_sid_routes_to_that_worker_only(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid, "known_worker_sid": "task.agent_sid"})
    idle_longest = c.worker("idle longest")
    c.advance(10)
    known = c.worker("known")
    first = c.task(wf, agent_sid=known.sid)
    assert c.reserved_to(first) == [known.sid]
    second = c.task(wf, agent_sid=known.sid)   # the known worker is busy: it waits for them
    c.advance(30)
    assert c.reservations(second) == [] and c.worker_reservations(idle_longest) == []
    reservation = c.reservations(first)[0]
    c.answer(reservation, "accepted")
    c.answer(reservation, "completed")
    assert c.reserved_to(second) == [known.sid]
    nobody = c.task(wf, agent_sid=None)   # no known agent: it waits in the step
    c.advance(30)
    assert c.reservations(nobody) == []
    assert c.worker_reservations(idle_longest) == []


def test_target_expression_sees_worker_and_task_attributes(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid, "expression":
                     "worker.agent_id IN task.preferred_agents AND worker.level >= task.min_level"})
    a = c.worker("a", agent_id="a", level=5)
    c.advance(1)
    b = c.worker("b", agent_id="b", level=1)
    c.advance(1)
    cc = c.worker("c", agent_id="c", level=3)
    task = c.task(wf, preferred_agents=["b", "c"], min_level=2)
    assert c.reserved_to(task) == [cc.sid]
    nobody = c.task(wf, preferred_agents=["b"], min_level=2)
    c.advance(30)
    assert c.reservations(nobody) == []
    assert c.worker_reservations(a) == [] and c.worker_reservations(b) == []


def test_order_by_picks_workers_by_attribute_and_those_without_it_last(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid, "order_by": "worker.level DESC"})
    low = c.worker("low", level=1)           # idle longest, but lowest level
    c.advance(1)
    none = c.worker("none")                  # no level at all
    c.advance(1)
    high = c.worker("high", level=3)
    c.advance(1)
    mid = c.worker("mid", level=2)
    offered = []
    for i in range(4):
        task = c.task(wf, n=i)
        offered += c.reserved_to(task)
    assert offered == [high.sid, mid.sid, low.sid, none.sid]


def test_max_reserved_workers_two_reserves_two_and_the_first_accept_rescinds_the_other(center):
    c = center
    q = c.queue("Everyone", max_reserved_workers=2)
    wf = c.workflow({"queue": q.sid})
    one = c.worker("one")
    c.advance(1)
    two = c.worker("two")
    c.advance(1)
    three = c.worker("three")
    task = c.task(wf)
    assert c.reserved_to(task) == sorted([one.sid, two.sid])
    assert c.worker_reservations(three) == []
    by_worker = {r.worker_sid: r for r in c.reservations(task)}
    c.w.workers(two.sid).reservations(by_worker[two.sid].sid).update(reservation_status="accepted")
    statuses = {r.worker_sid: r.reservation_status for r in c.reservations(task)}
    assert statuses == {two.sid: "accepted", one.sid: "rescinded"}
    assert c.fetch(task).assignment_status == "assigned"
    assert len(c.w.events.list(event_type="reservation.rescinded", task_sid=task.sid)) == 1


def test_the_longest_idle_worker_wins_among_equals(center):
    c = center
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    a, b, d = (c.worker(n, activity="Offline") for n in ("a", "b", "d"))
    for worker in (b, d, a):   # idle since t=0, 1, 2
        c.set_activity(worker, "Available")
        c.advance(1)
    first = c.task(wf)
    assert c.reserved_to(first) == [b.sid]
    c.answer(c.reservations(first)[0], "accepted")
    c.advance(10)
    c.answer(c.reservations(first)[0], "completed")   # b idle again, since t=13
    order = []
    for _ in range(3):
        task = c.task(wf)
        order += c.reserved_to(task)
    assert order == [d.sid, a.sid, b.sid]


def test_reservation_and_assignment_activities_move_the_worker(center):
    c = center
    reserved = c.activity("Reserved", available=False)
    busy = c.activity("Busy", available=False)
    q = c.queue("Single", reservation_activity_sid=reserved, assignment_activity_sid=busy)
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent")
    task = c.task(wf)
    assert c.reserved_to(task) == [agent.sid]
    assert c.activity_of(agent) == "Reserved"
    c.answer(c.reservations(task)[0], "accepted")
    assert c.activity_of(agent) == "Busy"
    assert c.fetch(task).assignment_status == "assigned"


# -- callbacks -------------------------------------------------------------------------------
CALLBACK_PARAMS = {"Timestamp", "AccountSid", "WorkspaceSid", "WorkflowSid", "TaskQueueSid",
                   "WorkerSid", "WorkerAttributes", "TaskSid", "TaskAttributes", "TaskAge",
                   "TaskPriority", "ReservationSid"}


def _callback_center(sim, client, receiver, **workflow):
    c = Center(sim, client)
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid}, assignment_callback_url=receiver.url("/assign"), **workflow)
    agent = c.worker("agent", skill="billing")
    return c, q, wf, agent


def test_assignment_callback_answering_accept_accepts(sim, client, receiver):
    c, q, wf, agent = _callback_center(sim, client, receiver)
    receiver.reply("/assign", '{"instruction": "accept"}', 200, "application/json")
    task = c.task(wf, topic="refund", priority=3)
    [call] = receiver.at("/assign")
    form = call["form"]
    assert CALLBACK_PARAMS <= set(form)
    assert (form["TaskSid"], form["WorkerSid"], form["WorkspaceSid"], form["WorkflowSid"],
            form["TaskQueueSid"], form["AccountSid"]) == (task.sid, agent.sid, c.ws.sid, wf.sid,
                                                          q.sid, sim.account_sid)
    assert json.loads(form["TaskAttributes"]) == {"topic": "refund"}
    assert json.loads(form["WorkerAttributes"]) == {"skill": "billing"}
    assert form["TaskPriority"] == "3" and form["TaskAge"] == "0"
    assert receiver.valid(call, sim.auth_token)
    [reservation] = c.reservations(task)
    assert form["ReservationSid"] == reservation.sid
    assert reservation.reservation_status == "accepted"
    assert c.fetch(task).assignment_status == "assigned"


def test_assignment_callback_answering_an_empty_object_leaves_it_pending(sim, client, receiver):
    c, q, wf, agent = _callback_center(sim, client, receiver)
    receiver.reply("/assign", "{}", 200, "application/json")
    task = c.task(wf)
    assert len(receiver.at("/assign")) == 1
    [reservation] = c.reservations(task)
    assert reservation.reservation_status == "pending"
    assert c.fetch(task).assignment_status == "reserved"
    c.answer(reservation, "accepted")   # decided later over REST
    assert c.fetch(task).assignment_status == "assigned"
    assert client.monitor.v1.alerts.list() == []


def test_assignment_callback_failing_tries_the_fallback_url(sim, client, receiver):
    c, q, wf, agent = _callback_center(
        sim, client, receiver, fallback_assignment_callback_url=receiver.url("/fallback"))
    receiver.reply("/assign", "oops", 500, "text/plain")
    receiver.reply("/fallback", '{"instruction": "accept"}', 200, "application/json")
    task = c.task(wf)
    assert len(receiver.at("/assign")) == 1 and len(receiver.at("/fallback")) == 1
    fallback = receiver.at("/fallback")[0]
    assert fallback["form"]["TaskSid"] == task.sid and receiver.valid(fallback, sim.auth_token)
    assert c.reservations(task)[0].reservation_status == "accepted"


def test_assignment_callback_and_fallback_failing_raise_alert_11200(sim, client, receiver):
    c, q, wf, agent = _callback_center(
        sim, client, receiver, fallback_assignment_callback_url=receiver.url("/fallback"))
    receiver.reply("/assign", "oops", 500, "text/plain")
    receiver.reply("/fallback", "down too", 503, "text/plain")
    task = c.task(wf)
    assert len(receiver.at("/assign")) == 1 and len(receiver.at("/fallback")) == 1
    assert c.reservations(task)[0].reservation_status == "pending"
    alerts = client.monitor.v1.alerts.list()
    assert alerts and {a.error_code for a in alerts} == {"11200"}
    assert receiver.url("/fallback") in {a.request_url for a in alerts}


def test_event_callbacks_honour_the_events_filter_and_are_signed(sim, client, receiver):
    c = Center(sim, client, event_callback_url=receiver.url("/events"),
               events_filter="task.created,reservation.accepted")
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent")
    task = c.task(wf, topic="refund")
    reservation = c.reservations(task)[0]
    c.answer(reservation, "accepted")
    got = receiver.at("/events")
    assert [r["form"]["EventType"] for r in got] == ["task.created", "reservation.accepted"]
    created, accepted = (r["form"] for r in got)
    for form in (created, accepted):
        assert (form["AccountSid"], form["WorkspaceSid"], form["WorkspaceName"]) == \
            (sim.account_sid, c.ws.sid, "Engine")
        assert form["EventDescription"] and form["Sid"].startswith("EV")
        assert form["Timestamp"]   # "the time this event was sent" (format not documented)
        assert form["TaskSid"] == task.sid
    assert (created["ResourceType"], created["ResourceSid"]) == ("Task", task.sid)
    assert json.loads(created["TaskAttributes"]) == {"topic": "refund"}
    assert (accepted["ResourceType"], accepted["ResourceSid"]) == ("Reservation", reservation.sid)
    assert (accepted["WorkerSid"], accepted["TaskQueueSid"]) == (agent.sid, q.sid)
    assert all(receiver.valid(r, sim.auth_token) for r in got)


def test_event_callbacks_without_a_filter_carry_every_event(sim, client, receiver):
    c = Center(sim, client, event_callback_url=receiver.url("/events"))
    q = c.queue("Everyone")
    wf = c.workflow({"queue": q.sid})
    agent = c.worker("agent", activity="Offline")
    task = c.task(wf)
    c.set_activity(agent, "Available")
    kinds = [r["form"]["EventType"] for r in receiver.at("/events")]
    for kind in ("task-queue.created", "worker.created", "task.created", "workflow.entered",
                 "task-queue.entered", "worker.activity.update", "reservation.created"):
        assert kind in kinds, (kind, kinds)
    assert kinds.index("task.created") < kinds.index("reservation.created")
    activity = next(r["form"] for r in receiver.at("/events")
                    if r["form"]["EventType"] == "worker.activity.update")
    assert (activity["WorkerSid"], activity["WorkerActivityName"]) == (agent.sid, "Available")
    assert activity["ResourceType"] == "Worker"
    assert {r["form"]["TaskSid"] for r in receiver.at("/events")
            if r["form"]["EventType"] == "reservation.created"} == {task.sid}
