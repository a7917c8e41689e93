"""The customer's side of a contact center, for tests and scenario replays: what a handset
received, and a web-chat visitor writing and reading.

An SMS from a handset is ``domain.messages.receive``; a call is ``domain.inbound_calls``.
"""
from __future__ import annotations

import json

from ..errors import TwilioError
from ..rules import numbers as nrules
from .conversations.core import find_conversation
from .conversations.messages import add_message, messages_of
from .conversations.participants import participant_by_identity, participants_of


def handset_messages(s, number: str) -> list[dict]:
    """Every SMS Twilio sent to ``number`` (any account), oldest first."""
    parsed = nrules.parse(number)
    if parsed is None:
        raise TwilioError(21211, f"{number} is not a valid phone number")
    found = s.store.find("messages", lambda m: m["to"] == parsed.e164
                         and m["direction"] != "inbound")
    return sorted(found, key=lambda m: (m["date_created"], m["sid"]))


def _chat_conversation(s, conversation_sid: str) -> dict:
    conversation = find_conversation(s, conversation_sid)
    if conversation is None:
        raise TwilioError.not_found(f"/_sim/v1/webchat/{conversation_sid}")
    return conversation


def visitor_of(s, conversation: dict, identity: str | None = None) -> dict:
    """The chat visitor of a conversation: the participant ``identity``, else the first chat
    participant that is no Flex agent."""
    if identity:
        found = participant_by_identity(s, conversation["sid"], identity)
        if found is None:
            raise TwilioError.invalid("Identity", f"{identity} is not in conversation "
                                                  f"{conversation['sid']}")
        return found
    for p in participants_of(s, conversation["sid"]):
        try:
            attrs = json.loads(p["attributes"] or "{}")
        except ValueError:
            attrs = {}
        if p["identity"] and (attrs if isinstance(attrs, dict) else {}).get("member_type") \
                != "agent":
            return p
    raise TwilioError.invalid("ConversationSid", "the conversation has no chat visitor")


def visitor_writes(s, conversation_sid: str, body: str, identity: str | None = None) -> dict:
    """The visitor sends a chat message (as the Conversations SDK in their browser would)."""
    conversation = _chat_conversation(s, conversation_sid)
    visitor = visitor_of(s, conversation, identity)
    return add_message(s, conversation, author=visitor["identity"], body=body,
                       participant=visitor, source="SDK")


def visitor_reads(s, conversation_sid: str) -> tuple[dict, list[dict]]:
    """The conversation and its messages, oldest first."""
    conversation = _chat_conversation(s, conversation_sid)
    return conversation, messages_of(s, conversation["sid"])
