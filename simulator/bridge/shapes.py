"""What the event bridge sends: records in the shape the ``twilio-taskrouter`` SDK's
descriptors read (``lib/descriptors/*.js``): snake_case, dates in epoch seconds (a channel's
``last_reserved_time`` in milliseconds), ``attributes`` and ``addons`` as JSON strings, a
``version`` on workers, tasks and reservations, a reservation's task nested in it.

The SDK refuses a record missing one of its properties, so every one is always present
(``None`` where there is nothing to say).
"""
from __future__ import annotations

from ..dates import parse_iso
from ..domain.taskrouter import activities, reservations, task_queues, tasks, workflows
from ..errors import TwilioError
from ..rules.taskrouter import TASK_RESERVATION_TIMEOUT_DEFAULT

ACTIVE = ("pending", "accepted", "wrapping")
# a reservation event's type -> the reservation's status it reports
STATUS_OF_EVENT = {"created": "pending", "accepted": "accepted", "rejected": "rejected",
                   "timeout": "timeout", "canceled": "canceled", "rescinded": "rescinded",
                   "completed": "completed", "wrapup": "wrapping"}


def epoch(value: str | None) -> int | None:
    return int(parse_iso(value).timestamp()) if value else None


def _name(lookup, s, ws_sid: str, sid: str | None) -> str | None:
    if not sid:
        return None
    try:
        return lookup(s, ws_sid, sid)["friendly_name"]
    except TwilioError:   # deleted since
        return None


def activity(a: dict) -> dict:
    return {"account_sid": a["account_sid"], "available": a["available"],
            "date_created": epoch(a["date_created"]), "date_updated": epoch(a["date_updated"]),
            "friendly_name": a["friendly_name"], "sid": a["sid"],
            "workspace_sid": a["workspace_sid"]}


def worker(s, w: dict, at_event: dict | None = None) -> dict:
    """A Worker; ``at_event``: an event's data, whose activity, attributes and version (as
    they were when it happened) take the place of the current ones."""
    at_event = at_event or {}
    activity_sid = at_event.get("worker_activity_sid") or w["activity_sid"]
    found = activities.activity(s, activity_sid)
    return {
        "account_sid": w["account_sid"],
        "activity_name": found["friendly_name"] if found else None,
        "activity_sid": activity_sid,
        "attributes": at_event.get("worker_attributes", w["attributes"]),
        "available": bool(found and found["available"]),
        "date_created": epoch(w["date_created"]),
        "date_status_changed": epoch(w["date_status_changed"]),
        "date_updated": epoch(w["date_updated"]),
        "friendly_name": w["friendly_name"],
        "sid": w["sid"],
        "workspace_sid": w["workspace_sid"],
        "version": str(at_event.get("worker_version", w.get("version", 0))),
    }


def _last_reserved_ms(s, wc: dict) -> int | None:
    fetch = reservations.reservations_of_worker(s, wc["worker_sid"])
    times = [r["date_created"] for r in fetch(None, 0, 10**9)
             if r["task_channel_unique_name"] == wc["task_channel_unique_name"]]
    return epoch(max(times)) * 1000 if times else None


def channel(s, wc: dict) -> dict:
    cap = wc["configured_capacity"]
    held = wc["assigned_tasks"] + wc.get("reserved_tasks", 0)
    return {
        "account_sid": wc["account_sid"],
        "assigned_tasks": wc["assigned_tasks"],
        "available": wc["available"],
        "available_capacity_percentage":
            max(100 * (cap - held) // cap, 0) if cap and wc["available"] else 0,
        "configured_capacity": cap,
        "date_created": epoch(wc["date_created"]),
        "date_updated": epoch(wc["date_updated"]),
        "last_reserved_time": _last_reserved_ms(s, wc),
        "sid": wc["sid"],
        "task_channel_sid": wc["task_channel_sid"],
        "task_channel_unique_name": wc["task_channel_unique_name"],
        "worker_sid": wc["worker_sid"],
        "workspace_sid": wc["workspace_sid"],
    }


def task(s, t: dict, at_event: dict | None = None) -> dict:
    """A Task; ``at_event``: an event's data, whose status, attributes and reason win."""
    at_event = at_event or {}
    ws = t["workspace_sid"]
    status = at_event.get("task_assignment_status", t["assignment_status"])
    reason = at_event.get("task_canceled_reason") or at_event.get("task_completed_reason") \
        or t["reason"]
    return {
        "account_sid": t["account_sid"],
        "addons": t.get("addons") or "{}",
        "age": tasks.age(s, t),
        "assignment_status": status,
        "attributes": at_event.get("task_attributes", t["attributes"]),
        "date_created": epoch(t["date_created"]),
        "date_updated": epoch(t["date_updated"]),
        "priority": t["priority"],
        "queue_name": _name(task_queues.task_queue_of, s, ws, t["task_queue_sid"]),
        "queue_sid": t["task_queue_sid"],
        "reason": reason,
        "routing_target": t.get("routing_target"),
        "sid": t["sid"],
        "task_channel_sid": t["task_channel_sid"],
        "task_channel_unique_name": t["task_channel_unique_name"],
        "timeout": t["timeout"],
        "workflow_name": _name(workflows.workflow_of, s, ws, t["workflow_sid"]),
        "workflow_sid": t["workflow_sid"],
        "workspace_sid": ws,
        "version": str(t.get("version", 0)),
        "virtual_start_time": epoch(t.get("virtual_start_time") or t["date_created"]),
    }


def _reservation_timeout(s, r: dict) -> int:
    if r.get("workflow_sid"):
        try:
            found = workflows.workflow_of(s, r["workspace_sid"], r["workflow_sid"])
            return found.get("task_reservation_timeout", TASK_RESERVATION_TIMEOUT_DEFAULT)
        except TwilioError:
            pass
    return TASK_RESERVATION_TIMEOUT_DEFAULT


def reservation(s, r: dict, *, status: str | None = None, at_event: dict | None = None) -> dict:
    """A Reservation with its Task; ``status`` (from the event being told) wins over the
    current one."""
    try:
        t = tasks.task_of(s, r["workspace_sid"], r["task_sid"])
    except TwilioError:   # purged
        t = None
    return {
        "account_sid": r["account_sid"],
        "date_created": epoch(r["date_created"]),
        "date_updated": epoch(r["date_updated"]),
        "reservation_status": status or r["reservation_status"],
        "reservation_timeout": _reservation_timeout(s, r),
        "sid": r["sid"],
        "task": task(s, t, at_event) if t else None,
        "task_sid": r["task_sid"],
        "worker_name": r["worker_name"],
        "worker_sid": r["worker_sid"],
        "workspace_sid": r["workspace_sid"],
        "version": str(r.get("version", 0)),
    }
