"""iam.twilio.com/v1 Keys (Standard and Restricted) and accounts.twilio.com/v1 Auth Token
rotation, through the real SDK: the keys made there authenticate, and a secondary Auth Token
authenticates beside the primary until it is promoted."""
from __future__ import annotations

import json
import re

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

POLICY = {"allow": ["/twilio/messaging/messages/read", "/twilio/messaging/messages/create"]}


def _error(call) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def _refused(call) -> int:
    """The code of a refusal, whether the SDK raised it from a fetch or from a list."""
    with pytest.raises(TwilioException) as e:
        call()
    if isinstance(e.value, TwilioRestException):
        return e.value.code
    return int(re.search(r'"code":\s*(\d+)', str(e.value)).group(1))


# -- iam v1 Keys ----------------------------------------------------------------------------------
def test_a_standard_key_made_in_iam_authenticates(sim, client):
    key = client.iam.v1.new_api_key.create(account_sid=sim.account_sid, friendly_name="CI")
    assert key.sid.startswith("SK") and len(key.secret) == 32 and key.policy is None
    assert key.friendly_name == "CI"
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    assert [n.phone_number for n in keyed.incoming_phone_numbers.list(
        phone_number="+14155550100")] == ["+14155550100"]
    assert keyed.taskrouter.v1.workspaces.list() is not None
    # a Standard key cannot manage Accounts or Keys, here either
    assert 20003 == _refused(lambda: keyed.iam.v1.new_api_key.create(
        account_sid=sim.account_sid))
    assert 20003 == _refused(lambda: keyed.iam.v1.get_api_keys.list(
        account_sid=sim.account_sid))
    # the 2010 API sees it too
    assert client.api.v2010.accounts(sim.account_sid).keys(key.sid).fetch().friendly_name == "CI"


def test_a_restricted_key_keeps_its_policy_and_authenticates(sim, client):
    key = client.iam.v1.new_api_key.create(account_sid=sim.account_sid, friendly_name="reader",
                                           key_type="restricted", policy=POLICY)
    assert key.policy == POLICY and len(key.secret) == 32
    fetched = client.iam.v1.api_key(key.sid).fetch()
    assert (fetched.policy, fetched.friendly_name) == (POLICY, "reader")
    assert not hasattr(fetched, "secret")
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    assert keyed.messages.list(limit=1) is not None
    assert 20003 == _refused(lambda: keyed.api.v2010.accounts.create())

    listed = {k.sid: k for k in client.iam.v1.get_api_keys.list(account_sid=sim.account_sid)}
    assert listed[key.sid].flags == ["rest_api"]
    assert listed[sim.main["keys"][0]["sid"]].flags == ["rest_api", "signing"]

    narrower = {"allow": ["/twilio/messaging/messages/read"]}
    updated = client.iam.v1.api_key(key.sid).update(friendly_name="only reads", policy=narrower)
    assert (updated.friendly_name, updated.policy) == ("only reads", narrower)
    assert client.iam.v1.api_key(key.sid).update(friendly_name="r").policy == narrower


@pytest.mark.parametrize("form", [
    {"KeyType": "restricted"},                                     # no Policy
    {"KeyType": "main", "FriendlyName": "x"},                      # Console only
    {"KeyType": "standard"},
    {"Policy": json.dumps(POLICY)},                                # Policy on a Standard key
    {"KeyType": "restricted", "Policy": "not json"},
    {"KeyType": "restricted", "Policy": "[]"},
    {"KeyType": "restricted", "Policy": json.dumps({"allow": []})},
    {"KeyType": "restricted", "Policy": json.dumps({"allow": ["read everything"]})},
    {"KeyType": "restricted", "Policy": json.dumps({"allow": [1]})},
    {"KeyType": "restricted", "Policy": json.dumps({"allow": ["/twilio/a/b"], "deny": []})},
    {"KeyType": "restricted", "Policy": json.dumps(
        {"allow": [f"/twilio/messaging/m{i}/read" for i in range(101)]})},
    {"FriendlyName": "x" * 65},
    {"AccountSid": "hello"},
    {"AccountSid": None},                                          # required
])
def test_bad_key_requests_are_400_20422_and_make_nothing(http, sim, client, form):
    data = {"AccountSid": sim.account_sid, **form}
    data = {k: v for k, v in data.items() if v is not None}
    auth = (sim.account_sid, sim.auth_token)
    status, _, body = http("POST", "/iam/v1/Keys", auth=auth, data=data)
    assert status == 400 and json.loads(body)["code"] == 20422, body
    assert len(client.iam.v1.get_api_keys.list(account_sid=sim.account_sid)) == 1


