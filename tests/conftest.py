"""Fixtures: each behaviour runs over both transports, every response is checked.

``sim`` is a SimulatorHandle over one of two transports: ``inprocess`` (the
SDK's calls go straight into the app, no socket) and ``server`` (a real
waitress server on an ephemeral port, reset before each test). Its SDK client
checks every JSON response against the official OpenAPI specs (tests/contract.py);
a test whose responses break the schema fails.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contract  # noqa: E402
from simulator import create_app  # noqa: E402
from simulator.config import Settings  # noqa: E402
from simulator.server import Server  # noqa: E402
from simulator.testing import SimulatorHandle, SimulatorHttpClient  # noqa: E402

pytest_plugins = ["pytester", "messaging_fixtures", "served", "flex_helpers"]

CHECKED = {"responses": 0}


class CheckedHttpClient(SimulatorHttpClient):
    """Records every response's problems against the official schema."""

    def __init__(self, target):
        super().__init__(target)
        self.problems: list[str] = []

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        resp = super().request(method, url, params, data, headers, auth, timeout, allow_redirects)
        if contract.available():
            CHECKED["responses"] += 1
            self.problems += contract.check(method, url, resp.status_code, resp.text)
        return resp


class CheckedHandle(SimulatorHandle):
    def __init__(self, target):
        super().__init__(target)
        self.http_client = CheckedHttpClient(target)


@pytest.fixture(scope="session")
def live_server():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    yield server
    server.stop()
    app.extensions["twilio_sim"].close()


@pytest.fixture(params=["inprocess", "server"])
def sim(request):
    if request.param == "server":
        server = request.getfixturevalue("live_server")
        handle = CheckedHandle(server.base_url)
        handle.reset()
        handle.real_time()
        app = None
    else:
        app = create_app(Settings())
        handle = CheckedHandle(app)
    yield handle
    if app is not None:
        app.extensions["twilio_sim"].close()
    problems = handle.http_client.problems
    assert not problems, "responses that break the official schema:\n" + "\n".join(problems)


class RawHttp:
    """Plain HTTP to the simulator over the test's transport (for what the SDK
    never sends: wrong methods, unknown paths, malformed input, the control plane)."""

    def __init__(self, target):
        self.target = target

    def __call__(self, method, path, *, auth=None, headers=None, data=None, json=None):
        import requests
        if isinstance(self.target, str):
            r = requests.request(method, self.target + path, auth=auth, headers=headers,
                                 data=data, json=json, timeout=30)
            return r.status_code, r.headers, r.text
        if auth:
            from werkzeug.datastructures import Authorization
            headers = {**(headers or {}), "Authorization": Authorization(
                "basic", {"username": auth[0], "password": auth[1]}).to_header()}
        r = self.target.test_client().open(path, method=method, headers=headers, data=data,
                                           json=json)
        return r.status_code, r.headers, r.get_data(as_text=True)


@pytest.fixture
def http(sim):
    return RawHttp(sim.target)


@pytest.fixture
def client(sim):
    """A twilio.rest.Client of the main account, over the test's transport."""
    return sim.client()


def pytest_terminal_summary(terminalreporter):
    if contract.available():
        terminalreporter.write_line(
            f"contract: {CHECKED['responses']} SDK responses checked against the official "
            f"schemas in {contract.SPECS}")
    else:
        terminalreporter.write_line(f"contract: specs folder {contract.SPECS} is absent; "
                                    "responses were not checked")
