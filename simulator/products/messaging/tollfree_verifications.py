"""messaging v1 Tollfree Verifications: /v1/Tollfree/Verifications(/{Sid}).

Status PENDING_REVIEW -> IN_REVIEW -> TWILIO_APPROVED or TWILIO_REJECTED, moved by
the control plane (POST /_sim/v1/tollfree-verifications/{Sid}/approve|reject|review)
or, when the setting ``tollfree_auto_approve_seconds`` is set, approved that many
simulated seconds after submission. A rejected verification may be edited and
resubmitted (POST /{Sid}) until ``edit_expiration`` (7 days after the request).
"""
from __future__ import annotations

from datetime import timedelta

from ...auth import principal
from ...errors import TwilioError
from ...hosts import public_url
from ...rules import messaging as mrules
from ...runtime import sim
from ...wire import iso, list_v1, paged, params, parse_iso, text
from . import bp

OPT_IN_TYPES = ("VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE", "IMPORT",
                "IMPORT_PLEASE_REPLACE")
USE_CASES = ("TWO_FACTOR_AUTHENTICATION", "ACCOUNT_NOTIFICATIONS", "CUSTOMER_CARE",
             "CHARITY_NONPROFIT", "DELIVERY_NOTIFICATIONS", "FRAUD_ALERT_MESSAGING", "EVENTS",
             "HIGHER_EDUCATION", "K12", "MARKETING", "POLLING_AND_VOTING_NON_POLITICAL",
             "POLITICAL_ELECTION_CAMPAIGNS", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT")
BUSINESS_TYPES = ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "SOLE_PROPRIETOR", "NON_PROFIT", "GOVERNMENT")
AUTHORITIES = ("EIN", "CBN", "CRN", "PROVINCIAL_NUMBER", "VAT", "ACN", "ABN", "BRN", "SIREN",
               "SIRET", "NZBN", "USt-IdNr", "CIF", "NIF", "CNPJ", "UID", "NEQ", "OTHER")
REQUIRED = ("BusinessName", "BusinessWebsite", "NotificationEmail", "UseCaseCategories",
            "UseCaseSummary", "ProductionMessageSample", "OptInImageUrls", "OptInType",
            "MessageVolume", "TollfreePhoneNumberSid")
TEXT_FIELDS = {
    "BusinessName": "business_name", "BusinessWebsite": "business_website",
    "NotificationEmail": "notification_email", "UseCaseSummary": "use_case_summary",
    "ProductionMessageSample": "production_message_sample", "MessageVolume": "message_volume",
    "CustomerProfileSid": "customer_profile_sid",
    "BusinessStreetAddress": "business_street_address",
    "BusinessStreetAddress2": "business_street_address2", "BusinessCity": "business_city",
    "BusinessStateProvinceRegion": "business_state_province_region",
    "BusinessPostalCode": "business_postal_code", "BusinessCountry": "business_country",
    "AdditionalInformation": "additional_information",
    "BusinessContactFirstName": "business_contact_first_name",
    "BusinessContactLastName": "business_contact_last_name",
    "BusinessContactEmail": "business_contact_email",
    "BusinessContactPhone": "business_contact_phone",
    "ExternalReferenceId": "external_reference_id",
    "BusinessRegistrationNumber": "business_registration_number",
    "BusinessRegistrationCountry": "business_registration_country",
    "BusinessRegistrationPhoneNumber": "business_registration_phone_number",
    "DoingBusinessAs": "doing_business_as", "OptInConfirmationMessage": "opt_in_confirmation_message",
    "HelpMessageSample": "help_message_sample", "PrivacyPolicyUrl": "privacy_policy_url",
    "TermsAndConditionsUrl": "terms_and_conditions_url", "VettingId": "vetting_id",
}
ENUM_FIELDS = {"OptInType": ("opt_in_type", OPT_IN_TYPES),
               "BusinessType": ("business_type", BUSINESS_TYPES),
               "BusinessRegistrationAuthority": ("business_registration_authority", AUTHORITIES),
               "VettingProvider": ("vetting_provider", ("CAMPAIGN_VERIFY",))}
LIST_FIELDS = {"UseCaseCategories": "use_case_categories", "OptInImageUrls": "opt_in_image_urls",
               "OptInKeywords": "opt_in_keywords"}
ALL_FIELDS = (list(TEXT_FIELDS.values()) + [f for f, _ in ENUM_FIELDS.values()]
              + list(LIST_FIELDS.values()) + ["age_gated_content"])
