"""Inbound SMS, TwiML replies, opt-out keywords and webhook inspection, over both transports."""
import pytest
from twilio.base.exceptions import TwilioRestException

from messaging_fixtures import deliveries, inbound, numbers

HANDSET = "+14155550199"
REPLY = ('<?xml version="1.0" encoding="UTF-8"?><Response>'
         '<Message>Thanks, we got it</Message></Response>')


def _code(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code


def test_done_when_inbound_sms_reply_and_stop(sim, client, frozen, receiver):
    """An inbound SMS reaches SmsUrl with a valid signature; the <Message> reply exists as
    an outbound-reply message; after STOP, sending to that number gives 21610."""
    local, _ = numbers(client)
    client.incoming_phone_numbers(local.sid).update(sms_url=receiver.url("/sms"))
    receiver.reply("/sms", REPLY)
    result = inbound(sim, HANDSET, local.phone_number, "Hello there")
    hook = receiver.at("/sms")[0]
    assert receiver.valid(hook, sim.auth_token)
    form = hook["form"]
    assert (form["From"], form["To"], form["Body"], form["SmsStatus"], form["AccountSid"]) == (
        HANDSET, local.phone_number, "Hello there", "received", sim.account_sid)
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"] == \
        result["message"]["sid"]
    assert form["NumMedia"] == "0" and form["ApiVersion"] == "2010-04-01"
    received = client.messages(result["message"]["sid"]).fetch()
    assert (received.direction, received.status, received.body) == ("inbound", "received",
                                                                     "Hello there")
    assert len(result["replies"]) == 1
    reply = client.messages(result["replies"][0]["sid"]).fetch()
    assert (reply.direction, reply.to, reply.from_, reply.body) == (
        "outbound-reply", HANDSET, local.phone_number, "Thanks, we got it")
    sim.advance(10)
    assert client.messages(reply.sid).fetch().status == "delivered"

    inbound(sim, HANDSET, local.phone_number, " stop ")
    assert len(receiver.at("/sms")) == 2            # the app still hears about it
    assert _code(lambda: client.messages.create(to=HANDSET, from_=local.phone_number,
                                                body="come back")) == 21610
    inbound(sim, HANDSET, local.phone_number, "START")
    assert client.messages.create(to=HANDSET, from_=local.phone_number, body="welcome").status \
        == "queued"


def test_inbound_with_media_and_listing_by_control_plane(sim, client, receiver):
    local, _ = numbers(client)
    client.incoming_phone_numbers(local.sid).update(sms_url=receiver.url("/mms"))
    result = inbound(sim, HANDSET, local.phone_number, "look",
                     media=["https://example.com/a.png"])
    form = receiver.at("/mms")[0]["form"]
    assert form["NumMedia"] == "1"
    assert form["MediaUrl0"] == "https://example.com/a.png"
    assert form["MediaContentType0"] == "image/png"
    listed = deliveries(sim, kind="incoming-message")
    assert len(listed) == 1
    d = listed[0]
    assert d["url"] == receiver.url("/mms") and d["params"]["Body"] == "look"
    assert d["response_status"] == 200 and d["signature"]
    assert result["webhook"]["sid"] == d["sid"]
    assert client.messages(result["message"]["sid"]).media.list()[0].content_type == "image/png"


def test_inbound_goes_to_the_messaging_service_url(sim, client, receiver):
    local, _ = numbers(client)
    client.incoming_phone_numbers(local.sid).update(sms_url=receiver.url("/number"))
    svc = client.messaging.v1.services.create(friendly_name="in",
                                              inbound_request_url=receiver.url("/service"))
    client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=local.sid)
    inbound(sim, HANDSET, local.phone_number, "to the service")
    assert receiver.at("/number") == []
    form = receiver.at("/service")[0]["form"]
    assert form["MessagingServiceSid"] == svc.sid
    # STOP to a service number opts out of the whole service
    inbound(sim, HANDSET, local.phone_number, "UNSUBSCRIBE")
    assert _code(lambda: client.messages.create(to=HANDSET, messaging_service_sid=svc.sid,
                                                body="x")) == 21610


def test_inbound_to_unknown_number_is_refused(sim):
    with pytest.raises(RuntimeError):
        inbound(sim, HANDSET, "+12125550199", "anyone?")
    with pytest.raises(RuntimeError):
        sim.control("POST", "messages/inbound", json={"To": "+14155550100"})


