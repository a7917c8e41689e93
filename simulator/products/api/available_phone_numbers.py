"""2010 AvailablePhoneNumbers: the inventory of numbers for sale.

/AvailablePhoneNumbers.json lists the countries (US, CA, GB); /{Country}.json fetches
one; /{Country}/Local.json, /TollFree.json and /Mobile.json search numbers with
Twilio's filters. The inventory is generated (seeded random + Faker places), so
the same search gives the same numbers; a number someone owns is never offered.
"""
from __future__ import annotations

import random
import threading

from faker import Faker

from ...current import sim
from ...domain.numbers import available_numbers
from ...errors import TwilioError
from ...rules import numbers as nrules
from ...paging import in_order
from ...wire import PageRequest, boolean, list_2010, text
from . import bp as api
from ._common import request_account

TYPES = {"Local": "local", "TollFree": "toll_free", "Mobile": "mobile"}
SUBRESOURCES = {"local": "Local", "toll_free": "TollFree", "mobile": "Mobile"}
MAX_RESULTS = 1000   # a search never yields more candidates than this


def _country_wire(account_sid: str, code: str) -> dict:
    base = f"/2010-04-01/Accounts/{account_sid}/AvailablePhoneNumbers/{code}"
    return {
        "country_code": code,
        "country": nrules.COUNTRY_NAMES[code],
        "uri": f"{base}.json",
        "beta": False,
        "subresource_uris": {k: f"{base}/{v}.json" for k, v in SUBRESOURCES.items()},
    }


def _country(code: str) -> str:
    if code not in nrules.SELLING:
        raise TwilioError.not_found()
    return code


_FAKER = Faker("en_US")
_FAKER_LOCK = threading.Lock()


def _number_wire(e164: str, country: str, number_type: str) -> dict:
    """A number's place details, the same every time it is offered."""
    parsed = nrules.parse(e164)
    region = parsed.region if parsed else None
    rnd = random.Random(int(e164.lstrip("+")))
    if country == "GB":
        locality = region if number_type == "local" else None
        region = None
    elif number_type == "toll_free":
        locality = None
    else:
        with _FAKER_LOCK:
            _FAKER.seed_instance(int(e164.lstrip("+")))
            locality = _FAKER.city()
    return {
        "friendly_name": nrules.friendly_name(e164),
        "phone_number": e164,
        "lata": None if number_type == "toll_free" or country == "GB" else str(rnd.randint(100, 999)),
        "locality": locality,
        "rate_center": locality.upper()[:10] if locality and country != "GB" else None,
        "latitude": None if number_type == "toll_free" else round(rnd.uniform(25, 55), 6),
        "longitude": None if number_type == "toll_free" else round(rnd.uniform(-124, -1), 6),
        "region": None if number_type == "toll_free" else region,
        "postal_code": None,
        "iso_country": country,
        "address_requirements": "none",
        "beta": False,
        "capabilities": nrules.capabilities(country, number_type),
    }


def _search(country: str, number_type: str) -> list[dict]:
    caps = nrules.capabilities(country, number_type)
    for param, cap in (("SmsEnabled", "sms"), ("MmsEnabled", "mms"), ("VoiceEnabled", "voice"),
                       ("FaxEnabled", "fax")):
        wanted = boolean(param)
        if wanted is not None and wanted != caps[cap]:
            return []
    area = text("AreaCode")
    region = text("InRegion")
    contains = text("Contains")
    if contains:
        nrules.contains_pattern(contains)   # a bad Contains fails before the other filters
    if area is not None:
        if not area.isdigit() or len(area) != 3:
            raise TwilioError.invalid("AreaCode", "must be three digits")
        if country == "GB":
            return []
        if number_type == "toll_free":
            if area not in nrules.TOLL_FREE_PREFIXES:
                return []
        elif area not in nrules.area_codes(country):
            return []
    if region is not None and (country == "GB" or number_type == "toll_free"
                               or not nrules.area_codes(country, region)):
        return []
    if region is not None and area is not None and area not in nrules.area_codes(country, region):
        return []
    req = PageRequest.from_request()
    want = min(MAX_RESULTS, req.page_size * (req.page + 1) + 1)
    return [{"sid": number, **_number_wire(number, country, number_type)}
            for number in available_numbers(sim(), country, number_type, area_code=area,
                                            region=region, contains=contains, want=want)]


@api.get("/Accounts/<account_sid>/AvailablePhoneNumbers.json")
def list_available_phone_number_countries(account_sid):
    account, _ = request_account(account_sid)
    # Twilio's envelope for this list is just the countries and the uri (no paging keys)
    return {"countries": [_country_wire(account["sid"], c) for c in nrules.SELLING],
            "uri": f"/2010-04-01/Accounts/{account['sid']}/AvailablePhoneNumbers.json"}


@api.get("/Accounts/<account_sid>/AvailablePhoneNumbers/<country>.json")
def fetch_available_phone_number_country(account_sid, country):
    account, _ = request_account(account_sid)
    return _country_wire(account["sid"], _country(country))


@api.get("/Accounts/<account_sid>/AvailablePhoneNumbers/<country>/<kind>.json")
def list_available_phone_numbers(account_sid, country, kind):
    account, _ = request_account(account_sid)
    country = _country(country)
    if kind not in TYPES:
        raise TwilioError.not_found()
    results = _search(country, TYPES[kind])
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/AvailablePhoneNumbers/{country}/"
                     f"{kind}.json", "available_phone_numbers", in_order(results),
                     lambda r: {k: v for k, v in r.items() if k != "sid"})
