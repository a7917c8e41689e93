"""Security of the developer's machine: no web page they open can drive the control plane
(DNS rebinding, cross-site requests), and nobody but the simulated IdP can mint an SSO
sign-in; every refusal has Twilio's shape and a catalogue code."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest
import requests

from simulator import create_app
from simulator.config import Settings
from simulator.errors import CATALOGUE
from simulator.server import Server

PACKAGE = Path(__file__).resolve().parents[1] / "simulator"


@pytest.fixture
def app():
    app = create_app(Settings())
    yield app
    app.extensions["twilio_sim"].close()


def _call(app, method, path, *, host="localhost", addr="127.0.0.1", headers=None, **kw):
    return app.test_client().open(path, method=method, headers={"Host": host, **(headers or {})},
                                  environ_base={"REMOTE_ADDR": addr}, **kw)


def _subaccount(app, name="kept") -> str:
    sim = app.extensions["twilio_sim"]
    main = next(a for a in sim.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    r = app.test_client().post("/api/2010-04-01/Accounts.json", data={"FriendlyName": name},
                               auth=(main["sid"], main["auth_token"]))
    assert r.status_code == 201
    return r.get_json()["sid"]


def _still_there(app, sid) -> bool:
    return app.extensions["twilio_sim"].store.get("accounts", sid) is not None


# -- DNS rebinding: the Host header ----------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:4010", "10.0.0.5:4010",
                                  "127.0.0.1.evil.example.com", "[2001:db8::1]:4010"])
def test_a_foreign_host_name_cannot_read_the_credentials(app, host):
    r = _call(app, "GET", "/_sim/v1/credentials", host=host)
    assert r.status_code == 403 and r.get_json()["code"] == 20006
    assert "auth_token" not in r.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "localhost:4010", "127.0.0.1:4010", "127.1.2.3",
                                  "[::1]:4010", "[::ffff:127.0.0.1]:4010", "sim.localhost:4010"])
def test_loopback_host_names_are_accepted(app, host):
    assert _call(app, "GET", "/_sim/v1/credentials", host=host).status_code == 200


def test_the_served_host_is_accepted():
    app = create_app(Settings(allowed_hosts=("devbox.internal",)))
    try:
        assert _call(app, "GET", "/_sim/v1/health", host="devbox.internal:4010").status_code == 200
        assert _call(app, "GET", "/_sim/v1/health", host="other.internal:4010").status_code == 403
    finally:
        app.extensions["twilio_sim"].close()


def test_an_ipv4_mapped_loopback_client_is_loopback(app):
    assert _call(app, "GET", "/_sim/v1/health", addr="::ffff:127.0.0.1").status_code == 200
    assert _call(app, "GET", "/_sim/v1/health", addr="::ffff:10.1.2.3").status_code == 403


def test_dns_rebinding_against_a_real_server_is_refused():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    try:
        base = server.base_url
        r = requests.get(base + "/_sim/v1/credentials", headers={"Host": f"evil.example.com:{server.port}"},
                         timeout=10)
        assert r.status_code == 403 and r.json()["code"] == 20006 and "auth_token" not in r.text
        assert requests.get(base + "/_sim/v1/credentials", timeout=10).status_code == 200
    finally:
        server.stop()
        app.extensions["twilio_sim"].close()


# -- cross-site requests: Origin and the body's type ------------------------------------------------
@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example.com", "Content-Type": "text/plain"},
    {"Origin": "https://evil.example.com", "Content-Type": "application/json"},
    {"Origin": "null", "Content-Type": "application/json"},
    {"Origin": "http://127.0.0.1.evil.example.com", "Content-Type": "application/json"},
    {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
])
def test_a_cross_site_reset_is_refused_and_changes_nothing(app, headers):
    kept = _subaccount(app)
    r = _call(app, "POST", "/_sim/v1/reset", headers=headers, data="{}")
    assert r.status_code == 403 and r.get_json()["code"] == 20006
    assert _still_there(app, kept)


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", "{}"), ("application/x-www-form-urlencoded", "a=b"),
    ("multipart/form-data; boundary=x", "--x--"), (None, ""),
])
def test_state_changing_calls_take_only_json(app, content_type, body):
    kept = _subaccount(app)
    headers = {"Content-Type": content_type} if content_type else {}
    r = _call(app, "POST", "/_sim/v1/reset", headers=headers, data=body)
    assert r.status_code == 400 and r.get_json()["code"] == 20422
    assert "application/json" in r.get_json()["message"]
    assert _still_there(app, kept)
    r = _call(app, "DELETE", "/_sim/v1/journal", headers=headers, data=body)
    assert r.status_code == 400 and r.get_json()["code"] == 20422


@pytest.mark.parametrize("origin", ["http://localhost:4010", "http://127.0.0.1:3000",
                                    "http://[::1]:4010"])
def test_pages_on_the_developers_own_machine_may_call_it(app, origin):
    kept = _subaccount(app)
    r = _call(app, "POST", "/_sim/v1/reset", json={},
              headers={"Origin": origin, "Sec-Fetch-Site": "same-site"})
    assert r.status_code == 200
    assert not _still_there(app, kept)


def test_control_public_still_refuses_cross_site_pages():
    app = create_app(Settings(control_plane_public=True))
    try:
        r = _call(app, "GET", "/_sim/v1/health", host="sim.lan:4010", addr="10.1.2.3")
        assert r.status_code == 200  # opened to the network on purpose
        r = _call(app, "POST", "/_sim/v1/reset", host="sim.lan:4010", addr="10.1.2.3", json={},
                  headers={"Origin": "http://sim.lan:4010"})
        assert r.status_code == 200  # the same origin
        r = _call(app, "POST", "/_sim/v1/reset", host="sim.lan:4010", addr="10.1.2.3", json={},
                  headers={"Origin": "https://evil.example.com"})
        assert r.status_code == 403 and r.get_json()["code"] == 20006
    finally:
        app.extensions["twilio_sim"].close()


def test_every_control_blueprint_is_guarded(app):
    """Each /_sim/ area refuses a foreign Host, including the Flex IdP."""
    for path in ("/_sim/v1/health", "/_sim/v1/flex/sso", "/_sim/v1/flex/accounts",
                 "/_sim/v1/messaging/settings", "/_sim/v1/webhooks/settings"):
        r = _call(app, "GET", path, host="evil.example.com")
        assert r.status_code == 403 and r.get_json()["code"] == 20006, path


# -- the simulated IdP ----------------------------------------------------------------------------
def _sign_in(api, instance_sid, body):
    return api.call("POST", f"/console/sso/{instance_sid}/sign-in", body=body)


def _mint(sim, instance_sid, **attributes) -> str:
    return sim.control("POST", f"flex/sso/{instance_sid}/assertions",
                       json={"attributes": attributes})["SAMLResponse"]


ADMIN = {"roles": ["admin"], "full_name": "Mallory", "email": "mallory@example.com"}


def test_bare_attributes_do_not_sign_anyone_in(sim, api, cc):
    status, err = _sign_in(api, cc["instance_sid"], {"attributes": ADMIN})
    assert status == 401 and err["code"] == 45002
    assert "/_sim/v1/flex/sso/" in err["message"]
    status, err = _sign_in(api, cc["instance_sid"], ADMIN)
    assert status == 401 and err["code"] == 45002
    status, _, _ = api.http("POST", f"/console/sso/{cc['instance_sid']}/sign-in", json=ADMIN)
    assert status == 401


def test_a_refused_sign_in_does_not_ask_for_basic_credentials(sim, http, cc):
    status, headers, _ = http("POST", f"/console/sso/{cc['instance_sid']}/sign-in",
                              json={"SAMLResponse": "x.y"})
    assert status == 401 and "WWW-Authenticate" not in headers


def _forge(assertion: str, **changes) -> str:
    body, _, signature = assertion.partition(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return forged + "." + signature


def test_an_altered_or_foreign_assertion_is_refused(sim, api, cc):
    good = _mint(sim, cc["instance_sid"], roles=["agent"], full_name="Al Agent", email="al@example.com")
    for bad in (_forge(good, attributes=ADMIN), good + "x", "x" + good, good.replace(".", ""),
                "", 42, "a.b.c", "!!!.???"):
        status, err = _sign_in(api, cc["instance_sid"], {"SAMLResponse": bad})
        assert status == 401 and err["code"] == 45002, (bad, err)
    # an assertion the IdP of another Flex account signed
    session = api.sign_up("other-owner@example.com")
    other = api.create_flex_account(session, name="Other")
    api.configure_sso(session, other["account_sid"])
    foreign = _mint(sim, other["flex_instance_sid"], **ADMIN)
    status, err = _sign_in(api, cc["instance_sid"], {"SAMLResponse": foreign})
    assert status == 401 and err["code"] == 45002
    # nobody became an admin
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    workers = owner.taskrouter.v1.workspaces(cc["workspace_sid"]).workers.list()
    assert "mallory@example.com" not in [json.loads(w.attributes).get("email") for w in workers]


def test_an_assertion_expires_after_five_minutes_of_simulator_time(sim, api, cc):
    assertion = _mint(sim, cc["instance_sid"], **{**ADMIN, "email": "late@example.com"})
    sim.advance(301)
    status, err = _sign_in(api, cc["instance_sid"], {"SAMLResponse": assertion})
    assert status == 401 and err["code"] == 45002 and "expired" in err["message"]


def test_a_new_certificate_means_a_new_key(sim, api, cc):
    assertion = _mint(sim, cc["instance_sid"], **{**ADMIN, "email": "rotated@example.com"})
    api.ok("PUT", f"/console/flex-accounts/{cc['account_sid']}/sso", token=cc["owner_session"],
           body={"issuer": "https://idp.example.com/metadata",
                 "sso_url": "https://idp.example.com/sso/saml",
                 "certificate": "-----BEGIN CERTIFICATE-----NEW-----END CERTIFICATE-----"})
    status, err = _sign_in(api, cc["instance_sid"], {"SAMLResponse": assertion})
    assert status == 401 and err["code"] == 45002


def test_the_signing_key_is_only_on_the_loopback_control_plane(sim, api, cc):
    shown = api.ok("GET", f"/console/flex-accounts/{cc['account_sid']}/sso", token=cc["owner_session"])
    assert "signing_key" not in shown
    listed = sim.control("GET", "flex/sso")["sso"]
    mine = next(c for c in listed if c["flex_instance_sid"] == cc["instance_sid"])
    assert re.fullmatch(r"[0-9a-f]{64}", mine["signing_key"])
    assert mine["audience"] == f"urn:flex:{mine['connection_sid']}"


def test_a_test_in_another_language_can_sign_with_the_published_key(sim, api, cc):
    """The documented format: base64url(JSON) "." base64url(HMAC-SHA256(key, that JSON))."""
    config = next(c for c in sim.control("GET", "flex/sso")["sso"]
                  if c["flex_instance_sid"] == cc["instance_sid"])
    clock = sim.control("GET", "clock")["now"]
    payload = json.dumps({"issuer": config["issuer"], "audience": config["audience"],
                          "issue_instant": clock, "not_on_or_after": "2999-01-01T00:00:00Z",
                          "attributes": {"roles": ["agent"], "full_name": "Nora Node",
                                         "email": "nora@example.com"}}).encode()
    mac = hmac.new(bytes.fromhex(config["signing_key"]), payload, hashlib.sha256).digest()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    status, user = _sign_in(api, cc["instance_sid"], {"SAMLResponse": f"{b64(payload)}.{b64(mac)}"})
    assert status == 201 and user["roles"] == ["agent"]


def test_the_idp_answers_loopback_clients_only(app):
    sim = app.extensions["twilio_sim"]
    inst = sim.store.find("flex_instances", lambda i: True)[0]
    r = _call(app, "POST", f"/_sim/v1/flex/sso/{inst['sid']}/assertions", addr="10.1.2.3",
              json={"attributes": ADMIN})
    assert r.status_code == 403 and r.get_json()["code"] == 20006


def test_the_idp_of_an_unknown_or_unconfigured_instance(sim, api, http):
    status, _, body = http("POST", "/_sim/v1/flex/sso/GO" + "0" * 32 + "/assertions",
                           json={"attributes": ADMIN})
    assert status == 404 and json.loads(body)["code"] == 20404
    sim.freeze()
    session = api.sign_up("nosso@example.com")
    created = api.create_flex_account(session)
    status, _, body = http("POST", f"/_sim/v1/flex/sso/{created['flex_instance_sid']}/assertions",
                           json={"attributes": ADMIN})
    assert status == 403 and "not configured" in json.loads(body)["message"]


# -- catalogue codes only ------------------------------------------------------------------------
def test_no_error_uses_code_400_which_is_no_twilio_code():
    assert 400 not in CATALOGUE
    for path in PACKAGE.rglob("*.py"):
        assert not re.search(r"TwilioError\(\s*400\b", path.read_text()), path


@pytest.mark.parametrize("payload", [b"[1]", b"not json", b'{"issuer": 1}', b"{}",
                                     b'{"not_on_or_after": 5}',
                                     b'{"not_on_or_after": "2999-01-01T00:00:00Z"}'])
def test_a_signed_assertion_of_another_shape_is_refused(sim, api, cc, payload):
    config = next(c for c in sim.control("GET", "flex/sso")["sso"]
                  if c["flex_instance_sid"] == cc["instance_sid"])
    mac = hmac.new(bytes.fromhex(config["signing_key"]), payload, hashlib.sha256).digest()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    status, err = _sign_in(api, cc["instance_sid"], {"SAMLResponse": f"{b64(payload)}.{b64(mac)}"})
    assert status == 401 and err["code"] == 45002, err
