"""The simulator's own settings that live in the store (and so reset, snapshot and persist
with the state): messaging delays, the webhook transport."""
from __future__ import annotations

from ..errors import TwilioError

MAX_DELAY_SECONDS = 1_000_000_000   # about 31 years: far enough, and the clock cannot overflow
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
    stored = s.store.peek("sim_settings", "messaging") or {}   # read only: a new dict is made
    return {**MESSAGING_DEFAULTS, **{k: v for k, v in stored.items()
                                     if k in MESSAGING_DEFAULTS}}


CALL_DELAYS = ("call_ringing", "call_answer", "call_duration")


def call_delays(s) -> dict:
    """Seconds between a call's status steps (a setting set to null takes its default)."""
    current = messaging_settings(s)
    return {k: MESSAGING_DEFAULTS[k] if current[k] is None else current[k] for k in CALL_DELAYS}


def update_messaging_settings(s, changes: dict) -> dict:
    unknown = set(changes) - set(MESSAGING_DEFAULTS)
    if unknown:
        raise TwilioError(20422, f"Unknown messaging settings: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        if key in ("price", "price_unit"):
            if not isinstance(value, str):
                raise TwilioError(20422, f"{key} must be a string")
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0 <= value <= MAX_DELAY_SECONDS):
            raise TwilioError(20422, f"{key} must be a number of seconds from 0 to "
                                     f"{MAX_DELAY_SECONDS} (or null)")
    write_setting(s, "messaging", changes)
    return messaging_settings(s)
