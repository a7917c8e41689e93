"""2010 Calls, minimal: create (To, From, Url or Twiml), fetch, list, update
(Status=completed|canceled), delete.

An outbound call moves on the simulator clock queued -> ringing -> in-progress ->
completed (delays and the call length in the messaging settings: ``call_ringing``,
``call_answer``, ``call_duration``). When answered, the call's ``Url`` gets the
signed voice webhook (its TwiML is not executed). ``StatusCallback`` gets the
events of ``StatusCallbackEvent`` (default: completed only). Voice is not
subject to the toll-free SMS verification rule.
"""
from __future__ import annotations



from ...errors import TwilioError
from ...rules import messaging as mrules
from ...rules import numbers as nrules
from ...runtime import sim
from ...scheduler import cancel, handler, schedule
from ...wire import list_2010, params, parse_iso, rfc2822, text
from . import bp as api
from ._common import request_account

DELAYS = {"call_ringing": 1, "call_answer": 2, "call_duration": 5}
EVENTS = {"initiated": "queued", "ringing": "ringing", "answered": "in-progress",
          "completed": "completed"}
STATUSES = ("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer",
            "canceled")
FINAL = ("completed", "busy", "failed", "no-answer", "canceled")


def _delays() -> dict:
    stored = sim().store.get("sim_settings", "messaging") or {}
    return {k: stored.get(k, v) if stored.get(k) is not None else v for k, v in DELAYS.items()}


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
        "direction": "outbound-api",
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
    to_parsed = nrules.parse(to)
    if to_parsed is None:
        raise TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")
    from_parsed = nrules.parse(from_)
    if from_parsed is None:
        raise TwilioError(21212, f"The 'From' number {from_} is not a valid phone number.")
    s = sim()
    number = s.store.owned("incoming_phone_numbers", account["sid"],
                           where=lambda n: n["phone_number"] == from_parsed.e164, limit=1)
    from .outgoing_caller_ids import find_caller_id
    if not number and find_caller_id(account["sid"], from_parsed.e164) is None:
        raise TwilioError(21210, f"The source phone number provided, {from_}, is not yet "
                                 "verified for your account.")
    if account["type"] == "Trial" and find_caller_id(account["sid"], to_parsed.e164) is None:
        raise TwilioError(21219, f"The number {to_parsed.e164} is unverified. Trial accounts "
                                 "may only make calls to verified numbers.")
    return to_parsed.e164, from_parsed.e164, number[0] if number else None


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
    s = sim()
    now = s.now()
    if test:
        if not form.get("To"):
            raise TwilioError(21201)
        mrules.test_credentials_call(form.get("To"), form.get("From"))
        to, from_, number = nrules.normalize(form["To"]), nrules.normalize(form["From"]), None
    else:
        to, from_, number = _validate(account, form)
    events = _events(form)
    call = {
        "sid": s.ids.sid("CA"), "account_sid": account["sid"], "to": to, "from": from_,
        "phone_number_sid": number["sid"] if number else None, "status": "queued",
        "start_time": None, "end_time": None, "duration": None, "price": None,
        "url": form.get("Url"), "method": (form.get("Method") or "POST").upper(),
        "twiml": form.get("Twiml"), "status_callback": form.get("StatusCallback"),
        "status_callback_method": (form.get("StatusCallbackMethod") or "POST").upper(),
        "status_callback_events": events, "sequence": 0,
        "date_created": now, "date_updated": now,
    }
    if test:
        return to_wire(call), 201
    s.store.insert("calls", call)
    schedule("call.step", call["sid"], _delays()["call_ringing"], {"status": "ringing"})
    if "initiated" in events:
        _status_callback(call, "initiated")
    return to_wire(call), 201


@handler("call.step")
def _step(timer):
    s = sim()
    call = s.store.get("calls", timer["target"])
    if call is None or call["status"] in FINAL:
        return
    status = timer["data"]["status"]
    at = timer["due"]
    changes = {"status": status, "date_updated": at}
    delays = _delays()
    following = None
    if status == "ringing":
        following = ("in-progress", delays["call_answer"])
    elif status == "in-progress":
        changes["start_time"] = at
        following = ("completed", delays["call_duration"])
    elif status == "completed":
        changes.update(_ended(call, at))
    call = s.store.update("calls", call["sid"], changes)
    if status == "in-progress" and call["url"]:
        _voice_webhook(call)
    event = {"ringing": "ringing", "in-progress": "answered", "completed": "completed"}[status]
    _status_callback(call, event)
    if following:
        schedule("call.step", call["sid"], following[1], {"status": following[0]}, base=at)


