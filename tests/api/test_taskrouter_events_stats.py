"""TaskRouter Events and Statistics through the real twilio SDK, over both transports.

Every expectation is counted from what the test itself did, on a frozen simulator clock
(``sim.advance`` moves it): tasks created, reservations accepted, seconds waited.
"""
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

START = datetime(2030, 3, 4, 9, 0, 0, tzinfo=timezone.utc)


class JsonBody(dict):
    """What the SDK's bulk statistics create(body=...) expects: an object with to_dict()."""

    def to_dict(self):
        return dict(self)


def _error(call):
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def _list_error(call):
    """A list call the simulator refused: the SDK raises TwilioException with the response."""
    with pytest.raises(TwilioException) as e:
        call()
    response = e.value.args[1]
    return response.status_code, json.loads(response.text)["code"]


def _routing(*targets, default=None):
    return json.dumps({"task_routing": {
        "filters": [{"filter_friendly_name": "all", "expression": "1==1",
                     "targets": list(targets)}],
        "default_filter": {"queue": default or targets[-1]["queue"]}}})


@pytest.fixture
def center(sim, client):
    """A workspace with one queue for everyone and one workflow to it; the clock frozen at
    START."""
    sim.freeze(START.isoformat())
    ws = client.taskrouter.v1.workspaces.create(friendly_name="Stats")
    w = client.taskrouter.v1.workspaces(ws.sid)
    acts = {a.friendly_name: a.sid for a in w.activities.list()}
    queue = w.task_queues.create(friendly_name="Everyone")
    wf = w.workflows.create(friendly_name="Route", configuration=_routing({"queue": queue.sid}))
    return SimpleNamespace(sim=sim, ws=ws, w=w, acts=acts, queue=queue, wf=wf)


def _task(c, **kw):
    return c.w.tasks.create(workflow_sid=kw.pop("workflow_sid", c.wf.sid),
                            attributes=kw.pop("attributes", "{}"), **kw)


def _pending(c, task_sid):
    found = c.w.tasks(task_sid).reservations.list(reservation_status="pending")
    assert len(found) == 1, found
    return found[0]


def _answer(c, task_sid, status, **kw):
    r = _pending(c, task_sid)
    return c.w.tasks(task_sid).reservations(r.sid).update(reservation_status=status, **kw)


def _zero_durations():
    return {"avg": 0, "min": 0, "max": 0, "total": 0}


# -- Events ----------------------------------------------------------------------------------
def test_events_list_fetch_and_filters(center):
    c = center
    ana = c.w.workers.create(friendly_name="ana", activity_sid=c.acts["Available"])
    first = _task(c, attributes=json.dumps({"n": 1}))
    second = _task(c, attributes=json.dumps({"n": 2}))
    reservation = _pending(c, first.sid)

    events = c.w.events.list()
    assert events[0].event_date_ms >= events[-1].event_date_ms   # newest first
    types = [e.event_type for e in events]
    assert types.count("task.created") == 2 and types.count("reservation.created") == 1
    assert "worker.created" in types and "task-queue.created" in types

    created = c.w.events.list(event_type="task.created")
    assert {e.resource_sid for e in created} == {first.sid, second.sid}
    assert all(e.resource_type == "task" and e.sid.startswith("EV") for e in created)

    about_first = c.w.events.list(task_sid=first.sid)
    assert {"task.created", "reservation.created"} <= {e.event_type for e in about_first}
    assert all(second.sid not in (e.resource_sid, e.event_data.get("task_sid")) for e in about_first)
    assert [e.event_type for e in c.w.events.list(reservation_sid=reservation.sid)] == \
        ["reservation.created"]
    assert "worker.created" in {e.event_type for e in c.w.events.list(worker_sid=ana.sid)}
    assert {e.resource_sid for e in c.w.events.list(event_type="task.created",
                                                    workflow_sid=c.wf.sid)} == {first.sid, second.sid}
    assert len(c.w.events.list(task_queue_sid=c.queue.sid, event_type="task-queue.entered")) == 2
    assert len(c.w.events.list(task_channel="default", event_type="task.created")) == 2
    assert c.w.events.list(task_channel="chat", event_type="task.created") == []

    one = c.w.events.list(reservation_sid=reservation.sid)[0]
    assert [e.sid for e in c.w.events.list(sid=one.sid)] == [one.sid]
    fetched = c.w.events(one.sid).fetch()
    assert fetched.sid == one.sid and fetched.event_type == "reservation.created"
    assert fetched.resource_sid == reservation.sid and fetched.resource_type == "reservation"
    assert fetched.resource_url.endswith(f"/Workspaces/{c.ws.sid}/Tasks/{first.sid}"
                                         f"/Reservations/{reservation.sid}")
    assert fetched.actor_type == "workspace" and fetched.actor_sid == c.ws.sid
    assert fetched.url == f"https://taskrouter.twilio.com/v1/Workspaces/{c.ws.sid}/Events/{one.sid}"
    assert fetched.event_date == START.replace(tzinfo=timezone.utc)
    data = fetched.event_data   # snake_case, as in the Events resource
    assert data["task_sid"] == first.sid and data["worker_sid"] == ana.sid
    assert data["worker_name"] == "ana" and data["worker_activity_name"] == "Available"
    assert data["reservation_sid"] == reservation.sid and data["workspace_name"] == "Stats"

    everything = c.w.events.list()
    assert [e.sid for e in c.w.events.list(page_size=2)] == [e.sid for e in everything]


