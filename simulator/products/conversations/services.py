"""Conversation Services: /v1/Services[/{Sid}] (create, fetch, list, delete)."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.conversations import core, services
from ...wire import list_v1, text
from . import bp, url


def to_wire(sv: dict) -> dict:
    base = f"/Services/{sv['sid']}"
    return {
        "account_sid": sv["account_sid"], "sid": sv["sid"], "friendly_name": sv["friendly_name"],
        "date_created": sv["date_created"], "date_updated": sv["date_updated"],
        "url": url(base),
        "links": {name: url(f"{base}/{path}") for name, path in (
            ("conversations", "Conversations"), ("users", "Users"), ("roles", "Roles"),
            ("bindings", "Bindings"), ("configuration", "Configuration"),
            ("participant_conversations", "ParticipantConversations"),
            ("conversation_with_participants", "ConversationWithParticipants"))},
    }


@bp.post("/Services")
def create_service():
    service = services.new_service(sim(), principal().account_sid,
                                   text("FriendlyName", required=True, max_length=256))
    return to_wire(service), 201


@bp.get("/Services")
def list_services():
    return list_v1("conversations", "/v1/Services", "services",
                   services.list_services(sim(), principal().account_sid), to_wire)


@bp.get("/Services/<sid>")
def fetch_service(sid):
    return to_wire(services.service_of(sim(), principal().account_sid, sid))


@bp.delete("/Services/<sid>")
def delete_service(sid):
    core.delete_service(sim(), services.service_of(sim(), principal().account_sid, sid))
    return "", 204
