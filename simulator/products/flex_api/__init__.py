"""flex-api.twilio.com/v1 (this package) and /v2 (``v2/``).

Both accept Twilio's Basic auth (account credentials keep full REST access, as
on Twilio) or a Flex user token (``Authorization: Bearer <token>`` or
``X-Flex-JWE``), with which the user's roles decide: only Administrators change
the instance (Configuration, Flex Flows, users); reads are open to every role.
"""
from __future__ import annotations

from flask import Blueprint, g, request

from ...auth import Principal, authenticate
from ...bearer import token_from_request
from ...current import sim
from ...domain.flex.users import token_account, user_for_token
from ...errors import TwilioError
from ...hosts import public_url
from ...rules import roles as role_rules


def flex_product(version: str) -> Blueprint:
    bp = Blueprint(f"flex_api_{version}", __name__, url_prefix=f"/flex-api/{version}")
    bp.before_request(_authenticate)
    return bp


def _authenticate():
    token = token_from_request(request)
    g.flex_user = None
    if token is None:
        g.principal = authenticate()
        return
    user = user_for_token(sim(), token)
    if user is None:
        raise TwilioError(20003, "The Flex user token is not valid")
    g.principal = Principal(token_account(sim(), user), "flex_token")
    g.flex_user = user


def flex_user() -> dict | None:
    return g.get("flex_user")


def require_admin(what: str):
    """A Flex user token must carry the admin role to change the instance."""
    user = flex_user()
    if user is not None:
        role_rules.check_change_instance(user["roles"], what)


def url(path: str) -> str:
    return public_url("flex-api", path)


bp = flex_product("v1")
