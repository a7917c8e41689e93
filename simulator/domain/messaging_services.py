"""Messaging Services (MG...): sender pools of an account's numbers.

A number belongs to at most one service (21712); the pool keeps the order numbers
were added in.
"""
from __future__ import annotations

from ..errors import TwilioError


def new_service(s, account_sid: str, friendly_name: str, *,
                inbound_request_url: str | None = None, sid: str | None = None,
                status_callback: str | None = None) -> dict:
    """Create a Messaging Service (MG...) of ``account_sid``."""
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


def create_service(s, account_sid: str, friendly_name: str, changes: dict) -> dict:
    """A new service with the settings of its create request applied."""
    service = new_service(s, account_sid, friendly_name)
    if changes:
        service = s.store.update("messaging_services", service["sid"], changes)
    return service


def service_of(s, account_sid: str, sid: str) -> dict:
    service = s.store.get("messaging_services", sid)
    if service is None or service["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return service


def find_service(s, sid: str) -> dict | None:
    return s.store.get("messaging_services", sid)


def list_services(s, account_sid: str):
    """The pager of an account's services, oldest first."""
    return s.store.pager("messaging_services", account_sid)


def update_service(s, service: dict, changes: dict) -> dict:
    return s.modify("messaging_services", service, changes)


def delete_service(s, service: dict):
    """Delete a service; its numbers leave the pool and stay the account's."""
    for n in pool(s, service["sid"], service["account_sid"]):
        s.store.update("incoming_phone_numbers", n["sid"], {"messaging_service_sid": None})
    s.store.delete("messaging_services", service["sid"])


def add_number(s, service: dict, number: dict) -> dict:
    """Put an owned number in a service's sender pool (21710, 21712)."""
    if number.get("messaging_service_sid") == service["sid"]:
        raise TwilioError(21710, f"Phone Number {number['phone_number']} already exists in "
                                 f"Messaging Service {service['sid']}")
    if number.get("messaging_service_sid"):
        raise TwilioError(21712)
    return s.store.update("incoming_phone_numbers", number["sid"],
                          {"messaging_service_sid": service["sid"],
                           "service_added_at": s.now()})


def add_number_sid(s, service: dict, number_sid: str) -> dict:
    """Add the account's IncomingPhoneNumber ``number_sid`` to the pool (21421 if not the
    service account's)."""
    number = s.store.get("incoming_phone_numbers", number_sid)
    if number is None or number["account_sid"] != service["account_sid"]:
        raise TwilioError(21421, f"Phone number {number_sid} is not a number of this account")
    return add_number(s, service, number)


def pool(s, service_sid: str, account_sid: str) -> list[dict]:
    """The numbers of a service's sender pool, in the order they were added."""
    numbers = s.store.owned("incoming_phone_numbers", account_sid,
                            where=lambda n: n.get("messaging_service_sid") == service_sid)
    return sorted(numbers, key=lambda n: n.get("service_added_at") or "")


def pool_number(s, service: dict, sid: str) -> dict:
    """A number of the service's pool (20404 otherwise)."""
    number = s.store.get("incoming_phone_numbers", sid)
    if number is None or number.get("messaging_service_sid") != service["sid"]:
        raise TwilioError.not_found()
    return number


def remove_number(s, number: dict):
    s.store.update("incoming_phone_numbers", number["sid"], {"messaging_service_sid": None})
