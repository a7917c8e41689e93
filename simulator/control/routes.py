"""The simulator control plane under /_sim/v1/ (no Twilio auth; see guard.py for who
may call it). Tests and scenario replays drive the simulator from here: reset,
snapshot/restore, credentials, the request journal, the clock.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from flask import Blueprint, request

from .. import __version__
from ..current import sim
from ..domain import snapshots
from ..domain.accounts import all_credentials
from ..domain.taskrouter.event_bridge import urls as event_bridge_urls
from ..errors import TwilioError
from ..request_log import readable
from ..wire import integer, json_object
from .guard import guard

control = Blueprint("control", __name__, url_prefix="/_sim/v1")
control.before_request(guard)

# The clock stays well inside what datetime can hold, so every step scheduled after it can too.
CLOCK_MIN = datetime(1970, 1, 1, tzinfo=timezone.utc)
CLOCK_MAX = datetime(9000, 1, 1, tzinfo=timezone.utc)


def body() -> dict:
    """A control call's JSON object (the guard has checked it is JSON)."""
    return json_object(form=False)


@control.get("/health")
def health():
    return {"status": "ok", "version": __version__, "clock": sim().clock.state(),
            "event_bridge": event_bridge_urls(sim(), request.host_url)}


@control.post("/reset")
def reset():
    sim().reset()
    return {"status": "reset", "clock": sim().clock.state()}


@control.get("/snapshot")
def snapshot():
    return snapshots.snapshot(sim())


@control.put("/snapshot")
def restore():
    return {"status": "restored", "records": snapshots.restore(sim(), body())}


@control.get("/credentials")
def credentials():
    return {"accounts": all_credentials(sim())}


@control.get("/journal")
def journal():
    entries = sim().recent_requests()
    limit = integer("limit", None, minimum=1, maximum=sim().settings.journal_size,
                    source=request.args)
    if limit:
        entries = entries[-limit:]
    return {"requests": [readable(e) for e in entries]}


@control.delete("/journal")
def clear_journal():
    sim().requests.clear()
    return "", 204


@control.get("/clock")
def clock():
    return sim().clock.state()


@control.post("/clock/freeze")
def freeze():
    at = body().get("at")
    when = None
    if at is not None and at != "":
        try:
            when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
        except ValueError:
            raise TwilioError.invalid("at", "must be an ISO 8601 timestamp") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        if not CLOCK_MIN <= when < CLOCK_MAX:
            raise TwilioError.invalid("at", f"must be from {CLOCK_MIN.year} to {CLOCK_MAX.year}")
    sim().clock.freeze(when)
    return sim().clock.state()


@control.post("/clock/advance")
def advance():
    seconds = body().get("seconds")
    if isinstance(seconds, str):
        try:
            seconds = float(seconds)
        except ValueError:
            seconds = None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
            or not math.isfinite(seconds):
        raise TwilioError.invalid("seconds", "must be a number of seconds")
    if seconds < 0:
        raise TwilioError.invalid("seconds", "the clock only moves forward")
    clock_ = sim().clock
    try:
        too_far = clock_.now() + timedelta(seconds=seconds) >= CLOCK_MAX
    except OverflowError:
        too_far = True
    if too_far:
        raise TwilioError.invalid("seconds", f"would move the clock past {CLOCK_MAX.year}")
    clock_.advance(seconds)
    return clock_.state()


@control.post("/clock/real")
def real_time():
    sim().clock.real()
    return sim().clock.state()