def test_event_of_another_workspace_or_unknown_is_404(center, client):
    c = center
    _task(c)
    event = c.w.events.list(event_type="task.created")[0]
    other = client.taskrouter.v1.workspaces.create(friendly_name="Other")
    assert _error(lambda: client.taskrouter.v1.workspaces(other.sid).events(event.sid).fetch()).status == 404
    assert _error(lambda: c.w.events("EV" + "0" * 32).fetch()).code == 20404


def test_events_window_minutes_start_and_end_dates(center):
    c = center
    c.w.workers.create(friendly_name="early")
    c.sim.advance(20 * 60)
    c.w.workers.create(friendly_name="late")

    def names(**kw):
        return [e.event_data["worker_name"] for e in c.w.events.list(event_type="worker.created", **kw)]

    assert names() == ["late"]                        # the last 15 minutes
    assert names(minutes=30) == ["late", "early"]
    assert names(minutes=19) == ["late"]
    assert names(start_date=START, end_date=START + timedelta(minutes=1)) == ["early"]
    assert names(start_date=START) == ["late", "early"]
    assert names(end_date=START + timedelta(minutes=5), minutes=10) == ["early"]
    assert _list_error(lambda: c.w.events.list(start_date=START + timedelta(hours=1),
                                               end_date=START)) == (400, 20422)
    assert _list_error(lambda: c.w.events.list(minutes=0)) == (400, 20422)


# -- Workspace statistics ------------------------------------------------------------------------
def test_workspace_statistics_count_what_happened(center):
    c = center
    ana = c.w.workers.create(friendly_name="ana", activity_sid=c.acts["Available"])
    a, b, gone = _task(c), _task(c), _task(c)       # a is reserved for ana, b and gone wait
    c.sim.advance(10)
    _answer(c, a.sid, "accepted")                   # accepted after 10 s
    c.sim.advance(20)
    c.w.tasks(gone.sid).update(assignment_status="canceled", reason="caller hung up")  # at 30 s

    real = c.w.real_time_statistics().fetch()
    assert real.tasks_by_status == {"pending": 1, "reserved": 0, "assigned": 1, "wrapping": 0}
    assert real.total_tasks == 2 and real.tasks_by_priority == {"0": 2}
    assert real.longest_task_waiting_sid == b.sid and real.longest_task_waiting_age == 30
    assert real.total_workers == 1
    assert {s["friendly_name"]: s["workers"] for s in real.activity_statistics} == \
        {"Offline": 0, "Available": 1, "Unavailable": 0}
    assert real.url == f"https://taskrouter.twilio.com/v1/Workspaces/{c.ws.sid}/RealTimeStatistics"

    cum = c.w.cumulative_statistics().fetch(split_by_wait_time="20,40")
    assert (cum.tasks_created, cum.tasks_canceled, cum.tasks_completed, cum.tasks_deleted,
            cum.tasks_moved, cum.tasks_timed_out_in_workflow) == (3, 1, 0, 0, 0, 0)
    assert (cum.reservations_created, cum.reservations_accepted, cum.reservations_rejected,
            cum.reservations_timed_out, cum.reservations_canceled,
            cum.reservations_rescinded) == (1, 1, 0, 0, 0, 0)
    assert cum.avg_task_acceptance_time == 10
    assert cum.wait_duration_until_accepted == {"avg": 10, "min": 10, "max": 10, "total": 10}
    assert cum.wait_duration_until_canceled == {"avg": 30, "min": 30, "max": 30, "total": 30}
    assert cum.split_by_wait_time == {
        "20": {"above": {"tasks_canceled": 1, "reservations_accepted": 0},
               "below": {"tasks_canceled": 0, "reservations_accepted": 1}},
        "40": {"above": {"tasks_canceled": 0, "reservations_accepted": 0},
               "below": {"tasks_canceled": 1, "reservations_accepted": 1}}}
    now = START + timedelta(seconds=30)
    assert cum.end_time == now and cum.start_time == now - timedelta(minutes=15)

    # completing a frees ana, who is reserved for b at once
    c.w.tasks(a.sid).update(assignment_status="completed", reason="done")
    both = c.w.statistics().fetch()
    assert both.realtime["tasks_by_status"] == {"pending": 0, "reserved": 1, "assigned": 0,
                                                "wrapping": 0}
    assert both.realtime["total_tasks"] == 1 and both.realtime["total_workers"] == 1
    assert both.cumulative["tasks_completed"] == 1 and both.cumulative["reservations_created"] == 2
    assert both.cumulative["split_by_wait_time"] is None
    assert c.w.workers(ana.sid).fetch().activity_name == "Available"


