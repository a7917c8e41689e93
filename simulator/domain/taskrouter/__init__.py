"""TaskRouter: a workspace and what it holds, one module per resource.

Each resource lives in one workspace; a record looked up under another workspace's
path is a 20404, as on Twilio. Modules depend in this order (lower never imports
higher): activities < task_queues < workers < task_channels < workflows < workspaces.
"""
from __future__ import annotations

from ...errors import TwilioError


def child_of(s, table: str, workspace_sid: str, sid: str) -> dict:
    """The record ``sid`` of ``table``, if it belongs to the workspace."""
    record = s.store.get(table, sid)
    if record is None or record["workspace_sid"] != workspace_sid:
        raise TwilioError.not_found()
    return record
