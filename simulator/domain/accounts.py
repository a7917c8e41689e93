"""Twilio accounts: main accounts and their subaccounts, the test credentials every
account has, and API keys (SK...).

A main account owns itself (``owner_account_sid`` is its own SID); a subaccount is
owned by its main account. Each account gets a second AccountSid/AuthToken pair, its
test credentials, which reach only the magic-number side of a few resources.
"""
from __future__ import annotations

import hmac

from ..dates import parse_iso
from ..errors import TwilioError
from ..rules import accounts as rules


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# -- accounts ------------------------------------------------------------------------------
def new_account(s, *, owner_sid: str | None, friendly_name: str | None = None,
                sid: str | None = None, auth_token: str | None = None, type_: str = "Full",
                status: str = "active", test_sid: str | None = None,
                test_auth_token: str | None = None) -> dict:
    """Create an account (a main account when ``owner_sid`` is None) and its
    test credentials."""
    sid = sid or s.ids.sid("AC")
    now = s.now()
    account = {
        "sid": sid,
        "owner_account_sid": owner_sid or sid,
        "friendly_name": friendly_name or rules.default_subaccount_name(parse_iso(now)),
        "status": status,
        "type": type_,
        "auth_token": auth_token or s.ids.token(),
        "date_created": now,
        "date_updated": now,
    }
    s.store.insert("accounts", account)
    s.store.insert("test_credentials", {
        "sid": test_sid or s.ids.sid("AC"),
        "account_sid": sid,
        "auth_token": test_auth_token or s.ids.token(),
    })
    return account


def account_of(s, sid: str) -> dict | None:
    return s.store.get("accounts", sid)


def list_accounts(s, account: dict, *, friendly_name: str | None = None,
                  status: str | None = None):
    """The pager ``fetch(after, skip, limit)`` of the Accounts ``account`` sees: a main
    account lists itself and its subaccounts, a subaccount only itself."""
    def where(a):
        return ((friendly_name is None or a["friendly_name"] == friendly_name)
                and (status is None or a["status"] == status))

    if account["owner_account_sid"] == account["sid"]:
        return s.store.pager("accounts", account["sid"], where=where)
    shown = [account] if where(account) else []

    def fetch(after, skip, limit):
        if after is not None and shown and shown[0]["sid"] == after:
            return []
        return shown[skip:skip + limit]
    return fetch


def update_account(s, account: dict, changed_by: str, *, friendly_name: str | None = None,
                   status: str | None = None) -> dict:
    """Rename ``account`` or change its status (as the credentials of ``changed_by``)."""
    changes = {}
    if friendly_name is not None:
        changes["friendly_name"] = friendly_name
    if status is not None and status != account["status"]:
        rules.check_status_change(changed_by, account, status)
        changes["status"] = status
    return s.modify("accounts", account, changes)


# -- credentials ----------------------------------------------------------------------------
def test_credentials_of(s, account_sid: str) -> dict | None:
    found = s.store.owned("test_credentials", account_sid, limit=1)
    return found[0] if found else None


def credentials_owner(s, username: str, secret: str) -> tuple[dict, str, str | None] | None:
    """Whose credentials ``username:secret`` are: (account, via, key type), via being
    "auth_token", "test" or "api_key"; None when they match nothing."""
    if username.startswith("AC"):
        account = s.store.get("accounts", username)
        if account is not None and _same(secret, account["auth_token"]):
            return account, "auth_token", None
        test = s.store.get("test_credentials", username)
        if test is not None and _same(secret, test["auth_token"]):
            return s.store.require("accounts", test["account_sid"]), "test", None
    elif username.startswith("SK"):
        key = s.store.get("keys", username)
        if key is not None and _same(secret, key["secret"]):
            return (s.store.require("accounts", key["account_sid"]), "api_key",
                    key.get("key_type", "standard"))
    return None


def all_credentials(s) -> list[dict]:
    """Every account with its Auth Token, test credentials and API keys."""
    accounts = []
    for a in s.store.find("accounts", lambda a: True):
        test = test_credentials_of(s, a["sid"])
        accounts.append({
            "sid": a["sid"],
            "auth_token": a["auth_token"],
            "friendly_name": a["friendly_name"],
            "owner_account_sid": a["owner_account_sid"],
            "type": a["type"],
            "status": a["status"],
            "test_credentials": {"sid": test["sid"], "auth_token": test["auth_token"]}
            if test else None,
            "keys": [{"sid": k["sid"], "secret": k["secret"], "friendly_name": k["friendly_name"],
                      "key_type": k["key_type"]}
                     for k in s.store.owned("keys", a["sid"])],
        })
    return accounts


# -- API keys --------------------------------------------------------------------------------
def new_key(s, account_sid: str, friendly_name: str | None = None, *, sid: str | None = None,
            secret: str | None = None, key_type: str = "standard") -> dict:
    now = s.now()
    key = {
        "sid": sid or s.ids.sid("SK"),
        "account_sid": account_sid,
        "friendly_name": friendly_name,
        "secret": secret or s.ids.token(),
        "key_type": key_type,
        "date_created": now,
        "date_updated": now,
    }
    return s.store.insert("keys", key)


def key_of(s, account_sid: str, sid: str) -> dict:
    key = s.store.get("keys", sid)
    if key is None or key["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return key


def list_keys(s, account_sid: str):
    return s.store.pager("keys", account_sid)


def rename_key(s, key: dict, friendly_name: str | None) -> dict:
    return s.modify("keys", key, {} if friendly_name is None else {"friendly_name": friendly_name})


def delete_key(s, key: dict):
    s.store.delete("keys", key["sid"])


def main_accounts(s) -> list[dict]:
    """Every main account, oldest first."""
    return s.store.find("accounts", lambda a: a["owner_account_sid"] == a["sid"])


def default_account_sid(s, account_sid: str | None = None) -> str:
    """The account a control-plane step acts for: the one named (20422 when unknown), else
    the first main account."""
    if account_sid is not None:
        if s.store.get("accounts", account_sid) is None:
            raise TwilioError(20422, f"No account {account_sid}")
        return account_sid
    accounts = main_accounts(s)
    if not accounts:
        raise TwilioError(20422, "No account in the simulator")
    return accounts[0]["sid"]
