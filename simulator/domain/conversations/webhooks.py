"""Conversation-scoped webhooks (WH...): at most five per conversation, each a ``webhook``
(POST/GET a URL for the events in its ``filters``), a ``trigger`` (a URL, when a message holds
one of its keywords) or a ``studio`` flow (run for each message added).

Only post-event webhooks exist at this scope. They fire for every change, whether it came
from a participant's SMS, an SDK or the REST API (the simulator's decision: Twilio's
``X-Twilio-Webhook-Enabled`` concerns service-level webhooks).
"""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import conversations as rules
from ...rules.messaging import check_url
from ..webhooks import deliver
from .hooks import listeners


def new_webhook(s, conversation: dict, *, target: str, url: str | None = None,
                method: str | None = None, filters=None, triggers=None,
                flow_sid: str | None = None, replay_after: int | None = None) -> dict:
    if len(s.store.owned("conv_webhooks", conversation["sid"])) >= rules.WEBHOOKS_PER_CONVERSATION:
        raise TwilioError(50361, f"A conversation has at most "
                                 f"{rules.WEBHOOKS_PER_CONVERSATION} webhooks")
    configuration = _configuration(s, conversation, target, url=url, method=method,
                                   filters=filters, triggers=triggers, flow_sid=flow_sid,
                                   replay_after=replay_after)
    now = s.now()
    return s.store.insert("conv_webhooks", {
        "sid": s.ids.sid("WH"), "account_sid": conversation["account_sid"],
        "chat_service_sid": conversation["chat_service_sid"],
        "conversation_sid": conversation["sid"], "target": target,
        "configuration": configuration, "date_created": now, "date_updated": now})


def _configuration(s, conversation: dict, target: str, *, url, method, filters, triggers,
                   flow_sid, replay_after) -> dict:
    method = (method or "post").lower()
    if target == "studio":
        flow = s.store.get("studio_flows", flow_sid or "")
        if flow is None or flow["account_sid"] != conversation["account_sid"]:
            raise TwilioError(50367, f"Configuration.FlowSid {flow_sid!r} is not a Studio Flow "
                                     "of this account")
        out = {"flow_sid": flow_sid}
        if replay_after is not None:
            out["replay_after"] = replay_after
        return out
    if not url:
        raise TwilioError(50369)
    check_url(url, "Configuration.Url")
    if target == "trigger":
        if not triggers:
            raise TwilioError(50371)
        return {"url": url, "method": method, "triggers": list(triggers)}
    bad = [f for f in filters or () if f not in rules.EVENTS]
    if bad:
        raise TwilioError.invalid("Configuration.Filters", f"unknown event(s) {', '.join(bad)}")
    return {"url": url, "method": method, "filters": list(filters or ())}


def webhook_of(s, conversation: dict, sid: str) -> dict:
    webhook = s.store.get("conv_webhooks", sid)
    if webhook is None or webhook["conversation_sid"] != conversation["sid"]:
        raise TwilioError.not_found()
    return webhook


def list_webhooks(s, conversation: dict):
    return s.store.pager("conv_webhooks", conversation["sid"])


def update_webhook(s, conversation: dict, webhook: dict, *, url=None, method=None, filters=None,
                   triggers=None, flow_sid=None) -> dict:
    current = webhook["configuration"]
    merged = _configuration(
        s, conversation, webhook["target"], url=url or current.get("url"),
        method=method or current.get("method"),
        filters=filters if filters is not None else current.get("filters"),
        triggers=triggers if triggers is not None else current.get("triggers"),
        flow_sid=flow_sid or current.get("flow_sid"), replay_after=current.get("replay_after"))
    return s.modify("conv_webhooks", webhook,
                    {"configuration": merged} if merged != current else {})


def delete_webhook(s, webhook: dict):
    s.store.delete("conv_webhooks", webhook["sid"])


def remove_studio_webhooks(s, conversation_sid: str, flow_sid: str | None = None):
    """Studio hands a conversation over (Send to Flex): its studio webhook goes."""
    for webhook in s.store.owned("conv_webhooks", conversation_sid,
                                 where=lambda w: w["target"] == "studio"):
        if flow_sid is None or webhook["configuration"].get("flow_sid") == flow_sid:
            s.store.delete("conv_webhooks", webhook["sid"])


def fire(s, conversation: dict, event_type: str, params: dict, *, message: dict | None = None):
    """Send ``event_type`` to the conversation's webhooks that want it; run its Studio flows
    for a message added."""
    base = {"AccountSid": conversation["account_sid"], "EventType": event_type,
            "ConversationSid": conversation["sid"],
            "ChatServiceSid": conversation["chat_service_sid"],
            "MessagingServiceSid": conversation.get("messaging_service_sid") or "",
            "RetryCount": "0", **params}
    for webhook in s.store.owned("conv_webhooks", conversation["sid"]):
        config = webhook["configuration"]
        wanted = False
        if webhook["target"] == "webhook":
            wanted = event_type in config.get("filters", ())
        elif webhook["target"] == "trigger":
            wanted = message is not None and event_type == "onMessageAdded" \
                and rules.trigger_matches(message.get("body"), config.get("triggers"))
        elif webhook["target"] == "studio" and message is not None \
                and event_type == "onMessageAdded":
            replay_after = config.get("replay_after")
            if replay_after is None or message["index"] > replay_after:
                for run in listeners("studio"):
                    run(s, conversation, webhook, message)
            continue
        if wanted:
            deliver(s, conversation["account_sid"], config["url"],
                    {**base, "WebhookSid": webhook["sid"], "WebhookType": webhook["target"]},
                    method=config.get("method", "post").upper(), kind="conversation-webhook",
                    resource_sid=conversation["sid"])