EDIT_WINDOW = timedelta(days=7)
# The official schema makes these enums non-nullable, so a verification that did not
# give them shows these values (documented in README, Messaging).
ENUM_DEFAULTS = {"business_registration_authority": "OTHER", "business_type": "PRIVATE_PROFIT",
                 "vetting_provider": "CAMPAIGN_VERIFY"}


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


def new_verification(account_sid: str, number: dict, fields: dict, *, status: str | None = None,
                     sid: str | None = None) -> dict:
    s = sim()
    now = s.now()
    record = {f: None for f in ALL_FIELDS}
    record.update(ENUM_DEFAULTS)
    record.update({k: v for k, v in fields.items() if k in ALL_FIELDS})
    record.update({
        "sid": sid or fields.get("sid") or s.ids.sid("HH"),
        "account_sid": account_sid,
        "tollfree_phone_number_sid": number["sid"],
        "tollfree_phone_number": number["phone_number"],
        "status": status or fields.get("status") or "PENDING_REVIEW",
        "rejection_reason": None,
        "rejection_reasons": None,
        "error_code": None,
        "edit_expiration": None,
        "edit_allowed": None,
        "date_created": now,
        "date_updated": now,
    })
    verification = s.store.insert("tollfree_verifications", record)
    if verification["status"] in ("PENDING_REVIEW", "IN_REVIEW"):
        _schedule_auto_review(verification)
    return verification


def _schedule_auto_review(verification: dict):
    from ...scheduler import schedule
    from ..api.messages import messaging_settings
    seconds = messaging_settings().get("tollfree_auto_approve_seconds")
    if seconds is not None:
        schedule("tollfree.auto_approve", verification["sid"], float(seconds))


def set_status(verification: dict, status: str, *, reason: str | None = None,
               error_code: int | None = None) -> dict:
    """Move a verification (control plane, auto-approval); Twilio's transitions only."""
    mrules.check_verification_transition(verification["status"], status)
    now = sim().now()
    changes = {"status": status, "date_updated": now}
    if status == "TWILIO_REJECTED":
        expiration = parse_iso(verification["date_created"]) + EDIT_WINDOW
        changes.update({
            "rejection_reason": reason or "The submission was rejected",
            "error_code": error_code or 30446,
            "rejection_reasons": [{"code": error_code or 30446,
                                   "reason": reason or "The submission was rejected"}],
            "edit_expiration": iso(expiration),
            "edit_allowed": parse_iso(now) < expiration,
        })
    elif status == "TWILIO_APPROVED":
        changes.update({"rejection_reason": None, "rejection_reasons": None, "error_code": None,
                        "edit_allowed": None, "edit_expiration": None})
    return sim().store.update("tollfree_verifications", verification["sid"], changes)


def latest_status(number_sid: str) -> str | None:
    """The status of a toll-free number's latest verification (None: never submitted)."""
    found = sim().store.find("tollfree_verifications",
                             lambda v: v["tollfree_phone_number_sid"] == number_sid)
    return found[-1]["status"] if found else None


def to_wire(v: dict) -> dict:
    wire = {
        "sid": v["sid"],
        "account_sid": v["account_sid"],
        "customer_profile_sid": v["customer_profile_sid"],
        "trust_product_sid": None,
        "date_created": v["date_created"],
        "date_updated": v["date_updated"],
        "regulated_item_sid": None,
    }
    for field in ("business_name", "business_street_address", "business_street_address2",
                  "business_city", "business_state_province_region", "business_postal_code",
                  "business_country", "business_website", "business_contact_first_name",
                  "business_contact_last_name", "business_contact_email",
                  "business_contact_phone", "notification_email", "use_case_categories",
                  "use_case_summary", "production_message_sample", "opt_in_image_urls",
                  "opt_in_type", "message_volume", "additional_information"):
        wire[field] = v.get(field)
    wire.update({
        "tollfree_phone_number_sid": v["tollfree_phone_number_sid"],
        "tollfree_phone_number": v["tollfree_phone_number"],
        "status": v["status"],
        "url": public_url("messaging", f"/v1/Tollfree/Verifications/{v['sid']}"),
        "rejection_reason": v["rejection_reason"],
        "error_code": v["error_code"],
        "edit_expiration": v["edit_expiration"],
        "edit_allowed": v["edit_allowed"],
    })
    for field in ("business_registration_number", "business_registration_authority",
                  "business_registration_country", "business_type",
                  "business_registration_phone_number", "doing_business_as",
                  "opt_in_confirmation_message", "help_message_sample", "privacy_policy_url",
                  "terms_and_conditions_url", "age_gated_content", "opt_in_keywords"):
        wire[field] = v.get(field)
    wire.update({
        "rejection_reasons": v["rejection_reasons"],
        "resource_links": {},
        "external_reference_id": v.get("external_reference_id"),
        "vetting_id": v.get("vetting_id"),
        "vetting_provider": v.get("vetting_provider"),
        "vetting_id_expiration": None,
    })
    return wire


