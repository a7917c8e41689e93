"""TaskRouter Workflows: /v1/Workspaces/{WorkspaceSid}/Workflows."""
from __future__ import annotations

from ...current import sim
from ...domain.taskrouter import workflows
from ...rules import taskrouter as rules
from ...wire import boolean, integer, list_v1, text
from . import bp, workspace_of, ws_url

CALLBACKS = (("AssignmentCallbackUrl", "assignment_callback_url"),
             ("FallbackAssignmentCallbackUrl", "fallback_assignment_callback_url"))


def to_wire(w: dict) -> dict:
    ws, sid = w["workspace_sid"], w["sid"]
    base = f"/Workflows/{sid}"
    return {
        "account_sid": w["account_sid"],
        "assignment_callback_url": w["assignment_callback_url"],
        "configuration": w["configuration"],
        "date_created": w["date_created"],
        "date_updated": w["date_updated"],
        "document_content_type": "application/json",
        "fallback_assignment_callback_url": w["fallback_assignment_callback_url"],
        "friendly_name": w["friendly_name"],
        "sid": sid,
        "task_reservation_timeout": w["task_reservation_timeout"],
        "workspace_sid": ws,
        "url": ws_url(ws, base),
        "links": {"statistics": ws_url(ws, base + "/Statistics"),
                  "real_time_statistics": ws_url(ws, base + "/RealTimeStatistics"),
                  "cumulative_statistics": ws_url(ws, base + "/CumulativeStatistics")},
    }


@bp.post("/Workspaces/<ws_sid>/Workflows")
def create_workflow(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    timeout = rules.check_reservation_timeout(integer("TaskReservationTimeout"))
    urls = {field: rules.callback_url(text(param), param) for param, field in CALLBACKS}
    wf = workflows.new_workflow(sim(), ws, name, text("Configuration"),
                                task_reservation_timeout=timeout, **urls)
    return to_wire(wf), 201


@bp.get("/Workspaces/<ws_sid>/Workflows")
def list_workflows(ws_sid):
    workspace_of(ws_sid)
    fetch = workflows.list_workflows(sim(), ws_sid, text("FriendlyName"))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workflows", "workflows", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/Workflows/<sid>")
def fetch_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(workflows.workflow_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Workflows/<sid>")
def update_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    wf = workflows.workflow_of(sim(), ws_sid, sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    config = text("Configuration")
    if config is not None:
        workflows.check_configuration(sim(), ws_sid, config)
        changes["configuration"] = config
    timeout = integer("TaskReservationTimeout")
    if timeout is not None:
        changes["task_reservation_timeout"] = rules.check_reservation_timeout(timeout)
    for param, field in CALLBACKS:
        value = text(param)
        if value is not None:   # an empty value clears it
            changes[field] = rules.callback_url(value, param)
    re_evaluate = boolean("ReEvaluateTasks", False)
    return to_wire(workflows.update_workflow(sim(), wf, changes, re_evaluate=re_evaluate))


@bp.delete("/Workspaces/<ws_sid>/Workflows/<sid>")
def delete_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    workflows.delete_workflow(sim(), workflows.workflow_of(sim(), ws_sid, sid))
    return "", 204
