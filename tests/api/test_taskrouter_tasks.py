"""TaskRouter Tasks and Reservations through the real twilio SDK, over both transports.

Tasks: create, fetch, list with its filters, update, delete, ETag / If-Match. Reservations
under tasks and workers: statuses and the instructions (accept, reject, call, dequeue,
redirect, conference), whose voice side shows up as Calls records moving on the clock.
Worker ``RejectPendingReservations`` and Workflow ``ReEvaluateTasks``.
"""
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from twilio.base.exceptions import TwilioRestException

from messaging_fixtures import numbers

START = datetime(2030, 3, 4, 9, 0, 0, tzinfo=timezone.utc)
CALLER = "+14155550199"


def _error(call):
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def _etag(response) -> str:
    """The ETag header of an SDK ``*_with_http_info`` answer (header names are
    case-insensitive; a server may send ``Etag``)."""
    found = [v for k, v in response.headers.items() if k.lower() == "etag"]
    assert len(found) == 1, response.headers
    return found[0]


def _routing(queue_sid, expression="1==1"):
    return json.dumps({"task_routing": {
        "filters": [{"filter_friendly_name": "all", "expression": expression,
                     "targets": [{"queue": queue_sid}]}],
        "default_filter": {"queue": queue_sid}}})


@pytest.fixture
def center(sim, client):
    """A workspace with one queue for everyone and one workflow to it; the clock frozen."""
    sim.freeze(START.isoformat())
    ws = client.taskrouter.v1.workspaces.create(friendly_name="Tasks")
    w = client.taskrouter.v1.workspaces(ws.sid)
    acts = {a.friendly_name: a.sid for a in w.activities.list()}
    queue = w.task_queues.create(friendly_name="Everyone")
    wf = w.workflows.create(friendly_name="Route", configuration=_routing(queue.sid))
    return SimpleNamespace(sim=sim, client=client, ws=ws, w=w, acts=acts, queue=queue, wf=wf)


def _agent(c, name, **attributes):
    attributes.setdefault("contact_uri", f"client:{name}")
    return c.w.workers.create(friendly_name=name, activity_sid=c.acts["Available"],
                              attributes=json.dumps(attributes))


def _pending(c, task_sid):
    found = c.w.tasks(task_sid).reservations.list(reservation_status="pending")
    assert len(found) == 1, found
    return found[0]


def _voice_task(c, **attributes):
    """A task as ``<Enqueue>`` makes it: the caller's call and the number dialled."""
    return c.w.tasks.create(task_channel="voice", attributes=json.dumps(
        {"call_sid": "CA" + "0" * 32, "from": CALLER, "to": "+15017122661", **attributes}))


# -- Tasks -----------------------------------------------------------------------------------
def test_create_keeps_attributes_as_sent_and_answers_an_etag(center):
    c = center
    sent = '{"type":  "support",   "lang": "fr"}'
    created = c.w.tasks.create_with_http_info(attributes=sent, priority=5, timeout=3600,
                                              task_channel="chat")
    task = created.data
    assert created.status_code == 201 and _etag(created)
    assert task.sid.startswith("WT") and task.attributes == sent
    assert (task.priority, task.timeout, task.task_channel_unique_name) == (5, 3600, "chat")
    assert task.assignment_status == "pending" and task.age == 0
    assert task.workflow_sid == c.wf.sid and task.workflow_friendly_name == "Route"
    assert task.task_queue_sid == c.queue.sid and task.task_queue_friendly_name == "Everyone"
    base = f"https://taskrouter.twilio.com/v1/Workspaces/{c.ws.sid}"
    assert task.url == f"{base}/Tasks/{task.sid}"
    assert task.links == {"task_queue": f"{base}/TaskQueues/{c.queue.sid}",
                          "workflow": f"{base}/Workflows/{c.wf.sid}",
                          "workspace": base,
                          "reservations": f"{base}/Tasks/{task.sid}/Reservations"}
    c.sim.advance(90)
    fetched = c.w.tasks(task.sid).fetch_with_http_info()
    assert fetched.data.age == 90 and fetched.data.attributes == sent
    assert _etag(fetched) == _etag(created)


def test_workflow_sid_may_be_left_out_only_with_one_workflow(center):
    c = center
    assert c.w.tasks.create(attributes="{}").workflow_sid == c.wf.sid
    c.w.workflows.create(friendly_name="Other", configuration=_routing(c.queue.sid))
    e = _error(lambda: c.w.tasks.create(attributes="{}"))
    assert (e.status, e.code) == (400, 20001)
    assert _error(lambda: c.w.tasks.create(attributes="not json")).status == 400