def test_reservation_outcomes_in_workspace_queue_workflow_and_worker_statistics(center):
    c = center
    pair = c.w.task_queues.create(friendly_name="Pair", max_reserved_workers=2)
    wf = c.w.workflows.create(friendly_name="Pairs", configuration=_routing({"queue": pair.sid}))
    ana = c.w.workers.create(friendly_name="ana", activity_sid=c.acts["Available"])
    bob = c.w.workers.create(friendly_name="bob", activity_sid=c.acts["Available"])

    a = _task(c, workflow_sid=wf.sid)               # reserved for both: ana wins, bob rescinded
    assert len(c.w.tasks(a.sid).reservations.list(reservation_status="pending")) == 2
    mine = c.w.tasks(a.sid).reservations.list(worker_sid=ana.sid)[0]
    c.w.tasks(a.sid).reservations(mine.sid).update(reservation_status="accepted")
    b = _task(c, workflow_sid=wf.sid)               # bob rejects and goes offline
    _answer(c, b.sid, "rejected", worker_activity_sid=c.acts["Offline"])
    c.sim.advance(1)                                # b is the older of the waiting tasks
    late = _task(c, workflow_sid=wf.sid)            # nobody is free
    c.w.workers(bob.sid).update(activity_sid=c.acts["Available"])   # bob takes b again...
    c.sim.advance(120)                              # ...and lets it time out (bob -> Offline)
    c.w.workers(bob.sid).update(activity_sid=c.acts["Available"])   # b a third time
    c.w.tasks(b.sid).update(assignment_status="canceled", reason="gone")  # its reservation canceled
    assert len(c.w.tasks(late.sid).reservations.list(reservation_status="pending")) == 1

    expected = {"reservations_created": 6, "reservations_accepted": 1, "reservations_rejected": 1,
                "reservations_timed_out": 1, "reservations_canceled": 1,
                "reservations_rescinded": 1}
    for stats in (c.w.cumulative_statistics().fetch(),
                  c.w.task_queues(pair.sid).cumulative_statistics().fetch(),
                  c.w.workflows(wf.sid).cumulative_statistics().fetch(),
                  c.w.workers.cumulative_statistics().fetch()):
        assert {k: getattr(stats, k) for k in expected} == expected, stats.url
    everyone = c.w.task_queues(c.queue.sid).cumulative_statistics().fetch()
    assert everyone.reservations_created == 0 and everyone.tasks_entered == 0

    bobs = c.w.workers(bob.sid).statistics().fetch().cumulative
    assert {k: bobs[k] for k in expected} == {
        "reservations_created": 5, "reservations_accepted": 0, "reservations_rejected": 1,
        "reservations_timed_out": 1, "reservations_canceled": 1, "reservations_rescinded": 1}
    anas = c.w.workers.statistics().fetch(friendly_name="ana").cumulative
    assert anas["reservations_created"] == 1 and anas["reservations_accepted"] == 1
    assert c.w.workers.statistics().fetch().realtime["total_workers"] == 2

    queue_stats = c.w.task_queues(pair.sid).statistics().fetch()
    assert queue_stats.task_queue_sid == pair.sid
    assert queue_stats.cumulative["tasks_entered"] == 3
    assert queue_stats.cumulative["tasks_canceled"] == 1
    assert queue_stats.realtime["tasks_by_status"] == {"pending": 0, "reserved": 1,
                                                       "assigned": 1, "wrapping": 0}
    assert queue_stats.realtime["total_eligible_workers"] == 2


