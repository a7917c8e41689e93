"""TaskRouter as the wire shows it to Twilio's SDKs: callback URLs are validated (and an
empty value clears one), duplicate names answer Twilio's 400/20001, and Attributes come
back as the exact string the client sent."""
from __future__ import annotations

import json

import pytest
from twilio.base.exceptions import TwilioRestException

BAD_URLS = ["not a url", "javascript:alert(1)", "ftp://example.com/x", "http://bad_host/x",
            "/relative/path"]


def _error(call) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


@pytest.fixture
def ws(client):
    return client.taskrouter.v1.workspaces.create(friendly_name="Support", template="FIFO")


def _raw_workspace(http, sim, sid):
    status, _, body = http("GET", f"/taskrouter/v1/Workspaces/{sid}",
                           auth=(sim.account_sid, sim.auth_token))
    assert status == 200, body
    return json.loads(body)


# -- callback URLs ------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", BAD_URLS)
def test_a_workspace_event_callback_url_must_be_an_http_url(client, bad):
    e = _error(lambda: client.taskrouter.v1.workspaces.create(friendly_name="X",
                                                              event_callback_url=bad))
    assert (e.status, e.code) == (400, 20422) and "EventCallbackUrl" in e.msg
    assert client.taskrouter.v1.workspaces.list(friendly_name="X") == []


@pytest.mark.parametrize("bad", BAD_URLS)
def test_a_workspace_update_with_a_bad_event_callback_url_changes_nothing(client, ws, bad):
    client.taskrouter.v1.workspaces(ws.sid).update(event_callback_url="https://app.example.com/ev")
    e = _error(lambda: client.taskrouter.v1.workspaces(ws.sid).update(
        event_callback_url=bad, friendly_name="Renamed"))
    assert (e.status, e.code) == (400, 20422) and "EventCallbackUrl" in e.msg
    kept = client.taskrouter.v1.workspaces(ws.sid).fetch()
    assert (kept.event_callback_url, kept.friendly_name) == ("https://app.example.com/ev",
                                                             "Support")


def test_an_empty_event_callback_url_clears_it_to_null(http, sim, client, ws):
    w = client.taskrouter.v1.workspaces
    assert w(ws.sid).update(event_callback_url="https://app.example.com/ev") \
        .event_callback_url == "https://app.example.com/ev"
    assert w(ws.sid).update(event_callback_url="").event_callback_url is None
    assert _raw_workspace(http, sim, ws.sid)["event_callback_url"] is None
    created = w.create(friendly_name="Blank", event_callback_url="")
    assert _raw_workspace(http, sim, created.sid)["event_callback_url"] is None


@pytest.mark.parametrize("param", ["assignment_callback_url", "fallback_assignment_callback_url"])
@pytest.mark.parametrize("bad", BAD_URLS)
def test_workflow_callback_urls_must_be_http_urls(client, ws, param, bad):
    flows = client.taskrouter.v1.workspaces(ws.sid).workflows
    wf = flows.list()[0]
    name = "".join(p.capitalize() for p in param.split("_"))
    e = _error(lambda: flows.create(friendly_name="New", configuration=wf.configuration,
                                    **{param: bad}))
    assert (e.status, e.code) == (400, 20422) and name in e.msg
    assert [f.friendly_name for f in flows.list()] == ["Default Fifo Workflow"]
    e = _error(lambda: flows(wf.sid).update(**{param: bad}))
    assert (e.status, e.code) == (400, 20422) and name in e.msg
    assert getattr(flows(wf.sid).fetch(), param) is None


def test_an_empty_workflow_callback_url_clears_it_to_null(http, sim, client, ws):
    flows = client.taskrouter.v1.workspaces(ws.sid).workflows
    wf = flows.list()[0]
    set_ = flows(wf.sid).update(assignment_callback_url="https://app.example.com/assign",
                                fallback_assignment_callback_url="https://app.example.com/fb")
    assert (set_.assignment_callback_url, set_.fallback_assignment_callback_url) == (
        "https://app.example.com/assign", "https://app.example.com/fb")
    cleared = flows(wf.sid).update(assignment_callback_url="",
                                   fallback_assignment_callback_url="")
    assert (cleared.assignment_callback_url, cleared.fallback_assignment_callback_url) == (None,
                                                                                         None)
    status, _, body = http("GET", f"/taskrouter/v1/Workspaces/{ws.sid}/Workflows/{wf.sid}",
                           auth=(sim.account_sid, sim.auth_token))
    raw = json.loads(body)
    assert status == 200 and raw["assignment_callback_url"] is None
    assert raw["fallback_assignment_callback_url"] is None
    created = flows.create(friendly_name="Blank", configuration=wf.configuration,
                           assignment_callback_url="", fallback_assignment_callback_url="")
    assert (created.assignment_callback_url, created.fallback_assignment_callback_url) == (
        None, None)


