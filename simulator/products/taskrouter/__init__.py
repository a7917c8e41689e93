"""taskrouter.twilio.com/v1: Workspaces and what they hold.

Every resource lives in a workspace of the principal's own account; a workspace
of another account is a 20404, as on Twilio.
"""
from __future__ import annotations

from ...auth import principal
from ...errors import TwilioError
from ...hosts import public_url
from ...runtime import sim
from .. import product

bp = product("taskrouter", "v1")


def url(path: str) -> str:
    return public_url("taskrouter", f"/v1{path}")


def ws_url(workspace_sid: str, rest: str = "") -> str:
    return url(f"/Workspaces/{workspace_sid}{rest}")


def workspace_of(sid: str) -> dict:
    """The workspace in the path, if it belongs to the principal's account."""
    ws = sim().store.get("tr_workspaces", sid)
    if ws is None or ws["account_sid"] != principal().account_sid:
        raise TwilioError.not_found()
    return ws


def child_of(table: str, workspace_sid: str, sid: str) -> dict:
    record = sim().store.get(table, sid)
    if record is None or record["workspace_sid"] != workspace_sid:
        raise TwilioError.not_found()
    return record
