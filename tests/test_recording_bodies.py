"""A recording keeps every request it sees, whatever its body: JSON too deeply nested,
not JSON at all, or with NaN is answered by its door with a 400 and recorded without a
body, never a 500."""
from __future__ import annotations

import json

import pytest

from simulator import create_app
from simulator.config import Settings
from simulator.testing import SimulatorHandle

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def app():
    app = create_app(Settings())
    yield app
    app.extensions["twilio_sim"].close()


@pytest.mark.parametrize("raw", ["[" * 100_000 + "]" * 100_000, "[" * 40 + "]" * 40,
                                 '{"a": NaN}', '{"a": 1e999}', "{not json"])
def test_a_bad_json_body_during_a_recording_is_a_400_and_recorded(app, raw):
    sim = SimulatorHandle(app)
    client = app.test_client()
    assert client.post("/_sim/v1/recording/start", json={}).status_code == 201
    r = client.post("/console/signup", data=raw, headers=JSON)
    assert r.status_code == 400 and r.get_json()["code"] == 20422, r.get_data(as_text=True)
    running = sim.control("GET", "recording")
    assert running["requests"] == 1
    done = client.post("/_sim/v1/recording/stop", json={})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["requests"] == 1


def test_a_good_json_body_is_recorded_as_sent(app):
    client = app.test_client()
    client.post("/_sim/v1/recording/start", json={})
    body = {"email": "ada@example.com", "password": "lovelace1815", "phone": "+15017122661"}
    assert client.post("/console/signup", data=json.dumps(body), headers=JSON).status_code == 201
    scenario = client.post("/_sim/v1/recording/stop", json={}).get_json()["scenario"]
    assert "ada@example.com" in json.dumps(scenario)
