"""Flex web chats (``flex-api`` v2 ``WebChats``): a visitor starts a chat conversation at a
``chat`` address configuration (a Flex account's "Flex Web Chat", whose auto-creation runs
the "Webchat Flow").

The conversation (``friendly_name``: ``ChatFriendlyName``, attributes: the pre-engagement data
and the visitor's friendly name) has the visitor as its chat participant (``Identity``, else a
generated one) and the address's Studio webhook: the visitor's first message runs the flow,
whose Send to Flex routes a ``chat`` task.
"""
from __future__ import annotations

import json

from ...errors import TwilioError
from ..conversations.addresses import address_of
from ..conversations.inbound import start_conversation
from ..conversations.participants import add_participant


def _visitor_identity(s) -> str:
    h = s.ids.hex(32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def start_web_chat(s, account_sid: str, *, address_sid: str, chat_friendly_name: str | None,
                   customer_friendly_name: str | None, pre_engagement_data: str | None,
                   identity: str | None) -> tuple[dict, str]:
    """Returns (conversation, the visitor's identity)."""
    try:
        config = address_of(s, account_sid, address_sid)
    except TwilioError:
        raise TwilioError.invalid("AddressSid", f"{address_sid} is not an address "
                                                "configuration of this account") from None
    if config["type"] != "chat":
        raise TwilioError.invalid("AddressSid", f"{address_sid} is a {config['type']} address, "
                                                "not a chat address")
    identity = identity or _visitor_identity(s)
    friendly = customer_friendly_name or "Customer"
    data = pre_engagement_data
    if data:
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            pass   # kept as the text it is
    attributes = {"from": friendly, "pre_engagement_data": data or {}}
    conversation = start_conversation(s, config, friendly_name=chat_friendly_name or friendly,
                                      attributes=json.dumps(attributes))
    add_participant(s, conversation, identity=identity,
                    attributes=json.dumps({"friendlyName": friendly}))
    return conversation, identity
