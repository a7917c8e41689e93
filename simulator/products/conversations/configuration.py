"""The account's Conversations Configuration (/v1/Configuration) and its Address
Configurations (/v1/Configuration/Addresses[/{Sid}])."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.conversations import addresses, services
from ...rules import conversations as rules
from ...wire import boolean, choice, integer, list_v1, text
from . import bp, url, values


def to_wire(c: dict) -> dict:
    return {
        "account_sid": c["account_sid"],
        "default_chat_service_sid": c["default_chat_service_sid"],
        "default_messaging_service_sid": c["default_messaging_service_sid"],
        "default_inactive_timer": c["default_inactive_timer"],
        "default_closed_timer": c["default_closed_timer"],
        "url": url("/Configuration"),
        "links": {"service": url(f"/Services/{c['default_chat_service_sid']}/Configuration"),
                  "webhooks": url("/Configuration/Webhooks")},
    }


def address_to_wire(a: dict) -> dict:
    auto = a["auto_creation"]
    return {
        "sid": a["sid"], "account_sid": a["account_sid"], "type": a["type"],
        "address": a["address"], "friendly_name": a["friendly_name"],
        "auto_creation": dict(auto),
        "date_created": a["date_created"], "date_updated": a["date_updated"],
        "url": url(f"/Configuration/Addresses/{a['sid']}"),
        "address_country": a["address_country"],
    }


@bp.get("/Configuration")
def fetch_configuration():
    return to_wire(services.configuration(sim(), principal().account_sid))


@bp.post("/Configuration")
def update_configuration():
    changes = {k: v for k, v in {
        "default_chat_service_sid": text("DefaultChatServiceSid"),
        "default_messaging_service_sid": text("DefaultMessagingServiceSid"),
        "default_inactive_timer": text("DefaultInactiveTimer"),
        "default_closed_timer": text("DefaultClosedTimer")}.items() if v is not None}
    rules.timers(changes.get("default_inactive_timer"), changes.get("default_closed_timer"))
    return to_wire(services.update_configuration(sim(), principal().account_sid, changes))


def _auto_creation() -> dict:
    return {"enabled": boolean("AutoCreation.Enabled"),
            "type": choice("AutoCreation.Type", rules.AUTO_CREATION_TYPES),
            "conversation_service_sid": text("AutoCreation.ConversationServiceSid"),
            "webhook_url": text("AutoCreation.WebhookUrl"),
            "webhook_method": choice("AutoCreation.WebhookMethod",
                                     ("get", "post", "GET", "POST")),
            "webhook_filters": values("AutoCreation.WebhookFilters"),
            "studio_flow_sid": text("AutoCreation.StudioFlowSid"),
            "studio_retry_count": integer("AutoCreation.StudioRetryCount")}


@bp.post("/Configuration/Addresses")
def create_address():
    kind = choice("Type", rules.ADDRESS_TYPES)
    if kind is None:
        text("Type", required=True)
    record = addresses.new_address(
        sim(), principal().account_sid, type_=kind, address=text("Address", required=True),
        friendly_name=text("FriendlyName", max_length=256), auto_creation=_auto_creation(),
        address_country=text("AddressCountry"))
    return address_to_wire(record), 201


@bp.get("/Configuration/Addresses")
def list_addresses():
    fetch = addresses.list_addresses(sim(), principal().account_sid,
                                     choice("Type", rules.ADDRESS_TYPES))
    return list_v1("conversations", "/v1/Configuration/Addresses", "address_configurations",
                   fetch, address_to_wire)


@bp.get("/Configuration/Addresses/<sid>")
def fetch_address(sid):
    return address_to_wire(addresses.address_of(sim(), principal().account_sid, sid))


@bp.post("/Configuration/Addresses/<sid>")
def update_address(sid):
    record = addresses.address_of(sim(), principal().account_sid, sid)
    auto = {k: v for k, v in _auto_creation().items() if v is not None}
    return address_to_wire(addresses.update_address(
        sim(), record, friendly_name=text("FriendlyName", max_length=256), auto_creation=auto))


@bp.delete("/Configuration/Addresses/<sid>")
def delete_address(sid):
    addresses.delete_address(sim(), addresses.address_of(sim(), principal().account_sid, sid))
    return "", 204
