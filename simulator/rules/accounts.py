"""Twilio's rules for Accounts (no Flask, no store: facts in, decision out)."""
from __future__ import annotations

import json
import re

from ..errors import TwilioError

STATUSES = ("active", "suspended", "closed")
KEY_TYPES = ("restricted",)          # what ``KeyType`` may ask for (default: a Standard key)
POLICY_PERMISSIONS_MAX = 100         # Twilio's limit per Restricted key
_PERMISSION = re.compile(r"^/twilio/[a-z0-9-]+(/[a-z0-9-]+)+$")


def may_create_subaccount(creator: dict):
    """Only a main account has subaccounts; subaccounts cannot nest (21101)."""
    if creator["owner_account_sid"] != creator["sid"]:
        raise TwilioError(21101)


def check_status_change(actor_sid: str, account: dict, new_status: str):
    """Main-account credentials suspend, reactivate or close a subaccount.

    A main account cannot change its own status, a subaccount cannot change
    any status, and a closed account stays closed.
    """
    if new_status == account["status"]:
        return
    is_main = account["owner_account_sid"] == account["sid"]
    if is_main or actor_sid == account["sid"]:
        raise TwilioError(20006, "Only the main account's credentials can change a subaccount's "
                                 "status, and a main account's status cannot be changed")
    if account["status"] == "closed":
        raise TwilioError(20422, f"Account {account['sid']} is closed and cannot be reopened")


def default_subaccount_name(created) -> str:
    """Twilio's default: ``SubAccount Created at {YYYY-MM-DD HH:MM meridian}``."""
    return "SubAccount Created at " + created.strftime("%Y-%m-%d %I:%M %p").lower()


# -- API keys ----------------------------------------------------------------------------------
def key_type(requested: str | None) -> str:
    """``KeyType`` of a new v1 key: absent is a Standard key, ``restricted`` a Restricted one
    (Main keys are made in the Console only)."""
    if requested is None or requested == "":
        return "standard"
    if requested not in KEY_TYPES:
        raise TwilioError.invalid("KeyType", "must be restricted (or absent, for a Standard "
                                             "key); Main keys are created in the Console only")
    return requested


def check_key_policy(key_type_: str, policy: str | None, *, required: bool) -> dict | None:
    """A Restricted key's ``Policy``: JSON ``{"allow": ["/twilio/<product>/.../<action>",
    ...]}`` with 1 to 100 permissions (required on create). Standard and Main keys take
    none: only their FriendlyName changes."""
    if policy is None:
        if required and key_type_ == "restricted":
            raise TwilioError(20422, "Missing required parameter Policy: a Restricted key "
                                     "needs a Policy")
        return None
    if key_type_ != "restricted":
        raise TwilioError.invalid("Policy", f"applies to Restricted keys only (this is a "
                                            f"{key_type_.capitalize()} key)")
    try:
        doc = json.loads(policy)
    except (ValueError, RecursionError):
        raise TwilioError.invalid("Policy", "must be a JSON object") from None
    allow = doc.get("allow") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or set(doc) != {"allow"} or not isinstance(allow, list) \
            or not allow:
        raise TwilioError.invalid("Policy", 'must be {"allow": [permission, ...]} with at '
                                            "least one permission")
    if len(allow) > POLICY_PERMISSIONS_MAX:
        raise TwilioError.invalid("Policy", f"a Restricted key has at most "
                                            f"{POLICY_PERMISSIONS_MAX} permissions")
    for permission in allow:
        if not isinstance(permission, str) or not _PERMISSION.match(permission):
            raise TwilioError.invalid("Policy", f"{permission!r} is not a permission "
                                                "(/twilio/<product>/<resource>/<action>)")
    return {"allow": list(dict.fromkeys(allow))}