def test_fetch_of_another_workspaces_task_is_404(center):
    c = center
    task = c.w.tasks.create(attributes="{}")
    other = c.client.taskrouter.v1.workspaces.create(friendly_name="Other")
    e = _error(lambda: c.client.taskrouter.v1.workspaces(other.sid).tasks(task.sid).fetch())
    assert (e.status, e.code) == (404, 20404)


def test_list_filters(center, http):
    c = center
    sales = c.w.task_queues.create(friendly_name="Sales", target_workers="skill == 'sales'")
    by_lang = c.w.workflows.create(friendly_name="ByLang", configuration=json.dumps(
        {"task_routing": {"filters": [{"expression": "lang == 'es'",
                                       "targets": [{"queue": sales.sid}]}],
                          "default_filter": {"queue": c.queue.sid}}}))
    low = c.w.tasks.create(workflow_sid=c.wf.sid, attributes='{"lang": "en"}', priority=1)
    c.sim.advance(1)
    high = c.w.tasks.create(workflow_sid=c.wf.sid, attributes='{"lang": "fr"}', priority=9)
    c.sim.advance(1)
    spanish = c.w.tasks.create(workflow_sid=by_lang.sid, attributes='{"lang": "es"}', priority=5)
    c.sim.advance(1)
    gone = c.w.tasks.create(workflow_sid=c.wf.sid, attributes='{"lang": "de"}')
    c.w.tasks(gone.sid).update(assignment_status="canceled", reason="caller hung up")

    def sids(**kw):
        return [t.sid for t in c.w.tasks.list(**kw)]

    assert sids() == [low.sid, high.sid, spanish.sid, gone.sid]
    assert sids(assignment_status=["pending"]) == [low.sid, high.sid, spanish.sid]
    assert sids(assignment_status=["canceled", "pending"]) == [low.sid, high.sid, spanish.sid,
                                                               gone.sid]
    status, _, body = http("GET", f"/taskrouter/v1/Workspaces/{c.ws.sid}/Tasks"
                                  "?AssignmentStatus=canceled,reserved",
                           auth=(c.sim.account_sid, c.sim.auth_token))
    assert status == 200 and [t["sid"] for t in json.loads(body)["tasks"]] == [gone.sid]
    assert sids(priority=9) == [high.sid]
    assert sids(workflow_sid=by_lang.sid) == [spanish.sid]
    assert sids(workflow_name="ByLang") == [spanish.sid]
    assert sids(task_queue_sid=sales.sid) == [spanish.sid]
    assert sids(task_queue_name="Everyone") == [low.sid, high.sid, gone.sid]
    assert sids(evaluate_task_attributes="lang IN ['fr', 'es']") == [high.sid, spanish.sid]
    assert sids(ordering="Priority:desc") == [high.sid, spanish.sid, low.sid, gone.sid]
    assert sids(ordering="DateCreated:desc") == [gone.sid, spanish.sid, high.sid, low.sid]
    assert sids(has_addons=False) == [low.sid, high.sid, spanish.sid, gone.sid]
    assert sids(has_addons=True) == []
    assert [t.sid for t in c.w.tasks.list(page_size=2)] == sids()   # paging keeps the order
    for query in ("AssignmentStatus=lost", "Ordering=DateCreated:asc,VirtualStartTime:desc"):
        status, _, body = http("GET", f"/taskrouter/v1/Workspaces/{c.ws.sid}/Tasks?{query}",
                               auth=(c.sim.account_sid, c.sim.auth_token))
        assert (status, json.loads(body)["code"]) == (400, 20422), query


def test_routing_target_filter(center):
    c = center
    sales = c.w.task_queues.create(friendly_name="Sales", target_workers="skill == 'sales'")
    direct = c.w.tasks.create(attributes="{}", routing_target=sales.sid, workflow_sid=c.wf.sid)
    c.w.tasks.create(attributes="{}")
    assert (direct.routing_target, direct.task_queue_sid) == (sales.sid, sales.sid)
    assert direct.ignore_capacity is None   # it applies to a Worker target only
    assert [t.sid for t in c.w.tasks.list(routing_target=sales.sid)] == [direct.sid]


