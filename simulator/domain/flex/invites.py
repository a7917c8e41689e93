"""Invitations to a Flex instance (Administrators and Supervisors; Agents come only
through SSO): the email Twilio 'sends' and its acceptance, which makes the invitee a
Console user (when not one yet) and a Flex user with the invited role."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import flex as flex_rules
from ..console import deliver, new_console_user, password_matches, user_by_email
from .users import flex_user_by_email, new_flex_user


def new_invite(s, inst: dict, inviter: dict, email: str, role: str) -> dict:
    if flex_user_by_email(s, inst["sid"], email) is not None:
        raise TwilioError(20409, f"{email} is already a user of this Flex account")
    token = "IV" + s.ids.hex(32)
    record = s.store.insert("flex_invites", {
        "sid": token, "instance_sid": inst["sid"], "account_sid": inst["account_sid"],
        "email": email, "role": role, "status": "pending", "invited_by": inviter["sid"],
        "date_created": s.now()})
    deliver(s, "Email", email, f"You are invited to the Flex account {inst['friendly_name']} as "
                               f"{role}: POST /console/invites/{token}/accept",
            {"invite_token": token, "role": role})
    return record


def invites_of(s, instance_sid: str) -> list[dict]:
    return s.store.owned("flex_invites", instance_sid)


def sent_invites(s, email: str | None = None) -> list[dict]:
    """Every invitation sent (to ``email``)."""
    return s.store.find("flex_invites", lambda i: not email or i["email"] == email)


def pending_invite(s, token: str) -> dict | None:
    """The invitation behind ``token`` (None when there is none); one already
    accepted cannot be accepted again."""
    inv = s.store.get("flex_invites", token)
    if inv is not None and inv["status"] != "pending":
        raise TwilioError(20409, f"This invitation was already {inv['status']}")
    return inv


def accept_invite(s, inv: dict, password, *, full_name=None, phone=None):
    """Returns (Console user, Flex user, instance)."""
    with s.store.lock:
        user = user_by_email(s, inv["email"])
        if user is None:
            if not isinstance(password, str) or not (
                    flex_rules.PASSWORD_MIN <= len(password) <= flex_rules.PASSWORD_MAX):
                raise TwilioError.invalid("password", "choose a password of "
                                          f"{flex_rules.PASSWORD_MIN} to "
                                          f"{flex_rules.PASSWORD_MAX} characters to accept")
            user = new_console_user(s, inv["email"], password, phone, full_name=full_name)
        elif not password_matches(user, password):
            raise TwilioError(20003, "Wrong password for the invited Console user")
        inst = s.store.require("flex_instances", inv["instance_sid"])
        if flex_user_by_email(s, inst["sid"], inv["email"]) is not None:
            raise TwilioError(20409, f"{inv['email']} is already a user of this Flex account")
        flex_user = new_flex_user(s, inst, email=inv["email"],
                                  full_name=full_name or user["full_name"] or inv["email"],
                                  roles=[inv["role"]], user_sid=user["sid"])
        s.store.update("flex_invites", inv["sid"], {"status": "accepted"})
    return user, flex_user, inst
