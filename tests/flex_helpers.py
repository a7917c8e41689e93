"""Plain-HTTP helpers for the Console and Flex UI JSON endpoints (both transports)."""
from __future__ import annotations

import json as _json

import pytest


class JsonBody(dict):
    """What the SDK's Configuration.update(body=...) expects: an object with to_dict()."""

    def to_dict(self):
        return dict(self)


class Api:
    """JSON calls through the test's transport (``http`` fixture of conftest)."""

    def __init__(self, sim, http):
        self.sim, self.http = sim, http

    def call(self, method, path, *, token=None, body=None, headers=None):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _, text = self.http(method, path, headers=headers, json=body)
        return status, (_json.loads(text) if text else None)

    def ok(self, method, path, *, token=None, body=None, expect=(200, 201)):
        status, data = self.call(method, path, token=token, body=body)
        assert status in ((expect,) if isinstance(expect, int) else expect), (status, data)
        return data

    # -- the Console journey, step by step ----------------------------------------------
    def code(self, email, purpose):
        found = self.sim.control("GET", f"flex/verifications?email={email}")["verifications"]
        return next(v["code"] for v in found if v["purpose"] == purpose and v["status"] == "pending")

    def sign_up(self, email, password="correct horse", phone="+15017122661", verify=True):
        self.ok("POST", "/console/signup", body={"email": email, "password": password,
                                                 "phone": phone}, expect=201)
        if verify:
            self.ok("POST", "/console/signup/verify",
                    body={"email": email, "code": self.code(email, "signup")})
        return self.ok("POST", "/console/login", body={"email": email, "password": password})["session_token"]

    def create_flex_account(self, session, name="Owl Support"):
        self.ok("POST", "/console/phone/verifications", token=session, expect=201)
        me = self.ok("GET", "/console/me", token=session)
        return self.ok("POST", "/console/flex-accounts", token=session, expect=201,
                       body={"friendly_name": name,
                             "verification_code": self.code(me["email"], "flex-account")})

    def flex_token(self, session, account_sid):
        return self.ok("POST", f"/console/flex-accounts/{account_sid}/flex-sign-in",
                       token=session)["token"]

    def invite(self, session, account_sid, email, role):
        return self.call("POST", f"/console/flex-accounts/{account_sid}/invites", token=session,
                         body={"email": email, "role": role})

    def accept(self, invite_token, password="invited password", full_name=None):
        body = {"password": password}
        if full_name:
            body["full_name"] = full_name
        return self.ok("POST", f"/console/invites/{invite_token}/accept", body=body)

    def configure_sso(self, session, account_sid):
        return self.ok("PUT", f"/console/flex-accounts/{account_sid}/sso", token=session,
                       body={"issuer": "https://idp.example.com/metadata",
                             "sso_url": "https://idp.example.com/sso/saml",
                             "certificate": "-----BEGIN CERTIFICATE-----MIIC...-----END CERTIFICATE-----"})

    def sso(self, instance_sid, **attributes):
        """Sign in through the simulated IdP: it signs the attributes, Flex checks them."""
        status, signed = self.call("POST", f"/_sim/v1/flex/sso/{instance_sid}/assertions",
                                   body={"attributes": attributes})
        if status != 201:
            return status, signed
        return self.call("POST", f"/console/sso/{instance_sid}/sign-in",
                         body={"SAMLResponse": signed["SAMLResponse"]})


def contact_center(sim, api, owner_email="owner@example.com"):
    """A provisioned Flex account with an Administrator (the creator), an invited
    Supervisor and an SSO Agent; the clock is frozen and provisioning done."""
    sim.freeze()
    session = api.sign_up(owner_email)
    created = api.create_flex_account(session)
    sim.advance(30)
    account_sid, instance_sid = created["account_sid"], created["flex_instance_sid"]
    invite = api.ok("POST", f"/console/flex-accounts/{account_sid}/invites", token=session,
                    body={"email": "sue@example.com", "role": "supervisor"}, expect=201)
    supervisor = api.accept(invite["invite_token"], password="sue password", full_name="Sue Pervisor")
    sup_session = api.ok("POST", "/console/login",
                         body={"email": "sue@example.com", "password": "sue password"})["session_token"]
    api.configure_sso(session, account_sid)
    status, agent = api.sso(instance_sid, roles=["agent"], full_name="Al Agent", email="al@example.com")
    assert status == 201, agent
    return {
        "account_sid": account_sid, "auth_token": created["auth_token"],
        "instance_sid": instance_sid, "workspace_sid": created["workspace_sid"],
        "owner_session": session, "supervisor_session": sup_session,
        "admin": api.flex_token(session, account_sid),
        "supervisor": api.flex_token(sup_session, account_sid),
        "agent": agent["token"], "agent_user": agent, "supervisor_user": supervisor,
        "admin_user_sid": created["users"][0]["flex_user_sid"],
    }


@pytest.fixture
def api(sim, http):
    """The Console, Flex UI and control-plane JSON calls over the test's transport."""
    return Api(sim, http)


@pytest.fixture
def cc(sim, api):
    """A provisioned contact center (see contact_center)."""
    return contact_center(sim, api)
