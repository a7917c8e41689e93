"""2010 IncomingPhoneNumbers: the numbers an account owns.

/Accounts/{AccountSid}/IncomingPhoneNumbers.json (buy by PhoneNumber or AreaCode,
list), /IncomingPhoneNumbers/{Sid}.json (fetch, update, release) and the typed
sub-lists /IncomingPhoneNumbers/Local.json, /TollFree.json, /Mobile.json.
With test credentials the magic numbers of Twilio's docs answer and nothing is
stored.
"""
from __future__ import annotations

from ...auth import path_account, principal
from ...current import sim
from ...dates import rfc2822
from ...domain import applications, numbers
from ...domain.accounts import account_of
from ...errors import TwilioError
from ...rules import numbers as nrules
from ...wire import boolean, list_2010, params, text
from . import bp as api
from ._common import http_method, request_account, url_param

SUBLISTS = {"Local": "local", "TollFree": "toll_free", "Mobile": "mobile"}
WIRE_TYPE = {"local": "local", "toll_free": "tollfree", "mobile": "mobile"}
URL_FIELDS = ("sms_url", "sms_fallback_url", "voice_url", "voice_fallback_url", "status_callback")
UPDATABLE = {  # parameter -> field
    "FriendlyName": "friendly_name", "SmsUrl": "sms_url", "SmsMethod": "sms_method",
    "SmsFallbackUrl": "sms_fallback_url", "SmsFallbackMethod": "sms_fallback_method",
    "VoiceUrl": "voice_url", "VoiceMethod": "voice_method",
    "VoiceFallbackUrl": "voice_fallback_url", "VoiceFallbackMethod": "voice_fallback_method",
    "StatusCallback": "status_callback", "StatusCallbackMethod": "status_callback_method",
    "SmsApplicationSid": "sms_application_sid", "VoiceApplicationSid": "voice_application_sid",
    "VoiceCallerIdLookup": "voice_caller_id_lookup", "VoiceReceiveMode": "voice_receive_mode",
}


def to_wire(n: dict, *, typed: bool = True) -> dict:
    wire = {
        "account_sid": n["account_sid"],
        "address_sid": None,
        "address_requirements": "none",
        "api_version": "2010-04-01",
        "beta": False,
        "capabilities": dict(n["capabilities"]),
        "date_created": rfc2822(n["date_created"]),
        "date_updated": rfc2822(n["date_updated"]),
        "friendly_name": n["friendly_name"],
        "identity_sid": None,
        "phone_number": n["phone_number"],
        "origin": "twilio",
        "sid": n["sid"],
        "sms_application_sid": n["sms_application_sid"],
        "sms_fallback_method": n["sms_fallback_method"],
        "sms_fallback_url": n["sms_fallback_url"],
        "sms_method": n["sms_method"],
        "sms_url": n["sms_url"],
        "status_callback": n["status_callback"],
        "status_callback_method": n["status_callback_method"],
        "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{n['account_sid']}/IncomingPhoneNumbers/{n['sid']}.json",
        "voice_receive_mode": n["voice_receive_mode"],
        "voice_application_sid": n["voice_application_sid"],
        "voice_caller_id_lookup": n["voice_caller_id_lookup"],
        "voice_fallback_method": n["voice_fallback_method"],
        "voice_fallback_url": n["voice_fallback_url"],
        "voice_method": n["voice_method"],
        "voice_url": n["voice_url"],
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "bundle_sid": None,
        "status": "in-use",
    }
    if typed:
        wire["type"] = WIRE_TYPE[n["number_type"]]
    return wire


