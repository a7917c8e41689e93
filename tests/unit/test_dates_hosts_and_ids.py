import re

from simulator import dates, hosts
from simulator.sids import Generator


def test_dates():
    assert dates.rfc2822("2015-07-30T20:00:00Z") == "Thu, 30 Jul 2015 20:00:00 +0000"
    assert dates.iso(dates.parse_iso("2015-07-30T20:00:00Z")) == "2015-07-30T20:00:00Z"
    assert dates.rfc2822(None) is None


def test_sids_are_twilios_shape_and_seeded():
    a, b = Generator(1), Generator(1)
    sids = [a.sid("AC") for _ in range(5)]
    assert sids == [b.sid("AC") for _ in range(5)]
    assert all(re.fullmatch(r"AC[0-9a-f]{32}", s) for s in sids)
    assert len(set(sids)) == 5
    assert a.faker.name() == b.faker.name()
    a.reset()
    assert a.sid("AC") == sids[0]


def test_host_labels():
    assert hosts.label_of_host("api.twilio.com") == "api"
    assert hosts.label_of_host("flex-api.sydney.au1.twilio.com") == "flex-api"
    assert hosts.label_of_host("taskrouter.twilio.com:443") == "taskrouter"
    assert hosts.label_of_host("evil.twilio.com.example.org") is None
    assert hosts.label_of_host("unknown.twilio.com") is None
    assert hosts.local_path("https://api.twilio.com/2010-04-01/A.json?x=1") == "/api/2010-04-01/A.json?x=1"
    assert hosts.public_path("/flex-api/v1/Configuration") == "/v1/Configuration"
    assert hosts.public_path("/_sim/v1/health") == "/_sim/v1/health"
