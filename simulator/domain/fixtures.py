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
import re
from contextlib import contextmanager
from pathlib import Path

from ..errors import TwilioError
from .accounts import new_account, new_key
from .flex.provisioning import load_flex_accounts
from .messaging_services import add_number, new_service
from .numbers import new_caller_id, new_incoming_number, owner_of
from .tollfree import ALL_FIELDS as TOLLFREE_FIELDS
from .tollfree import new_verification


class FixturesError(ValueError):
    """A fixtures file that cannot be loaded; the message names the entry, field and why."""


# -- the format --------------------------------------------------------------------------------
def _sid(prefix: str):
    pattern = re.compile(rf"^{prefix}[0-9a-f]{{32}}$")
    return lambda v: None if isinstance(v, str) and pattern.match(v) else \
        f"must be a SID: {prefix} and 32 lowercase hex digits"


def _text(v):
    return None if isinstance(v, str) and v.strip() else "must be a non-empty string"


def _text_or_null(v):
    return None if v is None or isinstance(v, str) else "must be a string or null"


def _one_of(*values):
    return lambda v: None if v in values else f"must be one of {', '.join(values)}"


def _count(v):
    return None if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10_000 \
        else "must be a whole number from 0 to 10000"


def _roles(v):
    return None if isinstance(v, list) and v and all(isinstance(r, str) for r in v) \
        else "must be a non-empty list of role names"


_NUMBER = {"sid": _sid("PN"), "phone_number": _text, "number_type": _text, "country": _text,
           "friendly_name": _text, "sms_url": _text_or_null, "voice_url": _text_or_null}
_CALLER_ID = {"sid": _sid("PN"), "phone_number": _text, "friendly_name": _text}
_SERVICE = {"sid": _sid("MG"), "friendly_name": _text, "inbound_request_url": _text_or_null,
            "status_callback": _text_or_null, "phone_numbers": [_text]}
_TOLLFREE = {**{f: None for f in TOLLFREE_FIELDS}, "sid": _sid("HH"), "phone_number": _text,
             "status": _one_of("PENDING_REVIEW", "IN_REVIEW", "TWILIO_APPROVED",
                               "TWILIO_REJECTED")}
_KEY = {"sid": _sid("SK"), "secret": _text, "friendly_name": _text_or_null,
        "key_type": _one_of("standard", "main", "restricted")}
_ACCOUNT = {
    "sid": _sid("AC"), "auth_token": _text, "friendly_name": _text,
    "type": _one_of("Full", "Trial"), "status": _one_of("active", "suspended", "closed"),
    "test_credentials": {"sid": _sid("AC"), "auth_token": _text}, "keys": [_KEY],
    "signup_phone": _text, "incoming_phone_numbers": [_NUMBER],
    "outgoing_caller_ids": [_CALLER_ID], "messaging_services": [_SERVICE],
    "tollfree_verifications": [_TOLLFREE],
}
_ACCOUNT["subaccounts"] = [{**_ACCOUNT, "subaccounts": lambda v: (
    "a subaccount cannot have subaccounts (Twilio error 21101)")}]
_PERSON = {"email": _text, "password": _text, "phone": _text, "full_name": _text,
           "user_sid": _sid("US")}
_FLEX_ACCOUNT = {
    "friendly_name": _text, "account": {"sid": _sid("AC"), "auth_token": _text},
    "phone_number": _text, "email_domain": _text, "owner": _PERSON,
    "users": [{"email": _text, "password": _text, "phone": _text, "full_name": _text,
               "roles": _roles, "image_url": _text}],
    "sso": {"issuer": _text, "sso_url": _text, "certificate": _text}, "agents": _count,
}
FORMAT = {"about": lambda v: None, "accounts": [_ACCOUNT], "flex_accounts": [_FLEX_ACCOUNT]}


def _check(value, shape, where: str):
    """Raise FixturesError naming ``where`` when ``value`` does not have ``shape``: a dict of
    field -> shape (an object; other keys are refused), a one-item list (a list of those),
    a check function returning a complaint or None, or None (anything)."""
    if shape is None:
        return
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise FixturesError(f"{where}: must be a JSON object")
        for key, item in value.items():
            if key not in shape:
                raise FixturesError(f"{where}: unknown field {key!r} (known: "
                                    f"{', '.join(sorted(shape))})")
            _check(item, shape[key], f"{where}.{key}")
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise FixturesError(f"{where}: must be a list")
        for i, item in enumerate(value):
            _check(item, shape[0], f"{where}[{i}]")
    else:
        complaint = shape(value)
        if complaint:
            raise FixturesError(f"{where}: {complaint}")


def read_fixtures(path: str | Path) -> dict:
    """The fixtures file, checked against the format (FixturesError says what is wrong)."""
    with _in_file(path):
        return _read(path)


