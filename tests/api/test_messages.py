"""Messages through the real twilio SDK: create, lifecycle, callbacks, validation, lists."""
from datetime import datetime, timedelta, timezone

import pytest
from twilio.base.exceptions import TwilioRestException

from messaging_fixtures import deliveries, numbers

US_MOBILE = "+14155550199"
GB_MOBILE = "+447700900123"


def _code(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code


def test_create_and_fetch(client):
    local, _ = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="hello")
    assert m.sid.startswith("SM") and m.status == "queued" and m.direction == "outbound-api"
    assert (m.to, m.from_, m.body, m.num_segments, m.num_media) == (
        US_MOBILE, local.phone_number, "hello", "1", "0")
    assert m.price is None and m.error_code is None and m.date_sent is None
    fetched = client.messages(m.sid).fetch()
    assert fetched.sid == m.sid and fetched.body == "hello"
    assert _code(lambda: client.messages("SM" + "0" * 32).fetch()) == 20404


def test_lifecycle_on_the_clock_with_signed_callbacks(sim, client, frozen, receiver):
    local, _ = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="track me",
                               status_callback=receiver.url("/status"))
    assert client.messages(m.sid).fetch().status == "queued"
    assert receiver.at("/status") == []          # no callback for the initial status
    sim.advance(1)
    assert client.messages(m.sid).fetch().status == "sending"
    sim.advance(1)
    sent = client.messages(m.sid).fetch()
    assert sent.status == "sent" and sent.date_sent is not None and sent.price is not None
    sim.advance(1)
    assert client.messages(m.sid).fetch().status == "delivered"
    calls = receiver.at("/status")
    assert [c["form"]["MessageStatus"] for c in calls] == ["sending", "sent", "delivered"]
    for c in calls:
        assert receiver.valid(c, sim.auth_token)
        form = c["form"]
        assert form["MessageSid"] == form["SmsSid"] == m.sid
        assert form["SmsStatus"] == form["MessageStatus"]
        assert (form["AccountSid"], form["From"], form["To"], form["ApiVersion"]) == (
            sim.account_sid, local.phone_number, US_MOBILE, "2010-04-01")
        assert "ErrorCode" not in form
    # every delivery is listed by the control plane with its signature and response
    listed = deliveries(sim, resource_sid=m.sid)
    assert [d["params"]["MessageStatus"] for d in listed] == ["sending", "sent", "delivered"]
    assert all(d["response_status"] == 200 and d["signature"] for d in listed)


def test_delays_are_configurable(sim, client, frozen):
    sim.control("POST", "messaging/settings", json={"sending": 10, "sent": 5, "delivered": 60})
    local, _ = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="slow")
    sim.advance(9)
    assert client.messages(m.sid).fetch().status == "queued"
    sim.advance(1)
    assert client.messages(m.sid).fetch().status == "sending"
    sim.advance(5 + 59)
    assert client.messages(m.sid).fetch().status == "sent"
    sim.advance(1)
    assert client.messages(m.sid).fetch().status == "delivered"
    with pytest.raises(RuntimeError):
        sim.control("POST", "messaging/settings", json={"sending": -1})


def test_validation_codes_in_twilios_order(client):
    local, _ = numbers(client)
    f = local.phone_number
    cases = [
        (dict(to="", from_=None, body=None), 21604),
        (dict(to=US_MOBILE, body="x"), 21603),
        (dict(to=US_MOBILE, from_=f), 21602),
        (dict(to="+1415", from_="+1", body="x"), 21211),
        (dict(to="not a number", from_=f, body="x"), 21211),
        (dict(to=f, from_=f, body="x"), 21211),
        (dict(to=US_MOBILE, from_="nonsense", body="x"), 21212),
        (dict(to=US_MOBILE, from_="+12125550111", body="x"), 21606),   # not ours
        (dict(to=US_MOBILE, from_=f, body="x" * 1601), 21617),
        (dict(to="+5355512345", from_=f, body="x"), 21408),            # no geo permission
        (dict(to="+442079460000", from_=f, body="x"), 21614),          # UK landline
    ]
    for kwargs, code in cases:
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        assert _code(lambda: client.messages.create(**kwargs)) == code, kwargs
    assert client.messages.list() == []   # nothing was created


def test_gb_local_number_cannot_send_sms(client):
    uk = client.incoming_phone_numbers.create(
        phone_number=client.available_phone_numbers("GB").local.list(limit=1)[0].phone_number)
    assert _code(lambda: client.messages.create(to=GB_MOBILE, from_=uk.phone_number,
                                                body="x")) == 21606


def test_bad_status_callback_and_media_url(client):
    local, _ = numbers(client)
    assert _code(lambda: client.messages.create(to=US_MOBILE, from_=local.phone_number, body="x",
                                                status_callback="ftp://nope")) == 21609
    assert _code(lambda: client.messages.create(to=US_MOBILE, from_=local.phone_number,
                                                media_url=["not-a-url"])) == 21620
    assert _code(lambda: client.messages.create(
        to=US_MOBILE, from_=local.phone_number,
        media_url=[f"https://example.com/{i}.png" for i in range(11)])) == 21623


