"""TaskRouter TaskQueues: /v1/Workspaces/{WorkspaceSid}/TaskQueues."""
from __future__ import annotations

from ...current import sim
from ...domain.taskrouter import activities, task_queues, workers
from ...rules import taskrouter as rules
from ...wire import choice, integer, list_v1, text
from . import activity_param, bp, workspace_of, ws_url


def to_wire(q: dict) -> dict:
    s = sim()
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
        "assignment_activity_name": activities.activity_name(s, q["assignment_activity_sid"]),
        "date_created": q["date_created"],
        "date_updated": q["date_updated"],
        "friendly_name": q["friendly_name"],
        "max_reserved_workers": q["max_reserved_workers"],
        "reservation_activity_sid": q["reservation_activity_sid"],
        "reservation_activity_name": activities.activity_name(s, q["reservation_activity_sid"]),
        "sid": sid,
        "target_workers": q["target_workers"],
        "task_order": q["task_order"],
        "url": ws_url(ws, base),
        "workspace_sid": ws,
        "links": links,
    }


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
        "reservation_activity_sid": activity_param(ws_sid, "ReservationActivitySid"),
        "assignment_activity_sid": activity_param(ws_sid, "AssignmentActivitySid"),
    }


@bp.post("/Workspaces/<ws_sid>/TaskQueues")
def create_task_queue(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    c = _common(ws_sid)
    task_queues.check_task_queue_name(sim(), ws, name)
    queue = task_queues.new_task_queue(sim(), ws, name, target_workers=c["target_workers"],
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
        worker_attrs = workers.worker_attributes(sim(), ws_sid, worker_sid, "WorkerSid")
    ordering = rules.parse_ordering(text("Ordering"), ("DateCreated",))
    fetch = task_queues.list_task_queues(sim(), ws_sid, friendly_name=name,
                                         worker_attributes=worker_attrs,
                                         newest_first=bool(ordering and ordering[1]))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/TaskQueues", "task_queues", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def fetch_task_queue(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(task_queues.task_queue_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def update_task_queue(ws_sid, sid):
    ws = workspace_of(ws_sid)
    queue = task_queues.task_queue_of(sim(), ws_sid, sid)
    changes = {k: v for k, v in _common(ws_sid).items() if v is not None}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    task_queues.check_task_queue_name(sim(), ws, name, queue["friendly_name"])
    if name is not None:
        changes["friendly_name"] = name
    return to_wire(task_queues.update_task_queue(sim(), queue, changes))


@bp.delete("/Workspaces/<ws_sid>/TaskQueues/<sid>")
def delete_task_queue(ws_sid, sid):
    workspace_of(ws_sid)
    task_queues.delete_task_queue(sim(), task_queues.task_queue_of(sim(), ws_sid, sid))
    return "", 204
