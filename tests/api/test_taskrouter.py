"""TaskRouter base resources through the real twilio SDK, over both transports."""
import json

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException


def _error(call):
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


@pytest.fixture
def ws(client):
    return client.taskrouter.v1.workspaces.create(friendly_name="Support")


def test_workspace_create_has_default_activities_and_task_channels(client, ws):
    assert ws.sid.startswith("WS") and ws.multi_task_enabled is True
    assert ws.default_activity_name == "Offline" and ws.timeout_activity_name == "Offline"
    acts = {a.friendly_name: a.available for a in client.taskrouter.v1.workspaces(ws.sid).activities.list()}
    assert acts == {"Offline": False, "Available": True, "Unavailable": False}
    channels = {c.unique_name for c in client.taskrouter.v1.workspaces(ws.sid).task_channels.list()}
    assert channels == {"default", "voice", "chat", "sms", "video"}


def test_workspace_fetch_list_filter_update_delete(client, ws):
    other = client.taskrouter.v1.workspaces.create(friendly_name="Sales", template="FIFO")
    assert [w.sid for w in client.taskrouter.v1.workspaces.list(friendly_name="Sales")] == [other.sid]
    assert {w.sid for w in client.taskrouter.v1.workspaces.list()} >= {ws.sid, other.sid}
    assert [q.friendly_name for q in client.taskrouter.v1.workspaces(other.sid).task_queues.list()] == ["Sample Queue"]
    assert [w.friendly_name for w in client.taskrouter.v1.workspaces(other.sid).workflows.list()] == ["Default Fifo Workflow"]
    available = client.taskrouter.v1.workspaces(ws.sid).activities.list(friendly_name="Available")[0]
    updated = client.taskrouter.v1.workspaces(ws.sid).update(friendly_name="Care", default_activity_sid=available.sid)
    assert updated.friendly_name == "Care" and updated.default_activity_name == "Available"
    client.taskrouter.v1.workspaces(other.sid).delete()
    assert _error(lambda: client.taskrouter.v1.workspaces(other.sid).fetch()).status == 404


def test_workspace_requires_friendly_name_and_valid_template(client):
    assert _error(lambda: client.taskrouter.v1.workspaces.create(friendly_name="")).status == 400
    assert _error(lambda: client.taskrouter.v1.workspaces.create(friendly_name="x", template="LIFO")).code == 20422


def test_other_accounts_workspace_is_404(sim, client, ws):
    sub = client.api.v2010.accounts.create()
    e = _error(lambda: sim.client(sub.sid, sub.auth_token).taskrouter.v1.workspaces(ws.sid).fetch())
    assert e.status == 404 and e.code == 20404
    assert sim.client(sub.sid, sub.auth_token).taskrouter.v1.workspaces.list() == []


def test_activity_availability_cannot_change(client, ws):
    acts = client.taskrouter.v1.workspaces(ws.sid).activities
    brk = acts.create(friendly_name="Break")
    assert brk.available is False
    lunch = acts.create(friendly_name="Lunch", available=True)
    assert lunch.available is True
    assert [a.sid for a in acts.list(available="true")] == [acts.list(friendly_name="Available")[0].sid, lunch.sid]
    renamed = acts(brk.sid).update(friendly_name="Coffee")
    assert renamed.friendly_name == "Coffee" and renamed.available is False
    assert acts(brk.sid).fetch().friendly_name == "Coffee"
    acts(brk.sid).delete()
    assert _error(lambda: acts(brk.sid).fetch()).code == 20404


def test_activity_update_with_available_is_refused_and_changes_nothing(http, sim, ws):
    acts = sim.client().taskrouter.v1.workspaces(ws.sid).activities
    brk = acts.create(friendly_name="Break")
    status, _, body = http("POST", f"/taskrouter/v1/Workspaces/{ws.sid}/Activities/{brk.sid}",
                           auth=(sim.account_sid, sim.auth_token),
                           data={"Available": "true", "FriendlyName": "Renamed"})
    assert status == 400 and json.loads(body)["code"] == 20422
    assert "cannot be changed" in json.loads(body)["message"]
    assert acts(brk.sid).fetch().friendly_name == "Break"