# -- duplicate names ------------------------------------------------------------------------------
def test_a_duplicate_task_queue_name_is_400_20001(client, ws):
    queues = client.taskrouter.v1.workspaces(ws.sid).task_queues
    e = _error(lambda: queues.create(friendly_name="Sample Queue"))
    assert (e.status, e.code) == (400, 20001)
    assert e.msg.endswith(f"Queue named Sample Queue already exists for workspace {ws.sid} "
                     f"for account {ws.account_sid}")
    other = queues.create(friendly_name="Other")
    e = _error(lambda: queues(other.sid).update(friendly_name="Sample Queue"))
    assert (e.status, e.code) == (400, 20001)
    assert queues(other.sid).update(friendly_name="Other").friendly_name == "Other"
    assert sorted(q.friendly_name for q in queues.list()) == ["Other", "Sample Queue"]


def test_a_duplicate_activity_name_is_400_20001(client, ws):
    acts = client.taskrouter.v1.workspaces(ws.sid).activities
    e = _error(lambda: acts.create(friendly_name="Available", available=True))
    assert (e.status, e.code) == (400, 20001)
    assert e.msg.endswith(f"Activity named Available already exists for workspace {ws.sid} "
                     f"for account {ws.account_sid}")
    brk = acts.create(friendly_name="Break")
    e = _error(lambda: acts(brk.sid).update(friendly_name="Offline"))
    assert (e.status, e.code) == (400, 20001)
    assert acts(brk.sid).update(friendly_name="Break").friendly_name == "Break"
    assert [a.friendly_name for a in acts.list(friendly_name="Available")] == ["Available"]


# -- attributes as sent ------------------------------------------------------------------
SENT = '{"skills":  ["es","en"],\n "level" : 3, "z": 1.50, "a": {}}'


def test_worker_attributes_are_echoed_as_sent(http, sim, client, ws):
    workers = client.taskrouter.v1.workspaces(ws.sid).workers
    w = workers.create(friendly_name="ana", attributes=SENT)
    assert w.attributes == SENT
    assert workers(w.sid).fetch().attributes == SENT
    assert [x.attributes for x in workers.list()] == [SENT]
    again = '{ "level":4 }'
    assert workers(w.sid).update(attributes=again).attributes == again
    status, _, body = http("GET", f"/taskrouter/v1/Workspaces/{ws.sid}/Workers/{w.sid}",
                           auth=(sim.account_sid, sim.auth_token))
    assert status == 200 and json.loads(body)["attributes"] == again
    # the attributes still route: the queue's expression reads them
    q = client.taskrouter.v1.workspaces(ws.sid).task_queues.create(
        friendly_name="Senior", target_workers="level > 3")
    assert [x.sid for x in workers.list(task_queue_sid=q.sid)] == [w.sid]
    assert workers.create(friendly_name="bob").attributes == "{}"


def test_worker_attributes_must_still_be_a_json_object(client, ws):
    workers = client.taskrouter.v1.workspaces(ws.sid).workers
    for bad in ("[1]", "not json", '{"a": '):
        assert _error(lambda: workers.create(friendly_name="x", attributes=bad)).code == 20422
    assert workers.list() == []


def test_empty_attributes_are_no_attributes(client, ws):
    w = client.taskrouter.v1.workspaces(ws.sid)
    task = w.tasks.create(attributes='{"a": 1}')
    assert w.tasks(task.sid).update(attributes="").attributes == "{}"
    assert [t.sid for t in w.tasks.list(evaluate_task_attributes="a == 1")] == []
    worker = w.workers.create(friendly_name="ana", attributes='{"a": 1}')
    assert w.workers(worker.sid).update(attributes="").attributes == "{}"
