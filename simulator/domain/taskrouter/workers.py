"""TaskRouter Workers and their Channels: a worker has one channel per TaskChannel of
its workspace, each with a capacity and an availability of its own."""
from __future__ import annotations

import json

from ...errors import TwilioError
from ...paging import in_order
from ...rules import taskrouter as rules
from . import child_of, engine
from .activities import activities_of
from .events import emit, worker_fields
from .reservations import cancel_pending, reject
from .session import routing_change
from .task_queues import task_queues_of, worker_in_queue

DEFAULT_CAPACITY = 1


def new_worker_channel(s, worker: dict, channel: dict, capacity: int = DEFAULT_CAPACITY,
                       available: bool = True) -> dict:
    now = s.now()
    return s.store.insert("tr_worker_channels", {
        "sid": s.ids.sid("WC"), "account_sid": worker["account_sid"],
        "workspace_sid": worker["workspace_sid"], "worker_sid": worker["sid"],
        "task_channel_sid": channel["sid"], "task_channel_unique_name": channel["unique_name"],
        "configured_capacity": capacity, "available": available, "assigned_tasks": 0,
        "date_created": now, "date_updated": now,
    })


def _attributes_text(attributes: dict | str | None) -> str:
    """Attributes as kept: the string the client sent (Twilio echoes it as sent), or a
    dict the simulator made, as JSON; none or empty is ``{}``."""
    if isinstance(attributes, str):
        return attributes or "{}"
    return json.dumps(attributes or {})


