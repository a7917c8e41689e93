"""The Flex UI in a browser, beside its JSON under /flex/.

    /flex                     sign in: "Log in with Twilio" (the Console's "Launch Flex") or
                              SSO through the simulated identity provider
    /flex/ui/sso/<GO>         the simulated identity provider's sign-in page (loopback only)
    /flex/ui/agent-desktop    the four views, each for the roles that may open it; the others
    /flex/ui/teams            get a page that says which roles may
    /flex/ui/queue-stats
    /flex/ui/admin

On first open the page asks for permission to show notifications and uses it for incoming
reservations. The views update themselves (Server-Sent Events, see common.live); the buttons
call the Flex UI's JSON API with the signed-in user's token.
"""
from __future__ import annotations

import json

from flask import Blueprint, make_response, request

from ..current import sim
from ..domain.flex import agent_desktop as desk
from ..domain.flex import instances, sso, users
from ..domain.taskrouter.activities import activities_of
from ..domain.taskrouter.statistics import queue_realtime
from ..domain.taskrouter.task_queues import task_queues_of
from ..domain.taskrouter.workers import worker_channels_of, workers_of
from ..errors import TwilioError
from ..rules import roles as role_rules
from ..wire import json_object
from .common import (FLEX_COOKIE, clear_cookie, error_page, live, local_only, page,
                     page_headers, page_request, same_origin_json, set_cookie, to)

flex_pages = Blueprint("flex_pages", __name__, url_prefix="/flex")
flex_pages.before_request(page_request)
flex_pages.after_request(page_headers)
flex_pages.register_error_handler(TwilioError, error_page)

VIEW_NAMES = {"agent-desktop": "Agent Desktop", "teams": "Teams", "queue-stats": "Queue Stats",
              "admin": "Admin"}
ROLE_NAMES = {"agent": "Agent", "supervisor": "Supervisor", "admin": "Administrator"}
ROLE_PLURALS = {"agent": "Agents", "supervisor": "Supervisors", "admin": "Administrators"}


def _signed_in() -> tuple[str | None, dict | None]:
    token = request.cookies.get(FLEX_COOKIE)
    return token, users.user_for_token(sim(), token)


def _attributes(record: dict) -> dict:
    try:
        value = json.loads(record.get("attributes") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _shell(user: dict, token: str, view: str) -> dict:
    """What every view shows around itself: who, their status, the views they may open."""
    s = sim()
    worker = desk.worker_of_user(s, user)
    activities = activities_of(s, user["workspace_sid"])
    current = next((a for a in activities if worker and a["sid"] == worker["activity_sid"]), None)
    return {"user": user, "token": token, "view": view, "view_names": VIEW_NAMES,
            "role_names": ROLE_NAMES, "views": role_rules.views_for(user["roles"]),
            "instance": instances.instance_of_user(s, user), "worker": worker,
            "activities": activities, "activity": current}


def _open(view: str):
    """(shell, None) for a user who may open ``view``; else (None, the page to answer)."""
    token, user = _signed_in()
    if user is None:
        return None, to("/flex")
    shell = _shell(user, token, view)
    if not role_rules.may_open(user["roles"], view):
        allowed = [ROLE_PLURALS[r] for r in role_rules.VIEWS[view]]
        return None, page("flex/denied.html", 403, **shell, allowed=allowed)
    return shell, None


# -- signing in ----------------------------------------------------------------------------------
@flex_pages.get("")
def sign_in():
    _, user = _signed_in()
    if user is not None:
        return to(f"/flex/ui/{role_rules.views_for(user['roles'])[0]}")
    s = sim()
    with_sso = []
    for inst in instances.all_instances(s):
        if sso.sso_of(s, inst["sid"]) is not None:
            with_sso.append(inst)
    return page("flex/sign_in.html", with_sso=with_sso)


@flex_pages.get("/ui/sso/<instance_sid>")
def identity_provider(instance_sid):
    """The simulated IdP: whoever can open it signs in as anyone, so loopback only."""
    local_only()
    s = sim()
    inst = instances.instance_by_sid(s, instance_sid)
    if inst is None:
        raise TwilioError.not_found(f"/flex/ui/sso/{instance_sid}")
    config = sso.sso_of(s, instance_sid)
    if config is None:
        raise sso.not_configured()
    known = [u for u in instances.instance_facts(s, inst)["users"]]
    return page("flex/sso.html", inst=inst, config=config, known=known, role_names=ROLE_NAMES)


@flex_pages.post("/browser-session")
def keep_token():
    """``{"token"}`` from a Console "Launch Flex" or an SSO sign-in: an HttpOnly cookie."""
    same_origin_json()
    token = json_object(form=False).get("token")
    if not isinstance(token, str) or users.user_for_token(sim(), token) is None:
        raise TwilioError(20003, "Not a Flex user token: sign in through the Console or SSO")
    return set_cookie(make_response({"status": "signed-in"}), FLEX_COOKIE, token, "/flex")


@flex_pages.delete("/browser-session")
def forget_token():
    same_origin_json()
    return clear_cookie(make_response({"status": "signed-out"}), FLEX_COOKIE, "/flex")


# -- the four views ------------------------------------------------------------------------------
@flex_pages.get("/ui/agent-desktop")
@live
def agent_desktop():
    shell, away = _open("agent-desktop")
    if away:
        return away
    s = sim()
    user = shell["user"]
    incoming, active = [], []
    for reservation, task in desk.desk_reservations(s, user):
        item = {"reservation": reservation, "task": task, "attributes": _attributes(task),
                **desk.task_context(s, task)}
        (incoming if reservation["reservation_status"] == "pending" else active).append(item)
    return page("flex/agent_desktop.html", **shell, incoming=incoming, active=active,
                channels=worker_channels_of(s, user["worker_sid"]))


@flex_pages.get("/ui/teams")
@live
def teams():
    shell, away = _open("teams")
    if away:
        return away
    s = sim()
    names = {a["sid"]: a for a in shell["activities"]}
    members = []
    for worker in workers_of(s, shell["user"]["workspace_sid"]):
        members.append({"worker": worker, "attributes": _attributes(worker),
                        "activity": names.get(worker["activity_sid"], {}),
                        "tasks": desk.active_tasks(s, worker["sid"])})
    return page("flex/teams.html", **shell, members=members)


@flex_pages.get("/ui/queue-stats")
@live
def queue_stats():
    shell, away = _open("queue-stats")
    if away:
        return away
    s = sim()
    queues = [{"queue": q, "stats": queue_realtime(s, q)}
              for q in task_queues_of(s, shell["user"]["workspace_sid"])]
    return page("flex/queue_stats.html", **shell, queues=queues)


@flex_pages.get("/ui/admin")
def admin():
    shell, away = _open("admin")
    if away:
        return away
    s = sim()
    inst = shell["instance"]
    config = instances.configuration_of(s, inst["account_sid"]) or {}
    shown = {k: v for k, v in config.items()
             if k not in ("sid", "provisioning_started", "provisioned")}   # the simulator's own
    return page("flex/admin.html", **shell, facts=instances.instance_facts(s, inst),
                config=json.dumps(shown, indent=2, sort_keys=True, default=str))
