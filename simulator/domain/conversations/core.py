"""Conversations (CH...): create, fetch (by SID or unique name), list, update, delete; their
state (``active`` -> ``inactive`` -> ``closed``; closed is final and read-only) and timers.

A conversation lives in a Conversation Service (the account's default one unless a path names
another). ``Timers.Inactive`` / ``Timers.Closed`` (ISO 8601 durations) move it on the simulator
clock, counted from the last message; a new message makes an inactive conversation active
again. Closing a conversation frees its SMS participants' address pairs, so the customer's next
message starts a new conversation.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ...dates import iso, parse_iso
from ...errors import TwilioError
from ...rules import conversations as rules
from ...scheduler import handler
from .hooks import listeners
from .services import check_deletable, configuration, default_service
from .webhooks import fire

TIMER = "conversation.timer"


def create_conversation(s, account_sid: str, *, service: dict | None = None,
                        friendly_name: str | None = None, unique_name: str | None = None,
                        attributes: str | None = None, messaging_service_sid: str | None = None,
                        state: str | None = None, timers: dict | None = None,
                        date_created: str | None = None) -> dict:
    service = service or default_service(s, account_sid)
    attributes = rules.check_attributes(attributes)
    state = rules.check_initial_state(state)
    if unique_name is not None:
        _check_unique_name(s, service["sid"], unique_name)
    if messaging_service_sid is None:
        messaging_service_sid = configuration(s, account_sid)["default_messaging_service_sid"]
    else:
        found = s.store.get("messaging_services", messaging_service_sid)
        if found is None or found["account_sid"] != account_sid:
            raise TwilioError.invalid("MessagingServiceSid", f"{messaging_service_sid} is not a "
                                                             "Messaging Service of this account")
    now = s.now()
    conversation = s.store.insert("conversations", {
        "sid": s.ids.sid("CH"), "account_sid": account_sid, "chat_service_sid": service["sid"],
        "messaging_service_sid": messaging_service_sid, "friendly_name": friendly_name,
        "unique_name": unique_name, "attributes": attributes, "state": state,
        "timers": timers or {}, "next_index": 0, "last_activity": now,
        "date_created": date_created or now, "date_updated": date_created or now})
    _schedule_timers(s, conversation)
    return conversation


def _check_unique_name(s, service_sid: str, unique_name: str, sid: str | None = None):
    if unique_name.startswith("CH") and len(unique_name) == 34:
        raise TwilioError.invalid("UniqueName", "must not look like a Conversation SID")
    clash = s.store.owned("conversations", service_sid, limit=1,
                          where=lambda c: c["unique_name"] == unique_name and c["sid"] != sid)
    if clash:
        raise TwilioError(50353, f"A conversation with unique name {unique_name!r} exists")


def conversation_of(s, account_sid: str, sid: str, *, service_sid: str | None = None) -> dict:
    """The conversation named by its SID or unique name, in ``service_sid`` (default: the
    account's default service)."""
    service_sid = service_sid or default_service(s, account_sid)["sid"]
    conversation = s.store.get("conversations", sid)
    if conversation is None:
        found = s.store.owned("conversations", service_sid, limit=1,
                              where=lambda c: c["unique_name"] == sid)
        conversation = found[0] if found else None
    if conversation is None or conversation["account_sid"] != account_sid \
            or conversation["chat_service_sid"] != service_sid:
        raise TwilioError.not_found()
    return conversation


def find_conversation(s, sid: str) -> dict | None:
    return s.store.get("conversations", sid)


def list_conversations(s, service_sid: str, *, start: datetime | None = None,
                       end: datetime | None = None, state: str | None = None):
    """Oldest first, filtered by state and by creation date (``StartDate``/``EndDate``)."""
    def where(c):
        created = parse_iso(c["date_created"])
        return ((state is None or c["state"] == state)
                and (start is None or created >= start) and (end is None or created <= end))
    return s.store.pager("conversations", service_sid, where=where)


def update_conversation(s, conversation: dict, *, friendly_name=None, unique_name=None,
                        attributes=None, messaging_service_sid=None, state=None,
                        timers: dict | None = None, date_created=None, date_updated=None) -> dict:
    rules.check_open(conversation)
    changes = {}
    if friendly_name is not None:
        changes["friendly_name"] = friendly_name
    if unique_name is not None and unique_name != conversation["unique_name"]:
        _check_unique_name(s, conversation["chat_service_sid"], unique_name, conversation["sid"])
        changes["unique_name"] = unique_name
    if attributes is not None:
        changes["attributes"] = rules.check_attributes(attributes)
    if messaging_service_sid is not None:
        found = s.store.get("messaging_services", messaging_service_sid)
        if found is None or found["account_sid"] != conversation["account_sid"]:
            raise TwilioError.invalid("MessagingServiceSid", f"{messaging_service_sid} is not "
                                                             "a Messaging Service of this account")
        changes["messaging_service_sid"] = messaging_service_sid
    if timers:
        changes["timers"] = timers
    if date_created is not None:
        changes["date_created"] = date_created
    changes = {k: v for k, v in changes.items() if conversation.get(k) != v}
    if changes:
        conversation = s.store.update("conversations", conversation["sid"], {
            **changes, "date_updated": date_updated or s.now()})
        fire(s, conversation, "onConversationUpdated", _params(conversation))
        if "timers" in changes:
            _schedule_timers(s, conversation)
    if state is not None and state != conversation["state"]:
        conversation = set_state(s, conversation, state)
    return conversation


def set_state(s, conversation: dict, state: str) -> dict:
    """Move the conversation to ``state``; ``closed`` is final: its address pairs are freed
    and its timers dropped."""
    if state not in rules.STATES:
        raise TwilioError.invalid("State", f"must be one of {', '.join(rules.STATES)}")
    if conversation["state"] == state:
        return conversation
    rules.check_open(conversation)
    previous = conversation["state"]
    conversation = s.store.update("conversations", conversation["sid"],
                                  {"state": state, "date_updated": s.now()})
    fire(s, conversation, "onConversationStateUpdated",
         {**_params(conversation), "StateFrom": previous, "StateTo": state,
          "Reason": "API"})
    if state == "closed":
        s.scheduler.cancel(conversation["sid"], TIMER)
        for pair in s.store.owned("conv_pairs", conversation["sid"]):
            s.store.delete("conv_pairs", pair["sid"])
        for listener in listeners("closed"):
            listener(s, conversation)
    return conversation


def delete_conversation(s, conversation: dict):
    """A conversation and everything in it."""
    sid = conversation["sid"]
    s.scheduler.cancel(sid, TIMER)
    for table in ("conv_pairs", "conv_participants", "conv_webhooks"):
        for record in s.store.owned(table, sid):
            s.store.delete(table, record["sid"])
    for message in s.store.owned("conv_messages", sid):
        for receipt in s.store.owned("conv_receipts", message["sid"]):
            s.store.delete("conv_receipts", receipt["sid"])
        s.store.delete("conv_messages", message["sid"])
    fire(s, conversation, "onConversationRemoved", _params(conversation))
    s.store.delete("conversations", sid)


def delete_service(s, service: dict):
    """A Conversation Service and its conversations (not the account's default one)."""
    check_deletable(s, service)
    for conversation in s.store.owned("conversations", service["sid"]):
        delete_conversation(s, conversation)
    s.store.delete("conv_services", service["sid"])


def _params(conversation: dict) -> dict:
    return {"FriendlyName": conversation["friendly_name"] or "",
            "UniqueName": conversation["unique_name"] or "",
            "Attributes": conversation["attributes"], "State": conversation["state"],
            "DateCreated": conversation["date_created"], "Source": "API"}


# -- activity and timers ---------------------------------------------------------------------
def touched(s, conversation: dict) -> dict:
    """A message arrived: an inactive conversation is active again; timers start over."""
    changes = {"last_activity": s.now()}
    if conversation["state"] == "inactive":
        conversation = set_state(s, conversation, "active")
    conversation = s.store.update("conversations", conversation["sid"], changes)
    _schedule_timers(s, conversation)
    return conversation


def _schedule_timers(s, conversation: dict):
    s.scheduler.cancel(conversation["sid"], TIMER)
    timers = conversation.get("timers") or {}
    if conversation["state"] == "closed":
        return
    if "inactive" in timers and conversation["state"] != "inactive":
        s.scheduler.schedule(TIMER, conversation["sid"], timers["inactive"],
                             {"state": "inactive"}, base=conversation["last_activity"])
    if "closed" in timers:
        s.scheduler.schedule(TIMER, conversation["sid"], timers["closed"],
                             {"state": "closed"}, base=conversation["last_activity"])


def timer_dates(conversation: dict) -> dict:
    """The wire ``timers``: when the conversation becomes inactive and closed."""
    timers = conversation.get("timers") or {}
    if conversation["state"] == "closed" or not timers:
        return {}
    since = parse_iso(conversation["last_activity"])
    out = {}
    if "inactive" in timers and conversation["state"] != "inactive":
        out["date_inactive"] = iso(since + timedelta(seconds=timers["inactive"]))
    if "closed" in timers:
        out["date_closed"] = iso(since + timedelta(seconds=timers["closed"]))
    return out


@handler(TIMER)
def _timer(s, timer):
    conversation = s.store.get("conversations", timer["target"])
    if conversation is None or conversation["state"] == "closed":
        return
    set_state(s, conversation, timer["data"]["state"])
