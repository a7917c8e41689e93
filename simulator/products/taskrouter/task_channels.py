"""TaskRouter TaskChannels: /v1/Workspaces/{WorkspaceSid}/TaskChannels."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...runtime import sim
from ...wire import boolean, list_v1, text
from . import bp, workspace_of, ws_url


def new_task_channel(ws: dict, friendly_name: str, unique_name: str,
                     channel_optimized_routing: bool | None = None) -> dict:
    s = sim()
    now = s.now()
    channel = s.store.insert("tr_task_channels", {
        "sid": s.ids.sid("TC"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "unique_name": unique_name,
        "channel_optimized_routing": channel_optimized_routing,
        "date_created": now, "date_updated": now,
    })
    from .workers import new_worker_channel
    for worker in s.store.owned("tr_workers", ws["sid"]):
        new_worker_channel(worker, channel)
    return channel


def channel_of(ws_sid: str, sid_or_name: str) -> dict:
    """A TaskChannel by SID or unique name (the SDK accepts either)."""
    store = sim().store
    if sid_or_name.startswith("TC"):
        channel = store.get("tr_task_channels", sid_or_name)
        if channel is not None and channel["workspace_sid"] == ws_sid:
            return channel
        raise TwilioError.not_found()
    found = store.owned("tr_task_channels", ws_sid,
                        where=lambda c: c["unique_name"] == sid_or_name, limit=1)
    if not found:
        raise TwilioError.not_found()
    return found[0]


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
    if sim().store.owned("tr_task_channels", ws_sid, where=lambda c: c["unique_name"] == unique,
                         limit=1):
        raise TwilioError(20409, f"A TaskChannel with UniqueName {unique!r} already exists")
    channel = new_task_channel(ws, name, unique, boolean("ChannelOptimizedRouting"))
    return to_wire(channel), 201


@bp.get("/Workspaces/<ws_sid>/TaskChannels")
def list_task_channels(ws_sid):
    workspace_of(ws_sid)

    fetch = sim().store.pager("tr_task_channels", ws_sid)

    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/TaskChannels", "channels", fetch,
                   to_wire)


@bp.get("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def fetch_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    return to_wire(channel_of(ws_sid, sid))


@bp.post("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def update_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    channel = channel_of(ws_sid, sid)
    changes = {}
    name = rules.check_friendly_name(text("FriendlyName"), required=False)
    if name is not None:
        changes["friendly_name"] = name
    optimized = boolean("ChannelOptimizedRouting")
    if optimized is not None:
        changes["channel_optimized_routing"] = optimized
    return to_wire(sim().modify("tr_task_channels", channel, changes))


@bp.delete("/Workspaces/<ws_sid>/TaskChannels/<sid>")
def delete_task_channel(ws_sid, sid):
    workspace_of(ws_sid)
    channel = channel_of(ws_sid, sid)
    store = sim().store
    with store.lock:
        for worker in store.owned("tr_workers", ws_sid):
            for wc in store.owned("tr_worker_channels", worker["sid"],
                                  where=lambda c: c["task_channel_sid"] == channel["sid"]):
                store.delete("tr_worker_channels", wc["sid"])
        store.delete("tr_task_channels", channel["sid"])
    return "", 204