def verification_of(account_sid: str, sid: str) -> dict:
    v = sim().store.get("tollfree_verifications", sid)
    if v is None or v["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return v


@bp.post("/Tollfree/Verifications")
def create_tollfree_verification():
    me = principal().account_sid
    for name in REQUIRED:
        if not params().get(name):
            raise TwilioError(20422, f"Missing required parameter {name} in the post body")
    fields = _form()
    pn_sid = params().get("TollfreePhoneNumberSid")
    number = sim().store.get("incoming_phone_numbers", pn_sid)
    if number is None or number["account_sid"] != me or number["number_type"] != "toll_free":
        raise TwilioError(30436, f"TollfreePhoneNumberSid {pn_sid} is not a toll-free phone "
                                 "number of this account")
    current = latest_status(number["sid"])
    if current in ("PENDING_REVIEW", "IN_REVIEW", "TWILIO_APPROVED"):
        raise TwilioError(20422, f"Phone number {number['phone_number']} already has a "
                                 f"verification ({current})")
    return to_wire(new_verification(me, number, fields)), 201


@bp.get("/Tollfree/Verifications")
def list_tollfree_verifications():
    me = principal()
    number_sid = text("TollfreePhoneNumberSid")
    status = text("Status")
    if status is not None and status not in mrules.VERIFICATION_STATUSES:
        raise TwilioError.invalid("Status", "must be one of " + ", ".join(mrules.VERIFICATION_STATUSES))
    reference = text("ExternalReferenceId")
    include_subs = (text("IncludeSubAccounts") or "").lower() == "true"
    owners = [me.account_sid]
    if include_subs and me.is_main_account:
        owners += [a["sid"] for a in sim().store.owned("accounts", me.account_sid)
                   if a["sid"] != me.account_sid]

    def where(v):
        return ((number_sid is None or v["tollfree_phone_number_sid"] == number_sid)
                and (status is None or v["status"] == status)
                and (reference is None or v.get("external_reference_id") == reference))

    if len(owners) == 1:
        fetch = sim().store.pager("tollfree_verifications", owners[0], where=where)
    else:  # IncludeSubAccounts: the main account's, then each subaccount's
        fetch = paged([v for owner in owners
                       for v in sim().store.owned("tollfree_verifications", owner, where=where)])
    return list_v1("messaging", "/v1/Tollfree/Verifications", "verifications", fetch, to_wire)


@bp.get("/Tollfree/Verifications/<sid>")
def fetch_tollfree_verification(sid):
    return to_wire(verification_of(principal().account_sid, sid))


@bp.post("/Tollfree/Verifications/<sid>")
def update_tollfree_verification(sid):
    v = verification_of(principal().account_sid, sid)
    fields = _form()
    edit_reason = text("EditReason")
    if v["status"] in ("IN_REVIEW", "TWILIO_APPROVED"):
        raise TwilioError(20422, f"A verification in {v['status']} cannot be edited")
    changes = dict(fields)
    if v["status"] == "TWILIO_REJECTED":
        if v["edit_expiration"] and sim().now() > v["edit_expiration"]:
            raise TwilioError(20422, "The edit window of this verification has expired; "
                                     "submit a new verification")
        changes.update({"status": "PENDING_REVIEW", "rejection_reason": None,
                        "rejection_reasons": None, "error_code": None, "edit_allowed": None,
                        "edit_expiration": None})
    changes["date_updated"] = sim().now()
    if edit_reason:
        changes["edit_reason"] = edit_reason
    updated = sim().store.update("tollfree_verifications", sid, changes)
    if v["status"] == "TWILIO_REJECTED":
        _schedule_auto_review(updated)
    return to_wire(updated), 202


@bp.delete("/Tollfree/Verifications/<sid>")
def delete_tollfree_verification(sid):
    v = verification_of(principal().account_sid, sid)
    from ...scheduler import cancel
    cancel(v["sid"])
    sim().store.delete("tollfree_verifications", sid)
    return "", 204


def _auto_approve(timer):
    v = sim().store.get("tollfree_verifications", timer["target"])
    if v is not None and v["status"] in ("PENDING_REVIEW", "IN_REVIEW"):
        set_status(v, "TWILIO_APPROVED")


from ...scheduler import handler  # noqa: E402

handler("tollfree.auto_approve")(_auto_approve)
