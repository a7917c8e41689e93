"""Phone numbers: the numbers an account owns (IncomingPhoneNumbers, PN...), the
inventory they are bought from, and verified outgoing caller IDs.

A number has at most one owner; the inventory never offers an owned number. With test
credentials Twilio answers its documented magic numbers and stores nothing.
"""
from __future__ import annotations

import hashlib
import random

from ..errors import TwilioError
from ..rules import numbers as nrules


# -- incoming phone numbers ------------------------------------------------------------------
def owner_of(s, phone_number: str) -> dict | None:
    """The IncomingPhoneNumber record of a number, whoever owns it."""
    found = s.store.find("incoming_phone_numbers", lambda d: d["phone_number"] == phone_number)
    return found[0] if found else None


def pick_number(s, country: str, number_type: str, *, area_code: str | None = None,
                region: str | None = None, rnd=None) -> str | None:
    """A fresh valid number nobody owns (from the simulator's seeded random)."""
    rnd = rnd or s.ids
    for _ in range(200):
        number = nrules.candidate(country, number_type, rnd, area_code=area_code, region=region)
        if number is None:
            return None
        if nrules.parse(number) is not None and owner_of(s, number) is None:
            return number
    return None


def new_incoming_number(s, account_sid: str, *, phone_number: str | None = None,
                        number_type: str = "local", country: str = "US",
                        friendly_name: str | None = None, sms_url: str | None = None,
                        voice_url: str | None = None, sid: str | None = None) -> dict:
    """Create an owned number (a fresh valid one when ``phone_number`` is None). The check
    that nobody owns it and the insert are one step under the store's lock."""
    with s.store.lock:
        if phone_number is None:
            phone_number = pick_number(s, country, number_type)
            if phone_number is None:
                raise TwilioError(21422, f"No {number_type} numbers are available in {country}")
        else:
            parsed = nrules.check_purchasable(phone_number)
            phone_number = parsed.e164
            country = parsed.country
            if not nrules.matches_type(parsed, number_type):
                number_type = nrules.number_type_of(parsed)
        if owner_of(s, phone_number) is not None:
            raise TwilioError(21422, f"The phone number {phone_number} is not available.")
        return s.store.insert("incoming_phone_numbers",
                              _number_record(s, account_sid, phone_number, country, number_type,
                                             friendly_name, sms_url, voice_url, sid))


