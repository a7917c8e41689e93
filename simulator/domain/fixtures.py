"""Loading a fixtures file into an empty store (format documented in README.md).

Whatever a fixture leaves out (SIDs, tokens, names) is generated, from the
seed when one is set, so ``--seed N`` gives the same data run after run.

Besides its credentials (``sid``, ``auth_token``, ``test_credentials``, ``keys``) and
``subaccounts``, an account may list its numbers and messaging: ``signup_phone``: E.164
(verified caller ID), ``incoming_phone_numbers``: [{phone_number?, number_type?, country?,
friendly_name?, sms_url?, voice_url?, sid?}], ``outgoing_caller_ids``: [{phone_number,
friendly_name?}], ``messaging_services``: [{friendly_name, inbound_request_url?, sid?,
phone_numbers: [E.164]}], ``tollfree_verifications``: [{phone_number, status?,
business_name?...}]. ``flex_accounts`` are ready Flex accounts (see ``load_flex_accounts``).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import TwilioError
from .accounts import new_account, new_key
from .flex.provisioning import load_flex_accounts
from .messaging_services import add_number, new_service
from .numbers import new_caller_id, new_incoming_number, owner_of
from .tollfree import new_verification


def _account(s, spec: dict, owner_sid: str | None):
    test = spec.get("test_credentials", {})
    account = new_account(
        s,
        owner_sid=owner_sid,
        sid=spec.get("sid"),
        auth_token=spec.get("auth_token"),
        friendly_name=spec.get("friendly_name") or f"{s.ids.faker.company()}",
        type_=spec.get("type", "Full"),
        status=spec.get("status", "active"),
        test_sid=test.get("sid"),
        test_auth_token=test.get("auth_token"),
    )
    for key in spec.get("keys", []):
        new_key(s, account["sid"], key.get("friendly_name"), sid=key.get("sid"),
                secret=key.get("secret"), key_type=key.get("key_type", "standard"))
    load_account_numbers(s, account["sid"], spec)
    for sub in spec.get("subaccounts", []):
        if owner_sid is not None:
            raise TwilioError(21101)
        _account(s, {**sub, "type": sub.get("type", account["type"])}, account["sid"])
    return account


def load_account_numbers(s, account_sid: str, spec: dict):
    """An account's numbers, verified caller IDs, Messaging Services and toll-free
    verifications from its fixture entry."""
    for n in spec.get("incoming_phone_numbers", []):
        new_incoming_number(s, account_sid, phone_number=n.get("phone_number"),
                            number_type=n.get("number_type", "local"),
                            country=n.get("country", "US"), friendly_name=n.get("friendly_name"),
                            sms_url=n.get("sms_url"), voice_url=n.get("voice_url"),
                            sid=n.get("sid"))
    if spec.get("signup_phone"):   # a trial account's signup phone is a verified caller ID
        new_caller_id(s, account_sid, spec["signup_phone"], "Signup phone")
    for c in spec.get("outgoing_caller_ids", []):
        new_caller_id(s, account_sid, c["phone_number"], c.get("friendly_name"), sid=c.get("sid"))
    for m in spec.get("messaging_services", []):
        service = new_service(s, account_sid, m.get("friendly_name", "Messaging Service"),
                              inbound_request_url=m.get("inbound_request_url"), sid=m.get("sid"),
                              status_callback=m.get("status_callback"))
        for phone in m.get("phone_numbers", []):
            add_number(s, service, _own(s, account_sid, phone))
    for v in spec.get("tollfree_verifications", []):
        new_verification(s, account_sid, _own(s, account_sid, v["phone_number"]), v)


def _own(s, account_sid: str, phone: str) -> dict:
    number = owner_of(s, phone)
    if number is None or number["account_sid"] != account_sid:
        raise ValueError(f"fixtures: {phone} is not one of the incoming_phone_numbers of "
                         f"account {account_sid}")
    return number


def load_fixtures(s, path: str | Path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for spec in data.get("accounts", []):
        _account(s, spec, None)
    load_flex_accounts(s, data.get("flex_accounts", []))
