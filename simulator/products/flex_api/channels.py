"""Flex chat channels: /v1/WebChannels and /v1/Channels (SID CH).

Both open a chat for a customer on a Flex Flow; they are not instance
configuration, so every role (and a customer-facing backend) may create them.
"""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.flex import channels
from ...domain.flex.channels import CHAT, WEB
from ...domain.flex.flex_flows import flex_flow_of
from ...errors import TwilioError
from ...wire import boolean, choice, list_v1, text
from . import bp, url


def _flow_param() -> dict:
    sid = text("FlexFlowSid", required=True)
    flow = flex_flow_of(sim(), principal().account_sid, sid)
    if flow is None:
        raise TwilioError.invalid("FlexFlowSid", f"{sid} is not a Flex Flow of this account")
    return flow


def _required(*names):
    return {n: text(n, required=True) for n in names}


def web_to_wire(c: dict) -> dict:
    return {"account_sid": c["account_sid"], "flex_flow_sid": c["flex_flow_sid"],
            "sid": c["sid"], "url": url(f"/v1/WebChannels/{c['sid']}"),
            "date_created": c["date_created"], "date_updated": c["date_updated"]}


def channel_to_wire(c: dict) -> dict:
    return {"account_sid": c["account_sid"], "flex_flow_sid": c["flex_flow_sid"],
            "sid": c["sid"], "user_sid": c["user_sid"], "task_sid": c["task_sid"],
            "url": url(f"/v1/Channels/{c['sid']}"),
            "date_created": c["date_created"], "date_updated": c["date_updated"]}


def _record(table: str, sid: str) -> dict:
    record = channels.channel_of(sim(), table, principal().account_sid, sid)
    if record is None:
        raise TwilioError.not_found()
    return record


@bp.post("/WebChannels")
def create_web_channel():
    flow = _flow_param()
    given = _required("Identity", "CustomerFriendlyName", "ChatFriendlyName")
    record = channels.new_web_channel(
        sim(), flow, identity=given["Identity"],
        customer_friendly_name=given["CustomerFriendlyName"],
        chat_friendly_name=given["ChatFriendlyName"], chat_unique_name=text("ChatUniqueName"),
        pre_engagement_data=text("PreEngagementData"))
    return web_to_wire(record), 201


@bp.get("/WebChannels")
def list_web_channels():
    fetch = channels.list_channels(sim(), WEB, principal().account_sid)
    return list_v1("flex-api", "/v1/WebChannels", "flex_chat_channels", fetch, web_to_wire)


@bp.get("/WebChannels/<sid>")
def fetch_web_channel(sid):
    return web_to_wire(_record(WEB, sid))


@bp.post("/WebChannels/<sid>")
def update_web_channel(sid):
    record = _record(WEB, sid)
    changes = {}
    status = choice("ChatStatus", ("inactive",))
    if status is not None:
        changes["chat_status"] = status
    data = text("PostEngagementData")
    if data is not None:
        changes["post_engagement_data"] = data
    return web_to_wire(channels.update_web_channel(sim(), record, changes))


@bp.delete("/WebChannels/<sid>")
def delete_web_channel(sid):
    _record(WEB, sid)
    channels.delete_channel(sim(), WEB, sid)
    return "", 204


@bp.post("/Channels")
def create_channel():
    flow = _flow_param()
    given = _required("Identity", "ChatUserFriendlyName", "ChatFriendlyName")
    task_sid = text("TaskSid")
    if task_sid is not None and not (task_sid.startswith("WT") and len(task_sid) == 34):
        raise TwilioError.invalid("TaskSid", "must be a WT SID")
    record = channels.new_channel(
        sim(), flow, identity=given["Identity"],
        chat_user_friendly_name=given["ChatUserFriendlyName"],
        chat_friendly_name=given["ChatFriendlyName"], task_sid=task_sid, target=text("Target"),
        chat_unique_name=text("ChatUniqueName"), pre_engagement_data=text("PreEngagementData"),
        task_attributes=text("TaskAttributes"), long_lived=boolean("LongLived"))
    return channel_to_wire(record), 201


@bp.get("/Channels")
def list_channels():
    fetch = channels.list_channels(sim(), CHAT, principal().account_sid)
    return list_v1("flex-api", "/v1/Channels", "flex_chat_channels", fetch, channel_to_wire)


@bp.get("/Channels/<sid>")
def fetch_channel(sid):
    return channel_to_wire(_record(CHAT, sid))


@bp.delete("/Channels/<sid>")
def delete_channel(sid):
    _record(CHAT, sid)
    channels.delete_channel(sim(), CHAT, sid)
    return "", 204


