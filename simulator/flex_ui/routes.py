"""The Flex UI's JSON endpoints under /flex/, opened with a Flex user token
(``Authorization: Bearer <token>`` or ``X-Flex-JWE``) from a Console or SSO
sign-in. The four built-in views and who may open them (rules/roles.py):
Agent Desktop (agent, supervisor, admin), Teams and Queue Stats (supervisor,
admin), Admin (admin). ``/flex/me`` lists the views this user may open.
"""
from __future__ import annotations

import json

from flask import Blueprint, request

from ..bearer import token_from_request
from ..current import sim
from ..domain.flex.agent_desktop import set_own_activity, worker_of_user
from ..domain.flex.instances import instance_facts, instance_of_user
from ..domain.flex.users import require_token_user
from ..domain.taskrouter.activities import activities_of
from ..domain.taskrouter.task_queues import task_queues_of, worker_in_queue
from ..domain.taskrouter.workers import worker_channels_of, workers_of
from ..errors import TwilioError
from ..rules import roles as role_rules
from ..shapes.flex import instance_wire

flex_ui = Blueprint("flex_ui", __name__, url_prefix="/flex")


def _user() -> dict:
    return require_token_user(sim(), token_from_request(request))


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
    return {a["sid"]: a for a in activities_of(sim(), ws_sid)}


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
    activities = _activities(user["workspace_sid"])
    worker = worker_of_user(sim(), user)
    return {"view": "agent-desktop",
            "worker": _worker_wire(worker, activities) if worker else None,
            "channels": [{"task_channel": c["task_channel_unique_name"],
                          "capacity": c["configured_capacity"], "available": c["available"]}
                         for c in worker_channels_of(sim(), user["worker_sid"])],
            "activities": [{"sid": a["sid"], "friendly_name": a["friendly_name"],
                            "available": a["available"]} for a in activities.values()],
            "tasks": []}


@flex_ui.get("/teams")
def teams():
    user = _open("teams")
    activities = _activities(user["workspace_sid"])
    inst = instance_of_user(sim(), user)
    members = [_worker_wire(w, activities) for w in workers_of(sim(), user["workspace_sid"])]
    return {"view": "teams",
            "teams": [{"flex_team_sid": inst["default_team_sid"], "friendly_name": "Default",
                       "members": members}]}


@flex_ui.get("/queue-stats")
def queue_stats():
    user = _open("queue-stats")
    activities = _activities(user["workspace_sid"])
    workers = workers_of(sim(), user["workspace_sid"])
    queues = []
    for q in task_queues_of(sim(), user["workspace_sid"]):
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
    inst = instance_of_user(sim(), user)
    return {"view": "admin", **instance_wire(inst, instance_facts(sim(), inst))}


@flex_ui.post("/agent-desktop/activity")
def set_activity():
    """The Agent Desktop's status menu: a user changes their own worker's
    activity (by ``activity_sid`` or ``friendly_name``). Not an instance change,
    so every role may do it."""
    user = _open("agent-desktop")
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(body, dict):
        raise TwilioError(400, "The request body must be a JSON object")
    wanted = body.get("activity_sid") or body.get("friendly_name")
    worker = set_own_activity(sim(), user, wanted)
    return _worker_wire(worker, _activities(user["workspace_sid"]))
