"""Record -> replay: a run of the official twilio SDK against a served simulator, recorded
(control plane + ``twilio-sim record``), written as a scenario file, replays green against a
fresh in-process simulator and against the server again."""
from pathlib import Path

import pytest
import requests
import yaml
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from simulator import create_app
from simulator.cli import main
from simulator.config import Settings
from simulator.scenarios.loader import load_file, load_text
from simulator.scenarios.recorder import dump_yaml, to_scenario
from simulator.scenarios.reporter import describe
from simulator.scenarios.runner import Runner
from simulator.server import Server
from simulator.testing import SimulatorHandle

HANDSET = "+14155550199"


@pytest.fixture
def served():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    yield SimulatorHandle(server.base_url)
    server.stop()
    app.extensions["twilio_sim"].close()


def _journey(sim: SimulatorHandle):
    """What an app does through the SDK (and a test through the control plane)."""
    client = sim.client()
    sub = client.api.v2010.accounts.create(friendly_name="Tenant 1")
    key = client.new_keys.create(friendly_name="CI")
    by_key = Client(key.sid, key.secret, sim.account_sid, http_client=sim.http_client)
    assert by_key.messages.list() == []

    tenant = sim.client(sub.sid, sub.auth_token)
    number = tenant.available_phone_numbers("US").local.list(area_code="415", limit=1)[0]
    tenant.incoming_phone_numbers.create(phone_number=number.phone_number,
                                         friendly_name="Support line")
    m = tenant.messages.create(from_=number.phone_number, to=HANDSET, body="Your code is 1234",
                               status_callback="https://app.example.test/status")
    sim.advance(5)
    assert tenant.messages(m.sid).fetch().status == "delivered"
    with pytest.raises(TwilioRestException) as e:
        tenant.messages.create(from_=number.phone_number, to="+1", body="x")
    assert e.value.code == 21211

    sim.control("POST", "messages/inbound", json={"From": HANDSET, "To": number.phone_number,
                                                  "Body": "STOP"})
    with pytest.raises(TwilioRestException) as e:
        tenant.messages.create(from_=number.phone_number, to=HANDSET, body="again")
    assert e.value.code == 21610

    sim.control("POST", "faults", json={"method": "GET", "path": "/2010-04-01/Accounts/*.json",
                                        "status": 429, "count": 1})
    with pytest.raises(TwilioRestException) as e:
        tenant.api.v2010.accounts(sub.sid).fetch()
    assert e.value.code == 20429
    assert tenant.api.v2010.accounts(sub.sid).fetch().friendly_name == "Tenant 1"

    # the Console (plain HTTP to the served simulator): the code "sent" by SMS is read from
    # the control plane, then used
    http, base = requests.Session(), sim.target

    def console(method, path, json, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = http.request(method, f"{base}{path}", json=json, headers=headers, timeout=30)
        return r.json()

    console("POST", "/console/signup", {"email": "ada@example.com", "password": "lovelace1815",
                                        "phone": "+15017122661"})
    code = sim.control("GET", "flex/verifications?email=ada@example.com")["verifications"][0]
    me = console("POST", "/console/signup/verify", {"email": "ada@example.com",
                                                    "code": code["code"]})
    assert me["accounts"][0]["type"] == "Trial"
    session = console("POST", "/console/login", {"email": "ada@example.com",
                                                 "password": "lovelace1815"})["session_token"]
    assert console("GET", "/console/me", None, token=session)["email"] == "ada@example.com"


def test_an_sdk_run_recorded_with_the_cli_replays(served, tmp_path, capsys):
    served.freeze()
    started = served.control("POST", "recording/start", json={"reset": True, "name": "SDK run"})
    assert started["recording"] is True
    _journey(served)
    running = served.control("GET", "recording")
    assert running["recording"] is True and running["requests"] > 15

    out = tmp_path / "recorded.yaml"
    assert main(["record", "--url", served.target, "--out", str(out), "--stop"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert served.control("GET", "recording") == {"recording": False}

    text = out.read_text()
    doc = yaml.safe_load(text)
    assert doc["name"] == "SDK run"
    # values the simulator made are captured and reused, never written down
    assert "{{ account_sid }}" in text and "{{ auth_token }}" in text
    assert "{{ main.sid }}" in text and "{{ key_sid }}" in text and "{{ secret }}" in text
    assert "{{ message_sid }}" in text and "{{ session_token }}" in text
    assert "{{ code }}" in text
    steps = doc["steps"]
    assert {"advance": 5} in steps
    assert any("inbound_sms" in s for s in steps) and any("fault" in s for s in steps)
    assert {"status": 400, "code": 21211} in [s.get("expect") for s in steps]
    assert {"status": 429, "code": 20429} in [s.get("expect") for s in steps]

    scenarios, problems = load_file(out)
    assert problems == [] and len(scenarios) == 1
    with Runner() as runner:                      # a fresh in-process simulator
        result = runner.run(scenarios[0])
    assert result.passed, describe(result)
    assert result.steps == len(steps)
    with Runner(url=served.target) as runner:     # the server, reset
        result = runner.run(scenarios[0])
    assert result.passed, describe(result)
    assert main(["replay", str(out)]) == 0


def test_recording_in_process_and_converted_directly():
    app = create_app(Settings(freeze_clock=True))
    sim = SimulatorHandle(app)
    sim.control("POST", "recording/start", json={})
    client = sim.client()
    svc = client.messaging.v1.services.create(friendly_name="Alerts")
    client.messaging.v1.services(svc.sid).update(friendly_name="Alerts 2")
    done = sim.control("POST", "recording/stop", json={})
    doc = done["scenario"]
    assert [s["request"]["method"] for s in doc["steps"]] == ["POST", "POST"]
    assert doc["steps"][0]["capture"] == {"service_sid": "sid"}
    assert doc["steps"][1]["request"]["path"] == "messaging/v1/Services/{{ service_sid }}"
    assert doc["steps"][1]["expect"]["json"] == {"friendly_name": "Alerts 2"}
    scenarios, problems = load_text(dump_yaml(doc), Path("recorded.yaml"))
    assert problems == [], problems
    with Runner() as runner:
        assert runner.run(scenarios[0]).passed
    app.extensions["twilio_sim"].close()


def test_stopping_without_a_recording_is_refused(served):
    r = requests.post(served.target + "/_sim/v1/recording/stop", json={}, timeout=10)
    assert r.status_code == 400 and r.json()["code"] == 20422


def test_time_between_requests_becomes_advance_steps():
    entries = [
        {"time": "2030-01-01T00:00:00Z", "method": "GET", "path": "/api/2010-04-01/Accounts.json",
         "query": {}, "form": {}, "json": None, "auth": None, "status": 401, "body": None},
        {"time": "2030-01-01T00:00:30Z", "method": "POST", "path": "/_sim/v1/clock/advance",
         "query": {}, "form": {}, "json": {"seconds": 20}, "auth": None, "status": 200,
         "body": {}},
        {"time": "2030-01-01T00:00:31Z", "method": "GET", "path": "/flex/me",
         "query": {}, "form": {}, "json": None, "auth": None, "status": 401, "body": None},
    ]
    doc = to_scenario({"entries": entries, "credentials": []}, "t")
    assert [next(iter(s)) for s in doc["steps"]] == ["request", "advance", "advance", "advance",
                                                     "request"]
    assert [s["advance"] for s in doc["steps"] if "advance" in s] == [10, 20, 1]
    assert doc["steps"][0]["request"]["as"] == "anonymous"
    assert "as" not in doc["steps"][-1]["request"]


def test_customer_actions_become_their_steps():
    def post(path, body):
        return {"time": "2030-01-01T00:00:00Z", "method": "POST", "path": path, "query": {},
                "form": {}, "json": body, "auth": None, "status": 201, "body": {"ok": True}}

    doc = to_scenario({"credentials": [], "entries": [
        post("/_sim/v1/calls/inbound", {"From": "+14155550123", "To": "+14155550150"}),
        post("/_sim/v1/calls/CA" + "1" * 32 + "/hangup", {}),
        post("/_sim/v1/webchat/CH" + "2" * 32 + "/messages", {"Body": "hi"}),
        post("/_sim/v1/tollfree-verifications/HH" + "3" * 32 + "/approve", {}),
        post("/_sim/v1/tollfree-verifications/HH" + "3" * 32 + "/reject", {"reason": "x"}),
        post("/_sim/v1/caller-ids", {"PhoneNumber": "+14155550123"}),
        post("/_sim/v1/faults", {"status": 500}),
        {**post("/_sim/v1/faults", None), "method": "DELETE", "status": 200},
        {**post("/_sim/v1/journal", None), "method": "GET", "status": 200},
    ]})
    assert [next(iter(s)) for s in doc["steps"]] == [
        "inbound_call", "hang_up", "webchat_message", "approve_tollfree", "reject_tollfree",
        "verify_caller_id", "fault", "clear_faults"]
    assert doc["steps"][2]["webchat_message"] == {"conversation": "CH" + "2" * 32, "Body": "hi"}
    assert doc["steps"][6]["expect"] == {"status": 201}
