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

import hashlib
import hmac
import json

from flask import Blueprint, request

from .. import flex_provisioning as fp
from ..errors import TwilioError
from ..rules import flex as flex_rules
from ..rules import roles as role_rules
from ..runtime import sim
from ..wire import parse_iso

console = Blueprint("console", __name__, url_prefix="/console")


# -- helpers -------------------------------------------------------------------------------
def _body() -> dict:
    if not request.data and not request.form:
        return {}
    if request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            data = None
        if not isinstance(data, dict):
            raise TwilioError(400, "The request body must be a JSON object")
        return data
    return request.form.to_dict()


def _hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def _optional_str(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise TwilioError.invalid(name, "must be a string")
    return value


def _user_by_email(email) -> dict | None:
    if not isinstance(email, str):
        return None
    found = sim().store.owned("console_users", email.strip().lower(), limit=1)
    return found[0] if found else None


def new_console_user(email: str, password: str, phone: str | None, *, full_name: str | None = None,
                     phone_verified: bool = False, sid: str | None = None) -> dict:
    s = sim()
    salt = s.ids.hex(16)
    now = s.now()
    return s.store.insert("console_users", {
        "sid": sid or s.ids.sid("US"), "email": email, "phone": phone,
        "full_name": full_name, "password_salt": salt, "password_hash": _hash(password, salt),
        "phone_verified": phone_verified, "account_sids": [], "date_created": now,
        "date_updated": now})


def _deliver(kind: str, to: str, text: str, extra: dict | None = None):
    """Show a message the simulator 'sent' in the request journal."""
    s = sim()
    s.record_request({"time": s.now(), "method": kind, "path": f"/console/{kind.lower()}/{to}",
                      "public_path": f"(simulated {kind.lower()} to {to})", "query": "",
                      "params": {}, "status": 200,
                      "body": json.dumps({"to": to, "text": text, **(extra or {})})})


def send_code(user: dict, purpose: str) -> dict:
    s = sim()
    store = s.store
    for v in store.owned("console_verifications", user["sid"],
                         where=lambda v: v["status"] == "pending" and v["purpose"] == purpose):
        store.update("console_verifications", v["sid"], {"status": "canceled"})
    code = f"{s.ids.randint(0, 999999):06d}"
    v = store.insert("console_verifications", {
        "sid": s.ids.sid("VE"), "user_sid": user["sid"], "email": user["email"],
        "phone": user["phone"], "purpose": purpose, "code": code, "status": "pending",
        "attempts": 0, "date_created": s.now()})
    _deliver("SMS", user["phone"], f"Your Twilio verification code is: {code}",
             {"purpose": purpose, "code": code})
    return v


def check_code(user: dict, purpose: str, code) -> None:
    """Approve the user's pending code for ``purpose`` or raise (a wrong code counts)."""
    store = sim().store
    pending = store.owned("console_verifications", user["sid"], newest_first=True,
                          where=lambda v: v["purpose"] == purpose and v["status"] == "pending",
                          limit=1)
    v = pending[0] if pending else None
    try:
        flex_rules.check_verification(v, code, sim().clock.now(),
                                      parse_iso(v["date_created"]) if v else None)
    except TwilioError:
        if v is not None:
            store.update("console_verifications", v["sid"], {"attempts": v["attempts"] + 1})
        raise
    store.update("console_verifications", v["sid"], {"status": "approved"})


def _verification_wire(v: dict) -> dict:
    phone = v["phone"] or ""
    masked = phone[:2] + "*" * (len(phone) - 6) + phone[-4:] if len(phone) > 6 else phone
    return {"verification_sid": v["sid"], "to": masked, "channel": "sms",
            "status": v["status"], "purpose": v["purpose"]}


def _session_user() -> dict:
    auth = request.headers.get("Authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else request.cookies.get("console_session")
    session = sim().store.get("console_sessions", token) if token else None
    user = sim().store.get("console_users", session["user_sid"]) if session else None
    if user is None:
        raise TwilioError(20003, "Log in to the Console first (POST /console/login) and send "
                                 "'Authorization: Bearer <session_token>'")
    return user


def _user_wire(user: dict) -> dict:
    store = sim().store
    accounts = []
    for sid in user["account_sids"]:
        a = store.get("accounts", sid)
        if a is None:
            continue
        inst = fp.instance_of_account(sid)
        accounts.append({"sid": a["sid"], "friendly_name": a["friendly_name"], "type": a["type"],
                         "status": a["status"], "auth_token": a["auth_token"],
                         "flex_instance_sid": inst["sid"] if inst else None})
    flex = [{"flex_instance_sid": u["instance_sid"], "account_sid": u["account_sid"],
             "flex_user_sid": u["sid"], "roles": u["roles"]}
            for u in store.find("flex_users", lambda u: u["user_sid"] == user["sid"])]
    return {"user_sid": user["sid"], "email": user["email"], "phone": user["phone"],
            "full_name": user["full_name"], "phone_verified": user["phone_verified"],
            "accounts": accounts, "flex_memberships": flex}


def _flex_account(account_sid: str) -> dict:
    inst = fp.instance_of_account(account_sid)
    if inst is None:
        raise TwilioError.not_found(f"/console/flex-accounts/{account_sid}")
    return inst


def _manager(user: dict, inst: dict) -> None:
    """Console users who own the Flex account or are its Flex Administrators
    manage its users and SSO."""
    if inst["account_sid"] in user["account_sids"]:
        return
    member = sim().store.owned("flex_users", inst["sid"],
                               where=lambda u: u["user_sid"] == user["sid"], limit=1)
    if member and "admin" in member[0]["roles"]:
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


def instance_wire(inst: dict) -> dict:
    store = sim().store
    config = fp.configuration_of(inst["account_sid"])
    sso = store.owned("flex_sso", inst["sid"], limit=1)
    return {
        "account_sid": inst["account_sid"], "friendly_name": inst["friendly_name"],
        "flex_instance_sid": inst["sid"],
        "status": fp.configuration_status(config) if config else "notstarted",
        "workspace_sid": inst["workspace_sid"], "workflow_sid": inst["workflow_sid"],
        "task_queue_sid": inst["queue_sid"], "phone_number": inst["phone_number"],
        "phone_number_sid": inst["phone_number_sid"],
        "messaging_service_sid": inst["messaging_service_sid"],
        "conversations_service_sid": inst["conversations_service_sid"],
        "studio_flows": [{"sid": sid, "friendly_name": name}
                         for name, sid in inst["studio_flow_sids"].items()],
        "flex_url": fp.FLEX_URL, "sso_configured": bool(sso),
        "users": [{"flex_user_sid": u["sid"], "email": u["email"], "full_name": u["full_name"],
                   "roles": u["roles"], "worker_sid": u["worker_sid"]}
                  for u in store.owned("flex_users", inst["sid"])],
    }


# -- sign up, verify, log in -------------------------------------------------------------------
@console.post("/signup")
def sign_up():
    body = _body()
    email, password, phone = flex_rules.check_sign_up(body.get("email"), body.get("password"),
                                                      body.get("phone"))
    _optional_str(body, "full_name")
    with sim().store.lock:
        if _user_by_email(email) is not None:
            raise TwilioError(20409, f"A Console user with email {email} already exists; log in")
        user = new_console_user(email, password, phone, full_name=body.get("full_name"))
        v = send_code(user, "signup")
    return {"user_sid": user["sid"], "email": email, "phone_verified": False,
            "verification": _verification_wire(v)}, 201


@console.post("/signup/verify")
def verify_sign_up():
    body = _body()
    user = _user_by_email(body.get("email") or "")
    if user is None:
        raise TwilioError.invalid("email", "no Console user signed up with this email")
    if user["phone_verified"]:
        raise TwilioError(20409, "This phone number is already verified")
    from ..products.api.accounts import new_account
    from ..products.api.outgoing_caller_ids import new_caller_id
    with sim().store.lock:
        check_code(user, "signup", body.get("code"))
        account = new_account(owner_sid=None, type_="Trial",
                              friendly_name="My first Twilio account")
        # Twilio verifies a trial account's sign-up phone: the one number it may text at once
        new_caller_id(account["sid"], user["phone"], "Sign-up phone")
        user = sim().store.update("console_users", user["sid"], {
            "phone_verified": True, "account_sids": user["account_sids"] + [account["sid"]],
            "date_updated": sim().now()})
    return _user_wire(user)


@console.post("/login")
def log_in():
    body = _body()
    user = _user_by_email(body.get("email") or "")
    password = body.get("password")
    if user is None or not isinstance(password, str) or not hmac.compare_digest(
            _hash(password, user["password_salt"]), user["password_hash"]):
        raise TwilioError(20003, "Wrong email or password")
    s = sim()
    token = "CS" + s.ids.hex(48)
    s.store.insert("console_sessions", {"sid": token, "user_sid": user["sid"],
                                        "date_created": s.now()})
    return {"session_token": token, **_user_wire(user)}


@console.post("/logout")
def log_out():
    _session_user()
    auth = request.headers.get("Authorization", "")
    sim().store.delete("console_sessions", auth[7:].strip())
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
    return _verification_wire(send_code(user, purpose)), 201


# -- Flex accounts ---------------------------------------------------------------------------
@console.post("/flex-accounts")
def create_flex_account():
    user = _session_user()
    flex_rules.check_may_create_flex_account(bool(user["account_sids"]) and user["phone_verified"])
    body = _body()
    name = flex_rules.check_flex_account_name(body.get("friendly_name"))
    s = sim()
    with s.store.lock:
        check_code(user, "flex-account", body.get("verification_code"))
        inst = fp.provision_flex_account(name, console_user=user)
        user = s.store.get("console_users", user["sid"])
        s.store.update("console_users", user["sid"], {
            "account_sids": user["account_sids"] + [inst["account_sid"]],
            "date_updated": s.now()})
    account = s.store.get("accounts", inst["account_sid"])
    return {**instance_wire(inst), "auth_token": account["auth_token"]}, 201


@console.get("/flex-accounts/<account_sid>")
def fetch_flex_account(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    if inst["account_sid"] not in user["account_sids"] and not sim().store.owned(
            "flex_users", inst["sid"], where=lambda u: u["user_sid"] == user["sid"], limit=1):
        raise TwilioError(20403, "This Console user has no access to this Flex account")
    return instance_wire(inst)


@console.post("/flex-accounts/<account_sid>/flex-sign-in")
def flex_sign_in(account_sid):
    """Launch Flex from the Console: a Flex user token for this Console user."""
    user = _session_user()
    inst = _flex_account(account_sid)
    member = sim().store.owned("flex_users", inst["sid"],
                               where=lambda u: u["user_sid"] == user["sid"], limit=1)
    if not member:
        raise TwilioError(20403, "This Console user is not a user of this Flex account")
    return _sign_in_wire(member[0], fp.issue_token(member[0]))


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
    if fp.flex_user_by_email(inst["sid"], email) is not None:
        raise TwilioError(20409, f"{email} is already a user of this Flex account")
    s = sim()
    token = "IV" + s.ids.hex(32)
    record = s.store.insert("flex_invites", {
        "sid": token, "instance_sid": inst["sid"], "account_sid": inst["account_sid"],
        "email": email, "role": role, "status": "pending", "invited_by": user["sid"],
        "date_created": s.now()})
    _deliver("Email", email, f"You are invited to the Flex account {inst['friendly_name']} as "
                             f"{role}: POST /console/invites/{token}/accept",
             {"invite_token": token, "role": role})
    return _invite_wire(record), 201


def _invite_wire(i: dict) -> dict:
    return {"invite_token": i["sid"], "email": i["email"], "role": i["role"],
            "status": i["status"], "flex_instance_sid": i["instance_sid"],
            "account_sid": i["account_sid"], "date_created": i["date_created"]}


@console.get("/flex-accounts/<account_sid>/invites")
def list_invites(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    return {"invites": [_invite_wire(i) for i in sim().store.owned("flex_invites", inst["sid"])]}


@console.post("/invites/<token>/accept")
def accept_invite(token):
    s = sim()
    inv = s.store.get("flex_invites", token)
    if inv is None:
        raise TwilioError.not_found(f"/console/invites/{token}")
    if inv["status"] != "pending":
        raise TwilioError(20409, f"This invitation was already {inv['status']}")
    body = _body()
    for name in ("full_name", "phone"):
        _optional_str(body, name)
    with s.store.lock:
        user = _user_by_email(inv["email"])
        password = body.get("password")
        if user is None:
            if not isinstance(password, str) or len(password) < flex_rules.PASSWORD_MIN:
                raise TwilioError.invalid("password", "choose a password of at least "
                                          f"{flex_rules.PASSWORD_MIN} characters to accept")
            user = new_console_user(inv["email"], password, body.get("phone"),
                                    full_name=body.get("full_name"))
        elif not isinstance(password, str) or not hmac.compare_digest(
                _hash(password, user["password_salt"]), user["password_hash"]):
            raise TwilioError(20003, "Wrong password for the invited Console user")
        inst = s.store.require("flex_instances", inv["instance_sid"])
        existing = fp.flex_user_by_email(inst["sid"], inv["email"])
        if existing is not None:
            raise TwilioError(20409, f"{inv['email']} is already a user of this Flex account")
        flex_user = fp.new_flex_user(inst, email=inv["email"],
                                     full_name=body.get("full_name") or user["full_name"] or inv["email"],
                                     roles=[inv["role"]], user_sid=user["sid"])
        s.store.update("flex_invites", token, {"status": "accepted"})
    return {"user_sid": user["sid"], "flex_user_sid": flex_user["sid"],
            "flex_instance_sid": inst["sid"], "account_sid": inst["account_sid"],
            "roles": flex_user["roles"], "worker_sid": flex_user["worker_sid"]}


# -- SSO ------------------------------------------------------------------------------------
def set_sso(inst: dict, issuer, sso_url, certificate) -> dict:
    for name, value in (("issuer", issuer), ("sso_url", sso_url), ("certificate", certificate)):
        if not isinstance(value, str) or not value.strip():
            raise TwilioError(20422, f"Missing required SSO setting {name}")
    if not sso_url.startswith("https://"):
        raise TwilioError.invalid("sso_url", "must be an https:// URL")
    s = sim()
    existing = s.store.owned("flex_sso", inst["sid"], limit=1)
    now = s.now()
    fields = {"issuer": issuer.strip(), "sso_url": sso_url.strip(),
              "certificate": certificate.strip(), "date_updated": now}
    if existing:
        return s.store.update("flex_sso", existing[0]["sid"], fields)
    return s.store.insert("flex_sso", {"sid": s.ids.sid("JQ"), "instance_sid": inst["sid"],
                                       "account_sid": inst["account_sid"],
                                       "date_created": now, **fields})


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
    return _sso_wire(set_sso(inst, body.get("issuer"), body.get("sso_url"),
                             body.get("certificate")))


@console.get("/flex-accounts/<account_sid>/sso")
def fetch_sso(account_sid):
    user = _session_user()
    inst = _flex_account(account_sid)
    _manager(user, inst)
    found = sim().store.owned("flex_sso", inst["sid"], limit=1)
    if not found:
        raise TwilioError.not_found(f"/console/flex-accounts/{account_sid}/sso")
    return _sso_wire(found[0])


def sso_sign_in(inst: dict, attributes) -> tuple[dict, bool]:
    """JIT provisioning at the first SSO sign-in; later sign-ins update the user."""
    attrs = role_rules.sso_attributes(attributes)
    with sim().store.lock:
        user = fp.flex_user_by_email(inst["sid"], attrs["email"])
        if user is None:
            return fp.new_flex_user(inst, email=attrs["email"], full_name=attrs["full_name"],
                                    roles=attrs["roles"], image_url=attrs["image_url"]), True
        return fp.update_flex_user(user, roles=attrs["roles"], full_name=attrs["full_name"],
                                   image_url=attrs["image_url"]), False


@console.post("/sso/<instance_sid>/sign-in")
def idp_sign_in(instance_sid):
    """The simulated IdP posts the SAML assertion's attributes here."""
    inst = sim().store.get("flex_instances", instance_sid)
    if inst is None:
        raise TwilioError.not_found(f"/console/sso/{instance_sid}/sign-in")
    if not sim().store.owned("flex_sso", instance_sid, limit=1):
        raise TwilioError(20403, "SSO is not configured for this Flex instance; configure it "
                                 "first (PUT /console/flex-accounts/{AccountSid}/sso)")
    body = _body()
    user, created = sso_sign_in(inst, body.get("attributes", body))
    return _sign_in_wire(user, fp.issue_token(user), created), (201 if created else 200)
