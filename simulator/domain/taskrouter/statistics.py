"""TaskRouter statistics: real-time figures from the tasks and workers as they are now, and
cumulative figures over a window of the simulator clock, counted from the workspace's Events.

Real time: ``tasks_by_status`` (pending, reserved, assigned, wrapping), ``tasks_by_priority``,
``total_tasks``, the longest waiting task (pending or reserved, by age since creation; for a
queue also by time since it entered the queue), workers by activity; a queue's eligible workers
are those its ``TargetWorkers`` selects whatever their activity, its available ones those of them
in an available activity (busy or not).

Cumulative, over ``[start, end]``: reservations by outcome (``reservation.*`` events), tasks
created / entered (``task.created``; ``workflow.entered`` for a workflow; ``task-queue.entered``
for a queue), canceled, completed, deleted (``task.deleted``: API deletes), moved
(``task-queue.moved``; for a queue, the tasks moved out of it to another) and timed out of their
workflow (``workflow.timeout``); waits (the task's age when a reservation was accepted or the task
canceled; for a queue also since it entered the queue) as ``{avg, min, max, total}`` in seconds;
``SplitByWaitTime`` counts per threshold the waits at or below it (``below``) and over it
(``above``). A worker's time in each activity comes from its ``worker.activity.update`` events
and its current activity, clipped to the window. ``TaskChannel`` keeps the tasks and
reservations of one channel (worker counts and activity times are not per channel).
"""
from __future__ import annotations

import re
from datetime import datetime

from ...dates import iso, parse_iso
from ...errors import TwilioError
from .activities import activities_of
from .events import events_between
from .task_queues import task_queues_of, worker_in_queue
from .workers import list_workers, workers_of

ACTIVE = ("pending", "reserved", "assigned", "wrapping")
WAITING = ("pending", "reserved")
RESERVATION_OUTCOMES = {
    "reservation.created": "reservations_created",
    "reservation.accepted": "reservations_accepted",
    "reservation.rejected": "reservations_rejected",
    "reservation.timeout": "reservations_timed_out",
    "reservation.canceled": "reservations_canceled",
    "reservation.rescinded": "reservations_rescinded",
}
BULK_MAX = 50
_QUEUE_SID = re.compile(r"^WQ[0-9a-fA-F]{32}$")


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


# -- parameters --------------------------------------------------------------------------------
def channel_name(s, workspace_sid: str, value: str | None) -> str | None:
    """``TaskChannel`` (a TaskChannel SID or unique name) as the channel's unique name."""
    if value is None:
        return None
    for channel in s.store.owned("tr_task_channels", workspace_sid):
        if value in (channel["sid"], channel["unique_name"]):
            return channel["unique_name"]
    raise TwilioError.invalid("TaskChannel", f"{value} is not a TaskChannel of this workspace")


def parse_thresholds(value: str | None) -> list[int] | None:
    """``SplitByWaitTime``: a comma separated list of thresholds in seconds."""
    if value is None:
        return None
    out = []
    for part in value.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit()) or len(part) > 10:  # "²" is a digit to str
            raise TwilioError.invalid("SplitByWaitTime",
                                      "must be a comma separated list of seconds, e.g. 5,30")
        if int(part) not in out:
            out.append(int(part))
    return out


# -- real time ---------------------------------------------------------------------------------
def activity_statistics(s, workspace_sid: str, workers: list[dict]) -> list[dict]:
    """Every activity of the workspace with how many of ``workers`` are in it now."""
    counts: dict[str, int] = {}
    for worker in workers:
        counts[worker["activity_sid"]] = counts.get(worker["activity_sid"], 0) + 1
    return [{"sid": a["sid"], "friendly_name": a["friendly_name"], "workers": counts.get(a["sid"], 0)}
            for a in activities_of(s, workspace_sid)]


def _active_tasks(s, workspace_sid: str, channel: str | None, where=None) -> list[dict]:
    return s.store.owned("tr_tasks", workspace_sid, where=lambda t: (
        t["assignment_status"] in ACTIVE
        and (channel is None or t["task_channel_unique_name"] == channel)
        and (where is None or where(t))))


def _longest(s, tasks: list[dict], field: str) -> tuple[int, str | None]:
    """(age in seconds, SID) of the waiting task whose ``field`` is the oldest."""
    waiting = [t for t in tasks if t["assignment_status"] in WAITING and t.get(field)]
    if not waiting:
        return 0, None
    oldest = min(waiting, key=lambda t: (parse_iso(t[field]), t["sid"]))
    age = int((s.clock.now() - parse_iso(oldest[field])).total_seconds())
    return max(age, 0), oldest["sid"]


