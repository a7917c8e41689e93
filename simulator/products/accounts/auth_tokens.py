"""Auth Token rotation: /v1/AuthTokens/Secondary (create, delete) and
/v1/AuthTokens/Promote (the secondary token becomes the Auth Token).

A secondary token authenticates beside the primary until it is promoted (then the old
primary stops working at once) or deleted. It belongs to the account whose credentials
call; Standard and Restricted API keys cannot rotate tokens (401, 20003), as they cannot
manage Accounts.
"""
from __future__ import annotations

from ...auth import principal, require_account_manager
from ...current import sim
from ...domain import accounts
from ...hosts import public_url
from . import bp

SECONDARY_URL = public_url("accounts", "/v1/AuthTokens/Secondary")
PROMOTE_URL = public_url("accounts", "/v1/AuthTokens/Promote")


def _account() -> dict:
    require_account_manager()
    return principal().account


@bp.post("/AuthTokens/Secondary")
def create_secondary_auth_token():
    record = accounts.create_secondary_token(sim(), _account())
    return {"account_sid": record["account_sid"], "date_created": record["date_created"],
            "date_updated": record["date_updated"],
            "secondary_auth_token": record["secondary_auth_token"], "url": SECONDARY_URL}, 201


@bp.delete("/AuthTokens/Secondary")
def delete_secondary_auth_token():
    accounts.delete_secondary_token(sim(), _account())
    return "", 204


@bp.post("/AuthTokens/Promote")
def promote_auth_token():
    account, promotion = accounts.promote_secondary_token(sim(), _account())
    return {"account_sid": account["sid"], "auth_token": account["auth_token"],
            "date_created": promotion["date_created"], "date_updated": promotion["date_updated"],
            "url": PROMOTE_URL}
