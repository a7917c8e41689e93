"""The Flex REST API per the official specs, through the real SDK (and plain
HTTP for what the SDK cannot send)."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from flex_helpers import JsonBody


@pytest.fixture
def owner(sim, cc):
    return sim.client(cc["account_sid"], cc["auth_token"])


def _error(call):
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def test_account_without_flex_has_no_configuration(client):
    e = _error(lambda: client.flex_api.v1.configuration().fetch())
    assert e.status == 404 and e.code == 45101
    assert client.flex_api.v1.provisioning_status().fetch().status == "not-configured"


def test_configuration_fetch_and_update(owner, cc):
    config = owner.flex_api.v1.configuration().fetch(ui_version="2.14.0")
    assert config.account_sid == cc["account_sid"] and config.status == "ok"
    assert config.url == "https://flex-api.twilio.com/v1/Configuration"
    assert config.runtime_domain == "https://flex.twilio.com"
    assert set(config.taskrouter_worker_channels) == {"agent", "supervisor", "admin"}
    updated = owner.flex_api.v1.configuration().update(body=JsonBody(
        account_sid=cc["account_sid"], ui_attributes={"theme": "dark"}, call_recording_enabled=True))
    assert updated.ui_attributes == {"theme": "dark"} and updated.call_recording_enabled is True
    assert owner.flex_api.v1.configuration().fetch().ui_attributes == {"theme": "dark"}


@pytest.mark.parametrize("body", [
    [1, 2], {"no_such_key": 1}, {"status": "notstarted"}, {"flex_instance_sid": "GO" + "0" * 32},
    {"call_recording_enabled": "yes"}, {"taskrouter_skills": {}}, {"ui_attributes": []},
    {"account_sid": "AC" + "0" * 32}, {"taskrouter_workspace_sid": "WQ" + "0" * 32},
    {"messaging_service_instance_sid": "nope"}, {"ui_language": 5},
])
def test_configuration_update_rejects_bad_json_and_changes_nothing(sim, api, cc, body):
    auth = (cc["account_sid"], cc["auth_token"])
    _, _, before = api.http("GET", "/flex-api/v1/Configuration", auth=auth)
    status, _, text = api.http("POST", "/flex-api/v1/Configuration", auth=auth, json=body)
    assert status == 400 and json.loads(text)["code"] == 20422
    assert api.http("GET", "/flex-api/v1/Configuration", auth=auth)[2] == before


def test_configuration_update_needs_json(api, cc):
    auth = (cc["account_sid"], cc["auth_token"])
    status, _, text = api.http("POST", "/flex-api/v1/Configuration", auth=auth,
                               data={"ui_language": "fr"})
    assert status == 400 and "JSON" in json.loads(text)["message"]


def test_flex_flows_crud_and_validation(owner):
    flows = owner.flex_api.v1.flex_flow
    studio = flows.create(friendly_name="SMS", chat_service_sid="IS" + "a" * 32, channel_type="sms",
                          integration_flow_sid="FW" + "b" * 32, enabled=True)
    assert studio.sid.startswith("FO") and studio.integration_type == "studio"
    assert studio.integration == {"flow_sid": "FW" + "b" * 32, "retry_count": 3}
    task = flows.create(friendly_name="Web", chat_service_sid="IS" + "a" * 32, channel_type="web",
                        integration_type="task", integration_workspace_sid="WS" + "c" * 32,
                        integration_workflow_sid="WW" + "d" * 32, integration_channel="chat")
    assert task.integration["timeout"] == 86400 and task.integration["priority"] == 0
    fetched = owner.flex_api.v1.flex_flow(task.sid).fetch()
    assert (fetched.sid, fetched.channel_type, fetched.integration_type) == (task.sid, "web", "task")
    assert fetched.url == f"https://flex-api.twilio.com/v1/FlexFlows/{task.sid}"
    assert [f.sid for f in flows.list(friendly_name="Web")] == [task.sid]
    assert {f.sid for f in flows.list()} == {studio.sid, task.sid}
    assert owner.flex_api.v1.flex_flow(studio.sid).update(integration_retry_count=1).integration["retry_count"] == 1
    assert _error(lambda: owner.flex_api.v1.flex_flow(studio.sid).update(integration_retry_count=4)).code == 20422
    assert _error(lambda: flows.create(friendly_name="x", chat_service_sid="IS" + "a" * 32,
                                       channel_type="fax")).code == 20422
    assert _error(lambda: flows.create(friendly_name="x", chat_service_sid="nope",
                                       channel_type="web")).code == 20422
    assert _error(lambda: flows.create(friendly_name="x", chat_service_sid="IS" + "a" * 32,
                                       channel_type="web", integration_type="external")).code == 20422
    assert len(flows.list()) == 2
    owner.flex_api.v1.flex_flow(task.sid).delete()
    assert _error(lambda: owner.flex_api.v1.flex_flow(task.sid).fetch()).code == 20404


def test_web_channels_and_channels(owner):
    flow = owner.flex_api.v1.flex_flow.create(friendly_name="Web", chat_service_sid="IS" + "a" * 32,
                                              channel_type="web", integration_flow_sid="FW" + "b" * 32)
    web = owner.flex_api.v1.web_channel.create(flex_flow_sid=flow.sid, identity="cust-1",
                                               customer_friendly_name="Customer", chat_friendly_name="Chat")
    assert web.sid.startswith("CH") and web.flex_flow_sid == flow.sid
    fetched = owner.flex_api.v1.web_channel(web.sid).fetch()
    assert (fetched.sid, fetched.flex_flow_sid) == (web.sid, flow.sid)
    assert fetched.url == f"https://flex-api.twilio.com/v1/WebChannels/{web.sid}"
    assert [w.sid for w in owner.flex_api.v1.web_channel.list()] == [web.sid]
    assert owner.flex_api.v1.web_channel(web.sid).update(chat_status="inactive").sid == web.sid
    assert _error(lambda: owner.flex_api.v1.web_channel(web.sid).update(chat_status="open")).code == 20422
    owner.flex_api.v1.web_channel(web.sid).delete()
    assert _error(lambda: owner.flex_api.v1.web_channel(web.sid).fetch()).code == 20404
    assert _error(lambda: owner.flex_api.v1.web_channel.create(
        flex_flow_sid="FO" + "0" * 32, identity="c", customer_friendly_name="C",
        chat_friendly_name="C")).code == 20422
    ch = owner.flex_api.v1.channel.create(flex_flow_sid=flow.sid, identity="cust-2",
                                          chat_user_friendly_name="Customer", chat_friendly_name="Chat")
    assert ch.user_sid.startswith("US") and ch.task_sid is None
    assert owner.flex_api.v1.channel(ch.sid).fetch().flex_flow_sid == flow.sid
    assert [c.sid for c in owner.flex_api.v1.channel.list()] == [ch.sid]
    assert _error(lambda: owner.flex_api.v1.channel.create(flex_flow_sid=flow.sid, identity="x",
                                                           chat_user_friendly_name="C",
                                                           chat_friendly_name="")).code == 20422
    owner.flex_api.v1.channel(ch.sid).delete()
    assert owner.flex_api.v1.channel.list() == []


def test_flex_users_fetch_update_list(sim, api, owner, cc):
    sid = cc["agent_user"]["flex_user_sid"]
    user = owner.flex_api.v2.flex_user(cc["instance_sid"], sid).fetch()
    assert user.flex_user_sid == sid and user.instance_sid == cc["instance_sid"]
    assert user.url == f"https://flex-api.twilio.com/v2/Instances/{cc['instance_sid']}/Users/{sid}"
    updated = owner.flex_api.v2.flex_user(cc["instance_sid"], sid).update(email="al2@example.com",
                                                                          locale="es-MX")
    assert (updated.email, updated.locale, updated.version) == ("al2@example.com", "es-MX", 1)
    for bad in ({"email": "not-an-email"}, {"user_sid": "nope"}, {"locale": "!!"}):
        e = _error(lambda: owner.flex_api.v2.flex_user(cc["instance_sid"], sid).update(**bad))
        assert e.code == 20422
    assert owner.flex_api.v2.flex_user(cc["instance_sid"], sid).fetch().email == "al2@example.com"
    assert _error(lambda: owner.flex_api.v2.flex_user(cc["instance_sid"], "FU" + "0" * 32).fetch()).code == 20404
    assert _error(lambda: sim.client().flex_api.v2.flex_user(cc["instance_sid"], sid).fetch()).code == 20404
    listed = api.ok("GET", f"/flex-api/v2/Instances/{cc['instance_sid']}/Users?PageSize=2", token=cc["admin"])
    assert len(listed["users"]) == 2 and listed["meta"]["next_page_url"]
    everyone = api.ok("GET", f"/flex-api/v2/Instances/{cc['instance_sid']}/Users", token=cc["agent"])
    assert {u["email"] for u in everyone["users"]} == {"owner@example.com", "sue@example.com", "al2@example.com"}


def test_malformed_json_is_400_never_500(api, cc):
    auth = (cc["account_sid"], cc["auth_token"])
    for text in ("[" * 3000, "{not json", '"a string"'):
        status, _, body = api.http("POST", "/flex-api/v1/Configuration", auth=auth,
                                   headers={"Content-Type": "application/json"}, data=text)
        assert status == 400 and json.loads(body)["code"] == 20422


def test_flex_workspace_and_workflow_cannot_be_deleted(owner, cc):
    config = owner.flex_api.v1.configuration().fetch()
    e = _error(lambda: owner.taskrouter.v1.workspaces(config.taskrouter_workspace_sid).delete())
    assert (e.status, e.code) == (409, 20409)
    ws = owner.taskrouter.v1.workspaces(config.taskrouter_workspace_sid)
    e = _error(lambda: ws.workflows(config.taskrouter_target_workflow_sid).delete())
    assert (e.status, e.code) == (409, 20409)
    assert ws.fetch().friendly_name == "Flex Task Assignment"  # docs: the Flex workspace's name
    workflow = ws.workflows(config.taskrouter_target_workflow_sid).fetch()
    assert workflow.friendly_name == "Assign to Anyone" and workflow.workspace_sid == ws.fetch().sid
    assert [w.sid for w in ws.workflows.list()] == [workflow.sid]
