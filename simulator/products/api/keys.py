"""2010 API Keys: /2010-04-01/Accounts/{AccountSid}/Keys.json.

The secret is returned once, by create. Keys made here are Standard keys.
"""
from __future__ import annotations

from ...auth import path_account, require_account_manager
from ...current import sim
from ...dates import rfc2822
from ...domain import accounts
from ...wire import list_2010, text
from . import bp as api


def to_wire(k: dict) -> dict:
    return {
        "sid": k["sid"],
        "friendly_name": k["friendly_name"],
        "date_created": rfc2822(k["date_created"]),
        "date_updated": rfc2822(k["date_updated"]),
    }


def _account(account_sid: str) -> dict:
    """The account in the path; Keys are managed with account credentials or a main key."""
    require_account_manager()
    return path_account(account_sid)


@api.post("/Accounts/<account_sid>/Keys.json")
def create_key(account_sid):
    account = _account(account_sid)
    key = accounts.new_key(sim(), account["sid"], text("FriendlyName", max_length=64))
    return {**to_wire(key), "secret": key["secret"]}, 201


@api.get("/Accounts/<account_sid>/Keys.json")
def list_keys(account_sid):
    account = _account(account_sid)
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Keys.json", "keys",
                     accounts.list_keys(sim(), account["sid"]), to_wire)


@api.get("/Accounts/<account_sid>/Keys/<sid>.json")
def fetch_key(account_sid, sid):
    return to_wire(accounts.key_of(sim(), _account(account_sid)["sid"], sid))


@api.post("/Accounts/<account_sid>/Keys/<sid>.json")
def update_key(account_sid, sid):
    key = accounts.key_of(sim(), _account(account_sid)["sid"], sid)
    name = text("FriendlyName", max_length=64)
    return to_wire(accounts.rename_key(sim(), key, name))


@api.delete("/Accounts/<account_sid>/Keys/<sid>.json")
def delete_key(account_sid, sid):
    key = accounts.key_of(sim(), _account(account_sid)["sid"], sid)
    accounts.delete_key(sim(), key)
    return "", 204
