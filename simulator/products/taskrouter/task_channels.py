"""TaskRouter TaskChannels: /v1/Workspaces/{WorkspaceSid}/TaskChannels."""
from __future__ import annotations

from ...current import sim
from ...domain.taskrouter import task_channels
from ...rules import taskrouter as rules
from ...wire import boolean, list_v1, text
from . import bp, workspace_of, ws_url


def to_wire(c: dict) -> dict:
    return {
        "account_sid": c["account_sid"],
        "date_created": c["date_created"],
        "date_updated": c["date_updated"],
        "friendly_name": c["friendly_name"],
        "sid": c["sid"],
        "unique_name": c["unique_name"],
        "workspace_sid": c["workspace_sid"],
        "channel_optimized_routing": c["channel_optimized_routing"],
        "url": ws_url(c["workspace_sid"], f"/TaskChannels/{c['sid']}"),
        "links": {"workspace": ws_url(c["workspace_sid"])},
    }


@bp.post("/Workspaces/<ws_sid>/TaskChannels")
def create_task_channel(ws_sid):
    ws = workspace_of(ws_sid)
    name = rules.check_friendly_name(text("FriendlyName"), required=True)
    unique = text("UniqueName", required=True)
    rules.check_unique_name(unique)
    task_channels.check_task_channel_name(sim(), ws_sid, unique)
    channel = task_channels.new_task_channel(sim(), ws, name, unique,
                                             boolean("ChannelOptimizedRouting"))
    return to_wire(channel), 201


@bp.get("/Workspaces/<ws_sid>/TaskChannels")
def list_task_channels(ws_sid):
    workspace_of(ws_sid)
    fetch = task_channels.list_task_channels(sim(), ws_sid)
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/TaskChannels", "channels", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def fetch_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(task_channels.channel_of(sim(), ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def update_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    channel = task_channels.channel_of(sim(), ws_sid, sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    optimized = boolean("ChannelOptimizedRouting")
    if optimized is not None:
        changes["channel_optimized_routing"] = optimized
    return to_wire(task_channels.update_task_channel(sim(), channel, changes))


@bp.delete("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def delete_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    task_channels.delete_task_channel(sim(), task_channels.channel_of(sim(), ws_sid, sid))
    return "", 204