def test_cumulative_window_follows_minutes_and_dates_on_the_clock(center):
    c = center
    c.w.workers.create(friendly_name="ana", activity_sid=c.acts["Available"])
    early = _task(c)
    c.sim.advance(5)
    _answer(c, early.sid, "accepted")               # 5 s wait, at START+5s
    c.sim.advance(20 * 60)
    c.w.tasks(early.sid).update(assignment_status="completed", reason="done")
    late = _task(c)                                 # reserved at once for ana
    c.sim.advance(8)
    _answer(c, late.sid, "accepted")                # 8 s wait, at START+20m13s

    recent = c.w.cumulative_statistics().fetch()
    assert (recent.tasks_created, recent.reservations_accepted, recent.tasks_completed) == (1, 1, 1)
    assert recent.wait_duration_until_accepted == {"avg": 8, "min": 8, "max": 8, "total": 8}

    both = c.w.cumulative_statistics().fetch(minutes=30)
    assert (both.tasks_created, both.reservations_accepted) == (2, 2)
    assert both.wait_duration_until_accepted == {"avg": 7, "min": 5, "max": 8, "total": 13}
    assert both.avg_task_acceptance_time == 7     # 6.5 s, rounded half up

    first = c.w.cumulative_statistics().fetch(start_date=START,
                                              end_date=START + timedelta(minutes=1))
    assert (first.tasks_created, first.reservations_accepted, first.tasks_completed) == (1, 1, 0)
    assert first.start_time == START and first.end_time == START + timedelta(minutes=1)
    workflow = c.w.workflows(c.wf.sid).statistics().fetch(minutes=30)
    assert workflow.cumulative["tasks_entered"] == 2
    assert workflow.realtime["tasks_by_status"]["assigned"] == 1


# -- TaskQueues -------------------------------------------------------------------------------
def test_queue_statistics_follow_a_task_through_its_routing_steps(center):
    c = center
    spanish = c.w.task_queues.create(friendly_name="Spanish", target_workers='languages HAS "es"')
    wf = c.w.workflows.create(friendly_name="Spanish first", configuration=_routing(
        {"queue": spanish.sid, "timeout": 10}, {"queue": c.queue.sid}))
    bob = c.w.workers.create(friendly_name="bob", attributes=json.dumps({"languages": ["en"]}))
    task = _task(c, workflow_sid=wf.sid, priority=3)  # nobody speaks Spanish
    c.sim.advance(10)                                 # step timeout: moved to Everyone
    c.sim.advance(5)

    everyone = c.w.task_queues(c.queue.sid).real_time_statistics().fetch()
    assert everyone.task_queue_sid == c.queue.sid and everyone.total_tasks == 1
    assert everyone.tasks_by_status["pending"] == 1 and everyone.tasks_by_priority == {"3": 1}
    assert (everyone.longest_task_waiting_sid, everyone.longest_task_waiting_age) == (task.sid, 15)
    assert (everyone.longest_relative_task_sid_in_queue,
            everyone.longest_relative_task_age_in_queue) == (task.sid, 5)
    assert (everyone.total_eligible_workers, everyone.total_available_workers) == (1, 0)
    assert {s["friendly_name"]: s["workers"] for s in everyone.activity_statistics}["Offline"] == 1
    assert c.w.task_queues(spanish.sid).real_time_statistics().fetch().total_tasks == 0
    assert c.w.task_queues(spanish.sid).real_time_statistics().fetch().total_eligible_workers == 0

    c.w.workers(bob.sid).update(activity_sid=c.acts["Available"])   # at 15 s: reserved
    c.sim.advance(5)
    _answer(c, task.sid, "accepted")                                # at 20 s

    left = c.w.task_queues(spanish.sid).cumulative_statistics().fetch()
    assert (left.tasks_entered, left.tasks_moved, left.reservations_accepted) == (1, 1, 0)
    arrived = c.w.task_queues(c.queue.sid).cumulative_statistics().fetch()
    assert (arrived.tasks_entered, arrived.tasks_moved, arrived.reservations_accepted) == (1, 0, 1)
    assert arrived.wait_duration_until_accepted == {"avg": 20, "min": 20, "max": 20, "total": 20}
    assert arrived.wait_duration_in_queue_until_accepted == {"avg": 10, "min": 10, "max": 10,
                                                             "total": 10}
    # entries before the window still date the moves and in-queue waits inside it
    later = c.w.task_queues(c.queue.sid).cumulative_statistics().fetch(
        start_date=START + timedelta(seconds=15))
    assert (later.tasks_entered, later.reservations_accepted) == (0, 1)
    assert later.wait_duration_in_queue_until_accepted["total"] == 10
    assert c.w.task_queues(spanish.sid).cumulative_statistics().fetch(
        start_date=START + timedelta(seconds=5)).tasks_moved == 1
    assert c.w.cumulative_statistics().fetch().tasks_moved == 1
    assert c.w.workflows(wf.sid).cumulative_statistics().fetch().tasks_moved == 1
    assert c.w.task_queues(c.queue.sid).real_time_statistics().fetch().total_available_workers == 1


