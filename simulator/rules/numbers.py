"""Phone numbers: E.164 parsing, countries, number types, capabilities and the
number-search patterns of AvailablePhoneNumbers (no Flask, no store).

The simulator knows the numbering plans of the US, Canada and the UK well enough
to sell their numbers: real NANP area codes (with their state or province), the
NANP toll-free prefixes, and the UK's geographic, mobile (07) and freephone
(0800/0808) ranges. Other countries are known by calling code only, so messages
can be addressed to them (and refused by geo permissions).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import TwilioError

TOLL_FREE_PREFIXES = ("800", "888", "877", "866", "855", "844", "833")

US_AREA_CODES = {
    "201": "NJ", "202": "DC", "203": "CT", "205": "AL", "206": "WA", "207": "ME", "208": "ID",
    "209": "CA", "210": "TX", "212": "NY", "213": "CA", "214": "TX", "215": "PA", "216": "OH",
    "217": "IL", "218": "MN", "219": "IN", "224": "IL", "225": "LA", "228": "MS", "229": "GA",
    "231": "MI", "234": "OH", "239": "FL", "240": "MD", "248": "MI", "251": "AL", "252": "NC",
    "253": "WA", "254": "TX", "256": "AL", "260": "IN", "262": "WI", "267": "PA", "269": "MI",
    "270": "KY", "276": "VA", "281": "TX", "301": "MD", "302": "DE", "303": "CO", "304": "WV",
    "305": "FL", "307": "WY", "308": "NE", "309": "IL", "310": "CA", "312": "IL", "313": "MI",
    "314": "MO", "315": "NY", "316": "KS", "317": "IN", "318": "LA", "319": "IA", "320": "MN",
    "321": "FL", "323": "CA", "330": "OH", "334": "AL", "336": "NC", "337": "LA", "339": "MA",
    "347": "NY", "351": "MA", "352": "FL", "360": "WA", "361": "TX", "385": "UT", "386": "FL",
    "401": "RI", "402": "NE", "404": "GA", "405": "OK", "406": "MT", "407": "FL", "408": "CA",
    "409": "TX", "410": "MD", "412": "PA", "413": "MA", "414": "WI", "415": "CA", "417": "MO",
    "419": "OH", "423": "TN", "425": "WA", "432": "TX", "434": "VA", "435": "UT", "440": "OH",
    "443": "MD", "458": "OR", "469": "TX", "470": "GA", "475": "CT", "478": "GA", "479": "AR",
    "480": "AZ", "484": "PA", "501": "AR", "502": "KY", "503": "OR", "504": "LA", "505": "NM",
    "507": "MN", "508": "MA", "509": "WA", "510": "CA", "512": "TX", "513": "OH", "515": "IA",
    "516": "NY", "517": "MI", "518": "NY", "520": "AZ", "530": "CA", "540": "VA", "541": "OR",
    "551": "NJ", "559": "CA", "561": "FL", "562": "CA", "563": "IA", "567": "OH", "570": "PA",
    "571": "VA", "573": "MO", "574": "IN", "575": "NM", "580": "OK", "585": "NY", "586": "MI",
    "601": "MS", "602": "AZ", "603": "NH", "605": "SD", "606": "KY", "607": "NY", "608": "WI",
    "609": "NJ", "610": "PA", "612": "MN", "614": "OH", "615": "TN", "616": "MI", "617": "MA",
    "618": "IL", "619": "CA", "620": "KS", "623": "AZ", "626": "CA", "630": "IL", "631": "NY",
    "636": "MO", "641": "IA", "646": "NY", "650": "CA", "651": "MN", "657": "CA", "660": "MO",
    "661": "CA", "662": "MS", "678": "GA", "682": "TX", "701": "ND", "702": "NV", "703": "VA",
    "704": "NC", "706": "GA", "707": "CA", "708": "IL", "712": "IA", "713": "TX", "714": "CA",
    "715": "WI", "716": "NY", "717": "PA", "718": "NY", "719": "CO", "720": "CO", "724": "PA",
    "725": "NV", "727": "FL", "731": "TN", "732": "NJ", "734": "MI", "737": "TX", "740": "OH",
    "747": "CA", "754": "FL", "757": "VA", "760": "CA", "762": "GA", "763": "MN", "765": "IN",
    "769": "MS", "770": "GA", "772": "FL", "773": "IL", "774": "MA", "775": "NV", "779": "IL",
    "781": "MA", "785": "KS", "786": "FL", "801": "UT", "802": "VT", "803": "SC", "804": "VA",
    "805": "CA", "806": "TX", "808": "HI", "810": "MI", "812": "IN", "813": "FL", "814": "PA",
    "815": "IL", "816": "MO", "817": "TX", "818": "CA", "828": "NC", "830": "TX", "831": "CA",
    "832": "TX", "843": "SC", "845": "NY", "847": "IL", "848": "NJ", "850": "FL", "856": "NJ",
    "857": "MA", "858": "CA", "859": "KY", "860": "CT", "862": "NJ", "863": "FL", "864": "SC",
    "865": "TN", "870": "AR", "901": "TN", "903": "TX", "904": "FL", "907": "AK", "908": "NJ",
    "909": "CA", "910": "NC", "912": "GA", "913": "KS", "914": "NY", "915": "TX", "916": "CA",
    "917": "NY", "918": "OK", "919": "NC", "920": "WI", "925": "CA", "928": "AZ", "931": "TN",
    "936": "TX", "937": "OH", "940": "TX", "941": "FL", "947": "MI", "949": "CA", "951": "CA",
    "952": "MN", "954": "FL", "956": "TX", "970": "CO", "971": "OR", "972": "TX", "973": "NJ",
    "978": "MA", "979": "TX", "980": "NC", "984": "NC", "985": "LA",
}

CA_AREA_CODES = {
    "204": "MB", "226": "ON", "236": "BC", "249": "ON", "250": "BC", "289": "ON", "306": "SK",
    "343": "ON", "365": "ON", "367": "QC", "403": "AB", "416": "ON", "418": "QC", "431": "MB",
    "437": "ON", "438": "QC", "450": "QC", "506": "NB", "514": "QC", "519": "ON", "548": "ON",
    "579": "QC", "581": "QC", "587": "AB", "604": "BC", "613": "ON", "639": "SK", "647": "ON",
    "672": "BC", "705": "ON", "709": "NL", "778": "BC", "780": "AB", "782": "NS", "807": "ON",
    "819": "QC", "825": "AB", "867": "YT", "873": "QC", "902": "NS", "905": "ON",
}

# UK geographic codes the simulator sells (national significant number prefix -> region)
GB_GEOGRAPHIC = {"20": "London", "121": "Birmingham", "131": "Edinburgh", "141": "Glasgow",
                 "113": "Leeds", "117": "Bristol", "151": "Liverpool", "161": "Manchester"}
GB_TOLL_FREE = ("800", "808")

# calling code -> ISO country, for destinations outside the numbering plans above
OTHER_COUNTRIES = {
    "61": "AU", "33": "FR", "49": "DE", "34": "ES", "39": "IT", "31": "NL", "353": "IE",
    "91": "IN", "65": "SG", "52": "MX", "55": "BR", "81": "JP", "41": "CH", "46": "SE",
    "86": "CN", "7": "RU", "234": "NG", "27": "ZA", "53": "CU", "850": "KP", "98": "IR",
}

COUNTRY_NAMES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom"}
SELLING = ("US", "CA", "GB")
NUMBER_TYPES = ("local", "toll_free", "mobile")

# Capabilities by country and number type (what Twilio's inventory typically offers).
CAPABILITIES = {
    ("US", "local"): {"voice": True, "sms": True, "mms": True, "fax": False},
    ("US", "mobile"): {"voice": True, "sms": True, "mms": True, "fax": False},
    ("US", "toll_free"): {"voice": True, "sms": True, "mms": True, "fax": False},
    ("CA", "local"): {"voice": True, "sms": True, "mms": True, "fax": False},
    ("CA", "mobile"): {"voice": True, "sms": True, "mms": True, "fax": False},
    ("CA", "toll_free"): {"voice": True, "sms": True, "mms": False, "fax": False},
    ("GB", "local"): {"voice": True, "sms": False, "mms": False, "fax": False},
    ("GB", "mobile"): {"voice": True, "sms": True, "mms": False, "fax": False},
    ("GB", "toll_free"): {"voice": True, "sms": False, "mms": False, "fax": False},
}

_KEYPAD = {c: d for d, letters in {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO",
                                    "7": "PQRS", "8": "TUV", "9": "WXYZ"}.items() for c in letters}


@dataclass(frozen=True)
class PhoneNumber:
    e164: str           # "+14155550100"
    country: str        # ISO code: "US", "CA", "GB", other known codes
    kind: str           # "local" | "mobile" | "toll_free" | "landline" | "unknown"
    national: str       # digits after the calling code
    region: str | None = None

    @property
    def nanp(self) -> bool:
        return self.country in ("US", "CA")

    @property
    def area_code(self) -> str | None:
        return self.national[:3] if self.nanp else None

    @property
    def sms_reachable(self) -> bool:
        """Whether a handset can receive SMS here (UK landlines and freephone cannot)."""
        return self.kind in ("local", "mobile", "toll_free", "unknown") and not (
            self.country == "GB" and self.kind != "mobile")


def normalize(raw: str | None) -> str:
    return re.sub(r"[\s\-().]", "", raw or "")


@functools.lru_cache(maxsize=4096)   # every message parses its To and From; a PhoneNumber is frozen
def parse(raw: str | None) -> PhoneNumber | None:
    """An E.164 number the simulator recognises, or None if it is not valid."""
    value = normalize(raw)
    if not re.fullmatch(r"\+[1-9]\d{6,14}", value):
        return None
    digits = value[1:]
    if digits.startswith("1"):
        national = digits[1:]
        if not re.fullmatch(r"[2-9]\d{2}[2-9]\d{6}", national):
            return None
        area = national[:3]
        if area in TOLL_FREE_PREFIXES:
            return PhoneNumber(value, "US", "toll_free", national)
        if area in US_AREA_CODES:
            return PhoneNumber(value, "US", "local", national, US_AREA_CODES[area])
        if area in CA_AREA_CODES:
            return PhoneNumber(value, "CA", "local", national, CA_AREA_CODES[area])
        return None
    if digits.startswith("44"):
        national = digits[2:]
        if re.fullmatch(r"7[1-57-9]\d{8}", national):
            return PhoneNumber(value, "GB", "mobile", national)
        if re.fullmatch(r"80[08]\d{7}", national):
            return PhoneNumber(value, "GB", "toll_free", national)
        if re.fullmatch(r"[123]\d{8,9}", national):
            region = next((r for p, r in GB_GEOGRAPHIC.items() if national.startswith(p)), None)
            return PhoneNumber(value, "GB", "landline", national, region)
        return None
    for code in sorted(OTHER_COUNTRIES, key=len, reverse=True):
        if digits.startswith(code) and 6 <= len(digits) - len(code) <= 12:
            return PhoneNumber(value, OTHER_COUNTRIES[code], "unknown", digits[len(code):])
    return None


def calling_code(country: str) -> str:
    return {"US": "1", "CA": "1", "GB": "44"}[country]


def capabilities(country: str, number_type: str) -> dict:
    return dict(CAPABILITIES[(country, number_type)])


def friendly_name(e164: str) -> str:
    """Twilio's default FriendlyName: ``(415) 555-0100`` in the NANP, else E.164."""
    if e164.startswith("+1") and len(e164) == 12:
        n = e164[2:]
        return f"({n[:3]}) {n[3:6]}-{n[6:]}"
    return e164


