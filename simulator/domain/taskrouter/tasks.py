"""Tasks: created into a workflow (or straight to a queue or worker), updated, canceled,
completed, deleted; and their clock: routing step timeouts, the TTL (``Timeout``, default
86,400 s: canceled "Task TTL Exceeded"), and the deletion of finished tasks five minutes later.

A task's ``attributes`` are kept as the string the client sent. Every change moves the task's
version, which Twilio returns as its ``ETag``; an update or delete with ``If-Match`` is refused
with 412 (20412) when the version moved on.
"""
from __future__ import annotations

import json
import time

from ...dates import iso, parse_iso, parse_param
from ...errors import TwilioError
from ...paging import in_order
from ...rules import taskrouter as rules
from ...scheduler import handler
from . import engine
from .events import emit, task_fields
from .reservations import complete, reservations_of_task, wrap
from .session import routing_change

ORDERING_FIELDS = {"DateCreated": "date_created", "Priority": "priority",
                   "VirtualStartTime": "virtual_start_time"}


def task_of(s, workspace_sid: str, sid: str) -> dict:
    task = s.store.get("tr_tasks", sid)
    if task is None or task["workspace_sid"] != workspace_sid:
        raise TwilioError.not_found()
    return task


def _channel(s, workspace_sid: str, value: str | None) -> dict:
    """A TaskChannel by unique name or TC SID (default: ``default``)."""
    value = value or "default"
    for channel in s.store.owned("tr_task_channels", workspace_sid):
        if value in (channel["sid"], channel["unique_name"]):
            return channel
    raise TwilioError.invalid("TaskChannel", f"{value} is not a TaskChannel of this workspace")


def _workflow(s, workspace_sid: str, sid: str | None) -> dict:
    """The task's workflow: the one named, or the workspace's only one."""
    if sid is not None:
        workflow = s.store.get("tr_workflows", sid)
        if workflow is None or workflow["workspace_sid"] != workspace_sid:
            raise TwilioError.invalid("WorkflowSid", f"{sid} is not a Workflow of this workspace")
        return workflow
    workflows = s.store.owned("tr_workflows", workspace_sid, limit=2)
    if len(workflows) != 1:
        raise TwilioError(20001, "Missing required parameter WorkflowSid: the workspace has "
                                 f"{len(workflows)} workflows")
    return workflows[0]


def _virtual_start(s, value: str | None) -> str | None:
    """Not in the future, not before 1900."""
    if value is None:
        return None
    when = parse_param(value, "VirtualStartTime", "an ISO 8601 timestamp")
    if when > s.clock.now() or when.year < 1900:
        raise TwilioError.invalid("VirtualStartTime", "must be in the past and after 1900")
    return iso(when)


def _routing_target(s, workspace_sid: str, target: str | None) -> str | None:
    if target is None:
        return None
    table = {"WK": "tr_workers", "WQ": "tr_task_queues", "WW": "tr_workflows"}.get(target[:2])
    record = s.store.get(table, target) if table else None
    if record is None or record["workspace_sid"] != workspace_sid:
        raise TwilioError.invalid("RoutingTarget", f"{target} is not a Worker, TaskQueue or "
                                                   "Workflow of this workspace")
    return target


