"""The assignment engine: where a task waits, which worker it is offered to, and when.

A task enters its workflow (filters top-down, first match wins; else ``default_filter``) and
walks the matched filter's targets, its routing steps, in order. In a step it waits in the
step's queue for a worker who is eligible (the queue's ``TargetWorkers`` and the step's
``expression`` over ``worker.*`` and ``task.*``) and free (an available activity, and capacity
left on the task's channel). Up to the queue's ``MaxReservedWorkers`` such workers, longest
idle first unless the step has an ``order_by``, each get a pending reservation. A step's
``timeout`` counts on the task's age, so the steps' timeouts add up; past the last step the
task leaves the workflow, canceled. ``skip_if`` is looked at only when entering a step made no
reservation. A queue serves its waiting tasks by priority, then age (FIFO), or newest first
(LIFO); a worker who frees up takes the best task at the head of the queues it serves
(queues of the workspace's ``PrioritizeQueueOrder`` first).

Everything here runs inside a ``routing_change`` and on the simulator clock.
"""
from __future__ import annotations

import json

from ...dates import parse_iso
from ...errors import TwilioError
from ...rules import taskrouter as rules
from .events import emit, task_fields, worker_fields
from .index import active
from .session import after_commit

CALLBACK = "taskrouter.assignment"   # what reservations.py registers to send assignment callbacks


def index(s, workspace_sid: str):
    return s.routing.of(s, workspace_sid)


def bump(s, table: str, record: dict, changes: dict) -> dict:
    """Apply ``changes`` to a task, reservation or worker, moving its version (its ETag)."""
    return s.store.update(table, record["sid"], {**changes, "date_updated": s.now(),
                                                 "version": record.get("version", 0) + 1})


def check_version(record: dict, if_match: str | None):
    """``If-Match``: the change applies only while the record's ETag is still that one."""
    if if_match is not None and if_match.strip('"') != str(record.get("version", 0)):
        raise TwilioError(20412, f"{record['sid']} has changed: its ETag is no longer {if_match}")


# -- workers ---------------------------------------------------------------------------------
def set_activity(s, worker: dict, activity_sid: str, *, reason: str) -> dict:
    """Move a worker to an activity (recording ``worker.activity.update``)."""
    if activity_sid == worker["activity_sid"]:
        return worker
    previous = s.store.get("tr_activities", worker["activity_sid"]) or {}
    activity = s.store.require("tr_activities", activity_sid)
    now = s.now()
    spent = (s.clock.now() - parse_iso(worker["date_status_changed"])).total_seconds()
    changes = {"activity_sid": activity_sid, "date_status_changed": now}
    if activity["available"] and not previous.get("available"):
        changes["idle_since"] = now
    worker = bump(s, "tr_workers", worker, changes)
    emit(s, worker["workspace_sid"], "worker.activity.update", worker["sid"],
         f"Worker {worker['friendly_name']} updated to {activity['friendly_name']} Activity "
         f"({reason})", {**worker_fields(s, worker),
                         "worker_previous_activity_sid": previous.get("sid"),
                         "worker_time_in_previous_activity": int(spent),
                         "worker_time_in_previous_activity_ms": int(spent * 1000)})
    return worker


def worker_changed(s, worker: dict):
    """A worker's activity, attributes or channels changed: it may be free for waiting work."""
    idx = index(s, worker["workspace_sid"])
    idx.refresh_worker(s, worker)
    serve_worker(s, worker["sid"], worker["workspace_sid"])


def _channel(s, worker_sid: str, unique_name: str) -> dict | None:
    for channel in s.store.owned("tr_worker_channels", worker_sid):
        if channel["task_channel_unique_name"] == unique_name:
            return channel
    return None


def hold_capacity(s, reservation: dict, *, reserved: int = 0, assigned: int = 0):
    """Count a reservation on its worker's channel (pending ones in ``reserved_tasks``,
    accepted and wrapping ones in ``assigned_tasks``) and refresh where the worker is free."""
    channel = _channel(s, reservation["worker_sid"], reservation["task_channel_unique_name"])
    if channel is not None:
        s.store.update("tr_worker_channels", channel["sid"], {
            "reserved_tasks": max(channel.get("reserved_tasks", 0) + reserved, 0),
            "assigned_tasks": max(channel["assigned_tasks"] + assigned, 0)})
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    if worker is not None:
        index(s, reservation["workspace_sid"]).refresh_worker(s, worker)


# -- tasks entering the workflow ----------------------------------------------------------------
def _steps(task: dict) -> list[dict]:
    return task["routing"]["steps"]


