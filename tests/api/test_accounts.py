"""2010 Accounts through the real twilio SDK, over both transports."""
import pytest
from twilio.base.exceptions import TwilioRestException


def test_fetch_main_account(sim, client):
    account = client.api.v2010.accounts(sim.account_sid).fetch()
    assert account.sid == sim.account_sid
    assert account.owner_account_sid == sim.account_sid
    assert account.status == "active"
    assert account.uri == f"/2010-04-01/Accounts/{sim.account_sid}.json"


def test_120_subaccounts_list_and_stream_each_exactly_once(sim, client):
    created = {client.api.v2010.accounts.create(friendly_name=f"sub {i}").sid for i in range(120)}
    assert len(created) == 120
    listed = [a.sid for a in client.api.v2010.accounts.list(page_size=25)]
    streamed = [a.sid for a in client.api.v2010.accounts.stream(page_size=50)]
    for seen in (listed, streamed):
        assert len(seen) == len(set(seen))
        assert created <= set(seen)
        assert sim.account_sid in seen
    # the fixtures' subaccount plus the main account plus the 120
    assert len(listed) == 122


def test_create_defaults_friendly_name_and_inherits_parent(sim, client):
    sub = client.api.v2010.accounts.create()
    assert sub.friendly_name.startswith("SubAccount Created at ")
    assert sub.owner_account_sid == sim.account_sid
    assert sub.sid.startswith("AC") and len(sub.sid) == 34
    assert len(sub.auth_token) == 32


def test_list_filters_by_friendly_name_and_status(client):
    a = client.api.v2010.accounts.create(friendly_name="alpha")
    client.api.v2010.accounts.create(friendly_name="beta")
    client.api.v2010.accounts(a.sid).update(status="suspended")
    assert [x.sid for x in client.api.v2010.accounts.list(friendly_name="alpha")] == [a.sid]
    assert [x.sid for x in client.api.v2010.accounts.list(status="suspended")] == [a.sid]
    assert client.api.v2010.accounts.list(friendly_name="alpha", status="active") == []


def test_update_friendly_name_and_status(client):
    sub = client.api.v2010.accounts.create(friendly_name="before")
    updated = client.api.v2010.accounts(sub.sid).update(friendly_name="after")
    assert updated.friendly_name == "after"
    assert client.api.v2010.accounts(sub.sid).update(status="suspended").status == "suspended"
    assert client.api.v2010.accounts(sub.sid).update(status="active").status == "active"
    assert client.api.v2010.accounts(sub.sid).update(status="closed").status == "closed"


def test_closed_account_cannot_reopen(client):
    sub = client.api.v2010.accounts.create()
    client.api.v2010.accounts(sub.sid).update(status="closed")
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts(sub.sid).update(status="active")
    assert e.value.status == 400 and e.value.code == 20422
    assert client.api.v2010.accounts(sub.sid).fetch().status == "closed"


def test_invalid_status_is_400_and_changes_nothing(client):
    sub = client.api.v2010.accounts.create(friendly_name="keep")
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts(sub.sid).update(status="gone", friendly_name="changed")
    assert e.value.status == 400 and e.value.code == 20422
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == "keep"


def test_main_account_cannot_change_its_own_status(sim, client):
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts(sim.account_sid).update(status="suspended")
    assert e.value.status == 403 and e.value.code == 20006
    assert client.api.v2010.accounts(sim.account_sid).fetch().status == "active"


def test_subaccount_cannot_create_subaccounts(sim, client):
    sub = client.api.v2010.accounts.create()
    sub_client = sim.client(sub.sid, sub.auth_token)
    with pytest.raises(TwilioRestException) as e:
        sub_client.api.v2010.accounts.create(friendly_name="nested")
    assert e.value.code == 21101 and e.value.status == 400


def test_subaccount_reaches_itself_only(sim, client):
    sub = client.api.v2010.accounts.create()
    sibling = client.api.v2010.accounts.create()
    sub_client = sim.client(sub.sid, sub.auth_token)
    assert sub_client.api.v2010.accounts(sub.sid).fetch().sid == sub.sid
    assert [a.sid for a in sub_client.api.v2010.accounts.list()] == [sub.sid]
    for other in (sim.account_sid, sibling.sid):
        with pytest.raises(TwilioRestException) as e:
            sub_client.api.v2010.accounts(other).fetch()
        assert e.value.status == 401 and e.value.code == 20003


def test_parent_reaches_subaccount(client):
    sub = client.api.v2010.accounts.create(friendly_name="child")
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == "child"


def test_unknown_account_is_20404(client):
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts("AC" + "0" * 32).fetch()
    assert e.value.status == 404 and e.value.code == 20404


def test_suspended_account_credentials_are_refused(sim, client):
    sub = client.api.v2010.accounts.create()
    client.api.v2010.accounts(sub.sid).update(status="suspended")
    with pytest.raises(TwilioRestException) as e:
        sim.client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid).fetch()
    assert e.value.status == 401 and e.value.code == 20005


def test_friendly_name_over_64_chars_is_rejected(client):
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts.create(friendly_name="x" * 65)
    assert e.value.status == 400 and e.value.code == 20422
    assert "x" * 65 not in [a.friendly_name for a in client.api.v2010.accounts.list()]
