"""SAML SSO for a Flex instance: its settings (one connection, JQ...) and the sign-in
through the IdP, which creates the Flex user at the first sign-in (JIT provisioning)."""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import roles as role_rules
from .users import flex_user_by_email, new_flex_user, update_flex_user


def sso_of(s, instance_sid: str) -> dict | None:
    found = s.store.owned("flex_sso", instance_sid, limit=1)
    return found[0] if found else None


def set_sso(s, inst: dict, issuer, sso_url, certificate) -> dict:
    for name, value in (("issuer", issuer), ("sso_url", sso_url), ("certificate", certificate)):
        if not isinstance(value, str) or not value.strip():
            raise TwilioError(20422, f"Missing required SSO setting {name}")
    if not sso_url.startswith("https://"):
        raise TwilioError.invalid("sso_url", "must be an https:// URL")
    existing = sso_of(s, inst["sid"])
    now = s.now()
    fields = {"issuer": issuer.strip(), "sso_url": sso_url.strip(),
              "certificate": certificate.strip(), "date_updated": now}
    if existing:
        return s.store.update("flex_sso", existing["sid"], fields)
    return s.store.insert("flex_sso", {"sid": s.ids.sid("JQ"), "instance_sid": inst["sid"],
                                       "account_sid": inst["account_sid"],
                                       "date_created": now, **fields})


def sso_sign_in(s, inst: dict, attributes) -> tuple[dict, bool]:
    """JIT provisioning at the first SSO sign-in; later sign-ins update the user."""
    attrs = role_rules.sso_attributes(attributes)
    with s.store.lock:
        user = flex_user_by_email(s, inst["sid"], attrs["email"])
        if user is None:
            return new_flex_user(s, inst, email=attrs["email"], full_name=attrs["full_name"],
                                 roles=attrs["roles"], image_url=attrs["image_url"]), True
        return update_flex_user(s, user, roles=attrs["roles"], full_name=attrs["full_name"],
                                image_url=attrs["image_url"]), False