def route(s, task: dict) -> dict:
    """A new (or re-evaluated) task: find its routing steps and enter the first."""
    target = task.get("routing_target")
    if target and target.startswith("WQ"):
        steps, name = [{"queue": target}], None
    elif target and target.startswith("WK"):
        steps, name = [{"worker": target}], None
    else:
        workflow = s.store.require("tr_workflows", task["workflow_sid"])
        name, steps = rules.routing_steps(json.loads(workflow["configuration"]),
                                          json.loads(task["attributes"]))
        emit(s, task["workspace_sid"], "workflow.entered", task["sid"],
             f"Task {task['sid']} entered Workflow {workflow['friendly_name']}",
             {**task_fields(s, task), "workflow_name": workflow["friendly_name"]})
    task = bump(s, "tr_tasks", task, {"routing": {"filter": name, "steps": steps, "step": -1,
                                                  "expired": False}})
    return enter_step(s, task, 0)


def enter_step(s, task: dict, step: int, *, skipped: bool = False) -> dict:
    steps = _steps(task)
    idx = index(s, task["workspace_sid"])
    idx.unwait(task)
    if step >= len(steps):
        return _leave_workflow(s, task, skipped)
    target = steps[step]
    queue_sid = target.get("queue")
    changes = {"routing": {**task["routing"], "step": step, "expired": False},
               "task_queue_entered_date": s.now()}
    if "priority" in target:   # a matched target's priority overrides the task's own
        changes["priority"] = target["priority"]
    if queue_sid is not None:
        changes["task_queue_sid"] = queue_sid
    moved = queue_sid is not None and task["task_queue_sid"] not in (None, queue_sid)
    task = bump(s, "tr_tasks", task, changes)
    if queue_sid is not None:
        queue = idx.queues[queue_sid]
        data = {**task_fields(s, task), "task_queue_name": queue["friendly_name"]}
        if moved:
            emit(s, task["workspace_sid"], "task-queue.moved", queue_sid,
                 f"Task {task['sid']} moved to TaskQueue {queue['friendly_name']}", data)
        emit(s, task["workspace_sid"], "task-queue.entered", queue_sid,
             f"Task {task['sid']} entered TaskQueue {queue['friendly_name']}", data)
    if task["routing"]["filter"] is not None:
        emit(s, task["workspace_sid"], "workflow.target-matched", task["sid"],
             f"Task {task['sid']} matched a routing step of its Workflow",
             {**task_fields(s, task), "workflow_filter_name": task["routing"]["filter"],
              "workflow_filter_target_index": step})
    deadline = sum(t.get("timeout", 0) for t in steps[:step + 1])
    # on the task's age: the steps' timeouts add up; one due after any task's TTL never fires
    if "timeout" in target and deadline <= rules.TASK_TIMEOUT_MAX:
        age = (s.clock.now() - parse_iso(task["date_created"])).total_seconds()
        s.scheduler.schedule("taskrouter.step", task["sid"], max(deadline - age, 0),
                             {"step": step})
    idx.wait(task)
    if offer(s, task):
        return s.store.get("tr_tasks", task["sid"])
    if queue_sid is not None and target.get("skip_if"):
        members = idx.eligible(queue_sid)
        available = sum(1 for sid in members
                        if (s.store.get("tr_workers", sid) or {}).get("activity_sid")
                        in idx.available_activities)
        if rules.skip_step(target["skip_if"], available, len(members) - available):
            return enter_step(s, task, step + 1, skipped=True)
    return task


def _leave_workflow(s, task: dict, skipped: bool) -> dict:
    """Past its last routing step a task leaves the workflow: canceled."""
    kind = "workflow.skipped" if skipped else "workflow.timeout"
    emit(s, task["workspace_sid"], kind, task["sid"],
         f"Task {task['sid']} {'skipped' if skipped else 'timed out of'} its Workflow's last step",
         task_fields(s, task))
    return cancel(s, task, "Workflow Timeout" if not skipped else "Workflow Skipped")


def next_step(s, task: dict) -> dict:
    """The step's timeout passed: move on, or after the reservations under way end."""
    if task["assignment_status"] == "reserved":
        return bump(s, "tr_tasks", task, {"routing": {**task["routing"], "expired": True}})
    queue = index(s, task["workspace_sid"]).queues.get(task["task_queue_sid"])
    if queue is not None:
        emit(s, task["workspace_sid"], "task-queue.timeout", queue["sid"],
             f"Task {task['sid']} timed out of TaskQueue {queue['friendly_name']}",
             {**task_fields(s, task), "task_queue_name": queue["friendly_name"]})
    return enter_step(s, task, task["routing"]["step"] + 1)


