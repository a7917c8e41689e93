"""Recording on the control plane: turn a real run of an app into a scenario file.

* ``POST /_sim/v1/recording/start``  ``{"name"?, "reset"?: true}``: start (reset first if asked)
* ``GET  /_sim/v1/recording``        the running recording, as a scenario so far
* ``POST /_sim/v1/recording/stop``   stop; answers ``{"scenario": {...}, "requests": N}``

While a recording runs, every request the simulator answers (Twilio's REST products, the
Console, the Flex UI and the control plane's customer actions) is kept with its response;
``scenarios/recorder.py`` makes the scenario (``twilio-sim record`` writes it as YAML).
Registered through ``control/faults.py``'s blueprint.
"""
from __future__ import annotations

from flask import Blueprint, request

from ..current import sim
from ..domain import recording as domain
from ..errors import TwilioError
from ..request_log import UNJOURNALED
from ..scenarios.recorder import to_scenario
from ..wire import parse_json
from .routes import body

recording = Blueprint("recording", __name__, url_prefix="/recording")


@recording.post("/start")
def start():
    data = body()
    s = sim()
    if data.get("reset") is True:
        s.reset()
    return domain.start(s, name=data.get("name")), 201


@recording.get("")
def show():
    current = domain.snapshot(sim())
    if current is None:
        return {"recording": False}
    return {**domain.summary(current), "scenario": to_scenario(current)}


@recording.post("/stop")
def stop():
    done = domain.stop(sim())
    if done is None:
        raise TwilioError(20422, "No recording is running (POST /_sim/v1/recording/start)")
    return {**domain.summary(done), "recording": False, "scenario": to_scenario(done)}


def _json_body():
    """The request's JSON body as the doors read it (``wire.parse_json``); None when there
    is none or it is not JSON a door accepts (too deep, NaN, malformed): that request was
    answered with a 400, and is recorded without its body."""
    if not request.is_json:
        return None
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return parse_json(raw)
    except TwilioError:
        return None


@recording.after_app_request
def keep(response):
    s = sim()
    if domain.active(s) is None or request.path.startswith("/_sim/v1/recording") \
            or request.environ.get(UNJOURNALED):   # a person browsing the pages
        return response
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        credentials = ["basic", auth.username, auth.password]
    elif auth is not None and auth.token:
        credentials = ["bearer", auth.token]
    elif request.headers.get("X-Flex-JWE"):
        credentials = ["bearer", request.headers["X-Flex-JWE"]]
    else:
        credentials = None
    dropped = response.direct_passthrough and response.status_code == 502
    domain.add(s, {
        "time": s.now(),
        "method": request.method,
        "path": request.path,
        "query": request.args.to_dict(flat=False),
        "form": request.form.to_dict(flat=False) if request.form else {},
        "json": _json_body(),
        "auth": credentials,
        "status": response.status_code,
        "body": None if response.direct_passthrough else response.get_json(silent=True),
        "dropped": dropped,
    })
    return response