def _task_figures(s, tasks: list[dict]) -> dict:
    by_status = {status: 0 for status in ACTIVE}
    by_priority: dict[int, int] = {}
    for t in tasks:
        by_status[t["assignment_status"]] += 1
        by_priority[t["priority"]] = by_priority.get(t["priority"], 0) + 1
    age, sid = _longest(s, tasks, "date_created")
    return {"longest_task_waiting_age": age, "longest_task_waiting_sid": sid,
            "tasks_by_priority": {str(p): n for p, n in sorted(by_priority.items())},
            "tasks_by_status": by_status, "total_tasks": len(tasks)}


def workspace_realtime(s, ws: dict, *, channel: str | None = None) -> dict:
    with s.store.lock:
        workspace_sid = ws["sid"]
        workers = workers_of(s, workspace_sid)
        return {"activity_statistics": activity_statistics(s, workspace_sid, workers),
                **_task_figures(s, _active_tasks(s, workspace_sid, channel)),
                "total_workers": len(workers)}


def _available_activities(s, workspace_sid: str) -> set[str]:
    return {a["sid"] for a in activities_of(s, workspace_sid) if a["available"]}


def queue_realtime(s, queue: dict, *, channel: str | None = None) -> dict:
    with s.store.lock:
        ws_sid = queue["workspace_sid"]
        eligible = [w for w in workers_of(s, ws_sid) if worker_in_queue(queue, w)]
        available = _available_activities(s, ws_sid)
        tasks = _active_tasks(s, ws_sid, channel, lambda t: t["task_queue_sid"] == queue["sid"])
        in_queue_age, in_queue_sid = _longest(s, tasks, "task_queue_entered_date")
        return {"activity_statistics": activity_statistics(s, ws_sid, eligible),
                **_task_figures(s, tasks),
                "longest_relative_task_age_in_queue": in_queue_age,
                "longest_relative_task_sid_in_queue": in_queue_sid,
                "total_available_workers": sum(1 for w in eligible if w["activity_sid"] in available),
                "total_eligible_workers": len(eligible)}


def _empty_queue_realtime(s, workspace_sid: str) -> dict:
    """What a TaskQueue SID that is not the workspace's gets in a bulk request: zeros."""
    return {"activity_statistics": activity_statistics(s, workspace_sid, []),
            "longest_task_waiting_age": 0, "longest_task_waiting_sid": None,
            "tasks_by_priority": {}, "tasks_by_status": {status: 0 for status in ACTIVE},
            "total_tasks": 0, "total_available_workers": 0, "total_eligible_workers": 0}


def bulk_queue_realtime(s, workspace_sid: str, queue_sids) -> list[dict]:
    """Real-time statistics of up to 50 queues, in the order asked; a well-formed SID that is
    not one of the workspace's queues gets zeros."""
    if not isinstance(queue_sids, list) or not 1 <= len(queue_sids) <= BULK_MAX:
        raise TwilioError.invalid("QueueSids", f"must be a list of 1 to {BULK_MAX} TaskQueue SIDs")
    for sid in queue_sids:
        if not isinstance(sid, str) or not _QUEUE_SID.match(sid):
            raise TwilioError.invalid("QueueSids", f"{sid!r} is not a TaskQueue SID")
    queues = {q["sid"]: q for q in task_queues_of(s, workspace_sid)}
    out = []
    for sid in queue_sids:
        figures = (queue_realtime(s, queues[sid]) if sid in queues
                   else _empty_queue_realtime(s, workspace_sid))
        figures.pop("longest_relative_task_age_in_queue", None)
        figures.pop("longest_relative_task_sid_in_queue", None)
        out.append({"task_queue_sid": sid, **figures})
    return out


def workflow_realtime(s, workflow: dict, *, channel: str | None = None) -> dict:
    with s.store.lock:
        tasks = _active_tasks(s, workflow["workspace_sid"], channel,
                              lambda t: t["workflow_sid"] == workflow["sid"])
        return _task_figures(s, tasks)


def workers_in_scope(s, workspace_sid: str, *, friendly_name: str | None = None,
                     task_queue_sid: str | None = None,
                     task_queue_name: str | None = None) -> list[dict]:
    """The workers a Workers statistics request is about (all, or those named / in a queue)."""
    fetch = list_workers(s, workspace_sid, friendly_name=friendly_name,
                         queue_sid=task_queue_sid, queue_name=task_queue_name)
    return fetch(None, 0, None)


