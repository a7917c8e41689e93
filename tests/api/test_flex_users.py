"""Flex users and roles: Console invitations, SSO (simulated IdP), workers."""
import json

import pytest

from flex_helpers import JsonBody


def _worker(sim, cc, sid):
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    return owner.taskrouter.v1.workspaces(cc["workspace_sid"]).workers(sid)


def test_invited_supervisor_is_a_flex_user_and_worker(sim, api, cc):
    sup = cc["supervisor_user"]
    assert sup["roles"] == ["supervisor"] and sup["flex_user_sid"].startswith("FU")
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    user = owner.flex_api.v2.flex_user(cc["instance_sid"], sup["flex_user_sid"]).fetch()
    assert user.roles == ["supervisor"] and user.email == "sue@example.com"
    assert user.worker_sid == sup["worker_sid"] and user.workspace_sid == cc["workspace_sid"]
    worker = _worker(sim, cc, sup["worker_sid"]).fetch()
    attrs = json.loads(worker.attributes)
    assert attrs["roles"] == ["supervisor"] and attrs["full_name"] == "Sue Pervisor"
    assert attrs["email"] == "sue@example.com" and attrs["contact_uri"].startswith("client:")
    channels = {c.task_channel_unique_name: c.configured_capacity
                for c in _worker(sim, cc, sup["worker_sid"]).worker_channels.list()}
    assert channels == {"default": 1, "voice": 1, "chat": 1, "sms": 1, "video": 1}


def test_invites_show_in_journal_and_control_plane_and_cannot_be_reused(sim, api, cc):
    invite = api.ok("POST", f"/console/flex-accounts/{cc['account_sid']}/invites",
                    token=cc["owner_session"], body={"email": "ad@example.com", "role": "Administrator"},
                    expect=201)
    assert invite["role"] == "admin" and invite["status"] == "pending"
    listed = sim.control("GET", "flex/invites?email=ad@example.com")["invites"]
    assert [i["invite_token"] for i in listed] == [invite["invite_token"]]
    mails = [e for e in sim.journal() if e["method"] == "Email"]
    assert mails[-1]["body"]["invite_token"] == invite["invite_token"]
    accepted = api.accept(invite["invite_token"])
    assert accepted["roles"] == ["admin"]
    status, err = api.call("POST", f"/console/invites/{invite['invite_token']}/accept",
                           body={"password": "invited password"})
    assert status == 409 and err["code"] == 20409
    status, _ = api.call("POST", "/console/invites/IVnope/accept", body={"password": "whatever1"})
    assert status == 404


def test_agent_invite_is_refused_saying_agents_come_through_sso(sim, api, cc):
    before = sim.control("GET", "flex/invites")["invites"]
    for role in ("agent", "Agent"):
        status, err = api.invite(cc["owner_session"], cc["account_sid"], "agent@example.com", role)
        assert status == 400 and set(err) == {"code", "message", "more_info", "status"}
        assert "agents are added only through SSO" in err["message"]
    status, err = api.invite(cc["owner_session"], cc["account_sid"], "x@example.com", "janitor")
    assert status == 400
    assert sim.control("GET", "flex/invites")["invites"] == before


def test_supervisor_cannot_invite_or_configure_sso(sim, api, cc):
    status, err = api.invite(cc["supervisor_session"], cc["account_sid"], "z@example.com", "supervisor")
    assert status == 403 and err["code"] == 20403
    status, err = api.call("PUT", f"/console/flex-accounts/{cc['account_sid']}/sso",
                           token=cc["supervisor_session"],
                           body={"issuer": "evil", "sso_url": "https://evil.example.com", "certificate": "x"})
    assert status == 403
    assert api.ok("GET", f"/console/flex-accounts/{cc['account_sid']}/sso",
                  token=cc["owner_session"])["issuer"] == "https://idp.example.com/metadata"


