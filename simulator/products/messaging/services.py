"""messaging v1 Services and their PhoneNumbers sender pool.

/v1/Services (create, list), /v1/Services/{Sid} (fetch, update, delete) and
/v1/Services/{ServiceSid}/PhoneNumbers(/{Sid}) (add a number of the account, list,
fetch, remove). A number belongs to at most one service (21712).
"""
from __future__ import annotations

from ...auth import principal
from ...errors import TwilioError
from ...hosts import public_url
from ...rules.messaging import check_url
from ...runtime import sim
from ...wire import boolean, choice, integer, list_v1, paged, params, text
from . import bp

LINKS = {"phone_numbers": "PhoneNumbers", "short_codes": "ShortCodes",
         "alpha_senders": "AlphaSenders", "messages": "Messages",
         "us_app_to_person": "Compliance/Usa2p",
         "us_app_to_person_usecases": "Compliance/Usa2p/Usecases",
         "channel_senders": "ChannelSenders", "destination_alpha_senders": "DestinationAlphaSenders"}
BOOLEANS = {"StickySender": "sticky_sender", "MmsConverter": "mms_converter",
            "SmartEncoding": "smart_encoding", "FallbackToLongCode": "fallback_to_long_code",
            "AreaCodeGeomatch": "area_code_geomatch",
            "SynchronousValidation": "synchronous_validation",
            "UseInboundWebhookOnNumber": "use_inbound_webhook_on_number"}
URLS = {"InboundRequestUrl": "inbound_request_url", "FallbackUrl": "fallback_url",
        "StatusCallback": "status_callback"}
METHODS = {"InboundMethod": "inbound_method", "FallbackMethod": "fallback_method"}


def new_service(account_sid: str, friendly_name: str, *, inbound_request_url: str | None = None,
                sid: str | None = None, status_callback: str | None = None) -> dict:
    """Create a Messaging Service (MG...) of ``account_sid``."""
    s = sim()
    now = s.now()
    service = {
        "sid": sid or s.ids.sid("MG"),
        "account_sid": account_sid,
        "friendly_name": friendly_name,
        "inbound_request_url": inbound_request_url,
        "inbound_method": "POST",
        "fallback_url": None,
        "fallback_method": "POST",
        "status_callback": status_callback,
        "sticky_sender": True,
        "mms_converter": True,
        "smart_encoding": True,
        "scan_message_content": "inherit",
        "fallback_to_long_code": True,
        "area_code_geomatch": True,
        "synchronous_validation": False,
        "validity_period": 14400,
        "usecase": "undeclared",
        "use_inbound_webhook_on_number": False,
        "date_created": now,
        "date_updated": now,
    }
    return s.store.insert("messaging_services", service)


def add_number(service: dict, number: dict) -> dict:
    """Put an owned number in a service's sender pool (21710, 21712)."""
    if number.get("messaging_service_sid") == service["sid"]:
        raise TwilioError(21710, f"Phone Number {number['phone_number']} already exists in "
                                 f"Messaging Service {service['sid']}")
    if number.get("messaging_service_sid"):
        raise TwilioError(21712)
    return sim().store.update("incoming_phone_numbers", number["sid"],
                              {"messaging_service_sid": service["sid"],
                               "service_added_at": sim().now()})


def pool(service_sid: str, account_sid: str) -> list[dict]:
    """The numbers of a service's sender pool, in the order they were added."""
    numbers = sim().store.owned("incoming_phone_numbers", account_sid,
                                where=lambda n: n.get("messaging_service_sid") == service_sid)
    return sorted(numbers, key=lambda n: n.get("service_added_at") or "")


def to_wire(svc: dict) -> dict:
    url = public_url("messaging", f"/v1/Services/{svc['sid']}")
    return {
        "sid": svc["sid"],
        "account_sid": svc["account_sid"],
        "friendly_name": svc["friendly_name"],
        "date_created": svc["date_created"],
        "date_updated": svc["date_updated"],
        "inbound_request_url": svc["inbound_request_url"],
        "inbound_method": svc["inbound_method"],
        "fallback_url": svc["fallback_url"],
        "fallback_method": svc["fallback_method"],
        "status_callback": svc["status_callback"],
        "sticky_sender": svc["sticky_sender"],
        "mms_converter": svc["mms_converter"],
        "smart_encoding": svc["smart_encoding"],
        "scan_message_content": svc["scan_message_content"],
        "fallback_to_long_code": svc["fallback_to_long_code"],
        "area_code_geomatch": svc["area_code_geomatch"],
        "synchronous_validation": svc["synchronous_validation"],
        "validity_period": svc["validity_period"],
        "url": url,
        "links": {k: f"{url}/{v}" for k, v in LINKS.items()},
        "usecase": svc["usecase"],
        "us_app_to_person_registered": False,
        "use_inbound_webhook_on_number": svc["use_inbound_webhook_on_number"],
    }


