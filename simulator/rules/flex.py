"""Flex account decisions: who may create one, phone verification, and the
provisioning progress on the simulator clock (twilio-rules.md §1, §9)."""
from __future__ import annotations

import re
from datetime import datetime

from ..errors import TwilioError

PROVISIONING_SECONDS = 30       # Configuration inprogress -> ok after this long
VERIFICATION_TTL_SECONDS = 600  # a code is good for ten minutes
VERIFICATION_MAX_ATTEMPTS = 5
PASSWORD_MIN = 8
PASSWORD_MAX = 1024
EMAIL_MAX = 254                 # RFC 5321's longest forward path
FULL_NAME_MAX = 255
FRIENDLY_NAME_MAX = 64
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def configuration_status(created: datetime, now: datetime, *, provisioned: bool = False) -> str:
    """``inprogress`` until provisioning has run PROVISIONING_SECONDS, then ``ok``;
    ``provisioned`` accounts (fixtures) are ready whatever the clock says."""
    if provisioned:
        return "ok"
    return "ok" if (now - created).total_seconds() >= PROVISIONING_SECONDS else "inprogress"


def provision_status(configuration_status_: str | None) -> str:
    """/v1/account/provision/status from the Configuration's status."""
    return {"ok": "active", "inprogress": "in-progress"}.get(configuration_status_,
                                                             "not-configured")


def check_sign_up(email, password, phone) -> tuple[str, str, str]:
    if not isinstance(email, str) or len(email) > EMAIL_MAX or not _EMAIL.match(email.strip()):
        raise TwilioError.invalid("email", f"must be an email address of at most {EMAIL_MAX} "
                                           "characters")
    if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise TwilioError.invalid("password", f"must be {PASSWORD_MIN} to {PASSWORD_MAX} "
                                              "characters long")
    if not isinstance(phone, str) or len(phone) > 32 or not _E164.match(phone.strip()):
        raise TwilioError.invalid("phone", "must be a phone number in E.164 form (+15551234567)")
    return email.strip().lower(), password, phone.strip()


def check_may_create_flex_account(has_twilio_account: bool) -> None:
    if not has_twilio_account:
        raise TwilioError(20403, "You need an existing Twilio account to create a new Flex "
                                 "account: verify your phone number to finish signing up first")


def check_flex_account_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TwilioError(20422, "Give your Flex account a name (friendly_name)")
    if len(name) > FRIENDLY_NAME_MAX:
        raise TwilioError.invalid("friendly_name", f"must be at most {FRIENDLY_NAME_MAX} characters")
    return name.strip()


def check_verification(verification: dict | None, code, now: datetime,
                       sent_at: datetime | None) -> None:
    """A pending phone verification and the code the user typed."""
    if verification is None or verification["status"] != "pending":
        raise TwilioError(20422, "Verify your phone number again: request a code first "
                                 "(POST /console/phone/verifications)")
    if sent_at is not None and (now - sent_at).total_seconds() > VERIFICATION_TTL_SECONDS:
        raise TwilioError(20422, "The verification code has expired; request a new one")
    if verification["attempts"] >= VERIFICATION_MAX_ATTEMPTS:
        raise TwilioError(20422,
                          "Too many wrong codes; request a new verification code")
    if not isinstance(code, str) or code.strip() != verification["code"]:
        raise TwilioError(20422, "The verification code is not correct")
