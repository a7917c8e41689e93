"""Flex users: /v2/Instances/{InstanceSid}/Users[/{FlexUserSid}] (fetch, update, list)."""
from __future__ import annotations

import re

from ....auth import principal
from ....current import sim
from ....domain.flex import users
from ....domain.flex.instances import instance_by_sid
from ....errors import TwilioError
from ....wire import list_v1, text
from .. import require_admin, url
from . import bp

_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def to_wire(u: dict) -> dict:
    return {
        "account_sid": u["account_sid"], "instance_sid": u["instance_sid"],
        "user_sid": u["user_sid"], "flex_user_sid": u["sid"], "worker_sid": u["worker_sid"],
        "workspace_sid": u["workspace_sid"], "flex_team_sid": u["flex_team_sid"],
        "username": u["username"], "email": u["email"], "locale": u["locale"],
        "roles": u["roles"], "created_date": u["date_created"],
        "updated_date": u["date_updated"], "version": u["version"],
        "url": url(f"/v2/Instances/{u['instance_sid']}/Users/{u['sid']}"),
    }


def _instance(sid: str) -> dict:
    inst = instance_by_sid(sim(), sid)
    if inst is None or inst["account_sid"] != principal().account_sid:
        raise TwilioError.not_found()
    return inst


def _user(instance_sid: str, sid: str) -> dict:
    _instance(instance_sid)
    return users.flex_user_of(sim(), instance_sid, sid)


@bp.get("/Instances/<instance_sid>/Users")
def list_flex_users(instance_sid):
    _instance(instance_sid)
    fetch = users.list_flex_users(sim(), instance_sid)
    return list_v1("flex-api", f"/v2/Instances/{instance_sid}/Users", "users", fetch, to_wire)


@bp.get("/Instances/<instance_sid>/Users/<sid>")
def fetch_flex_user(instance_sid, sid):
    return to_wire(_user(instance_sid, sid))


@bp.post("/Instances/<instance_sid>/Users/<sid>")
def update_flex_user(instance_sid, sid):
    user = _user(instance_sid, sid)
    require_admin("Flex users")
    changes = {}
    email = text("Email")
    if email is not None:
        if not _EMAIL.match(email):
            raise TwilioError.invalid("Email", "must be an email address")
        changes["email"] = email
    user_sid = text("UserSid")
    if user_sid is not None:
        if not re.fullmatch(r"US[0-9a-fA-F]{32}", user_sid):
            raise TwilioError.invalid("UserSid", "must be a US SID")
        changes["user_sid"] = user_sid
    locale = text("Locale")
    if locale is not None:
        if not _LOCALE.match(locale):
            raise TwilioError.invalid("Locale", "must be a locale such as en-US")
        changes["locale"] = locale
    return to_wire(users.edit_flex_user(sim(), user, changes))


