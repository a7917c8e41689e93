"""2010 Accounts: /2010-04-01/Accounts.json and /Accounts/{Sid}.json."""
from __future__ import annotations

from ...auth import path_account, principal, require_account_manager
from ...rules import accounts as rules
from ...runtime import sim
from ...wire import choice, list_2010, paged, parse_iso, rfc2822, text
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


def new_account(*, owner_sid: str | None, friendly_name: str | None = None,
                sid: str | None = None, auth_token: str | None = None, type_: str = "Full",
                status: str = "active", test_sid: str | None = None,
                test_auth_token: str | None = None) -> dict:
    """Create an account (a main account when ``owner_sid`` is None) and its
    test credentials."""
    s = sim()
    sid = sid or s.ids.sid("AC")
    now = s.now()
    account = {
        "sid": sid,
        "owner_account_sid": owner_sid or sid,
        "friendly_name": friendly_name or rules.default_subaccount_name(parse_iso(now)),
        "status": status,
        "type": type_,
        "auth_token": auth_token or s.ids.token(),
        "date_created": now,
        "date_updated": now,
    }
    s.store.insert("accounts", account)
    s.store.insert("test_credentials", {
        "sid": test_sid or s.ids.sid("AC"),
        "account_sid": sid,
        "auth_token": test_auth_token or s.ids.token(),
    })
    return account


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
    account = new_account(owner_sid=creator["sid"], type_=creator["type"],
                          friendly_name=text("FriendlyName", max_length=64))
    return to_wire(account), 201


@api.get("/Accounts.json")
def list_():
    require_account_manager()
    me = principal()
    name = text("FriendlyName")
    status = choice("Status", rules.STATUSES)

    def where(a):
        return (name is None or a["friendly_name"] == name) and (status is None or a["status"] == status)

    if me.is_main_account:
        fetch = sim().store.pager("accounts", me.account_sid, where=where)
    else:  # a subaccount lists only itself
        fetch = paged([a for a in [me.account] if where(a)])
    return list_2010("/2010-04-01/Accounts.json", "accounts", fetch, to_wire)


@api.get("/Accounts/<sid>.json")
def fetch(sid):
    require_account_manager()
    return to_wire(path_account(sid))


@api.post("/Accounts/<sid>.json")
def update(sid):
    require_account_manager()
    account = path_account(sid)
    changes = {}
    name = text("FriendlyName", max_length=64)
    if name is not None:
        changes["friendly_name"] = name
    status = choice("Status", rules.STATUSES)
    if status is not None and status != account["status"]:
        rules.check_status_change(principal().account_sid, account, status)
        changes["status"] = status
    return to_wire(sim().modify("accounts", account, changes))