def number_to_wire(n: dict) -> dict:
    caps = [k.upper() for k in ("sms", "mms", "voice", "fax") if n["capabilities"].get(k)]
    return {
        "sid": n["sid"],
        "account_sid": n["account_sid"],
        "service_sid": n["messaging_service_sid"],
        "date_created": n.get("service_added_at") or n["date_created"],
        "date_updated": n.get("service_added_at") or n["date_updated"],
        "phone_number": n["phone_number"],
        "country_code": n["iso_country"],
        "capabilities": caps,
        "url": public_url("messaging", f"/v1/Services/{n['messaging_service_sid']}"
                                       f"/PhoneNumbers/{n['sid']}"),
    }


def service_of(account_sid: str, sid: str) -> dict:
    svc = sim().store.get("messaging_services", sid)
    if svc is None or svc["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return svc


def _changes() -> dict:
    changes = {}
    name = text("FriendlyName", max_length=64)
    if name is not None:
        changes["friendly_name"] = name
    for param, field in URLS.items():
        value = params().get(param)
        if value is not None:
            if value:
                check_url(value, param)
            changes[field] = value or None
    for param, field in METHODS.items():
        value = choice(param, ("GET", "POST", "get", "post"))
        if value is not None:
            changes[field] = value.upper()
    for param, field in BOOLEANS.items():
        value = boolean(param)
        if value is not None:
            changes[field] = value
    scan = choice("ScanMessageContent", ("inherit", "enable", "disable"))
    if scan is not None:
        changes["scan_message_content"] = scan
    validity = integer("ValidityPeriod", minimum=1, maximum=36000)
    if validity is not None:
        changes["validity_period"] = validity
    usecase = text("Usecase", max_length=64)
    if usecase is not None:
        changes["usecase"] = usecase
    return changes


@bp.post("/Services")
def create_service():
    me = principal().account_sid
    name = text("FriendlyName", required=True, max_length=64)
    changes = _changes()
    svc = new_service(me, name)
    if changes:
        svc = sim().store.update("messaging_services", svc["sid"], changes)
    return to_wire(svc), 201


@bp.get("/Services")
def list_services():
    me = principal().account_sid

    fetch = sim().store.pager("messaging_services", me)

    return list_v1("messaging", "/v1/Services", "services", fetch, to_wire)


@bp.get("/Services/<sid>")
def fetch_service(sid):
    return to_wire(service_of(principal().account_sid, sid))


@bp.post("/Services/<sid>")
def update_service(sid):
    svc = service_of(principal().account_sid, sid)
    changes = _changes()
    return to_wire(sim().modify("messaging_services", svc, changes))


@bp.delete("/Services/<sid>")
def delete_service(sid):
    svc = service_of(principal().account_sid, sid)
    for n in pool(svc["sid"], svc["account_sid"]):
        sim().store.update("incoming_phone_numbers", n["sid"], {"messaging_service_sid": None})
    sim().store.delete("messaging_services", sid)
    return "", 204


@bp.post("/Services/<service_sid>/PhoneNumbers")
def create_phone_number(service_sid):
    svc = service_of(principal().account_sid, service_sid)
    pn_sid = text("PhoneNumberSid", required=True)
    number = sim().store.get("incoming_phone_numbers", pn_sid)
    if number is None or number["account_sid"] != svc["account_sid"]:
        raise TwilioError(21421, f"Phone number {pn_sid} is not a number of this account")
    return number_to_wire(add_number(svc, number)), 201


@bp.get("/Services/<service_sid>/PhoneNumbers")
def list_phone_numbers(service_sid):
    svc = service_of(principal().account_sid, service_sid)
    return list_v1("messaging", f"/v1/Services/{svc['sid']}/PhoneNumbers", "phone_numbers",
                   paged(pool(svc["sid"], svc["account_sid"])), number_to_wire)


def _pool_number(service_sid: str, sid: str) -> dict:
    svc = service_of(principal().account_sid, service_sid)
    number = sim().store.get("incoming_phone_numbers", sid)
    if number is None or number.get("messaging_service_sid") != svc["sid"]:
        raise TwilioError.not_found()
    return number


@bp.get("/Services/<service_sid>/PhoneNumbers/<sid>")
def fetch_phone_number(service_sid, sid):
    return number_to_wire(_pool_number(service_sid, sid))


@bp.delete("/Services/<service_sid>/PhoneNumbers/<sid>")
def delete_phone_number(service_sid, sid):
    number = _pool_number(service_sid, sid)
    sim().store.update("incoming_phone_numbers", number["sid"], {"messaging_service_sid": None})
    return "", 204
