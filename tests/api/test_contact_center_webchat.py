"""A visitor opens a web chat with the seeded Owl Contact Center (``flex-api`` v2 WebChats at
its "Flex Web Chat" address): the first message runs the Webchat Flow's Send to Flex (a
``chat`` task), the agent accepts, the visitor reads the agent's reply and answers, the agent
wraps up (the conversation closes) and completes."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from owl import OWL_SID, OWL_TOKEN, available_agent, desk, identity, press, reply


def _chat_address(owl):
    [address] = owl.conversations.v1.address_configurations.list(type="chat")
    return address


def _visitor_reads(sim, conversation_sid):
    return sim.control("GET", f"webchat/{conversation_sid}/messages")


def test_a_web_chat_reaches_an_agent_who_replies_wraps_up_and_completes(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])
    address = _chat_address(owl)
    assert address.auto_creation["type"] == "studio"
    flows = {f.sid: f.friendly_name for f in owl.studio.v2.flows.list()}
    assert flows[address.auto_creation["studio_flow_sid"]] == "Webchat Flow"

    chat = owl.flex_api.v2.web_channels.create(
        address_sid=address.sid, chat_friendly_name="Chat with Owl",
        customer_friendly_name="Ann", pre_engagement_data=json.dumps({"email": "ann@example.com"}))
    conversation = owl.conversations.v1.conversations(chat.conversation_sid)
    fetched = conversation.fetch()
    assert fetched.friendly_name == "Chat with Owl" and fetched.state == "active"
    assert json.loads(fetched.attributes)["pre_engagement_data"] == {"email": "ann@example.com"}
    [visitor] = conversation.participants.list()
    assert visitor.identity == chat.identity and visitor.messaging_binding is None
    assert desk(api, agent) == []   # nothing routed before the visitor writes

    conversation.messages.create(author=chat.identity, body="Hello, is anyone there?")
    [offer] = desk(api, agent)
    assert offer["task_channel"] == "chat" and offer["reservation_status"] == "pending"
    assert offer["attributes"]["channelType"] == "web"
    assert offer["attributes"]["name"] == "Ann" and offer["attributes"]["customerName"] == "Ann"
    assert offer["attributes"]["customerAddress"] == chat.identity
    assert offer["conversation"]["sid"] == chat.conversation_sid
    # Send to Flex took over: the conversation's studio webhook is gone
    assert conversation.webhooks.list() == []

    press(api, agent, offer["reservation_sid"], "accept")
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "assigned"
    reply(api, agent, offer["task_sid"], "Hi Ann, how can I help?")
    seen = _visitor_reads(sim, chat.conversation_sid)["messages"]
    assert [(m["author"], m["body"]) for m in seen] == [
        (chat.identity, "Hello, is anyone there?"),
        (identity(agent["email"]), "Hi Ann, how can I help?")]
    assert seen[1]["delivery"] is None   # a chat message is read through the API, no SMS

    sim.control("POST", f"webchat/{chat.conversation_sid}/messages", {"Body": "My order #12"})
    assert conversation.messages.list()[-1].author == chat.identity
    assert len(ws.tasks.list()) == 1
    [active] = desk(api, agent)
    assert active["conversation"]["messages"][-1]["body"] == "My order #12"

    press(api, agent, offer["reservation_sid"], "wrap")
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "wrapping"
    assert conversation.fetch().state == "closed"
    assert _visitor_reads(sim, chat.conversation_sid)["state"] == "closed"
    press(api, agent, offer["reservation_sid"], "complete")
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "completed"
    with pytest.raises(TwilioRestException) as err:   # a closed conversation is read-only
        conversation.messages.create(author=chat.identity, body="still there?")
    assert err.value.code == 50377


def test_web_chats_need_a_chat_address(sim):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    [sms_address] = owl.conversations.v1.address_configurations.list(type="sms")
    with pytest.raises(TwilioRestException) as err:
        owl.flex_api.v2.web_channels.create(address_sid=sms_address.sid)
    assert err.value.status == 400 and err.value.code == 20422
    with pytest.raises(TwilioRestException) as err:
        owl.flex_api.v2.web_channels.create(address_sid="IG" + "0" * 32)
    assert err.value.status == 400


def test_a_visitor_may_choose_an_identity(sim):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    chat = owl.flex_api.v2.web_channels.create(address_sid=_chat_address(owl).sid,
                                               identity="visitor-42")
    assert chat.identity == "visitor-42"
    [visitor] = owl.conversations.v1.conversations(chat.conversation_sid).participants.list()
    assert visitor.identity == "visitor-42"
