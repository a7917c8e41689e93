"""2010 Applications through the real SDK, and the numbers that point to them: a number's
VoiceApplicationSid / SmsApplicationSid must be an Application of its account."""
from __future__ import annotations

import json

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException


def _error(call) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def test_create_with_defaults_fetch_list_update_delete(client, sim):
    app = client.applications.create(friendly_name="IVR")
    assert app.sid.startswith("AP") and len(app.sid) == 34
    assert (app.account_sid, app.friendly_name, app.api_version) == (sim.account_sid, "IVR",
                                                                      "2010-04-01")
    assert (app.voice_method, app.sms_method, app.status_callback_method) == ("POST",) * 3
    assert (app.voice_url, app.sms_url, app.voice_caller_id_lookup) == (None, None, False)
    assert app.uri == f"/2010-04-01/Accounts/{sim.account_sid}/Applications/{app.sid}.json"
    assert client.applications(app.sid).fetch().friendly_name == "IVR"
    other = client.applications.create(friendly_name="Chat", sms_url="https://app.example.com/sms")
    assert [a.sid for a in client.applications.list()] == [app.sid, other.sid]
    assert [a.sid for a in client.applications.list(friendly_name="Chat")] == [other.sid]
    assert [a.sid for a in client.applications.list(page_size=1)] == [app.sid, other.sid]

    updated = client.applications(app.sid).update(
        voice_url="https://app.example.com/voice", voice_method="get",
        voice_caller_id_lookup=True, public_application_connect_enabled=True,
        message_status_callback="https://app.example.com/status", api_version="2008-08-01")
    assert (updated.voice_url, updated.voice_method, updated.voice_caller_id_lookup) == (
        "https://app.example.com/voice", "GET", True)
    assert updated.public_application_connect_enabled is True
    assert updated.message_status_callback == "https://app.example.com/status"
    assert updated.api_version == "2008-08-01" and updated.friendly_name == "IVR"
    assert client.applications(app.sid).update(voice_url="").voice_url is None

    assert client.applications(app.sid).delete() is True
    e = _error(lambda: client.applications(app.sid).fetch())
    assert (e.status, e.code) == (404, 20404)
    assert [a.sid for a in client.applications.list()] == [other.sid]


def test_every_documented_parameter_round_trips(client):
    sent = dict(friendly_name="All", voice_url="https://e.example.com/v", voice_method="GET",
                voice_fallback_url="https://e.example.com/vf", voice_fallback_method="GET",
                status_callback="https://e.example.com/s", status_callback_method="GET",
                voice_caller_id_lookup=True, sms_url="https://e.example.com/m",
                sms_method="GET", sms_fallback_url="https://e.example.com/mf",
                sms_fallback_method="GET", sms_status_callback="https://e.example.com/ms",
                message_status_callback="https://e.example.com/mc",
                public_application_connect_enabled=True, api_version="2010-04-01")
    app = client.applications.create(**sent)
    fetched = client.applications(app.sid).fetch()
    for field, value in sent.items():
        assert getattr(fetched, field) == value, field


@pytest.mark.parametrize("params", [
    {"VoiceUrl": "not a url"}, {"SmsUrl": "javascript:alert(1)"},
    {"StatusCallback": "ftp://x.example.com"}, {"MessageStatusCallback": "/relative"},
    {"VoiceMethod": "PUT"}, {"VoiceCallerIdLookup": "maybe"},
    {"ApiVersion": "2020-01-01"}, {"FriendlyName": "x" * 65},
])
def test_bad_parameters_are_400_20422_and_change_nothing(http, sim, client, params):
    auth = (sim.account_sid, sim.auth_token)
    base = f"/api/2010-04-01/Accounts/{sim.account_sid}/Applications"
    status, _, body = http("POST", f"{base}.json", auth=auth, data=params)
    assert status == 400 and json.loads(body)["code"] == 20422, body
    assert client.applications.list() == []
    app = client.applications.create(friendly_name="Kept")
    status, _, body = http("POST", f"{base}/{app.sid}.json", auth=auth,
                           data={**params, "FriendlyName": params.get("FriendlyName", "New")})
    assert status == 400 and json.loads(body)["code"] == 20422, body
    assert client.applications(app.sid).fetch().friendly_name == "Kept"


def test_applications_are_per_account(client, sim):
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    mine = client.applications.create(friendly_name="Main app")
    theirs = client.api.v2010.accounts(sub.sid).applications.create(friendly_name="Sub app")
    assert [a.sid for a in client.api.v2010.accounts(sub.sid).applications.list()] == [theirs.sid]
    tenant = sim.client(sub.sid, sub.auth_token)
    assert [a.sid for a in tenant.applications.list()] == [theirs.sid]
    assert _error(lambda: tenant.applications(mine.sid).fetch()).status == 404
    with pytest.raises(TwilioException) as e:   # (the SDK's list wraps the 401)
        tenant.api.v2010.accounts(sim.account_sid).applications.list()
    assert '"code":20003' in str(e.value)


# -- numbers point to applications ---------------------------------------------------------------
@pytest.fixture
def number(client):
    return client.incoming_phone_numbers.list(phone_number="+14155550100")[0]


