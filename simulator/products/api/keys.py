"""2010 API Keys: /2010-04-01/Accounts/{AccountSid}/Keys.json.

The secret is returned once, by create. Keys made here are Standard keys.
"""
from __future__ import annotations

from ...auth import path_account, require_account_manager
from ...errors import TwilioError
from ...runtime import sim
from ...wire import list_2010, rfc2822, text
from . import bp as api


def new_key(account_sid: str, friendly_name: str | None = None, *, sid: str | None = None,
            secret: str | None = None, key_type: str = "standard") -> dict:
    s = sim()
    now = s.now()
    key = {
        "sid": sid or s.ids.sid("SK"),
        "account_sid": account_sid,
        "friendly_name": friendly_name,
        "secret": secret or s.ids.token(),
        "key_type": key_type,
        "date_created": now,
        "date_updated": now,
    }
    return s.store.insert("keys", key)


def to_wire(k: dict) -> dict:
    return {
        "sid": k["sid"],
        "friendly_name": k["friendly_name"],
        "date_created": rfc2822(k["date_created"]),
        "date_updated": rfc2822(k["date_updated"]),
    }


def _key(account_sid: str, sid: str) -> dict:
    key = sim().store.get("keys", sid)
    if key is None or key["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return key


def _account(account_sid: str) -> dict:
    """The account in the path; Keys are managed with account credentials or a main key."""
    require_account_manager()
    return path_account(account_sid)


@api.post("/Accounts/<account_sid>/Keys.json")
def create_key(account_sid):
    account = _account(account_sid)
    key = new_key(account["sid"], text("FriendlyName", max_length=64))
    return {**to_wire(key), "secret": key["secret"]}, 201


@api.get("/Accounts/<account_sid>/Keys.json")
def list_keys(account_sid):
    account = _account(account_sid)

    fetch = sim().store.pager("keys", account["sid"])

    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Keys.json", "keys", fetch, to_wire)


@api.get("/Accounts/<account_sid>/Keys/<sid>.json")
def fetch_key(account_sid, sid):
    return to_wire(_key(_account(account_sid)["sid"], sid))


@api.post("/Accounts/<account_sid>/Keys/<sid>.json")
def update_key(account_sid, sid):
    key = _key(_account(account_sid)["sid"], sid)
    name = text("FriendlyName", max_length=64)
    return to_wire(sim().modify("keys", key, {} if name is None else {"friendly_name": name}))


@api.delete("/Accounts/<account_sid>/Keys/<sid>.json")
def delete_key(account_sid, sid):
    key = _key(_account(account_sid)["sid"], sid)
    sim().store.delete("keys", key["sid"])
    return "", 204
