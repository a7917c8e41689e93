"""TaskRouter events: every state change of a workspace is recorded as an Event (the Events
resource) and, when the workspace has an ``EventCallbackUrl`` whose ``EventsFilter`` lets it
through, POSTed there, signed like every Twilio webhook.

Event data is kept in the Events resource's snake_case (``worker_activity_name``); the callback
carries the same fields in Twilio's CamelCase form parameters (``WorkerActivityName``) with the
common ``EventType, AccountSid, WorkspaceSid, WorkspaceName, EventDescription, ResourceType,
ResourceSid, Timestamp`` (flex-routing.md §C).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from ...dates import parse_iso, parse_param
from ...errors import TwilioError
from ..webhooks import deliver
from .hooks import listeners
from .session import after_commit

RESOURCE_TYPES = {"task": "Task", "reservation": "Reservation", "worker": "Worker",
                  "activity": "Activity", "workflow": "Workflow", "workspace": "Workspace",
                  "task-queue": "TaskQueue", "task-channel": "TaskChannel"}


def _camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def task_fields(s, task: dict) -> dict:
    """The "Task" field group of an event."""
    age = int((s.clock.now() - parse_iso(task["date_created"])).total_seconds())
    return {
        "task_sid": task["sid"], "task_attributes": task["attributes"], "task_age": age,
        "task_priority": task["priority"], "task_assignment_status": task["assignment_status"],
        "task_canceled_reason": task["reason"] if task["assignment_status"] == "canceled" else None,
        "task_completed_reason": task["reason"] if task["assignment_status"] == "completed" else None,
        "task_channel_sid": task["task_channel_sid"],
        "task_channel_unique_name": task["task_channel_unique_name"],
        "task_queue_sid": task["task_queue_sid"], "workflow_sid": task["workflow_sid"],
    }


def worker_fields(s, worker: dict) -> dict:
    """The "Worker" field group of an event."""
    activity = s.store.get("tr_activities", worker["activity_sid"]) or {}
    return {
        "worker_sid": worker["sid"], "worker_name": worker["friendly_name"],
        "worker_attributes": worker["attributes"], "worker_activity_sid": worker["activity_sid"],
        "worker_activity_name": activity.get("friendly_name"),
        "worker_version": str(worker.get("version", 0)),
    }


def _wanted(events_filter: str | None, event_type: str) -> bool:
    if not events_filter:
        return True
    return event_type in {e.strip() for e in events_filter.split(",")}


def emit(s, workspace_sid: str, event_type: str, resource_sid: str, description: str,
         data: dict | None = None) -> dict:
    """Record one event and, after the change that caused it is complete, POST it to the
    workspace's ``EventCallbackUrl``."""
    ws = s.store.get("tr_workspaces", workspace_sid)
    now = s.clock.now()
    resource = event_type.split(".")[0]
    data = {k: v for k, v in (data or {}).items() if v is not None}
    event = s.store.insert("tr_events", {
        "sid": s.ids.sid("EV"), "account_sid": ws["account_sid"], "workspace_sid": workspace_sid,
        "event_type": event_type, "resource_type": resource.replace("-", "_"),
        "resource_sid": resource_sid, "description": description, "event_data": data,
        "event_date": s.now(), "event_date_ms": int(now.timestamp() * 1000),
    })
    url = ws.get("event_callback_url")
    if url and _wanted(ws.get("events_filter"), event_type):
        params = {
            "Sid": event["sid"], "EventType": event_type, "AccountSid": ws["account_sid"],
            "WorkspaceSid": workspace_sid, "WorkspaceName": ws["friendly_name"],
            "EventDescription": description, "ResourceType": RESOURCE_TYPES.get(resource, resource),
            "ResourceSid": resource_sid, "Timestamp": str(int(now.timestamp())),
            "TimestampMs": str(event["event_date_ms"]),
        }
        for key, value in data.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (dict, list)):
                value = json.dumps(value)
            params[_camel(key)] = value
        after_commit(s, lambda: deliver(s, ws["account_sid"], url, params,
                                        kind="taskrouter-event", resource_sid=resource_sid))
    for listener in listeners(event_type):   # other domain modules reacting (hooks.py)
        after_commit(s, lambda fn=listener: fn(s, event))
    return event


# -- the Events resource: queries ------------------------------------------------------------
WINDOW_MINUTES_DEFAULT = 15


def window(s, *, minutes: int | None = None, start_date: str | None = None,
           end_date: str | None = None) -> tuple[datetime, datetime]:
    """The interval an Events list or a cumulative statistic covers, on the simulator clock:
    ``EndDate`` (default now) back to ``StartDate``, or else ``Minutes`` (default 15) before
    the end."""
    end = parse_param(end_date, "EndDate") if end_date else s.clock.now()
    if start_date:
        start = parse_param(start_date, "StartDate")
    else:
        try:
            start = end - timedelta(minutes=WINDOW_MINUTES_DEFAULT if minutes is None else minutes)
        except OverflowError:  # further back than the year 1
            raise TwilioError.invalid("Minutes", "reaches back before the year 1") from None
    if start > end:
        raise TwilioError.invalid("StartDate", "must not be after EndDate")
    return start, end


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def event_of(s, workspace_sid: str, sid: str) -> dict:
    event = s.store.get("tr_events", sid)
    if event is None or event["workspace_sid"] != workspace_sid:
        raise TwilioError.not_found()
    return event


def _about(event: dict, field: str, sid: str) -> bool:
    """The event concerns ``sid`` (its resource, or the ``field`` of its data)."""
    return event["resource_sid"] == sid or event["event_data"].get(field) == sid


def list_events(s, workspace_sid: str, *, start: datetime, end: datetime,
                event_type: str | None = None, task_sid: str | None = None,
                worker_sid: str | None = None, workflow_sid: str | None = None,
                task_queue_sid: str | None = None, reservation_sid: str | None = None,
                task_channel: str | None = None, sid: str | None = None):
    """The workspace's events in the window matching every filter given, newest first (the
    ``fetch`` a list envelope pages with). ``TaskChannel`` is a TaskChannel SID or unique name."""
    lo, hi = _ms(start), _ms(end)
    related = [(f, v) for f, v in (("task_sid", task_sid), ("worker_sid", worker_sid),
                                   ("workflow_sid", workflow_sid),
                                   ("task_queue_sid", task_queue_sid),
                                   ("reservation_sid", reservation_sid)) if v]

    def where(e):
        if not lo <= e["event_date_ms"] <= hi:
            return False
        if (event_type and e["event_type"] != event_type) or (sid and e["sid"] != sid):
            return False
        if task_channel and task_channel not in (e["event_data"].get("task_channel_sid"),
                                                 e["event_data"].get("task_channel_unique_name")):
            return False
        return all(_about(e, f, v) for f, v in related)

    return s.store.pager("tr_events", workspace_sid, where=where, newest_first=True)


def events_between(s, workspace_sid: str, start_ms: int | None, end_ms: int,
                   types: set[str] | None = None, where=None) -> list[dict]:
    """The workspace's events of ``types`` (default: all) from ``start_ms`` (None: the first)
    to ``end_ms`` that ``where`` keeps, oldest first (for statistics)."""
    lo = float("-inf") if start_ms is None else start_ms
    return s.store.owned("tr_events", workspace_sid, where=lambda e: (
        lo <= e["event_date_ms"] <= end_ms and (types is None or e["event_type"] in types)
        and (where is None or where(e))))
