"""TaskRouter Activities: the states a worker can be in, available or not."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from . import child_of


def new_activity(s, ws: dict, friendly_name: str, available: bool) -> dict:
    now = s.now()
    s.routing.forget(ws["sid"])
    return s.store.insert("tr_activities", {
        "sid": s.ids.sid("WA"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "available": available,
        "date_created": now, "date_updated": now,
    })


def activity(s, sid: str) -> dict | None:
    return s.store.get("tr_activities", sid)


def activity_name(s, sid: str | None) -> str | None:
    a = s.store.get("tr_activities", sid) if sid else None
    return a["friendly_name"] if a else None


def activities_of(s, ws_sid: str) -> list[dict]:
    return s.store.owned("tr_activities", ws_sid)


def activity_of(s, ws_sid: str, sid: str) -> dict:
    return child_of(s, "tr_activities", ws_sid, sid)


def own_activity(s, ws_sid: str, sid: str, param: str) -> str:
    """``sid``, given as parameter ``param``, if it is an Activity of the workspace."""
    a = s.store.get("tr_activities", sid)
    if a is None or a["workspace_sid"] != ws_sid:
        raise TwilioError.invalid(param, f"{sid} is not an Activity of this workspace")
    return sid


def check_activity_name(s, ws: dict, name: str | None, current: str | None = None) -> None:
    """Activity names are unique in a workspace (keeping one's own name is no conflict):
    Twilio answers a taken one with 400/20001."""
    if name is None or name == current:
        return
    if s.store.owned("tr_activities", ws["sid"], where=lambda a: a["friendly_name"] == name,
                     limit=1):
        raise rules.duplicate_name("Activity", name, ws["sid"], ws["account_sid"])


def list_activities(s, ws_sid: str, *, friendly_name: str | None = None,
                    available: bool | None = None):
    def where(a):
        return (friendly_name is None or a["friendly_name"] == friendly_name) and \
               (available is None or a["available"] == available)

    return s.store.pager("tr_activities", ws_sid, where=where)


def rename_activity(s, activity: dict, friendly_name: str) -> dict:
    return s.store.update("tr_activities", activity["sid"],
                          {"friendly_name": friendly_name, "date_updated": s.now()})


def delete_activity(s, ws: dict, activity: dict) -> None:
    """The workspace's default and timeout activities, and one a worker is in, stay."""
    sid = activity["sid"]
    if sid in (ws["default_activity_sid"], ws["timeout_activity_sid"]):
        raise TwilioError(20409, "The workspace's default or timeout Activity cannot be deleted")
    if s.store.owned("tr_workers", ws["sid"], where=lambda w: w["activity_sid"] == sid,
                     limit=1):
        raise TwilioError(20409, "An Activity that Workers are in cannot be deleted")
    s.routing.forget(ws["sid"])
    s.store.delete("tr_activities", sid)
