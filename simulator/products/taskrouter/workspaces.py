"""TaskRouter Workspaces: /v1/Workspaces and /v1/Workspaces/{Sid}."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.taskrouter import activities, workspaces
from ...rules import taskrouter as rules
from ...wire import boolean, choice, list_v1, text
from . import activity_param, bp, workspace_of, ws_url

LINKS = {
    "activities": "/Activities", "statistics": "/Statistics",
    "real_time_statistics": "/RealTimeStatistics",
    "cumulative_statistics": "/CumulativeStatistics", "task_queues": "/TaskQueues",
    "tasks": "/Tasks", "workers": "/Workers", "workflows": "/Workflows",
    "task_channels": "/TaskChannels", "events": "/Events",
}


def to_wire(w: dict) -> dict:
    s = sim()
    return {
        "account_sid": w["account_sid"],
        "date_created": w["date_created"],
        "date_updated": w["date_updated"],
        "default_activity_name": activities.activity_name(s, w["default_activity_sid"]),
        "default_activity_sid": w["default_activity_sid"],
        "event_callback_url": w["event_callback_url"],
        "events_filter": w["events_filter"],
        "friendly_name": w["friendly_name"],
        "multi_task_enabled": w["multi_task_enabled"],
        "sid": w["sid"],
        "timeout_activity_name": activities.activity_name(s, w["timeout_activity_sid"]),
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
    callback = rules.callback_url(text("EventCallbackUrl"), "EventCallbackUrl")
    ws = workspaces.new_workspace(sim(), principal().account_sid, name, template=template,
                                  event_callback_url=callback,
                                  events_filter=text("EventsFilter"), multi_task_enabled=multi,
                                  prioritize_queue_order=order)
    return to_wire(ws), 201


@bp.get("/Workspaces")
def list_workspaces():
    fetch = workspaces.list_workspaces(sim(), principal().account_sid, text("FriendlyName"))
    return list_v1("taskrouter", "/v1/Workspaces", "workspaces", fetch, to_wire)


@bp.get("/Workspaces/<sid>")
def fetch_workspace(sid):
    return to_wire(workspace_of(sid))


@bp.post("/Workspaces/<sid>")
def update_workspace(sid):
    ws = workspace_of(sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    for param, field in (("DefaultActivitySid", "default_activity_sid"),
                         ("TimeoutActivitySid", "timeout_activity_sid")):
        value = activity_param(ws["sid"], param)
        if value is not None:
            changes[field] = value
    callback = text("EventCallbackUrl")
    if callback is not None:   # an empty value clears it
        changes["event_callback_url"] = rules.callback_url(callback, "EventCallbackUrl")
    events_filter = text("EventsFilter")
    if events_filter is not None:
        changes["events_filter"] = events_filter
    multi = boolean("MultiTaskEnabled")
    if multi is not None:
        changes["multi_task_enabled"] = multi
    order = choice("PrioritizeQueueOrder", rules.QUEUE_ORDERS)
    if order is not None:
        changes["prioritize_queue_order"] = order
    return to_wire(workspaces.update_workspace(sim(), ws, changes))


@bp.delete("/Workspaces/<sid>")
def delete_workspace(sid):
    workspaces.delete_workspace(sim(), workspace_of(sid))
    return "", 204