def _read(path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise FixturesError("no such file") from None
    except IsADirectoryError:
        raise FixturesError("is a folder, not a JSON file") from None
    except UnicodeDecodeError:
        raise FixturesError("is not UTF-8 text") from None
    except ValueError as e:
        raise FixturesError(f"is not JSON: {e}") from None
    except OSError as e:
        raise FixturesError(f"cannot be read: {e.strerror}") from None
    if not isinstance(data, dict):
        raise FixturesError('must hold a JSON object ({"accounts": [...], "flex_accounts": '
                            '[...]})')
    unknown = sorted(set(data) - set(FORMAT))
    if unknown:
        raise FixturesError(f"unknown top-level key {unknown[0]!r} (known: "
                            f"{', '.join(FORMAT)})")
    for key, shape in FORMAT.items():
        if key in data:
            _check(data[key], shape, key)
    return data


@contextmanager
def _in_file(path):
    """Name the file in a FixturesError (once)."""
    try:
        yield
    except FixturesError as e:
        if str(e).startswith("fixtures file "):
            raise
        raise FixturesError(f"fixtures file {path}: {e}") from None


@contextmanager
def _entry(where: str):
    """Name the fixture entry an error came from (a value the simulator refuses)."""
    try:
        yield
    except FixturesError:
        raise
    except TwilioError as e:
        raise FixturesError(f"{where}: {e.message} (Twilio error {e.code})") from None
    except (ValueError, KeyError, TypeError) as e:
        raise FixturesError(f"{where}: {e}") from None


# -- loading -----------------------------------------------------------------------------------
def _account(s, spec: dict, owner_sid: str | None, where: str):
    test = spec.get("test_credentials", {})
    with _entry(where):
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
    where = f"{where} ({account['sid']})"
    for i, key in enumerate(spec.get("keys", [])):
        with _entry(f"{where}.keys[{i}]"):
            new_key(s, account["sid"], key.get("friendly_name"), sid=key.get("sid"),
                    secret=key.get("secret"), key_type=key.get("key_type", "standard"))
    load_account_numbers(s, account["sid"], spec, where)
    for i, sub in enumerate(spec.get("subaccounts", [])):
        if owner_sid is not None:
            raise FixturesError(f"{where}.subaccounts: a subaccount cannot have subaccounts "
                                "(Twilio error 21101)")
        _account(s, {**sub, "type": sub.get("type", account["type"])}, account["sid"],
                 f"{where}.subaccounts[{i}]")
    return account


def load_account_numbers(s, account_sid: str, spec: dict, where: str = "account"):
    """An account's numbers, verified caller IDs, Messaging Services and toll-free
    verifications from its fixture entry."""
    for i, n in enumerate(spec.get("incoming_phone_numbers", [])):
        with _entry(f"{where}.incoming_phone_numbers[{i}]"):
            new_incoming_number(s, account_sid, phone_number=n.get("phone_number"),
                                number_type=n.get("number_type", "local"),
                                country=n.get("country", "US"),
                                friendly_name=n.get("friendly_name"),
                                sms_url=n.get("sms_url"), voice_url=n.get("voice_url"),
                                sid=n.get("sid"))
    if spec.get("signup_phone"):   # a trial account's signup phone is a verified caller ID
        with _entry(f"{where}.signup_phone"):
            new_caller_id(s, account_sid, spec["signup_phone"], "Signup phone")
    for i, c in enumerate(spec.get("outgoing_caller_ids", [])):
        with _entry(f"{where}.outgoing_caller_ids[{i}]"):
            new_caller_id(s, account_sid, c["phone_number"], c.get("friendly_name"),
                          sid=c.get("sid"))
    for i, m in enumerate(spec.get("messaging_services", [])):
        with _entry(f"{where}.messaging_services[{i}]"):
            service = new_service(s, account_sid, m.get("friendly_name", "Messaging Service"),
                                  inbound_request_url=m.get("inbound_request_url"),
                                  sid=m.get("sid"), status_callback=m.get("status_callback"))
            for phone in m.get("phone_numbers", []):
                add_number(s, service, _own(s, account_sid, phone))
    for i, v in enumerate(spec.get("tollfree_verifications", [])):
        with _entry(f"{where}.tollfree_verifications[{i}]"):
            new_verification(s, account_sid, _own(s, account_sid, v["phone_number"]), v)


def _own(s, account_sid: str, phone: str) -> dict:
    number = owner_of(s, phone)
    if number is None or number["account_sid"] != account_sid:
        raise ValueError(f"{phone} is not one of the incoming_phone_numbers of "
                         f"account {account_sid}")
    return number


def load_fixtures(s, path: str | Path):
    with _in_file(path):
        data = _read(path)
        for i, spec in enumerate(data.get("accounts", [])):
            _account(s, spec, None, f"accounts[{i}]")
        for i, spec in enumerate(data.get("flex_accounts", [])):
            with _entry(f"flex_accounts[{i}]"):
                load_flex_accounts(s, [spec])
