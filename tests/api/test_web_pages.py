"""The pages for people (/console, /flex, /inspector) without a browser: what they answer,
who may open them, that they only read, and the inspector's paging. The journeys in a real
browser are in tests/browser/."""
from __future__ import annotations

import base64
import html
import re

import pytest

from simulator import create_app
from simulator.config import Settings

MAIN = "AC02af17f4eb5c599711bcc3c917f73f7a"
OWL = "ACbe3ffa32eebf1db578b3b070032de0ef"
SAME_ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def app():
    app = create_app(Settings(freeze_clock=True))
    yield app
    app.extensions["twilio_sim"].close()


@pytest.fixture
def web(app):
    return app.test_client()


def control(web, path, body=None):
    r = web.post(f"/_sim/v1/{path}", json=body or {})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    return r.get_json()


def sign_in_flex(web, role: str) -> str:
    """A seeded Owl user of ``role`` signs in through SSO; the page keeps the token."""
    owl = next(a for a in web.get("/_sim/v1/flex/accounts").get_json()["flex_accounts"]
               if a["account_sid"] == OWL)
    user = next(u for u in owl["users"] if u["roles"] == [role])
    saml = control(web, f"flex/sso/{owl['flex_instance_sid']}/assertions", {"attributes": {
        "roles": [role], "full_name": user["full_name"], "email": user["email"]}})
    token = web.post(f"/console/sso/{owl['flex_instance_sid']}/sign-in",
                     json={"SAMLResponse": saml["SAMLResponse"]}).get_json()["token"]
    r = web.post("/flex/browser-session", json={"token": token}, headers=SAME_ORIGIN)
    assert r.status_code == 200, r.get_data(as_text=True)
    return token


