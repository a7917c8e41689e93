"""TaskRouter Workers and their Channels: /v1/Workspaces/{WorkspaceSid}/Workers."""
from __future__ import annotations

import json

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import boolean, integer, list_v1, paged, text
from . import bp, child_of, workspace_of, ws_url

DEFAULT_CAPACITY = 1


def new_worker_channel(worker: dict, channel: dict, capacity: int = DEFAULT_CAPACITY,
                       available: bool = True) -> dict:
    s = sim()
    now = s.now()
    return s.store.insert("tr_worker_channels", {
        "sid": s.ids.sid("WC"), "account_sid": worker["account_sid"],
        "workspace_sid": worker["workspace_sid"], "worker_sid": worker["sid"],
        "task_channel_sid": channel["sid"], "task_channel_unique_name": channel["unique_name"],
        "configured_capacity": capacity, "available": available, "assigned_tasks": 0,
        "date_created": now, "date_updated": now,
    })


def new_worker(ws: dict, friendly_name: str, *, attributes: dict | None = None,
               activity_sid: str | None = None, capacities: dict | None = None) -> dict:
    """A worker in ``activity_sid`` (default: the workspace's default activity) with
    a channel per TaskChannel; ``capacities`` maps unique name -> (capacity, available)."""
    s = sim()
    activity = s.store.require("tr_activities", activity_sid or ws["default_activity_sid"])
    now = s.now()
    worker = s.store.insert("tr_workers", {
        "sid": s.ids.sid("WK"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "attributes": json.dumps(attributes or {}),
        "activity_sid": activity["sid"],
        "date_created": now, "date_updated": now, "date_status_changed": now,
    })
    capacities = capacities or {}
    for channel in s.store.owned("tr_task_channels", ws["sid"]):
        cap, avail = capacities.get(channel["unique_name"], (DEFAULT_CAPACITY, True))
        new_worker_channel(worker, channel, cap, avail)
    return worker


def set_capacities(worker: dict, capacities: dict):
    """Update a worker's channels: unique name -> (capacity, available)."""
    store = sim().store
    for wc in store.owned("tr_worker_channels", worker["sid"]):
        if wc["task_channel_unique_name"] in capacities:
            cap, avail = capacities[wc["task_channel_unique_name"]]
            store.update("tr_worker_channels", wc["sid"], {
                "configured_capacity": cap, "available": avail, "date_updated": sim().now()})


def _activity(sid):
    return sim().store.get("tr_activities", sid)


def to_wire(w: dict) -> dict:
    ws, sid = w["workspace_sid"], w["sid"]
    activity = _activity(w["activity_sid"])
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
                  "activity": ws_url(ws, f"/Activities/{w['activity_sid']}"),
                  "workspace": ws_url(ws),
                  "statistics": ws_url(ws, "/Workers/Statistics"),
                  "real_time_statistics": ws_url(ws, "/Workers/RealTimeStatistics"),
                  "cumulative_statistics": ws_url(ws, "/Workers/CumulativeStatistics"),
                  "worker_statistics": ws_url(ws, base + "/Statistics"),
                  "reservations": ws_url(ws, base + "/Reservations")},
    }


def _activity_param(ws_sid: str):
    sid = text("ActivitySid")
    if sid is None:
        return None
    a = _activity(sid)
    if a is None or a["workspace_sid"] != ws_sid:
        raise TwilioError.invalid("ActivitySid", f"{sid} is not an Activity of this workspace")
    return sid


