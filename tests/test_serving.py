"""`twilio-sim serve` as a user runs it: a real process on a real socket, driven by
the official twilio SDK. Also the server under concurrent load (in memory and
persisted), Twilio host names, and the loopback-only control plane."""
from __future__ import annotations

import re
import signal
import threading

import pytest
import requests
from twilio.rest import Client

from simulator import create_app, tables
from simulator.config import Settings
from simulator.server import Server
from simulator.store import Store
from simulator.testing import SimulatorHttpClient

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0




# -- the command line --------------------------------------------------------------------------
def test_serve_prints_url_credentials_and_a_working_sdk_snippet(serve, tmp_path):
    sim = serve("--memory")
    assert sim.port > 0
    assert re.fullmatch(r"AC[0-9a-f]{32}", sim.account_sid)
    assert re.fullmatch(r"[0-9a-f]{32}", sim.auth_token)
    assert f"{sim.url}/_sim/v1/health" in "\n".join(sim.banner)
    assert "  storage:      memory" in sim.banner
    snippet = sim.snippet
    assert sim.account_sid in snippet and sim.auth_token in snippet and sim.url in snippet

    namespace: dict = {}
    exec(compile(snippet, "<twilio-sim snippet>", "exec"), namespace)  # as pasted by a user
    client = namespace["client"]
    account = client.api.v2010.accounts(sim.account_sid).fetch()
    assert account.sid == sim.account_sid and account.status == "active"
    sub = client.api.v2010.accounts.create(friendly_name="from the snippet")
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == "from the snippet"

    assert sim.terminate() == 0
    assert sim.lines[-1] == "Twilio simulator stopped; state flushed."
    assert not (tmp_path / ".twilio-sim").exists()  # --memory writes nothing


def test_two_servers_on_port_zero_get_different_ports(serve):
    a, b = serve("--memory"), serve("--memory", "--seed", "7")
    assert a.port != b.port
    assert a.client().api.v2010.accounts(a.account_sid).fetch().sid == a.account_sid
    assert b.client().api.v2010.accounts(b.account_sid).fetch().sid == b.account_sid


# -- concurrent load ------------------------------------------------------------------------------
THREADS, PER_THREAD = 8, 200


def _create_concurrently(url: str, sid: str, token: str) -> set[str]:
    created: list[list[str]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int):
        try:
            client = Client(sid, token, http_client=SimulatorHttpClient(url, timeout=60))
            start.wait(timeout=30)
            for i in range(PER_THREAD):
                created[n].append(
                    client.api.v2010.accounts.create(friendly_name=f"load {n}-{i}").sid)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors[:3]
    sids = [s for mine in created for s in mine]
    assert len(sids) == THREADS * PER_THREAD
    assert len(set(sids)) == THREADS * PER_THREAD
    return set(sids)


def _listed(client: Client) -> list:
    return list(client.api.v2010.accounts.list(page_size=1000))


