"""TaskRouter TaskChannels: the kinds of work (voice, chat, ...) a workspace handles;
every worker gets a channel of each."""
from __future__ import annotations

from ...errors import TwilioError
from .workers import delete_channels_of_task_channel, new_worker_channel, workers_of


def new_task_channel(s, ws: dict, friendly_name: str, unique_name: str,
                     channel_optimized_routing: bool | None = None) -> dict:
    now = s.now()
    s.routing.forget(ws["sid"])
    channel = s.store.insert("tr_task_channels", {
        "sid": s.ids.sid("TC"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "unique_name": unique_name,
        "channel_optimized_routing": channel_optimized_routing,
        "date_created": now, "date_updated": now,
    })
    for worker in workers_of(s, ws["sid"]):
        new_worker_channel(s, worker, channel)
    return channel


def channel_of(s, ws_sid: str, sid_or_name: str) -> dict:
    """A TaskChannel by SID or unique name (the SDK accepts either)."""
    if sid_or_name.startswith("TC"):
        channel = s.store.get("tr_task_channels", sid_or_name)
        if channel is not None and channel["workspace_sid"] == ws_sid:
            return channel
        raise TwilioError.not_found()
    found = s.store.owned("tr_task_channels", ws_sid,
                          where=lambda c: c["unique_name"] == sid_or_name, limit=1)
    if not found:
        raise TwilioError.not_found()
    return found[0]


def check_task_channel_name(s, ws_sid: str, unique_name: str) -> None:
    """TaskChannel unique names are unique in a workspace."""
    if s.store.owned("tr_task_channels", ws_sid,
                     where=lambda c: c["unique_name"] == unique_name, limit=1):
        raise TwilioError(20409, f"A TaskChannel with UniqueName {unique_name!r} already exists")


def list_task_channels(s, ws_sid: str):
    return s.store.pager("tr_task_channels", ws_sid)


def update_task_channel(s, channel: dict, changes: dict) -> dict:
    return s.modify("tr_task_channels", channel, changes)


def delete_task_channel(s, channel: dict) -> None:
    """The channel goes with every worker's channel of it."""
    with s.store.lock:
        s.routing.forget(channel["workspace_sid"])
        delete_channels_of_task_channel(s, channel["workspace_sid"], channel["sid"])
        s.store.delete("tr_task_channels", channel["sid"])
