"""messaging v1 Tollfree Verifications: /v1/Tollfree/Verifications(/{Sid}).

Status PENDING_REVIEW -> IN_REVIEW -> TWILIO_APPROVED or TWILIO_REJECTED, moved by
the control plane (POST /_sim/v1/tollfree-verifications/{Sid}/approve|reject|review)
or, when the setting ``tollfree_auto_approve_seconds`` is set, approved that many
simulated seconds after submission. A rejected verification may be edited and
resubmitted (POST /{Sid}) until ``edit_expiration`` (7 days after the request).
"""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain import tollfree
from ...domain.tollfree import ENUM_FIELDS, LIST_FIELDS, TEXT_FIELDS, USE_CASES
from ...errors import TwilioError
from ...rules import messaging as mrules
from ...shapes.messaging import verification_to_wire
from ...wire import list_v1, params, text
from . import bp

REQUIRED = ("BusinessName", "BusinessWebsite", "NotificationEmail", "UseCaseCategories",
            "UseCaseSummary", "ProductionMessageSample", "OptInImageUrls", "OptInType",
            "MessageVolume", "TollfreePhoneNumberSid")


def _form() -> dict:
    """The verification fields of this request, validated (nothing is stored yet)."""
    form = params()
    fields = {}
    for param, field in TEXT_FIELDS.items():
        if param in form:
            fields[field] = form.get(param)
    for param, (field, allowed) in ENUM_FIELDS.items():
        if param in form:
            value = form.get(param)
            if value not in allowed:
                raise TwilioError.invalid(param, f"must be one of {', '.join(allowed)}")
            fields[field] = value
    for param, field in LIST_FIELDS.items():
        if param in form:
            fields[field] = form.getlist(param)
    for category in fields.get("use_case_categories", []):
        if category not in USE_CASES:
            raise TwilioError.invalid("UseCaseCategories", f"{category} is not a use case category")
    if "AgeGatedContent" in form:
        value = form.get("AgeGatedContent").lower()
        if value not in ("true", "false"):
            raise TwilioError.invalid("AgeGatedContent", "must be true or false")
        fields["age_gated_content"] = value == "true"
    for url_field in ("business_website", "privacy_policy_url", "terms_and_conditions_url"):
        if fields.get(url_field):
            mrules.check_url(fields[url_field], url_field)
    return fields


@bp.post("/Tollfree/Verifications")
def create_tollfree_verification():
    me = principal().account_sid
    for name in REQUIRED:
        if not params().get(name):
            raise TwilioError(20422, f"Missing required parameter {name} in the post body")
    fields = _form()
    v = tollfree.submit_verification(sim(), me, params().get("TollfreePhoneNumberSid"), fields)
    return verification_to_wire(v), 201


@bp.get("/Tollfree/Verifications")
def list_tollfree_verifications():
    me = principal()
    number_sid = text("TollfreePhoneNumberSid")
    status = text("Status")
    if status is not None and status not in mrules.VERIFICATION_STATUSES:
        raise TwilioError.invalid("Status", "must be one of " + ", ".join(mrules.VERIFICATION_STATUSES))
    reference = text("ExternalReferenceId")
    include_subs = (text("IncludeSubAccounts") or "").lower() == "true"
    fetch = tollfree.list_verifications(
        sim(), me.account_sid, include_subaccounts=include_subs and me.is_main_account,
        number_sid=number_sid, status=status, reference=reference)
    return list_v1("messaging", "/v1/Tollfree/Verifications", "verifications", fetch,
                   verification_to_wire)


@bp.get("/Tollfree/Verifications/<sid>")
def fetch_tollfree_verification(sid):
    return verification_to_wire(tollfree.verification_of(sim(), principal().account_sid, sid))


@bp.post("/Tollfree/Verifications/<sid>")
def update_tollfree_verification(sid):
    s = sim()
    v = tollfree.verification_of(s, principal().account_sid, sid)
    fields = _form()
    edit_reason = text("EditReason")
    return verification_to_wire(tollfree.update_verification(s, v, fields, edit_reason)), 202


@bp.delete("/Tollfree/Verifications/<sid>")
def delete_tollfree_verification(sid):
    s = sim()
    tollfree.delete_verification(s, tollfree.verification_of(s, principal().account_sid, sid))
    return "", 204
