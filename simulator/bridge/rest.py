"""The event bridge's REST endpoint (``ebServer``): every call of the ``twilio-taskrouter``
SDK is one POST whose raw body is a JSON string ``{"url", "method", "params", "token"}``
(``lib/util/Request.js``); ``url`` is a TaskRouter path under the workspace
(``Workspaces/WS…/Workers/WK…``), ``params`` its parameters as JSON values (``Attributes`` as an
object), the token the Worker's Access Token. The answer is ``{"payload": …}`` in the shapes of
``shapes.py``; lists answer ``{"contents": [...], "after_sid"}`` and page with ``AfterSid``.
Errors are Twilio's body (the SDK reads its ``message``).

What a Worker's app does: fetch and update its Worker (activity, attributes), list the
workspace's Activities, its channels (and set their capacity or availability), its active
Reservations, answer them (accept, reject, wrap-up, complete, and the call, dequeue, redirect
and conference instructions), fetch and update Tasks (complete, wrap up, attributes) and create
one routed to itself. A Worker's token reaches only its own Worker; a supervisor's or an
admin's every Worker of the workspace.
"""
from __future__ import annotations

import json
import re

from flask import Blueprint, request

from ..current import sim
from ..domain.taskrouter import (activities, instructions, reservations, tasks, workers,
                                 workspaces)
from ..domain.taskrouter.event_bridge import EB_PATH, check_access, verify_token
from ..errors import TwilioError
from ..paging import in_order
from ..rules import taskrouter as rules
from ..wire import parse_json
from . import shapes

event_bridge = Blueprint("event_bridge", __name__, url_prefix=EB_PATH)

PAGE_SIZE_MAX = 1000
# REST parameters the SDK sends under names of its own (lib/util/Constants.js)
SDK_NAMES = {"DequeueStatusCallbackEvent": "DequeueStatusCallbackEvents"}
ROUTES: list = []


def route(method: str, pattern: str):
    """``pattern``: the TaskRouter path under /v1, with ``{name}`` for one segment."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(fn):
        ROUTES.append((method, regex, fn))
        return fn
    return register


# -- the parameters: JSON values ---------------------------------------------------------------
class Params:
    """The ``params`` object of a call: strings, numbers, booleans, objects."""

    def __init__(self, values: dict):
        self.values = values

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return str(value)

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise TwilioError.invalid(name, "must be true or false")

    def integer(self, name: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TwilioError.invalid(name, "must be a whole number")
        TwilioError.check_range(name, value, minimum, maximum)
        return value

    def choice(self, name: str, allowed) -> str | None:
        value = self.text(name)
        if value is not None and value not in allowed:
            raise TwilioError.invalid(name, "must be one of " + ", ".join(allowed))
        return value

    def attributes(self, name: str = "Attributes") -> str | None:
        """An object, or a JSON string of one."""
        value = self.values.get(name)
        if value is None:
            return None
        text = value if isinstance(value, str) else json.dumps(value)
        rules.attributes_json(text, name)
        return text

    def events(self, name: str) -> list[str] | None:
        """A list, or a comma-separated string (under the SDK's name, if it has its own)."""
        value = self.values.get(name, self.values.get(SDK_NAMES.get(name, "")))
        if value is None:
            return None
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(v).strip() for v in items if str(v).strip()] or None


class Call:
    """One call of the SDK: the verified grant, the path's parts, the parameters."""

    def __init__(self, s, grant, path: dict, params: Params, if_match: str | None):
        self.s, self.grant, self.path, self.params, self.if_match = s, grant, path, params, if_match

    def worker(self) -> dict:
        ws, sid = self.path["ws"], self.path["worker"]
        check_access(self.grant, ws, sid)
        return workers.worker_of(self.s, ws, sid)

    def activity(self, name: str) -> str | None:
        sid = self.params.text(name)
        return None if sid is None else activities.own_activity(self.s, self.path["ws"], sid, name)


