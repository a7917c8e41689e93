"""SAML SSO for a Flex instance: its settings (one connection, JQ...), the simulated IdP
that signs assertions, and the sign-in, which creates the Flex user at the first sign-in
(JIT provisioning).

Only the IdP can produce an assertion the sign-in accepts: each SSO configuration gets a
signing key of its own (random, never derived from ``--seed``; a new one whenever the
certificate changes), which leaves the simulator only through the loopback-only control
plane. An assertion is ``base64url(JSON) "." base64url(HMAC-SHA256(key, that JSON))``;
its JSON names the IdP (``issuer``), the Flex connection it is for (``audience``
``urn:flex:JQ...``), when it was issued and until when it is good (five minutes of the
simulator clock), and the user's attributes.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from ...dates import iso, parse_iso
from ...errors import TwilioError
from ...rules import roles as role_rules
from .users import flex_user_by_email, new_flex_user, update_flex_user

ASSERTION_TTL_SECONDS = 300
ASSERTION_MAX_LENGTH = 64_000


def sso_of(s, instance_sid: str) -> dict | None:
    found = s.store.owned("flex_sso", instance_sid, limit=1)
    return found[0] if found else None


def all_sso(s) -> list[dict]:
    """Every SSO configuration, with its signing key (for the control plane)."""
    return [signing_config(s, c) for c in s.store.find("flex_sso", lambda c: True)]


def set_sso(s, inst: dict, issuer, sso_url, certificate) -> dict:
    for name, value in (("issuer", issuer), ("sso_url", sso_url), ("certificate", certificate)):
        if not isinstance(value, str) or not value.strip():
            raise TwilioError(20422, f"Missing required SSO setting {name}")
        if len(value) > 64_000:
            raise TwilioError.invalid(name, "must be at most 64000 characters")
    if not sso_url.startswith("https://"):
        raise TwilioError.invalid("sso_url", "must be an https:// URL")
    existing = sso_of(s, inst["sid"])
    now = s.now()
    fields = {"issuer": issuer.strip(), "sso_url": sso_url.strip(),
              "certificate": certificate.strip(), "date_updated": now}
    if existing:
        if existing["certificate"] != fields["certificate"] or not existing.get("signing_key"):
            fields["signing_key"] = secrets.token_hex(32)  # a new IdP certificate, a new key
        return s.store.update("flex_sso", existing["sid"], fields)
    return s.store.insert("flex_sso", {"sid": s.ids.sid("JQ"), "instance_sid": inst["sid"],
                                       "account_sid": inst["account_sid"],
                                       "signing_key": secrets.token_hex(32),
                                       "date_created": now, **fields})


def signing_config(s, config: dict) -> dict:
    """The configuration with its signing key (state saved before keys existed gets one)."""
    if not config.get("signing_key"):
        config = s.store.update("flex_sso", config["sid"], {"signing_key": secrets.token_hex(32)})
    return config


def audience(config: dict) -> str:
    return f"urn:flex:{config['sid']}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: str, payload: bytes) -> bytes:
    return hmac.new(bytes.fromhex(key), payload, hashlib.sha256).digest()


def issue_assertion(s, inst: dict, attributes) -> str:
    """The simulated IdP: an assertion of ``attributes`` for this instance's SSO (20403
    until SSO is configured). The attributes are checked at sign-in, as Flex does."""
    config = sso_of(s, inst["sid"])
    if config is None:
        raise not_configured()
    config = signing_config(s, config)
    now = s.clock.now()
    payload = json.dumps({
        "id": "_" + secrets.token_hex(16), "issuer": config["issuer"],
        "audience": audience(config), "issue_instant": iso(now),
        "not_on_or_after": iso(now + timedelta(seconds=ASSERTION_TTL_SECONDS)),
        "attributes": attributes}, separators=(",", ":")).encode()
    return _b64(payload) + "." + _b64(_signature(config["signing_key"], payload))


def not_configured() -> TwilioError:
    return TwilioError(20403, "SSO is not configured for this Flex instance; configure it "
                              "first (PUT /console/flex-accounts/{AccountSid}/sso)")


def _refused(why: str) -> TwilioError:
    return TwilioError(45002, f"Authentication Error: {why}")


def read_assertion(s, inst: dict, assertion) -> dict:
    """The attributes of an assertion the instance's IdP signed, still valid; else 45002."""
    config = sso_of(s, inst["sid"])
    if config is None:
        raise not_configured()
    config = signing_config(s, config)
    if not isinstance(assertion, str) or not assertion:
        raise _refused("the sign-in carries no SAMLResponse from the identity provider")
    if len(assertion) > ASSERTION_MAX_LENGTH or assertion.count(".") != 1:
        raise _refused("the SAMLResponse is not an assertion of this identity provider")
    body, _, signature = assertion.partition(".")
    try:
        payload, given = _unb64(body), _unb64(signature)
    except (binascii.Error, ValueError):
        raise _refused("the SAMLResponse is not an assertion of this identity provider") from None
    if not hmac.compare_digest(given, _signature(config["signing_key"], payload)):
        raise _refused("the assertion's signature does not match the identity provider's key")
    try:  # signed, so made by the IdP; but a test may sign its own with the published key
        data = json.loads(payload)
        expires = parse_iso(data["not_on_or_after"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _refused("the assertion does not have the simulated IdP's format (issuer, "
                       "audience, not_on_or_after, attributes)") from None
    if data.get("audience") != audience(config):
        raise _refused(f"the assertion is for {data.get('audience')}, not {audience(config)}")
    if data.get("issuer") != config["issuer"]:
        raise _refused(f"the assertion was issued by {data.get('issuer')}, not by the "
                       f"configured identity provider {config['issuer']}")
    if s.clock.now() >= expires:
        raise _refused("the assertion has expired (it is good for "
                       f"{ASSERTION_TTL_SECONDS} seconds); sign in at the identity provider again")
    return data.get("attributes")


def sso_sign_in(s, inst: dict, assertion) -> tuple[dict, bool]:
    """JIT provisioning at the first SSO sign-in; later sign-ins update the user."""
    attrs = role_rules.sso_attributes(read_assertion(s, inst, assertion))
    with s.store.lock:
        user = flex_user_by_email(s, inst["sid"], attrs["email"])
        if user is None:
            return new_flex_user(s, inst, email=attrs["email"], full_name=attrs["full_name"],
                                 roles=attrs["roles"], image_url=attrs["image_url"]), True
        return update_flex_user(s, user, roles=attrs["roles"], full_name=attrs["full_name"],
                                image_url=attrs["image_url"]), False
