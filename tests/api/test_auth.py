"""Authentication as Twilio does it, through the real SDK."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException


def test_wrong_token_is_401_20003(sim):
    bad = sim.client(sim.account_sid, "0" * 32)
    with pytest.raises(TwilioRestException) as e:
        bad.api.v2010.accounts(sim.account_sid).fetch()
    assert e.value.status == 401 and e.value.code == 20003


def test_unknown_account_sid_is_401_20003(sim):
    with pytest.raises(TwilioRestException) as e:
        sim.client("AC" + "1" * 32, sim.auth_token).api.v2010.accounts(sim.account_sid).fetch()
    assert e.value.status == 401 and e.value.code == 20003


def test_missing_credentials_is_401_with_challenge(http, sim):
    status, headers, body = http("GET", f"/api/2010-04-01/Accounts/{sim.account_sid}.json")
    assert status == 401
    assert json.loads(body)["code"] == 20003
    assert headers["WWW-Authenticate"].startswith("Basic")


def test_api_key_authenticates(sim, client):
    key = client.api.v2010.accounts(sim.account_sid).new_keys.create(friendly_name="ci")
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    # a standard key reaches the account's resources but cannot manage Accounts or Keys
    with pytest.raises(TwilioRestException) as e:
        keyed.api.v2010.accounts.create(friendly_name="nope")
    assert e.value.status == 401 and e.value.code == 20003


def test_seeded_api_key_authenticates_with_its_secret(sim):
    key = sim.main["keys"][0]
    keyed = sim.client(key["sid"], key["secret"], account_sid=sim.account_sid)
    with pytest.raises(TwilioRestException) as e:
        keyed.api.v2010.accounts(sim.account_sid).new_keys.create()
    assert e.value.code == 20003  # standard key: Keys are off limits
    wrong = sim.client(key["sid"], "x" * 32, account_sid=sim.account_sid)
    with pytest.raises(TwilioRestException) as e:
        wrong.api.v2010.accounts(sim.account_sid).fetch()
    assert e.value.status == 401 and e.value.code == 20003


def test_deleted_key_no_longer_authenticates(sim, client):
    key = client.api.v2010.accounts(sim.account_sid).new_keys.create()
    client.api.v2010.accounts(sim.account_sid).keys(key.sid).delete()
    with pytest.raises(TwilioRestException) as e:
        sim.client(key.sid, key.secret, account_sid=sim.account_sid).api.v2010.accounts(
            sim.account_sid).fetch()
    assert e.value.status == 401


def test_test_credentials_get_20008_outside_their_resources(sim):
    test = sim.main["test_credentials"]
    test_client = sim.client(test["sid"], test["auth_token"], account_sid=sim.account_sid)
    with pytest.raises(TwilioRestException) as e:
        test_client.api.v2010.accounts(sim.account_sid).fetch()
    assert e.value.status == 403 and e.value.code == 20008
    with pytest.raises(TwilioRestException) as e:
        test_client.api.v2010.accounts.create()
    assert e.value.status == 403 and e.value.code == 20008


def test_wrong_test_token_is_401(sim):
    test = sim.main["test_credentials"]
    with pytest.raises(TwilioRestException) as e:
        sim.client(test["sid"], "f" * 32).api.v2010.accounts(test["sid"]).fetch()
    assert e.value.status == 401 and e.value.code == 20003
