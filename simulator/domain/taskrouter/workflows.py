"""TaskRouter Workflows: the routing configuration that sends tasks to queues."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from . import child_of, engine
from .session import routing_change
from .task_queues import task_queues_of


def _queue_sids(s, ws_sid: str) -> set[str]:
    return {q["sid"] for q in task_queues_of(s, ws_sid)}


def check_configuration(s, ws_sid: str, configuration: str | None) -> dict:
    """The parsed configuration, whose every queue is one of the workspace's."""
    return rules.check_workflow_configuration(configuration, _queue_sids(s, ws_sid))


def new_workflow(s, ws: dict, friendly_name: str, configuration: str, *,
                 assignment_callback_url: str | None = None,
                 fallback_assignment_callback_url: str | None = None,
                 task_reservation_timeout: int = rules.TASK_RESERVATION_TIMEOUT_DEFAULT) -> dict:
    check_configuration(s, ws["sid"], configuration)
    now = s.now()
    return s.store.insert("tr_workflows", {
        "sid": s.ids.sid("WW"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "configuration": configuration,
        "assignment_callback_url": assignment_callback_url,
        "fallback_assignment_callback_url": fallback_assignment_callback_url,
        "task_reservation_timeout": task_reservation_timeout,
        "date_created": now, "date_updated": now,
    })


def workflow_of(s, ws_sid: str, sid: str) -> dict:
    return child_of(s, "tr_workflows", ws_sid, sid)


def list_workflows(s, ws_sid: str, friendly_name: str | None = None):
    return s.store.pager("tr_workflows", ws_sid,
                         where=(lambda w: w["friendly_name"] == friendly_name)
                         if friendly_name else None)


def update_workflow(s, wf: dict, changes: dict, *, re_evaluate: bool = False) -> dict:
    """``re_evaluate`` (``ReEvaluateTasks``): the workflow's pending tasks are routed again
    through its (new) configuration."""
    with routing_change(s):
        wf = s.modify("tr_workflows", wf, changes)
        if re_evaluate:
            re_evaluate_tasks(s, wf)
        return wf


def re_evaluate_tasks(s, wf: dict) -> None:
    """Every pending task of the workflow, oldest first, enters it again from its first
    filter: its routing step timers restart from the new configuration."""
    with routing_change(s):
        pending = s.store.owned("tr_tasks", wf["workspace_sid"],
                                where=lambda t: t["workflow_sid"] == wf["sid"]
                                and t["assignment_status"] == "pending")
        for task in pending:
            task = s.store.get("tr_tasks", task["sid"])
            if task is None or task["assignment_status"] != "pending":
                continue   # reserved meanwhile by a task routed before it
            s.scheduler.cancel(task["sid"], "taskrouter.step")
            engine.route(s, task)


def delete_workflow(s, wf: dict) -> None:
    """The Flex instance's target workflow stays while Flex routes to it."""
    flex = s.store.owned("flex_configurations", wf["account_sid"], limit=1)
    if flex and flex[0].get("taskrouter_target_workflow_sid") == wf["sid"]:
        raise TwilioError(20409, "This Workflow is the Flex instance's target workflow "
                                 "(Configuration taskrouter_target_workflow_sid)")
    s.store.delete("tr_workflows", wf["sid"])
