"""Trial accounts (21608, the body prefix), verified caller IDs and fixtures, via the SDK."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from simulator import create_app
from simulator.config import Settings
from simulator.testing import SimulatorHandle

VERIFIED = "+14155550123"
UNVERIFIED = "+14155550124"


def _trial_subaccount(sim, client):
    """A subaccount turned into a Trial account (through snapshot/restore)."""
    sub = client.api.v2010.accounts.create(friendly_name="trial")
    snap = sim.snapshot()
    snap["tables"]["accounts"][sub.sid]["type"] = "Trial"
    sim.restore(snap)
    return sub, sim.client(sub.sid, sub.auth_token)


def test_trial_account_rules(sim, client):
    sub, trial = _trial_subaccount(sim, client)
    number = trial.incoming_phone_numbers.create(area_code="415")
    with pytest.raises(TwilioRestException) as e:
        trial.messages.create(to=UNVERIFIED, from_=number.phone_number, body="hi")
    assert (e.value.code, e.value.status) == (21608, 400)
    assert "Trial accounts cannot send messages to unverified numbers" in e.value.msg
    sim.control("POST", "caller-ids", json={"AccountSid": sub.sid, "PhoneNumber": VERIFIED})
    m = trial.messages.create(to=VERIFIED, from_=number.phone_number, body="hi")
    assert m.body == "Sent from your Twilio trial account - hi"
    # the main (full) account has no prefix and no verification rule
    local = client.incoming_phone_numbers.list()[0]
    full = client.messages.create(to=UNVERIFIED, from_=local.phone_number, body="hi")
    assert full.body == "hi"
    # trial calls: only to verified numbers
    with pytest.raises(TwilioRestException) as e:
        trial.calls.create(to=UNVERIFIED, from_=number.phone_number, url="https://example.com/v")
    assert e.value.code == 21219
    assert trial.calls.create(to=VERIFIED, from_=number.phone_number,
                              url="https://example.com/v").status == "queued"


def test_outgoing_caller_ids(sim, client):
    created = sim.control("POST", "caller-ids", json={"PhoneNumber": VERIFIED,
                                                      "FriendlyName": "My phone"})
    again = sim.control("POST", "caller-ids", json={"PhoneNumber": VERIFIED})
    assert created["sid"] == again["sid"]
    ids = client.outgoing_caller_ids.list()
    assert [(c.phone_number, c.friendly_name) for c in ids] == [(VERIFIED, "My phone")]
    assert client.outgoing_caller_ids.list(phone_number=UNVERIFIED) == []
    c = client.outgoing_caller_ids(ids[0].sid)
    assert c.fetch().sid == ids[0].sid
    assert c.update(friendly_name="Desk").friendly_name == "Desk"
    assert c.delete() is True
    with pytest.raises(TwilioRestException) as e:
        c.fetch()
    assert e.value.code == 20404
    # a verified caller ID may be a call's From
    sim.control("POST", "caller-ids", json={"PhoneNumber": VERIFIED})
    call = client.calls.create(to=UNVERIFIED, from_=VERIFIED, url="https://example.com/v")
    assert call._from == VERIFIED
    with pytest.raises(RuntimeError):
        sim.control("POST", "caller-ids", json={"PhoneNumber": "12"})


def test_fixtures_declare_numbers_caller_ids_services_and_verifications(tmp_path):
    fixtures = {"accounts": [{
        "sid": "AC" + "1" * 32, "auth_token": "t" * 32, "type": "Trial",
        "signup_phone": VERIFIED,
        "incoming_phone_numbers": [
            {"phone_number": "+14155550100", "sms_url": "https://example.com/sms"},
            {"phone_number": "+18885550100"},
            {"number_type": "mobile", "country": "GB"}],
        "outgoing_caller_ids": [{"phone_number": "+12125550100", "friendly_name": "Office"}],
        "messaging_services": [{"friendly_name": "Support", "phone_numbers": ["+14155550100"],
                                "inbound_request_url": "https://example.com/in"}],
        "tollfree_verifications": [{"phone_number": "+18885550100", "status": "TWILIO_APPROVED",
                                    "business_name": "Owl"}],
    }]}
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps(fixtures))
    app = create_app(Settings(fixtures=str(path), seed=3))
    try:
        handle = SimulatorHandle(app)
        client = handle.client()
        numbers = client.incoming_phone_numbers.list()
        assert [n.phone_number[:4] for n in numbers] == ["+141", "+188", "+447"]
        assert numbers[0].sms_url == "https://example.com/sms"
        assert {c.phone_number for c in client.outgoing_caller_ids.list()} == {
            VERIFIED, "+12125550100"}
        svc = client.messaging.v1.services.list()[0]
        assert svc.inbound_request_url == "https://example.com/in"
        assert [p.phone_number for p in client.messaging.v1.services(svc.sid)
                .phone_numbers.list()] == ["+14155550100"]
        v = client.messaging.v1.tollfree_verifications.list()[0]
        assert (v.status, v.business_name, v.tollfree_phone_number) == (
            "TWILIO_APPROVED", "Owl", "+18885550100")
        m = client.messages.create(to=VERIFIED, from_="+14155550100", body="x")
        assert m.body.startswith("Sent from your Twilio trial account - ")
    finally:
        app.extensions["twilio_sim"].close()


def test_fixtures_referring_to_a_number_the_account_lacks_fail_clearly(tmp_path):
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps({"accounts": [{"messaging_services": [
        {"friendly_name": "x", "phone_numbers": ["+14155550100"]}]}]}))
    with pytest.raises(ValueError, match="not one of the incoming_phone_numbers"):
        create_app(Settings(fixtures=str(path)))