@bp.post("/Workspaces/<ws_sid>/Workers")
def create_worker(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    attributes = rules.attributes_json(text("Attributes"))
    activity_sid = _activity_param(ws_sid)
    if sim().store.owned("tr_workers", ws_sid, where=lambda w: w["friendly_name"] == name,
                         limit=1):
        raise TwilioError(20409, f"A Worker named {name!r} already exists in this workspace")
    return to_wire(new_worker(ws, name, attributes=attributes, activity_sid=activity_sid)), 201


@bp.get("/Workspaces/<ws_sid>/Workers")
def list_workers(ws_sid):
    workspace_of(ws_sid)
    store = sim().store
    activity_name = text("ActivityName")
    activity_sid = text("ActivitySid")
    available = boolean("Available")
    name = text("FriendlyName")
    expression = text("TargetWorkersExpression")
    if expression:
        rules.parse_expression(expression, "TargetWorkersExpression")
    queues = None
    queue_name, queue_sid = text("TaskQueueName"), text("TaskQueueSid")
    if queue_name is not None or queue_sid is not None:
        queues = [q for q in store.owned("tr_task_queues", ws_sid)
                  if (queue_sid is None or q["sid"] == queue_sid)
                  and (queue_name is None or q["friendly_name"] == queue_name)]
    ordering = rules.parse_ordering(text("Ordering"), ("DateCreated", "DateStatusChanged"))
    activities = {a["sid"]: a for a in store.owned("tr_activities", ws_sid)}

    def where(w):
        activity = activities.get(w["activity_sid"])
        if activity_sid is not None and w["activity_sid"] != activity_sid:
            return False
        if activity_name is not None and (activity is None or activity["friendly_name"] != activity_name):
            return False
        if available is not None and bool(activity and activity["available"]) != available:
            return False
        if name is not None and w["friendly_name"] != name:
            return False
        attrs = json.loads(w["attributes"])
        if expression and not rules.matches(expression, attrs):
            return False
        if queues is not None and not any(
                q["target_workers"] and rules.matches(q["target_workers"], attrs) for q in queues):
            return False
        return True

    if ordering and ordering[0] == "DateStatusChanged":
        fetch = paged(sorted(store.owned("tr_workers", ws_sid, where=where),
                             key=lambda w: w["date_status_changed"], reverse=ordering[1]))
    else:
        fetch = store.pager("tr_workers", ws_sid, where=where,
                            newest_first=bool(ordering and ordering[1]))

    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workers", "workers", fetch, to_wire)


@bp.get("/Workspaces/<ws_sid>/Workers/<sid>")
def fetch_worker(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(child_of("tr_workers", ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Workers/<sid>")
def update_worker(ws_sid, sid):
    workspace_of(ws_sid)
    worker = child_of("tr_workers", ws_sid, sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None and name != worker["friendly_name"]:
        if sim().store.owned("tr_workers", ws_sid, where=lambda w: w["friendly_name"] == name,
                             limit=1):
            raise TwilioError(20409, f"A Worker named {name!r} already exists in this workspace")
        changes["friendly_name"] = name
    attributes = text("Attributes")
    if attributes is not None:
        changes["attributes"] = json.dumps(rules.attributes_json(attributes))
    activity_sid = _activity_param(ws_sid)
    boolean("RejectPendingReservations")  # validated; no reservations exist yet
    now = sim().now()
    if activity_sid is not None and activity_sid != worker["activity_sid"]:
        changes["activity_sid"] = activity_sid
        changes["date_status_changed"] = now
    if not changes:
        return to_wire(worker)
    changes["date_updated"] = now
    return to_wire(sim().store.update("tr_workers", sid, changes))


def delete_worker_records(worker_sid: str):
    store = sim().store
    for wc in store.owned("tr_worker_channels", worker_sid):
        store.delete("tr_worker_channels", wc["sid"])
    store.delete("tr_workers", worker_sid)


@bp.delete("/Workspaces/<ws_sid>/Workers/<sid>")
def delete_worker(ws_sid, sid):
    workspace_of(ws_sid)
    worker = child_of("tr_workers", ws_sid, sid)
    with sim().store.lock:
        delete_worker_records(worker["sid"])
    return "", 204


# -- Worker Channels ------------------------------------------------------------------
def channel_to_wire(c: dict) -> dict:
    cap = c["configured_capacity"]
    return {
        "account_sid": c["account_sid"],
        "assigned_tasks": c["assigned_tasks"],
        "available": c["available"],
        "available_capacity_percentage":
            (100 * max(cap - c["assigned_tasks"], 0) // cap) if cap and c["available"] else 0,
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
    child_of("tr_workers", ws_sid, worker_sid)
    for wc in sim().store.owned("tr_worker_channels", worker_sid):
        if sid in (wc["sid"], wc["task_channel_sid"], wc["task_channel_unique_name"]):
            return wc
    raise TwilioError.not_found()


@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Channels")
def list_worker_channels(ws_sid, worker_sid):
    workspace_of(ws_sid)
    child_of("tr_workers", ws_sid, worker_sid)

    fetch = sim().store.pager("tr_worker_channels", worker_sid)

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
    return channel_to_wire(sim().modify("tr_worker_channels", wc, changes))