def number_type_of(number: PhoneNumber) -> str:
    """The inventory type a parsed number would be sold as."""
    if number.kind == "toll_free":
        return "toll_free"
    if number.kind == "mobile":
        return "mobile"
    return "local"


def matches_type(number: PhoneNumber, number_type: str) -> bool:
    """Whether a number can be sold as ``number_type``. NANP digits do not tell mobile from
    local, so a non-toll-free NANP number is either."""
    if number.nanp:
        return (number.kind == "toll_free") == (number_type == "toll_free")
    return number_type_of(number) == number_type


def check_purchasable(raw: str, number_type: str | None = None) -> PhoneNumber:
    """A number someone asks to buy must be a valid number of a country we sell
    (21421), of the list's type when bought from a typed list."""
    number = parse(raw)
    if number is None or number.country not in SELLING:
        raise TwilioError(21421, f"The phone number {raw} is invalid.")
    if number_type is not None and not matches_type(number, number_type):
        raise TwilioError(21421, f"The phone number {raw} is not a {number_type.replace('_', '-')} "
                                 "number.")
    return number


def area_codes(country: str, region: str | None = None) -> list[str]:
    table = US_AREA_CODES if country == "US" else CA_AREA_CODES
    return [a for a, r in table.items() if region is None or r == region.upper()]