def workers_realtime(s, workspace_sid: str, workers: list[dict]) -> dict:
    return {"activity_statistics": activity_statistics(s, workspace_sid, workers),
            "total_workers": len(workers)}


# -- cumulative --------------------------------------------------------------------------------
def _whole(seconds: float) -> int:
    """Seconds rounded half up (6.5 -> 7)."""
    return int(seconds + 0.5)


def durations(values: list[float]) -> dict:
    """``{avg, min, max, total}`` in whole seconds (zeros when there is nothing)."""
    if not values:
        return {"avg": 0, "min": 0, "max": 0, "total": 0}
    total = sum(values)
    return {"avg": _whole(total / len(values)), "min": _whole(min(values)),
            "max": _whole(max(values)), "total": _whole(total)}


def _split(thresholds: list[int] | None, accepted: list[float], canceled: list[float]):
    if thresholds is None:
        return None
    out = {}
    for t in thresholds:
        out[str(t)] = {
            "above": {"tasks_canceled": sum(1 for w in canceled if w > t),
                      "reservations_accepted": sum(1 for w in accepted if w > t)},
            "below": {"tasks_canceled": sum(1 for w in canceled if w <= t),
                      "reservations_accepted": sum(1 for w in accepted if w <= t)},
        }
    return out


def _in_channel(event: dict, channel: str | None) -> bool:
    return channel is None or event["event_data"].get("task_channel_unique_name") == channel


def _routing_cumulative(s, workspace_sid: str, start: datetime, end: datetime, *, scope: str,
                        sid: str | None, channel: str | None,
                        thresholds: list[int] | None) -> dict:
    """Cumulative figures of the workspace, one workflow or one queue (``scope``)."""
    lo, hi = _ms(start), _ms(end)
    field = {"workspace": None, "workflow": "workflow_sid", "queue": "task_queue_sid"}[scope]
    entered_type = {"workspace": "task.created", "workflow": "workflow.entered",
                    "queue": "task-queue.entered"}[scope]
    counts = dict.fromkeys(RESERVATION_OUTCOMES.values(), 0)
    counts.update(tasks_entered=0, tasks_canceled=0, tasks_completed=0, tasks_deleted=0,
                  tasks_moved=0, tasks_timed_out_in_workflow=0)
    accepted, canceled, in_queue = [], [], []
    last_entered: dict[str, tuple[str, int]] = {}   # task -> (queue, when) of its last entry
    stream = events_between(s, workspace_sid, lo, hi)
    if scope == "queue":   # a move or an in-queue wait needs the task's entry, maybe earlier
        needed = {e["event_data"].get("task_sid") for e in stream
                  if e["event_type"] in ("task-queue.moved", "reservation.accepted")}
        if needed:
            stream = events_between(s, workspace_sid, None, lo - 1, {"task-queue.entered"},
                                    lambda e: e["event_data"].get("task_sid") in needed) + stream
    for e in stream:
        data, kind = e["event_data"], e["event_type"]
        if kind == "task-queue.entered":
            last_entered[data.get("task_sid")] = (e["resource_sid"], e["event_date_ms"])
        if e["event_date_ms"] < lo or not _in_channel(e, channel):
            continue
        if scope == "queue" and kind == "task-queue.moved":
            previous = last_entered.get(data.get("task_sid"))
            if previous is not None and previous[0] == sid:
                counts["tasks_moved"] += 1
            continue
        if field is not None and data.get(field) != sid:
            continue
        if kind in RESERVATION_OUTCOMES:
            counts[RESERVATION_OUTCOMES[kind]] += 1
            if kind == "reservation.accepted":
                accepted.append(data.get("task_age", 0))
                entry = last_entered.get(data.get("task_sid"))
                if scope == "queue" and entry is not None and entry[0] == sid:
                    in_queue.append(max(e["event_date_ms"] - entry[1], 0) / 1000)
        elif kind == entered_type:
            counts["tasks_entered"] += 1
        elif kind == "task.canceled":
            counts["tasks_canceled"] += 1
            canceled.append(data.get("task_age", 0))
        elif kind == "task.completed":
            counts["tasks_completed"] += 1
        elif kind == "task.deleted":
            counts["tasks_deleted"] += 1
        elif kind == "task-queue.moved":
            counts["tasks_moved"] += 1
        elif kind == "workflow.timeout":
            counts["tasks_timed_out_in_workflow"] += 1
    out = {"avg_task_acceptance_time": durations(accepted)["avg"],
           "start_time": iso(start), "end_time": iso(end),
           **{name: counts[name] for name in RESERVATION_OUTCOMES.values()},
           "split_by_wait_time": _split(thresholds, accepted, canceled),
           "wait_duration_until_accepted": durations(accepted),
           "wait_duration_until_canceled": durations(canceled),
           "tasks_canceled": counts["tasks_canceled"],
           "tasks_completed": counts["tasks_completed"],
           "tasks_created" if scope == "workspace" else "tasks_entered": counts["tasks_entered"],
           "tasks_deleted": counts["tasks_deleted"],
           "tasks_moved": counts["tasks_moved"]}
    if scope == "queue":
        out["wait_duration_in_queue_until_accepted"] = durations(in_queue)
    else:
        out["tasks_timed_out_in_workflow"] = counts["tasks_timed_out_in_workflow"]
    return out


