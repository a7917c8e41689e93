"""2010 API Keys through the real SDK."""
import pytest
from twilio.base.exceptions import TwilioRestException


def test_create_returns_secret_once(sim, client):
    keys = client.api.v2010.accounts(sim.account_sid)
    key = keys.new_keys.create(friendly_name="deploy")
    assert key.sid.startswith("SK") and len(key.secret) == 32
    fetched = keys.keys(key.sid).fetch()
    assert fetched.friendly_name == "deploy"
    assert not hasattr(fetched, "secret")
    assert key.sid in [k.sid for k in keys.keys.list()]


def test_update_and_delete(sim, client):
    keys = client.api.v2010.accounts(sim.account_sid)
    key = keys.new_keys.create(friendly_name="a")
    assert keys.keys(key.sid).update(friendly_name="b").friendly_name == "b"
    assert keys.keys(key.sid).delete() is True
    with pytest.raises(TwilioRestException) as e:
        keys.keys(key.sid).fetch()
    assert e.value.status == 404 and e.value.code == 20404


def test_keys_of_a_subaccount_through_the_parent(sim, client):
    sub = client.api.v2010.accounts.create()
    key = client.api.v2010.accounts(sub.sid).new_keys.create(friendly_name="sub key")
    assert [k.sid for k in client.api.v2010.accounts(sub.sid).keys.list()] == [key.sid]
    # a key of one account is not found under another
    with pytest.raises(TwilioRestException) as e:
        client.api.v2010.accounts(sim.account_sid).keys(key.sid).fetch()
    assert e.value.status == 404


def test_keys_list_pages(sim, client):
    keys = client.api.v2010.accounts(sim.account_sid)
    made = {keys.new_keys.create(friendly_name=f"k{i}").sid for i in range(12)}
    listed = [k.sid for k in keys.keys.list(page_size=5)]
    assert len(listed) == len(set(listed)) == 13
    assert made <= set(listed)
