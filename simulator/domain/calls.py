"""2010 Calls, minimal: placing, the status lifecycle, ending, deleting.

An outbound call moves on the simulator clock queued -> ringing -> in-progress ->
completed (delays and the call length: ``settings.call_delays``, set with the other
simulated delays through ``/_sim/v1/messaging/settings``). When answered, the call's ``Url`` gets the
signed voice webhook (its TwiML is not executed). ``StatusCallback`` gets the
events of ``StatusCallbackEvent`` (default: completed only). Voice is not
subject to the toll-free SMS verification rule.
"""
from __future__ import annotations

from ..dates import parse_iso, rfc2822
from ..errors import TwilioError
from ..rules import numbers as nrules
from ..scheduler import handler
from .numbers import find_caller_id
from .settings import call_delays
from .webhooks import deliver

EVENTS = {"initiated": "queued", "ringing": "ringing", "answered": "in-progress",
          "completed": "completed"}
STATUSES = ("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer",
            "canceled")
FINAL = ("completed", "busy", "failed", "no-answer", "canceled")


def check_parties(s, account: dict, to: str, from_: str) -> tuple[str, str, dict | None]:
    """Who may call whom: ``(to, from, the account's number calling or None)`` in E.164.
    ``From`` is a number of the account or a verified caller ID (21210); a trial account
    calls verified numbers only (21219)."""
    to_parsed = nrules.parse(to)
    if to_parsed is None:
        raise TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")
    from_parsed = nrules.parse(from_)
    if from_parsed is None:
        raise TwilioError(21212, f"The 'From' number {from_} is not a valid phone number.")
    number = s.store.owned("incoming_phone_numbers", account["sid"],
                           where=lambda n: n["phone_number"] == from_parsed.e164, limit=1)
    if not number and find_caller_id(s, account["sid"], from_parsed.e164) is None:
        raise TwilioError(21210, f"The source phone number provided, {from_}, is not yet "
                                 "verified for your account.")
    if account["type"] == "Trial" and find_caller_id(s, account["sid"], to_parsed.e164) is None:
        raise TwilioError(21219, f"The number {to_parsed.e164} is unverified. Trial accounts "
                                 "may only make calls to verified numbers.")
    return to_parsed.e164, from_parsed.e164, number[0] if number else None


def new_call(s, account_sid: str, *, to: str, from_: str, number: dict | None,
             url: str | None, method: str, twiml: str | None, status_callback: str | None,
             status_callback_method: str, events: list[str], store: bool = True) -> dict:
    """Place an outbound call (``store=False``: test credentials, nothing happens)."""
    now = s.now()
    call = {
        "sid": s.ids.sid("CA"), "account_sid": account_sid, "to": to, "from": from_,
        "phone_number_sid": number["sid"] if number else None, "status": "queued",
        "start_time": None, "end_time": None, "duration": None, "price": None,
        "url": url, "method": method,
        "twiml": twiml, "status_callback": status_callback,
        "status_callback_method": status_callback_method,
        "status_callback_events": events, "sequence": 0,
        "date_created": now, "date_updated": now,
    }
    if not store:
        return call
    s.store.insert("calls", call)
    s.scheduler.schedule("call.step", call["sid"], call_delays(s)["call_ringing"],
                         {"status": "ringing"})
    if "initiated" in events:
        _status_callback(s, call, "initiated")
    return call


@handler("call.step")
def _step(s, timer):
    call = s.store.get("calls", timer["target"])
    if call is None or call["status"] in FINAL:
        return
    status = timer["data"]["status"]
    at = timer["due"]
    changes = {"status": status, "date_updated": at}
    delays = call_delays(s)
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
        _voice_webhook(s, call)
    event = {"ringing": "ringing", "in-progress": "answered", "completed": "completed"}[status]
    _status_callback(s, call, event)
    if following:
        s.scheduler.schedule("call.step", call["sid"], following[1], {"status": following[0]},
                             base=at)


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


