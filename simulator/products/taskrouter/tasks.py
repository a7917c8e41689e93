"""TaskRouter Tasks: /v1/Workspaces/{WorkspaceSid}/Tasks.

Create, fetch and update answer with the task's version as their ``ETag``; update and delete
take ``If-Match`` (412, 20412, when the task moved on).
"""
from __future__ import annotations

from flask import request

from ...current import sim
from ...domain.taskrouter import task_queues, tasks, workflows
from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...wire import boolean, choice, integer, list_v1, params, text
from . import bp, workspace_of, ws_url

PRIORITY_MAX = 2**31 - 1


def _friendly_name(lookup, ws_sid: str, sid: str | None) -> str | None:
    if sid is None:
        return None
    try:
        return lookup(sim(), ws_sid, sid)["friendly_name"]
    except TwilioError:   # deleted since
        return None


def to_wire(t: dict) -> dict:
    ws, sid = t["workspace_sid"], t["sid"]
    base = f"/Tasks/{sid}"
    links = {"workspace": ws_url(ws), "reservations": ws_url(ws, base + "/Reservations")}
    if t["task_queue_sid"]:
        links["task_queue"] = ws_url(ws, f"/TaskQueues/{t['task_queue_sid']}")
    if t["workflow_sid"]:
        links["workflow"] = ws_url(ws, f"/Workflows/{t['workflow_sid']}")
    return {
        "account_sid": t["account_sid"],
        "age": tasks.age(sim(), t),
        "assignment_status": t["assignment_status"],
        "attributes": t["attributes"],
        "addons": t["addons"],
        "date_created": t["date_created"],
        "date_updated": t["date_updated"],
        "task_queue_entered_date": t["task_queue_entered_date"],
        "priority": t["priority"],
        "reason": t["reason"],
        "sid": sid,
        "task_queue_sid": t["task_queue_sid"],
        "task_queue_friendly_name": _friendly_name(task_queues.task_queue_of, ws,
                                                   t["task_queue_sid"]),
        "task_channel_sid": t["task_channel_sid"],
        "task_channel_unique_name": t["task_channel_unique_name"],
        "timeout": t["timeout"],
        "workflow_sid": t["workflow_sid"],
        "workflow_friendly_name": _friendly_name(workflows.workflow_of, ws, t["workflow_sid"]),
        "workspace_sid": ws,
        "url": ws_url(ws, base),
        "links": links,
        "virtual_start_time": t["virtual_start_time"],
        "ignore_capacity": t["ignore_capacity"],
        "routing_target": t["routing_target"],
    }


def _with_etag(task: dict, status: int = 200):
    return to_wire(task), status, {"ETag": str(task["version"])}


def _priority() -> int | None:
    return integer("Priority", minimum=0, maximum=PRIORITY_MAX)


@bp.post("/Workspaces/<ws_sid>/Tasks")
def create_task(ws_sid):
    ws = workspace_of(ws_sid)
    task = tasks.create_task(
        sim(), ws, attributes=text("Attributes"), priority=_priority(),
        timeout=integer("Timeout"), task_channel=text("TaskChannel"),
        workflow_sid=text("WorkflowSid"), routing_target=text("RoutingTarget"),
        ignore_capacity=boolean("IgnoreCapacity"), virtual_start_time=text("VirtualStartTime"),
        task_queue_sid=text("TaskQueueSid"))
    return _with_etag(task, 201)


def _statuses() -> list[str] | None:
    """``AssignmentStatus``, repeated or comma-separated."""
    found = [v.strip() for value in params().getlist("AssignmentStatus")
             for v in value.split(",") if v.strip()]
    for status in found:
        if status not in rules.TASK_STATUSES:
            raise TwilioError.invalid("AssignmentStatus",
                                      "must be one of " + ", ".join(rules.TASK_STATUSES))
    return found or None


@bp.get("/Workspaces/<ws_sid>/Tasks")
def list_tasks(ws_sid):
    workspace_of(ws_sid)
    fetch = tasks.list_tasks(
        sim(), ws_sid, statuses=_statuses(), priority=integer("Priority"),
        workflow_sid=text("WorkflowSid"), workflow_name=text("WorkflowName"),
        queue_sid=text("TaskQueueSid"), queue_name=text("TaskQueueName"),
        evaluate=text("EvaluateTaskAttributes"), routing_target=text("RoutingTarget"),
        has_addons=boolean("HasAddons"), ordering=tasks.parse_task_ordering(text("Ordering")))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Tasks", "tasks", fetch, to_wire)


@bp.get("/Workspaces/<ws_sid>/Tasks/<sid>")
def fetch_task(ws_sid, sid):
    workspace_of(ws_sid)
    return _with_etag(tasks.task_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Tasks/<sid>")
def update_task(ws_sid, sid):
    workspace_of(ws_sid)
    task = tasks.task_of(sim(), ws_sid, sid)
    task = tasks.update_task(
        sim(), task, attributes=text("Attributes"), priority=_priority(),
        task_channel=text("TaskChannel"),
        assignment_status=choice("AssignmentStatus", rules.TASK_STATUSES),
        reason=text("Reason"), virtual_start_time=text("VirtualStartTime"),
        if_match=request.headers.get("If-Match"))
    return _with_etag(task)


@bp.delete("/Workspaces/<ws_sid>/Tasks/<sid>")
def delete_task(ws_sid, sid):
    workspace_of(ws_sid)
    tasks.delete_task(sim(), tasks.task_of(sim(), ws_sid, sid),
                      if_match=request.headers.get("If-Match"))
    return "", 204
