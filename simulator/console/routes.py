"""The simulated Console under /console/ (JSON in, JSON out; no Twilio Basic auth).

What the real Console does by hand, with Twilio's rules: sign up (a Console user
US... whose trial Twilio account is created once the phone is verified), log in
(a session token, sent back as ``Authorization: Bearer <token>``), create a Flex
account (needs a Twilio account and the phone verified again), invite
Administrators and Supervisors (never Agents: SSO only), configure SSO and sign
in through the simulated IdP, and sign in to Flex (a Flex user token for
/flex/... and the Flex REST API). Every call is listed in the README.
"""
from __future__ import annotations

from flask import Blueprint, request

from ..current import sim
from ..domain import console as console_users
from ..domain.flex import instances, invites, provisioning, sso, users
from ..errors import TwilioError
from ..rules import flex as flex_rules
from ..rules import roles as role_rules
from ..shapes.flex import instance_wire
from ..wire import json_object

console = Blueprint("console", __name__, url_prefix="/console")


# -- helpers -------------------------------------------------------------------------------
_body = json_object  # JSON objects (form bodies work too)


def _optional_str(body: dict, name: str, max_length: int = flex_rules.FULL_NAME_MAX) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise TwilioError.invalid(name, "must be a string")
    if value is not None and len(value) > max_length:
        raise TwilioError.invalid(name, f"must be at most {max_length} characters")
    return value


def _verification_wire(v: dict) -> dict:
    phone = v["phone"] or ""
    masked = phone[:2] + "*" * (len(phone) - 6) + phone[-4:] if len(phone) > 6 else phone
    return {"verification_sid": v["sid"], "to": masked, "channel": "sms",
            "status": v["status"], "purpose": v["purpose"]}


