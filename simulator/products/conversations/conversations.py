"""Conversations: /v1/Conversations[/{Sid}] (create, fetch by SID or unique name, list with
``State``/``StartDate``/``EndDate``, update, delete)."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...dates import parse_param
from ...domain.conversations import core
from ...domain.conversations.services import default_service
from ...rules import conversations as rules
from ...wire import choice, list_v1, text
from . import bp, conversation_param, date, url


def to_wire(c: dict) -> dict:
    base = f"/Conversations/{c['sid']}"
    return {
        "account_sid": c["account_sid"], "chat_service_sid": c["chat_service_sid"],
        "messaging_service_sid": c["messaging_service_sid"], "sid": c["sid"],
        "friendly_name": c["friendly_name"], "unique_name": c["unique_name"],
        "attributes": c["attributes"], "state": c["state"],
        "date_created": c["date_created"], "date_updated": c["date_updated"],
        "timers": core.timer_dates(c), "url": url(base),
        "links": {"participants": url(base + "/Participants"),
                  "messages": url(base + "/Messages"), "webhooks": url(base + "/Webhooks"),
                  "export": url(base + "/Export")},
        "bindings": None,
    }


def _timers() -> dict:
    return rules.timers(text("Timers.Inactive"), text("Timers.Closed"))


@bp.post("/Conversations")
def create_conversation():
    conversation = core.create_conversation(
        sim(), principal().account_sid, friendly_name=text("FriendlyName", max_length=256),
        unique_name=text("UniqueName"), attributes=text("Attributes"),
        messaging_service_sid=text("MessagingServiceSid"),
        state=choice("State", rules.STATES), timers=_timers(), date_created=date("DateCreated"))
    return to_wire(conversation), 201


def _day(name: str):
    value = text(name)
    if value is None:
        return None
    return parse_param(value, name, "an ISO 8601 date (YYYY-MM-DD)")


@bp.get("/Conversations")
def list_conversations():
    start, end = _day("StartDate"), _day("EndDate")
    if end is not None and len(text("EndDate").strip()) == 10:   # a date: the whole day
        end = end.replace(hour=23, minute=59, second=59)
    fetch = core.list_conversations(sim(), default_service(sim(), principal().account_sid)["sid"],
                                    start=start, end=end,
                                    state=choice("State", rules.STATES))
    return list_v1("conversations", "/v1/Conversations", "conversations", fetch, to_wire)


@bp.get("/Conversations/<sid>")
def fetch_conversation(sid):
    return to_wire(conversation_param(sid))


@bp.post("/Conversations/<sid>")
def update_conversation(sid):
    conversation = conversation_param(sid)
    updated = core.update_conversation(
        sim(), conversation, friendly_name=text("FriendlyName", max_length=256),
        unique_name=text("UniqueName"), attributes=text("Attributes"),
        messaging_service_sid=text("MessagingServiceSid"), state=choice("State", rules.STATES),
        timers=_timers(), date_created=date("DateCreated"), date_updated=date("DateUpdated"))
    return to_wire(updated)


@bp.delete("/Conversations/<sid>")
def delete_conversation(sid):
    core.delete_conversation(sim(), conversation_param(sid))
    return "", 204
