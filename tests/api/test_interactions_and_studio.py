"""Flex Interactions (client.flex_api.v1.interaction) and Studio Flows (client.studio.v2.flows)
on the seeded Owl Contact Center: each operation, and the refusals Twilio documents."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from flex_helpers import JsonBody
from owl import CUSTOMER, FLEX_NUMBER, OWL_SID, OWL_TOKEN, available_agent, desk, identity, press


def _error(call, *args, **kwargs):
    with pytest.raises(TwilioRestException) as err:
        call(*args, **kwargs)
    return err.value


def _sms_conversation(owl, customer=CUSTOMER):
    conversation = owl.conversations.v1.conversations.create()
    conversation.participants.create(messaging_binding_address=customer,
                                     messaging_binding_proxy_address=FLEX_NUMBER)
    return conversation


def _routing(agent, **attributes):
    return {"properties": {"workspace_sid": agent["workspace_sid"],
                           "task_channel_unique_name": "sms",
                           "attributes": {"from": CUSTOMER, **attributes}}}


def test_an_interaction_for_a_conversation_routes_a_task(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    conversation = _sms_conversation(owl)
    made = owl.flex_api.v1.interaction.create(
        channel={"type": "sms", "initiated_by": "customer",
                 "properties": {"media_channel_sid": conversation.sid}},
        routing=_routing(agent, topic="refund"))
    assert made.channel["type"] == "sms" and made.routing["reservation"] is None
    task_props = made.routing["properties"]
    attributes = json.loads(task_props["attributes"])
    assert attributes["topic"] == "refund" and attributes["conversationSid"] == conversation.sid
    assert attributes["flexInteractionSid"] == made.sid
    assert attributes["flexInteractionChannelSid"] == made.channel["sid"]
    assert attributes["customerAddress"] == CUSTOMER and attributes["initiatedBy"] == "customer"
    assert task_props["task_channel_unique_name"] == "sms" and task_props["timeout"] == 86400

    interaction = owl.flex_api.v1.interaction(made.sid)
    assert interaction.fetch().channel == made.channel
    assert interaction.update(webhook_ttid="flex_interactionwebhook_1").webhook_ttid \
        == "flex_interactionwebhook_1"
    channel = interaction.channels(made.channel["sid"])
    assert channel.fetch().status == "active"
    [invite] = channel.invites.list()
    assert invite.routing["properties"]["sid"] == task_props["sid"]
    [customer] = channel.participants.list()
    assert customer.type == "customer" and customer.routing_properties is None

    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")
    agent_part = next(p for p in channel.participants.list() if p.type == "agent")
    assert agent_part.routing_properties["worker_sid"] == agent["worker_sid"]

    # the agent leaves (wrap-up) while the conversation stays open: the task wraps up
    left = channel.participants(agent_part.sid).update(status="wrapup")
    assert left.sid == agent_part.sid
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])
    assert ws.tasks(task_props["sid"]).fetch().assignment_status == "wrapping"
    assert owl.conversations.v1.conversations(conversation.sid).fetch().state == "active"
    assert identity(agent["email"]) not in {p.identity for p in conversation.participants.list()}

    # closing with Routing status closed completes the tasks and closes the conversation
    closed = channel.update(status="closed", routing={"status": "closed"})
    assert closed.status == "closed"
    assert ws.tasks(task_props["sid"]).fetch().assignment_status == "completed"
    assert owl.conversations.v1.conversations(conversation.sid).fetch().state == "closed"


def test_interaction_refusals(sim, api):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    create = owl.flex_api.v1.interaction.create
    assert _error(create, channel={"type": "pigeon"}).code == 45366
    assert _error(create, channel={"type": "sms", "properties": {}}).code == 45366
    assert _error(create, channel={"type": "sms", "properties": {
        "media_channel_sid": "CH" + "0" * 32}}).code == 45366
    conversation = _sms_conversation(owl)
    conversation.update(state="closed")
    assert _error(create, channel={"type": "sms", "properties": {
        "media_channel_sid": conversation.sid}}).code == 45354
    assert _error(owl.flex_api.v1.interaction("KD" + "0" * 32).fetch).code == 20404


def test_an_agent_initiated_interaction_creates_the_conversation(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    made = owl.flex_api.v1.interaction.create(
        channel={"type": "sms", "initiated_by": "agent",
                 "participants": [{"address": CUSTOMER, "proxy_address": FLEX_NUMBER}]},
        routing={"properties": {"workspace_sid": agent["workspace_sid"],
                                "worker_sid": agent["worker_sid"],
                                "task_channel_unique_name": "sms", "attributes": {}}})
    attributes = json.loads(made.routing["properties"]["attributes"])
    assert attributes["initiatedBy"] == "agent" and attributes["direction"] == "outbound"
    assert made.routing["properties"]["routing_target"] == agent["worker_sid"]
    [offer] = desk(api, agent)
    assert offer["task_sid"] == made.routing["properties"]["sid"]
    conversation = owl.conversations.v1.conversations(attributes["conversationSid"])
    [customer] = conversation.participants.list()
    assert customer.messaging_binding["address"] == CUSTOMER


def test_invites_participants_and_a_cold_transfer(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])
    conversation = _sms_conversation(owl)
    made = owl.flex_api.v1.interaction.create(
        channel={"type": "sms", "properties": {"media_channel_sid": conversation.sid}},
        routing=_routing(agent))
    channel = owl.flex_api.v1.interaction(made.sid).channels(made.channel["sid"])
    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")

    # a second agent: the supervisor (made Available), invited by a transfer from the agent
    sup = api.ok("POST", "/console/login", body={"email": "supervisor@owl.example.com",
                                                 "password": "owl-supervisor-password"})
    sup_token = api.flex_token(sup["session_token"], OWL_SID)
    api.ok("POST", "/flex/agent-desktop/activity", token=sup_token,
           body={"friendly_name": "Available"})
    sup_worker = api.ok("GET", "/flex/me", token=sup_token)["worker_sid"]
    source = next(p for p in channel.participants.list() if p.type == "agent")
    transfer = channel.transfers.create(body=JsonBody({"from": source.sid, "to": sup_worker,
                                                       "type": "cold"}))
    assert transfer.status == "active" and transfer.type == "cold" and transfer.to == sup_worker
    [incoming] = api.ok("GET", "/flex/agent-desktop", token=sup_token)["tasks"]
    api.ok("POST", f"/flex/agent-desktop/reservations/{incoming['reservation_sid']}",
           token=sup_token, body={"action": "accept"})
    assert channel.transfers(transfer.sid).fetch().status == "completed"
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "wrapping"   # cold
    assert len(channel.invites.list()) == 2

    # an invite to the queue, and one given up through its transfer
    queue_sid = ws.task_queues.list()[0].sid
    invite = channel.invites.create(routing={"properties": {"queue_sid": queue_sid}})
    assert invite.routing["properties"]["task_channel_unique_name"] == "sms"
    second = channel.transfers.create(body=JsonBody({"from": source.sid, "to": sup_worker}))
    given_up = channel.transfers(second.sid).update(body=JsonBody({"status": "failed"}))
    assert given_up.status == "failed"

    # a customer participant added by address; bad media properties
    extra = channel.participants.create(type="external",
                                        media_properties={"address": "+14155550144",
                                                          "proxy_address": FLEX_NUMBER})
    assert extra.type == "external"
    assert _error(channel.participants.create, type="agent", media_properties={}).code == 45367
    assert _error(channel.transfers.create, body=JsonBody({"from": "UT" + "0" * 32,
                                                           "to": sup_worker})).code == 45366


def test_closing_a_channel_needs_a_status(sim, api):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    conversation = _sms_conversation(owl)
    made = owl.flex_api.v1.interaction.create(
        channel={"type": "sms", "properties": {"media_channel_sid": conversation.sid}},
        routing=_routing(agent))
    channel = owl.flex_api.v1.interaction(made.sid).channels(made.channel["sid"])
    assert _error(channel.update, status="inactive").code == 45359   # needs Routing closed
    inactive = channel.update(status="inactive", routing={"status": "closed"})
    assert inactive.status == "inactive"
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])
    task = ws.tasks(made.routing["properties"]["sid"]).fetch()
    assert task.assignment_status == "canceled"   # it was still waiting for the agent
    assert owl.conversations.v1.conversations(conversation.sid).fetch().state == "inactive"


def test_studio_flows(sim):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    flows = owl.studio.v2.flows.list()
    assert sorted(f.friendly_name for f in flows) == ["Messaging Flow", "Voice IVR", "Webchat Flow"]
    assert all(f.definition is None and f.status == "published" for f in flows)
    messaging = next(f for f in flows if f.friendly_name == "Messaging Flow")
    full = owl.studio.v2.flows(messaging.sid).fetch()
    widget = next(s for s in full.definition["states"] if s["type"] == "send-to-flex")
    info = sim.control("GET", "flex/accounts")["flex_accounts"]
    owl_info = next(a for a in info if a["account_sid"] == OWL_SID)
    assert widget["properties"]["workflow"] == owl_info["workflow_sid"]
    assert full.webhook_url == \
        f"https://webhooks.twilio.com/v1/Accounts/{OWL_SID}/Flows/{messaging.sid}"
    [number] = owl.incoming_phone_numbers.list()
    assert owl.studio.v2.flows.list()[2].webhook_url == number.voice_url   # the Voice IVR

    # a new revision: Send to Flex with a priority; revisions are kept
    widget["properties"]["priority"] = "7"
    updated = owl.studio.v2.flows(messaging.sid).update(status="published",
                                                         definition=full.definition,
                                                         commit_message="priority 7")
    assert updated.revision == 2 and updated.commit_message == "priority 7"
    assert owl.studio.v2.flows(messaging.sid).revisions("1").fetch().definition != full.definition
    sim.control("POST", "messages/inbound", {"From": CUSTOMER, "To": FLEX_NUMBER, "Body": "hi"})
    ws = owl.taskrouter.v1.workspaces(owl_info["workspace_sid"])
    [task] = ws.tasks.list()
    assert task.priority == 7

    made = owl.studio.v2.flows.create(friendly_name="Mine", status="draft",
                                      definition={"states": [{"name": "Trigger", "type": "trigger",
                                                              "transitions": []}],
                                                  "initial_state": "Trigger"})
    assert made.status == "draft" and made.revision == 1
    [first] = owl.studio.v2.flows(made.sid).revisions.list()
    assert first.revision == 1 and first.definition is None   # lists leave definitions out
    assert owl.studio.v2.flows(made.sid).revisions("LatestRevision").fetch().status == "draft"
    assert _error(owl.studio.v2.flows.create, friendly_name="Bad", status="draft",
                  definition={"states": []}).status == 400
    assert owl.studio.v2.flows(made.sid).delete() is True
    assert _error(owl.studio.v2.flows(made.sid).fetch).code == 20404
