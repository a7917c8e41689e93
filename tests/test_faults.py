"""Faults (/_sim/v1/faults) as the official twilio SDK sees them, over both transports:
TwilioRestException with Twilio's code and status, Retry-After, a dropped connection, added
latency, limits by count and by a seeded probability, webhooks failing or timing out."""
import time

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

MESSAGES = "/2010-04-01/Accounts/*/Messages.json"
SMS = dict(from_="+14155550100", to="+14155550199", body="Hello")


def _fault(sim, **fault):
    return sim.control("POST", "faults", json=fault)


def _error(call) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as e:
        call()
    return e.value


def test_a_429_is_the_sdks_too_many_requests(sim, client, http):
    fault = _fault(sim, method="POST", path=MESSAGES, status=429, code=20429, count=1)
    assert (fault["id"], fault["fired"], fault["count"]) == (1, 0, 1)
    e = _error(lambda: client.messages.create(**SMS))
    assert (type(e).__name__, e.code, e.status) == ("TwilioRestException", 20429, 429)
    assert e.msg == "Unable to create record: Too Many Requests"
    assert client.messages.create(**SMS).status == "queued"   # count 1: spent
    # the header a client backs off with
    _fault(sim, method="POST", path=MESSAGES, status=429, retry_after=7, count=1)
    status, headers, body = http("POST", f"/api/2010-04-01/Accounts/{sim.account_sid}/Messages.json",
                                 auth=(sim.account_sid, sim.auth_token), data={"To": "+1"})
    assert (status, headers["Retry-After"]) == (429, "7")
    listed = sim.control("GET", "faults")["faults"]
    assert [(f["id"], f["matched"], f["fired"]) for f in listed] == [(1, 1, 1), (2, 1, 1)]


@pytest.mark.parametrize("status,code", [(500, 20500), (503, 20503)])
def test_server_errors(sim, client, status, code):
    _fault(sim, product="api", status=status)
    e = _error(lambda: client.api.v2010.accounts(sim.account_sid).fetch())
    assert (e.code, e.status) == (code, status)
    # other products are not matched
    assert client.messaging.v1.services.list() == []


def test_match_by_method_path_and_account(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="Tenant")
    _fault(sim, method="POST", path=MESSAGES, account_sid=sub.sid, status=503)
    assert client.messages.create(**SMS).status == "queued"            # the main account
    sub_client = sim.client(sub.sid, sub.auth_token)
    e = _error(lambda: sub_client.messages.create(**SMS))
    assert (e.code, e.status) == (20503, 503)
    e = _error(lambda: client.api.v2010.accounts(sub.sid).messages.create(**SMS))
    assert e.code == 20503                                              # by path too
    sub_client.api.v2010.accounts(sub.sid).fetch()                      # other paths: fine
    # a list answered with an error: the SDK's paging raises TwilioException
    _fault(sim, method="GET", path="/2010-04-01/Accounts/*/Calls.json", status=500)
    with pytest.raises(TwilioException, match="Unable to fetch page"):
        client.calls.list()


def test_a_dropped_connection(sim, client):
    _fault(sim, path="/2010-04-01/Accounts/*/Calls.json", drop=True, count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.calls.create(to="+14155550199", from_="+14155550100", url="https://example.com/v")
    assert client.calls.list() == []                                    # nothing was made
    assert client.calls.create(to="+14155550199", from_="+14155550100",
                               url="https://example.com/v").status == "queued"


def test_latency(sim, client):
    fault = _fault(sim, method="GET", product="api", latency=0.3, count=1)
    started = time.perf_counter()
    client.api.v2010.accounts(sim.account_sid).fetch()
    assert time.perf_counter() - started >= 0.3   # a lower bound holds on any machine
    client.api.v2010.accounts(sim.account_sid).fetch()
    [spent] = [f for f in sim.control("GET", "faults")["faults"] if f["id"] == fault["id"]]
    assert spent["fired"] == 1   # the second fetch was not delayed: count=1 was used up


def test_a_seeded_probability_repeats(sim, client):
    def pattern():
        sim.reset()
        _fault(sim, method="GET", product="api", status=500, probability=0.5, seed=42)
        out = []
        for _ in range(16):
            try:
                client.api.v2010.accounts(sim.account_sid).fetch()
                out.append(0)
            except TwilioRestException as e:
                assert e.code == 20500
                out.append(1)
        return out

    first = pattern()
    assert first == pattern()
    assert 0 < sum(first) < 16


def test_faults_reset_with_the_simulator_and_can_be_cleared(sim, client):
    _fault(sim, product="api", status=500)
    sim.reset()
    assert sim.control("GET", "faults") == {"faults": []}
    client.api.v2010.accounts(sim.account_sid).fetch()
    one = _fault(sim, product="api", status=500)
    _fault(sim, product="messaging", status=500)
    sim.control("DELETE", f"faults/{one['id']}", json={})
    client.api.v2010.accounts(sim.account_sid).fetch()
    assert sim.control("DELETE", "faults", json={}) == {"removed": 1}
    client.messaging.v1.services.list()


def test_the_control_plane_is_never_faulted(sim):
    _fault(sim, status=500)    # every request
    assert sim.control("GET", "health")["status"] == "ok"


@pytest.mark.parametrize("fault,message", [
    ({"status": 429, "colour": "red"}, "Unknown fault field(s): colour"),
    ({"path": "/x"}, "needs an effect"),
    ({"status": 200}, "error status"),
    ({"status": 429, "count": 0}, "at least 1"),
    ({"status": 429, "probability": 2}, "between 0 and 1"),
    ({"target": "webhook", "path": "/x", "status": 500}, "request fault's field"),
    ({"timeout": True}, "webhook fault's field"),
])
def test_bad_faults_are_refused(sim, http, fault, message):
    status, _, body = http("POST", "/_sim/v1/faults", json=fault)
    assert status == 400 and '"code":20422' in body.replace(" ", "") and message in body


def test_webhooks_can_fail_or_time_out(sim, client, frozen):
    _fault(sim, target="webhook", url="https://app.example.test/status", status=500, count=1)
    _fault(sim, target="webhook", url="https://app.example.test/*", timeout=True)
    m = client.messages.create(**SMS, status_callback="https://app.example.test/status")
    sim.advance(5)
    deliveries = sim.control("GET", f"webhooks/deliveries?resource_sid={m.sid}")["deliveries"]
    assert [(d["response_status"], (d["error"] or "")[:11]) for d in deliveries] == [
        (500, ""), (None, "ReadTimeout"), (None, "ReadTimeout")]
    alerts = client.monitor.v1.alerts.list()
    assert [a.error_code for a in alerts if a.resource_sid == m.sid] == ["11200"] * 3
    assert client.messages(m.sid).fetch().status == "delivered"   # Twilio carries on