def test_a_standard_key_takes_no_policy_on_update(client, sim):
    key = client.iam.v1.new_api_key.create(account_sid=sim.account_sid, friendly_name="std")
    e = _error(lambda: client.iam.v1.api_key(key.sid).update(policy=POLICY))
    assert (e.status, e.code) == (400, 20422)
    assert client.iam.v1.api_key(key.sid).fetch().policy is None


def test_list_fetch_delete_and_a_deleted_key_stops_authenticating(sim, client):
    made = [client.iam.v1.new_api_key.create(account_sid=sim.account_sid,
                                             friendly_name=f"k{i}") for i in range(4)]
    listed = client.iam.v1.get_api_keys.list(account_sid=sim.account_sid, page_size=2)
    assert [k.sid for k in listed][1:] == [k.sid for k in made]
    keyed = sim.client(made[0].sid, made[0].secret, account_sid=sim.account_sid)
    number = keyed.incoming_phone_numbers.list(phone_number="+14155550100")[0]
    assert client.iam.v1.api_key(made[0].sid).delete() is True
    assert _error(lambda: client.iam.v1.api_key(made[0].sid).fetch()).code == 20404
    e = _error(lambda: keyed.incoming_phone_numbers(number.sid).fetch())
    assert (e.status, e.code) == (401, 20003)
    assert _error(lambda: client.iam.v1.api_key("SK" + "0" * 32).fetch()).status == 404


