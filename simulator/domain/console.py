"""The simulated Console's own records: Console users (US...), their log-in sessions,
the phone codes Twilio 'sends' (sign-up, new Flex account) and the sign-up itself,
which creates the user's trial Twilio account once the phone is verified.

What the Console does with Flex (Flex accounts, invitations, SSO) is Flex's, in
``domain/flex/``.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from ..dates import parse_iso
from ..errors import TwilioError
from ..rules import flex as flex_rules
from .accounts import account_of, new_account
from .numbers import new_caller_id


def _hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def password_matches(user: dict, password) -> bool:
    return isinstance(password, str) and hmac.compare_digest(
        _hash(password, user["password_salt"]), user["password_hash"])


def user_by_email(s, email) -> dict | None:
    if not isinstance(email, str):
        return None
    found = s.store.owned("console_users", email.strip().lower(), limit=1)
    return found[0] if found else None


def console_user(s, sid: str) -> dict | None:
    return s.store.get("console_users", sid)


def new_console_user(s, email: str, password: str, phone: str | None, *,
                     full_name: str | None = None, phone_verified: bool = False,
                     sid: str | None = None) -> dict:
    salt = s.ids.hex(16)
    now = s.now()
    return s.store.insert("console_users", {
        "sid": sid or s.ids.sid("US"), "email": email, "phone": phone,
        "full_name": full_name, "password_salt": salt, "password_hash": _hash(password, salt),
        "phone_verified": phone_verified, "account_sids": [], "date_created": now,
        "date_updated": now})


def add_account(s, user: dict, account_sid: str) -> dict:
    """The Console user now owns ``account_sid`` (listed under its accounts)."""
    user = s.store.get("console_users", user["sid"])
    return s.store.update("console_users", user["sid"], {
        "account_sids": user["account_sids"] + [account_sid], "date_updated": s.now()})


def accounts_of(s, user: dict) -> list[dict]:
    """The Twilio accounts the Console user owns that still exist."""
    return [a for a in (account_of(s, sid) for sid in user["account_sids"])
            if a is not None]


def deliver(s, kind: str, to: str, text: str, extra: dict | None = None):
    """Show a message the simulator 'sent' in the request journal."""
    s.record_request({"time": s.now(), "method": kind, "path": f"/console/{kind.lower()}/{to}",
                      "public_path": f"(simulated {kind.lower()} to {to})", "query": "",
                      "params": {}, "status": 200,
                      "body": json.dumps({"to": to, "text": text, **(extra or {})})})


# -- phone codes -----------------------------------------------------------------------------
def send_code(s, user: dict, purpose: str) -> dict:
    store = s.store
    for v in store.owned("console_verifications", user["sid"],
                         where=lambda v: v["status"] == "pending" and v["purpose"] == purpose):
        store.update("console_verifications", v["sid"], {"status": "canceled"})
    code = f"{s.ids.randint(0, 999999):06d}"
    v = store.insert("console_verifications", {
        "sid": s.ids.sid("VE"), "user_sid": user["sid"], "email": user["email"],
        "phone": user["phone"], "purpose": purpose, "code": code, "status": "pending",
        "attempts": 0, "date_created": s.now()})
    deliver(s, "SMS", user["phone"], f"Your Twilio verification code is: {code}",
            {"purpose": purpose, "code": code})
    return v


def check_code(s, user: dict, purpose: str, code) -> None:
    """Approve the user's pending code for ``purpose`` or raise (a wrong code counts)."""
    store = s.store
    pending = store.owned("console_verifications", user["sid"], newest_first=True,
                          where=lambda v: v["purpose"] == purpose and v["status"] == "pending",
                          limit=1)
    v = pending[0] if pending else None
    try:
        flex_rules.check_verification(v, code, s.clock.now(),
                                      parse_iso(v["date_created"]) if v else None)
    except TwilioError:
        if v is not None:
            store.update("console_verifications", v["sid"], {"attempts": v["attempts"] + 1})
        raise
    store.update("console_verifications", v["sid"], {"status": "approved"})


def sent_codes(s, email: str | None = None, phone: str | None = None) -> list[dict]:
    """Every code sent (to ``email``'s user, to ``phone``), newest first."""
    found = s.store.find("console_verifications", lambda v: (
        (not email or v["email"] == email) and (not phone or v["phone"] == phone)))
    found.sort(key=lambda v: (v["date_created"]), reverse=True)
    return found


# -- sign up, log in -------------------------------------------------------------------------
def sign_up(s, email: str, password: str, phone: str, full_name: str | None = None):
    """A new Console user and the sign-up code to its phone; returns (user, verification)."""
    with s.store.lock:
        if user_by_email(s, email) is not None:
            raise TwilioError(20409, f"A Console user with email {email} already exists; log in")
        user = new_console_user(s, email, password, phone, full_name=full_name)
        return user, send_code(s, user, "signup")


def verify_sign_up(s, user: dict, code) -> dict:
    """The sign-up code approved: the user's first (trial) Twilio account."""
    with s.store.lock:
        check_code(s, user, "signup", code)
        account = new_account(s, owner_sid=None, type_="Trial",
                              friendly_name="My first Twilio account")
        # Twilio verifies a trial account's sign-up phone: the one number it may text at once
        new_caller_id(s, account["sid"], user["phone"], "Sign-up phone")
        return s.store.update("console_users", user["sid"], {
            "phone_verified": True, "account_sids": user["account_sids"] + [account["sid"]],
            "date_updated": s.now()})


def log_in(s, user: dict) -> str:
    """A new session for the user; returns its token."""
    token = "CS" + s.ids.hex(48)
    s.store.insert("console_sessions", {"sid": token, "user_sid": user["sid"],
                                        "date_created": s.now()})
    return token


def session_user(s, token: str | None) -> dict | None:
    session = s.store.get("console_sessions", token) if token else None
    return s.store.get("console_users", session["user_sid"]) if session else None


def log_out(s, token: str):
    s.store.delete("console_sessions", token)
