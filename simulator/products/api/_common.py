"""Helpers shared by the numbers and messaging resources of the 2010 API."""
from __future__ import annotations

from flask import request

from ...auth import path_account, principal
from ...errors import TwilioError
from ...rules.messaging import check_url
from ...wire import params

METHODS = ("GET", "POST")


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


def http_method(name: str) -> str | None:
    """Parameter ``name``, a webhook's HTTP method: GET or POST (any case), if given."""
    value = params().get(name)
    if value is None:
        return None
    if value.upper() not in METHODS:
        raise TwilioError.invalid(name, "must be GET or POST")
    return value.upper()


def url_param(name: str) -> str | None:
    """Parameter ``name``, a webhook URL: an absolute http(s) URL; empty (which clears the
    URL) and absent are None."""
    value = params().get(name)
    if value is None or value == "":
        return None
    check_url(value, name)
    return value
