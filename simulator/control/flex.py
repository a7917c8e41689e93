"""Control plane for Flex and the Console under /_sim/v1/flex/ (loopback only,
like the rest of /_sim): the codes the simulator 'sent' by SMS, the invitations
it 'sent' by email, and the Flex accounts with their users."""
from __future__ import annotations

from flask import Blueprint, request

from ..current import sim
from ..domain.console import sent_codes
from ..domain.accounts import account_of
from ..domain.flex.instances import all_instances, instance_facts
from ..domain.flex.invites import sent_invites
from ..shapes.flex import instance_wire
from .routes import _loopback_only

control_flex = Blueprint("control_flex", __name__, url_prefix="/_sim/v1/flex")
control_flex.before_request(_loopback_only)


@control_flex.get("/verifications")
def verifications():
    email = (request.args.get("email") or "").strip().lower()
    phone = request.args.get("phone")
    found = sent_codes(sim(), email, phone)
    return {"verifications": [{"verification_sid": v["sid"], "email": v["email"],
                               "phone": v["phone"], "purpose": v["purpose"], "code": v["code"],
                               "status": v["status"], "date_created": v["date_created"]}
                              for v in found]}


@control_flex.get("/invites")
def invites():
    email = (request.args.get("email") or "").strip().lower()
    found = sent_invites(sim(), email)
    return {"invites": [{"invite_token": i["sid"], "email": i["email"], "role": i["role"],
                         "status": i["status"], "flex_instance_sid": i["instance_sid"],
                         "account_sid": i["account_sid"]} for i in found]}


@control_flex.get("/accounts")
def accounts():
    s = sim()
    out = []
    for inst in all_instances(s):
        account = account_of(s, inst["account_sid"])
        out.append({**instance_wire(inst, instance_facts(s, inst)),
                    "auth_token": account["auth_token"] if account else None})
    return {"flex_accounts": out}