def test_update_attributes_priority_channel_and_if_match(center):
    c = center
    task = c.w.tasks.create_with_http_info(attributes='{"n": 1}')
    etag = _etag(task)
    e = _error(lambda: c.w.tasks(task.data.sid).update(attributes='{"n": 2}', if_match=etag + "9"))
    assert (e.status, e.code) == (412, 20412)
    assert c.w.tasks(task.data.sid).fetch().attributes == '{"n": 1}'
    updated = c.w.tasks(task.data.sid).update_with_http_info(
        attributes='{"n":  2}', priority=7, task_channel="sms", if_match=etag)
    assert updated.status_code == 200 and _etag(updated) != etag
    t = updated.data
    assert (t.attributes, t.priority, t.task_channel_unique_name) == ('{"n":  2}', 7, "sms")
    e = _error(lambda: c.w.tasks(t.sid).update(priority=1, if_match=etag))   # stale now
    assert e.status == 412
    assert c.w.tasks(t.sid).update(priority=1, if_match=_etag(updated)).priority == 1


def test_reason_is_required_and_transitions_are_checked(center):
    c = center
    task = c.w.tasks.create(attributes="{}")
    e = _error(lambda: c.w.tasks(task.sid).update(assignment_status="canceled"))
    assert (e.status, e.code) == (400, 20001) and "Reason" in e.msg
    e = _error(lambda: c.w.tasks(task.sid).update(assignment_status="completed", reason="done"))
    assert (e.status, e.code) == (400, 20001)
    assert "because it is not currently assigned" in e.msg
    e = _error(lambda: c.w.tasks(task.sid).update(assignment_status="wrapping"))
    assert (e.status, e.code) == (400, 20001)
    canceled = c.w.tasks(task.sid).update(assignment_status="canceled", reason="caller hung up")
    assert (canceled.assignment_status, canceled.reason) == ("canceled", "caller hung up")
    e = _error(lambda: c.w.tasks(task.sid).update(assignment_status="canceled", reason="again"))
    assert (e.status, e.code) == (400, 20001)
    assert "because it is not pending or reserved" in e.msg


def test_assigned_task_wraps_up_and_completes_through_the_task(center):
    c = center
    _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    r = _pending(c, task.sid)
    c.w.tasks(task.sid).reservations(r.sid).update(reservation_status="accepted")
    assert c.w.tasks(task.sid).update(assignment_status="wrapping").assignment_status == "wrapping"
    done = c.w.tasks(task.sid).update(assignment_status="completed", reason="resolved")
    assert (done.assignment_status, done.reason) == ("completed", "resolved")
    assert c.w.tasks(task.sid).reservations(r.sid).fetch().reservation_status == "completed"


def test_delete_with_if_match(center, http):
    """(twilio-python 9.13's Task delete drops its If-Match header, so it goes raw here.)"""
    c = center
    task = c.w.tasks.create_with_http_info(attributes="{}")
    sid = task.data.sid
    path, auth = f"/taskrouter/v1/Workspaces/{c.ws.sid}/Tasks/{sid}", (c.sim.account_sid,
                                                                       c.sim.auth_token)
    status, _, body = http("DELETE", path, auth=auth, headers={"If-Match": "12345"})
    assert (status, json.loads(body)["code"]) == (412, 20412)
    assert c.w.tasks(sid).fetch().sid == sid
    status, _, body = http("DELETE", path, auth=auth, headers={"If-Match": _etag(task)})
    assert (status, body) == (204, "")
    assert _error(lambda: c.w.tasks(sid).fetch()).status == 404
    other = c.w.tasks.create(attributes="{}")
    assert c.w.tasks(other.sid).delete() is True   # unconditional without If-Match