def _ended(call: dict, at: str) -> dict:
    duration = 0
    if call["start_time"]:
        duration = int((parse_iso(at) - parse_iso(call["start_time"])).total_seconds())
    minutes = max(1, -(-duration // 60)) if duration else 0
    return {"end_time": at, "duration": duration,
            "price": f"-{0.014 * minutes:.5f}" if minutes else None}


def _base_params(call: dict) -> dict:
    return {"CallSid": call["sid"], "AccountSid": call["account_sid"], "From": call["from"],
            "To": call["to"], "CallStatus": call["status"], "ApiVersion": "2010-04-01",
            "Direction": "outbound-api", "Caller": call["from"], "Called": call["to"]}


def _voice_webhook(call: dict):
    from ...webhooks import deliver
    deliver(call["account_sid"], call["url"], _base_params(call), method=call["method"],
            kind="call-url", resource_sid=call["sid"])


def _status_callback(call: dict, event: str):
    if not call.get("status_callback") or event not in call["status_callback_events"]:
        return
    from ...webhooks import deliver
    payload = _base_params(call)
    payload.update({"CallbackSource": "call-progress-events",
                    "SequenceNumber": str(call["sequence"]),
                    "Timestamp": rfc2822(call["date_updated"])})
    if call["status"] in FINAL:
        payload["CallDuration"] = str(call["duration"] or 0)
        payload["Duration"] = str(-(-(call["duration"] or 0) // 60))
    sim().store.update("calls", call["sid"], {"sequence": call["sequence"] + 1})
    deliver(call["account_sid"], call["status_callback"], payload,
            method=call["status_callback_method"], kind="call-status", resource_sid=call["sid"])


def call_of(account_sid: str, sid: str) -> dict:
    call = sim().store.get("calls", sid)
    if call is None or call["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return call


@api.get("/Accounts/<account_sid>/Calls.json")
def list_calls(account_sid):
    account, _ = request_account(account_sid)
    to, from_ = text("To"), text("From")
    status = text("Status")
    if status is not None and status not in STATUSES:
        raise TwilioError.invalid("Status", "must be one of " + ", ".join(STATUSES))
    to = nrules.normalize(to) if to else None
    from_ = nrules.normalize(from_) if from_ else None

    def where(c):
        return ((to is None or c["to"] == to) and (from_ is None or c["from"] == from_)
                and (status is None or c["status"] == status))

    fetch = sim().store.pager("calls", account["sid"], newest_first=True, where=where)

    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Calls.json", "calls", fetch, to_wire)


@api.get("/Accounts/<account_sid>/Calls/<sid>.json")
def fetch_call(account_sid, sid):
    account, _ = request_account(account_sid)
    return to_wire(call_of(account["sid"], sid))


@api.post("/Accounts/<account_sid>/Calls/<sid>.json")
def update_call(account_sid, sid):
    account, _ = request_account(account_sid)
    call = call_of(account["sid"], sid)
    status = params().get("Status")
    if status is None:
        return to_wire(call)
    if status not in ("completed", "canceled"):
        raise TwilioError.invalid("Status", "must be completed or canceled")
    if status == "canceled" and call["status"] not in ("queued", "ringing"):
        raise TwilioError(21220, f"Call {sid} is {call['status']} and cannot be canceled")
    if status == "completed" and call["status"] in FINAL:
        raise TwilioError(21220, f"Call {sid} is already {call['status']}")
    now = sim().now()
    if status == "completed" and call["status"] in ("queued", "ringing"):
        status = "canceled"   # Twilio: ending a call that was not answered cancels it
    changes = {"status": status, "date_updated": now}
    if status == "completed":
        changes.update(_ended(call, now))
    else:
        changes["end_time"] = now
        changes["duration"] = 0
    cancel(call["sid"], "call.step")
    call = sim().store.update("calls", call["sid"], changes)
    _status_callback(call, "completed")
    return to_wire(call)


@api.delete("/Accounts/<account_sid>/Calls/<sid>.json")
def delete_call(account_sid, sid):
    account, _ = request_account(account_sid)
    call = call_of(account["sid"], sid)
    if call["status"] not in FINAL:
        raise TwilioError(20009, f"Call {sid} is still {call['status']}")
    sim().store.delete("calls", call["sid"])
    return "", 204



