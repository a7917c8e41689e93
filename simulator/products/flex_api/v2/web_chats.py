"""Flex web chats: POST /v2/WebChats starts a chat conversation for a visitor at a chat
address configuration (``AddressSid``); answers ``{conversation_sid, identity}``."""
from __future__ import annotations

from ....auth import principal
from ....current import sim
from ....domain.flex.web_chats import start_web_chat
from ....wire import text
from . import bp


@bp.post("/WebChats")
def create_web_chat():
    conversation, identity = start_web_chat(
        sim(), principal().account_sid, address_sid=text("AddressSid", required=True),
        chat_friendly_name=text("ChatFriendlyName"),
        customer_friendly_name=text("CustomerFriendlyName"),
        pre_engagement_data=text("PreEngagementData"), identity=text("Identity"))
    return {"conversation_sid": conversation["sid"], "identity": identity}, 201