# -- Reservations ------------------------------------------------------------------------------
def test_reservations_under_the_task_and_the_worker(center):
    c = center
    c.w.task_queues(c.queue.sid).update(max_reserved_workers=2)
    ana, bob = _agent(c, "ana"), _agent(c, "bob")
    task = c.w.tasks.create(attributes="{}")
    under_task = c.w.tasks(task.sid).reservations.list()
    assert sorted(r.worker_name for r in under_task) == ["ana", "bob"]
    mine = c.w.tasks(task.sid).reservations.list(worker_sid=ana.sid)
    assert len(mine) == 1 and mine[0].worker_sid == ana.sid
    r = mine[0]
    base = f"https://taskrouter.twilio.com/v1/Workspaces/{c.ws.sid}"
    assert r.url == f"{base}/Tasks/{task.sid}/Reservations/{r.sid}"
    assert r.links == {"task": f"{base}/Tasks/{task.sid}", "worker": f"{base}/Workers/{ana.sid}",
                       "workspace": base}
    fetched = c.w.tasks(task.sid).reservations(r.sid).fetch_with_http_info()
    assert _etag(fetched) and fetched.data.reservation_status == "pending"
    as_worker = c.w.workers(ana.sid).reservations(r.sid).fetch()
    assert as_worker.url == f"{base}/Workers/{ana.sid}/Reservations/{r.sid}"
    assert [x.sid for x in c.w.workers(ana.sid).reservations.list()] == [r.sid]
    c.w.workers(ana.sid).reservations(r.sid).update(reservation_status="accepted")
    assert [x.sid for x in c.w.workers(ana.sid).reservations.list(
        reservation_status="accepted")] == [r.sid]
    assert c.w.workers(ana.sid).reservations.list(reservation_status="pending") == []
    bobs = c.w.workers(bob.sid).reservations.list()
    assert [x.reservation_status for x in bobs] == ["rescinded"]
    rescinded = c.w.tasks(task.sid).reservations.list(reservation_status="rescinded")
    assert [x.worker_sid for x in rescinded] == [bob.sid]
    e = _error(lambda: c.w.workers(bob.sid).reservations(r.sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    other = c.w.tasks.create(attributes="{}")
    assert _error(lambda: c.w.tasks(other.sid).reservations(r.sid).fetch()).status == 404


def test_reservation_statuses_if_match_and_capacity(center):
    c = center
    ana = _agent(c, "ana")
    c.w.workers(ana.sid).worker_channels("chat").update(capacity=2)
    task = c.w.tasks.create(attributes="{}", task_channel="chat")
    r = _pending(c, task.sid)
    chat = c.w.workers(ana.sid).worker_channels("chat")
    assert chat.fetch().available_capacity_percentage == 50   # one of two held by the offer
    res = c.w.tasks(task.sid).reservations(r.sid)
    e = _error(lambda: res.update(reservation_status="wrapping"))
    assert (e.status, e.code) == (400, 20001)
    e = _error(lambda: c.w.tasks(task.sid).reservations(r.sid).update(
        reservation_status="accepted", if_match="999"))
    assert (e.status, e.code) == (412, 20412)
    etag = _etag(c.w.tasks(task.sid).reservations(r.sid).fetch_with_http_info())
    accepted = c.w.tasks(task.sid).reservations(r.sid).update(reservation_status="accepted",
                                                              if_match=etag)
    assert accepted.reservation_status == "accepted"
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"
    assert chat.fetch().available_capacity_percentage == 50
    e = _error(lambda: res.update(reservation_status="accepted"))
    assert (e.status, e.code) == (400, 20001)
    c.w.tasks(task.sid).reservations(r.sid).update(reservation_status="wrapping")
    assert c.w.tasks(task.sid).fetch().assignment_status == "wrapping"
    c.w.tasks(task.sid).reservations(r.sid).update(reservation_status="completed")
    assert c.w.tasks(task.sid).fetch().assignment_status == "completed"
    assert chat.fetch().available_capacity_percentage == 100
    c.w.workers(ana.sid).worker_channels("chat").update(available=False)
    assert chat.fetch().available_capacity_percentage == 0


def test_reject_moves_the_worker_and_offers_the_task_again(center):
    c = center
    ana = _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    bob = _agent(c, "bob")
    r = _pending(c, task.sid)
    assert r.worker_sid == ana.sid
    rejected = c.w.workers(ana.sid).reservations(r.sid).update(
        instruction="reject", worker_activity_sid=c.acts["Unavailable"])
    assert rejected.reservation_status == "rejected"
    assert c.w.workers(ana.sid).fetch().activity_name == "Unavailable"
    assert _pending(c, task.sid).worker_sid == bob.sid
    e = _error(lambda: c.w.tasks(task.sid).reservations(r.sid).update(
        reservation_status="rejected", worker_activity_sid="WA" + "f" * 32))
    assert e.status == 400


def test_accept_instruction(center):
    c = center
    _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    r = _pending(c, task.sid)
    accepted = c.w.tasks(task.sid).reservations(r.sid).update(instruction="accept")
    assert accepted.reservation_status == "accepted"
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"


def test_call_instruction_places_a_call_to_the_worker(center, receiver):
    c = center
    ana = _agent(c, "ana")
    task = c.w.tasks.create(attributes='{"type": "callback"}', task_channel="voice")
    r = _pending(c, task.sid)
    res = c.w.tasks(task.sid).reservations(r.sid)
    e = _error(lambda: res.update(instruction="call", call_url=receiver.url("/agent")))
    assert (e.status, e.code) == (400, 40111)
    assert _error(lambda: res.update(instruction="call", call_from="+15017122661")).code == 40112
    updated = res.update(instruction="call", call_from="+15017122661",
                         call_url=receiver.url("/agent"),
                         call_status_callback_url=receiver.url("/agent-status"))
    assert updated.reservation_status == "pending"   # CallAccept defaults to false
    attributes = json.loads(c.w.tasks(task.sid).fetch().attributes)
    assert attributes["type"] == "callback"
    call = c.client.calls(attributes["worker_call_sid"]).fetch()
    assert (call.to, call._from, call.status) == ("client:ana", "+15017122661", "queued")
    c.sim.advance(3)
    assert c.client.calls(call.sid).fetch().status == "in-progress"
    assert receiver.at("/agent")[0]["form"]["CallSid"] == call.sid
    c.sim.advance(5)
    assert c.client.calls(call.sid).fetch().status == "completed"
    assert receiver.at("/agent-status")[0]["form"]["CallStatus"] == "completed"
    assert c.w.workers(ana.sid).reservations(r.sid).fetch().reservation_status == "pending"


def test_call_instruction_with_accept_and_its_codes(center, receiver):
    c = center
    c.w.workers.create(friendly_name="nouri", activity_sid=c.acts["Available"])  # no contact_uri
    task = c.w.tasks.create(attributes="{}")
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="call", call_from="+15017122661",
                                  call_url=receiver.url("/agent")))
    assert (e.status, e.code) == (400, 40110)
    accepted = res.update(instruction="call", call_to="+14155550100", call_from="+15017122661",
                          call_url=receiver.url("/agent"), call_accept=True)
    assert accepted.reservation_status == "accepted"
    worker_call = json.loads(c.w.tasks(task.sid).fetch().attributes)["worker_call_sid"]
    assert c.client.calls(worker_call).fetch().to == "+14155550100"
    e = _error(lambda: res.update(instruction="call", call_from="+15017122661",
                                  call_url=receiver.url("/agent")))
    assert (e.status, e.code) == (400, 40114)


