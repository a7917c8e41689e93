"""messaging v1 Services and their PhoneNumbers sender pool.

/v1/Services (create, list), /v1/Services/{Sid} (fetch, update, delete) and
/v1/Services/{ServiceSid}/PhoneNumbers(/{Sid}) (add a number of the account, list,
fetch, remove). A number belongs to at most one service (21712).
"""
from __future__ import annotations

from ...auth import principal
from ...hosts import public_url
from ...rules.messaging import check_url
from ...current import sim
from ...domain import messaging_services as services
from ...paging import in_order
from ...wire import boolean, choice, integer, list_v1, params, text
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
    return to_wire(services.create_service(sim(), me, name, changes)), 201


@bp.get("/Services")
def list_services():
    fetch = services.list_services(sim(), principal().account_sid)
    return list_v1("messaging", "/v1/Services", "services", fetch, to_wire)


@bp.get("/Services/<sid>")
def fetch_service(sid):
    return to_wire(services.service_of(sim(), principal().account_sid, sid))


@bp.post("/Services/<sid>")
def update_service(sid):
    s = sim()
    svc = services.service_of(s, principal().account_sid, sid)
    changes = _changes()
    return to_wire(services.update_service(s, svc, changes))


@bp.delete("/Services/<sid>")
def delete_service(sid):
    s = sim()
    services.delete_service(s, services.service_of(s, principal().account_sid, sid))
    return "", 204


@bp.post("/Services/<service_sid>/PhoneNumbers")
def create_phone_number(service_sid):
    s = sim()
    svc = services.service_of(s, principal().account_sid, service_sid)
    pn_sid = text("PhoneNumberSid", required=True)
    return number_to_wire(services.add_number_sid(s, svc, pn_sid)), 201


@bp.get("/Services/<service_sid>/PhoneNumbers")
def list_phone_numbers(service_sid):
    s = sim()
    svc = services.service_of(s, principal().account_sid, service_sid)
    return list_v1("messaging", f"/v1/Services/{svc['sid']}/PhoneNumbers", "phone_numbers",
                   in_order(services.pool(s, svc["sid"], svc["account_sid"])), number_to_wire)


def _pool_number(service_sid: str, sid: str) -> dict:
    s = sim()
    return services.pool_number(s, services.service_of(s, principal().account_sid, service_sid),
                                sid)


@bp.get("/Services/<service_sid>/PhoneNumbers/<sid>")
def fetch_phone_number(service_sid, sid):
    return number_to_wire(_pool_number(service_sid, sid))


@bp.delete("/Services/<service_sid>/PhoneNumbers/<sid>")
def delete_phone_number(service_sid, sid):
    services.remove_number(sim(), _pool_number(service_sid, sid))
    return "", 204
