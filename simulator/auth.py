"""HTTP Basic authentication as Twilio does it.

Credentials are ``AccountSid:AuthToken``, an API key ``SK...:secret`` of an
account, or an account's test credentials (a separate test AccountSid and
AuthToken). Main-account credentials reach the main account and the 2010
resources of its subaccounts; a subaccount reaches only itself. Standard API
keys cannot manage Accounts, Keys or Auth Tokens (nor can Restricted keys). Test
credentials may only POST to IncomingPhoneNumbers, Messages and Calls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import g, request

from .current import sim
from .domain.accounts import account_of, credentials_owner
from .errors import TwilioError

TEST_CREDENTIAL_PATHS = re.compile(
    r"^/api/2010-04-01/Accounts/AC[0-9a-f]{32}/"
    r"(IncomingPhoneNumbers(/Local|/TollFree|/Mobile)?|Messages|Calls)\.json$")


@dataclass
class Principal:
    account: dict            # the account the credentials belong to
    via: str                 # "auth_token" | "api_key" | "test"
    key_type: str | None = None

    @property
    def account_sid(self) -> str:
        return self.account["sid"]

    @property
    def is_main_account(self) -> bool:
        return self.account["owner_account_sid"] == self.account["sid"]

    def reaches(self, account: dict) -> bool:
        """Main credentials reach their subaccounts; anyone reaches itself."""
        return account["sid"] == self.account_sid or account["owner_account_sid"] == self.account_sid


def _unauthenticated() -> TwilioError:
    return TwilioError(20003)


def authenticate() -> Principal:
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or auth.password is None:
        raise _unauthenticated()
    found = credentials_owner(sim(), auth.username, auth.password)
    if found is None:
        raise _unauthenticated()
    principal = Principal(*found)
    if principal.account["status"] != "active":
        raise TwilioError(20005, f"Account {principal.account_sid} is not active "
                                 f"(status: {principal.account['status']})")
    if principal.via == "test" and not (request.method == "POST"
                                         and TEST_CREDENTIAL_PATHS.match(request.path)):
        raise TwilioError(20008)
    return principal


def principal() -> Principal:
    return g.principal


def path_account(account_sid: str) -> dict:
    """The account named in a 2010 path, if these credentials reach it."""
    me = principal()
    if account_sid == me.account_sid:  # the common case: no second look-up
        return me.account
    account = account_of(sim(), account_sid)
    if account is None:
        raise TwilioError.not_found()
    if not me.reaches(account):
        raise _unauthenticated()
    return account


def require_account_manager():
    """Accounts, Keys and Auth Tokens are managed with account credentials or a main key
    only (Standard and Restricted keys: 20003)."""
    p = principal()
    if p.via == "api_key" and p.key_type != "main":
        raise TwilioError(20003, f"{(p.key_type or 'standard').capitalize()} API keys cannot "
                                 "manage Accounts, Keys or Auth Tokens")