def test_dequeue_instruction_connects_the_caller_to_the_worker(center):
    c = center
    _agent(c, "ana")
    task = _voice_task(c)
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="dequeue",
                                  dequeue_status_callback_event=["hung-up"]))
    assert (e.status, e.code) == (400, 40134)
    dequeued = res.update(instruction="dequeue")
    assert dequeued.reservation_status == "accepted"
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"
    worker_call = json.loads(c.w.tasks(task.sid).fetch().attributes)["worker_call_sid"]
    call = c.client.calls(worker_call).fetch()
    assert (call.to, call._from) == ("client:ana", "+15017122661")   # from: the number dialled
    e = _error(lambda: res.update(instruction="dequeue"))
    assert (e.status, e.code) == (400, 40135)


def test_dequeue_needs_the_callers_call_and_a_from(center):
    c = center
    _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="dequeue", dequeue_from="+15017122661"))
    assert (e.status, e.code) == (400, 40140)
    c.w.tasks(task.sid).update(assignment_status="canceled", reason="not a call")
    other = c.w.tasks.create(attributes=json.dumps({"call_sid": "CA" + "1" * 32}))
    res = c.w.tasks(other.sid).reservations(_pending(c, other.sid).sid)
    assert _error(lambda: res.update(instruction="dequeue")).code == 40132
    assert res.update(instruction="dequeue", dequeue_from="+15017122661",
                      dequeue_to="+14155550100").reservation_status == "accepted"