# -- offering a task to workers ---------------------------------------------------------------------
def _candidates(s, task: dict, target: dict, limit: int | None = None) -> list[str]:
    idx = index(s, task["workspace_sid"])
    channel = task["task_channel_unique_name"]
    if "worker" in target:   # a task routed straight to a worker
        sid = target["worker"]
        worker = s.store.get("tr_workers", sid)
        if worker is None or worker["activity_sid"] not in idx.available_activities:
            return []
        if task.get("ignore_capacity", True) or sid in idx.free.get(channel, {}):
            return [sid]
        return []
    qualifies = _step_filter(s, idx, task, target)
    clauses = rules.order_by(target.get("order_by")
                             or idx.queues[target["queue"]].get("order_by"))
    if not clauses:
        return idx.free_in_queue(target["queue"], channel, qualifies, limit)
    found = idx.free_in_queue(target["queue"], channel, qualifies)   # order_by sees them all
    for key, descending in reversed(clauses):   # later clauses break ties of earlier ones
        present = [sid for sid in found if isinstance(idx.attributes[sid].get(key), (int, float))]
        absent = [sid for sid in found if sid not in set(present)]
        present.sort(key=lambda sid: idx.attributes[sid][key], reverse=descending)
        found = present + absent   # workers without the attribute come after the others
    return found[:limit]


def _step_filter(s, idx, task: dict, target: dict):
    """What a routing step asks of a worker beyond its queue: the known worker, the step's
    ``expression`` over ``worker.*`` and ``task.*``."""
    task_attributes = json.loads(task["attributes"])
    known = rules.known_worker(target, task_attributes)
    expression = target.get("expression")

    def qualifies(sid: str) -> bool:
        if known is not None:
            kind, value = known
            name = sid if kind == "sid" else (s.store.get("tr_workers", sid) or {}).get("friendly_name")
            if name != value:
                return False
        return not expression or rules.target_matches(expression, idx.attributes[sid],
                                                      task_attributes)
    return qualifies


def _takes(s, idx, task: dict, worker_sid: str) -> bool:
    """Would the task's current step reserve this (free) worker?"""
    target = _steps(task)[task["routing"]["step"]]
    if "worker" in target:
        return worker_sid in _candidates(s, task, target)
    return worker_sid in idx.eligible(target["queue"]) and _step_filter(s, idx, task, target)(worker_sid)


def offer(s, task: dict) -> bool:
    """Reserve up to the queue's MaxReservedWorkers free workers for a pending task."""
    if task["assignment_status"] != "pending":
        return False
    steps = _steps(task)
    step = task["routing"]["step"]
    if not 0 <= step < len(steps):
        return False
    target = steps[step]
    idx = index(s, task["workspace_sid"])
    queue = idx.queues.get(target.get("queue"))
    wanted = queue["max_reserved_workers"] if queue else 1
    chosen = _candidates(s, task, target, wanted)
    if not chosen:
        return False
    idx.unwait(task)
    task = bump(s, "tr_tasks", task, {"assignment_status": "reserved"})
    for worker_sid in chosen:
        reserve(s, task, worker_sid, queue)
    return True


def reserve(s, task: dict, worker_sid: str, queue: dict | None) -> dict:
    worker = s.store.get("tr_workers", worker_sid)
    task = s.store.get("tr_tasks", task["sid"])
    now = s.now()
    reservation = s.store.insert("tr_reservations", {
        "sid": s.ids.sid("WR"), "account_sid": task["account_sid"],
        "workspace_sid": task["workspace_sid"], "task_sid": task["sid"],
        "worker_sid": worker_sid, "worker_name": worker["friendly_name"],
        "reservation_status": "pending", "task_queue_sid": task["task_queue_sid"],
        "workflow_sid": task["workflow_sid"],
        "task_channel_unique_name": task["task_channel_unique_name"],
        "worker_previous_activity_sid": worker["activity_sid"],
        "date_created": now, "date_updated": now, "version": 0,
    })
    task = s.store.update("tr_tasks", task["sid"], {
        "reservation_sids": [*task.get("reservation_sids", []), reservation["sid"]]})
    hold_capacity(s, reservation, reserved=1)
    if queue is not None and queue.get("reservation_activity_sid"):
        worker = set_activity(s, worker, queue["reservation_activity_sid"], reason="reserved")
        index(s, task["workspace_sid"]).refresh_worker(s, worker)
    workflow = s.store.get("tr_workflows", task["workflow_sid"]) if task["workflow_sid"] else None
    timeout = (workflow or {}).get("task_reservation_timeout",
                                   rules.TASK_RESERVATION_TIMEOUT_DEFAULT)
    s.scheduler.schedule("taskrouter.reservation-timeout", reservation["sid"], timeout)
    emit(s, task["workspace_sid"], "reservation.created", reservation["sid"],
         f"Reservation {reservation['sid']} created for Worker {worker['friendly_name']}",
         {**task_fields(s, task), **worker_fields(s, worker),
          "reservation_sid": reservation["sid"]})
    if workflow and workflow.get("assignment_callback_url"):
        # a step of its own, sent as soon as this change is complete
        s.scheduler.schedule(CALLBACK, reservation["sid"], 0)
        sid = reservation["sid"]
        after_commit(s, lambda: s.scheduler.catch_up(sid))   # this reservation's steps only
    return reservation


