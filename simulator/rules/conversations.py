"""Twilio Conversations' decisions (pure: facts in, a value or a TwilioError out).

Sources: the Conversations API reference (conversation, participant, message, scoped webhook,
address configuration resources) and ../shared/reference/flex-routing.md §E.
"""
from __future__ import annotations

import json
import re

from ..errors import TwilioError

STATES = ("initializing", "inactive", "active", "closed")
OPEN_STATES = ("initializing", "inactive", "active")
WEBHOOK_TARGETS = ("webhook", "trigger", "studio")
WEBHOOKS_PER_CONVERSATION = 5
ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
AUTO_CREATION_TYPES = ("webhook", "studio", "default")
EVENTS = ("onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onConversationUpdated",
          "onConversationStateUpdated", "onConversationRemoved", "onParticipantAdded",
          "onParticipantUpdated", "onParticipantRemoved", "onDeliveryUpdated")
INACTIVE_MIN, CLOSED_MIN = 60, 600       # seconds: 1 minute, 10 minutes
TIMER_MAX = 36_500 * 86_400              # no maximum is documented: the simulator takes 100 years

_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def check_attributes(value: str | None) -> str:
    """``Attributes`` must be a JSON text (default ``{}``): 50304 otherwise."""
    if value is None or value == "":
        return "{}"
    try:
        json.loads(value)
    except (ValueError, RecursionError):
        raise TwilioError(50304, f"Attributes are not valid JSON: {value[:64]}") from None
    return value


def check_initial_state(state: str | None) -> str:
    """A new conversation starts ``active`` unless told; never ``closed`` (50384)."""
    if state == "closed":
        raise TwilioError(50384)
    return state or "active"


def check_open(conversation: dict):
    """Nothing changes in a closed conversation: it is read-only (50377)."""
    if conversation["state"] == "closed":
        raise TwilioError(50377, f"Conversation {conversation['sid']} is closed")


def duration_seconds(value: str) -> int | None:
    """An ISO 8601 duration (``PT5M``, ``P1DT2H``) in seconds, or None when malformed."""
    m = _DURATION.match(value or "")
    if not m or value in ("P", "PT") or value.endswith("T"):
        return None
    digits = [m.group(k) or "0" for k in ("d", "h", "m", "s")]
    if any(len(n) > 18 for n in digits):  # far beyond TIMER_MAX (and int() refuses 4,300 digits)
        return TIMER_MAX + 1
    d, h, mi, sec = (int(n) for n in digits)
    return ((d * 24 + h) * 60 + mi) * 60 + sec


def timers(inactive: str | None, closed: str | None) -> dict:
    """``Timers.Inactive`` (at least a minute, 50375; malformed 50379) and ``Timers.Closed``
    (at least ten minutes, 50376; malformed 50380) in seconds."""
    out = {}
    if inactive:
        seconds = duration_seconds(inactive)
        if seconds is None:
            raise TwilioError(50379, f"Timers.Inactive {inactive!r} is not an ISO 8601 duration")
        if seconds < INACTIVE_MIN:
            raise TwilioError(50375)
        if seconds > TIMER_MAX:
            raise TwilioError(50379, f"Timers.Inactive {inactive[:64]!r} is longer than 100 years")
        out["inactive"] = seconds
    if closed:
        seconds = duration_seconds(closed)
        if seconds is None:
            raise TwilioError(50380, f"Timers.Closed {closed!r} is not an ISO 8601 duration")
        if seconds < CLOSED_MIN:
            raise TwilioError(50376)
        if seconds > TIMER_MAX:
            raise TwilioError(50380, f"Timers.Closed {closed[:64]!r} is longer than 100 years")
        out["closed"] = seconds
    return out


def check_sms_binding(address: str | None, proxy_address: str | None, *, address_ok: bool,
                      proxy_owned: bool):
    """An SMS participant: a valid handset address (50407), a proxy address (50412) that is
    an SMS number of the account (50413), not the same number (50409)."""
    if not address_ok:
        raise TwilioError(50407, f"MessagingBinding.Address {address!r} is not a valid phone "
                                 "number")
    if not proxy_address:
        raise TwilioError(50412)
    if not proxy_owned:
        raise TwilioError(50413, f"{proxy_address} is not an SMS-capable number of this account")
    if address == proxy_address:
        raise TwilioError(50409)


def trigger_matches(body: str | None, triggers) -> bool:
    """A ``trigger`` webhook fires when the message holds one of its keywords as a word."""
    words = set(re.findall(r"\w+", (body or "").lower()))
    return any(t.strip().lower() in words for t in triggers or () if t.strip())


# SMS status -> the delivery receipt's status
RECEIPT_STATUS = {"accepted": "sent", "queued": "sent", "sending": "sent", "sent": "sent",
                  "scheduled": "sent", "delivered": "delivered", "read": "read",
                  "undelivered": "undelivered", "failed": "failed", "canceled": "failed"}


def receipt_status(message_status: str | None) -> str:
    return RECEIPT_STATUS.get(message_status or "", "failed")


def delivery_summary(statuses: list[str]) -> dict | None:
    """A message's ``delivery``: how many receipts, and for each status whether ``all``,
    ``some`` or ``none`` of them reached it (``sent`` counts those gone further too)."""
    if not statuses:
        return None
    reached = {"sent": ("sent", "delivered", "read", "undelivered"),
               "delivered": ("delivered", "read"), "read": ("read",),
               "undelivered": ("undelivered",), "failed": ("failed",)}
    out: dict = {"total": len(statuses)}
    for key, covered in reached.items():
        n = sum(1 for st in statuses if st in covered)
        out[key] = "all" if n == len(statuses) else "some" if n else "none"
    return out