# -- parameters -------------------------------------------------------------------
def _settings(account_sid: str) -> dict:
    """The configurable fields of a create or update request (validated first) for a
    number of ``account_sid``."""
    changes = {}
    for param, field in UPDATABLE.items():
        if param not in params():
            continue
        if field.endswith("_method"):
            changes[field] = http_method(param)
        elif field in URL_FIELDS:
            changes[field] = url_param(param)
        elif field.endswith("_application_sid"):
            changes[field] = nrules.check_application_sid(
                params()[param], param, lambda sid: applications.exists(sim(), account_sid, sid))
        elif field == "voice_caller_id_lookup":
            changes[field] = boolean(param)
        elif field == "voice_receive_mode":
            value = params()[param]
            if value not in ("voice", "fax"):
                raise TwilioError.invalid(param, "must be voice or fax")
            changes[field] = value
        else:
            changes[field] = text(param, max_length=64) or None
    return changes


# -- routes ------------------------------------------------------------------------------
def _buy(account_sid: str, number_type: str | None):
    account, test = request_account(account_sid)
    untyped = number_type is None   # bought from /IncomingPhoneNumbers.json (shows "type")
    if test:   # Twilio's magic numbers answer; nothing is stored
        phone = numbers.test_phone_number(params().get("PhoneNumber"), params().get("AreaCode"))
        number = numbers.test_number(sim(), account["sid"], phone, number_type,
                                     text("FriendlyName"))
        number.update(_settings(account["sid"]))
        return to_wire(number, typed=untyped), 201
    settings = _settings(account["sid"])
    number = numbers.buy_number(sim(), account["sid"], number_type,
                                phone_number=params().get("PhoneNumber"),
                                area_code=params().get("AreaCode"), settings=settings)
    return to_wire(number, typed=untyped), 201


def _list(account_sid: str, number_type: str | None, suffix: str):
    account = path_account(account_sid)
    name = text("FriendlyName")
    phone = text("PhoneNumber")
    origin = text("Origin")
    beta = boolean("Beta")
    fetch = numbers.list_incoming_numbers(sim(), account["sid"], number_type=number_type,
                                          friendly_name=name, phone_number=phone,
                                          origin=origin, beta=beta)
    path = f"/2010-04-01/Accounts/{account['sid']}/IncomingPhoneNumbers{suffix}.json"
    return list_2010(path, "incoming_phone_numbers", fetch,
                     lambda n: to_wire(n, typed=number_type is None))


@api.post("/Accounts/<account_sid>/IncomingPhoneNumbers.json")
def create_incoming_phone_number(account_sid):
    return _buy(account_sid, None)


@api.get("/Accounts/<account_sid>/IncomingPhoneNumbers.json")
def list_incoming_phone_numbers(account_sid):
    return _list(account_sid, None, "")


@api.post("/Accounts/<account_sid>/IncomingPhoneNumbers/<kind>.json")
def create_or_update_incoming_phone_number(account_sid, kind):
    if kind in SUBLISTS:
        return _buy(account_sid, SUBLISTS[kind])
    return update_incoming_phone_number(account_sid, kind)


@api.get("/Accounts/<account_sid>/IncomingPhoneNumbers/<kind>.json")
def list_or_fetch_incoming_phone_number(account_sid, kind):
    if kind in SUBLISTS:
        return _list(account_sid, SUBLISTS[kind], f"/{kind}")
    account = path_account(account_sid)
    return to_wire(numbers.number_of(sim(), account["sid"], kind))


def update_incoming_phone_number(account_sid, sid):
    account = path_account(account_sid)
    number = numbers.number_of(sim(), account["sid"], sid)
    changes = _settings(account["sid"])
    target = params().get("AccountSid")
    new_account_sid = None
    if target and target != number["account_sid"]:
        new_owner = account_of(sim(), target)
        if new_owner is None:
            raise TwilioError.invalid("AccountSid", f"account {target} does not exist")
        if not principal().reaches(new_owner):
            raise TwilioError(20003, f"These credentials cannot move numbers to {target}")
        new_account_sid = target
    return to_wire(numbers.update_number(sim(), number, changes,
                                         new_account_sid=new_account_sid))


@api.delete("/Accounts/<account_sid>/IncomingPhoneNumbers/<sid>.json")
def delete_incoming_phone_number(account_sid, sid):
    account = path_account(account_sid)
    number = numbers.number_of(sim(), account["sid"], sid)
    numbers.release_number(sim(), number)
    return "", 204