def _best_waiting(s, idx, worker_sid: str, preferred: str) -> dict | None:
    """The task a free worker takes next: one routed straight to it, else the best head of the
    queues it serves, on a channel it is free on (queues ordered like the workspace's
    ``PrioritizeQueueOrder`` first)."""
    for task_sid in list(idx.direct.get(worker_sid, {})):
        task = s.store.get("tr_tasks", task_sid)
        if task is not None and worker_sid in _candidates(s, task, {"worker": worker_sid}):
            return task
    heads = []
    for queue_sid in idx.queues_of(worker_sid):
        order = idx.queues[queue_sid]["task_order"]
        for channel, free in idx.free.items():
            if worker_sid not in free:
                continue
            waiting = idx.waiting(queue_sid, channel)
            for task_sid in waiting.in_order():
                task = s.store.get("tr_tasks", task_sid)
                if task is None or task["assignment_status"] != "pending":
                    waiting.drop(task_sid)
                    continue
                if _takes(s, idx, task, worker_sid):
                    heads.append(((order != preferred, waiting.key(task)), task_sid, task))
                    break
    return min(heads, key=lambda head: head[:2])[2] if heads else None


def serve_worker(s, worker_sid: str, workspace_sid: str):
    """A worker may have become free: reserve it for waiting tasks while it stays free."""
    idx = index(s, workspace_sid)
    preferred = s.store.require("tr_workspaces", workspace_sid)["prioritize_queue_order"]
    while (task := _best_waiting(s, idx, worker_sid, preferred)) is not None:
        idx.unwait(task)
        task = bump(s, "tr_tasks", task, {"assignment_status": "reserved"})
        reserve(s, task, worker_sid, idx.queues.get(task["task_queue_sid"]))


def serve_queue(s, task: dict):
    """Offer a task again (after a reservation ended, or its priority changed)."""
    task = s.store.get("tr_tasks", task["sid"])
    if task is None or task["assignment_status"] != "pending":
        return
    if task["routing"]["expired"]:
        next_step(s, task)
        return
    index(s, task["workspace_sid"]).wait(task)
    offer(s, task)


# -- the end of a task ----------------------------------------------------------------------------
def end_reservations(s, task: dict, status: str, *, only=("pending",)) -> list[dict]:
    """Close the task's reservations still in ``only`` with ``status`` (canceled, rescinded,
    ...), returning their capacity."""
    ended = []
    for sid in task.get("reservation_sids", []):
        reservation = s.store.get("tr_reservations", sid)
        if reservation is None or reservation["reservation_status"] not in only:
            continue
        previous = reservation["reservation_status"]
        reservation = bump(s, "tr_reservations", reservation, {"reservation_status": status})
        s.scheduler.cancel(sid)
        worker = s.store.get("tr_workers", reservation["worker_sid"])
        if worker is not None:   # idle from now: set before the index sees it free again
            worker = s.store.update("tr_workers", worker["sid"], {"idle_since": s.now()})
        if previous == "pending":
            hold_capacity(s, reservation, reserved=-1)
        else:
            hold_capacity(s, reservation, assigned=-1)
        if worker is not None:
            emit(s, task["workspace_sid"], f"reservation.{status}", sid,
                 f"Reservation {sid} {status}",
                 {**task_fields(s, task), **worker_fields(s, worker), "reservation_sid": sid})
        ended.append(reservation)
    return ended


def cancel(s, task: dict, reason: str) -> dict:
    """Cancel a pending or reserved task: its pending reservations are canceled."""
    index(s, task["workspace_sid"]).unwait(task)
    task = bump(s, "tr_tasks", task, {"assignment_status": "canceled", "reason": reason})
    ended = end_reservations(s, task, "canceled")
    s.scheduler.cancel(task["sid"])
    emit(s, task["workspace_sid"], "task.canceled", task["sid"],
         f"Task {task['sid']} canceled: {reason}", task_fields(s, task))
    schedule_purge(s, task)
    for reservation in ended:
        free_worker(s, reservation)
    return task


def schedule_purge(s, task: dict):
    """Canceled and completed tasks are deleted five minutes later, as on Twilio."""
    s.scheduler.schedule("taskrouter.purge", task["sid"], 300)


def free_worker(s, reservation: dict):
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    if worker is not None:
        serve_worker(s, worker["sid"], worker["workspace_sid"])


def workers_waiting_capacity(s, worker: dict) -> dict[str, int]:
    """Reservations holding each of a worker's channels (for statistics and the Flex UI)."""
    return {c["task_channel_unique_name"]: active(c)
            for c in s.store.owned("tr_worker_channels", worker["sid"])}
