"""The control plane under /_sim/v1/: health, reset, snapshot, credentials, journal, clock."""
import json
from datetime import datetime, timezone

from twilio.rest import Client


def _json(http, method, path, **kw):
    status, _, body = http(method, path, **kw)
    assert status == 200, body
    return json.loads(body)


def test_health(http):
    health = _json(http, "GET", "/_sim/v1/health")
    assert health["status"] == "ok" and "now" in health["clock"]


def test_reset_returns_to_the_fixtures(sim, client):
    before = {a["sid"] for a in sim.credentials()["accounts"]}
    sub = client.api.v2010.accounts.create(friendly_name="temporary")
    sim.reset()
    after = {a["sid"] for a in sim.credentials()["accounts"]}
    assert sub.sid not in after
    assert sim.account_sid in after and len(after) == len(before)


def test_snapshot_and_restore(sim, client):
    snap = sim.snapshot()
    kept = client.api.v2010.accounts.create(friendly_name="kept")
    snap_with = sim.snapshot()
    client.api.v2010.accounts.create(friendly_name="dropped")
    sim.restore(snap_with)
    names = {a.friendly_name for a in client.api.v2010.accounts.list()}
    assert "kept" in names and "dropped" not in names
    sim.restore(snap)
    assert kept.sid not in {a.sid for a in client.api.v2010.accounts.list()}


def test_snapshot_restores_into_another_simulator(sim, client):
    from simulator import create_app
    from simulator.testing import SimulatorHandle
    sub = client.api.v2010.accounts.create(friendly_name="travels")
    other = SimulatorHandle(create_app())
    other.restore(sim.snapshot())
    assert other.client(sim.account_sid, sim.auth_token).api.v2010.accounts(sub.sid).fetch().friendly_name == "travels"


def test_credentials_list_accounts_test_credentials_and_keys(sim):
    main = sim.main
    assert main["sid"].startswith("AC") and len(main["auth_token"]) == 32
    assert main["test_credentials"]["sid"] != main["sid"]
    assert main["keys"] and main["keys"][0]["sid"].startswith("SK")
    subs = [a for a in sim.credentials()["accounts"] if a["owner_account_sid"] == main["sid"]
            and a["sid"] != main["sid"]]
    assert subs, "the default fixtures have a subaccount"


def test_journal_records_requests_and_responses(sim, client):
    client.api.v2010.accounts.create(friendly_name="journaled")
    entry = sim.journal(limit=1)[-1]
    assert entry["method"] == "POST"
    assert entry["public_path"] == "/2010-04-01/Accounts.json"
    assert entry["status"] == 201
    assert entry["params"] == {"FriendlyName": ["journaled"]}
    assert entry["body"]["friendly_name"] == "journaled"


def test_clock_freeze_advance_and_real(sim, client):
    sim.freeze("2030-01-02T03:04:05Z")
    a = client.api.v2010.accounts.create()
    assert a.date_created.isoformat() == "2030-01-02T03:04:05+00:00"
    assert a.friendly_name == "SubAccount Created at 2030-01-02 03:04 am"
    sim.advance(3600)
    b = client.api.v2010.accounts.create()
    assert b.date_created.isoformat() == "2030-01-02T04:04:05+00:00"
    state = sim.real_time()
    now = datetime.now(timezone.utc)
    assert state["mode"] == "real"
    assert abs((datetime.fromisoformat(state["now"].replace("Z", "+00:00")) - now).total_seconds()) < 60


def test_clock_rejects_bad_input(http):
    before = _json(http, "GET", "/_sim/v1/health")["clock"]
    for path, body in [("advance", {"seconds": "soon"}), ("advance", {"seconds": -5}),
                       ("freeze", {"at": "yesterday"})]:
        status, _, text = http("POST", f"/_sim/v1/clock/{path}", json=body)
        assert status == 400 and json.loads(text)["code"] == 20422, (path, body, text)
    assert _json(http, "GET", "/_sim/v1/health")["clock"]["mode"] == before["mode"]


def test_update_moves_date_updated_only(sim, client):
    sim.freeze("2031-05-05T00:00:00Z")
    sub = client.api.v2010.accounts.create(friendly_name="a")
    sim.advance(60)
    updated = client.api.v2010.accounts(sub.sid).update(friendly_name="b")
    assert updated.date_created == sub.date_created
    assert (updated.date_updated - sub.date_updated).total_seconds() == 60


def test_seeded_runs_repeat():
    from simulator import create_app
    from simulator.config import Settings
    from simulator.testing import SimulatorHandle

    def fingerprint():
        handle = SimulatorHandle(create_app(Settings(seed=42)))
        accounts = handle.credentials()["accounts"]
        return sorted((a["sid"], a["auth_token"], a["friendly_name"]) for a in accounts)

    first, second = fingerprint(), fingerprint()
    assert first == second
    other = sorted((a["sid"], a["friendly_name"]) for a in
                   SimulatorHandle(create_app(Settings(seed=43))).credentials()["accounts"])
    assert [x[:1] + x[2:] for x in first] != other


def test_custom_fixtures_file(tmp_path):
    from simulator import create_app
    from simulator.config import Settings
    from simulator.testing import SimulatorHandle
    fixtures = tmp_path / "f.json"
    fixtures.write_text(json.dumps({"accounts": [{
        "sid": "AC" + "b" * 32, "auth_token": "c" * 32, "friendly_name": "Custom",
        "subaccounts": [{"friendly_name": "Child"}, {}]}]}))
    handle = SimulatorHandle(create_app(Settings(fixtures=str(fixtures))))
    client = Client("AC" + "b" * 32, "c" * 32, http_client=handle.http_client)
    names = [a.friendly_name for a in client.api.v2010.accounts.list()]
    assert names[:2] == ["Custom", "Child"] and len(names) == 3
