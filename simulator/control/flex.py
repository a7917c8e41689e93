"""Control plane for Flex and the Console under /_sim/v1/flex/ (loopback only,
like the rest of /_sim): the codes the simulator 'sent' by SMS, the invitations
it 'sent' by email, and the Flex accounts with their users."""
from __future__ import annotations

from flask import Blueprint, request

from ..runtime import sim
from .routes import _loopback_only

control_flex = Blueprint("control_flex", __name__, url_prefix="/_sim/v1/flex")
control_flex.before_request(_loopback_only)


@control_flex.get("/verifications")
def verifications():
    email = (request.args.get("email") or "").strip().lower()
    phone = request.args.get("phone")
    found = sim().store.find("console_verifications", lambda v: (
        (not email or v["email"] == email) and (not phone or v["phone"] == phone)))
    found.sort(key=lambda v: (v["date_created"]), reverse=True)
    return {"verifications": [{"verification_sid": v["sid"], "email": v["email"],
                               "phone": v["phone"], "purpose": v["purpose"], "code": v["code"],
                               "status": v["status"], "date_created": v["date_created"]}
                              for v in found]}


@control_flex.get("/invites")
def invites():
    email = (request.args.get("email") or "").strip().lower()
    found = sim().store.find("flex_invites", lambda i: not email or i["email"] == email)
    return {"invites": [{"invite_token": i["sid"], "email": i["email"], "role": i["role"],
                         "status": i["status"], "flex_instance_sid": i["instance_sid"],
                         "account_sid": i["account_sid"]} for i in found]}


@control_flex.get("/accounts")
def accounts():
    from ..console.routes import instance_wire
    out = []
    for inst in sim().store.find("flex_instances", lambda i: True):
        account = sim().store.get("accounts", inst["account_sid"])
        out.append({**instance_wire(inst), "auth_token": account["auth_token"] if account else None})
    return {"flex_accounts": out}
