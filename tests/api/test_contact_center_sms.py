"""A customer texts the seeded Owl Contact Center: the SMS becomes a conversation, Studio's
Messaging Flow sends it to Flex (an interaction and an ``sms`` task), the agent accepts on the
Agent Desktop, replies (an SMS to the customer), the customer answers in the same
conversation, the agent wraps up (the conversation closes) and completes the task."""
from owl import (CUSTOMER, FLEX_NUMBER, OWL_SID, OWL_TOKEN, available_agent, desk, identity,
                 press, reply)


def _text(sim, body, to=FLEX_NUMBER, sender=CUSTOMER):
    return sim.control("POST", "messages/inbound", {"From": sender, "To": to, "Body": body})


def _handset(sim, number=CUSTOMER):
    return sim.control("GET", f"handsets/{number}/messages")["messages"]


def test_an_sms_reaches_an_agent_who_replies_wraps_up_and_completes(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    # a trial account writes only to verified numbers: the customer's handset is one
    sim.control("POST", "caller-ids", {"PhoneNumber": CUSTOMER, "AccountSid": OWL_SID})
    agent = available_agent(sim, api)
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])

    inbound = _text(sim, "Hi, my parcel is late")
    assert inbound["webhook"] is None   # the conversation took it, not the number's webhook
    [offer] = desk(api, agent)
    assert offer["task_channel"] == "sms" and offer["reservation_status"] == "pending"
    attributes = offer["attributes"]
    assert attributes["channelType"] == "sms" and attributes["customerAddress"] == CUSTOMER
    assert attributes["from"] == CUSTOMER and attributes["direction"] == "inbound"
    conversation_sid = attributes["conversationSid"]
    assert offer["conversation"]["sid"] == conversation_sid
    assert [m["body"] for m in offer["conversation"]["messages"]] == ["Hi, my parcel is late"]
    task = ws.tasks(offer["task_sid"]).fetch()
    assert task.assignment_status == "reserved" and task.task_channel_unique_name == "sms"

    conversation = owl.conversations.v1.conversations(conversation_sid)
    assert conversation.fetch().state == "active"
    [customer] = conversation.participants.list()
    assert customer.messaging_binding == {"type": "sms", "address": CUSTOMER,
                                          "proxy_address": FLEX_NUMBER}
    interaction = owl.flex_api.v1.interaction(attributes["flexInteractionSid"])
    [channel] = interaction.channels.list()
    assert channel.sid == attributes["flexInteractionChannelSid"]
    assert channel.type == "sms" and channel.status == "active"

    assert press(api, agent, offer["reservation_sid"], "accept")["reservation_status"] == "accepted"
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "assigned"
    joined = {p.identity for p in conversation.participants.list()}
    assert identity(agent["email"]) in joined   # the agent is in the conversation
    kinds = {p.type: p for p in interaction.channels(channel.sid).participants.list()}
    assert set(kinds) == {"customer", "agent"}
    assert kinds["agent"].routing_properties["reservation_sid"] == offer["reservation_sid"]

    reply(api, agent, offer["task_sid"], "Sorry! It ships today.")
    [sms] = _handset(sim)
    assert sms["from"] == FLEX_NUMBER and sms["direction"] == "outbound-api"
    assert sms["body"].endswith("Sorry! It ships today.") and sms["status"] == "queued"
    sim.advance(10)
    [sms] = _handset(sim)
    assert sms["status"] == "delivered"
    [_, agent_message] = conversation.messages.list()
    assert agent_message.author == identity(agent["email"])
    assert agent_message.delivery["delivered"] == "all"
    [receipt] = conversation.messages(agent_message.sid).delivery_receipts.list()
    assert receipt.status == "delivered" and receipt.channel_message_sid == sms["sid"]

    _text(sim, "Great, thanks!")
    assert conversation.messages.list()[-1].body == "Great, thanks!"
    assert len(ws.tasks.list()) == 1   # the same conversation, no new task
    [active] = desk(api, agent)
    assert [m["body"] for m in active["conversation"]["messages"]][-1] == "Great, thanks!"

    assert press(api, agent, offer["reservation_sid"], "wrap")["reservation_status"] == "wrapping"
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "wrapping"
    assert conversation.fetch().state == "closed"
    assert interaction.channels(channel.sid).fetch().status == "closed"
    done = press(api, agent, offer["reservation_sid"], "complete")
    assert done["reservation_status"] == "completed"
    assert ws.tasks(offer["task_sid"]).fetch().assignment_status == "completed"
    assert desk(api, agent) == []
    assert conversation.fetch().state == "closed"

    # a later text starts over: a new conversation and a new task
    _text(sim, "One more thing")
    [new_offer] = desk(api, agent)
    assert new_offer["task_sid"] != offer["task_sid"]
    assert new_offer["attributes"]["conversationSid"] != conversation_sid


