"""taskrouter.twilio.com/v1: Workspaces and what they hold.

Every resource lives in a workspace of the principal's own account; a workspace
of another account is a 20404, as on Twilio.
"""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.taskrouter.activities import own_activity
from ...domain.taskrouter.workspaces import workspace_of as account_workspace
from ...hosts import public_url
from ...wire import text
from .. import product

bp = product("taskrouter", "v1")


def url(path: str) -> str:
    return public_url("taskrouter", f"/v1{path}")


def ws_url(workspace_sid: str, rest: str = "") -> str:
    return url(f"/Workspaces/{workspace_sid}{rest}")


def workspace_of(sid: str) -> dict:
    """The workspace in the path, if it belongs to the principal's account."""
    return account_workspace(sim(), principal().account_sid, sid)


def activity_param(ws_sid: str, name: str) -> str | None:
    """Parameter ``name``: an Activity SID of the workspace, if given."""
    sid = text(name)
    if sid is None:
        return None
    return own_activity(sim(), ws_sid, sid, name)