def _number_record(s, account_sid: str, phone_number: str, country: str, number_type: str,
                   friendly_name: str | None, sms_url: str | None, voice_url: str | None,
                   sid: str | None) -> dict:
    now = s.now()
    return {
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


def buy_number(s, account_sid: str, number_type: str | None, *, phone_number: str | None,
               area_code: str | None, settings: dict) -> dict:
    """Buy ``phone_number``, or any number of ``area_code`` (``number_type`` None: the
    type the number has), then apply the request's ``settings``: atomically, so two buyers
    of one number never both get it, nor a half-configured number appear."""
    with s.store.lock:
        return _buy_number(s, account_sid, number_type, phone_number=phone_number,
                           area_code=area_code, settings=settings)


def _buy_number(s, account_sid: str, number_type: str | None, *, phone_number: str | None,
                area_code: str | None, settings: dict) -> dict:
    if phone_number:
        parsed = nrules.check_purchasable(phone_number, number_type)
        if owner_of(s, parsed.e164) is not None:
            raise TwilioError(21422, f"The phone number {phone_number} is not available.")
        number = new_incoming_number(s, account_sid, phone_number=parsed.e164,
                                     number_type=number_type or nrules.number_type_of(parsed))
    elif area_code:
        country = "US"
        if area_code in nrules.CA_AREA_CODES:
            country = "CA"
        if number_type == "toll_free" or area_code in nrules.TOLL_FREE_PREFIXES:
            if area_code not in nrules.TOLL_FREE_PREFIXES:
                raise TwilioError(21451, f"AreaCode {area_code} is not a toll-free prefix.")
            number_type = "toll_free"
        else:
            nrules.check_area_code(country, area_code)
        found = pick_number(s, country, number_type or "local", area_code=area_code)
        if found is None:
            raise TwilioError(21452, f"No phone numbers found in area code {area_code}.")
        number = new_incoming_number(s, account_sid, phone_number=found)
    else:
        raise TwilioError(21421, "A PhoneNumber or AreaCode is required.")
    if settings:
        number = s.store.update("incoming_phone_numbers", number["sid"], settings)
    return number


def test_phone_number(phone_number: str | None, area_code: str | None) -> str:
    """The number bought with test credentials, by Twilio's magic values: +15005550006
    (or area code 500) succeeds, +15005550000 is unavailable, anything else invalid."""
    if phone_number is not None:
        if phone_number == "+15005550000":
            raise TwilioError(21422, f"The phone number {phone_number} is not available.")
        if phone_number != "+15005550006":
            raise TwilioError(21421, f"The phone number {phone_number} is invalid.")
        return phone_number
    if area_code is not None:
        if area_code != "500":
            raise TwilioError(21452, f"No phone numbers found in area code {area_code}.")
        return "+15005550006"
    raise TwilioError(21421, "A PhoneNumber or AreaCode is required.")


def test_number(s, account_sid: str, phone_number: str, number_type: str | None,
                friendly_name: str | None = None) -> dict:
    """The record a purchase with test credentials answers with; nothing is stored."""
    now = s.now()
    return {
        "sid": s.ids.sid("PN"), "account_sid": account_sid, "phone_number": phone_number,
        "friendly_name": friendly_name or nrules.friendly_name(phone_number),
        "iso_country": "US", "number_type": number_type or "local",
        "capabilities": nrules.capabilities("US", number_type or "local"),
        "sms_url": None, "sms_method": "POST", "sms_fallback_url": None,
        "sms_fallback_method": "POST", "voice_url": None, "voice_method": "POST",
        "voice_fallback_url": None, "voice_fallback_method": "POST", "status_callback": None,
        "status_callback_method": "POST", "sms_application_sid": None,
        "voice_application_sid": None, "voice_caller_id_lookup": False,
        "voice_receive_mode": "voice", "date_created": now, "date_updated": now,
    }


def number_of(s, account_sid: str, sid: str) -> dict:
    n = s.store.get("incoming_phone_numbers", sid)
    if n is None or n["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return n


def list_incoming_numbers(s, account_sid: str, *, number_type: str | None = None,
                          friendly_name: str | None = None, phone_number: str | None = None,
                          origin: str | None = None, beta: bool | None = None):
    """The pager of an account's numbers with Twilio's filters: ``phone_number`` is a
    prefix of the E.164 number, or a Contains pattern (``*`` any digit, letters on the
    keypad) when it has a ``*`` or no leading ``+``. Every number is Twilio's, none beta."""
    pattern = None
    if phone_number:
        pattern = nrules.contains_pattern(phone_number) \
            if "*" in phone_number or not phone_number.startswith("+") else None

    def where(n):
        if number_type is not None and n["number_type"] != number_type:
            return False
        if friendly_name is not None and n["friendly_name"] != friendly_name:
            return False
        if phone_number:
            if pattern is not None:
                if not nrules.matches_contains(n["phone_number"], pattern):
                    return False
            elif not n["phone_number"].startswith(nrules.normalize(phone_number)):
                return False
        if origin is not None and origin != "twilio":
            return False
        if beta is True:
            return False
        return True

    return s.store.pager("incoming_phone_numbers", account_sid, where=where)


def update_number(s, number: dict, changes: dict, *, new_account_sid: str | None = None) -> dict:
    """Apply ``changes``; a number moved to another account leaves its Messaging Service and
    its Applications (they stay with the account that made them)."""
    if new_account_sid is not None:
        changes = {**changes, "account_sid": new_account_sid, "messaging_service_sid": None,
                   "voice_application_sid": None, "sms_application_sid": None}
    return s.modify("incoming_phone_numbers", number, changes)


def release_number(s, number: dict):
    s.store.delete("incoming_phone_numbers", number["sid"])


# -- the inventory -----------------------------------------------------------------------------
def available_numbers(s, country: str, number_type: str, *, area_code: str | None = None,
                      region: str | None = None, contains: str | None = None,
                      want: int) -> list[str]:
    """Up to ``want`` numbers for sale nobody owns. One generator per search, seeded from
    the simulator's seed and the query: the same query yields the same inventory."""
    pattern = nrules.contains_pattern(contains) if contains else None
    raw_pattern = nrules.keypad(contains) if contains else None
    key = f"{s.ids.seed}|{country}|{number_type}|{area_code}|{region}|{contains}"
    rnd = random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))
    found, seen = [], set()
    for _ in range(want * 20):
        if len(found) >= want:
            break
        number = nrules.candidate(country, number_type, rnd, area_code=area_code, region=region)
        if number is None:
            break
        if raw_pattern:
            number = nrules.with_pattern(number, raw_pattern)
        parsed = nrules.parse(number)
        if parsed is None or number in seen or not nrules.matches_type(parsed, number_type):
            continue
        if country in ("US", "CA") and number_type != "toll_free" and parsed.country != country:
            continue
        if pattern is not None and not nrules.matches_contains(number, pattern):
            continue
        seen.add(number)
        if owner_of(s, number) is not None:
            continue
        found.append(number)
    return found


# -- verified caller IDs -----------------------------------------------------------------------
def new_caller_id(s, account_sid: str, phone_number: str, friendly_name: str | None = None, *,
                  sid: str | None = None) -> dict:
    """Verify ``phone_number`` for ``account_sid`` (idempotent)."""
    parsed = nrules.parse(phone_number)
    if parsed is None:
        raise TwilioError(21401, f"{phone_number} is not a valid phone number")
    existing = find_caller_id(s, account_sid, parsed.e164)
    if existing:
        return existing
    now = s.now()
    return s.store.insert("outgoing_caller_ids", {
        "sid": sid or s.ids.sid("PN"),
        "account_sid": account_sid,
        "phone_number": parsed.e164,
        "friendly_name": friendly_name or nrules.friendly_name(parsed.e164),
        "date_created": now,
        "date_updated": now,
    })


def find_caller_id(s, account_sid: str, phone_number: str) -> dict | None:
    found = s.store.owned("outgoing_caller_ids", account_sid,
                          where=lambda c: c["phone_number"] == phone_number, limit=1)
    return found[0] if found else None


def caller_id_of(s, account_sid: str, sid: str) -> dict:
    c = s.store.get("outgoing_caller_ids", sid)
    if c is None or c["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return c


def list_caller_ids(s, account_sid: str, *, phone_number: str | None = None,
                    friendly_name: str | None = None):
    def where(c):
        return ((phone_number is None or c["phone_number"] == nrules.normalize(phone_number))
                and (friendly_name is None or c["friendly_name"] == friendly_name))

    return s.store.pager("outgoing_caller_ids", account_sid, where=where)


def rename_caller_id(s, caller_id: dict, friendly_name: str) -> dict:
    return s.modify("outgoing_caller_ids", caller_id, {"friendly_name": friendly_name})


def delete_caller_id(s, caller_id: dict):
    s.store.delete("outgoing_caller_ids", caller_id["sid"])
