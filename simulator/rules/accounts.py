"""Twilio's rules for Accounts (no Flask, no store: facts in, decision out)."""
from __future__ import annotations

from ..errors import TwilioError

STATUSES = ("active", "suspended", "closed")


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