def test_media_message(client):
    local, _ = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number,
                               media_url=["https://example.com/cat.jpg",
                                          "https://example.com/doc.pdf"])
    assert m.sid.startswith("MM") and m.num_media == "2"
    media = client.messages(m.sid).media.list()
    assert [x.content_type for x in media] == ["image/jpeg", "application/pdf"]
    assert all(x.parent_sid == m.sid and x.sid.startswith("ME") for x in media)
    one = client.messages(m.sid).media(media[0].sid).fetch()
    assert one.sid == media[0].sid
    assert client.messages(m.sid).media(media[0].sid).delete() is True
    assert len(client.messages(m.sid).media.list()) == 1


def test_redact_and_delete(sim, client, frozen):
    local, _ = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="secret")
    assert _code(lambda: client.messages(m.sid).delete()) == 20009   # still in flight
    sim.advance(5)
    assert client.messages(m.sid).update(body="").body == ""
    assert client.messages(m.sid).fetch().body == ""
    assert _code(lambda: client.messages(m.sid).update(body="other")) == 20422
    assert client.messages(m.sid).delete() is True
    assert _code(lambda: client.messages(m.sid).fetch()) == 20404


def test_schedule_and_cancel(sim, client, frozen):
    local, _ = numbers(client)
    svc = client.messaging.v1.services.create(friendly_name="scheduler")
    client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=local.sid)
    clock_now = datetime.fromisoformat(sim.control("GET", "clock")["now"].replace("Z", "+00:00"))
    send_at = clock_now + timedelta(hours=1)
    m = client.messages.create(to=US_MOBILE, messaging_service_sid=svc.sid, body="later",
                               schedule_type="fixed", send_at=send_at)
    assert m.status == "scheduled"
    later = client.messages.create(to=US_MOBILE, messaging_service_sid=svc.sid, body="kept",
                                   schedule_type="fixed", send_at=send_at)
    assert client.messages(m.sid).update(status="canceled").status == "canceled"
    assert _code(lambda: client.messages(m.sid).update(status="canceled")) == 30409
    sim.advance(3600 + 10)
    assert client.messages(m.sid).fetch().status == "canceled"
    assert client.messages(later.sid).fetch().status == "delivered"


def test_list_pages_250_messages_and_filters(sim, client, frozen):
    local, _ = numbers(client)
    first_day = sim.control("GET", "clock")["now"][:10]
    sent = []
    for i in range(250):
        to = US_MOBILE if i % 2 == 0 else "+13125550142"
        sent.append(client.messages.create(to=to, from_=local.phone_number, body=f"m{i}").sid)
        if i == 99:
            sim.advance(86400)   # the first 100 are sent on day one
    sim.advance(86400)
    listed = [m.sid for m in client.messages.list(page_size=40)]
    assert len(listed) == 250 and len(set(listed)) == 250
    assert listed == list(reversed(sent))           # newest first
    page = client.messages.page(page_size=100)
    assert len(list(page)) == 100
    second = page.next_page()
    assert len(list(second)) == 100 and len(list(second.next_page())) == 50
    to_us = client.messages.list(to=US_MOBILE, page_size=50)
    assert len(to_us) == 125 and all(m.to == US_MOBILE for m in to_us)
    assert len(client.messages.list(from_=local.phone_number)) == 250
    day_one = datetime.strptime(first_day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    on_day_one = client.messages.list(date_sent=day_one, page_size=30)
    assert len(on_day_one) == 100
    before = client.messages.list(date_sent_before=day_one + timedelta(hours=23, minutes=59))
    after = client.messages.list(date_sent_after=day_one + timedelta(days=1))
    assert len(before) == 100 and len(after) == 150
    assert len(client.messages.list(to=US_MOBILE, date_sent=day_one)) == 50


def test_messaging_service_sender_pool(sim, client, frozen, receiver):
    local, _ = numbers(client)
    svc = client.messaging.v1.services.create(friendly_name="pool",
                                              status_callback=receiver.url("/svc-status"))
    assert svc.sid.startswith("MG") and svc.friendly_name == "pool"
    assert _code(lambda: client.messages.create(to=US_MOBILE, messaging_service_sid=svc.sid,
                                                body="x")) == 21704
    assert _code(lambda: client.messages.create(to=US_MOBILE, messaging_service_sid=svc.sid)) \
        == 21619
    assert _code(lambda: client.messages.create(to=US_MOBILE, body="x",
                                                messaging_service_sid="MG" + "0" * 32)) == 21701
    entry = client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=local.sid)
    assert entry.phone_number == local.phone_number and "SMS" in entry.capabilities
    assert [p.sid for p in client.messaging.v1.services(svc.sid).phone_numbers.list()] \
        == [local.sid]
    assert _code(lambda: client.messaging.v1.services(svc.sid).phone_numbers.create(
        phone_number_sid=local.sid)) == 21710
    m = client.messages.create(to=US_MOBILE, messaging_service_sid=svc.sid, body="pooled")
    assert m.status == "accepted" and m.from_ == local.phone_number
    assert m.messaging_service_sid == svc.sid and m.num_segments == "0"
    sim.advance(10)
    assert client.messages(m.sid).fetch().status == "delivered"
    statuses = [r["form"]["MessageStatus"] for r in receiver.at("/svc-status")]
    assert statuses == ["queued", "sending", "sent", "delivered"]
    assert all(r["form"]["MessagingServiceSid"] == svc.sid for r in receiver.at("/svc-status"))
    # services: fetch, update, list, delete
    assert client.messaging.v1.services(svc.sid).update(friendly_name="renamed").friendly_name \
        == "renamed"
    assert [s.sid for s in client.messaging.v1.services.list()] == [svc.sid]
    assert client.messaging.v1.services(svc.sid).fetch().friendly_name == "renamed"
    assert client.messaging.v1.services(svc.sid).phone_numbers(local.sid).fetch().phone_number \
        == local.phone_number
    client.messaging.v1.services(svc.sid).phone_numbers(local.sid).delete()
    assert client.messaging.v1.services(svc.sid).phone_numbers.list() == []
    assert client.messaging.v1.services(svc.sid).delete() is True
    assert _code(lambda: client.messaging.v1.services(svc.sid).fetch()) == 20404


