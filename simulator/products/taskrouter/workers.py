"""TaskRouter Workers and their Channels: /v1/Workspaces/{WorkspaceSid}/Workers."""
from __future__ import annotations

from flask import request

from ...current import sim
from ...domain.taskrouter import activities, workers
from ...rules import taskrouter as rules
from ...wire import boolean, integer, list_v1, text
from . import activity_param, bp, workspace_of, ws_url


def to_wire(w: dict) -> dict:
    ws, sid = w["workspace_sid"], w["sid"]
    activity = activities.activity(sim(), w["activity_sid"])
    base = f"/Workers/{sid}"
    return {
        "account_sid": w["account_sid"],
        "activity_name": activity["friendly_name"] if activity else None,
        "activity_sid": w["activity_sid"],
        "attributes": w["attributes"],
        "available": bool(activity and activity["available"]),
        "date_created": w["date_created"],
        "date_status_changed": w["date_status_changed"],
        "date_updated": w["date_updated"],
        "friendly_name": w["friendly_name"],
        "sid": sid,
        "workspace_sid": ws,
        "url": ws_url(ws, base),
        "links": {"channels": ws_url(ws, base + "/Channels"),
                  "worker_channels": ws_url(ws, base + "/Channels"),
                  "activity": ws_url(ws, f"/Activities/{w['activity_sid']}"),
                  "workspace": ws_url(ws),
                  "statistics": ws_url(ws, "/Workers/Statistics"),
                  "real_time_statistics": ws_url(ws, "/Workers/RealTimeStatistics"),
                  "cumulative_statistics": ws_url(ws, "/Workers/CumulativeStatistics"),
                  "worker_statistics": ws_url(ws, base + "/Statistics"),
                  "reservations": ws_url(ws, base + "/Reservations")},
    }


@bp.post("/Workspaces/<ws_sid>/Workers")
def create_worker(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    attributes = text("Attributes")
    rules.attributes_json(attributes)   # a JSON object; kept as the string sent
    activity_sid = activity_param(ws_sid, "ActivitySid")
    workers.check_worker_name(sim(), ws_sid, name)
    worker = workers.new_worker(sim(), ws, name, attributes=attributes, activity_sid=activity_sid)
    return to_wire(worker), 201


@bp.get("/Workspaces/<ws_sid>/Workers")
def list_workers(ws_sid):
    workspace_of(ws_sid)
    activity_name = text("ActivityName")
    activity_sid = text("ActivitySid")
    available = boolean("Available")
    name = text("FriendlyName")
    expression = text("TargetWorkersExpression")
    if expression:
        rules.parse_expression(expression, "TargetWorkersExpression")
    queue_name, queue_sid = text("TaskQueueName"), text("TaskQueueSid")
    ordering = rules.parse_ordering(text("Ordering"), ("DateCreated", "DateStatusChanged"))
    fetch = workers.list_workers(sim(), ws_sid, activity_sid=activity_sid,
                                 activity_name=activity_name, available=available,
                                 friendly_name=name, expression=expression,
                                 queue_name=queue_name, queue_sid=queue_sid, ordering=ordering)
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workers", "workers", fetch, to_wire)


@bp.get("/Workspaces/<ws_sid>/Workers/<sid>")
def fetch_worker(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(workers.worker_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Workers/<sid>")
def update_worker(ws_sid, sid):
    workspace_of(ws_sid)
    worker = workers.worker_of(sim(), ws_sid, sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    workers.check_worker_name(sim(), ws_sid, name, worker["friendly_name"])
    attributes = text("Attributes")
    rules.attributes_json(attributes)   # a JSON object; kept as the string sent
    activity_sid = activity_param(ws_sid, "ActivitySid")
    reject_pending = boolean("RejectPendingReservations", False)
    return to_wire(workers.update_worker(sim(), worker, friendly_name=name,
                                         attributes=attributes, activity_sid=activity_sid,
                                         reject_pending=reject_pending,
                                         if_match=request.headers.get("If-Match")))


@bp.delete("/Workspaces/<ws_sid>/Workers/<sid>")
def delete_worker(ws_sid, sid):
    workspace_of(ws_sid)
    workers.delete_worker(sim(), workers.worker_of(sim(), ws_sid, sid))
    return "", 204


# -- Worker Channels ------------------------------------------------------------------
def capacity_percentage(c: dict) -> int:
    """floor((1 - (assigned + reserved) / configured) * 100) on an available channel, else 0."""
    cap = c["configured_capacity"]
    if not cap or not c["available"]:
        return 0
    held = c["assigned_tasks"] + c.get("reserved_tasks", 0)
    return max(100 * (cap - held) // cap, 0)


def channel_to_wire(c: dict) -> dict:
    cap = c["configured_capacity"]
    return {
        "account_sid": c["account_sid"],
        "assigned_tasks": c["assigned_tasks"],
        "available": c["available"],
        "available_capacity_percentage": capacity_percentage(c),
        "configured_capacity": cap,
        "date_created": c["date_created"],
        "date_updated": c["date_updated"],
        "sid": c["sid"],
        "task_channel_sid": c["task_channel_sid"],
        "task_channel_unique_name": c["task_channel_unique_name"],
        "worker_sid": c["worker_sid"],
        "workspace_sid": c["workspace_sid"],
        "url": ws_url(c["workspace_sid"], f"/Workers/{c['worker_sid']}/Channels/{c['sid']}"),
    }


def _worker_channel(ws_sid: str, worker_sid: str, sid: str) -> dict:
    """A worker's channel by its WC SID, its task channel's TC SID or unique name."""
    workspace_of(ws_sid)
    workers.worker_of(sim(), ws_sid, worker_sid)
    return workers.worker_channel_of(sim(), worker_sid, sid)


@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Channels")
def list_worker_channels(ws_sid, worker_sid):
    workspace_of(ws_sid)
    workers.worker_of(sim(), ws_sid, worker_sid)
    fetch = workers.list_worker_channels(sim(), worker_sid)
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workers/{worker_sid}/Channels",
                   "channels", fetch, channel_to_wire)


@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Channels/<sid>")
def fetch_worker_channel(ws_sid, worker_sid, sid):
    return channel_to_wire(_worker_channel(ws_sid, worker_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Workers/<worker_sid>/Channels/<sid>")
def update_worker_channel(ws_sid, worker_sid, sid):
    wc = _worker_channel(ws_sid, worker_sid, sid)
    changes = {}
    capacity = integer("Capacity", minimum=0, maximum=50)
    if capacity is not None:
        changes["configured_capacity"] = capacity
    available = boolean("Available")
    if available is not None:
        changes["available"] = available
    return channel_to_wire(workers.update_worker_channel(sim(), wc, changes))
