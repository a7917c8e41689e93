"""2010 IncomingPhoneNumbers: the numbers an account owns.

/Accounts/{AccountSid}/IncomingPhoneNumbers.json (buy by PhoneNumber or AreaCode,
list), /IncomingPhoneNumbers/{Sid}.json (fetch, update, release) and the typed
sub-lists /IncomingPhoneNumbers/Local.json, /TollFree.json, /Mobile.json.
With test credentials the magic numbers of Twilio's docs answer and nothing is
stored.
"""
from __future__ import annotations


from ...auth import path_account, principal
from ...errors import TwilioError
from ...rules import numbers as nrules
from ...runtime import sim
from ...wire import boolean, list_2010, params, rfc2822, text
from . import bp as api
from ._common import request_account

METHODS = ("GET", "POST")
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


def owner_of(phone_number: str) -> dict | None:
    """The IncomingPhoneNumber record of a number, whoever owns it."""
    found = sim().store.find("incoming_phone_numbers", lambda d: d["phone_number"] == phone_number)
    return found[0] if found else None


def pick_number(country: str, number_type: str, *, area_code: str | None = None,
                region: str | None = None, rnd=None) -> str | None:
    """A fresh valid number nobody owns (from the simulator's seeded random)."""
    rnd = rnd or sim().ids
    for _ in range(200):
        number = nrules.candidate(country, number_type, rnd, area_code=area_code, region=region)
        if number is None:
            return None
        if nrules.parse(number) is not None and owner_of(number) is None:
            return number
    return None


def new_incoming_number(account_sid: str, *, phone_number: str | None = None,
                        number_type: str = "local", country: str = "US",
                        friendly_name: str | None = None, sms_url: str | None = None,
                        voice_url: str | None = None, sid: str | None = None) -> dict:
    """Create an owned number (a fresh valid one when ``phone_number`` is None)."""
    s = sim()
    if phone_number is None:
        phone_number = pick_number(country, number_type)
        if phone_number is None:
            raise TwilioError(21422, f"No {number_type} numbers are available in {country}")
    else:
        parsed = nrules.check_purchasable(phone_number)
        phone_number = parsed.e164
        country = parsed.country
        if not nrules.matches_type(parsed, number_type):
            number_type = nrules.number_type_of(parsed)
    if owner_of(phone_number) is not None:
        raise TwilioError(21422, f"The phone number {phone_number} is not available.")
    now = s.now()
    record = {
        "sid": sid or s.ids.sid("PN"),
        "account_sid": account_sid,
        "phone_number": phone_number,
        "friendly_name": friendly_name or nrules.friendly_name(phone_number),
        "iso_country": country,
        "number_type": number_type,
        "capabilities": nrules.capabilities(country, number_type),
        "sms_url": sms_url, "sms_method": "POST",
        "sms_fallback_url": None, "sms_fallback_method": "POST",
        "voice_url": voice_url, "voice_method": "POST",
        "voice_fallback_url": None, "voice_fallback_method": "POST",
        "status_callback": None, "status_callback_method": "POST",
        "sms_application_sid": None, "voice_application_sid": None,
        "voice_caller_id_lookup": False, "voice_receive_mode": "voice",
        "messaging_service_sid": None,
        "date_created": now,
        "date_updated": now,
    }
    return s.store.insert("incoming_phone_numbers", record)


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


