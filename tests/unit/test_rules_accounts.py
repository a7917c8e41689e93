from datetime import datetime, timezone

import pytest

from simulator.errors import TwilioError
from simulator.rules import accounts as rules

MAIN = {"sid": "ACmain", "owner_account_sid": "ACmain", "status": "active"}
SUB = {"sid": "ACsub", "owner_account_sid": "ACmain", "status": "active"}


def test_only_main_accounts_create_subaccounts():
    rules.may_create_subaccount(MAIN)
    with pytest.raises(TwilioError) as e:
        rules.may_create_subaccount(SUB)
    assert e.value.code == 21101


def test_status_changes():
    rules.check_status_change("ACmain", SUB, "suspended")
    rules.check_status_change("ACmain", {**SUB, "status": "suspended"}, "active")
    rules.check_status_change("ACmain", MAIN, "active")  # no change is always fine
    for actor, account, status in [("ACmain", MAIN, "suspended"), ("ACsub", SUB, "closed")]:
        with pytest.raises(TwilioError) as e:
            rules.check_status_change(actor, account, status)
        assert e.value.code == 20006
    with pytest.raises(TwilioError) as e:
        rules.check_status_change("ACmain", {**SUB, "status": "closed"}, "active")
    assert e.value.code == 20422


def test_default_subaccount_name():
    when = datetime(2024, 3, 9, 15, 7, tzinfo=timezone.utc)
    assert rules.default_subaccount_name(when) == "SubAccount Created at 2024-03-09 03:07 pm"