def test_queue_statistics_list_and_bulk_real_time(center):
    c = center
    sales = c.w.task_queues.create(friendly_name="Sales")
    c.w.workers.create(friendly_name="ana", activity_sid=c.acts["Available"])
    _task(c)
    _task(c)

    listed = c.w.task_queues.statistics.list()
    assert [s.task_queue_sid for s in listed] == [c.queue.sid, sales.sid]
    assert listed[0].realtime["tasks_by_status"] == {"pending": 1, "reserved": 1,
                                                     "assigned": 0, "wrapping": 0}
    assert listed[0].cumulative["tasks_entered"] == 2 and listed[1].cumulative["tasks_entered"] == 0
    assert [s.task_queue_sid for s in c.w.task_queues.statistics.list(friendly_name="Sales")] == \
        [sales.sid]
    assert [s.task_queue_sid for s in c.w.task_queues.statistics.list(page_size=1)] == \
        [c.queue.sid, sales.sid]

    stranger = "WQ" + "f" * 32
    bulk = c.w.task_queues.bulk_real_time_statistics.create(
        body=JsonBody(QueueSids=[sales.sid, c.queue.sid, stranger]))
    assert bulk.task_queue_response_count == 3
    assert [d["task_queue_sid"] for d in bulk.task_queue_data] == [sales.sid, c.queue.sid, stranger]
    assert bulk.task_queue_data[1]["total_tasks"] == 2
    assert bulk.task_queue_data[1]["total_available_workers"] == 1
    assert bulk.task_queue_data[2]["total_tasks"] == 0
    assert bulk.task_queue_data[2]["tasks_by_status"] == {"pending": 0, "reserved": 0,
                                                          "assigned": 0, "wrapping": 0}
    assert _error(lambda: c.w.task_queues.bulk_real_time_statistics.create(
        body=JsonBody(QueueSids=[]))).status == 400
    assert _error(lambda: c.w.task_queues.bulk_real_time_statistics.create(
        body=JsonBody(QueueSids=["not a sid"]))).status == 400
    assert _error(lambda: c.w.task_queues.bulk_real_time_statistics.create(
        body=JsonBody(QueueSids=[c.queue.sid] * 51))).status == 400


