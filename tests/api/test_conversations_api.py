"""The Conversations API (client.conversations.v1) on the main account: the default service
and configuration, conversations, participants, messages with delivery receipts, scoped
webhooks, address configurations; Twilio's codes for each documented refusal."""
import pytest
from twilio.base.exceptions import TwilioRestException

LOCAL = "+14155550100"       # the main account's local number (SMS and voice)
TOLL_FREE = "+18445550100"   # its toll-free number, not verified
HANDSET = "+14155550142"


def _error(call, *args, **kwargs):
    with pytest.raises(TwilioRestException) as err:
        call(*args, **kwargs)
    return err.value


def test_the_default_service_and_configuration(client):
    conv = client.conversations.v1
    config = conv.configuration().fetch()
    [service] = conv.services.list()
    assert config.default_chat_service_sid == service.sid
    assert service.friendly_name == "Default Conversations Service"
    other = conv.services.create(friendly_name="Second")
    assert conv.services(other.sid).fetch().friendly_name == "Second"
    config = conv.configuration().update(default_chat_service_sid=other.sid,
                                         default_inactive_timer="PT5M")
    assert config.default_chat_service_sid == other.sid and config.default_inactive_timer == "PT5M"
    assert _error(conv.services(other.sid).delete).status == 400   # the default one stays
    conv.configuration().update(default_chat_service_sid=service.sid)
    assert conv.services(other.sid).delete() is True
    assert _error(conv.services(other.sid).fetch).code == 20404
    assert _error(conv.configuration().update,
                  default_chat_service_sid="IS" + "0" * 32).status == 400


def test_conversations_crud_and_state(client):
    conv = client.conversations.v1
    made = conv.conversations.create(friendly_name="Support", unique_name="support-1",
                                     attributes='{"topic": "billing"}')
    assert made.state == "active"
    assert made.chat_service_sid == conv.configuration().fetch().default_chat_service_sid
    assert conv.conversations("support-1").fetch().sid == made.sid   # by unique name
    assert [c.sid for c in conv.conversations.list()] == [made.sid]
    assert conv.conversations.list(state="closed") == []
    assert _error(conv.conversations.create, unique_name="support-1").code == 50353
    assert _error(conv.conversations.create, attributes="{nope").code == 50304
    assert _error(conv.conversations.create, state="closed").code == 50384
    updated = conv.conversations(made.sid).update(friendly_name="Billing", state="inactive")
    assert updated.friendly_name == "Billing" and updated.state == "inactive"
    closed = conv.conversations(made.sid).update(state="closed")
    assert closed.state == "closed"
    assert _error(conv.conversations(made.sid).update, friendly_name="x").code == 50377
    assert conv.conversations(made.sid).delete() is True
    assert _error(conv.conversations(made.sid).fetch).code == 20404


def test_timers_move_a_conversation_on_the_clock(sim, client):
    sim.freeze()
    conv = client.conversations.v1
    made = conv.conversations.create(timers_inactive="PT1M", timers_closed="PT10M")
    assert set(made.timers) == {"date_inactive", "date_closed"}
    assert _error(conv.conversations.create, timers_inactive="PT30S").code == 50375
    assert _error(conv.conversations.create, timers_closed="PT5M").code == 50376
    assert _error(conv.conversations.create, timers_inactive="soon").code == 50379
    sim.advance(61)
    assert conv.conversations(made.sid).fetch().state == "inactive"
    conv.conversations(made.sid).messages.create(author="system", body="back")
    assert conv.conversations(made.sid).fetch().state == "active"   # a message wakes it
    sim.advance(601)
    assert conv.conversations(made.sid).fetch().state == "closed"