def test_sso_configuration_is_stored_and_shown(api, cc):
    sso = api.ok("GET", f"/console/flex-accounts/{cc['account_sid']}/sso", token=cc["owner_session"])
    assert sso["sso_url"] == "https://idp.example.com/sso/saml"
    assert sso["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert sso["entity_id"] == f"urn:flex:{sso['connection_sid']}" and sso["connection_sid"].startswith("JQ")
    status, err = api.call("PUT", f"/console/flex-accounts/{cc['account_sid']}/sso", token=cc["owner_session"],
                           body={"issuer": "x", "sso_url": "http://plain.example.com", "certificate": "c"})
    assert status == 400
    status, err = api.call("PUT", f"/console/flex-accounts/{cc['account_sid']}/sso", token=cc["owner_session"],
                           body={"issuer": "x", "sso_url": "https://idp.example.com"})
    assert status == 400 and "certificate" in err["message"]
    assert api.ok("GET", f"/console/flex-accounts/{cc['account_sid']}/sso",
                  token=cc["owner_session"])["sso_url"] == "https://idp.example.com/sso/saml"


def test_sso_agent_is_a_flex_user_and_worker_with_agent_channels(sim, cc):
    agent = cc["agent_user"]
    assert agent["created"] is True and agent["roles"] == ["agent"] and agent["views"] == ["agent-desktop"]
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    user = owner.flex_api.v2.flex_user(cc["instance_sid"], agent["flex_user_sid"]).fetch()
    assert user.roles == ["agent"] and user.email == "al@example.com"
    attrs = json.loads(_worker(sim, cc, agent["worker_sid"]).fetch().attributes)
    assert attrs == {"roles": ["agent"], "full_name": "Al Agent", "email": "al@example.com",
                     "contact_uri": "client:al_40example_2Ecom"}
    channels = {c.task_channel_unique_name: c.configured_capacity
                for c in _worker(sim, cc, agent["worker_sid"]).worker_channels.list()}
    # the README's defaults for agents (Twilio documents none)
    assert channels == {"default": 1, "voice": 1, "chat": 2, "sms": 2, "video": 1}


def test_agent_capacities_come_from_the_configuration(sim, api, cc):
    """Change the Configuration's agent channels, and the next SSO agent gets them."""
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    agent_channels = [{"name": "default", "availability": True, "capacity": 1},
                      {"name": "voice", "availability": True, "capacity": 1},
                      {"name": "chat", "availability": True, "capacity": 5},
                      {"name": "sms", "availability": True, "capacity": 4},
                      {"name": "video", "availability": False, "capacity": 0}]
    config = owner.flex_api.v1.configuration().fetch()
    owner.flex_api.v1.configuration().update(body=JsonBody(
        account_sid=cc["account_sid"],
        taskrouter_worker_channels={**config.taskrouter_worker_channels, "agent": agent_channels}))
    status, newcomer = api.sso(cc["instance_sid"], roles=["agent"], full_name="New Agent",
                               email="new@example.com")
    assert status == 201, newcomer
    channels = {c.task_channel_unique_name: c.configured_capacity
                for c in _worker(sim, cc, newcomer["worker_sid"]).worker_channels.list()}
    assert channels == {"default": 1, "voice": 1, "chat": 5, "sms": 4, "video": 0}


def test_sso_later_sign_in_updates_roles_and_keeps_the_user(sim, api, cc):
    status, again = api.sso(cc["instance_sid"], roles=["agent", "supervisor"], full_name="Al Agent",
                            email="al@example.com", image_url="https://img.example.com/al.png")
    assert status == 200 and again["created"] is False
    assert again["flex_user_sid"] == cc["agent_user"]["flex_user_sid"]
    assert again["roles"] == ["agent", "supervisor"]
    attrs = json.loads(_worker(sim, cc, again["worker_sid"]).fetch().attributes)
    assert attrs["roles"] == ["agent", "supervisor"] and attrs["image_url"].endswith("al.png")
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    user = owner.flex_api.v2.flex_user(cc["instance_sid"], again["flex_user_sid"]).fetch()
    assert user.roles == ["agent", "supervisor"] and user.version == 1
    channels = {c.task_channel_unique_name: c.configured_capacity
                for c in _worker(sim, cc, again["worker_sid"]).worker_channels.list()}
    assert channels["chat"] == 1  # the supervisor's capacities now


@pytest.mark.parametrize("missing", ["roles", "full_name", "email"])
def test_sso_without_a_required_attribute_is_45050(sim, api, cc, missing):
    attrs = {"roles": ["agent"], "full_name": "New Agent", "email": "new@example.com"}
    del attrs[missing]
    status, err = api.sso(cc["instance_sid"], **attrs)
    assert status == 400 and err["code"] == 45050 and missing in err["message"]
    assert err["more_info"] == "https://www.twilio.com/docs/errors/45050"
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    assert "new@example.com" not in [json.loads(w.attributes).get("email")
                                     for w in owner.taskrouter.v1.workspaces(cc["workspace_sid"]).workers.list()]


def test_sso_unknown_role_is_45050_and_changes_nothing(sim, api, cc):
    status, err = api.sso(cc["instance_sid"], roles=["agent", "boss"], full_name="Al", email="al@example.com")
    assert status == 400 and err["code"] == 45050 and "boss" in err["message"]
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    assert owner.flex_api.v2.flex_user(cc["instance_sid"], cc["agent_user"]["flex_user_sid"]).fetch().roles == ["agent"]


def test_sso_needs_configuration_first(sim, api):
    sim.freeze()
    session = api.sign_up("solo@example.com")
    created = api.create_flex_account(session)
    status, err = api.sso(created["flex_instance_sid"], roles=["agent"], full_name="A", email="a@example.com")
    assert status == 403 and "not configured" in err["message"]


def test_console_users_flex_sign_in_requires_membership(sim, api, cc):
    stranger = api.sign_up("stranger@example.com")
    status, err = api.call("POST", f"/console/flex-accounts/{cc['account_sid']}/flex-sign-in", token=stranger)
    assert status == 403
    status, _ = api.call("GET", f"/console/flex-accounts/{cc['account_sid']}", token=stranger)
    assert status == 403
