"""Twilio's messaging decisions (no Flask, no store: facts in, decision out).

* ``validate_send``: may this Message be created? Twilio's codes in Twilio's order.
* ``test_credentials_send`` / ``test_credentials_call``: the magic numbers.
* ``outcome``: how an accepted message ends (delivered, or undelivered 30032 from
  an unverified toll-free number to the US/Canada).
* ``lifecycle``: the status steps after creation and their delays.
* opt-out keywords, segments, the trial prefix, webhook URL checks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from ..errors import TwilioError
from . import numbers as nrules

MAX_BODY = 1600
MAX_MEDIA = 10
TRIAL_PREFIX = "Sent from your Twilio trial account - "

# Countries an account may message without changing its geo permissions (the simulator's
# default; the rest give 21408).
DEFAULT_SMS_COUNTRIES = frozenset({"US", "CA", "GB", "AU", "FR", "DE", "ES", "IT", "NL", "IE",
                                   "IN", "SG", "MX", "BR", "JP", "CH", "SE"})

# Twilio's default opt-out handling keywords (case-insensitive, the whole body trimmed).
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
OPT_IN = frozenset({"START", "YES", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})

APPROVED = "TWILIO_APPROVED"
VERIFICATION_STATUSES = ("PENDING_REVIEW", "IN_REVIEW", "TWILIO_APPROVED", "TWILIO_REJECTED")

GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€")


# -- URLs -------------------------------------------------------------------------------
def check_url(url: str, name: str = "Url", code: int = 20422):
    """A webhook URL must be absolute http(s) with a valid host name, no underscores."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: not a URL either
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host or "_" in host \
            or not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host):
        raise TwilioError(code, f"{name} is not a valid URL: {url}") if code != 20422 else \
            TwilioError.invalid(name, f"{url} is not a valid http(s) URL")


# -- sending ----------------------------------------------------------------------------
@dataclass
class Sender:
    """The Twilio number a message goes out from, as the store knows it."""
    phone_number: str
    sms: bool
    mms: bool
    number_type: str            # local | toll_free | mobile
    country: str


@dataclass
class SendFacts:
    to: str | None
    from_: str | None
    service_sid: str | None
    body: str | None
    media_urls: list = field(default_factory=list)
    content_sid: str | None = None
    trial: bool = False
    allowed_countries: frozenset = DEFAULT_SMS_COUNTRIES
    # look-ups supplied by the caller
    sender: Callable[[str], Sender | None] = lambda number: None
    opted_out: Callable[[str], bool] = lambda to: False
    verified: Callable[[str], bool] = lambda to: False


def validate_send(f: SendFacts) -> nrules.PhoneNumber:
    """Raise Twilio's error for the first rule a new message breaks, in Twilio's order:
    21604, 21603, 21602/21619, 21211, 21212, 21606, 21617, 21623, 21610, 21408, 21614,
    21608. Returns the parsed destination."""
    check_required(f.to, f.from_, f.service_sid, f.body, f.media_urls, f.content_sid)
    to = nrules.parse(f.to)
    if to is None:
        raise TwilioError(21211, f"The 'To' number {f.to} is not a valid phone number.")
    if f.from_:
        sender_number = nrules.parse(f.from_)
        if sender_number is None:
            raise TwilioError(21212, f"The 'From' number {f.from_} is not a valid phone number, "
                                     "shortcode, or alphanumeric sender ID.")
        if sender_number.e164 == to.e164:
            raise TwilioError(21211, f"The 'To' number {f.to} is the same as the 'From' number.")
        sender = f.sender(sender_number.e164)
        if sender is None or not sender.sms or (f.media_urls and not sender.mms
                                                and to.country not in ("US", "CA")):
            raise TwilioError(21606, f"The From phone number {f.from_} is not a valid, "
                                     "SMS-capable inbound phone number or short code for your "
                                     "account.")
    if f.body and len(f.body) > MAX_BODY:
        raise TwilioError(21617)
    if len(f.media_urls) > MAX_MEDIA:
        raise TwilioError(21623, f"At most {MAX_MEDIA} MediaUrl may be sent with a message.")
    if f.opted_out(to.e164):
        raise TwilioError(21610, f"Attempt to send to unsubscribed recipient {to.e164}")
    if to.country not in f.allowed_countries:
        raise TwilioError(21408, "Permission to send an SMS has not been enabled for the region "
                                 f"indicated by the 'To' number: {to.e164}.")
    if not to.sms_reachable:
        raise TwilioError(21614, f"To number: {to.e164}, is not a mobile number")
    if f.trial and not f.verified(to.e164):
        raise TwilioError(21608, trial_unverified_message(to.e164))
    return to


def check_required(to, from_, service_sid, body, media_urls=(), content_sid=None):
    """21604 without To, 21603 without From or MessagingServiceSid, then 21602 (21619 with
    a Messaging Service) without Body, MediaUrl or ContentSid."""
    if not to:
        raise TwilioError(21604)
    if not from_ and not service_sid:
        raise TwilioError(21603)
    if not body and not media_urls and not content_sid:
        raise TwilioError(21619 if service_sid else 21602)


def check_content(content_sid: str | None, content_variables: str | None) -> None:
    """Content templates (``HX…``, the Content API) are not simulated, so a ``ContentSid``
    names no template here: refused with Twilio's 21655 on every path (live and test
    credentials alike). ``ContentVariables`` need a ``ContentSid`` (21654) and must be a JSON
    object (21656)."""
    if content_variables is not None:
        if not content_sid:
            raise TwilioError(21654)
        try:
            variables = json.loads(content_variables)
        except (ValueError, RecursionError):
            variables = None
        if not isinstance(variables, dict):
            raise TwilioError(21656, "ContentVariables must be a JSON object")
    if content_sid:
        raise TwilioError(21655, f"The ContentSid {content_sid} names no Content template: "
                                 "the simulator does not simulate the Content API")


