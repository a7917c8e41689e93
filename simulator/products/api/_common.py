"""Helpers shared by the numbers and messaging resources of the 2010 API."""
from __future__ import annotations

from flask import request

from ...auth import path_account, principal
from ...errors import TwilioError


def request_account(account_sid: str) -> tuple[dict, bool]:
    """The account in the path and whether the request uses test credentials.

    With test credentials the path carries the test AccountSid; the returned account is
    a stand-in with that SID (nothing is stored under it).
    """
    p = principal()
    if p.via == "test":
        if account_sid != request.authorization.username:
            raise TwilioError(20003, "Test credentials reach their own test AccountSid only")
        return {"sid": account_sid, "type": p.account["type"], "owner_account_sid": account_sid,
                "live_sid": p.account["sid"]}, True
    return path_account(account_sid), False
