"""Rules behind TaskRouter callback URLs, numbers' Application SIDs and API key policies."""
from __future__ import annotations

import json

import pytest

from simulator.errors import TwilioError
from simulator.rules import accounts, numbers, taskrouter
from simulator.rules.messaging import check_url


def _code(call) -> int:
    with pytest.raises(TwilioError) as e:
        call()
    return e.value.code


@pytest.mark.parametrize("url", ["http://[abc/x", "http://[::1/x", "https://", "mailto:a@b.c"])
def test_a_url_that_does_not_parse_is_refused_not_a_crash(url):
    assert _code(lambda: check_url(url, "Url")) == 20422
    assert _code(lambda: check_url(url, "StatusCallback", code=21609)) == 21609


@pytest.mark.parametrize("value", ["https://a.example.com/x?y=1", "http://127.0.0.1:8080/cb"])
def test_a_callback_url_is_kept_and_an_empty_one_clears(value):
    assert taskrouter.callback_url(value, "EventCallbackUrl") == value
    assert taskrouter.callback_url("", "EventCallbackUrl") is None
    assert taskrouter.callback_url(None, "EventCallbackUrl") is None


@pytest.mark.parametrize("bad", ["not a url", "javascript:alert(1)", "/x", "http://a_b.com/"])
def test_a_callback_url_names_its_parameter(bad):
    with pytest.raises(TwilioError) as e:
        taskrouter.callback_url(bad, "AssignmentCallbackUrl")
    assert e.value.code == 20422 and "AssignmentCallbackUrl" in e.value.message


def test_a_duplicate_name_is_twilios_20001():
    e = taskrouter.duplicate_name("Queue", "Sales", "WS1", "AC1")
    assert (e.code, e.status, e.message) == (
        20001, 400, "Queue named Sales already exists for workspace WS1 for account AC1")


APP = "AP" + "a" * 32


@pytest.mark.parametrize("value", ["hello", "0" * 34, "AP" + "0" * 31, "AP" + "0" * 33,
                                   "ap" + "0" * 32, "PN" + "0" * 32])
def test_an_application_sid_has_its_pattern(value):
    assert _code(lambda: numbers.check_application_sid(value, "VoiceApplicationSid",
                                                       lambda sid: True)) == 21420


def test_an_application_sid_must_exist_and_empty_clears():
    assert numbers.check_application_sid(APP, "SmsApplicationSid", {APP}.__contains__) == APP
    assert _code(lambda: numbers.check_application_sid("AP" + "b" * 32, "SmsApplicationSid",
                                                       {APP}.__contains__)) == 21420
    assert numbers.check_application_sid("", "SmsApplicationSid", lambda sid: False) is None
    assert numbers.check_application_sid(None, "SmsApplicationSid", lambda sid: False) is None


def test_key_types():
    assert accounts.key_type(None) == accounts.key_type("") == "standard"
    assert accounts.key_type("restricted") == "restricted"
    for bad in ("main", "standard", "Restricted"):
        assert _code(lambda: accounts.key_type(bad)) == 20422


def test_a_restricted_key_needs_a_policy_and_others_take_none():
    policy = json.dumps({"allow": ["/twilio/messaging/messages/read"] * 2})
    assert accounts.check_key_policy("restricted", policy, required=True) == {
        "allow": ["/twilio/messaging/messages/read"]}
    assert _code(lambda: accounts.check_key_policy("restricted", None, required=True)) == 20422
    assert accounts.check_key_policy("restricted", None, required=False) is None
    assert accounts.check_key_policy("standard", None, required=True) is None
    assert _code(lambda: accounts.check_key_policy("standard", policy, required=False)) == 20422
    assert _code(lambda: accounts.check_key_policy("main", policy, required=False)) == 20422


@pytest.mark.parametrize("policy", [
    "", "null", "[]", "{", json.dumps({}), json.dumps({"allow": []}),
    json.dumps({"allow": "/twilio/a/b"}), json.dumps({"allow": ["/twilio/a"]}),
    json.dumps({"allow": ["twilio/a/b"]}), json.dumps({"allow": [None]}),
    json.dumps({"allow": ["/twilio/a/b"], "deny": ["/twilio/a/c"]}),
    json.dumps({"allow": [f"/twilio/a/b{i}" for i in range(101)]}),
    "[" * 100_000 + "]" * 100_000,
])
def test_a_malformed_policy_is_20422(policy):
    assert _code(lambda: accounts.check_key_policy("restricted", policy, required=True)) == 20422


def test_a_policy_of_100_permissions_is_the_limit():
    policy = {"allow": [f"/twilio/messaging/m{i}/read" for i in range(100)]}
    assert accounts.check_key_policy("restricted", json.dumps(policy), required=True) == policy