# -- Workers ----------------------------------------------------------------------------------
def test_worker_activity_durations_on_the_clock(center):
    c = center
    ana = c.w.workers.create(friendly_name="ana", attributes=json.dumps({"team": "a"}))  # Offline
    c.w.workers.create(friendly_name="bob")                                              # Offline
    c.sim.advance(60)
    c.w.workers(ana.sid).update(activity_sid=c.acts["Available"])
    c.sim.advance(30)
    c.w.workers(ana.sid).update(activity_sid=c.acts["Unavailable"])
    c.sim.advance(10)                                                  # now START+100s

    def by_name(durations):
        return {d["friendly_name"]: {k: d[k] for k in ("avg", "min", "max", "total")}
                for d in durations}

    everyone = by_name(c.w.workers.cumulative_statistics().fetch().activity_durations)
    assert everyone == {"Offline": {"avg": 80, "min": 60, "max": 100, "total": 160},
                        "Available": {"avg": 30, "min": 30, "max": 30, "total": 30},
                        "Unavailable": {"avg": 10, "min": 10, "max": 10, "total": 10}}
    anas = by_name(c.w.workers(ana.sid).statistics().fetch().cumulative["activity_durations"])
    assert anas["Offline"] == {"avg": 60, "min": 60, "max": 60, "total": 60}
    last_minute = by_name(c.w.workers(ana.sid).statistics().fetch(minutes=1)
                          .cumulative["activity_durations"])
    assert {n: d["total"] for n, d in last_minute.items()} == \
        {"Offline": 20, "Available": 30, "Unavailable": 10}
    assert by_name(c.w.workers.statistics().fetch(friendly_name="bob")
                   .cumulative["activity_durations"])["Offline"]["total"] == 100

    real = c.w.workers.real_time_statistics().fetch()
    assert real.total_workers == 2
    assert {s["friendly_name"]: s["workers"] for s in real.activity_statistics} == \
        {"Offline": 1, "Available": 0, "Unavailable": 1}
    team = c.w.task_queues.create(friendly_name="Team A", target_workers='team == "a"')
    scoped = c.w.workers.statistics().fetch(task_queue_sid=team.sid)
    assert scoped.realtime["total_workers"] == 1
    assert c.w.workers.statistics().fetch(task_queue_name="Team A").realtime["total_workers"] == 1


# -- Workflows and channels ---------------------------------------------------------------------
def test_workflow_timeout_and_task_channel_filter(center):
    c = center
    nobody = c.w.task_queues.create(friendly_name="Nobody", target_workers='skill == "none"')
    wf = c.w.workflows.create(friendly_name="Short", configuration=json.dumps({"task_routing": {
        "filters": [{"expression": "1==1", "targets": [{"queue": nobody.sid, "timeout": 30}]}],
        "default_filter": {"queue": nobody.sid}}}))
    _task(c, workflow_sid=wf.sid, task_channel="chat")
    _task(c, workflow_sid=wf.sid)                    # default channel
    c.sim.advance(30)                               # both fall off the workflow's last step

    cum = c.w.workflows(wf.sid).cumulative_statistics().fetch()
    assert (cum.tasks_entered, cum.tasks_timed_out_in_workflow, cum.tasks_canceled) == (2, 2, 2)
    assert cum.wait_duration_until_canceled == {"avg": 30, "min": 30, "max": 30, "total": 60}
    assert c.w.workflows(wf.sid).real_time_statistics().fetch().total_tasks == 0
    assert c.w.task_queues(nobody.sid).cumulative_statistics().fetch().tasks_canceled == 2

    in_chat = c.w.cumulative_statistics().fetch(task_channel="chat")
    assert (in_chat.tasks_created, in_chat.tasks_timed_out_in_workflow) == (1, 1)
    assert c.w.task_queues(nobody.sid).cumulative_statistics().fetch(
        task_channel="chat").tasks_entered == 1
    later = _task(c, workflow_sid=wf.sid, task_channel="chat")
    assert c.w.real_time_statistics().fetch(task_channel="chat").total_tasks == 1
    assert c.w.real_time_statistics().fetch(task_channel="voice").total_tasks == 0
    assert c.w.workflows(wf.sid).statistics().fetch(task_channel="chat").realtime[
        "longest_task_waiting_sid"] == later.sid
    assert _error(lambda: c.w.cumulative_statistics().fetch(task_channel="fax")).status == 400


def test_statistics_errors(center, sim, client):
    c = center
    assert _error(lambda: c.w.task_queues("WQ" + "0" * 32).statistics().fetch()).code == 20404
    assert _error(lambda: c.w.workflows("WW" + "0" * 32).cumulative_statistics().fetch()).code == 20404
    assert _error(lambda: c.w.workers("WK" + "0" * 32).statistics().fetch()).code == 20404
    assert _error(lambda: c.w.cumulative_statistics().fetch(split_by_wait_time="5,x")).status == 400
    assert _error(lambda: c.w.statistics().fetch(minutes=0)).status == 400
    sub = client.api.v2010.accounts.create()
    e = _error(lambda: sim.client(sub.sid, sub.auth_token).taskrouter.v1.workspaces(
        c.ws.sid).statistics().fetch())
    assert e.status == 404 and e.code == 20404