def test_keys_are_scoped_to_the_accounts_the_credentials_reach(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    theirs = client.iam.v1.new_api_key.create(account_sid=sub.sid, friendly_name="sub key")
    assert [k.sid for k in client.iam.v1.get_api_keys.list(account_sid=sub.sid)] == [theirs.sid]
    tenant = sim.client(sub.sid, sub.auth_token)
    assert tenant.iam.v1.api_key(theirs.sid).fetch().friendly_name == "sub key"
    mine = sim.main["keys"][0]["sid"]
    assert _error(lambda: tenant.iam.v1.api_key(mine).fetch()).status == 404
    e = _error(lambda: tenant.iam.v1.new_api_key.create(account_sid=sim.account_sid))
    assert (e.status, e.code) == (401, 20003)
    assert 20003 == _refused(lambda: tenant.iam.v1.get_api_keys.list(
        account_sid=sim.account_sid))
    # the subaccount's key reaches the subaccount only
    keyed = sim.client(theirs.sid, theirs.secret, account_sid=sub.sid)
    assert keyed.messages.list() == []
    assert 20003 == _refused(lambda: keyed.api.v2010.accounts(sim.account_sid)
                             .incoming_phone_numbers.list())


# -- accounts v1 Auth Token rotation -------------------------------------------------
def _creds(sim, sid: str) -> dict:
    """The account's credentials as the control plane lists them now."""
    return next(a for a in sim.control("GET", "credentials")["accounts"] if a["sid"] == sid)


def _works(sim, sid, token) -> bool:
    try:
        sim.client(sid, token).api.v2010.accounts(sid).fetch()
        return True
    except TwilioRestException as e:
        assert (e.status, e.code) == (401, 20003)
        return False


def test_rotate_the_auth_token(sim, client):
    primary = sim.auth_token
    secondary = client.accounts.v1.secondary_auth_token().create()
    assert secondary.account_sid == sim.account_sid and len(secondary.secondary_auth_token) == 32
    assert secondary.url == "https://accounts.twilio.com/v1/AuthTokens/Secondary"
    token = secondary.secondary_auth_token
    assert token != primary
    assert _works(sim, sim.account_sid, primary) and _works(sim, sim.account_sid, token)
    assert _creds(sim, sim.account_sid)["secondary_auth_token"] == token

    promoted = sim.client(sim.account_sid, token).accounts.v1.auth_token_promotion().update()
    assert (promoted.account_sid, promoted.auth_token) == (sim.account_sid, token)
    assert promoted.url == "https://accounts.twilio.com/v1/AuthTokens/Promote"
    assert not _works(sim, sim.account_sid, primary)
    assert _works(sim, sim.account_sid, token)
    main = _creds(sim, sim.account_sid)
    assert (main["auth_token"], main["secondary_auth_token"]) == (token, None)
    # nothing left to promote
    e = _error(lambda: sim.client(sim.account_sid, token).accounts.v1
               .auth_token_promotion().update())
    assert (e.status, e.code) == (404, 20404)


def test_a_new_secondary_replaces_the_last_and_delete_revokes_it(sim, client):
    first = client.accounts.v1.secondary_auth_token().create().secondary_auth_token
    second = client.accounts.v1.secondary_auth_token().create().secondary_auth_token
    assert first != second
    assert not _works(sim, sim.account_sid, first) and _works(sim, sim.account_sid, second)
    assert client.accounts.v1.secondary_auth_token().delete() is True
    assert not _works(sim, sim.account_sid, second)
    assert _works(sim, sim.account_sid, sim.auth_token)
    e = _error(lambda: client.accounts.v1.secondary_auth_token().delete())
    assert (e.status, e.code) == (404, 20404)


def test_a_subaccount_rotates_its_own_token_and_keys_cannot(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    tenant = sim.client(sub.sid, sub.auth_token)
    token = tenant.accounts.v1.secondary_auth_token().create()
    assert token.account_sid == sub.sid
    tenant.accounts.v1.auth_token_promotion().update()
    assert not _works(sim, sub.sid, sub.auth_token)
    assert _works(sim, sub.sid, token.secondary_auth_token)
    assert _works(sim, sim.account_sid, sim.auth_token)   # the main account's is untouched

    key = client.iam.v1.new_api_key.create(account_sid=sim.account_sid)
    keyed = sim.client(key.sid, key.secret, account_sid=sim.account_sid)
    for call in (lambda: keyed.accounts.v1.secondary_auth_token().create(),
                 lambda: keyed.accounts.v1.secondary_auth_token().delete(),
                 lambda: keyed.accounts.v1.auth_token_promotion().update()):
        e = _error(call)
        assert (e.status, e.code) == (401, 20003)


def test_the_promoted_token_signs_webhooks(sim, client, receiver):
    """Webhooks are signed with the Auth Token in force: the promoted one after a rotation."""
    local = client.incoming_phone_numbers.list(phone_number="+14155550100")[0]
    client.incoming_phone_numbers(local.sid).update(sms_url=receiver.url("/sms"))
    token = client.accounts.v1.secondary_auth_token().create().secondary_auth_token
    sim.control("POST", "messages/inbound", json={"From": "+14155550199",
                                                  "To": local.phone_number, "Body": "before"})
    assert receiver.valid(receiver.at("/sms")[-1], sim.auth_token)   # not promoted yet
    client.accounts.v1.auth_token_promotion().update()
    sim.control("POST", "messages/inbound", json={"From": "+14155550199",
                                                  "To": local.phone_number, "Body": "after"})
    hook = receiver.at("/sms")[-1]
    assert hook["form"]["Body"] == "after"
    assert receiver.valid(hook, token) and not receiver.valid(hook, sim.auth_token)
