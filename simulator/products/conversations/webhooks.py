"""Conversation-scoped webhooks: /v1/Conversations/{ConversationSid}/Webhooks[/{Sid}]."""
from __future__ import annotations

from ...current import sim
from ...domain.conversations import webhooks
from ...rules import conversations as rules
from ...wire import choice, integer, list_v1, text
from . import bp, conversation_param, url, values

METHODS = ("get", "post", "GET", "POST")


def to_wire(w: dict) -> dict:
    return {
        "sid": w["sid"], "account_sid": w["account_sid"],
        "conversation_sid": w["conversation_sid"], "target": w["target"],
        "url": url(f"/Conversations/{w['conversation_sid']}/Webhooks/{w['sid']}"),
        "configuration": w["configuration"], "date_created": w["date_created"],
        "date_updated": w["date_updated"],
    }


@bp.post("/Conversations/<conversation_sid>/Webhooks")
def create_webhook(conversation_sid):
    conversation = conversation_param(conversation_sid)
    target = choice("Target", rules.WEBHOOK_TARGETS)
    if target is None:
        text("Target", required=True)
    webhook = webhooks.new_webhook(
        sim(), conversation, target=target, url=text("Configuration.Url"),
        method=choice("Configuration.Method", METHODS),
        filters=values("Configuration.Filters"), triggers=values("Configuration.Triggers"),
        flow_sid=text("Configuration.FlowSid"),
        replay_after=integer("Configuration.ReplayAfter", minimum=0))
    return to_wire(webhook), 201


@bp.get("/Conversations/<conversation_sid>/Webhooks")
def list_webhooks(conversation_sid):
    conversation = conversation_param(conversation_sid)
    return list_v1("conversations", f"/v1/Conversations/{conversation['sid']}/Webhooks",
                   "webhooks", webhooks.list_webhooks(sim(), conversation), to_wire)


@bp.get("/Conversations/<conversation_sid>/Webhooks/<sid>")
def fetch_webhook(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    return to_wire(webhooks.webhook_of(sim(), conversation, sid))


@bp.post("/Conversations/<conversation_sid>/Webhooks/<sid>")
def update_webhook(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    webhook = webhooks.webhook_of(sim(), conversation, sid)
    updated = webhooks.update_webhook(
        sim(), conversation, webhook, url=text("Configuration.Url"),
        method=choice("Configuration.Method", METHODS),
        filters=values("Configuration.Filters"), triggers=values("Configuration.Triggers"),
        flow_sid=text("Configuration.FlowSid"))
    return to_wire(updated)


@bp.delete("/Conversations/<conversation_sid>/Webhooks/<sid>")
def delete_webhook(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    webhooks.delete_webhook(sim(), webhooks.webhook_of(sim(), conversation, sid))
    return "", 204
