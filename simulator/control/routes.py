"""The simulator control plane under /_sim/v1/ (no Twilio auth; loopback only
unless the settings open it). Tests and scenario replays drive the simulator
from here: reset, snapshot/restore, credentials, the request journal, the clock.
"""
from __future__ import annotations

import ipaddress
from datetime import datetime

from flask import Blueprint, request

from .. import __version__
from ..current import sim
from ..domain import snapshots
from ..domain.accounts import all_credentials
from ..errors import TwilioError
from ..request_log import readable

control = Blueprint("control", __name__, url_prefix="/_sim/v1")


@control.before_request
def _loopback_only():
    if sim().settings.control_plane_public:
        return
    addr = request.remote_addr
    if addr is None:  # in-process (no socket)
        return
    try:
        if ipaddress.ip_address(addr.split("%")[0]).is_loopback:
            return
    except ValueError:
        pass
    raise TwilioError(20006, "The simulator control plane answers loopback clients only "
                             "(start with --control-public to open it)")


def _body() -> dict:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise TwilioError(400, "The request body must be a JSON object")
        return data
    return request.values.to_dict()


@control.get("/health")
def health():
    return {"status": "ok", "version": __version__, "clock": sim().clock.state()}


@control.post("/reset")
def reset():
    sim().reset()
    return {"status": "reset", "clock": sim().clock.state()}


@control.get("/snapshot")
def snapshot():
    return snapshots.snapshot(sim())


@control.put("/snapshot")
def restore():
    return {"status": "restored", "records": snapshots.restore(sim(), _body())}


@control.get("/credentials")
def credentials():
    return {"accounts": all_credentials(sim())}


@control.get("/journal")
def journal():
    entries = sim().recent_requests()
    limit = request.args.get("limit", type=int)
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
    at = _body().get("at")
    when = None
    if at:
        try:
            when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
        except ValueError:
            raise TwilioError(400, "'at' must be an ISO 8601 timestamp") from None
    sim().clock.freeze(when)
    return sim().clock.state()


@control.post("/clock/advance")
def advance():
    try:
        seconds = float(_body().get("seconds", ""))
    except ValueError:
        raise TwilioError(400, "'seconds' must be a number of seconds") from None
    if seconds < 0:
        raise TwilioError(400, "The clock only moves forward")
    sim().clock.advance(seconds)
    return sim().clock.state()


@control.post("/clock/real")
def real_time():
    sim().clock.real()
    return sim().clock.state()
