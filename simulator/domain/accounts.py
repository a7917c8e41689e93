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
        secondary = s.store.get("secondary_auth_tokens", username) if account else None
        if secondary is not None and _same(secret, secondary["secondary_auth_token"]):
            return account, "auth_token", None   # until promoted, both tokens authenticate
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
        secondary = s.store.get("secondary_auth_tokens", a["sid"])
        accounts.append({
            "sid": a["sid"],
            "auth_token": a["auth_token"],
            "secondary_auth_token": secondary["secondary_auth_token"] if secondary else None,
            "friendly_name": a["friendly_name"],
            "owner_account_sid": a["owner_account_sid"],
            "type": a["type"],
            "status": a["status"],
            "test_credentials": {"sid": test["sid"], "auth_token": test["auth_token"]}
            if test else None,
            "keys": [{"sid": k["sid"], "secret": k["secret"], "friendly_name": k["friendly_name"],
                      "key_type": k["key_type"], "policy": k.get("policy")}
                     for k in s.store.owned("keys", a["sid"])],
        })
    return accounts


# -- API keys --------------------------------------------------------------------------------
def new_key(s, account_sid: str, friendly_name: str | None = None, *, sid: str | None = None,
            secret: str | None = None, key_type: str = "standard",
            policy: dict | None = None) -> dict:
    """An API key: ``key_type`` main, standard or restricted (with its ``policy``, the
    permissions it was given, kept and shown but not enforced)."""
    now = s.now()
    key = {
        "sid": sid or s.ids.sid("SK"),
        "account_sid": account_sid,
        "friendly_name": friendly_name,
        "secret": secret or s.ids.token(),
        "key_type": key_type,
        "policy": policy,
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


def key_reached(s, account: dict, sid: str) -> dict:
    """The key ``sid`` of ``account`` or, for a main account, of one of its subaccounts."""
    key = s.store.get("keys", sid)
    owner = s.store.get("accounts", key["account_sid"]) if key else None
    if owner is None or account["sid"] not in (owner["sid"], owner["owner_account_sid"]):
        raise TwilioError.not_found()
    return key


def list_keys_v1(s, account_sid: str):
    """The pager of an account's keys of every type (the v1 ``/Keys`` list)."""
    return s.store.pager("keys", account_sid)


def update_key(s, key: dict, *, friendly_name: str | None = None,
               policy: dict | None = None) -> dict:
    """A key's FriendlyName; a Restricted key's Policy too (checked by the caller)."""
    changes = {}
    if friendly_name is not None:
        changes["friendly_name"] = friendly_name
    if policy is not None:
        changes["policy"] = policy
    return s.modify("keys", key, changes)


# -- Auth Token rotation (accounts.twilio.com/v1/AuthTokens) ----------------------------------
def create_secondary_token(s, account: dict) -> dict:
    """A new secondary Auth Token (it replaces one not yet promoted): it authenticates beside
    the primary until it is promoted or deleted."""
    now = s.now()
    record = {"sid": account["sid"], "account_sid": account["sid"],
              "secondary_auth_token": s.ids.token(), "date_created": now, "date_updated": now}
    with s.store.lock:
        s.store.delete("secondary_auth_tokens", account["sid"])
        return s.store.insert("secondary_auth_tokens", record)


def delete_secondary_token(s, account: dict) -> None:
    if not s.store.delete("secondary_auth_tokens", account["sid"]):
        raise TwilioError.not_found()


def promote_secondary_token(s, account: dict) -> tuple[dict, dict]:
    """The secondary token becomes the Auth Token; the old one stops authenticating at once.
    Returns (the account, the promotion: the secondary record with its new date_updated)."""
    with s.store.lock:
        secondary = s.store.get("secondary_auth_tokens", account["sid"])
        if secondary is None:
            raise TwilioError(20404, "There is no secondary Auth Token to promote "
                                     "(POST /v1/AuthTokens/Secondary creates one)")
        account = s.modify("accounts", s.store.require("accounts", account["sid"]),
                           {"auth_token": secondary["secondary_auth_token"]})
        s.store.delete("secondary_auth_tokens", account["sid"])
    return account, {**secondary, "date_updated": s.now()}


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