def workspace_cumulative(s, ws: dict, start: datetime, end: datetime, *,
                         channel: str | None = None, thresholds: list[int] | None = None) -> dict:
    with s.store.lock:
        return _routing_cumulative(s, ws["sid"], start, end, scope="workspace", sid=None,
                                   channel=channel, thresholds=thresholds)


def workflow_cumulative(s, workflow: dict, start: datetime, end: datetime, *,
                        channel: str | None = None, thresholds: list[int] | None = None) -> dict:
    with s.store.lock:
        return _routing_cumulative(s, workflow["workspace_sid"], start, end, scope="workflow",
                                   sid=workflow["sid"], channel=channel, thresholds=thresholds)


def queue_cumulative(s, queue: dict, start: datetime, end: datetime, *,
                     channel: str | None = None, thresholds: list[int] | None = None) -> dict:
    with s.store.lock:
        return _routing_cumulative(s, queue["workspace_sid"], start, end, scope="queue",
                                   sid=queue["sid"], channel=channel, thresholds=thresholds)


def _activity_time(s, workspace_sid: str, start: datetime, end: datetime,
                   worker_sids: set[str] | None) -> dict[str, dict[str, float]]:
    """Seconds each worker spent in each activity within the window."""
    lo, hi = _ms(start), _ms(end)
    now = _ms(s.clock.now())
    spent: dict[str, dict[str, float]] = {}

    def add(worker_sid: str, activity_sid: str | None, began: int, ended: int):
        overlap = min(ended, hi) - max(began, lo)
        if activity_sid and overlap > 0 and (worker_sids is None or worker_sid in worker_sids):
            per_worker = spent.setdefault(activity_sid, {})
            per_worker[worker_sid] = per_worker.get(worker_sid, 0) + overlap / 1000

    for e in events_between(s, workspace_sid, lo, max(now, hi), {"worker.activity.update"}):
        data = e["event_data"]
        length = data.get("worker_time_in_previous_activity_ms", 0)
        add(data.get("worker_sid", e["resource_sid"]), data.get("worker_previous_activity_sid"),
            e["event_date_ms"] - length, e["event_date_ms"])
    for worker in workers_of(s, workspace_sid):
        add(worker["sid"], worker["activity_sid"], _ms(parse_iso(worker["date_status_changed"])),
            now)
    return spent


def workers_cumulative(s, workspace_sid: str, start: datetime, end: datetime, *,
                       channel: str | None = None, worker_sids: set[str] | None = None) -> dict:
    """Reservations of the workers (all when ``worker_sids`` is None) and their time in each
    activity: per activity ``{sid, friendly_name, avg, min, max, total}`` over the workers who
    spent time in it."""
    with s.store.lock:
        counts = dict.fromkeys(RESERVATION_OUTCOMES.values(), 0)
        for e in events_between(s, workspace_sid, _ms(start), _ms(end), set(RESERVATION_OUTCOMES)):
            if _in_channel(e, channel) and (worker_sids is None
                                            or e["event_data"].get("worker_sid") in worker_sids):
                counts[RESERVATION_OUTCOMES[e["event_type"]]] += 1
        spent = _activity_time(s, workspace_sid, start, end, worker_sids)
        activity_durations = [
            {"sid": a["sid"], "friendly_name": a["friendly_name"],
             **durations(list(spent.get(a["sid"], {}).values()))}
            for a in activities_of(s, workspace_sid)]
        return {"start_time": iso(start), "end_time": iso(end),
                "activity_durations": activity_durations, **counts}