def new_worker(s, ws: dict, friendly_name: str, *, attributes: dict | str | None = None,
               activity_sid: str | None = None, capacities: dict | None = None) -> dict:
    """A worker in ``activity_sid`` (default: the workspace's default activity) with
    a channel per TaskChannel; ``capacities`` maps unique name -> (capacity, available)."""
    activity = s.store.require("tr_activities", activity_sid or ws["default_activity_sid"])
    now = s.now()
    worker = s.store.insert("tr_workers", {
        "sid": s.ids.sid("WK"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "attributes": _attributes_text(attributes),
        "activity_sid": activity["sid"],
        "date_created": now, "date_updated": now, "date_status_changed": now,
    })
    capacities = capacities or {}
    for channel in s.store.owned("tr_task_channels", ws["sid"]):
        cap, avail = capacities.get(channel["unique_name"], (DEFAULT_CAPACITY, True))
        new_worker_channel(s, worker, channel, cap, avail)
    with routing_change(s):
        emit(s, ws["sid"], "worker.created", worker["sid"], f"Worker {friendly_name} created",
             worker_fields(s, worker))
        engine.worker_changed(s, worker)
    return worker


def set_capacities(s, worker: dict, capacities: dict):
    """Update a worker's channels: unique name -> (capacity, available)."""
    with routing_change(s):
        for wc in s.store.owned("tr_worker_channels", worker["sid"]):
            if wc["task_channel_unique_name"] in capacities:
                cap, avail = capacities[wc["task_channel_unique_name"]]
                update_worker_channel(s, wc, {"configured_capacity": cap, "available": avail})


def worker_of(s, ws_sid: str, sid: str) -> dict:
    return child_of(s, "tr_workers", ws_sid, sid)


def workers_of(s, ws_sid: str) -> list[dict]:
    return s.store.owned("tr_workers", ws_sid)


def worker_attributes(s, ws_sid: str, worker_sid: str, param: str = "WorkerSid") -> dict:
    """The attributes of ``worker_sid``, given as parameter ``param``, if it is a Worker
    of the workspace."""
    worker = s.store.get("tr_workers", worker_sid)
    if worker is None or worker["workspace_sid"] != ws_sid:
        raise TwilioError.invalid(param, f"{worker_sid} is not a Worker of this workspace")
    return json.loads(worker["attributes"])


def check_worker_name(s, ws_sid: str, name: str | None, current: str | None = None) -> None:
    """Worker names are unique in a workspace (keeping one's own name is no conflict)."""
    if name is None or name == current:
        return
    if s.store.owned("tr_workers", ws_sid, where=lambda w: w["friendly_name"] == name,
                     limit=1):
        raise TwilioError(20409, f"A Worker named {name!r} already exists in this workspace")


def list_workers(s, ws_sid: str, *, activity_sid: str | None = None,
                 activity_name: str | None = None, available: bool | None = None,
                 friendly_name: str | None = None, expression: str | None = None,
                 queue_name: str | None = None, queue_sid: str | None = None,
                 ordering: tuple[str, bool] | None = None):
    """Workers matching every filter given; ``expression`` is a TargetWorkers expression,
    and a queue filter keeps the workers any of the named queues targets."""
    queues = None
    if queue_name is not None or queue_sid is not None:
        queues = [q for q in task_queues_of(s, ws_sid)
                  if (queue_sid is None or q["sid"] == queue_sid)
                  and (queue_name is None or q["friendly_name"] == queue_name)]
    activities = {a["sid"]: a for a in activities_of(s, ws_sid)}

    def where(w):
        activity = activities.get(w["activity_sid"])
        if activity_sid is not None and w["activity_sid"] != activity_sid:
            return False
        if activity_name is not None and (activity is None or activity["friendly_name"] != activity_name):
            return False
        if available is not None and bool(activity and activity["available"]) != available:
            return False
        if friendly_name is not None and w["friendly_name"] != friendly_name:
            return False
        attrs = json.loads(w["attributes"])
        if expression and not rules.matches(expression, attrs):
            return False
        if queues is not None and not any(worker_in_queue(q, w) for q in queues):
            return False
        return True

    if ordering and ordering[0] == "DateStatusChanged":
        return in_order(sorted(s.store.owned("tr_workers", ws_sid, where=where),
                                key=lambda w: w["date_status_changed"], reverse=ordering[1]))
    return s.store.pager("tr_workers", ws_sid, where=where,
                         newest_first=bool(ordering and ordering[1]))


def update_worker(s, worker: dict, *, friendly_name: str | None = None,
                  attributes: dict | str | None = None, activity_sid: str | None = None,
                  reject_pending: bool = False, if_match: str | None = None) -> dict:
    """A new activity moves ``date_status_changed``; nothing changed leaves the worker as is.
    A worker moved to an available activity, or given new attributes, may be reserved at once;
    ``reject_pending`` (only towards an unavailable activity) rejects its pending reservations."""
    with routing_change(s):
        worker = s.store.require("tr_workers", worker["sid"])
        engine.check_version(worker, if_match)
        moving = activity_sid is not None and activity_sid != worker["activity_sid"]
        if reject_pending and (not moving or s.store.require("tr_activities", activity_sid)["available"]):
            raise TwilioError.invalid("RejectPendingReservations", "applies only when moving the "
                                      "Worker to an Activity that is not available")
        changes = {}
        if friendly_name is not None and friendly_name != worker["friendly_name"]:
            changes["friendly_name"] = friendly_name
        if attributes is not None:
            changes["attributes"] = _attributes_text(attributes)
        if changes:
            worker = engine.bump(s, "tr_workers", worker, changes)
            if "attributes" in changes:
                emit(s, worker["workspace_sid"], "worker.attributes.update", worker["sid"],
                     f"Worker {worker['friendly_name']} attributes updated",
                     worker_fields(s, worker))
        if moving:
            if reject_pending:
                for r in s.store.owned("tr_reservations", worker["sid"],
                                       where=lambda r: r["reservation_status"] == "pending"):
                    reject(s, r, worker_activity_sid=activity_sid)
                worker = s.store.require("tr_workers", worker["sid"])
            worker = engine.set_activity(s, worker, activity_sid, reason="updated")
        if changes or moving:
            engine.worker_changed(s, worker)
        return s.store.require("tr_workers", worker["sid"])


def delete_worker_records(s, worker_sid: str):
    for wc in s.store.owned("tr_worker_channels", worker_sid):
        s.store.delete("tr_worker_channels", wc["sid"])
    s.store.delete("tr_workers", worker_sid)


def delete_worker(s, worker: dict) -> None:
    """Its pending reservations are canceled (their tasks wait for someone else)."""
    with routing_change(s):
        for r in s.store.owned("tr_reservations", worker["sid"],
                               where=lambda r: r["reservation_status"] == "pending"):
            cancel_pending(s, r)
        engine.index(s, worker["workspace_sid"]).forget_worker(worker["sid"])
        delete_worker_records(s, worker["sid"])
        emit(s, worker["workspace_sid"], "worker.deleted", worker["sid"],
             f"Worker {worker['friendly_name']} deleted", worker_fields(s, worker))


# -- Worker Channels ------------------------------------------------------------------
def worker_channels_of(s, worker_sid: str) -> list[dict]:
    return s.store.owned("tr_worker_channels", worker_sid)


def list_worker_channels(s, worker_sid: str):
    return s.store.pager("tr_worker_channels", worker_sid)


def worker_channel_of(s, worker_sid: str, sid: str) -> dict:
    """A worker's channel by its WC SID, its task channel's TC SID or unique name."""
    for wc in s.store.owned("tr_worker_channels", worker_sid):
        if sid in (wc["sid"], wc["task_channel_sid"], wc["task_channel_unique_name"]):
            return wc
    raise TwilioError.not_found()


def update_worker_channel(s, wc: dict, changes: dict) -> dict:
    """New capacity or availability: capacity 0 or unavailable stops new reservations only."""
    with routing_change(s):
        updated = s.modify("tr_worker_channels", wc, changes)
        worker = s.store.require("tr_workers", wc["worker_sid"])
        data = {**worker_fields(s, worker), "task_channel_sid": wc["task_channel_sid"],
                "task_channel_unique_name": wc["task_channel_unique_name"],
                "worker_channel_available": updated["available"],
                "worker_channel_available_capacity": updated["configured_capacity"],
                "worker_channel_previous_capacity": wc["configured_capacity"],
                "worker_channel_task_count": updated["assigned_tasks"]}
        if updated["configured_capacity"] != wc["configured_capacity"]:
            emit(s, wc["workspace_sid"], "worker.capacity.update", worker["sid"],
                 f"Worker {worker['friendly_name']} capacity updated", data)
        if updated["available"] != wc["available"]:
            emit(s, wc["workspace_sid"], "worker.channel.availability.update", worker["sid"],
                 f"Worker {worker['friendly_name']} channel availability updated", data)
        engine.worker_changed(s, worker)
        return updated


def delete_channels_of_task_channel(s, ws_sid: str, task_channel_sid: str) -> None:
    """Every worker's channel for one TaskChannel."""
    for worker in s.store.owned("tr_workers", ws_sid):
        for wc in s.store.owned("tr_worker_channels", worker["sid"],
                                where=lambda c: c["task_channel_sid"] == task_channel_sid):
            s.store.delete("tr_worker_channels", wc["sid"])