def test_webhook_for_a_subaccount_is_signed_with_its_token(sim, client, frozen, receiver):
    sub = client.api.v2010.accounts.create(friendly_name="child")
    sub_client = sim.client(sub.sid, sub.auth_token)
    number = sub_client.incoming_phone_numbers.create(area_code="305",
                                                      sms_url=receiver.url("/sub"))
    inbound(sim, HANDSET, number.phone_number, "hi")
    hook = receiver.at("/sub")[0]
    assert receiver.valid(hook, sub.auth_token) and not receiver.valid(hook, sim.auth_token)


def test_record_only_transport(sim, client, frozen, receiver):
    local, _ = numbers(client)
    sim.control("POST", "webhooks/settings", json={"transport": "record"})
    assert sim.control("GET", "webhooks/settings") == {"transport": "record"}
    m = client.messages.create(to=HANDSET, from_=local.phone_number, body="x",
                               status_callback="https://hooks.example.com/status")
    sim.advance(10)
    listed = deliveries(sim, resource_sid=m.sid)
    assert [d["transport"] for d in listed] == ["record"] * 3
    assert all(d["response_status"] is None for d in listed)
    assert client.monitor.v1.alerts.list() == []
    with pytest.raises(RuntimeError):
        sim.control("POST", "webhooks/settings", json={"transport": "pigeon"})


def test_a_callback_handler_may_call_back_into_the_simulator(sim, client, frozen, receiver):
    """The user's status-callback handler fetches the message through the API while the
    simulator is delivering: no deadlock, and it sees the status being reported."""
    local, _ = numbers(client)
    seen = []

    def handler(form):
        seen.append((form["MessageStatus"], client.messages(form["MessageSid"]).fetch().status))
        return ""

    receiver.handlers["/fetch-back"] = handler
    m = client.messages.create(to=HANDSET, from_=local.phone_number, body="x",
                               status_callback=receiver.url("/fetch-back"))
    sim.advance(10)
    assert seen == [("sending", "sending"), ("sent", "sent"), ("delivered", "delivered")]
    assert [d["response_status"] for d in deliveries(sim, resource_sid=m.sid)] == [200] * 3


def test_sms_fallback_url_gets_the_message_when_sms_url_fails(sim, client, receiver):
    local, _ = numbers(client)
    client.incoming_phone_numbers(local.sid).update(sms_url=receiver.url("/down"),
                                                    sms_fallback_url=receiver.url("/fallback"))
    receiver.reply("/down", "no", status=503, content_type="text/plain")
    receiver.reply("/fallback", REPLY)
    result = inbound(sim, HANDSET, local.phone_number, "anyone?")
    assert len(receiver.at("/down")) == 1 and len(receiver.at("/fallback")) == 1
    assert receiver.valid(receiver.at("/fallback")[0], sim.auth_token)
    assert [r["body"] for r in result["replies"]] == ["Thanks, we got it"]
    assert [a.error_code for a in client.monitor.v1.alerts.list()] == ["11200"]


def test_callbacks_with_get(sim, client, frozen, receiver):
    local, _ = numbers(client)
    client.calls.create(to=HANDSET, from_=local.phone_number, url=receiver.url("/voice"),
                        method="GET", status_callback=receiver.url("/get-status?tenant=7"),
                        status_callback_method="GET",
                        status_callback_event=["ringing", "completed"])
    sim.advance(20)
    calls = receiver.at("/get-status") + receiver.at("/voice")
    assert [c["method"] for c in calls] == ["GET"] * 3
    assert calls[1]["args"]["CallStatus"] == "completed" and calls[1]["args"]["tenant"] == "7"
    assert all(receiver.valid(c, sim.auth_token) for c in calls)


def test_twilio_hosted_urls_stay_inside(sim, client, frozen):
    local, _ = numbers(client)
    studio = f"https://webhooks.twilio.com/v1/Accounts/{sim.account_sid}/Flows/FW" + "0" * 32
    client.incoming_phone_numbers(local.sid).update(sms_url=studio)
    sim.control("POST", "webhooks/settings", json={"transport": "http"})
    inbound(sim, HANDSET, local.phone_number, "to studio")
    [d] = deliveries(sim, kind="incoming-message")
    assert (d["url"], d["transport"], d["response_status"], d["error"]) == (
        studio, "internal", None, None)
    assert client.monitor.v1.alerts.list() == []