def _session_user() -> dict:
    auth = request.headers.get("Authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else request.cookies.get("console_session")
    user = console_users.session_user(sim(), token)
    if user is None:
        raise TwilioError(20003, "Log in to the Console first (POST /console/login) and send "
                                 "'Authorization: Bearer <session_token>'")
    return user


def _user_wire(user: dict) -> dict:
    s = sim()
    accounts = []
    for a in console_users.accounts_of(s, user):
        inst = instances.instance_of_account(s, a["sid"])
        accounts.append({"sid": a["sid"], "friendly_name": a["friendly_name"], "type": a["type"],
                         "status": a["status"], "auth_token": a["auth_token"],
                         "flex_instance_sid": inst["sid"] if inst else None})
    flex = [{"flex_instance_sid": u["instance_sid"], "account_sid": u["account_sid"],
             "flex_user_sid": u["sid"], "roles": u["roles"]}
            for u in users.memberships(s, user)]
    return {"user_sid": user["sid"], "email": user["email"], "phone": user["phone"],
            "full_name": user["full_name"], "phone_verified": user["phone_verified"],
            "accounts": accounts, "flex_memberships": flex}


def _flex_account(account_sid: str) -> dict:
    inst = instances.instance_of_account(sim(), account_sid)
    if inst is None:
        raise TwilioError.not_found(f"/console/flex-accounts/{account_sid}")
    return inst


def _manager(user: dict, inst: dict) -> None:
    """Console users who own the Flex account or are its Flex Administrators
    manage its users and SSO."""
    if inst["account_sid"] in user["account_sids"]:
        return
    member = users.member_of(sim(), inst, user)
    if member and "admin" in member["roles"]:
        return
    raise TwilioError(20403, "Only the Flex account's owner and its Administrators manage "
                             "its users and SSO")


def _sign_in_wire(user: dict, token: str, created: bool | None = None) -> dict:
    out = {"token": token, "flex_user_sid": user["sid"], "flex_instance_sid": user["instance_sid"],
           "account_sid": user["account_sid"], "worker_sid": user["worker_sid"],
           "roles": user["roles"], "views": role_rules.views_for(user["roles"])}
    if created is not None:
        out["created"] = created
    return out


def _instance_wire(inst: dict) -> dict:
    return instance_wire(inst, instances.instance_facts(sim(), inst))


# -- sign up, verify, log in -------------------------------------------------------------------
@console.post("/signup")
def sign_up():
    body = _body()
    email, password, phone = flex_rules.check_sign_up(body.get("email"), body.get("password"),
                                                      body.get("phone"))
    _optional_str(body, "full_name")
    user, v = console_users.sign_up(sim(), email, password, phone, body.get("full_name"))
    return {"user_sid": user["sid"], "email": email, "phone_verified": False,
            "verification": _verification_wire(v)}, 201


@console.post("/signup/verify")
def verify_sign_up():
    body = _body()
    user = console_users.user_by_email(sim(), body.get("email") or "")
    if user is None:
        raise TwilioError.invalid("email", "no Console user signed up with this email")
    if user["phone_verified"]:
        raise TwilioError(20409, "This phone number is already verified")
    return _user_wire(console_users.verify_sign_up(sim(), user, body.get("code")))


@console.post("/login")
def log_in():
    body = _body()
    user = console_users.user_by_email(sim(), body.get("email") or "")
    if user is None or not console_users.password_matches(user, body.get("password")):
        raise TwilioError(20003, "Wrong email or password")
    token = console_users.log_in(sim(), user)
    return {"session_token": token, **_user_wire(user)}


@console.post("/logout")
def log_out():
    _session_user()
    auth = request.headers.get("Authorization", "")
    console_users.log_out(sim(), auth[7:].strip())
    return "", 204


@console.get("/me")
def me():
    return _user_wire(_session_user())


@console.post("/phone/verifications")
def start_phone_verification():
    user = _session_user()
    if not user["phone"]:
        raise TwilioError.invalid("phone", "this Console user has no phone number")
    purpose = _body().get("purpose", "flex-account")
    if purpose not in ("flex-account", "signup"):
        raise TwilioError.invalid("purpose", "must be flex-account or signup")
    return _verification_wire(console_users.send_code(sim(), user, purpose)), 201


# -- Flex accounts ---------------------------------------------------------------------------
@console.post("/flex-accounts")
def create_flex_account():
    user = _session_user()
    flex_rules.check_may_create_flex_account(bool(user["account_sids"]) and user["phone_verified"])
    body = _body()
    name = flex_rules.check_flex_account_name(body.get("friendly_name"))
    inst, account = provisioning.create_flex_account(sim(), user, name,
                                                     body.get("verification_code"))
    return {**_instance_wire(inst), "auth_token": account["auth_token"]}, 201


@console.get("/flex-accounts/<account_sid>")
def fetch_flex_account(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    if inst["account_sid"] not in user["account_sids"] and not users.member_of(sim(), inst, user):
        raise TwilioError(20403, "This Console user has no access to this Flex account")
    return _instance_wire(inst)


@console.post("/flex-accounts/<account_sid>/flex-sign-in")
def flex_sign_in(account_sid):
    """Launch Flex from the Console: a Flex user token for this Console user."""
    user = _session_user()
    inst = _flex_account(account_sid)
    member = users.member_of(sim(), inst, user)
    if not member:
        raise TwilioError(20403, "This Console user is not a user of this Flex account")
    return _sign_in_wire(member, users.issue_token(sim(), member))


# -- users: invitations ------------------------------------------------------------------------
@console.post("/flex-accounts/<account_sid>/invites")
def invite(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    body = _body()
    role = role_rules.console_invite_role(body.get("role"))
    email = (_optional_str(body, "email") or "").strip().lower()
    flex_rules.check_sign_up(email, "x" * flex_rules.PASSWORD_MIN, "+15555550100")
    return _invite_wire(invites.new_invite(sim(), inst, user, email, role)), 201


def _invite_wire(i: dict) -> dict:
    return {"invite_token": i["sid"], "email": i["email"], "role": i["role"],
            "status": i["status"], "flex_instance_sid": i["instance_sid"],
            "account_sid": i["account_sid"], "date_created": i["date_created"]}


@console.get("/flex-accounts/<account_sid>/invites")
def list_invites(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    return {"invites": [_invite_wire(i) for i in invites.invites_of(sim(), inst["sid"])]}


@console.post("/invites/<token>/accept")
def accept_invite(token):
    inv = invites.pending_invite(sim(), token)
    if inv is None:
        raise TwilioError.not_found(f"/console/invites/{token}")
    body = _body()
    for name in ("full_name", "phone"):
        _optional_str(body, name)
    user, flex_user, inst = invites.accept_invite(sim(), inv, body.get("password"),
                                                  full_name=body.get("full_name"),
                                                  phone=body.get("phone"))
    return {"user_sid": user["sid"], "flex_user_sid": flex_user["sid"],
            "flex_instance_sid": inst["sid"], "account_sid": inst["account_sid"],
            "roles": flex_user["roles"], "worker_sid": flex_user["worker_sid"]}


# -- SSO ------------------------------------------------------------------------------------
def _sso_wire(c: dict) -> dict:
    return {"flex_instance_sid": c["instance_sid"], "account_sid": c["account_sid"],
            "connection_sid": c["sid"], "issuer": c["issuer"], "sso_url": c["sso_url"],
            "certificate": c["certificate"], "protocol": "SAML 2.0",
            "entity_id": f"urn:flex:{c['sid']}",
            "acs_url": f"https://login.flex.us1.twilio.com/login/callback?connection={c['sid']}",
            "idp_sign_in_url": f"/console/sso/{c['instance_sid']}/sign-in",
            "date_created": c["date_created"], "date_updated": c["date_updated"]}


@console.route("/flex-accounts/<account_sid>/sso", methods=["PUT", "POST"])
def configure_sso(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    body = _body()
    return _sso_wire(sso.set_sso(sim(), inst, body.get("issuer"), body.get("sso_url"),
                                 body.get("certificate")))


@console.get("/flex-accounts/<account_sid>/sso")
def fetch_sso(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    found = sso.sso_of(sim(), inst["sid"])
    if found is None:
        raise TwilioError.not_found(f"/console/flex-accounts/{account_sid}/sso")
    return _sso_wire(found)


@console.post("/sso/<instance_sid>/sign-in")
def idp_sign_in(instance_sid):
    """The Flex side of an SSO sign-in (the SAML ACS): ``{"SAMLResponse": assertion}``, an
    assertion the simulated IdP signed (``POST /_sim/v1/flex/sso/{GO}/assertions``)."""
    s = sim()
    inst = instances.instance_by_sid(s, instance_sid)
    if inst is None:
        raise TwilioError.not_found(f"/console/sso/{instance_sid}/sign-in")
    if sso.sso_of(s, instance_sid) is None:
        raise sso.not_configured()
    body = _body()
    assertion = body.get("SAMLResponse")
    if assertion is None and "attributes" in body:
        raise TwilioError(45002, "Authentication Error: the sign-in needs the identity "
                                 "provider's signed assertion, not bare attributes; get one "
                                 f"with POST /_sim/v1/flex/sso/{instance_sid}/assertions "
                                 "and send it as SAMLResponse")
    user, created = sso.sso_sign_in(s, inst, assertion)
    return _sign_in_wire(user, users.issue_token(s, user), created), (201 if created else 200)
