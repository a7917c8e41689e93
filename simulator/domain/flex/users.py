"""Flex users (FU...) of an instance, each with its TaskRouter worker, and the Flex
user tokens a Console or SSO sign-in hands out."""
from __future__ import annotations

import json
import re

from ...errors import TwilioError
from ...rules import roles as role_rules
from ..taskrouter.workers import new_worker, set_capacities
from .instances import configuration_of


def _identity(email: str) -> str:
    """Flex's client identity for an email (``a.b@x.com`` -> ``a_2Eb_40x_2Ecom``)."""
    return re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):02X}", email)


def _capacities(s, instance: dict, roles) -> dict:
    config = configuration_of(s, instance["account_sid"]) or {}
    return role_rules.worker_channels(roles, config.get("taskrouter_worker_channels"))


def new_flex_user(s, instance: dict, *, email: str, full_name: str, roles,
                  user_sid: str | None = None, image_url: str | None = None,
                  sid: str | None = None) -> dict:
    """A Flex user (FU) and its TaskRouter worker in the instance's workspace."""
    ws = s.store.require("tr_workspaces", instance["workspace_sid"])
    identity = _identity(email)
    attributes = {"roles": list(roles), "full_name": full_name, "email": email,
                  "contact_uri": f"client:{identity}"}
    if image_url:
        attributes["image_url"] = image_url
    worker = new_worker(s, ws, identity, attributes=attributes,
                        capacities=_capacities(s, instance, roles))
    now = s.now()
    return s.store.insert("flex_users", {
        "sid": sid or s.ids.sid("FU"), "account_sid": instance["account_sid"],
        "instance_sid": instance["sid"], "user_sid": user_sid or s.ids.sid("US"),
        "worker_sid": worker["sid"], "workspace_sid": ws["sid"],
        "flex_team_sid": instance["default_team_sid"], "username": identity,
        "email": email, "full_name": full_name, "image_url": image_url, "locale": "en-US",
        "roles": list(roles), "version": 0, "date_created": now, "date_updated": now,
    })


def flex_user_by_email(s, instance_sid: str, email: str) -> dict | None:
    found = s.store.owned("flex_users", instance_sid, where=lambda u: u["email"] == email,
                          limit=1)
    return found[0] if found else None


def flex_user_of(s, instance_sid: str, sid: str) -> dict:
    """A Flex user of the instance, or 404."""
    user = s.store.get("flex_users", sid)
    if user is None or user["instance_sid"] != instance_sid:
        raise TwilioError.not_found()
    return user


def list_flex_users(s, instance_sid: str):
    """The pager ``fetch`` over the instance's Flex users."""
    return s.store.pager("flex_users", instance_sid)


def all_flex_users(s) -> list[dict]:
    return s.store.find("flex_users", lambda u: True)


def member_of(s, inst: dict, console_user: dict) -> dict | None:
    """The Console user's Flex user in the instance, if any."""
    found = s.store.owned("flex_users", inst["sid"],
                          where=lambda u: u["user_sid"] == console_user["sid"], limit=1)
    return found[0] if found else None


def memberships(s, console_user: dict) -> list[dict]:
    """Every Flex user the Console user is, across instances."""
    return s.store.find("flex_users", lambda u: u["user_sid"] == console_user["sid"])


def update_flex_user(s, user: dict, *, roles=None, full_name=None, email=None,
                     image_url=None) -> dict:
    """Later sign-ins: roles (and the worker's channel capacities), name and picture."""
    changes = {}
    if roles is not None and list(roles) != user["roles"]:
        changes["roles"] = list(roles)
    if full_name is not None and full_name != user["full_name"]:
        changes["full_name"] = full_name
    if email is not None and email != user["email"]:
        changes["email"] = email
    if image_url is not None and image_url != user.get("image_url"):
        changes["image_url"] = image_url
    if not changes:
        return user
    now = s.now()
    changes.update(date_updated=now, version=user["version"] + 1)
    user = s.store.update("flex_users", user["sid"], changes)
    worker = s.store.get("tr_workers", user["worker_sid"])
    if worker is not None:
        attrs = json.loads(worker["attributes"])
        attrs.update(roles=user["roles"], full_name=user["full_name"], email=user["email"])
        if user.get("image_url"):
            attrs["image_url"] = user["image_url"]
        s.store.update("tr_workers", worker["sid"], {"attributes": json.dumps(attrs),
                                                     "date_updated": now})
        if "roles" in changes:
            instance = s.store.require("flex_instances", user["instance_sid"])
            set_capacities(s, worker, _capacities(s, instance, user["roles"]))
    return user


def edit_flex_user(s, user: dict, changes: dict) -> dict:
    """The REST API's user update (email, user SID, locale): only what differs is
    written, and each change moves ``version`` on."""
    changes = {k: v for k, v in changes.items() if user.get(k) != v}
    if not changes:
        return user
    changes.update(date_updated=s.now(), version=user["version"] + 1)
    return s.store.update("flex_users", user["sid"], changes)


# -- Flex user tokens ------------------------------------------------------------------
def issue_token(s, user: dict) -> str:
    token = "FX" + s.ids.hex(48)
    s.store.insert("flex_tokens", {"sid": token, "flex_user_sid": user["sid"],
                                   "instance_sid": user["instance_sid"],
                                   "account_sid": user["account_sid"],
                                   "date_created": s.now()})
    return token


def user_for_token(s, token: str | None) -> dict | None:
    if not token:
        return None
    record = s.store.get("flex_tokens", token)
    if record is None:
        return None
    return s.store.get("flex_users", record["flex_user_sid"])


def require_token_user(s, token: str | None) -> dict:
    user = user_for_token(s, token)
    if user is None:
        raise TwilioError(20003, "Sign in to Flex first: send the Flex user token as "
                                 "'Authorization: Bearer <token>' or 'X-Flex-JWE'")
    return user


def token_account(s, user: dict) -> dict:
    """The account a Flex user token acts for; it must be active."""
    account = s.store.require("accounts", user["account_sid"])
    if account["status"] != "active":
        raise TwilioError(20005, f"Account {account['sid']} is not active")
    return account
