"""TaskRouter Activities: /v1/Workspaces/{WorkspaceSid}/Activities."""
from __future__ import annotations

from ...current import sim
from ...domain.taskrouter import activities
from ...rules import taskrouter as rules
from ...wire import boolean, list_v1, text
from . import bp, workspace_of, ws_url


def to_wire(a: dict) -> dict:
    return {
        "account_sid": a["account_sid"],
        "available": a["available"],
        "date_created": a["date_created"],
        "date_updated": a["date_updated"],
        "friendly_name": a["friendly_name"],
        "sid": a["sid"],
        "workspace_sid": a["workspace_sid"],
        "url": ws_url(a["workspace_sid"], f"/Activities/{a['sid']}"),
        "links": {"workspace": ws_url(a["workspace_sid"])},
    }


@bp.post("/Workspaces/<ws_sid>/Activities")
def create_activity(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    activities.check_activity_name(sim(), ws, name)
    return to_wire(activities.new_activity(sim(), ws, name, boolean("Available", False))), 201


@bp.get("/Workspaces/<ws_sid>/Activities")
def list_activities(ws_sid):
    workspace_of(ws_sid)
    fetch = activities.list_activities(sim(), ws_sid, friendly_name=text("FriendlyName"),
                                       available=boolean("Available"))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Activities", "activities", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/Activities/<sid>")
def fetch_activity(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(activities.activity_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Activities/<sid>")
def update_activity(ws_sid, sid):
    ws = workspace_of(ws_sid)
    activity = activities.activity_of(sim(), ws_sid, sid)
    rules.check_activity_update(activity["available"], boolean("Available"))
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    activities.check_activity_name(sim(), ws, name, activity["friendly_name"])
    if name is None:
        return to_wire(activity)
    return to_wire(activities.rename_activity(sim(), activity, name))


@bp.delete("/Workspaces/<ws_sid>/Activities/<sid>")
def delete_activity(ws_sid, sid):
    ws = workspace_of(ws_sid)
    activities.delete_activity(sim(), ws, activities.activity_of(sim(), ws_sid, sid))
    return "", 204