def test_concurrent_creates_in_memory_server():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0, threads=8).start()
    try:
        sim = app.extensions["twilio_sim"]
        main = next(a for a in sim.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
        created = _create_concurrently(server.base_url, main["sid"], main["auth_token"])
        client = Client(main["sid"], main["auth_token"],
                        http_client=SimulatorHttpClient(server.base_url))
        listed = _listed(client)
        sids = [a.sid for a in listed]
        assert len(sids) == len(set(sids))
        assert created <= set(sids)
        mine = [a for a in listed if a.friendly_name.startswith("load ")]
        assert len(mine) == THREADS * PER_THREAD and {a.sid for a in mine} == created
        # the store agrees, and so does its per-owner index
        stored = sim.store.owned("accounts", main["sid"], where=lambda a: a["friendly_name"].startswith("load "))
        assert {a["sid"] for a in stored} == created
        assert sim.store.count("accounts", main["sid"]) == len(sids)
    finally:
        server.stop()
        app.extensions["twilio_sim"].close()


def test_concurrent_creates_persisted_server(serve, tmp_path):
    data = tmp_path / "data"
    sim = serve("--data", str(data))
    created = _create_concurrently(sim.url, sim.account_sid, sim.auth_token)
    listed = [a.sid for a in _listed(sim.client())]
    assert len(listed) == len(set(listed)) and created <= set(listed)
    assert sim.terminate() == 0, sim.output
    assert sim.lines[-1] == "Twilio simulator stopped; state flushed."
    # every record reached the folder, each exactly once
    store = Store(data)
    tables.define(store)
    try:
        on_disk = store.find("accounts", lambda a: a["friendly_name"].startswith("load "))
        assert len(on_disk) == THREADS * PER_THREAD
        assert {a["sid"] for a in on_disk} == created
        assert {a["sid"] for a in store.owned("accounts", sim.account_sid)} == set(listed)
    finally:
        store.close()


# -- Twilio host names ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server():
    app = create_app(Settings())
    srv = Server(app, host="127.0.0.1", port=0).start()
    try:
        sim = app.extensions["twilio_sim"]
        main = next(a for a in sim.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
        yield srv, (main["sid"], main["auth_token"])
    finally:
        srv.stop()
        app.extensions["twilio_sim"].close()


@pytest.mark.parametrize("host", ["api.twilio.com", "api.sydney.au1.twilio.com",
                                  "API.Twilio.com:443", "api.us1.twilio.com"])
def test_twilio_host_header_reaches_the_2010_api(server, host):
    srv, auth = server
    r = requests.get(srv.base_url + "/2010-04-01/Accounts.json", auth=auth,
                     headers={"Host": host}, timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["uri"].startswith("/2010-04-01/Accounts.json")
    assert auth[0] in [a["sid"] for a in body["accounts"]]
    r = requests.get(srv.base_url + f"/2010-04-01/Accounts/{auth[0]}.json", auth=auth,
                     headers={"Host": host}, timeout=10)
    assert r.status_code == 200 and r.json()["sid"] == auth[0]


def test_local_host_header_uses_the_path_prefix(server):
    srv, auth = server
    assert requests.get(srv.base_url + "/api/2010-04-01/Accounts.json", auth=auth,
                        timeout=10).status_code == 200
    # without a Twilio host name, the unprefixed path is not the 2010 API
    r = requests.get(srv.base_url + "/2010-04-01/Accounts.json", auth=auth, timeout=10)
    assert r.status_code == 404
    r = requests.get(srv.base_url + "/2010-04-01/Accounts.json", auth=auth,
                     headers={"Host": "api.twilio.com.example.org"}, timeout=10)
    assert r.status_code == 404


def test_sdk_edge_and_region_over_the_socket(server):
    srv, (sid, token) = server
    client = Client(sid, token, http_client=SimulatorHttpClient(srv.base_url))
    client.edge, client.region = "sydney", "au1"
    assert client.api.v2010.accounts(sid).fetch().sid == sid


# -- the control plane is for loopback clients ----------------------------------------------------
def test_control_plane_answers_loopback_over_the_socket(server):
    srv, _ = server
    r = requests.get(srv.base_url + "/_sim/v1/health", timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "ok"


@pytest.mark.parametrize("addr", ["127.0.0.1", "127.8.9.10", "::1"])
def test_control_plane_answers_loopback_addresses(addr):
    app = create_app(Settings())
    try:
        c = app.test_client()
        r = c.get("/_sim/v1/health", environ_base={"REMOTE_ADDR": addr})
        assert r.status_code == 200, r.get_data(as_text=True)
    finally:
        app.extensions["twilio_sim"].close()


@pytest.mark.parametrize("addr", ["10.1.2.3", "192.168.0.7", "2001:db8::1", "not-an-ip"])
def test_control_plane_refuses_other_clients(addr):
    app = create_app(Settings())
    try:
        c = app.test_client()
        for method, path in [("GET", "/_sim/v1/health"), ("GET", "/_sim/v1/credentials"),
                             ("POST", "/_sim/v1/reset"), ("GET", "/_sim/v1/snapshot")]:
            r = c.open(path, method=method, environ_base={"REMOTE_ADDR": addr})
            assert r.status_code == 403, (method, path, r.status_code)
            body = r.get_json()
            assert body["code"] == 20006
            assert "auth_token" not in r.get_data(as_text=True)
        # the Twilio API itself is not loopback-only
        main = next(a for a in app.extensions["twilio_sim"].store.find(
            "accounts", lambda a: a["sid"] == a["owner_account_sid"]))
        from werkzeug.datastructures import Authorization
        r = c.get(f"/api/2010-04-01/Accounts/{main['sid']}.json",
                  environ_base={"REMOTE_ADDR": addr},
                  headers={"Authorization": Authorization(
                      "basic", {"username": main["sid"], "password": main["auth_token"]}).to_header()})
        assert r.status_code == 200
    finally:
        app.extensions["twilio_sim"].close()


def test_control_plane_public_answers_everyone():
    app = create_app(Settings(control_plane_public=True))
    try:
        r = app.test_client().get("/_sim/v1/credentials", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert r.status_code == 200 and r.get_json()["accounts"]
    finally:
        app.extensions["twilio_sim"].close()


def test_control_public_flag_is_wired_from_the_command_line(monkeypatch):
    """``twilio-sim serve --control-public`` opens the plane (checked in-process: no
    traffic is sent to a non-loopback address)."""
    from simulator import cli

    seen = {}

    def serve_forever(self):  # instead of serving: one request from a remote address
        r = self.app.test_client().get("/_sim/v1/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        seen["public"] = r.status_code

    monkeypatch.setattr(Server, "serve_forever", serve_forever)
    # the collector's policy is for a serving process, not for this one (test_cli checks it)
    monkeypatch.setattr(cli.garbage, "freeze_after_full_collections", lambda: None)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        assert cli.main(["serve", "--port", "0", "--memory", "--control-public"]) == 0
        assert seen == {"public": 200}
        seen.clear()
        assert cli.main(["serve", "--port", "0", "--memory"]) == 0
        assert seen == {"public": 403}
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
