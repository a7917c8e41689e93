"""The pytest plugin under pytest-xdist: in-process simulators per test, and with
TWILIO_SIM_URL one running simulator per worker, or a clear refusal, never workers
silently resetting each other's state."""
from __future__ import annotations

import os

import pytest

try:
    import xdist
except ImportError:   # in the test extra; see _need_xdist
    xdist = None

from simulator import create_app
from simulator.config import Settings
from simulator.server import Server
from simulator.testing.parallel import SharedSimulator, worker_url

# Each test makes a subaccount, gives another worker time to reset the simulator under it,
# and checks its subaccount is still there and alone.
ISOLATION_TESTS = """
import time
import pytest

@pytest.mark.parametrize("n", range(4))
def test_my_state_is_mine(twilio_sim, twilio_client, n):
    sub = twilio_client.api.v2010.accounts.create(friendly_name=f"mine {n}")
    time.sleep(0.25)
    mine = [a.friendly_name for a in twilio_client.api.v2010.accounts.list()
            if a.friendly_name.startswith("mine ")]
    assert mine == [f"mine {n}"]
    assert twilio_client.api.v2010.accounts(sub.sid).fetch().sid == sub.sid
"""


@pytest.fixture
def servers():
    started = []

    def start(n):
        for _ in range(n):
            app = create_app(Settings())
            started.append((app, Server(app, host="127.0.0.1", port=0).start()))
        return ",".join(server.base_url for _, server in started[-n:])

    yield start
    for app, server in started:
        server.stop()
        app.extensions["twilio_sim"].close()


def _need_xdist():
    """pytest-xdist is in the test extra: missing, these tests fail in CI (else they skip)."""
    if xdist is None:
        message = "pytest-xdist is missing: pip install -e '.[test]'"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_workers_get_their_own_in_process_simulators(pytester, monkeypatch):
    _need_xdist()
    monkeypatch.delenv("TWILIO_SIM_URL", raising=False)
    pytester.makepyfile(ISOLATION_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_one_server_for_many_workers_is_refused_clearly(pytester, monkeypatch, servers):
    _need_xdist()
    monkeypatch.setenv("TWILIO_SIM_URL", servers(1))
    pytester.makepyfile(ISOLATION_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(errors=4)
    result.stdout.fnmatch_lines(["*TWILIO_SIM_URL names 1 simulator(s) but pytest-xdist runs 2 "
                                 "workers*"])


def test_one_server_per_worker_keeps_each_workers_state(pytester, monkeypatch, servers):
    _need_xdist()
    monkeypatch.setenv("TWILIO_SIM_URL", servers(2))
    pytester.makepyfile(ISOLATION_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_which_url_a_worker_uses():
    assert worker_url({}) is None
    assert worker_url({"TWILIO_SIM_URL": "http://a"}) == "http://a"
    assert worker_url({"TWILIO_SIM_URL": "http://a, http://b"}) == "http://a"
    env = {"TWILIO_SIM_URL": "http://a,http://b", "PYTEST_XDIST_WORKER_COUNT": "2"}
    assert worker_url({**env, "PYTEST_XDIST_WORKER": "gw0"}) == "http://a"
    assert worker_url({**env, "PYTEST_XDIST_WORKER": "gw1"}) == "http://b"
    with pytest.raises(SharedSimulator, match="names 2 simulator"):
        worker_url({**env, "PYTEST_XDIST_WORKER": "gw2", "PYTEST_XDIST_WORKER_COUNT": "3"})
    # one worker (-n 1): one server is enough
    assert worker_url({"TWILIO_SIM_URL": "http://a", "PYTEST_XDIST_WORKER": "gw0",
                       "PYTEST_XDIST_WORKER_COUNT": "1"}) == "http://a"
