"""Twilio host names route like their path prefix; payloads carry Twilio's URLs."""
import json


def test_host_header_routes_like_the_prefix(http, sim):
    auth = (sim.account_sid, sim.auth_token)
    for host in ("api.twilio.com", "api.sydney.au1.twilio.com", "api.us1.twilio.com"):
        status, _, body = http("GET", "/2010-04-01/Accounts.json", auth=auth, headers={"Host": host})
        assert status == 200, (host, body)
        assert json.loads(body)["uri"].startswith("/2010-04-01/Accounts.json")


def test_other_hosts_are_not_rewritten(http, sim):
    status, _, _ = http("GET", "/2010-04-01/Accounts.json", auth=(sim.account_sid, sim.auth_token),
                        headers={"Host": "api.example.com"})
    assert status == 404


def test_sdk_with_edge_and_region(sim):
    client = sim.client()
    client.edge, client.region = "sydney", "au1"
    assert client.api.v2010.accounts(sim.account_sid).fetch().sid == sim.account_sid
