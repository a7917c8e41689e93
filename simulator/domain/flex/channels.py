"""Flex chat channels (CH...): /v1/WebChannels and /v1/Channels, each a chat opened
for a customer on a Flex Flow."""
from __future__ import annotations

WEB = "flex_web_channels"
CHAT = "flex_channels"


def channel_of(s, table: str, account_sid: str, sid: str) -> dict | None:
    """The account's web channel (``WEB``) or channel (``CHAT``) ``sid``, or None."""
    record = s.store.get(table, sid)
    if record is None or record["account_sid"] != account_sid:
        return None
    return record


def list_channels(s, table: str, account_sid: str):
    """The pager ``fetch`` over the account's web channels or channels."""
    return s.store.pager(table, account_sid)


def delete_channel(s, table: str, sid: str):
    s.store.delete(table, sid)


def new_web_channel(s, flow: dict, *, identity: str, customer_friendly_name: str,
                    chat_friendly_name: str, chat_unique_name: str | None,
                    pre_engagement_data: str | None) -> dict:
    now = s.now()
    return s.store.insert(WEB, {
        "sid": s.ids.sid("CH"), "account_sid": flow["account_sid"], "flex_flow_sid": flow["sid"],
        "identity": identity, "customer_friendly_name": customer_friendly_name,
        "chat_friendly_name": chat_friendly_name, "chat_unique_name": chat_unique_name,
        "pre_engagement_data": pre_engagement_data, "chat_status": "active",
        "post_engagement_data": None, "date_created": now, "date_updated": now})


def update_web_channel(s, record: dict, changes: dict) -> dict:
    return s.modify(WEB, record, changes)


def new_channel(s, flow: dict, *, identity: str, chat_user_friendly_name: str,
                chat_friendly_name: str, task_sid: str | None, target: str | None,
                chat_unique_name: str | None, pre_engagement_data: str | None,
                task_attributes: str | None, long_lived: bool | None) -> dict:
    now = s.now()
    return s.store.insert(CHAT, {
        "sid": s.ids.sid("CH"), "account_sid": flow["account_sid"], "flex_flow_sid": flow["sid"],
        "user_sid": s.ids.sid("US"), "task_sid": task_sid, "identity": identity,
        "chat_user_friendly_name": chat_user_friendly_name,
        "chat_friendly_name": chat_friendly_name, "target": target,
        "chat_unique_name": chat_unique_name,
        "pre_engagement_data": pre_engagement_data,
        "task_attributes": task_attributes, "long_lived": long_lived,
        "date_created": now, "date_updated": now})
