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
from ..domain.flex.agent_desktop import (active_tasks, answer_reservation, desk_reservations,
                                         send_message, set_own_activity, task_context,
                                         worker_of_user)
from ..domain.flex.instances import instance_facts, instance_of_user
from ..domain.flex.users import require_token_user
from ..domain.taskrouter.activities import activities_of
from ..domain.taskrouter.statistics import queue_realtime
from ..domain.taskrouter.task_queues import task_queues_of
from ..domain.taskrouter.workers import worker_channels_of, workers_of
from ..rules import roles as role_rules
from ..shapes.flex import instance_wire
from ..wire import json_object

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
            "tasks": [_desk_task(r, t) for r, t in desk_reservations(sim(), user)]}


def _desk_task(reservation: dict, task: dict) -> dict:
    return {"reservation_sid": reservation["sid"],
            "reservation_status": reservation["reservation_status"],
            "task_sid": task["sid"], "task_status": task["assignment_status"],
            "task_channel": task["task_channel_unique_name"],
            "attributes": json.loads(task["attributes"]), "priority": task["priority"],
            "date_created": reservation["date_created"], **task_context(sim(), task)}


@flex_ui.post("/agent-desktop/reservations/<reservation_sid>")
def answer(reservation_sid):
    """The Agent Desktop's task buttons: ``{"action": "accept" | "reject" | "wrap" |
    "complete"}`` on one of the user's own reservations."""
    user = _open("agent-desktop")
    body = _body()
    reservation = answer_reservation(sim(), user, reservation_sid, body.get("action"))
    return {"reservation_sid": reservation["sid"],
            "reservation_status": reservation["reservation_status"]}


_body = json_object  # the JSON object (or form) the page posted


@flex_ui.post("/agent-desktop/tasks/<task_sid>/messages")
def reply(task_sid):
    """The agent writes ``{"body"}`` into the conversation of one of their active tasks."""
    user = _open("agent-desktop")
    message = send_message(sim(), user, task_sid, _body().get("body"))
    return {"message_sid": message["sid"], "conversation_sid": message["conversation_sid"],
            "index": message["index"], "author": message["author"], "body": message["body"]}, 201


@flex_ui.get("/teams")
def teams():
    user = _open("teams")
    activities = _activities(user["workspace_sid"])
    inst = instance_of_user(sim(), user)
    members = [{**_worker_wire(w, activities), "tasks": active_tasks(sim(), w["sid"])}
               for w in workers_of(sim(), user["workspace_sid"])]
    return {"view": "teams",
            "teams": [{"flex_team_sid": inst["default_team_sid"], "friendly_name": "Default",
                       "members": members}]}


@flex_ui.get("/queue-stats")
def queue_stats():
    user = _open("queue-stats")
    queues = []
    for q in task_queues_of(sim(), user["workspace_sid"]):
        stats = queue_realtime(sim(), q)   # TaskRouter's real-time queue statistics
        by_status = stats["tasks_by_status"]
        queues.append({"task_queue_sid": q["sid"], "friendly_name": q["friendly_name"],
                       "target_workers": q["target_workers"],
                       "workers": stats["total_eligible_workers"],
                       "available_workers": stats["total_available_workers"],
                       "tasks_waiting": by_status["pending"] + by_status["reserved"],
                       "active_tasks": by_status["assigned"] + by_status["wrapping"],
                       "longest_task_waiting_age": stats["longest_task_waiting_age"],
                       "tasks_by_status": by_status})
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
    body = _body()
    wanted = body.get("activity_sid") or body.get("friendly_name")
    worker = set_own_activity(sim(), user, wanted)
    return _worker_wire(worker, _activities(user["workspace_sid"]))