def test_default_activity_cannot_be_deleted(client, ws):
    e = _error(lambda: client.taskrouter.v1.workspaces(ws.sid).activities(ws.default_activity_sid).delete())
    assert e.status == 409


def test_task_queue_defaults_and_validation(client, ws):
    queues = client.taskrouter.v1.workspaces(ws.sid).task_queues
    q = queues.create(friendly_name="Everyone")
    assert q.target_workers == "1==1" and q.max_reserved_workers == 1 and q.task_order == "FIFO"
    q2 = queues.create(friendly_name="Spanish", target_workers='languages HAS "es"', task_order="LIFO")
    assert q2.target_workers == 'languages HAS "es"'
    assert _error(lambda: queues.create(friendly_name="bad", target_workers="languages HAS")).code == 20422
    assert _error(lambda: queues.create(friendly_name="bad", max_reserved_workers=51)).code == 20422
    assert _error(lambda: queues(q.sid).update(target_workers="((")).code == 20422
    assert queues(q.sid).fetch().target_workers == "1==1"
    assert queues(q.sid).update(friendly_name="All", max_reserved_workers=5).max_reserved_workers == 5
    assert [x.sid for x in queues.list(friendly_name="All")] == [q.sid]
    queues(q2.sid).delete()
    assert _error(lambda: queues(q2.sid).fetch()).status == 404