def test_participants(client):
    conv = client.conversations.v1.conversations.create()
    chat = conv.participants.create(identity="ann", attributes='{"vip": true}')
    assert chat.identity == "ann" and chat.messaging_binding is None and chat.role_sid
    sms = conv.participants.create(messaging_binding_address=HANDSET,
                                   messaging_binding_proxy_address=LOCAL)
    assert sms.messaging_binding == {"type": "sms", "address": HANDSET, "proxy_address": LOCAL}
    assert [p.sid for p in conv.participants.list()] == [chat.sid, sms.sid]
    assert conv.participants("ann").fetch().sid == chat.sid   # by identity
    assert conv.participants(chat.sid).update(attributes="{}").attributes == "{}"
    assert _error(conv.participants.create, identity="ann").code == 50433
    assert _error(conv.participants.create, messaging_binding_address="nope",
                  messaging_binding_proxy_address=LOCAL).code == 50407
    assert _error(conv.participants.create, messaging_binding_address=HANDSET).code == 50412
    assert _error(conv.participants.create, messaging_binding_address="+14155550143",
                  messaging_binding_proxy_address="+14155559999").code == 50413
    assert _error(conv.participants.create, messaging_binding_address=LOCAL,
                  messaging_binding_proxy_address=LOCAL).code == 50409
    other = client.conversations.v1.conversations.create()
    assert _error(other.participants.create, messaging_binding_address=HANDSET,
                  messaging_binding_proxy_address=LOCAL).code == 50416
    assert conv.participants(sms.sid).delete() is True
    other.participants.create(messaging_binding_address=HANDSET,
                              messaging_binding_proxy_address=LOCAL)   # the pair is free now
    assert _error(conv.participants("MB" + "0" * 32).fetch).code == 20404


def test_messages_go_out_as_sms_with_receipts(sim, client):
    sim.freeze()
    conv = client.conversations.v1.conversations.create()
    conv.participants.create(messaging_binding_address=HANDSET,
                             messaging_binding_proxy_address=LOCAL)
    conv.participants.create(identity="agent-1")
    first = conv.messages.create(author="agent-1", body="Hello")
    assert first.index == 0 and first.author == "agent-1" and first.participant_sid
    assert first.delivery["total"] == 1 and first.delivery["sent"] == "all"
    [sms] = client.messages.list(to=HANDSET)
    assert sms.from_ == LOCAL and sms.body == "Hello"
    sim.advance(10)
    [receipt] = conv.messages(first.sid).delivery_receipts.list()
    assert receipt.status == "delivered" and receipt.channel_message_sid == sms.sid
    assert conv.messages(first.sid).delivery_receipts(receipt.sid).fetch().error_code == 0
    second = conv.messages.create(body="From the system")
    assert second.index == 1 and second.author == "system"
    assert [m.index for m in conv.messages.list(order="desc")] == [1, 0]
    assert conv.messages(second.sid).update(body="Edited").body == "Edited"
    assert conv.messages(second.sid).fetch().body == "Edited"
    assert conv.messages(second.sid).delete() is True
    assert _error(conv.messages(second.sid).fetch).code == 20404


def test_an_unverified_toll_free_proxy_ends_in_30032(sim, client):
    sim.freeze()
    conv = client.conversations.v1.conversations.create()
    conv.participants.create(messaging_binding_address=HANDSET,
                             messaging_binding_proxy_address=TOLL_FREE)
    message = conv.messages.create(body="From toll-free")
    sim.advance(10)
    [receipt] = conv.messages(message.sid).delivery_receipts.list()
    assert receipt.status == "undelivered" and receipt.error_code == 30032
    assert conv.messages(message.sid).fetch().delivery["undelivered"] == "all"


def test_an_inbound_sms_lands_in_the_conversation_holding_the_pair(sim, client):
    conv = client.conversations.v1.conversations.create()
    customer = conv.participants.create(messaging_binding_address=HANDSET,
                                        messaging_binding_proxy_address=LOCAL)
    client.incoming_phone_numbers.list(phone_number=LOCAL)[0].update(
        sms_url="https://example.com/sms")
    answer = sim.control("POST", "messages/inbound", {"From": HANDSET, "To": LOCAL, "Body": "hi"})
    assert answer["webhook"] is None   # the conversation takes it before the number's webhook
    [message] = conv.messages.list()
    assert message.author == HANDSET and message.participant_sid == customer.sid
    conv.update(state="closed")
    answer = sim.control("POST", "messages/inbound", {"From": HANDSET, "To": LOCAL, "Body": "hi"})
    assert answer["webhook"]["url"] == "https://example.com/sms"   # no conversation any more


