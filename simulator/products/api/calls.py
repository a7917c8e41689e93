"""2010 Calls, minimal: create (To, From, Url or Twiml), fetch, list, update
(Status=completed|canceled), delete.

The lifecycle and its webhooks are the domain's (``domain/calls.py``); this door reads
Twilio's parameters and renders the records.
"""
from __future__ import annotations

from ...current import sim
from ...dates import rfc2822
from ...domain import calls
from ...domain.calls import EVENTS, STATUSES
from ...errors import TwilioError
from ...rules import messaging as mrules
from ...rules import numbers as nrules
from ...wire import list_2010, params, text
from . import bp as api
from ._common import request_account


def to_wire(c: dict) -> dict:
    base = f"/2010-04-01/Accounts/{c['account_sid']}/Calls/{c['sid']}"
    sub = ("notifications", "recordings", "payments", "events", "siprec", "streams",
           "transcriptions", "user_defined_message_subscriptions", "user_defined_messages")
    names = {"notifications": "Notifications", "recordings": "Recordings", "payments": "Payments",
             "events": "Events", "siprec": "Siprec", "streams": "Streams",
             "transcriptions": "Transcriptions",
             "user_defined_message_subscriptions": "UserDefinedMessageSubscriptions",
             "user_defined_messages": "UserDefinedMessages"}
    return {
        "sid": c["sid"],
        "date_created": rfc2822(c["date_created"]),
        "date_updated": rfc2822(c["date_updated"]),
        "parent_call_sid": None,
        "account_sid": c["account_sid"],
        "to": c["to"],
        "to_formatted": nrules.friendly_name(c["to"]),
        "from": c["from"],
        "from_formatted": nrules.friendly_name(c["from"]),
        "phone_number_sid": c["phone_number_sid"],
        "status": c["status"],
        "start_time": rfc2822(c["start_time"]),
        "end_time": rfc2822(c["end_time"]),
        "duration": str(c["duration"]) if c["duration"] is not None else None,
        "price": c["price"],
        "price_unit": "USD",
        "direction": c.get("direction", "outbound-api"),
        "answered_by": None,
        "api_version": "2010-04-01",
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"{base}.json",
        "subresource_uris": {k: f"{base}/{names[k]}.json" for k in sub},
    }


def _validate(account: dict, form) -> tuple[str, str, dict | None]:
    to, from_ = form.get("To"), form.get("From")
    if not to:
        raise TwilioError(21201)
    if not from_:
        raise TwilioError(21213)
    url, twiml = form.get("Url"), form.get("Twiml")
    if not url and not twiml and not form.get("ApplicationSid"):
        raise TwilioError(21205, "A Url, Twiml or ApplicationSid parameter is required")
    for name in ("Url", "StatusCallback", "FallbackUrl"):
        if form.get(name):
            mrules.check_url(form[name], name, code=21205)
    return calls.check_parties(sim(), account, to, from_)


def _events(form) -> list[str]:
    events = [e for v in form.getlist("StatusCallbackEvent") for e in v.split()]
    for e in events:
        if e not in EVENTS:
            raise TwilioError.invalid("StatusCallbackEvent",
                                      "must be initiated, ringing, answered or completed")
    return events or ["completed"]


@api.post("/Accounts/<account_sid>/Calls.json")
def create_call(account_sid):
    account, test = request_account(account_sid)
    form = params()
    for name in ("Method", "StatusCallbackMethod"):
        value = form.get(name)
        if value and value.upper() not in ("GET", "POST"):
            raise TwilioError.invalid(name, "must be GET or POST")
    if test:
        if not form.get("To"):
            raise TwilioError(21201)
        mrules.test_credentials_call(form.get("To"), form.get("From"))
        to, from_, number = nrules.normalize(form["To"]), nrules.normalize(form["From"]), None
    else:
        to, from_, number = _validate(account, form)
    events = _events(form)
    call = calls.new_call(
        sim(), account["sid"], to=to, from_=from_, number=number, url=form.get("Url"),
        method=(form.get("Method") or "POST").upper(), twiml=form.get("Twiml"),
        status_callback=form.get("StatusCallback"),
        status_callback_method=(form.get("StatusCallbackMethod") or "POST").upper(),
        events=events, store=not test)
    return to_wire(call), 201


@api.get("/Accounts/<account_sid>/Calls.json")
def list_calls(account_sid):
    account, _ = request_account(account_sid)
    to, from_ = text("To"), text("From")
    status = text("Status")
    if status is not None and status not in STATUSES:
        raise TwilioError.invalid("Status", "must be one of " + ", ".join(STATUSES))
    fetch = calls.list_calls(sim(), account["sid"], to=nrules.normalize(to) if to else None,
                             from_=nrules.normalize(from_) if from_ else None, status=status)
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Calls.json", "calls", fetch, to_wire)


@api.get("/Accounts/<account_sid>/Calls/<sid>.json")
def fetch_call(account_sid, sid):
    account, _ = request_account(account_sid)
    return to_wire(calls.call_of(sim(), account["sid"], sid))


@api.post("/Accounts/<account_sid>/Calls/<sid>.json")
def update_call(account_sid, sid):
    account, _ = request_account(account_sid)
    s = sim()
    call = calls.call_of(s, account["sid"], sid)
    status = params().get("Status")
    if status is None:
        return to_wire(call)
    if status not in ("completed", "canceled"):
        raise TwilioError.invalid("Status", "must be completed or canceled")
    return to_wire(calls.end_call(s, call, status))


@api.delete("/Accounts/<account_sid>/Calls/<sid>.json")
def delete_call(account_sid, sid):
    account, _ = request_account(account_sid)
    s = sim()
    calls.delete_call(s, calls.call_of(s, account["sid"], sid))
    return "", 204