def check_area_code(country: str, area_code: str):
    """21451 for an area code that is not a real one of that country."""
    table = US_AREA_CODES if country == "US" else CA_AREA_CODES if country == "CA" else {}
    if area_code not in table:
        raise TwilioError(21451, f"AreaCode {area_code} is not a valid area code for {country}.")


def contains_pattern(raw: str) -> re.Pattern:
    """Twilio's ``Contains``: digits, letters (keypad) and ``*`` for any digit."""
    value = raw.strip().lstrip("+").upper()
    if len(value) < 2 or not re.fullmatch(r"[0-9A-Z*]+", value):
        raise TwilioError.invalid("Contains", "must be at least two digits, letters or '*'")
    return re.compile("".join(r"\d" if c == "*" else _KEYPAD.get(c, c) for c in value))


def matches_contains(e164: str, pattern: re.Pattern) -> bool:
    return pattern.search(e164.lstrip("+")) is not None


def candidate(country: str, number_type: str, rnd, *, area_code: str | None = None,
              region: str | None = None) -> str | None:
    """One random number of the given country and type (``rnd`` is a random.Random)."""
    def digits(n):
        return "".join(str(rnd.randint(0, 9)) for _ in range(n))

    if country in ("US", "CA"):
        if number_type == "toll_free":
            area = area_code if area_code in TOLL_FREE_PREFIXES else rnd.choice(TOLL_FREE_PREFIXES)
            if area_code and area_code not in TOLL_FREE_PREFIXES:
                return None
        else:
            choices = [area_code] if area_code else area_codes(country, region)
            choices = [a for a in choices if a in (US_AREA_CODES if country == "US" else CA_AREA_CODES)]
            if not choices:
                return None
            area = rnd.choice(choices)
        return f"+1{area}{rnd.randint(2, 9)}{digits(6)}"
    if country == "GB":
        if number_type == "mobile":
            return f"+447{rnd.choice('1234578')}{digits(8)}"
        if number_type == "toll_free":
            return f"+44{rnd.choice(GB_TOLL_FREE)}{digits(7)}"
        prefix = rnd.choice(list(GB_GEOGRAPHIC))
        return f"+44{prefix}{digits(10 - len(prefix))}"
    return None


