"""2010 OutgoingCallerIds: verified numbers (list, fetch, update, delete).

A number is verified through the control plane (POST /_sim/v1/caller-ids) or by the
fixtures; a trial account's signup phone is one. Trial accounts may send SMS only
to these numbers (21608).
"""
from __future__ import annotations

from ...auth import path_account
from ...errors import TwilioError
from ...rules import numbers as nrules
from ...runtime import sim
from ...wire import list_2010, rfc2822, text
from . import bp as api


def new_caller_id(account_sid: str, phone_number: str, friendly_name: str | None = None, *,
                  sid: str | None = None) -> dict:
    """Verify ``phone_number`` for ``account_sid`` (idempotent)."""
    parsed = nrules.parse(phone_number)
    if parsed is None:
        raise TwilioError(21401, f"{phone_number} is not a valid phone number")
    existing = find_caller_id(account_sid, parsed.e164)
    if existing:
        return existing
    s = sim()
    now = s.now()
    return s.store.insert("outgoing_caller_ids", {
        "sid": sid or s.ids.sid("PN"),
        "account_sid": account_sid,
        "phone_number": parsed.e164,
        "friendly_name": friendly_name or nrules.friendly_name(parsed.e164),
        "date_created": now,
        "date_updated": now,
    })


def find_caller_id(account_sid: str, phone_number: str) -> dict | None:
    found = sim().store.owned("outgoing_caller_ids", account_sid,
                              where=lambda c: c["phone_number"] == phone_number, limit=1)
    return found[0] if found else None


def to_wire(c: dict) -> dict:
    return {
        "sid": c["sid"],
        "date_created": rfc2822(c["date_created"]),
        "date_updated": rfc2822(c["date_updated"]),
        "friendly_name": c["friendly_name"],
        "account_sid": c["account_sid"],
        "phone_number": c["phone_number"],
        "uri": f"/2010-04-01/Accounts/{c['account_sid']}/OutgoingCallerIds/{c['sid']}.json",
    }


def _caller_id(account_sid: str, sid: str) -> dict:
    c = sim().store.get("outgoing_caller_ids", sid)
    if c is None or c["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return c


@api.get("/Accounts/<account_sid>/OutgoingCallerIds.json")
def list_outgoing_caller_ids(account_sid):
    account = path_account(account_sid)
    phone = text("PhoneNumber")
    name = text("FriendlyName")

    def where(c):
        return ((phone is None or c["phone_number"] == nrules.normalize(phone))
                and (name is None or c["friendly_name"] == name))

    fetch = sim().store.pager("outgoing_caller_ids", account["sid"], where=where)

    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/OutgoingCallerIds.json",
                     "outgoing_caller_ids", fetch, to_wire)


@api.get("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def fetch_outgoing_caller_id(account_sid, sid):
    return to_wire(_caller_id(path_account(account_sid)["sid"], sid))


@api.post("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def update_outgoing_caller_id(account_sid, sid):
    c = _caller_id(path_account(account_sid)["sid"], sid)
    name = text("FriendlyName", max_length=64)
    if name is None:
        return to_wire(c)
    return to_wire(sim().store.update("outgoing_caller_ids", sid,
                                      {"friendly_name": name, "date_updated": sim().now()}))


@api.delete("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def delete_outgoing_caller_id(account_sid, sid):
    c = _caller_id(path_account(account_sid)["sid"], sid)
    sim().store.delete("outgoing_caller_ids", c["sid"])
    return "", 204
