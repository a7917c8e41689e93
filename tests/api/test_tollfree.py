"""Toll-free verification (messaging v1) and the 30032 rule, through the real SDK."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from messaging_fixtures import deliveries, numbers

US_MOBILE = "+14155550199"
CA_MOBILE = "+14165550123"
GB_MOBILE = "+447700900123"

FORM = dict(
    business_name="Owl, Inc.", business_website="https://www.example.com",
    notification_email="ops@example.com", use_case_categories=["ACCOUNT_NOTIFICATIONS"],
    use_case_summary="Order updates for customers", production_message_sample="Your order shipped",
    opt_in_image_urls=["https://www.example.com/optin.png"], opt_in_type="WEB_FORM",
    message_volume="1,000",
)


def _code(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code


def _verify(client, number_sid, **extra):
    return client.messaging.v1.tollfree_verifications.create(
        tollfree_phone_number_sid=number_sid, **{**FORM, **extra})


def test_done_when_toll_free_rule(sim, client, frozen, receiver):
    """Buy a US toll-free number, send to a US mobile: 201, then undelivered 30032 with a
    signed callback; approve a verification: delivered; GB before verification: delivered;
    a call from it completes."""
    number = client.incoming_phone_numbers.toll_free.create(
        phone_number=client.available_phone_numbers("US").toll_free.list(limit=1)[0].phone_number)
    blocked = client.messages.create(to=US_MOBILE, from_=number.phone_number, body="hi",
                                     status_callback=receiver.url("/status"))
    assert blocked.status == "queued" and blocked.error_code is None
    to_gb = client.messages.create(to=GB_MOBILE, from_=number.phone_number, body="hi uk")
    call = client.calls.create(to=US_MOBILE, from_=number.phone_number,
                               url="https://example.com/voice")
    sim.advance(30)
    after = client.messages(blocked.sid).fetch()
    assert (after.status, after.error_code) == ("undelivered", 30032)
    assert after.error_message == "Toll-Free Number Has Not Been Verified"
    final = receiver.at("/status")[-1]
    assert final["form"]["MessageStatus"] == "undelivered"
    assert final["form"]["ErrorCode"] == "30032"
    assert receiver.valid(final, sim.auth_token)
    assert client.messages(to_gb.sid).fetch().status == "delivered"
    assert client.calls(call.sid).fetch().status == "completed"

    v = _verify(client, number.sid)
    assert v.status == "PENDING_REVIEW" and v.sid.startswith("HH")
    assert v.tollfree_phone_number == number.phone_number
    pending = client.messages.create(to=CA_MOBILE, from_=number.phone_number, body="pending")
    sim.advance(30)
    assert client.messages(pending.sid).fetch().error_code == 30032   # Pending is restricted
    sim.control("POST", f"tollfree-verifications/{v.sid}/review")
    assert client.messaging.v1.tollfree_verifications(v.sid).fetch().status == "IN_REVIEW"
    sim.control("POST", f"tollfree-verifications/{v.sid}/approve")
    assert client.messaging.v1.tollfree_verifications(v.sid).fetch().status == "TWILIO_APPROVED"
    ok = client.messages.create(to=US_MOBILE, from_=number.phone_number, body="approved")
    sim.advance(30)
    delivered = client.messages(ok.sid).fetch()
    assert (delivered.status, delivered.error_code) == ("delivered", None)


def test_seeded_toll_free_number_shows_the_rule_at_once(sim, client, frozen):
    _, toll_free = numbers(client)
    m = client.messages.create(to=US_MOBILE, from_=toll_free.phone_number, body="x")
    sim.advance(10)
    assert client.messages(m.sid).fetch().error_code == 30032
    calls = [d for d in deliveries(sim) if d["resource_sid"] == m.sid]
    assert calls == []   # no StatusCallback given: nothing delivered


def test_create_validation(client):
    local, toll_free = numbers(client)
    assert _code(lambda: client.messaging.v1.tollfree_verifications.create(
        tollfree_phone_number_sid=toll_free.sid, **{**FORM, "business_name": ""})) == 20422
    assert _code(lambda: _verify(client, local.sid)) == 30436            # not toll-free
    assert _code(lambda: _verify(client, "PN" + "0" * 32)) == 30436
    assert _code(lambda: _verify(client, toll_free.sid, opt_in_type="SMOKE_SIGNALS")) == 20422
    assert _code(lambda: _verify(client, toll_free.sid,
                                 use_case_categories=["NOT_A_CATEGORY"])) == 20422
    assert client.messaging.v1.tollfree_verifications.list() == []
    v = _verify(client, toll_free.sid)
    assert _code(lambda: _verify(client, toll_free.sid)) == 20422        # one at a time
    assert v.use_case_categories == ["ACCOUNT_NOTIFICATIONS"]


def test_list_filters_fetch_update_delete(sim, client):
    _, toll_free = numbers(client)
    other = client.incoming_phone_numbers.create(area_code="888")
    a = _verify(client, toll_free.sid, external_reference_id="ref-a")
    b = _verify(client, other.sid)
    verifications = client.messaging.v1.tollfree_verifications
    assert {x.sid for x in verifications.list()} == {a.sid, b.sid}
    assert [x.sid for x in verifications.list(tollfree_phone_number_sid=other.sid)] == [b.sid]
    assert [x.sid for x in verifications.list(external_reference_id="ref-a")] == [a.sid]
    sim.control("POST", f"tollfree-verifications/{b.sid}/approve")
    assert [x.sid for x in verifications.list(status="TWILIO_APPROVED")] == [b.sid]
    # edit while pending
    assert verifications(a.sid).update(business_name="Owl 2").business_name == "Owl 2"
    # an approved one cannot be edited
    assert _code(lambda: verifications(b.sid).update(business_name="x")) == 20422
    assert verifications(b.sid).fetch().business_name == "Owl, Inc."
    assert verifications(a.sid).delete() is True
    assert _code(lambda: verifications(a.sid).fetch()) == 20404


def test_reject_then_resubmit(sim, client, http, frozen):
    _, toll_free = numbers(client)
    verifications = client.messaging.v1.tollfree_verifications
    v = _verify(client, toll_free.sid)
    sim.control("POST", f"tollfree-verifications/{v.sid}/reject",
                json={"reason": "Opt-in evidence missing", "error_code": 30446})
    rejected = verifications(v.sid).fetch()
    assert rejected.status == "TWILIO_REJECTED" and rejected.error_code == 30446
    assert rejected.rejection_reason == "Opt-in evidence missing"
    assert rejected.edit_allowed is True and rejected.edit_expiration is not None
    m = client.messages.create(to=US_MOBILE, from_=toll_free.phone_number, body="x")
    sim.advance(10)
    assert client.messages(m.sid).fetch().error_code == 30032        # rejected = restricted
    again = verifications(v.sid).update(opt_in_image_urls=["https://www.example.com/new.png"],
                                        edit_reason="added evidence")
    assert again.status == "PENDING_REVIEW" and again.rejection_reason is None
    approved = sim.control("POST", f"tollfree-verifications/{v.sid}/approve")
    assert approved["status"] == "TWILIO_APPROVED"
    # an approved verification cannot be rejected
    status, _, body = http("POST", f"/_sim/v1/tollfree-verifications/{v.sid}/reject", json={})
    assert status == 400 and json.loads(body)["code"] == 20422
    assert verifications(v.sid).fetch().status == "TWILIO_APPROVED"


def test_auto_approval_after_simulated_seconds(sim, client, frozen):
    sim.control("POST", "messaging/settings", json={"tollfree_auto_approve_seconds": 3600})
    _, toll_free = numbers(client)
    v = _verify(client, toll_free.sid)
    sim.advance(3599)
    assert client.messaging.v1.tollfree_verifications(v.sid).fetch().status == "PENDING_REVIEW"
    sim.advance(1)
    assert client.messaging.v1.tollfree_verifications(v.sid).fetch().status == "TWILIO_APPROVED"
    m = client.messages.create(to=US_MOBILE, from_=toll_free.phone_number, body="x")
    sim.advance(10)
    assert client.messages(m.sid).fetch().status == "delivered"
