"""TaskRouter TaskQueues: /v1/Workspaces/{WorkspaceSid}/TaskQueues."""
from __future__ import annotations

import json

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import choice, integer, list_v1, text
from . import bp, child_of, workspace_of, ws_url


def new_task_queue(ws: dict, friendly_name: str, *, target_workers: str | None = None,
                   max_reserved_workers: int = 1, task_order: str = "FIFO",
                   reservation_activity_sid: str | None = None,
                   assignment_activity_sid: str | None = None) -> dict:
    target = target_workers if target_workers is not None else rules.DEFAULT_TARGET_WORKERS
    if target:
        rules.parse_expression(target, "TargetWorkers")
    s = sim()
    now = s.now()
    return s.store.insert("tr_task_queues", {
        "sid": s.ids.sid("WQ"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "target_workers": target,
        "max_reserved_workers": max_reserved_workers, "task_order": task_order,
        "reservation_activity_sid": reservation_activity_sid,
        "assignment_activity_sid": assignment_activity_sid,
        "date_created": now, "date_updated": now,
    })


def _name(sid):
    a = sim().store.get("tr_activities", sid) if sid else None
    return a["friendly_name"] if a else None


def worker_in_queue(queue: dict, worker: dict) -> bool:
    target = queue["target_workers"]
    return bool(target) and rules.matches(target, json.loads(worker["attributes"]))


def to_wire(q: dict) -> dict:
    ws, sid = q["workspace_sid"], q["sid"]
    base = f"/TaskQueues/{sid}"
    links = {"workspace": ws_url(ws),
             "statistics": ws_url(ws, base + "/Statistics"),
             "real_time_statistics": ws_url(ws, base + "/RealTimeStatistics"),
             "cumulative_statistics": ws_url(ws, base + "/CumulativeStatistics"),
             "list_statistics": ws_url(ws, "/TaskQueues/Statistics"),
             "bulk_real_time_statistics": ws_url(ws, "/TaskQueues/RealTimeStatistics")}
    if q["assignment_activity_sid"]:
        links["assignment_activity"] = ws_url(ws, f"/Activities/{q['assignment_activity_sid']}")
    if q["reservation_activity_sid"]:
        links["reservation_activity"] = ws_url(ws, f"/Activities/{q['reservation_activity_sid']}")
    return {
        "account_sid": q["account_sid"],
        "assignment_activity_sid": q["assignment_activity_sid"],
        "assignment_activity_name": _name(q["assignment_activity_sid"]),
        "date_created": q["date_created"],
        "date_updated": q["date_updated"],
        "friendly_name": q["friendly_name"],
        "max_reserved_workers": q["max_reserved_workers"],
        "reservation_activity_sid": q["reservation_activity_sid"],
        "reservation_activity_name": _name(q["reservation_activity_sid"]),
        "sid": sid,
        "target_workers": q["target_workers"],
        "task_order": q["task_order"],
        "url": ws_url(ws, base),
        "workspace_sid": ws,
        "links": links,
    }


def _activity_param(ws_sid: str, name: str):
    sid = text(name)
    if sid is None:
        return None
    a = sim().store.get("tr_activities", sid)
    if a is None or a["workspace_sid"] != ws_sid:
        raise TwilioError.invalid(name, f"{sid} is not an Activity of this workspace")
    return sid


def _common(ws_sid: str) -> dict:
    """The validated optional parameters of create and update (None = not given)."""
    target = text("TargetWorkers")
    if target:
        rules.parse_expression(target, "TargetWorkers")
    lo, hi = rules.MAX_RESERVED_WORKERS
    return {
        "target_workers": target,
        "max_reserved_workers": integer("MaxReservedWorkers", minimum=lo, maximum=hi),
        "task_order": choice("TaskOrder", rules.QUEUE_ORDERS),
        "reservation_activity_sid": _activity_param(ws_sid, "ReservationActivitySid"),
        "assignment_activity_sid": _activity_param(ws_sid, "AssignmentActivitySid"),
    }


@bp.post("/Workspaces/<ws_sid>/TaskQueues")
def create_task_queue(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    c = _common(ws_sid)
    if sim().store.owned("tr_task_queues", ws_sid, where=lambda q: q["friendly_name"] == name,
                         limit=1):
        raise TwilioError(20409, f"A TaskQueue named {name!r} already exists in this workspace")
    queue = new_task_queue(ws, name, target_workers=c["target_workers"],
                           max_reserved_workers=c["max_reserved_workers"] or 1,
                           task_order=c["task_order"] or "FIFO",
                           reservation_activity_sid=c["reservation_activity_sid"],
                           assignment_activity_sid=c["assignment_activity_sid"])
    return to_wire(queue), 201


@bp.get("/Workspaces/<ws_sid>/TaskQueues")
def list_task_queues(ws_sid):
    workspace_of(ws_sid)
    name = text("FriendlyName")
    worker_attrs = None
    evaluate = text("EvaluateWorkerAttributes")
    if evaluate is not None:
        worker_attrs = rules.attributes_json(evaluate, "EvaluateWorkerAttributes")
    worker_sid = text("WorkerSid")
    if worker_sid is not None:
        worker = sim().store.get("tr_workers", worker_sid)
        if worker is None or worker["workspace_sid"] != ws_sid:
            raise TwilioError.invalid("WorkerSid", f"{worker_sid} is not a Worker of this workspace")
        worker_attrs = json.loads(worker["attributes"])
    ordering = rules.parse_ordering(text("Ordering"), ("DateCreated",))

    def where(q):
        if name is not None and q["friendly_name"] != name:
            return False
        if worker_attrs is not None:
            return bool(q["target_workers"]) and rules.matches(q["target_workers"], worker_attrs)
        return True

    fetch = sim().store.pager("tr_task_queues", ws_sid,
                              where=where, newest_first=bool(ordering and ordering[1]))

    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/TaskQueues", "task_queues", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def fetch_task_queue(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(child_of("tr_task_queues", ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def update_task_queue(ws_sid, sid):
    workspace_of(ws_sid)
    queue = child_of("tr_task_queues", ws_sid, sid)
    changes = {k: v for k, v in _common(ws_sid).items() if v is not None}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    return to_wire(sim().modify("tr_task_queues", queue, changes))


@bp.delete("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def delete_task_queue(ws_sid, sid):
    workspace_of(ws_sid)
    queue = child_of("tr_task_queues", ws_sid, sid)
    for wf in sim().store.owned("tr_workflows", ws_sid):
        if sid in wf["configuration"]:
            raise TwilioError(20409, f"TaskQueue {sid} is used by Workflow {wf['sid']}; "
                                     "change the workflow first")
    sim().store.delete("tr_task_queues", queue["sid"])
    return "", 204
