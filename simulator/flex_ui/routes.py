"""The Flex UI's JSON endpoints under /flex/, opened with a Flex user token
(``Authorization: Bearer <token>`` or ``X-Flex-JWE``) from a Console or SSO
sign-in. The four built-in views and who may open them (rules/roles.py):
Agent Desktop (agent, supervisor, admin), Teams and Queue Stats (supervisor,
admin), Admin (admin). ``/flex/me`` lists the views this user may open.
"""
from __future__ import annotations

import json

from flask import Blueprint, request

from .. import flex_provisioning as fp
from ..rules import roles as role_rules
from ..runtime import sim

flex_ui = Blueprint("flex_ui", __name__, url_prefix="/flex")


def _user() -> dict:
    return fp.require_token_user(request)


def _open(view: str) -> dict:
    user = _user()
    role_rules.check_view(user["roles"], view)
    return user


def _worker_wire(worker: dict, activities: dict) -> dict:
    attrs = json.loads(worker["attributes"])
    activity = activities.get(worker["activity_sid"], {})
    return {"worker_sid": worker["sid"], "friendly_name": worker["friendly_name"],
            "full_name": attrs.get("full_name"), "email": attrs.get("email"),
            "roles": attrs.get("roles", []), "activity": activity.get("friendly_name"),
            "available": bool(activity.get("available"))}


def _activities(ws_sid: str) -> dict:
    return {a["sid"]: a for a in sim().store.owned("tr_activities", ws_sid)}


@flex_ui.get("/me")
def me():
    user = _user()
    return {"flex_user_sid": user["sid"], "flex_instance_sid": user["instance_sid"],
            "account_sid": user["account_sid"], "worker_sid": user["worker_sid"],
            "username": user["username"], "email": user["email"],
            "full_name": user["full_name"], "image_url": user.get("image_url"),
            "roles": user["roles"], "views": role_rules.views_for(user["roles"]),
            "may_change_instance": role_rules.may_change_instance(user["roles"])}


@flex_ui.get("/agent-desktop")
def agent_desktop():
    user = _open("agent-desktop")
    store = sim().store
    activities = _activities(user["workspace_sid"])
    worker = store.get("tr_workers", user["worker_sid"])
    return {"view": "agent-desktop",
            "worker": _worker_wire(worker, activities) if worker else None,
            "channels": [{"task_channel": c["task_channel_unique_name"],
                          "capacity": c["configured_capacity"], "available": c["available"]}
                         for c in store.owned("tr_worker_channels", user["worker_sid"])],
            "activities": [{"sid": a["sid"], "friendly_name": a["friendly_name"],
                            "available": a["available"]} for a in activities.values()],
            "tasks": []}


@flex_ui.get("/teams")
def teams():
    user = _open("teams")
    activities = _activities(user["workspace_sid"])
    inst = sim().store.require("flex_instances", user["instance_sid"])
    members = [_worker_wire(w, activities)
               for w in sim().store.owned("tr_workers", user["workspace_sid"])]
    return {"view": "teams",
            "teams": [{"flex_team_sid": inst["default_team_sid"], "friendly_name": "Default",
                       "members": members}]}


@flex_ui.get("/queue-stats")
def queue_stats():
    user = _open("queue-stats")
    store = sim().store
    activities = _activities(user["workspace_sid"])
    workers = store.owned("tr_workers", user["workspace_sid"])
    from ..products.taskrouter.task_queues import worker_in_queue
    queues = []
    for q in store.owned("tr_task_queues", user["workspace_sid"]):
        eligible = [w for w in workers if worker_in_queue(q, w)]
        queues.append({"task_queue_sid": q["sid"], "friendly_name": q["friendly_name"],
                       "target_workers": q["target_workers"], "workers": len(eligible),
                       "available_workers": sum(
                           1 for w in eligible
                           if activities.get(w["activity_sid"], {}).get("available")),
                       "tasks_waiting": 0, "active_tasks": 0})
    return {"view": "queue-stats", "queues": queues}


@flex_ui.get("/admin")
def admin():
    user = _open("admin")
    from ..console.routes import instance_wire
    inst = sim().store.require("flex_instances", user["instance_sid"])
    return {"view": "admin", **instance_wire(inst)}


@flex_ui.post("/agent-desktop/activity")
def set_activity():
    """The Agent Desktop's status menu: a user changes their own worker's
    activity (by ``activity_sid`` or ``friendly_name``). Not an instance change,
    so every role may do it."""
    from ..errors import TwilioError
    user = _open("agent-desktop")
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(body, dict):
        raise TwilioError(400, "The request body must be a JSON object")
    wanted = body.get("activity_sid") or body.get("friendly_name")
    activities = _activities(user["workspace_sid"])
    activity = next((a for a in activities.values()
                     if wanted in (a["sid"], a["friendly_name"])), None)
    if activity is None:
        raise TwilioError.invalid("activity", f"{wanted!r} is not an activity of this workspace")
    store = sim().store
    worker = store.require("tr_workers", user["worker_sid"])
    if worker["activity_sid"] != activity["sid"]:
        now = sim().now()
        worker = store.update("tr_workers", worker["sid"], {
            "activity_sid": activity["sid"], "date_status_changed": now, "date_updated": now})
    return _worker_wire(worker, activities)