def test_task_queue_filters_by_worker(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    everyone = w.task_queues.create(friendly_name="Everyone")
    spanish = w.task_queues.create(friendly_name="Spanish", target_workers='languages HAS "es"')
    ana = w.workers.create(friendly_name="ana", attributes=json.dumps({"languages": ["es", "en"]}))
    bob = w.workers.create(friendly_name="bob", attributes=json.dumps({"languages": ["en"]}))
    assert {q.sid for q in w.task_queues.list(worker_sid=ana.sid)} == {everyone.sid, spanish.sid}
    assert [q.sid for q in w.task_queues.list(worker_sid=bob.sid)] == [everyone.sid]
    assert [q.sid for q in w.task_queues.list(
        evaluate_worker_attributes=json.dumps({"languages": ["fr"]}))] == [everyone.sid]
    assert [x.sid for x in w.workers.list(task_queue_sid=spanish.sid)] == [ana.sid]
    assert [x.sid for x in w.workers.list(task_queue_name="Everyone")] == [ana.sid, bob.sid]


def test_workflow_needs_valid_configuration(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    q = w.task_queues.create(friendly_name="Everyone")
    good = json.dumps({"task_routing": {"filters": [{"expression": "type == 'support'",
                                                     "targets": [{"queue": q.sid}]}],
                                        "default_filter": {"queue": q.sid}}})
    wf = w.workflows.create(friendly_name="Route", configuration=good)
    assert wf.sid.startswith("WW") and wf.task_reservation_timeout == 120
    assert json.loads(wf.configuration) == json.loads(good)
    for bad in ("not json", "[]", json.dumps({"task_routing": {}}),
                json.dumps({"task_routing": {"default_filter": {"queue": "WQ" + "0" * 32}}}),
                json.dumps({"task_routing": {"filters": [{"expression": "a ==", "targets": [{"queue": q.sid}]}]}})):
        e = _error(lambda: w.workflows.create(friendly_name="Bad", configuration=bad))
        assert e.status == 400 and e.code == 20422, bad
    assert _error(lambda: w.workflows.create(friendly_name="No config", configuration="")).status == 400
    assert _error(lambda: w.workflows(wf.sid).update(configuration="{")).code == 20422
    assert _error(lambda: w.workflows.create(friendly_name="T", configuration=good,
                                             task_reservation_timeout=86401)).code == 20422
    assert [x.friendly_name for x in w.workflows.list()] == ["Route"]
    updated = w.workflows(wf.sid).update(friendly_name="Routing", task_reservation_timeout=30)
    assert (updated.friendly_name, updated.task_reservation_timeout) == ("Routing", 30)
    assert _error(lambda: w.task_queues(q.sid).delete()).status == 409
    w.workflows(wf.sid).delete()
    assert w.workflows.list(friendly_name="Routing") == []


def test_workers_with_channels(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    worker = w.workers.create(friendly_name="alice", attributes=json.dumps({"skills": ["billing"]}))
    assert worker.activity_name == "Offline" and worker.available is False
    assert json.loads(worker.attributes) == {"skills": ["billing"]}
    channels = w.workers(worker.sid).worker_channels.list()
    assert {c.task_channel_unique_name for c in channels} == {"default", "voice", "chat", "sms", "video"}
    assert all(c.configured_capacity == 1 and c.assigned_tasks == 0 for c in channels)
    chat = w.workers(worker.sid).worker_channels("chat").update(capacity=3)
    assert chat.configured_capacity == 3 and chat.sid.startswith("WC")
    assert w.workers(worker.sid).worker_channels(chat.sid).fetch().configured_capacity == 3
    off = w.workers(worker.sid).worker_channels("voice").update(available=False)
    assert off.available is False and off.available_capacity_percentage == 0
    w.task_channels.create(friendly_name="Email", unique_name="email")
    assert "email" in {c.task_channel_unique_name for c in w.workers(worker.sid).worker_channels.list()}
    assert _error(lambda: w.workers(worker.sid).worker_channels("fax").fetch()).status == 404


def test_worker_filters_activity_and_update(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    available = w.activities.list(friendly_name="Available")[0]
    a = w.workers.create(friendly_name="a", attributes='{"level": 3}')
    b = w.workers.create(friendly_name="b", attributes='{"level": 1}', activity_sid=available.sid)
    assert b.available is True and b.activity_name == "Available"
    assert [x.sid for x in w.workers.list(available="true")] == [b.sid]
    assert [x.sid for x in w.workers.list(activity_name="Offline")] == [a.sid]
    assert [x.sid for x in w.workers.list(activity_sid=available.sid)] == [b.sid]
    assert [x.sid for x in w.workers.list(target_workers_expression="level > 2")] == [a.sid]
    assert [x.sid for x in w.workers.list(friendly_name="b")] == [b.sid]
    assert [x.sid for x in w.workers.list(ordering="DateCreated:desc")] == [b.sid, a.sid]
    moved = w.workers(a.sid).update(activity_sid=available.sid, attributes='{"level": 4}')
    assert moved.available is True and json.loads(moved.attributes) == {"level": 4}
    assert _error(lambda: w.workers(a.sid).update(attributes="[1]")).code == 20422
    assert _error(lambda: w.workers(a.sid).update(activity_sid="WA" + "0" * 32)).code == 20422
    assert _error(lambda: w.workers.create(friendly_name="a")).status == 409
    with pytest.raises(TwilioException) as bad_ordering:
        w.workers.list(ordering="Name:asc")
    assert "20422" in str(bad_ordering.value)
    w.workers(a.sid).delete()
    assert _error(lambda: w.workers(a.sid).fetch()).code == 20404


def test_task_channels_crud_and_rules(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    tc = w.task_channels.create(friendly_name="Email", unique_name="email", channel_optimized_routing=True)
    assert tc.sid.startswith("TC") and tc.channel_optimized_routing is True
    assert w.task_channels("email").fetch().sid == tc.sid
    assert _error(lambda: w.task_channels.create(friendly_name="x", unique_name="e-mail")).code == 20422
    assert _error(lambda: w.task_channels.create(friendly_name="x", unique_name="email")).status == 409
    assert w.task_channels(tc.sid).update(friendly_name="E-mail").friendly_name == "E-mail"
    w.task_channels(tc.sid).delete()
    assert _error(lambda: w.task_channels(tc.sid).fetch()).status == 404


def test_paging_workers(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    made = [w.workers.create(friendly_name=f"w{i}").sid for i in range(7)]
    assert [x.sid for x in w.workers.list(page_size=3)] == made
