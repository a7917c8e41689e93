"""Toll-free verifications (HH...): submission, review and Twilio's status moves.

Status PENDING_REVIEW -> IN_REVIEW -> TWILIO_APPROVED or TWILIO_REJECTED, moved by
the control plane or, when the setting ``tollfree_auto_approve_seconds`` is set,
approved that many simulated seconds after submission. A rejected verification may
be edited and resubmitted until ``edit_expiration`` (7 days after the request).
"""
from __future__ import annotations

from datetime import timedelta

from ..dates import iso, parse_iso
from ..errors import TwilioError
from ..paging import in_order
from ..rules import messaging as mrules
from ..scheduler import handler
from .settings import messaging_settings

OPT_IN_TYPES = ("VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE", "IMPORT",
                "IMPORT_PLEASE_REPLACE")
USE_CASES = ("TWO_FACTOR_AUTHENTICATION", "ACCOUNT_NOTIFICATIONS", "CUSTOMER_CARE",
             "CHARITY_NONPROFIT", "DELIVERY_NOTIFICATIONS", "FRAUD_ALERT_MESSAGING", "EVENTS",
             "HIGHER_EDUCATION", "K12", "MARKETING", "POLLING_AND_VOTING_NON_POLITICAL",
             "POLITICAL_ELECTION_CAMPAIGNS", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT")
BUSINESS_TYPES = ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "SOLE_PROPRIETOR", "NON_PROFIT", "GOVERNMENT")
AUTHORITIES = ("EIN", "CBN", "CRN", "PROVINCIAL_NUMBER", "VAT", "ACN", "ABN", "BRN", "SIREN",
               "SIRET", "NZBN", "USt-IdNr", "CIF", "NIF", "CNPJ", "UID", "NEQ", "OTHER")
# request parameter -> stored field
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
                 "vetting_provider": "CAMPAIGN_VERIFY",
                 "opt_in_type": "WEB_FORM"}  # required by the API; a fixtures entry may omit it


def new_verification(s, account_sid: str, number: dict, fields: dict, *,
                     status: str | None = None, sid: str | None = None) -> dict:
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
        _schedule_auto_review(s, verification)
    return verification


def submit_verification(s, account_sid: str, number_sid: str, fields: dict) -> dict:
    """A verification request for the account's toll-free number ``number_sid`` (30436);
    one at a time per number unless the last was rejected (20422)."""
    number = s.store.get("incoming_phone_numbers", number_sid)
    if number is None or number["account_sid"] != account_sid \
            or number["number_type"] != "toll_free":
        raise TwilioError(30436, f"TollfreePhoneNumberSid {number_sid} is not a toll-free phone "
                                 "number of this account")
    current = latest_status(s, number["sid"])
    if current in ("PENDING_REVIEW", "IN_REVIEW", "TWILIO_APPROVED"):
        raise TwilioError(20422, f"Phone number {number['phone_number']} already has a "
                                 f"verification ({current})")
    return new_verification(s, account_sid, number, fields)


def _schedule_auto_review(s, verification: dict):
    seconds = messaging_settings(s).get("tollfree_auto_approve_seconds")
    if seconds is not None:
        s.scheduler.schedule("tollfree.auto_approve", verification["sid"], float(seconds))


def set_status(s, verification: dict, status: str, *, reason: str | None = None,
               error_code: int | None = None) -> dict:
    """Move a verification (control plane, auto-approval); Twilio's transitions only."""
    mrules.check_verification_transition(verification["status"], status)
    now = s.now()
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
    return s.store.update("tollfree_verifications", verification["sid"], changes)


def latest_status(s, number_sid: str) -> str | None:
    """The status of a toll-free number's latest verification (None: never submitted)."""
    found = s.store.find("tollfree_verifications",
                         lambda v: v["tollfree_phone_number_sid"] == number_sid)
    return found[-1]["status"] if found else None


def find_verification(s, sid: str) -> dict | None:
    return s.store.get("tollfree_verifications", sid)


def verification_of(s, account_sid: str, sid: str) -> dict:
    v = s.store.get("tollfree_verifications", sid)
    if v is None or v["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return v


def list_verifications(s, account_sid: str, *, include_subaccounts: bool = False,
                       number_sid: str | None = None, status: str | None = None,
                       reference: str | None = None):
    """The pager of an account's verifications; with ``include_subaccounts`` (a main
    account), the main account's, then each subaccount's."""
    owners = [account_sid]
    if include_subaccounts:
        owners += [a["sid"] for a in s.store.owned("accounts", account_sid)
                   if a["sid"] != account_sid]

    def where(v):
        return ((number_sid is None or v["tollfree_phone_number_sid"] == number_sid)
                and (status is None or v["status"] == status)
                and (reference is None or v.get("external_reference_id") == reference))

    if len(owners) == 1:
        return s.store.pager("tollfree_verifications", owners[0], where=where)
    return in_order([v for owner in owners
                        for v in s.store.owned("tollfree_verifications", owner, where=where)])


def update_verification(s, verification: dict, fields: dict, edit_reason: str | None) -> dict:
    """Edit a verification; a rejected one is resubmitted (until its edit window ends)."""
    v = verification
    if v["status"] in ("IN_REVIEW", "TWILIO_APPROVED"):
        raise TwilioError(20422, f"A verification in {v['status']} cannot be edited")
    changes = dict(fields)
    if v["status"] == "TWILIO_REJECTED":
        if v["edit_expiration"] and s.now() > v["edit_expiration"]:
            raise TwilioError(20422, "The edit window of this verification has expired; "
                                     "submit a new verification")
        changes.update({"status": "PENDING_REVIEW", "rejection_reason": None,
                        "rejection_reasons": None, "error_code": None, "edit_allowed": None,
                        "edit_expiration": None})
    changes["date_updated"] = s.now()
    if edit_reason:
        changes["edit_reason"] = edit_reason
    updated = s.store.update("tollfree_verifications", v["sid"], changes)
    if v["status"] == "TWILIO_REJECTED":
        _schedule_auto_review(s, updated)
    return updated


def delete_verification(s, verification: dict):
    s.scheduler.cancel(verification["sid"])
    s.store.delete("tollfree_verifications", verification["sid"])


@handler("tollfree.auto_approve")
def _auto_approve(s, timer):
    v = s.store.get("tollfree_verifications", timer["target"])
    if v is not None and v["status"] in ("PENDING_REVIEW", "IN_REVIEW"):
        set_status(s, v, "TWILIO_APPROVED")
