"""Authentication as Twilio does it, through the real SDK."""
import json

import pytest
from twilio.base.exceptions import TwilioRestException

from simulator import create_app
from simulator.config import Settings
from simulator.testing import SimulatorHandle

HANDSET = "+14155550199"


def _refused(call):
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value.status, e.value.code


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


def test_a_standard_key_reaches_the_accounts_resources(sim, client):
    """"Standard API keys give access to all Twilio API features except for Accounts and
    Keys" (docs: API keys): with a key the SDK reads, buys, sends, across products."""
    key = client.api.v2010.accounts(sim.account_sid).new_keys.create(friendly_name="ci")
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    numbers = keyed.incoming_phone_numbers.list()
    assert numbers and {n.sid for n in numbers} == {n.sid for n in client.incoming_phone_numbers.list()}
    bought = keyed.incoming_phone_numbers.create(area_code="415")
    assert bought.account_sid == sim.account_sid
    local = next(n for n in numbers if n.type == "local")
    sent = keyed.messages.create(to=HANDSET, from_=local.phone_number, body="sent with a key")
    assert sent.account_sid == sim.account_sid
    assert client.messages(sent.sid).fetch().body == "sent with a key"
    workspace = keyed.taskrouter.v1.workspaces.create(friendly_name="made with a key")
    assert keyed.taskrouter.v1.workspaces(workspace.sid).fetch().account_sid == sim.account_sid
    # ... but it cannot manage Accounts or Keys
    assert _refused(lambda: keyed.api.v2010.accounts.create(friendly_name="nope")) == (401, 20003)
    assert _refused(lambda: keyed.api.v2010.accounts(sim.account_sid).new_keys.create()) \
        == (401, 20003)


def test_seeded_api_key_authenticates_with_its_secret(sim):
    key = sim.main["keys"][0]
    keyed = sim.client(key["sid"], key["secret"], account_sid=sim.account_sid)
    assert keyed.incoming_phone_numbers.list()
    assert _refused(lambda: keyed.api.v2010.accounts(sim.account_sid).new_keys.create()) \
        == (401, 20003)  # standard key: Keys are off limits
    wrong = sim.client(key["sid"], "x" * 32, account_sid=sim.account_sid)
    number = keyed.incoming_phone_numbers.list()[0]
    assert keyed.incoming_phone_numbers(number.sid).fetch().phone_number == number.phone_number
    assert _refused(lambda: wrong.incoming_phone_numbers(number.sid).fetch()) == (401, 20003)


def test_a_subaccounts_key_reaches_that_subaccount_only(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="child")
    key = client.api.v2010.accounts(sub.sid).new_keys.create(friendly_name="child key")
    keyed = sim.client(key.sid, key.secret, account_sid=sub.sid)
    bought = keyed.incoming_phone_numbers.create(area_code="305")
    assert bought.account_sid == sub.sid
    assert [n.sid for n in keyed.incoming_phone_numbers.list()] == [bought.sid]
    assert bought.sid in [n.sid for n in client.api.v2010.accounts(sub.sid).incoming_phone_numbers.list()]
    # the subaccount's key does not reach its parent
    parents_number = client.incoming_phone_numbers.list()[0]
    parent = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    assert _refused(lambda: parent.incoming_phone_numbers(parents_number.sid).fetch()) \
        == (401, 20003)


def test_a_revoked_key_is_refused(sim, client):
    key = client.api.v2010.accounts(sim.account_sid).new_keys.create()
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    number = keyed.incoming_phone_numbers.list()[0]
    client.api.v2010.accounts(sim.account_sid).keys(key.sid).delete()
    assert _refused(lambda: keyed.incoming_phone_numbers(number.sid).fetch()) == (401, 20003)


def test_a_main_key_manages_accounts_and_keys(tmp_path):
    """Main keys have full access, Accounts and Keys included (docs: API keys in Console;
    they are made in the Console only, so here they come from the fixtures)."""
    main_key = {"sid": "SK" + "1" * 32, "secret": "m" * 32, "friendly_name": "main",
                "key_type": "main"}
    standard = {"sid": "SK" + "2" * 32, "secret": "s" * 32, "friendly_name": "std",
                "key_type": "standard"}
    fixtures = tmp_path / "keys.json"
    fixtures.write_text(json.dumps({"accounts": [{
        "sid": "AC" + "b" * 32, "auth_token": "c" * 32, "keys": [main_key, standard]}]}))
    app = create_app(Settings(fixtures=str(fixtures)))
    try:
        handle = SimulatorHandle(app)
        keyed = handle.client(main_key["sid"], main_key["secret"], account_sid="AC" + "b" * 32)
        sub = keyed.api.v2010.accounts.create(friendly_name="made with the main key")
        assert sub.owner_account_sid == "AC" + "b" * 32
        made = keyed.api.v2010.accounts("AC" + "b" * 32).new_keys.create(friendly_name="new")
        assert made.sid.startswith("SK") and len(made.secret) == 32
        assert keyed.api.v2010.accounts("AC" + "b" * 32).fetch().sid == "AC" + "b" * 32
        plain = handle.client(standard["sid"], standard["secret"], account_sid="AC" + "b" * 32)
        assert _refused(lambda: plain.api.v2010.accounts.create()) == (401, 20003)
    finally:
        app.extensions["twilio_sim"].close()


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