def page(call: Call, records: list[dict], render) -> dict:
    """``{"contents", "after_sid"}``: ``PageSize`` records after ``AfterSid``."""
    size = call.params.integer("PageSize", minimum=1, maximum=PAGE_SIZE_MAX) or 50
    found = in_order(records)(call.params.text("AfterSid"), 0, size + 1)
    more = len(found) > size
    found = found[:size]
    return {"contents": [render(r) for r in found],
            "after_sid": found[-1]["sid"] if more and found else None}


# -- the endpoint --------------------------------------------------------------------------------
# Agent apps run in browsers on other origins: the endpoint answers CORS. The token travels in
# the body, never as an ambient credential (cookies, Basic auth), so any origin may call it.
CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "POST",
             "Access-Control-Allow-Headers": "apiVersion, clientVersion, If-Match, Content-Type",
             "Access-Control-Max-Age": "600"}


@event_bridge.route("", methods=["OPTIONS"])
def preflight():
    return "", 204, PREFLIGHT


@event_bridge.after_request
def allow_any_origin(response):
    response.headers.update(CORS)
    return response


@event_bridge.post("")
def call():
    s = sim()
    try:
        body = parse_json(request.get_data(cache=True) or b"{}")
    except TwilioError:
        raise TwilioError(20422, "The event bridge takes a JSON object "
                                 "{url, method, params, token}") from None
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise TwilioError(20422, "The event bridge takes a JSON object "
                                 "{url, method, params, token}")
    grant = verify_token(s, body.get("token"))
    method = str(body.get("method") or "GET").upper()
    params = body.get("params") or {}
    if not isinstance(params, dict):
        raise TwilioError.invalid("params", "must be an object")
    url = body["url"].strip("/")
    url = url[3:] if url.startswith("v1/") or url.startswith("v2/") else url
    for verb, regex, handler in ROUTES:
        m = regex.match(url)
        if m and verb == method:
            ws = m.group("ws")
            check_access(grant, ws)
            found = handler(Call(s, grant, m.groupdict(), Params(params),
                                 request.headers.get("If-Match")))
            return {"payload": found}
    raise TwilioError.not_found(f"/v1/{url} ({method}) on the event bridge")


# -- Workers -------------------------------------------------------------------------------------
@route("GET", "Workspaces/{ws}/Workers/{worker}")
def fetch_worker(c: Call):
    return shapes.worker(c.s, c.worker())


@route("POST", "Workspaces/{ws}/Workers/{worker}")
def update_worker(c: Call):
    worker = c.worker()
    name = rules.check_friendly_name(c.params.text("FriendlyName"), required=False)
    workers.check_worker_name(c.s, c.path["ws"], name, worker["friendly_name"])
    attributes = c.params.attributes()
    worker = workers.update_worker(
        c.s, worker, friendly_name=name,
        attributes=None if attributes is None else json.loads(attributes),
        activity_sid=c.activity("ActivitySid"),
        reject_pending=c.params.boolean("RejectPendingReservations", False),
        if_match=c.if_match)
    return shapes.worker(c.s, worker)


@route("GET", "Workspaces/{ws}/Activities")
def list_activities(c: Call):
    return page(c, activities.activities_of(c.s, c.path["ws"]), shapes.activity)


# -- a Worker's channels ---------------------------------------------------------------------------
@route("GET", "Workspaces/{ws}/Workers/{worker}/WorkerChannels")
@route("GET", "Workspaces/{ws}/Workers/{worker}/Channels")
def list_channels(c: Call):
    worker = c.worker()
    return page(c, workers.worker_channels_of(c.s, worker["sid"]),
                lambda wc: shapes.channel(c.s, wc))


@route("GET", "Workspaces/{ws}/Workers/{worker}/WorkerChannels/{channel}")
@route("GET", "Workspaces/{ws}/Workers/{worker}/Channels/{channel}")
def fetch_channel(c: Call):
    worker = c.worker()
    return shapes.channel(c.s, workers.worker_channel_of(c.s, worker["sid"], c.path["channel"]))


