"""v1 API keys: /v1/Keys (create with ``AccountSid``, ``KeyType=restricted`` + ``Policy``;
list by ``AccountSid``) and /v1/Keys/{Sid} (fetch, update, delete); what twilio-node's
``client.iam.v1.newApiKey`` and twilio-python's ``client.iam.v1.new_api_key`` call.

Keys made here authenticate like the 2010 API's: ``SK...:secret``. Managing keys needs the
account's Auth Token or a Main key (Standard and Restricted keys: 401, 20003).
"""
from __future__ import annotations

import re

from ...auth import principal, require_account_manager
from ...current import sim
from ...dates import rfc2822
from ...domain import accounts
from ...errors import TwilioError
from ...rules import accounts as rules
from ...wire import list_v1, text
from . import bp

ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")


def _dates(k: dict) -> dict:
    return {"date_created": rfc2822(k["date_created"]),
            "date_updated": rfc2822(k["date_updated"])}


def to_wire(k: dict) -> dict:
    return {"sid": k["sid"], "friendly_name": k["friendly_name"], **_dates(k),
            "policy": k.get("policy")}


def list_to_wire(k: dict) -> dict:
    """A list item: no policy; ``flags`` say what the key may do (Restricted keys cannot
    sign Access Tokens)."""
    flags = ["rest_api"] if k["key_type"] == "restricted" else ["rest_api", "signing"]
    return {"sid": k["sid"], "friendly_name": k["friendly_name"], **_dates(k), "flags": flags}


def _account(account_sid: str) -> dict:
    """The account ``AccountSid`` names, if these credentials may manage its keys."""
    require_account_manager()
    if not ACCOUNT_SID.match(account_sid):
        raise TwilioError.invalid("AccountSid", "must be an Account SID (AC followed by 32 "
                                                "hexadecimal digits)")
    account = accounts.account_of(sim(), account_sid)
    if account is None or not principal().reaches(account):
        raise TwilioError(20003, f"These credentials cannot manage the keys of {account_sid}")
    return account


def _key(sid: str) -> dict:
    require_account_manager()
    return accounts.key_reached(sim(), principal().account, sid)


@bp.post("/Keys")
def create_key():
    account = _account(text("AccountSid", required=True))
    name = text("FriendlyName", max_length=64)
    key_type = rules.key_type(text("KeyType"))
    policy = rules.check_key_policy(key_type, text("Policy"), required=True)
    key = accounts.new_key(sim(), account["sid"], name, key_type=key_type, policy=policy)
    return {**to_wire(key), "secret": key["secret"]}, 201


@bp.get("/Keys")
def list_keys():
    account = _account(text("AccountSid", required=True))
    return list_v1("iam", "/v1/Keys", "keys", accounts.list_keys_v1(sim(), account["sid"]),
                   list_to_wire)


@bp.get("/Keys/<sid>")
def fetch_key(sid):
    return to_wire(_key(sid))


@bp.post("/Keys/<sid>")
def update_key(sid):
    key = _key(sid)
    name = text("FriendlyName", max_length=64)
    policy = rules.check_key_policy(key["key_type"], text("Policy"), required=False)
    return to_wire(accounts.update_key(sim(), key, friendly_name=name, policy=policy))


@bp.delete("/Keys/<sid>")
def delete_key(sid):
    accounts.delete_key(sim(), _key(sid))
    return "", 204
