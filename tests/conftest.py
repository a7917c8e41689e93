"""Fixtures: each behaviour runs over both transports; every response is checked.

``sim`` is a SimulatorHandle over one of two transports: ``inprocess`` (the
SDK's calls go straight into the app, no socket) and ``server`` (a real
waitress server on an ephemeral port, reset before each test).

Every response the suite receives from a simulator is checked against the official
OpenAPI specs (tests/contract.py), whatever the client: the SDK, ``requests``, a
Flask test client, a SimulatorHandle, ``mock()``, the pytest plugin. Two hooks see
them all: every simulator app's WSGI entry point (``Flask.__call__`` of an app made by
``create_app``, in-process or served from a thread) and, for simulators in other
processes (``twilio-sim serve``), ``requests`` itself. A test that received a response breaking the
contract fails at teardown.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import flask
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contract  # noqa: E402
from simulator import create_app  # noqa: E402
from simulator.config import Settings  # noqa: E402
from simulator.server import Server  # noqa: E402
from simulator.testing import SimulatorHandle  # noqa: E402

pytest_plugins = ["pytester", "messaging_fixtures", "served", "flex_helpers"]

# -- the contract hooks --------------------------------------------------------------------------
def _content_type(headers) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return None


_flask_call = flask.Flask.__call__
CHECKED_HEADER = "X-Contract-Checked"


def _checked_call(app, environ, start_response):
    """Every response of every simulator app, checked on its way out."""
    if "twilio_sim" not in app.extensions or not contract.available():
        return _flask_call(app, environ, start_response)
    method, host = environ.get("REQUEST_METHOD", "GET"), environ.get("HTTP_HOST")
    path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    seen: dict = {}

    def start(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), headers
        # served from this process: tells the requests hook below it was checked here
        return start_response(status, [*headers, (CHECKED_HEADER, "1")], exc_info)

    result = _flask_call(app, environ, start)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    contract.RECORDER.record(contract.check_exchange(
        method, path, host, query, seen["status"], body.decode("utf-8", "replace"),
        _content_type(seen["headers"])))
    return [body]


_session_send = requests.Session.send


def _checked_send(session, request, **kwargs):
    """Responses of simulators in other processes (``twilio-sim serve``): waitress names
    itself ``twilio-sim``; those served from this process were checked above."""
    response = _session_send(session, request, **kwargs)
    if contract.available() and response.headers.get("Server") == "twilio-sim" \
            and CHECKED_HEADER not in response.headers:
        parts = requests.utils.urlparse(request.url)
        contract.RECORDER.record(contract.check_exchange(
            request.method, parts.path, request.headers.get("Host"), parts.query,
            response.status_code, response.text, response.headers.get("Content-Type")))
    return response


def pytest_configure(config):
    if not contract.available() and os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI=true but the official specs folder {contract.SPECS} is absent: the contract "
            "checks would be off. Set TWILIO_SIM_SPECS to the twilio-oai specs folder.")
    if contract.error_codes() is None and os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI=true but Twilio's error list {contract.ERROR_CODES} is absent: error codes "
            "would go unchecked. Set TWILIO_SIM_ERROR_CODES to twilio-error-codes.json.")
    flask.Flask.__call__ = _checked_call
    requests.Session.send = _checked_send


def pytest_unconfigure(config):
    flask.Flask.__call__ = _flask_call
    requests.Session.send = _session_send


@pytest.fixture(autouse=True)
def _contract():
    """Fails the test if any response it received broke the official contract."""
    mark = contract.RECORDER.mark()
    yield
    problems = contract.RECORDER.since(mark)
    assert not problems, "responses that break the official contract:\n" + "\n".join(
        dict.fromkeys(problems))


def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)
    if output is not None:   # a pytest-xdist worker: its count goes to the controller
        output["contract_checked"] = contract.RECORDER.checked


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, on the controller: a finished worker's count joins the summary's."""
    contract.RECORDER.checked += getattr(node, "workeroutput", {}).get("contract_checked", 0)


def pytest_terminal_summary(terminalreporter):
    if contract.available():
        terminalreporter.write_line(
            f"contract: {contract.RECORDER.checked} responses checked against the official "
            f"specs in {contract.SPECS}")
    else:
        terminalreporter.write_line(f"contract: specs folder {contract.SPECS} is absent; "
                                    "responses were NOT checked (CI=true makes this an error)")


# -- the simulator under test ------------------------------------------------------------------
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
        handle = SimulatorHandle(server.base_url)
        handle.reset()
        handle.real_time()
        app = None
    else:
        app = create_app(Settings())
        handle = SimulatorHandle(app)
    yield handle
    if app is not None:
        app.extensions["twilio_sim"].close()


class RawHttp:
    """Plain HTTP to the simulator over the test's transport (for what the SDK
    never sends: wrong methods, unknown paths, malformed input, the control plane)."""

    def __init__(self, target):
        self.target = target

    def __call__(self, method, path, *, auth=None, headers=None, data=None, json=None):
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
