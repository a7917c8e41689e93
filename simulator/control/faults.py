"""Faults on the control plane, and where they take effect.

* ``POST /_sim/v1/faults``  a fault (JSON, see ``domain/faults.py``): 201 with its ``id``
* ``GET /_sim/v1/faults``   every fault with how often it matched and fired
* ``DELETE /_sim/v1/faults`` (all) or ``/_sim/v1/faults/{id}``

A request fault answers before anything else (authentication included): the Twilio error
the SDK raises (``TwilioRestException`` with the code and status, ``Retry-After`` on a 429),
added latency, or a dropped connection (no response at all: the SDK's ``requests`` raises
``ConnectionError``). The control plane itself is never faulted. The recording routes
(``control/recording.py``) are registered with this blueprint.
"""
from __future__ import annotations

import requests
from flask import Blueprint, Response, request
from waitress.channel import ClientDisconnected

from ..current import sim
from ..domain import faults as domain
from ..errors import TwilioError
from ..hosts import LABELS, public_path
from .recording import recording
from .guard import guard
from .routes import body

faults = Blueprint("control_faults", __name__, url_prefix="/_sim/v1")
faults.before_request(guard)
faults.register_blueprint(recording)


class DroppedConnection(ClientDisconnected, requests.exceptions.ConnectionError):
    """Raised while the response body is produced: waitress closes the socket without
    answering, and an in-process caller sees the ConnectionError ``requests`` would raise."""


@faults.post("/faults")
def add_fault():
    return domain.add_fault(sim(), body()), 201


@faults.get("/faults")
def list_faults():
    return {"faults": domain.list_faults(sim())}


@faults.delete("/faults")
def clear_faults():
    return {"removed": domain.clear_faults(sim())}


@faults.delete("/faults/<int:fault_id>")
def clear_fault(fault_id):
    if not domain.clear_faults(sim(), fault_id):
        raise TwilioError.not_found(f"/_sim/v1/faults/{fault_id}")
    return "", 204


@faults.before_app_request
def inject():
    path = request.path
    # the control plane and the inspector's pages stay usable whatever the faults (they are
    # how faults are seen and removed)
    if path.startswith(("/_sim/", "/inspector", "/static/web/")):
        return None
    s = sim()
    if not domain.armed(s):
        return None
    label = path.lstrip("/").partition("/")[0]

    def account():
        auth = request.authorization
        user = auth.username if auth is not None and auth.type == "basic" else None
        return domain.request_account(s, path, user, auth.password if user else None)

    fault = domain.request_fault(s, request.method, label if label in LABELS else None,
                                 public_path(path), path, account)
    if fault is None:
        return None
    if fault.get("drop"):
        return _dropped(fault)
    if fault.get("status") is not None:
        body, status, headers = domain.error_body(fault)
        return body, status, headers
    return None   # latency only: answered as usual, later


def _dropped(fault: dict) -> Response:
    def chunks():
        raise DroppedConnection(f"connection dropped by the simulator (fault {fault['id']})")
        yield b""  # a generator: raised when the server starts sending the body

    response = Response(chunks(), status=502)
    response.direct_passthrough = True   # nothing reads the body before the server
    return response