def test_redirect_instruction_gives_the_call_a_new_url(center, client, receiver):
    c = center
    local, _ = numbers(client)
    caller = client.calls.create(to=CALLER, from_=local.phone_number, url=receiver.url("/ivr"))
    c.sim.advance(3)
    assert client.calls(caller.sid).fetch().status == "in-progress"
    _agent(c, "ana")
    task = _voice_task(c, call_sid=caller.sid)
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="redirect", redirect_call_sid=caller.sid))
    assert (e.status, e.code) == (400, 40120)
    assert _error(lambda: res.update(instruction="redirect",
                                     redirect_url=receiver.url("/agent"))).code == 40121
    e = _error(lambda: res.update(instruction="redirect", redirect_call_sid="CA" + "9" * 32,
                                  redirect_url=receiver.url("/agent")))
    assert (e.status, e.code) == (400, 40122)
    redirected = res.update(instruction="redirect", redirect_call_sid=caller.sid,
                            redirect_url=receiver.url("/agent"), redirect_accept=True)
    assert redirected.reservation_status == "accepted"
    hooks = receiver.at("/agent")
    assert len(hooks) == 1 and hooks[0]["form"]["CallSid"] == caller.sid
    assert receiver.valid(hooks[0], c.sim.auth_token)
    e = _error(lambda: res.update(instruction="redirect", redirect_call_sid=caller.sid,
                                  redirect_url=receiver.url("/agent")))
    assert (e.status, e.code) == (400, 40123)


def test_conference_instruction_calls_the_worker_into_the_tasks_conference(center):
    c = center
    ana = _agent(c, "ana")
    task = _voice_task(c)
    r = _pending(c, task.sid)
    res = c.w.workers(ana.sid).reservations(r.sid)
    conferenced = res.update(instruction="conference", from_="+15017122661")
    assert conferenced.reservation_status == "accepted"
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"
    conference = json.loads(c.w.tasks(task.sid).fetch().attributes)["conference"]
    assert conference["sid"].startswith("CF")
    assert conference["participants"]["customer"] == "CA" + "0" * 32
    call = c.client.calls(conference["participants"]["worker"]).fetch()
    assert (call.to, call._from, call.status) == ("client:ana", "+15017122661", "queued")
    c.sim.advance(1)
    assert c.client.calls(call.sid).fetch().status == "ringing"
    e = _error(lambda: res.update(instruction="conference", from_="+15017122661"))
    assert (e.status, e.code) == (400, 40136)


def test_a_malformed_conference_option_is_refused_and_changes_nothing(center):
    c = center
    _agent(c, "ana")
    task = _voice_task(c)
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="conference", from_="+15017122661",
                                  end_conference_on_exit="maybe"))
    assert (e.status, e.code) == (400, 20422) and "EndConferenceOnExit" in e.msg
    e = _error(lambda: res.update(instruction="conference", from_="+15017122661", timeout=0))
    assert (e.status, e.code) == (400, 20422) and "Timeout" in e.msg and "at least 1" in e.msg
    assert res.fetch().reservation_status == "pending"
    assert "conference" not in json.loads(c.w.tasks(task.sid).fetch().attributes)
    joined = res.update(instruction="conference", from_="+15017122661",
                        end_conference_on_exit=True, timeout=30, max_participants=10)
    assert joined.reservation_status == "accepted"


def test_conference_codes(center):
    c = center
    c.w.workers.create(friendly_name="nouri", activity_sid=c.acts["Available"])  # no contact_uri
    task = c.w.tasks.create(attributes=json.dumps({"call_sid": "CA" + "0" * 32}))
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    e = _error(lambda: res.update(instruction="conference", from_="+15017122661"))
    assert (e.status, e.code) == (400, 40137)
    e = _error(lambda: res.update(instruction="conference", to="client:nouri"))
    assert (e.status, e.code) == (400, 40138)
    bare = c.w.tasks.create(attributes="{}")
    c.w.tasks(task.sid).update(assignment_status="canceled", reason="hung up")
    res = c.w.tasks(bare.sid).reservations(_pending(c, bare.sid).sid)
    e = _error(lambda: res.update(instruction="conference", to="client:nouri",
                                  from_="+15017122661"))
    assert (e.status, e.code) == (400, 40142)


def test_outbound_conference_calls_the_customer_too(center):
    c = center
    _agent(c, "ana")
    task = c.w.tasks.create(task_channel="voice",
                            attributes=json.dumps({"outbound_to": "+14155550123"}))
    res = c.w.tasks(task.sid).reservations(_pending(c, task.sid).sid)
    res.update(instruction="conference", from_="+15017122661")
    parties = json.loads(c.w.tasks(task.sid).fetch().attributes)["conference"]["participants"]
    assert c.client.calls(parties["customer"]).fetch().to == "+14155550123"
    assert c.client.calls(parties["worker"]).fetch().to == "client:ana"


