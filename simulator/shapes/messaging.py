"""Messages, verified caller IDs and toll-free verifications as Twilio shows them
(rendered by the products and by the control plane)."""
from __future__ import annotations

from ..dates import rfc2822
from ..hosts import public_url


def message_to_wire(m: dict) -> dict:
    base = f"/2010-04-01/Accounts/{m['account_sid']}/Messages/{m['sid']}"
    return {
        "body": m["body"],
        "num_segments": str(m["num_segments"]),
        "direction": m["direction"],
        "from": m["from"],
        "to": m["to"],
        "date_updated": rfc2822(m["date_updated"]),
        "price": m["price"],
        "error_message": m["error_message"],
        "uri": f"{base}.json",
        "account_sid": m["account_sid"],
        "num_media": str(m["num_media"]),
        "status": m["status"],
        "messaging_service_sid": m["messaging_service_sid"],
        "sid": m["sid"],
        "date_sent": rfc2822(m["date_sent"]),
        "date_created": rfc2822(m["date_created"]),
        "error_code": m["error_code"],
        "price_unit": m["price_unit"],
        "api_version": "2010-04-01",
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
    }


def caller_id_to_wire(c: dict) -> dict:
    return {
        "sid": c["sid"],
        "date_created": rfc2822(c["date_created"]),
        "date_updated": rfc2822(c["date_updated"]),
        "friendly_name": c["friendly_name"],
        "account_sid": c["account_sid"],
        "phone_number": c["phone_number"],
        "uri": f"/2010-04-01/Accounts/{c['account_sid']}/OutgoingCallerIds/{c['sid']}.json",
    }


def verification_to_wire(v: dict) -> dict:
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