def number_of(account_sid: str, sid: str) -> dict:
    n = sim().store.get("incoming_phone_numbers", sid)
    if n is None or n["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return n


# -- parameters -------------------------------------------------------------------
def _method(name: str):
    value = params().get(name)
    if value is None:
        return None
    if value.upper() not in METHODS:
        raise TwilioError.invalid(name, "must be GET or POST")
    return value.upper()


def _url(name: str):
    from ...rules.messaging import check_url
    value = params().get(name)
    if value is None or value == "":
        return value
    check_url(value, name)
    return value


def _settings() -> dict:
    """The configurable fields of a create or update request (validated first)."""
    changes = {}
    for param, field in UPDATABLE.items():
        if param not in params():
            continue
        if field.endswith("_method"):
            changes[field] = _method(param)
        elif field in URL_FIELDS:
            changes[field] = _url(param) or None
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


# -- test credentials ------------------------------------------------------------------
def _test_purchase(account: dict, number_type: str | None):
    """Twilio's magic numbers for buying with test credentials; nothing is stored."""
    phone = params().get("PhoneNumber")
    area = params().get("AreaCode")
    if phone is not None:
        if phone == "+15005550000":
            raise TwilioError(21422, f"The phone number {phone} is not available.")
        if phone != "+15005550006":
            raise TwilioError(21421, f"The phone number {phone} is invalid.")
    elif area is not None:
        if area != "500":
            raise TwilioError(21452, f"No phone numbers found in area code {area}.")
        phone = "+15005550006"
    else:
        raise TwilioError(21421, "A PhoneNumber or AreaCode is required.")
    s = sim()
    now = s.now()
    record = {
        "sid": s.ids.sid("PN"), "account_sid": account["sid"], "phone_number": phone,
        "friendly_name": text("FriendlyName") or nrules.friendly_name(phone),
        "iso_country": "US", "number_type": number_type or "local",
        "capabilities": nrules.capabilities("US", number_type or "local"),
        "sms_url": None, "sms_method": "POST", "sms_fallback_url": None,
        "sms_fallback_method": "POST", "voice_url": None, "voice_method": "POST",
        "voice_fallback_url": None, "voice_fallback_method": "POST", "status_callback": None,
        "status_callback_method": "POST", "sms_application_sid": None,
        "voice_application_sid": None, "voice_caller_id_lookup": False,
        "voice_receive_mode": "voice", "date_created": now, "date_updated": now,
    }
    record.update(_settings())
    return record


# -- routes ------------------------------------------------------------------------------
def _buy(account_sid: str, number_type: str | None):
    account, test = request_account(account_sid)
    untyped = number_type is None   # bought from /IncomingPhoneNumbers.json (shows "type")
    if test:
        return to_wire(_test_purchase(account, number_type), typed=number_type is None), 201
    settings = _settings()
    phone = params().get("PhoneNumber")
    area = params().get("AreaCode")
    if phone:
        parsed = nrules.check_purchasable(phone, number_type)
        if owner_of(parsed.e164) is not None:
            raise TwilioError(21422, f"The phone number {phone} is not available.")
        number = new_incoming_number(account["sid"], phone_number=parsed.e164,
                                     number_type=number_type or nrules.number_type_of(parsed))
    elif area:
        country = "US"
        if area in nrules.CA_AREA_CODES:
            country = "CA"
        if number_type == "toll_free" or area in nrules.TOLL_FREE_PREFIXES:
            if area not in nrules.TOLL_FREE_PREFIXES:
                raise TwilioError(21451, f"AreaCode {area} is not a toll-free prefix.")
            number_type = "toll_free"
        else:
            nrules.check_area_code(country, area)
        found = pick_number(country, number_type or "local", area_code=area)
        if found is None:
            raise TwilioError(21452, f"No phone numbers found in area code {area}.")
        number = new_incoming_number(account["sid"], phone_number=found)
    else:
        raise TwilioError(21421, "A PhoneNumber or AreaCode is required.")
    if settings:
        number = sim().store.update("incoming_phone_numbers", number["sid"], settings)
    return to_wire(number, typed=untyped), 201


def _list(account_sid: str, number_type: str | None, suffix: str):
    account = path_account(account_sid)
    name = text("FriendlyName")
    phone = text("PhoneNumber")
    origin = text("Origin")
    beta = boolean("Beta")
    pattern = None
    if phone:
        pattern = nrules.contains_pattern(phone) if "*" in phone or not phone.startswith("+") \
            else None

    def where(n):
        if number_type is not None and n["number_type"] != number_type:
            return False
        if name is not None and n["friendly_name"] != name:
            return False
        if phone:
            if pattern is not None:
                if not nrules.matches_contains(n["phone_number"], pattern):
                    return False
            elif not n["phone_number"].startswith(nrules.normalize(phone)):
                return False
        if origin is not None and origin != "twilio":
            return False
        if beta is True:
            return False
        return True

    fetch = sim().store.pager("incoming_phone_numbers", account["sid"], where=where)

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
    return to_wire(number_of(account["sid"], kind))


def update_incoming_phone_number(account_sid, sid):
    account = path_account(account_sid)
    number = number_of(account["sid"], sid)
    changes = _settings()
    target = params().get("AccountSid")
    if target and target != number["account_sid"]:
        new_owner = sim().store.get("accounts", target)
        if new_owner is None:
            raise TwilioError.invalid("AccountSid", f"account {target} does not exist")
        if not principal().reaches(new_owner):
            raise TwilioError(20003, f"These credentials cannot move numbers to {target}")
        changes["account_sid"] = target
        changes["messaging_service_sid"] = None
    return to_wire(sim().modify("incoming_phone_numbers", number, changes))


@api.delete("/Accounts/<account_sid>/IncomingPhoneNumbers/<sid>.json")
def delete_incoming_phone_number(account_sid, sid):
    account = path_account(account_sid)
    number = number_of(account["sid"], sid)
    sim().store.delete("incoming_phone_numbers", number["sid"])
    return "", 204