def test_assignment_callback_instructions_are_carried_out(center, receiver):
    c = center
    receiver.reply("/assign", json.dumps({"instruction": "conference", "from": "+15017122661"}),
                   content_type="application/json")
    c.w.workflows(c.wf.sid).update(assignment_callback_url=receiver.url("/assign"))
    _agent(c, "ana")
    task = _voice_task(c)
    assert receiver.at("/assign")[0]["form"]["TaskSid"] == task.sid
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"
    conference = json.loads(c.w.tasks(task.sid).fetch().attributes)["conference"]
    worker_call = conference["participants"]["worker"]
    assert c.client.calls(worker_call).fetch().to == "client:ana"


def test_assignment_callback_call_instruction(center, receiver):
    c = center
    receiver.reply("/assign", json.dumps({"instruction": "call", "from": "+15017122661",
                                          "url": receiver.url("/agent"), "accept": True}),
                   content_type="application/json")
    c.w.workflows(c.wf.sid).update(assignment_callback_url=receiver.url("/assign"))
    _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    attributes = json.loads(c.w.tasks(task.sid).fetch().attributes)
    assert c.client.calls(attributes["worker_call_sid"]).fetch().to == "client:ana"
    assert c.w.tasks(task.sid).fetch().assignment_status == "assigned"


# -- Workers and Workflows ---------------------------------------------------------------------
def test_worker_reject_pending_reservations(center):
    c = center
    ana = _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    bob = _agent(c, "bob")
    r = _pending(c, task.sid)
    assert r.worker_sid == ana.sid
    e = _error(lambda: c.w.workers(ana.sid).update(activity_sid=c.acts["Available"],
                                                    reject_pending_reservations=True))
    assert e.status == 400
    moved = c.w.workers(ana.sid).update(activity_sid=c.acts["Offline"],
                                        reject_pending_reservations=True)
    assert moved.activity_name == "Offline"
    assert c.w.tasks(task.sid).reservations(r.sid).fetch().reservation_status == "rejected"
    assert _pending(c, task.sid).worker_sid == bob.sid


def test_worker_update_if_match(center, http):
    c = center
    ana = _agent(c, "ana")
    path = f"/taskrouter/v1/Workspaces/{c.ws.sid}/Workers/{ana.sid}"
    auth = (c.sim.account_sid, c.sim.auth_token)
    status, _, body = http("POST", path, auth=auth, headers={"If-Match": "999"},
                           data={"FriendlyName": "ana2"})
    assert status == 412 and json.loads(body)["code"] == 20412
    assert c.w.workers(ana.sid).fetch().friendly_name == "ana"


def test_switching_between_available_activities_keeps_reservations(center):
    c = center
    lunch_ok = c.w.activities.create(friendly_name="Available (chat)", available=True)
    ana = _agent(c, "ana")
    task = c.w.tasks.create(attributes="{}")
    r = _pending(c, task.sid)
    c.w.workers(ana.sid).update(activity_sid=lunch_ok.sid)
    assert c.w.tasks(task.sid).reservations(r.sid).fetch().reservation_status == "pending"


def test_workflow_re_evaluate_tasks(center):
    c = center
    sales = c.w.task_queues.create(friendly_name="Sales", target_workers="skill == 'sales'")
    support = c.w.task_queues.create(friendly_name="Support", target_workers="skill == 'support'")
    wf = c.w.workflows.create(friendly_name="Lines", configuration=_routing(sales.sid))
    _agent(c, "ana", skill="support")
    first = c.w.tasks.create(workflow_sid=wf.sid, attributes="{}")
    second = c.w.tasks.create(workflow_sid=wf.sid, attributes="{}")
    assert c.w.tasks(first.sid).fetch().task_queue_sid == sales.sid
    c.w.workflows(wf.sid).update(configuration=_routing(support.sid))
    assert c.w.tasks(first.sid).fetch().task_queue_sid == sales.sid   # not re-evaluated
    c.w.workflows(wf.sid).update(configuration=_routing(support.sid), re_evaluate_tasks=True)
    one, two = c.w.tasks(first.sid).fetch(), c.w.tasks(second.sid).fetch()
    assert (one.task_queue_sid, two.task_queue_sid) == (support.sid, support.sid)
    assert (one.assignment_status, two.assignment_status) == ("reserved", "pending")
    assert _pending(c, first.sid).worker_name == "ana"
