"""The simulated Console in a browser, beside its JSON API under /console/.

    /console                  log in (or the account, when logged in)
    /console/try-twilio       sign up and verify the phone (the code is on the inspector's
                              handset for that phone, as a real phone would show it)
    /console/account          the account: SID, auth token (shown on click), test
                              credentials, numbers, Flex accounts
    /console/flex/new         "Create a new Flex account" (name, the phone verified again)
    /console/flex/<AC>        the Flex account: provisioning, users and roles, invitations,
                              SSO, "Launch Flex"
    /console/invite/<token>   accept an invitation

Each form is sent by the page's script to the Console's JSON API; this module renders pages
from the domain and keeps the Console session in an HttpOnly cookie.
"""
from __future__ import annotations

from flask import Blueprint, make_response, request

from ..current import sim
from ..domain import console as console_users
from ..domain.accounts import test_credentials_of
from ..domain.flex import instances, invites, sso, users
from ..domain.numbers import list_incoming_numbers
from ..errors import TwilioError
from ..rules import roles as role_rules
from ..wire import json_object
from .common import (CONSOLE_COOKIE, clear_cookie, error_page, live, page, page_headers,
                     page_request, same_origin_json, set_cookie, to)

console_pages = Blueprint("console_pages", __name__, url_prefix="/console")
console_pages.before_request(page_request)
console_pages.after_request(page_headers)
console_pages.register_error_handler(TwilioError, error_page)

NUMBERS_SHOWN = 100
VIEW_NAMES = {"agent-desktop": "Agent Desktop", "teams": "Teams", "queue-stats": "Queue Stats",
              "admin": "Admin"}
ROLE_NAMES = {"agent": "Agent", "supervisor": "Supervisor", "admin": "Administrator"}


def _session() -> tuple[str | None, dict | None]:
    token = request.cookies.get(CONSOLE_COOKIE)
    return token, console_users.session_user(sim(), token)


def _logged_in():
    """(token, user), or a redirect to the log-in page."""
    token, user = _session()
    if user is None:
        return None, None, to(f"/console?next={request.path}")
    return token, user, None


def _may_manage(user: dict, inst: dict) -> bool:
    """The Flex account's owner and its Administrators manage users and SSO (the JSON API
    decides; the page only shows the forms to them)."""
    member = users.member_of(sim(), inst, user)
    owner = inst["account_sid"] in user["account_sids"]
    return owner or bool(member and "admin" in member["roles"])


def _flex_accounts(user: dict) -> list[dict]:
    """The Flex accounts the user owns or is a user of, with their role there."""
    s = sim()
    found = {}
    for account in console_users.accounts_of(s, user):
        inst = instances.instance_of_account(s, account["sid"])
        if inst:
            found[inst["sid"]] = {"instance": inst, "roles": ["owner"]}
    for member in users.memberships(s, user):
        inst = instances.instance_by_sid(s, member["instance_sid"])
        if inst:
            entry = found.setdefault(inst["sid"], {"instance": inst, "roles": []})
            entry["roles"] = entry["roles"] + member["roles"]
    for entry in found.values():
        entry["status"] = instances.instance_facts(s, entry["instance"])["status"]
    return list(found.values())


# -- pages ---------------------------------------------------------------------------------------
@console_pages.get("")
def home():
    _, user = _session()
    if user is not None:
        return to("/console/account")
    wanted = request.args.get("next") or "/console/account"
    return page("console/login.html", next=wanted if wanted.startswith("/") else "/console/account")


@console_pages.get("/try-twilio")
def try_twilio():
    return page("console/signup.html")


@console_pages.get("/account")
def account():
    token, user, away = _logged_in()
    if away:
        return away
    s = sim()
    accounts = []
    for a in console_users.accounts_of(s, user):
        numbers = list_incoming_numbers(s, a["sid"])(None, 0, NUMBERS_SHOWN)
        accounts.append({"account": a, "test": test_credentials_of(s, a["sid"]),
                         "numbers": numbers,
                         "flex": instances.instance_of_account(s, a["sid"])})
    return page("console/account.html", user=user, session=token, accounts=accounts,
                flex_accounts=_flex_accounts(user))


@console_pages.get("/flex/new")
def new_flex_account():
    token, user, away = _logged_in()
    if away:
        return away
    return page("console/flex_new.html", user=user, session=token,
                has_account=bool(user["account_sids"]) and user["phone_verified"])


@console_pages.get("/flex/<account_sid>")
@live
def flex_account(account_sid):
    token, user, away = _logged_in()
    if away:
        return away
    s = sim()
    inst = instances.instance_of_account(s, account_sid)
    if inst is None:
        raise TwilioError.not_found(f"/console/flex/{account_sid}")
    member = users.member_of(s, inst, user)
    if inst["account_sid"] not in user["account_sids"] and member is None:
        raise TwilioError(20403, "This Console user has no access to this Flex account")
    manager = _may_manage(user, inst)
    facts = instances.instance_facts(s, inst)
    return page("console/flex_account.html", user=user, session=token, inst=inst, facts=facts,
                member=member, manager=manager,
                invites=invites.invites_of(s, inst["sid"]) if manager else [],
                sso=sso.sso_of(s, inst["sid"]) if manager else None,
                config=instances.configuration_of(s, inst["account_sid"]),
                invite_roles=[("admin", "Administrator"), ("supervisor", "Supervisor"),
                              ("agent", "Agent")],
                views=role_rules.views_for(member["roles"]) if member else [],
                view_names=VIEW_NAMES, role_names=ROLE_NAMES)


@console_pages.get("/invite/<invite_token>")
def invitation(invite_token):
    s = sim()
    try:
        inv = invites.pending_invite(s, invite_token)
    except TwilioError as e:   # already accepted
        return page("console/invite.html", invite=None, refusal=e)
    if inv is None:
        raise TwilioError.not_found(f"/console/invite/{invite_token}")
    inst = instances.instance_by_sid(s, inv["instance_sid"])
    return page("console/invite.html", invite=inv, inst=inst, refusal=None,
                has_user=console_users.user_by_email(s, inv["email"]) is not None)


# -- the browser's session cookie ------------------------------------------------------------------
@console_pages.post("/browser-session")
def keep_session():
    """``{"session_token"}`` from ``POST /console/login``: remembered in an HttpOnly cookie."""
    same_origin_json()
    token = json_object(form=False).get("session_token")
    if not isinstance(token, str) or console_users.session_user(sim(), token) is None:
        raise TwilioError(20003, "Not a Console session: log in with POST /console/login")
    return set_cookie(make_response({"status": "logged-in"}), CONSOLE_COOKIE, token, "/console")


@console_pages.delete("/browser-session")
def forget_session():
    same_origin_json()
    return clear_cookie(make_response({"status": "logged-out"}), CONSOLE_COOKIE, "/console")