@route("POST", "Workspaces/{ws}/Workers/{worker}/WorkerChannels/{channel}")
@route("POST", "Workspaces/{ws}/Workers/{worker}/Channels/{channel}")
def update_channel(c: Call):
    worker = c.worker()
    wc = workers.worker_channel_of(c.s, worker["sid"], c.path["channel"])
    changes = {}
    capacity = c.params.integer("Capacity", minimum=0, maximum=50)
    if capacity is not None:
        changes["configured_capacity"] = capacity
    available = c.params.boolean("Available")
    if available is not None:
        changes["available"] = available
    return shapes.channel(c.s, workers.update_worker_channel(c.s, wc, changes))


# -- Reservations ----------------------------------------------------------------------------------
@route("GET", "Workspaces/{ws}/Workers/{worker}/Reservations")
def list_reservations(c: Call):
    worker = c.worker()
    status = c.params.choice("ReservationStatus", rules.RESERVATION_STATUSES)
    active = c.params.boolean("Active", False)
    fetch = reservations.reservations_of_worker(c.s, worker["sid"], status)
    found = [r for r in fetch(None, 0, 10**9)
             if not active or r["reservation_status"] in shapes.ACTIVE]
    return page(c, found, lambda r: shapes.reservation(c.s, r))


def _reservation(c: Call) -> dict:
    ws = c.path["ws"]
    if "worker" in c.path:
        c.worker()
        return reservations.reservation_of(c.s, ws, c.path["reservation"],
                                           worker_sid=c.path["worker"])
    r = reservations.reservation_of(c.s, ws, c.path["reservation"], task_sid=c.path["task"])
    check_access(c.grant, ws, r["worker_sid"])
    return r


@route("GET", "Workspaces/{ws}/Workers/{worker}/Reservations/{reservation}")
@route("GET", "Workspaces/{ws}/Tasks/{task}/Reservations/{reservation}")
def fetch_reservation(c: Call):
    return shapes.reservation(c.s, _reservation(c))


@route("POST", "Workspaces/{ws}/Workers/{worker}/Reservations/{reservation}")
@route("POST", "Workspaces/{ws}/Tasks/{task}/Reservations/{reservation}")
def update_reservation(c: Call):
    r = _reservation(c)
    return shapes.reservation(c.s, instructions.respond(c.s, r, c.params, if_match=c.if_match))


# -- Tasks -----------------------------------------------------------------------------------------
def _task(c: Call) -> dict:
    return tasks.task_of(c.s, c.path["ws"], c.path["task"])


@route("GET", "Workspaces/{ws}/Tasks/{task}")
def fetch_task(c: Call):
    return shapes.task(c.s, _task(c))


@route("POST", "Workspaces/{ws}/Tasks/{task}")
def update_task(c: Call):
    p = c.params
    task = tasks.update_task(
        c.s, _task(c), attributes=p.attributes(),
        priority=p.integer("Priority", minimum=0, maximum=2**31 - 1),
        task_channel=p.text("TaskChannel"),
        assignment_status=p.choice("AssignmentStatus", rules.TASK_STATUSES),
        reason=p.text("Reason"), virtual_start_time=p.text("VirtualStartTime"),
        if_match=c.if_match)
    return shapes.task(c.s, task)


@route("POST", "Workspaces/{ws}/Tasks")
def create_task(c: Call):
    """``Worker.createTask``: a Task routed to the Worker itself (``RoutingTarget``)."""
    p = c.params
    target = p.text("RoutingTarget")
    if target and target.startswith("WK"):
        check_access(c.grant, c.path["ws"], target)
    ws = workspaces.workspace_of(c.s, c.grant.account_sid, c.path["ws"])
    task = tasks.create_task(
        c.s, ws, attributes=p.attributes(),
        priority=p.integer("Priority", minimum=0, maximum=2**31 - 1),
        timeout=p.integer("Timeout"),
        task_channel=p.text("TaskChannelUniqueName") or p.text("TaskChannelSid")
        or p.text("TaskChannel"),
        workflow_sid=p.text("WorkflowSid"), routing_target=target,
        virtual_start_time=p.text("VirtualStartTime"), task_queue_sid=p.text("TaskQueueSid"))
    return shapes.task(c.s, task)
