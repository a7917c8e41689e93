"""TaskRouter Workspaces: the container of a TaskRouter setup, in one account."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from .activities import new_activity
from .task_channels import new_task_channel
from .task_queues import new_task_queue
from .workflows import new_workflow

CHILD_TABLES = ("tr_activities", "tr_workers", "tr_task_queues", "tr_workflows",
                "tr_task_channels")


def new_workspace(s, account_sid: str, friendly_name: str, *, template: str = "NONE",
                  event_callback_url: str | None = None, events_filter: str | None = None,
                  multi_task_enabled: bool = True, prioritize_queue_order: str = "FIFO",
                  activities=rules.DEFAULT_ACTIVITIES) -> dict:
    """A workspace with its default activities (the first is the default and
    timeout activity) and the standard task channels; ``template="FIFO"`` adds
    a queue and a workflow routing to it."""
    now = s.now()
    ws = s.store.insert("tr_workspaces", {
        "sid": s.ids.sid("WS"), "account_sid": account_sid, "friendly_name": friendly_name,
        "event_callback_url": event_callback_url, "events_filter": events_filter,
        "multi_task_enabled": multi_task_enabled,
        "prioritize_queue_order": prioritize_queue_order,
        "default_activity_sid": None, "timeout_activity_sid": None,
        "date_created": now, "date_updated": now,
    })
    made = [new_activity(s, ws, name, available) for name, available in activities]
    for friendly, unique in rules.DEFAULT_TASK_CHANNELS:
        new_task_channel(s, ws, friendly, unique)
    ws = s.store.update("tr_workspaces", ws["sid"], {"default_activity_sid": made[0]["sid"],
                                                     "timeout_activity_sid": made[0]["sid"]})
    if template == "FIFO":
        queue = new_task_queue(s, ws, "Sample Queue")
        new_workflow(s, ws, "Default Fifo Workflow", rules.queue_configuration(queue["sid"]))
    return ws


def workspace_of(s, account_sid: str, sid: str) -> dict:
    """The workspace ``sid``, if it belongs to the account (else a 20404)."""
    ws = s.store.get("tr_workspaces", sid)
    if ws is None or ws["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return ws


def list_workspaces(s, account_sid: str, friendly_name: str | None = None):
    return s.store.pager("tr_workspaces", account_sid,
                         where=(lambda w: w["friendly_name"] == friendly_name)
                         if friendly_name else None)


def update_workspace(s, ws: dict, changes: dict) -> dict:
    s.routing.forget(ws["sid"])   # multitasking and queue order change how work is routed
    return s.modify("tr_workspaces", ws, changes)


def delete_workspace_records(s, ws_sid: str):
    for worker in s.store.owned("tr_workers", ws_sid):
        for ch in s.store.owned("tr_worker_channels", worker["sid"]):
            s.store.delete("tr_worker_channels", ch["sid"])
    for table in CHILD_TABLES:
        for record in s.store.owned(table, ws_sid):
            s.store.delete(table, record["sid"])
    s.store.delete("tr_workspaces", ws_sid)


def delete_workspace(s, ws: dict) -> None:
    """Everything in the workspace goes with it, except the Flex instance's workspace:
    Flex users are its workers."""
    config = s.store.get("flex_configurations", ws["account_sid"])
    if config is not None and config.get("taskrouter_workspace_sid") == ws["sid"]:
        raise TwilioError(20409, "This is the Flex instance's workspace (Configuration "
                                 "taskrouter_workspace_sid); Flex users are its workers")
    with s.store.lock:
        delete_workspace_records(s, ws["sid"])
        s.routing.forget(ws["sid"])
