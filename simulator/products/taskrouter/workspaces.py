"""TaskRouter Workspaces: /v1/Workspaces and /v1/Workspaces/{Sid}."""
from __future__ import annotations

from ...auth import principal
from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import boolean, choice, list_v1, text
from . import bp, workspace_of, ws_url

CHILD_TABLES = ("tr_activities", "tr_workers", "tr_task_queues", "tr_workflows",
                "tr_task_channels")
LINKS = {
    "activities": "/Activities", "statistics": "/Statistics",
    "real_time_statistics": "/RealTimeStatistics",
    "cumulative_statistics": "/CumulativeStatistics", "task_queues": "/TaskQueues",
    "tasks": "/Tasks", "workers": "/Workers", "workflows": "/Workflows",
    "task_channels": "/TaskChannels", "events": "/Events",
}


def new_workspace(account_sid: str, friendly_name: str, *, template: str = "NONE",
                  event_callback_url: str | None = None, events_filter: str | None = None,
                  multi_task_enabled: bool = True, prioritize_queue_order: str = "FIFO",
                  activities=rules.DEFAULT_ACTIVITIES) -> dict:
    """A workspace with its default activities (the first is the default and
    timeout activity) and the standard task channels; ``template="FIFO"`` adds
    a queue and a workflow routing to it."""
    from .activities import new_activity
    from .task_channels import new_task_channel
    s = sim()
    now = s.now()
    ws = s.store.insert("tr_workspaces", {
        "sid": s.ids.sid("WS"), "account_sid": account_sid, "friendly_name": friendly_name,
        "event_callback_url": event_callback_url, "events_filter": events_filter,
        "multi_task_enabled": multi_task_enabled,
        "prioritize_queue_order": prioritize_queue_order,
        "default_activity_sid": None, "timeout_activity_sid": None,
        "date_created": now, "date_updated": now,
    })
    made = [new_activity(ws, name, available) for name, available in activities]
    for friendly, unique in rules.DEFAULT_TASK_CHANNELS:
        new_task_channel(ws, friendly, unique)
    ws = s.store.update("tr_workspaces", ws["sid"], {"default_activity_sid": made[0]["sid"],
                                                     "timeout_activity_sid": made[0]["sid"]})
    if template == "FIFO":
        from .task_queues import new_task_queue
        from .workflows import new_workflow
        queue = new_task_queue(ws, "Sample Queue")
        new_workflow(ws, "Default Fifo Workflow", rules.queue_configuration(queue["sid"]))
    return ws


def _activity_name(sid):
    if sid is None:
        return None
    a = sim().store.get("tr_activities", sid)
    return a["friendly_name"] if a else None


def to_wire(w: dict) -> dict:
    return {
        "account_sid": w["account_sid"],
        "date_created": w["date_created"],
        "date_updated": w["date_updated"],
        "default_activity_name": _activity_name(w["default_activity_sid"]),
        "default_activity_sid": w["default_activity_sid"],
        "event_callback_url": w["event_callback_url"],
        "events_filter": w["events_filter"],
        "friendly_name": w["friendly_name"],
        "multi_task_enabled": w["multi_task_enabled"],
        "sid": w["sid"],
        "timeout_activity_name": _activity_name(w["timeout_activity_sid"]),
        "timeout_activity_sid": w["timeout_activity_sid"],
        "prioritize_queue_order": w["prioritize_queue_order"],
        "url": ws_url(w["sid"]),
        "links": {k: ws_url(w["sid"], v) for k, v in LINKS.items()},
    }


@bp.post("/Workspaces")
def create_workspace():
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    template = choice("Template", rules.TEMPLATES, "NONE")
    order = choice("PrioritizeQueueOrder", rules.QUEUE_ORDERS, "FIFO")
    multi = boolean("MultiTaskEnabled", True)
    ws = new_workspace(principal().account_sid, name, template=template,
                       event_callback_url=text("EventCallbackUrl"),
                       events_filter=text("EventsFilter"), multi_task_enabled=multi,
                       prioritize_queue_order=order)
    return to_wire(ws), 201


@bp.get("/Workspaces")
def list_workspaces():
    name = text("FriendlyName")

    fetch = sim().store.pager("tr_workspaces", principal().account_sid,
                              where=(lambda w: w["friendly_name"] == name) if name else None)

    return list_v1("taskrouter", "/v1/Workspaces", "workspaces", fetch, to_wire)


@bp.get("/Workspaces/<sid>")
def fetch_workspace(sid):
    return to_wire(workspace_of(sid))


def _own_activity(ws, name):
    sid = text(name)
    if sid is None:
        return None
    a = sim().store.get("tr_activities", sid)
    if a is None or a["workspace_sid"] != ws["sid"]:
        raise TwilioError.invalid(name, f"{sid} is not an Activity of this workspace")
    return sid


@bp.post("/Workspaces/<sid>")
def update_workspace(sid):
    ws = workspace_of(sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    for param, field in (("DefaultActivitySid", "default_activity_sid"),
                         ("TimeoutActivitySid", "timeout_activity_sid")):
        value = _own_activity(ws, param)
        if value is not None:
            changes[field] = value
    for param, field in (("EventCallbackUrl", "event_callback_url"),
                         ("EventsFilter", "events_filter")):
        value = text(param)
        if value is not None:
            changes[field] = value
    multi = boolean("MultiTaskEnabled")
    if multi is not None:
        changes["multi_task_enabled"] = multi
    order = choice("PrioritizeQueueOrder", rules.QUEUE_ORDERS)
    if order is not None:
        changes["prioritize_queue_order"] = order
    return to_wire(sim().modify("tr_workspaces", ws, changes))


def delete_workspace_records(ws_sid: str):
    store = sim().store
    for worker in store.owned("tr_workers", ws_sid):
        for ch in store.owned("tr_worker_channels", worker["sid"]):
            store.delete("tr_worker_channels", ch["sid"])
    for table in CHILD_TABLES:
        for record in store.owned(table, ws_sid):
            store.delete(table, record["sid"])
    store.delete("tr_workspaces", ws_sid)


@bp.delete("/Workspaces/<sid>")
def delete_workspace(sid):
    ws = workspace_of(sid)
    config = sim().store.get("flex_configurations", ws["account_sid"])
    if config is not None and config.get("taskrouter_workspace_sid") == sid:
        raise TwilioError(20409, "This is the Flex instance's workspace (Configuration "
                                 "taskrouter_workspace_sid); Flex users are its workers")
    with sim().store.lock:
        delete_workspace_records(ws["sid"])
    return "", 204