def create_task(s, ws: dict, *, attributes: str | None = None, priority: int | None = None,
                timeout: int | None = None, task_channel: str | None = None,
                workflow_sid: str | None = None, routing_target: str | None = None,
                ignore_capacity: bool | None = None, virtual_start_time: str | None = None,
                task_queue_sid: str | None = None) -> dict:
    attributes = attributes if attributes not in (None, "") else "{}"
    rules.attributes_json(attributes)
    timeout = rules.TASK_TIMEOUT_DEFAULT if timeout is None else timeout
    if not 1 <= timeout <= rules.TASK_TIMEOUT_MAX:
        raise TwilioError.invalid("Timeout", f"must be between 1 and {rules.TASK_TIMEOUT_MAX}")
    if ignore_capacity is not None and not (routing_target or "").startswith("WK"):
        raise TwilioError.invalid("IgnoreCapacity", "applies only with a Worker RoutingTarget")
    with routing_change(s):
        channel = _channel(s, ws["sid"], task_channel)
        routing_target = _routing_target(s, ws["sid"], routing_target or task_queue_sid)
        workflow = None
        if routing_target and routing_target.startswith("WW"):
            workflow = _workflow(s, ws["sid"], routing_target)
        elif routing_target is None:
            workflow = _workflow(s, ws["sid"], workflow_sid)
        elif workflow_sid is not None:
            workflow = _workflow(s, ws["sid"], workflow_sid)
        now = s.now()
        task = s.store.insert("tr_tasks", {
            "sid": s.ids.sid("WT"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
            "attributes": attributes, "assignment_status": "pending",
            "priority": priority or 0, "timeout": timeout, "reason": None,
            "task_queue_sid": None, "task_queue_entered_date": None,
            "task_channel_sid": channel["sid"], "task_channel_unique_name": channel["unique_name"],
            "workflow_sid": workflow["sid"] if workflow else None,
            "date_created": now, "date_updated": now,
            "virtual_start_time": _virtual_start(s, virtual_start_time) or now,
            "routing_target": routing_target,
            "ignore_capacity": (True if ignore_capacity is None else ignore_capacity)
            if (routing_target or "").startswith("WK") else None,
            "addons": "{}", "version": 0, "reservation_sids": [], "rejections": 0,
            "created_ns": time.time_ns(),   # creation order within one clock second
            "routing": {"filter": None, "steps": [], "step": -1, "expired": False},
        })
        emit(s, ws["sid"], "task.created", task["sid"], f"Task {task['sid']} created",
             task_fields(s, task))
        s.scheduler.schedule("taskrouter.ttl", task["sid"], timeout)
        engine.route(s, task)
        return s.store.get("tr_tasks", task["sid"])


def update_task(s, task: dict, *, attributes: str | None = None, priority: int | None = None,
                task_channel: str | None = None, assignment_status: str | None = None,
                reason: str | None = None, virtual_start_time: str | None = None,
                if_match: str | None = None) -> dict:
    with routing_change(s):
        task = s.store.require("tr_tasks", task["sid"])
        engine.check_version(task, if_match)
        if assignment_status is not None:
            rules.check_task_transition(task["assignment_status"], assignment_status, task["sid"],
                                        task["workspace_sid"], task["account_sid"])
            if assignment_status in ("canceled", "completed") and not reason:
                raise TwilioError(20001, "Missing required parameter Reason: it is required to "
                                         f"set AssignmentStatus to {assignment_status}")
        changes = {}
        if attributes is not None:
            rules.attributes_json(attributes)
            changes["attributes"] = attributes or "{}"   # as sent; empty is no attributes
        if priority is not None:
            changes["priority"] = priority
        if task_channel is not None:
            channel = _channel(s, task["workspace_sid"], task_channel)
            changes.update(task_channel_sid=channel["sid"],
                           task_channel_unique_name=channel["unique_name"])
        if virtual_start_time is not None:
            changes["virtual_start_time"] = _virtual_start(s, virtual_start_time)
        if changes:
            waiting = task["assignment_status"] == "pending"
            idx = engine.index(s, task["workspace_sid"])
            if waiting:
                idx.unwait(task)
            task = engine.bump(s, "tr_tasks", task, changes)
            emit(s, task["workspace_sid"], "task.updated", task["sid"],
                 f"Task {task['sid']} updated", task_fields(s, task))
            if waiting:   # new attributes, priority or channel: where and when may change
                engine.serve_queue(s, task)
        if assignment_status == "canceled":
            task = engine.cancel(s, task, reason)
        elif assignment_status == "wrapping":
            for r in reservations_of_task(s, task, "accepted"):
                wrap(s, r)
        elif assignment_status == "completed":
            for r in reservations_of_task(s, task, "accepted") + reservations_of_task(s, task, "wrapping"):
                complete(s, r, reason=reason)
        return s.store.require("tr_tasks", task["sid"])


def delete_task(s, task: dict, *, if_match: str | None = None):
    with routing_change(s):
        task = s.store.require("tr_tasks", task["sid"])
        engine.check_version(task, if_match)
        engine.index(s, task["workspace_sid"]).unwait(task)
        ended = engine.end_reservations(s, task, "canceled")
        ended += engine.end_reservations(s, task, "completed", only=("accepted", "wrapping"))
        s.scheduler.cancel(task["sid"])
        emit(s, task["workspace_sid"], "task.deleted", task["sid"],
             f"Task {task['sid']} deleted", task_fields(s, task))
        _forget(s, task)
        for reservation in ended:
            engine.free_worker(s, reservation)


def _forget(s, task: dict):
    for sid in task.get("reservation_sids", []):
        s.store.delete("tr_reservations", sid)
        s.scheduler.cancel(sid)
    s.store.delete("tr_tasks", task["sid"])


def list_tasks(s, workspace_sid: str, *, statuses: list[str] | None = None,
               priority: int | None = None, workflow_sid: str | None = None,
               workflow_name: str | None = None, queue_sid: str | None = None,
               queue_name: str | None = None, evaluate: str | None = None,
               routing_target: str | None = None, has_addons: bool | None = None,
               ordering: list[tuple[str, bool]] | None = None):
    """The tasks matching every filter given, in ``ordering`` (default: oldest first)."""
    workflows = {w["sid"]: w["friendly_name"] for w in s.store.owned("tr_workflows", workspace_sid)}
    queues = {q["sid"]: q["friendly_name"] for q in s.store.owned("tr_task_queues", workspace_sid)}
    if evaluate:
        rules.parse_expression(evaluate, "EvaluateTaskAttributes")

    def where(t):
        return ((not statuses or t["assignment_status"] in statuses)
                and (priority is None or t["priority"] == priority)
                and (workflow_sid is None or t["workflow_sid"] == workflow_sid)
                and (workflow_name is None or workflows.get(t["workflow_sid"]) == workflow_name)
                and (queue_sid is None or t["task_queue_sid"] == queue_sid)
                and (queue_name is None or queues.get(t["task_queue_sid"]) == queue_name)
                and (routing_target is None or t["routing_target"] == routing_target)
                and (has_addons is None or (t["addons"] not in (None, "{}")) == has_addons)
                and (not evaluate or rules.matches(evaluate, json.loads(t["attributes"]), ("task",))))

    if not ordering:
        return s.store.pager("tr_tasks", workspace_sid, where=where)
    found = s.store.owned("tr_tasks", workspace_sid, where=where)
    for field, descending in reversed(ordering):
        found.sort(key=lambda t: t[ORDERING_FIELDS[field]], reverse=descending)
    return in_order(found)


def parse_task_ordering(value: str | None) -> list[tuple[str, bool]] | None:
    """``Priority:desc,DateCreated:asc``; DateCreated and VirtualStartTime do not pair."""
    if not value:
        return None
    out = []
    for part in value.split(","):
        field, _, direction = part.strip().partition(":")
        direction = direction or "asc"
        if field not in ORDERING_FIELDS or direction not in ("asc", "desc"):
            raise TwilioError.invalid("Ordering", "must be Attribute:asc|desc pairs, Attribute one "
                                                  "of DateCreated, Priority, VirtualStartTime")
        out.append((field, direction == "desc"))
    fields = {f for f, _ in out}
    if {"DateCreated", "VirtualStartTime"} <= fields:
        raise TwilioError.invalid("Ordering", "DateCreated and VirtualStartTime cannot be paired")
    return out


def age(s, task: dict) -> int:
    return int((s.clock.now() - parse_iso(task["date_created"])).total_seconds())


# -- the clock ------------------------------------------------------------------------------------
@handler("taskrouter.step")
def _step_timed_out(s, timer):
    with routing_change(s):
        task = s.store.get("tr_tasks", timer["target"])
        if task is None or task["assignment_status"] not in ("pending", "reserved") \
                or task["routing"]["step"] != timer["data"]["step"]:
            return
        engine.next_step(s, task)


@handler("taskrouter.ttl")
def _ttl(s, timer):
    with routing_change(s):
        task = s.store.get("tr_tasks", timer["target"])
        if task is None or task["assignment_status"] not in ("pending", "reserved"):
            return
        engine.cancel(s, task, "Task TTL Exceeded")


@handler("taskrouter.purge")
def _purge(s, timer):
    """Canceled and completed tasks are deleted five minutes after they end."""
    with routing_change(s):
        task = s.store.get("tr_tasks", timer["target"])
        if task is None or task["assignment_status"] not in rules.TASK_FINAL:
            return
        emit(s, task["workspace_sid"], "task.system-deleted", task["sid"],
             f"Task {task['sid']} deleted by TaskRouter", task_fields(s, task))
        _forget(s, task)
