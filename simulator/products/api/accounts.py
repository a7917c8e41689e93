"""2010 Accounts: /2010-04-01/Accounts.json and /Accounts/{Sid}.json."""
from __future__ import annotations

from ...auth import path_account, principal, require_account_manager
from ...current import sim
from ...dates import rfc2822
from ...domain import accounts
from ...rules import accounts as rules
from ...wire import choice, list_2010, text
from . import bp as api

SUBRESOURCES = {
    "available_phone_numbers": "AvailablePhoneNumbers", "calls": "Calls",
    "conferences": "Conferences", "incoming_phone_numbers": "IncomingPhoneNumbers",
    "notifications": "Notifications", "outgoing_caller_ids": "OutgoingCallerIds",
    "recordings": "Recordings", "transcriptions": "Transcriptions", "addresses": "Addresses",
    "signing_keys": "SigningKeys", "connect_apps": "ConnectApps", "sip": "SIP",
    "authorized_connect_apps": "AuthorizedConnectApps", "usage": "Usage", "keys": "Keys",
    "applications": "Applications", "short_codes": "SMS/ShortCodes", "queues": "Queues",
    "messages": "Messages", "balance": "Balance",
}


def to_wire(a: dict) -> dict:
    base = f"/2010-04-01/Accounts/{a['sid']}"
    return {
        "auth_token": a["auth_token"],
        "date_created": rfc2822(a["date_created"]),
        "date_updated": rfc2822(a["date_updated"]),
        "friendly_name": a["friendly_name"],
        "owner_account_sid": a["owner_account_sid"],
        "sid": a["sid"],
        "status": a["status"],
        "subresource_uris": {k: f"{base}/{v}.json" for k, v in SUBRESOURCES.items()},
        "type": a["type"],
        "uri": f"{base}.json",
    }


@api.post("/Accounts.json")
def create():
    require_account_manager()
    creator = principal().account
    rules.may_create_subaccount(creator)
    account = accounts.new_account(sim(), owner_sid=creator["sid"], type_=creator["type"],
                                   friendly_name=text("FriendlyName", max_length=64))
    return to_wire(account), 201


@api.get("/Accounts.json")
def list_():
    require_account_manager()
    name = text("FriendlyName")
    status = choice("Status", rules.STATUSES)
    fetch = accounts.list_accounts(sim(), principal().account, friendly_name=name, status=status)
    return list_2010("/2010-04-01/Accounts.json", "accounts", fetch, to_wire)


@api.get("/Accounts/<sid>.json")
def fetch(sid):
    require_account_manager()
    return to_wire(path_account(sid))


@api.post("/Accounts/<sid>.json")
def update(sid):
    require_account_manager()
    account = path_account(sid)
    name = text("FriendlyName", max_length=64)
    status = choice("Status", rules.STATUSES)
    return to_wire(accounts.update_account(sim(), account, principal().account_sid,
                                           friendly_name=name, status=status))