def _voice_webhook(s, call: dict):
    deliver(s, call["account_sid"], call["url"], _base_params(call), method=call["method"],
            kind="call-url", resource_sid=call["sid"])


def _status_callback(s, call: dict, event: str):
    if not call.get("status_callback") or event not in call["status_callback_events"]:
        return
    payload = _base_params(call)
    payload.update({"CallbackSource": "call-progress-events",
                    "SequenceNumber": str(call["sequence"]),
                    "Timestamp": rfc2822(call["date_updated"])})
    if call["status"] in FINAL:
        payload["CallDuration"] = str(call["duration"] or 0)
        payload["Duration"] = str(-(-(call["duration"] or 0) // 60))
    s.store.update("calls", call["sid"], {"sequence": call["sequence"] + 1})
    deliver(s, call["account_sid"], call["status_callback"], payload,
            method=call["status_callback_method"], kind="call-status", resource_sid=call["sid"])


def call_of(s, account_sid: str, sid: str) -> dict:
    s.scheduler.catch_up(sid)   # its steps that are due, whatever the ticker has got to
    call = s.store.get("calls", sid)
    if call is None or call["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return call


def list_calls(s, account_sid: str, *, to: str | None = None, from_: str | None = None,
               status: str | None = None):
    """The pager of an account's calls, newest first."""
    def where(c):
        return ((to is None or c["to"] == to) and (from_ is None or c["from"] == from_)
                and (status is None or c["status"] == status))

    return s.store.pager("calls", account_sid, newest_first=True, where=where)


_ENDED: list = []


def on_call_ended(listener):
    """``listener(s, call)`` after a call is hung up or canceled through ``end_call`` (Flex:
    a caller's hang-up ends their voice task)."""
    if listener not in _ENDED:
        _ENDED.append(listener)
    return listener


def new_inbound_call(s, account_sid: str, *, from_: str, to: str, number: dict) -> dict:
    """A call from a handset to one of the account's numbers, answered at once (by its
    TwiML or Studio flow); it lasts until hung up (``end_call``)."""
    now = s.now()
    return s.store.insert("calls", {
        "sid": s.ids.sid("CA"), "account_sid": account_sid, "to": to, "from": from_,
        "phone_number_sid": number["sid"], "status": "in-progress", "direction": "inbound",
        "start_time": now, "end_time": None, "duration": None, "price": None,
        "url": number.get("voice_url"), "method": number.get("voice_method") or "POST",
        "twiml": None, "status_callback": None, "status_callback_method": "POST",
        "status_callback_events": [], "sequence": 0, "date_created": now, "date_updated": now})


def end_call(s, call: dict, status: str) -> dict:
    """``Status=completed|canceled``: hang up or cancel (21220 when too late)."""
    sid = call["sid"]
    if status == "canceled" and call["status"] not in ("queued", "ringing"):
        raise TwilioError(21220, f"Call {sid} is {call['status']} and cannot be canceled")
    if status == "completed" and call["status"] in FINAL:
        raise TwilioError(21220, f"Call {sid} is already {call['status']}")
    now = s.now()
    if status == "completed" and call["status"] in ("queued", "ringing"):
        status = "canceled"   # Twilio: ending a call that was not answered cancels it
    changes = {"status": status, "date_updated": now}
    if status == "completed":
        changes.update(_ended(call, now))
    else:
        changes["end_time"] = now
        changes["duration"] = 0
    s.scheduler.cancel(sid, "call.step")
    call = s.store.update("calls", sid, changes)
    _status_callback(s, call, "completed")
    for listener in _ENDED:
        listener(s, call)
    return call


def delete_call(s, call: dict):
    """Delete an ended call (20009 while it is still going)."""
    if call["status"] not in FINAL:
        raise TwilioError(20009, f"Call {call['sid']} is still {call['status']}")
    s.store.delete("calls", call["sid"])