def with_pattern(e164: str, pattern: str) -> str:
    """Overlay a Contains pattern (letters already as digits, '*' kept) on the end of
    a candidate's national number, so that searches with long patterns find numbers."""
    cc = "1" if e164.startswith("+1") else "44"
    national = e164[1 + len(cc):]
    if len(pattern) > len(national):
        return e164
    tail = "".join(n if p == "*" else p for p, n in zip(pattern, national[-len(pattern):]))
    return f"+{cc}{national[:len(national) - len(pattern)]}{tail}"


def keypad(value: str) -> str:
    return "".join(_KEYPAD.get(c, c) for c in value.upper().lstrip("+"))


# -- applications ---------------------------------------------------------------------------
APPLICATION_SID = re.compile(r"^AP[0-9a-fA-F]{32}$")


def check_application_sid(value: str | None, param: str, exists) -> str | None:
    """``VoiceApplicationSid`` / ``SmsApplicationSid`` of a number: an empty value clears it
    (None); otherwise an Application SID (AP + 32 hex) that ``exists(sid)`` in the number's
    account, else Twilio's 21420 (ApplicationSid is not accessible)."""
    if value is None or value == "":
        return None
    if not APPLICATION_SID.match(value):
        raise TwilioError(21420, f"{param} {value} is not an Application SID "
                                 "(AP followed by 32 hexadecimal digits)")
    if not exists(value):
        raise TwilioError(21420, f"{param} {value} is not an Application of this account")
    return value
