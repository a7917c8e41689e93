"""A call from a handset to a Twilio number (the customer's side, from the control plane).

The call is answered at once and stays ``in-progress`` until hung up. When the number's voice
URL is a Studio flow of its account (a Flex number's "Voice IVR"), the flow runs its
``incomingCall`` transition (Send to Flex: a ``voice`` task); any other voice URL gets the
signed voice webhook (``Direction=inbound``; its TwiML is not executed).
"""
from __future__ import annotations

from ..errors import TwilioError
from ..rules import numbers as nrules
from . import studio
from . import applications
from .calls import end_call, new_inbound_call
from .numbers import owner_of
from .webhooks import deliver


def receive_call(s, from_: str, to: str) -> dict:
    """``{"call", "task", "webhook"}``: the call, the task Send to Flex made, the delivery."""
    caller = nrules.parse(from_)
    if caller is None:
        raise TwilioError(21212, f"'From' {from_} is not a valid phone number")
    number = owner_of(s, nrules.normalize(to))
    if number is None:
        raise TwilioError(21211 if nrules.parse(to) is None else 21214,
                          f"{to} is not a phone number of any account")
    number = applications.routed(s, number)   # its VoiceApplicationSid answers instead
    call = new_inbound_call(s, number["account_sid"], from_=caller.e164,
                            to=number["phone_number"], number=number)
    result = {"call": call, "task": None, "webhook": None}
    flow = studio.flow_for_url(s, number["account_sid"], number.get("voice_url"))
    if flow is not None:
        outcome = studio.run(s, flow, "incomingCall", studio.call_context(call, flow), call=call)
        result["task"] = (outcome or {}).get("task")
    elif number.get("voice_url"):
        result["webhook"] = deliver(s, number["account_sid"], number["voice_url"], {
            "CallSid": call["sid"], "AccountSid": call["account_sid"], "From": call["from"],
            "To": call["to"], "CallStatus": "ringing", "ApiVersion": "2010-04-01",
            "Direction": "inbound", "Caller": call["from"], "Called": call["to"]},
            method=number.get("voice_method") or "POST", kind="call-url",
            resource_sid=call["sid"])
    result["call"] = s.store.get("calls", call["sid"])
    return result


def find_call(s, sid: str) -> dict | None:
    """A call of any account."""
    return s.store.get("calls", sid)


def hang_up(s, call: dict) -> dict:
    """The caller hangs up."""
    return end_call(s, call, "completed")