@pytest.mark.parametrize("param", ["VoiceApplicationSid", "SmsApplicationSid"])
@pytest.mark.parametrize("bad", ["hello", "0" * 34, "AP" + "0" * 31, "AP" + "g" * 32,
                                 "PN" + "0" * 32, "AP" + "0" * 32])
def test_a_number_refuses_what_is_not_an_application_of_its_account(http, sim, number, param,
                                                                    bad):
    status, _, body = http(
        "POST", f"/api/2010-04-01/Accounts/{sim.account_sid}/IncomingPhoneNumbers/"
                f"{number.sid}.json", auth=(sim.account_sid, sim.auth_token),
        data={param: bad, "FriendlyName": "Changed"})
    data = json.loads(body)
    assert (status, data["code"]) == (400, 21420), body
    assert data["message"].startswith(param)
    status, _, body = http(
        "GET", f"/api/2010-04-01/Accounts/{sim.account_sid}/IncomingPhoneNumbers/"
               f"{number.sid}.json", auth=(sim.account_sid, sim.auth_token))
    kept = json.loads(body)
    assert kept["friendly_name"] == number.friendly_name
    assert kept["voice_application_sid"] is None and kept["sms_application_sid"] is None


def test_a_number_points_to_an_application_and_an_empty_value_clears_it(client, number):
    app = client.applications.create(friendly_name="IVR")
    updated = client.incoming_phone_numbers(number.sid).update(voice_application_sid=app.sid,
                                                               sms_application_sid=app.sid)
    assert (updated.voice_application_sid, updated.sms_application_sid) == (app.sid, app.sid)
    cleared = client.incoming_phone_numbers(number.sid).update(sms_application_sid="")
    assert (cleared.voice_application_sid, cleared.sms_application_sid) == (app.sid, None)
    client.applications(app.sid).delete()   # the number no longer points to it
    assert client.incoming_phone_numbers(number.sid).fetch().voice_application_sid is None


def test_an_application_of_another_account_is_not_accessible(client, number):
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    theirs = client.api.v2010.accounts(sub.sid).applications.create(friendly_name="Sub app")
    e = _error(lambda: client.incoming_phone_numbers(number.sid).update(
        voice_application_sid=theirs.sid))
    assert (e.status, e.code) == (400, 21420)


def test_buying_a_number_checks_its_application(client):
    app = client.applications.create(friendly_name="IVR")
    available = client.available_phone_numbers("US").local.list(area_code="415", limit=1)[0]
    e = _error(lambda: client.incoming_phone_numbers.create(
        phone_number=available.phone_number, voice_application_sid="AP" + "1" * 32))
    assert e.code == 21420
    assert client.incoming_phone_numbers.list(phone_number=available.phone_number) == []
    bought = client.incoming_phone_numbers.create(phone_number=available.phone_number,
                                                  voice_application_sid=app.sid)
    assert bought.voice_application_sid == app.sid


# -- an application answers for the numbers that point to it ---------------------------------
def test_an_sms_application_answers_inbound_messages(sim, client, number, receiver):
    client.incoming_phone_numbers(number.sid).update(sms_url=receiver.url("/number-sms"))
    app = client.applications.create(friendly_name="Bot", sms_url=receiver.url("/app-sms"),
                                     sms_method="POST")
    client.incoming_phone_numbers(number.sid).update(sms_application_sid=app.sid)
    sim.control("POST", "messages/inbound", json={"From": "+14155550199",
                                                  "To": number.phone_number, "Body": "hi"})
    assert receiver.at("/number-sms") == []
    hook = receiver.at("/app-sms")[0]
    assert hook["form"]["Body"] == "hi" and receiver.valid(hook, sim.auth_token)
    client.incoming_phone_numbers(number.sid).update(sms_application_sid="")
    sim.control("POST", "messages/inbound", json={"From": "+14155550199",
                                                  "To": number.phone_number, "Body": "again"})
    assert [h["form"]["Body"] for h in receiver.at("/number-sms")] == ["again"]


def test_a_voice_application_answers_inbound_calls(sim, client, number, receiver):
    app = client.applications.create(friendly_name="IVR", voice_url=receiver.url("/app-voice"))
    client.incoming_phone_numbers(number.sid).update(voice_url=receiver.url("/number-voice"),
                                                     voice_application_sid=app.sid)
    answer = sim.control("POST", "calls/inbound", json={"From": "+14155550199",
                                                        "To": number.phone_number})
    assert answer["webhook"]["url"] == receiver.url("/app-voice")
    assert receiver.at("/number-voice") == []
    assert receiver.at("/app-voice")[0]["form"]["CallSid"] == answer["call"]["sid"]


def test_a_number_moved_to_a_subaccount_leaves_its_applications(client, number):
    app = client.applications.create(friendly_name="IVR")
    client.incoming_phone_numbers(number.sid).update(voice_application_sid=app.sid)
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    moved = client.incoming_phone_numbers(number.sid).update(account_sid=sub.sid)
    assert (moved.account_sid, moved.voice_application_sid) == (sub.sid, None)
    assert client.applications(app.sid).fetch().account_sid == client.account_sid
