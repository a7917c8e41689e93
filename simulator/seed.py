"""Loading a fixtures file into an empty store (format documented in README.md).

Whatever a fixture leaves out (SIDs, tokens, names) is generated, from the
seed when one is set, so ``--seed N`` gives the same data run after run.
"""
from __future__ import annotations

import json
from pathlib import Path

from .errors import TwilioError


def _account(sim, spec: dict, owner_sid: str | None):
    from .products.api.accounts import new_account
    from .products.api.keys import new_key
    test = spec.get("test_credentials", {})
    account = new_account(
        owner_sid=owner_sid,
        sid=spec.get("sid"),
        auth_token=spec.get("auth_token"),
        friendly_name=spec.get("friendly_name") or f"{sim.ids.faker.company()}",
        type_=spec.get("type", "Full"),
        status=spec.get("status", "active"),
        test_sid=test.get("sid"),
        test_auth_token=test.get("auth_token"),
    )
    for key in spec.get("keys", []):
        new_key(account["sid"], key.get("friendly_name"), sid=key.get("sid"),
                secret=key.get("secret"), key_type=key.get("key_type", "standard"))
    from .products.api.numbers_fixtures import load_account_numbers
    load_account_numbers(account["sid"], spec)
    for sub in spec.get("subaccounts", []):
        if owner_sid is not None:
            raise TwilioError(21101)
        _account(sim, {**sub, "type": sub.get("type", account["type"])}, account["sid"])
    return account


def load_fixtures(sim, path: str | Path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for spec in data.get("accounts", []):
        _account(sim, spec, None)
    from .flex_provisioning import load_flex_accounts  # issue 4: ready Flex accounts
    load_flex_accounts(data.get("flex_accounts", []))
