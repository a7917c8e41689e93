"""TaskRouter Workflows: /v1/Workspaces/{WorkspaceSid}/Workflows."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import boolean, integer, list_v1, text
from . import bp, child_of, workspace_of, ws_url


def _queue_sids(ws_sid: str) -> set[str]:
    return {q["sid"] for q in sim().store.owned("tr_task_queues", ws_sid)}


def new_workflow(ws: dict, friendly_name: str, configuration: str, *,
                 assignment_callback_url: str | None = None,
                 fallback_assignment_callback_url: str | None = None,
                 task_reservation_timeout: int = rules.TASK_RESERVATION_TIMEOUT_DEFAULT) -> dict:
    rules.check_workflow_configuration(configuration, _queue_sids(ws["sid"]))
    s = sim()
    now = s.now()
    return s.store.insert("tr_workflows", {
        "sid": s.ids.sid("WW"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "configuration": configuration,
        "assignment_callback_url": assignment_callback_url,
        "fallback_assignment_callback_url": fallback_assignment_callback_url,
        "task_reservation_timeout": task_reservation_timeout,
        "date_created": now, "date_updated": now,
    })


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
    wf = new_workflow(ws, name, text("Configuration"),
                      assignment_callback_url=text("AssignmentCallbackUrl"),
                      fallback_assignment_callback_url=text("FallbackAssignmentCallbackUrl"),
                      task_reservation_timeout=timeout)
    return to_wire(wf), 201


@bp.get("/Workspaces/<ws_sid>/Workflows")
def list_workflows(ws_sid):
    workspace_of(ws_sid)
    name = text("FriendlyName")

    fetch = sim().store.pager("tr_workflows", ws_sid,
                              where=(lambda w: w["friendly_name"] == name) if name else None)

    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workflows", "workflows", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/Workflows/<sid>")
def fetch_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(child_of("tr_workflows", ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Workflows/<sid>")
def update_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    wf = child_of("tr_workflows", ws_sid, sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    config = text("Configuration")
    if config is not None:
        rules.check_workflow_configuration(config, _queue_sids(ws_sid))
        changes["configuration"] = config
    timeout = integer("TaskReservationTimeout")
    if timeout is not None:
        changes["task_reservation_timeout"] = rules.check_reservation_timeout(timeout)
    for param, field in (("AssignmentCallbackUrl", "assignment_callback_url"),
                         ("FallbackAssignmentCallbackUrl", "fallback_assignment_callback_url")):
        value = text(param)
        if value is not None:
            changes[field] = value
    boolean("ReEvaluateTasks")  # validated; there are no tasks to re-evaluate yet
    return to_wire(sim().modify("tr_workflows", wf, changes))


@bp.delete("/Workspaces/<ws_sid>/Workflows/<sid>")
def delete_workflow(ws_sid, sid):
    workspace_of(ws_sid)
    wf = child_of("tr_workflows", ws_sid, sid)
    flex = sim().store.owned("flex_configurations", wf["account_sid"], limit=1)
    if flex and flex[0].get("taskrouter_target_workflow_sid") == sid:
        raise TwilioError(20409, "This Workflow is the Flex instance's target workflow "
                                 "(Configuration taskrouter_target_workflow_sid)")
    sim().store.delete("tr_workflows", wf["sid"])
    return "", 204
