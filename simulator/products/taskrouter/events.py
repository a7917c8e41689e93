"""TaskRouter Events: /v1/Workspaces/{WorkspaceSid}/Events, the workspace's log of state changes.

A list covers ``Minutes`` (default 15) before ``EndDate`` (default now), or ``StartDate`` to
``EndDate``, on the simulator clock, newest first. Every event is shown as caused by its
workspace (``actor_type`` ``workspace``), from ``source`` ``twilio``; the simulator does not
record a caller's IP address (``source_ip_address`` is null).
"""
from __future__ import annotations

from ...current import sim
from ...domain.taskrouter import events
from ...wire import integer, list_v1, text
from . import bp, workspace_of, ws_url

_RESOURCE_PATHS = {"WT": "/Tasks/{sid}", "WK": "/Workers/{sid}", "WQ": "/TaskQueues/{sid}",
                   "WW": "/Workflows/{sid}", "WA": "/Activities/{sid}",
                   "TC": "/TaskChannels/{sid}", "WS": ""}


def _resource_url(e: dict) -> str | None:
    """The URL of the resource the event is about (by its SID; a reservation under its task)."""
    sid, data = e["resource_sid"], e["event_data"]
    if sid.startswith("WR"):
        if data.get("task_sid"):
            return ws_url(e["workspace_sid"], f"/Tasks/{data['task_sid']}/Reservations/{sid}")
        if data.get("worker_sid"):
            return ws_url(e["workspace_sid"], f"/Workers/{data['worker_sid']}/Reservations/{sid}")
        return None
    path = _RESOURCE_PATHS.get(sid[:2])
    return None if path is None else ws_url(e["workspace_sid"], path.format(sid=sid))


def to_wire(e: dict, ws: dict) -> dict:
    ws_sid = e["workspace_sid"]
    return {
        "account_sid": e["account_sid"],
        "actor_sid": ws_sid,
        "actor_type": "workspace",
        "actor_url": ws_url(ws_sid),
        "description": e["description"],
        "event_data": {**e["event_data"], "workspace_sid": ws_sid,
                       "workspace_name": ws["friendly_name"]},
        "event_date": e["event_date"],
        "event_date_ms": e["event_date_ms"],
        "event_type": e["event_type"],
        "resource_sid": e["resource_sid"],
        "resource_type": e["resource_type"],
        "resource_url": _resource_url(e),
        "sid": e["sid"],
        "source": "twilio",
        "source_ip_address": None,
        "url": ws_url(ws_sid, f"/Events/{e['sid']}"),
        "workspace_sid": ws_sid,
    }


@bp.get("/Workspaces/<ws_sid>/Events")
def list_events(ws_sid):
    ws = workspace_of(ws_sid)
    start, end = events.window(sim(), minutes=integer("Minutes", minimum=1),
                               start_date=text("StartDate"), end_date=text("EndDate"))
    fetch = events.list_events(
        sim(), ws_sid, start=start, end=end, event_type=text("EventType"),
        task_sid=text("TaskSid"), worker_sid=text("WorkerSid"), workflow_sid=text("WorkflowSid"),
        task_queue_sid=text("TaskQueueSid"), reservation_sid=text("ReservationSid"),
        task_channel=text("TaskChannel"), sid=text("Sid"))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Events", "events", fetch,
                   lambda e: to_wire(e, ws))


@bp.get("/Workspaces/<ws_sid>/Events/<sid>")
def fetch_event(ws_sid, sid):
    ws = workspace_of(ws_sid)
    return to_wire(events.event_of(sim(), ws_sid, sid), ws)
