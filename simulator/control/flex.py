"""Control plane for Flex and the Console under /_sim/v1/flex/ (loopback only,
like the rest of /_sim): the codes the simulator 'sent' by SMS, the invitations
it 'sent' by email, the Flex accounts with their users, and the simulated SAML
identity provider (its signing keys, and assertions it signs for a sign-in)."""
from __future__ import annotations

from flask import Blueprint, request

from ..current import sim
from ..domain.console import sent_codes
from ..domain.accounts import account_of
from ..domain.flex import sso
from ..domain.flex.instances import all_instances, instance_by_sid, instance_facts
from ..errors import TwilioError
from ..domain.flex.invites import sent_invites
from ..shapes.flex import instance_wire
from .guard import guard
from .routes import body

control_flex = Blueprint("control_flex", __name__, url_prefix="/_sim/v1/flex")
control_flex.before_request(guard)


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


def _sign_in_url(instance_sid: str) -> str:
    return f"/console/sso/{instance_sid}/sign-in"


@control_flex.get("/sso")
def sso_configurations():
    """The IdP side of every SSO configuration, with the key its assertions are signed with
    (for a test in another language that signs its own; see domain/flex/sso.py)."""
    return {"sso": [{"flex_instance_sid": c["instance_sid"], "account_sid": c["account_sid"],
                     "connection_sid": c["sid"], "issuer": c["issuer"],
                     "audience": sso.audience(c), "signing_key": c["signing_key"],
                     "algorithm": "HMAC-SHA256", "sign_in_url": _sign_in_url(c["instance_sid"])}
                    for c in sso.all_sso(sim())]}


@control_flex.post("/sso/<instance_sid>/assertions")
def sign_assertion(instance_sid):
    """The simulated IdP: ``{"attributes": {roles, full_name, email, image_url?}}`` ->
    ``{"SAMLResponse", "sign_in_url"}``; POST the SAMLResponse to the sign-in URL."""
    s = sim()
    inst = instance_by_sid(s, instance_sid)
    if inst is None:
        raise TwilioError.not_found(f"/_sim/v1/flex/sso/{instance_sid}/assertions")
    return {"SAMLResponse": sso.issue_assertion(s, inst, body().get("attributes")),
            "sign_in_url": _sign_in_url(instance_sid),
            "expires_in": sso.ASSERTION_TTL_SECONDS}, 201