def trial_unverified_message(number: str) -> str:
    return (f"The number {number} is unverified. Trial accounts cannot send messages to "
            f"unverified numbers; verify {number} at twilio.com/user/account/phone-numbers/"
            "verified, or purchase a Twilio number to send messages to unverified numbers")


def trial_body(body: str | None, trial: bool) -> str | None:
    """Trial accounts' messages carry Twilio's prefix."""
    if not trial or body is None:
        return body
    return TRIAL_PREFIX + body


def test_credentials_send(to: str | None, from_: str | None, service_sid: str | None):
    """The magic numbers of Twilio's test credentials for Messages (twilio-rules §5).
    Checked after the required-parameter checks; ``From`` +15005550006 passes."""
    if service_sid and not from_:
        raise TwilioError(21603, "MessagingServiceSid is not supported with test credentials; "
                                 "use From +15005550006")
    to_codes = {"+15005550001": 21211, "+15005550002": 21612, "+15005550003": 21408,
                "+15005550004": 21610, "+15005550009": 21614}
    from_codes = {"+15005550001": 21212, "+15005550007": 21606, "+15005550008": 21611}
    code = to_codes.get(to)
    if code == 21211:
        raise TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")
    if from_ != "+15005550006":
        raise TwilioError(from_codes.get(from_, 21606))
    if code is not None:
        raise TwilioError(code)
    if nrules.parse(to) is None:
        raise TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")


def test_credentials_call(to: str | None, from_: str | None):
    """Magic numbers for Calls: From +15005550006 passes, +15005550001 is invalid (21212),
    others are unverified (21210); To 01..04 give 21217, 21214, 21215, 21216."""
    if not from_:
        raise TwilioError(21213)
    if from_ == "+15005550001":
        raise TwilioError(21212)
    if from_ != "+15005550006":
        raise TwilioError(21210, f"The source phone number provided, {from_}, is not yet "
                                 "verified for your account.")
    code = {"+15005550001": 21217, "+15005550002": 21214, "+15005550003": 21215,
            "+15005550004": 21216}.get(to)
    if code is not None:
        raise TwilioError(code)


# -- delivery -------------------------------------------------------------------------------
def tollfree_blocked(sender: Sender | None, to: nrules.PhoneNumber,
                     verification_status: str | None) -> bool:
    """A toll-free sender without an approved verification cannot reach US/CA (30032).
    Other destinations and voice are not affected."""
    return (sender is not None and sender.number_type == "toll_free"
            and sender.country in ("US", "CA") and to.country in ("US", "CA")
            and verification_status != APPROVED)


CARRIER_FAILURES = (30003, 30004, 30005, 30006, 30007, 30008)


def outcome(blocked_30032: bool, override: dict | None = None) -> tuple[str, int | None]:
    """The final status of an outbound message and its error code: 30032 for a blocked
    toll-free sender, else what the control plane set for the recipient, else delivered."""
    if blocked_30032:
        return "undelivered", 30032
    if override:
        return override["status"], override.get("error_code")
    return "delivered", None


def check_carrier_override(status: str, error_code) -> int:
    """A recipient's simulated carrier outcome: undelivered or failed with a 3000x code."""
    if status not in ("undelivered", "failed"):
        raise TwilioError(20422, "status must be undelivered or failed")
    code = 30003 if error_code is None else error_code
    if code not in CARRIER_FAILURES:
        raise TwilioError(20422, "error_code must be one of "
                               + ", ".join(str(c) for c in CARRIER_FAILURES))
    return code


def lifecycle(initial: str, final: str, delays: dict) -> list[tuple[str, float]]:
    """The status changes after creation, each with its delay after the previous one.
    ``initial`` (queued or accepted) is not repeated; no callback is sent for it."""
    steps = []
    if initial == "accepted":
        steps.append(("queued", delays.get("queued", 0)))
    steps.append(("sending", delays.get("sending", 1)))
    steps.append(("sent", delays.get("sent", 1)))
    steps.append((final, delays.get(final, delays.get("delivered", 1))))
    return steps


def segments(body: str | None) -> int:
    """SMS segments: 160/153 GSM-7 characters or 70/67 UCS-2 characters per segment."""
    if not body:
        return 1
    gsm = all(c in GSM7 for c in body)
    single, multi = (160, 153) if gsm else (70, 67)
    if len(body) <= single:
        return 1
    return -(-len(body) // multi)


def keyword(body: str | None) -> str | None:
    """``"stop"``, ``"start"`` or ``"help"`` when an inbound body is one of Twilio's keywords."""
    word = (body or "").strip().upper()
    if word in OPT_OUT:
        return "stop"
    if word in OPT_IN:
        return "start"
    if word in HELP:
        return "help"
    return None


def tollfree_restricted(statuses: list[str]) -> bool:
    """'Restricted' or 'Pending': the latest verification is not approved."""
    return not statuses or statuses[-1] != APPROVED


def check_verification_transition(current: str, new: str):
    """Reviews move PENDING_REVIEW -> IN_REVIEW -> APPROVED/REJECTED; a rejected one can be
    resubmitted (back to PENDING_REVIEW)."""
    allowed = {
        "PENDING_REVIEW": {"IN_REVIEW", "TWILIO_APPROVED", "TWILIO_REJECTED"},
        "IN_REVIEW": {"TWILIO_APPROVED", "TWILIO_REJECTED"},
        "TWILIO_REJECTED": {"PENDING_REVIEW"},
        "TWILIO_APPROVED": set(),
    }
    if new not in allowed.get(current, set()):
        raise TwilioError(20422, f"A verification in {current} cannot move to {new}")