PAGES = ["/console", "/console/try-twilio", "/flex", "/inspector", "/inspector/handsets",
         "/inspector/handsets/+14155550123", "/inspector/messages", "/inspector/calls",
         "/inspector/webhooks", "/inspector/journal", "/inspector/outbox",
         "/inspector/tollfree", "/inspector/faults"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_html_that_loads_nothing_from_elsewhere(web, path):
    r = web.get(path)
    assert r.status_code == 200 and r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    assert text.startswith("<!doctype html>") and '<html lang="en">' in text
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Cache-Control"] == "no-store"
    # every script, stylesheet and image is the simulator's own; no inline script
    assert not re.search(r'(src|href)="(https?:)?//', re.sub(r'<a [^>]*>', "", text))
    assert "<script>" not in text


def test_the_script_and_the_stylesheet_are_served(web):
    for name in ("sim.js", "sim.css"):
        r = web.get(f"/static/web/{name}")
        assert r.status_code == 200 and len(r.data) > 1000


def test_browsing_is_not_journaled(web):
    web.delete("/_sim/v1/journal", json={})
    for path in PAGES + ["/static/web/sim.js"]:
        web.get(path)
    assert web.get("/_sim/v1/journal").get_json()["requests"] == []
    web.get(f"/api/2010-04-01/Accounts/{MAIN}.json")   # a Twilio request still is
    assert len(web.get("/_sim/v1/journal").get_json()["requests"]) == 1


def test_the_inspector_answers_loopback_host_names_only(app):
    web = app.test_client()
    for host in ("localhost:4010", "127.0.0.1:4010", "[::1]:4010", "app.localhost"):
        assert web.get("/inspector", headers={"Host": host}).status_code == 200, host
    r = web.get("/inspector", headers={"Host": "rebound.example.com"})
    assert r.status_code == 403 and "20006" in r.get_data(as_text=True)
    assert "auth_token" not in r.get_data(as_text=True)
    r = web.get("/inspector", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 403
    app.extensions["twilio_sim"].settings.control_plane_public = True
    assert web.get("/inspector", headers={"Host": "rebound.example.com"}).status_code == 200


def test_the_identity_provider_page_is_loopback_only_too(web):
    owl = web.get("/_sim/v1/flex/accounts").get_json()["flex_accounts"]
    go = next(a["flex_instance_sid"] for a in owl if a["account_sid"] == OWL)
    assert web.get(f"/flex/ui/sso/{go}").status_code == 200
    assert web.get(f"/flex/ui/sso/{go}", headers={"Host": "evil.example"}).status_code == 403


def test_the_browser_session_takes_same_origin_json_and_a_valid_token(web):
    login = web.post("/console/login", json={"email": "admin@owl.example.com",
                                             "password": "owl-admin-password"}).get_json()
    token = login["session_token"]
    r = web.post("/console/browser-session", data={"session_token": token})
    assert r.status_code == 400 and r.get_json()["code"] == 20422   # a form: what any site sends
    r = web.post("/console/browser-session", json={"session_token": token},
                 headers={"Origin": "http://localhost:3000"})
    assert r.status_code == 403 and r.get_json()["code"] == 20006
    r = web.post("/console/browser-session", json={"session_token": "CSnope"})
    assert r.status_code == 401 and r.get_json()["code"] == 20003
    assert web.get("/console/account").status_code == 303   # not logged in yet
    r = web.post("/console/browser-session", json={"session_token": token}, headers=SAME_ORIGIN)
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    page = web.get("/console/account")
    assert page.status_code == 200 and "Owl Contact Center" in page.get_data(as_text=True)
    # the Console's JSON API does not take the page's cookie: a page cannot be made to act
    assert web.get("/console/me").status_code == 401
    assert web.delete("/console/browser-session", json={}, headers=SAME_ORIGIN).status_code == 200
    assert web.get("/console/account").status_code == 303


def test_a_view_the_role_may_not_open_is_a_page_saying_who_may(web):
    sign_in_flex(web, "agent")
    assert web.get("/flex").headers["Location"].endswith("/flex/ui/agent-desktop")
    assert web.get("/flex/ui/agent-desktop").status_code == 200
    r = web.get("/flex/ui/teams")
    text = html.unescape(r.get_data(as_text=True))
    assert r.status_code == 403
    assert "Teams is open to Supervisors and Administrators only" in text and "(Agent)" in text
    sign_in_flex(web, "supervisor")
    assert web.get("/flex/ui/teams").status_code == 200
    assert web.get("/flex/ui/queue-stats").status_code == 200
    r = web.get("/flex/ui/admin")
    assert r.status_code == 403 and "open to Administrators only" in r.get_data(as_text=True)


def test_a_live_page_asks_a_server_without_threads_to_poll(web):
    sign_in_flex(web, "agent")
    r = web.get("/flex/ui/agent-desktop", headers={"Accept": "text/event-stream"})
    assert r.status_code == 204


def test_the_handset_shows_the_console_code_sent_to_its_phone(web):
    web.post("/console/signup", json={"email": "ada@example.com", "password": "long enough",
                                      "phone": "+15017122661"})
    code = web.get("/_sim/v1/flex/verifications?email=ada@example.com").get_json()[
        "verifications"][0]["code"]
    page = web.get("/inspector/handsets/+15017122661").get_data(as_text=True)
    assert f'data-code="{code}"' in page
    assert "+15017122661" in web.get("/inspector/handsets").get_data(as_text=True)


def test_a_message_shows_its_status_history_and_the_toll_free_rule(web):
    auth = {"Authorization": "Basic " + base64.b64encode(
        f"{MAIN}:baef4c179a30345bf7767d852a2acd02".encode()).decode()}
    sent = web.post(f"/api/2010-04-01/Accounts/{MAIN}/Messages.json", headers=auth,
                    data={"From": "+18445550100", "To": "+14155550123", "Body": "Hi"}).get_json()
    control(web, "clock/advance", {"seconds": 10})
    page = html.unescape(web.get(f"/inspector/messages/{sent['sid']}").get_data(as_text=True))
    steps = re.findall(r'status-(\w+)">\1</span> <time', page)
    assert steps == ["queued", "sending", "sent", "undelivered"]
    assert "Why 30032: the toll-free rule" in page and "has no verification yet" in page
    listing = web.get("/inspector/messages?status=undelivered").get_data(as_text=True)
    assert sent["sid"] in listing and "Toll-free number not verified" in listing


def _page_sids(text: str) -> list[str]:
    return re.findall(r'<tr data-message="(SM[0-9a-f]{32})">', text)


def test_messages_of_every_account_are_paged_each_exactly_once_newest_first(web):
    sent = []
    for i in range(23):
        to = "+14155550100" if i % 3 else "+14155550150"   # the main account, Owl
        sent.append(control(web, "messages/inbound",
                            {"From": "+14155550123", "To": to, "Body": f"m{i}"})["message"]["sid"])
        if i % 4 == 0:
            control(web, "clock/advance", {"seconds": 1})
    seen, url = [], "/inspector/messages?size=10"
    while url:
        text = web.get(url).get_data(as_text=True)
        rows = _page_sids(text)
        assert 0 < len(rows) <= 10
        seen += rows
        nxt = re.search(r'<a rel="next" href="([^"]+)"', text)
        url = html.unescape(nxt.group(1)) if nxt else None
    assert sorted(seen) == sorted(sent) and len(seen) == len(set(seen))
    # newest first: the order the messages were made in, reversed, within each account
    main = [s for i, s in enumerate(sent) if i % 3]
    owl = [s for i, s in enumerate(sent) if not i % 3]
    for account_sids in (main, owl):
        assert [s for s in seen if s in account_sids] == account_sids[::-1]
    owl_only = web.get(f"/inspector/messages?account={OWL}&size=200").get_data(as_text=True)
    assert _page_sids(owl_only) == owl[::-1]


def test_a_bad_page_cursor_or_filter_is_a_readable_refusal(web):
    for query in ("after=nonsense", "size=7", "status=lost", "account=AC" + "0" * 32,
                  "number=12"):
        r = web.get(f"/inspector/messages?{query}")
        assert r.status_code == 400 and r.mimetype == "text/html", query
        assert "Twilio error" in r.get_data(as_text=True)


def test_a_recording_keeps_the_calls_the_pages_make_not_the_page_views(web):
    control(web, "recording/start", {"name": "browsing"})
    for path in PAGES + ["/static/web/sim.js"]:
        web.get(path)
    # what a page's script sends: here, the Console's log in, then the browser session
    login = web.post("/console/login", json={"email": "admin@owl.example.com",
                                             "password": "owl-admin-password"}).get_json()
    web.post("/console/browser-session", json={"session_token": login["session_token"]},
             headers=SAME_ORIGIN)
    web.get(f"/console/flex/{OWL}")
    steps = control(web, "recording/stop")["scenario"]["steps"]
    paths = [s["request"]["path"] for s in steps if "request" in s]
    assert paths == ["console/login"]
