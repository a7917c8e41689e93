"""The simulator's own settings that live in the store (and so reset, snapshot and persist
with the state): messaging delays, the webhook transport."""
from __future__ import annotations

from ..errors import TwilioError

MESSAGING_DEFAULTS = {
    "queued": 0,          # seconds from accepted to queued (Messaging Service)
    "sending": 1,         # seconds from queued to sending
    "sent": 1,            # seconds from sending to sent
    "delivered": 1,       # seconds from sent to the final status
    "tollfree_auto_approve_seconds": None,   # approve toll-free verifications after N s
    "call_ringing": 1,    # seconds from queued to ringing (Calls)
    "call_answer": 2,     # seconds from ringing to in-progress
    "call_duration": 5,   # seconds from in-progress to completed
    "price": "-0.00790",
    "price_unit": "USD",
}


def read_setting(s, kind: str) -> dict | None:
    return s.store.get("sim_settings", kind)


def write_setting(s, kind: str, changes: dict) -> dict:
    if s.store.get("sim_settings", kind) is None:
        return s.store.insert("sim_settings", {"sid": kind, "kind": kind, **changes})
    return s.store.update("sim_settings", kind, changes)


def messaging_settings(s) -> dict:
    """Status delays of messages and calls, toll-free auto-approval, the price of a message."""
    stored = read_setting(s, "messaging") or {}
    return {**MESSAGING_DEFAULTS, **{k: v for k, v in stored.items()
                                     if k in MESSAGING_DEFAULTS}}


def update_messaging_settings(s, changes: dict) -> dict:
    unknown = set(changes) - set(MESSAGING_DEFAULTS)
    if unknown:
        raise TwilioError(400, f"Unknown messaging settings: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        if key in ("price", "price_unit"):
            if not isinstance(value, str):
                raise TwilioError(400, f"{key} must be a string")
            continue
        if value is not None and (not isinstance(value, (int, float)) or value < 0):
            raise TwilioError(400, f"{key} must be a number of seconds >= 0 (or null)")
    write_setting(s, "messaging", changes)
    return messaging_settings(s)