def test_scoped_webhooks(sim, client):
    conv = client.conversations.v1.conversations.create()
    hook = conv.webhooks.create(target="webhook", configuration_url="https://example.com/hook",
                                configuration_method="post",
                                configuration_filters=["onMessageAdded"])
    assert hook.configuration == {"url": "https://example.com/hook", "method": "post",
                                  "filters": ["onMessageAdded"]}
    trigger = conv.webhooks.create(target="trigger", configuration_url="https://example.com/t",
                                   configuration_triggers=["refund"])
    assert [w.sid for w in conv.webhooks.list()] == [hook.sid, trigger.sid]
    conv.messages.create(author="system", body="I want a refund")
    sent = sim.control("GET", f"webhooks/deliveries?resource_sid={conv.sid}")["deliveries"]
    assert sorted(d["url"] for d in sent) == ["https://example.com/hook", "https://example.com/t"]
    updated = conv.webhooks(hook.sid).update(configuration_filters=["onParticipantAdded"])
    assert updated.configuration["filters"] == ["onParticipantAdded"]
    assert conv.webhooks(hook.sid).fetch().sid == hook.sid
    assert _error(conv.webhooks.create, target="webhook").code == 50369
    assert _error(conv.webhooks.create, target="trigger",
                  configuration_url="https://example.com/t").code == 50371
    assert _error(conv.webhooks.create, target="studio",
                  configuration_flow_sid="FW" + "0" * 32).code == 50367
    for n in range(3):
        conv.webhooks.create(target="webhook", configuration_url=f"https://example.com/{n}")
    assert _error(conv.webhooks.create, target="webhook",
                  configuration_url="https://example.com/6").code == 50361
    assert conv.webhooks(trigger.sid).delete() is True
    assert _error(conv.webhooks(trigger.sid).fetch).code == 20404


def test_address_configurations(client):
    conv = client.conversations.v1
    made = conv.address_configurations.create(
        type="sms", address=LOCAL, friendly_name="Local",
        auto_creation_enabled=True, auto_creation_type="webhook",
        auto_creation_webhook_url="https://example.com/new",
        auto_creation_webhook_filters=["onMessageAdded"])
    assert made.auto_creation["type"] == "webhook" and made.address_country == "US"
    assert [a.sid for a in conv.address_configurations.list(type="sms")] == [made.sid]
    assert conv.address_configurations.list(type="chat") == []
    assert conv.address_configurations(made.sid).fetch().address == LOCAL
    updated = conv.address_configurations(made.sid).update(friendly_name="Renamed",
                                                           auto_creation_enabled=False)
    assert updated.friendly_name == "Renamed" and updated.auto_creation["enabled"] is False
    assert _error(conv.address_configurations.create, type="sms", address=LOCAL).code == 20409
    assert _error(conv.address_configurations.create, type="sms",
                  address="+14155559999").status == 400
    assert conv.address_configurations(made.sid).delete() is True
    assert _error(conv.address_configurations(made.sid).fetch).code == 20404


def test_an_address_configuration_starts_conversations_for_new_senders(sim, client):
    client.conversations.v1.address_configurations.create(
        type="sms", address=LOCAL, auto_creation_enabled=True, auto_creation_type="default")
    sim.control("POST", "messages/inbound", {"From": HANDSET, "To": LOCAL, "Body": "first"})
    [conversation] = client.conversations.v1.conversations.list()
    [participant] = conversation.participants.list()
    assert participant.messaging_binding["address"] == HANDSET
    sim.control("POST", "messages/inbound", {"From": HANDSET, "To": LOCAL, "Body": "second"})
    assert [m.body for m in conversation.messages.list()] == ["first", "second"]
