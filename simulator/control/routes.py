"""The simulator control plane under /_sim/v1/ (no Twilio auth; loopback only
unless the settings open it). Tests and scenario replays drive the simulator
from here: reset, snapshot/restore, credentials, the request journal, the clock.
"""
from __future__ import annotations

import ipaddress
from datetime import datetime

from flask import Blueprint, request

from .. import __version__
from ..errors import TwilioError
from ..request_log import readable
from ..runtime import sim

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
    return {"format": 1, "tables": sim().store.dump()}


@control.put("/snapshot")
def restore():
    data = _body()
    tables = data.get("tables")
    if data.get("format") != 1 or not isinstance(tables, dict) or not all(
            isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
            for t in tables.values()):
        raise TwilioError(400, "A snapshot is {\"format\": 1, \"tables\": {name: {sid: record}}} "
                               "as GET /_sim/v1/snapshot returns it")
    sim().load_snapshot(tables)
    return {"status": "restored", "records": sum(len(t) for t in tables.values())}


@control.get("/credentials")
def credentials():
    s = sim()
    accounts = []
    for a in s.store.find("accounts", lambda a: True):
        test = s.store.owned("test_credentials", a["sid"], limit=1)
        accounts.append({
            "sid": a["sid"],
            "auth_token": a["auth_token"],
            "friendly_name": a["friendly_name"],
            "owner_account_sid": a["owner_account_sid"],
            "type": a["type"],
            "status": a["status"],
            "test_credentials": {"sid": test[0]["sid"], "auth_token": test[0]["auth_token"]}
            if test else None,
            "keys": [{"sid": k["sid"], "secret": k["secret"], "friendly_name": k["friendly_name"],
                      "key_type": k["key_type"]}
                     for k in s.store.owned("keys", a["sid"])],
        })
    return {"accounts": accounts}


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