def test_an_unverified_toll_free_flex_number_ends_the_agents_reply_in_30032(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    sim.control("POST", "caller-ids", {"PhoneNumber": CUSTOMER, "AccountSid": OWL_SID})
    agent = available_agent(sim, api)
    toll_free = owl.incoming_phone_numbers.create(phone_number="+18445550177")
    flows = {f.friendly_name: f.sid for f in owl.studio.v2.flows.list()}
    owl.conversations.v1.address_configurations.create(
        type="sms", address=toll_free.phone_number, auto_creation_enabled=True,
        auto_creation_type="studio", auto_creation_studio_flow_sid=flows["Messaging Flow"])

    _text(sim, "Hello toll-free", to=toll_free.phone_number)
    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")
    reply(api, agent, offer["task_sid"], "Hello from Owl")
    sim.advance(10)
    [sms] = _handset(sim)
    assert sms["from"] == toll_free.phone_number
    assert sms["status"] == "undelivered" and sms["error_code"] == 30032
    conversation = owl.conversations.v1.conversations(offer["attributes"]["conversationSid"])
    message = conversation.messages.list()[-1]
    assert message.delivery["undelivered"] == "all"
    [receipt] = conversation.messages(message.sid).delivery_receipts.list()
    assert receipt.status == "undelivered" and receipt.error_code == 30032


def test_a_trial_account_replying_to_an_unverified_number_gets_a_failed_receipt(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    _text(sim, "Anyone there?", sender="+14155550166")
    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")
    reply(api, agent, offer["task_sid"], "Yes!")
    conversation = owl.conversations.v1.conversations(offer["attributes"]["conversationSid"])
    message = conversation.messages.list()[-1]
    [receipt] = conversation.messages(message.sid).delivery_receipts.list()
    assert receipt.status == "failed" and receipt.error_code == 21608
    assert receipt.channel_message_sid is None
    assert _handset(sim, "+14155550166") == []


def test_the_supervisor_sees_the_agents_active_task(sim, api):
    sim.freeze()
    agent = available_agent(sim, api)
    _text(sim, "Help")
    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")
    sup = api.ok("POST", "/console/login", body={"email": "supervisor@owl.example.com",
                                                 "password": "owl-supervisor-password"})
    token = api.flex_token(sup["session_token"], OWL_SID)
    [team] = api.ok("GET", "/flex/teams", token=token)["teams"]
    member = next(m for m in team["members"] if m["worker_sid"] == agent["worker_sid"])
    [task] = member["tasks"]
    assert task["task_sid"] == offer["task_sid"] and task["task_channel"] == "sms"
    assert task["customer"] == CUSTOMER
    assert task["conversation_sid"] == offer["attributes"]["conversationSid"]
    # monitoring only: the supervisor cannot answer the agent's reservation nor write for them
    status, _ = api.call("POST", f"/flex/agent-desktop/reservations/{offer['reservation_sid']}",
                         token=token, body={"action": "wrap"})
    assert status == 404
    status, _ = api.call("POST", f"/flex/agent-desktop/tasks/{offer['task_sid']}/messages",
                         token=token, body={"body": "hi"})
    assert status == 404
    # an agent may not open Teams (role rules unchanged)
    status, _ = api.call("GET", "/flex/teams", token=agent["token"])
    assert status == 403


def test_a_console_made_flex_account_answers_texts_too(sim, api, cc):
    account = sim.client(cc["account_sid"], cc["auth_token"])
    [number] = account.incoming_phone_numbers.list()
    [address] = account.conversations.v1.address_configurations.list(type="sms")
    assert address.address == number.phone_number and address.auto_creation["enabled"] is True
    assert sorted(f.friendly_name for f in account.studio.v2.flows.list()) == [
        "Messaging Flow", "Voice IVR", "Webchat Flow"]
    api.ok("POST", "/flex/agent-desktop/activity", token=cc["agent"],
           body={"friendly_name": "Available"})
    _text(sim, "Hello new contact center", to=number.phone_number)
    [offer] = api.ok("GET", "/flex/agent-desktop", token=cc["agent"])["tasks"]
    assert offer["task_channel"] == "sms" and offer["attributes"]["customerAddress"] == CUSTOMER
