"""TaskRouter Activities: /v1/Workspaces/{WorkspaceSid}/Activities."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import boolean, list_v1, text
from . import bp, child_of, workspace_of, ws_url


def new_activity(ws: dict, friendly_name: str, available: bool) -> dict:
    s = sim()
    now = s.now()
    return s.store.insert("tr_activities", {
        "sid": s.ids.sid("WA"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "available": available,
        "date_created": now, "date_updated": now,
    })


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
    if sim().store.owned("tr_activities", ws_sid, where=lambda a: a["friendly_name"] == name,
                         limit=1):
        raise TwilioError(20409, f"An Activity named {name!r} already exists in this workspace")
    return to_wire(new_activity(ws, name, boolean("Available", False))), 201


@bp.get("/Workspaces/<ws_sid>/Activities")
def list_activities(ws_sid):
    workspace_of(ws_sid)
    name = text("FriendlyName")
    available = boolean("Available")

    def where(a):
        return (name is None or a["friendly_name"] == name) and \
               (available is None or a["available"] == available)

    fetch = sim().store.pager("tr_activities", ws_sid, where=where)

    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Activities", "activities", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/Activities/<sid>")
def fetch_activity(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(child_of("tr_activities", ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/Activities/<sid>")
def update_activity(ws_sid, sid):
    workspace_of(ws_sid)
    activity = child_of("tr_activities", ws_sid, sid)
    rules.check_activity_update(activity["available"], boolean("Available"))
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is None:
        return to_wire(activity)
    return to_wire(sim().store.update("tr_activities", sid,
                                      {"friendly_name": name, "date_updated": sim().now()}))


@bp.delete("/Workspaces/<ws_sid>/Activities/<sid>")
def delete_activity(ws_sid, sid):
    ws = workspace_of(ws_sid)
    activity = child_of("tr_activities", ws_sid, sid)
    if sid in (ws["default_activity_sid"], ws["timeout_activity_sid"]):
        raise TwilioError(20409, "The workspace's default or timeout Activity cannot be deleted")
    if sim().store.owned("tr_workers", ws_sid, where=lambda w: w["activity_sid"] == sid,
                         limit=1):
        raise TwilioError(20409, "An Activity that Workers are in cannot be deleted")
    sim().store.delete("tr_activities", activity["sid"])
    return "", 204
