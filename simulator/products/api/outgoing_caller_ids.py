"""2010 OutgoingCallerIds: verified numbers (list, fetch, update, delete).

A number is verified through the control plane (POST /_sim/v1/caller-ids) or by the
fixtures; a trial account's signup phone is one. Trial accounts may send SMS only
to these numbers (21608).
"""
from __future__ import annotations

from ...auth import path_account
from ...current import sim
from ...domain import numbers
from ...shapes.messaging import caller_id_to_wire as to_wire
from ...wire import list_2010, text
from . import bp as api


@api.get("/Accounts/<account_sid>/OutgoingCallerIds.json")
def list_outgoing_caller_ids(account_sid):
    account = path_account(account_sid)
    fetch = numbers.list_caller_ids(sim(), account["sid"], phone_number=text("PhoneNumber"),
                                    friendly_name=text("FriendlyName"))
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/OutgoingCallerIds.json",
                     "outgoing_caller_ids", fetch, to_wire)


@api.get("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def fetch_outgoing_caller_id(account_sid, sid):
    return to_wire(numbers.caller_id_of(sim(), path_account(account_sid)["sid"], sid))


@api.post("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def update_outgoing_caller_id(account_sid, sid):
    c = numbers.caller_id_of(sim(), path_account(account_sid)["sid"], sid)
    name = text("FriendlyName", max_length=64)
    if name is None:
        return to_wire(c)
    return to_wire(numbers.rename_caller_id(sim(), c, name))


@api.delete("/Accounts/<account_sid>/OutgoingCallerIds/<sid>.json")
def delete_outgoing_caller_id(account_sid, sid):
    c = numbers.caller_id_of(sim(), path_account(account_sid)["sid"], sid)
    numbers.delete_caller_id(sim(), c)
    return "", 204