def test_failed_callback_raises_alert_11200_and_breaks_nothing(sim, client, frozen, receiver):
    local, _ = numbers(client)
    receiver.reply("/broken", "oops", status=500, content_type="text/plain")
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="x",
                               status_callback=receiver.url("/broken"))
    refused = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="y",
                                     status_callback="http://127.0.0.1:9/refused")
    sim.advance(10)
    assert client.messages(m.sid).fetch().status == "delivered"
    assert client.messages(refused.sid).fetch().status == "delivered"
    alerts = client.monitor.v1.alerts.list()
    assert {a.error_code for a in alerts} == {"11200"}
    assert {a.resource_sid for a in alerts} >= {m.sid}
    one = client.monitor.v1.alerts(alerts[0].sid).fetch()
    assert one.request_url in (receiver.url("/broken"), "http://127.0.0.1:9/refused")
    listed = deliveries(sim, resource_sid=m.sid)
    assert listed and all(d["response_status"] == 500 for d in listed)


def test_sender_choice_geomatch_and_sticky(client):
    local, _ = numbers(client)
    chicago = client.incoming_phone_numbers.create(area_code="312")
    svc = client.messaging.v1.services.create(friendly_name="geo")
    for n in (local, chicago):
        client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=n.sid)
    send = lambda to: client.messages.create(to=to, messaging_service_sid=svc.sid,  # noqa: E731
                                             body="x").from_
    assert send("+13125550142") == chicago.phone_number       # same area code
    assert send(US_MOBILE) == local.phone_number
    assert send("+16175550100") == local.phone_number         # same country: the first
    boston = client.incoming_phone_numbers.create(area_code="617")
    client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=boston.sid)
    assert send("+16175550100") == local.phone_number         # sticky sender
    assert send("+16175550111") == boston.phone_number


def test_carrier_outcomes_undelivered_and_failed(sim, client, frozen, receiver):
    local, _ = numbers(client)
    sim.control("POST", "messaging/carrier", json={"To": US_MOBILE, "status": "undelivered",
                                                   "error_code": 30006})
    sim.control("POST", "messaging/carrier", json={"To": "+13125550142", "status": "failed"})
    a = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="x",
                               status_callback=receiver.url("/a"))
    b = client.messages.create(to="+13125550142", from_=local.phone_number, body="y",
                               status_callback=receiver.url("/b"))
    sim.advance(10)
    a, b = client.messages(a.sid).fetch(), client.messages(b.sid).fetch()
    assert (a.status, a.error_code, a.error_message) == ("undelivered", 30006,
                                                        "Landline or unreachable carrier")
    assert (b.status, b.error_code) == ("failed", 30003)
    assert [r["form"]["MessageStatus"] for r in receiver.at("/b")] == ["sending", "failed"]
    assert receiver.at("/a")[-1]["form"]["ErrorCode"] == "30006"
    sim.control("POST", "messaging/carrier", json={"To": US_MOBILE, "status": None})
    c = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="z")
    sim.advance(10)
    assert client.messages(c.sid).fetch().status == "delivered"
    for bad in ({"To": US_MOBILE, "status": "lost"},
                {"To": US_MOBILE, "status": "failed", "error_code": 21211}, {"status": "failed"}):
        with pytest.raises(RuntimeError):
            sim.control("POST", "messaging/carrier", json=bad)
