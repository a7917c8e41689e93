"""AvailablePhoneNumbers and IncomingPhoneNumbers through the real twilio SDK.

Expectations are literal facts of the North American Numbering Plan (NANPA/CNAC area code
assignments) and Twilio's documentation, not the simulator's own tables."""
import re

import pytest
from twilio.base.exceptions import TwilioRestException

from simulator import create_app
from simulator.config import Settings
from simulator.domain.messaging_services import new_service
from simulator.domain.numbers import new_incoming_number
from simulator.testing import SimulatorHandle

# NANP: NXX area code (N = 2-9), NXX exchange, four digits; no N11 or N9X area codes
US_NUMBER = re.compile(r"^\+1([2-9][0-8]\d)[2-9]\d{6}$")
US_STATES = {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
             "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
             "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
             "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"}
# NANPA: the area codes of Texas
TEXAS = {"210", "214", "254", "281", "325", "346", "361", "409", "430", "432", "469", "512",
         "682", "713", "726", "737", "806", "817", "830", "832", "903", "915", "936", "940",
         "945", "956", "972", "979"}
# a few well-known area codes and their state
KNOWN = {"212": "NY", "415": "CA", "510": "CA", "312": "IL", "713": "TX", "206": "WA",
         "303": "CO", "404": "GA", "617": "MA", "305": "FL", "202": "DC"}
# CNAC: the Canadian geographic area codes, and the provinces and territories
CANADA = {"204", "226", "236", "249", "250", "257", "263", "289", "306", "343", "354", "365",
          "367", "368", "382", "387", "403", "416", "418", "428", "431", "437", "438", "450",
          "460", "468", "474", "506", "514", "519", "548", "579", "581", "584", "587", "604",
          "613", "639", "647", "672", "683", "705", "709", "742", "753", "778", "780", "782",
          "807", "819", "825", "867", "873", "879", "902", "905"}
PROVINCES = {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
# Twilio docs (toll-free verification): the NANP toll-free prefixes
TOLL_FREE = {"800", "888", "877", "866", "855", "844", "833"}


def national(e164: str) -> str:
    """A US number as Twilio names it: "(808) 925-1571" (the spec's example)."""
    return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


def _codes(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code, e.value.status


# -- AvailablePhoneNumbers ---------------------------------------------------------------
def test_countries_list_and_fetch(client):
    countries = {c.country_code: c for c in client.available_phone_numbers.list()}
    assert set(countries) == {"US", "CA", "GB"}
    gb = client.available_phone_numbers("GB").fetch()
    assert gb.country == "United Kingdom"
    assert gb.subresource_uris["toll_free"].endswith("/AvailablePhoneNumbers/GB/TollFree.json")
    assert _codes(lambda: client.available_phone_numbers("ZZ").fetch()) == (20404, 404)


def test_us_local_numbers_have_real_area_codes(client):
    found = client.available_phone_numbers("US").local.list(limit=30)
    assert len(found) == 30
    for n in found:
        m = US_NUMBER.match(n.phone_number)
        assert m and m.group(1)[1:] != "11", n.phone_number
        assert n.iso_country == "US" and n.capabilities["sms"] is True
        assert n.region in US_STATES
        assert n.region == KNOWN.get(m.group(1), n.region)
        assert n.friendly_name == national(n.phone_number)


def test_area_code_region_and_contains_filters(client):
    by_area = client.available_phone_numbers("US").local.list(area_code=415, limit=10)
    assert by_area and all(n.phone_number.startswith("+1415") and n.region == "CA"
                           for n in by_area)
    in_tx = client.available_phone_numbers("US").local.list(in_region="TX", limit=10)
    assert in_tx and all(n.phone_number[2:5] in TEXAS and n.region == "TX" for n in in_tx)
    word = client.available_phone_numbers("US").local.list(contains="HELLO", limit=5)
    assert word and all("43556" in n.phone_number for n in word)
    wild = client.available_phone_numbers("US").local.list(contains="510555****", limit=5)
    assert wild and all(re.fullmatch(r"\+1510555\d{4}", n.phone_number) for n in wild)
    assert client.available_phone_numbers("US").local.list(area_code=999) == []


def test_toll_free_prefixes_and_ca(client):
    tf = client.available_phone_numbers("US").toll_free.list(limit=40)
    assert tf and all(n.phone_number[2:5] in TOLL_FREE for n in tf)
    assert len({n.phone_number[2:5] for n in tf}) > 1
    only_888 = client.available_phone_numbers("US").toll_free.list(area_code=888, limit=5)
    assert only_888 and all(n.phone_number.startswith("+1888") for n in only_888)
    ca = client.available_phone_numbers("CA").local.list(limit=10)
    assert ca and all(n.phone_number[2:5] in CANADA and n.region in PROVINCES
                      and n.iso_country == "CA" for n in ca)


def test_gb_types_and_capability_filters(client):
    mobile = client.available_phone_numbers("GB").mobile.list(limit=5)
    assert mobile and all(re.fullmatch(r"\+447\d{9}", n.phone_number) for n in mobile)
    assert all(n.capabilities["sms"] for n in mobile)
    local = client.available_phone_numbers("GB").local.list(limit=5)
    assert local and all(n.capabilities["sms"] is False for n in local)
    # GB local numbers cannot send SMS: asking for SMS finds none
    assert client.available_phone_numbers("GB").local.list(sms_enabled=True) == []
    assert client.available_phone_numbers("GB").mobile.list(sms_enabled=True, limit=1)
    freephone = client.available_phone_numbers("GB").toll_free.list(limit=3)
    assert freephone and all(re.fullmatch(r"\+4480[08]\d{7}", n.phone_number) for n in freephone)
    assert client.available_phone_numbers("CA").mobile.list(limit=1)[0].iso_country == "CA"


def test_same_search_same_inventory_and_bought_number_leaves_it(client):
    first = [n.phone_number for n in client.available_phone_numbers("US").local.list(
        area_code=212, limit=5)]
    again = [n.phone_number for n in client.available_phone_numbers("US").local.list(
        area_code=212, limit=5)]
    assert first == again
    client.incoming_phone_numbers.create(phone_number=first[0])
    after = [n.phone_number for n in client.available_phone_numbers("US").local.list(
        area_code=212, limit=5)]
    assert first[0] not in after and after[0] == first[1]


# -- IncomingPhoneNumbers --------------------------------------------------------------------
def test_buy_by_phone_number_fetch_update_release(client):
    wanted = client.available_phone_numbers("US").local.list(area_code=415, limit=1)[0]
    n = client.incoming_phone_numbers.create(phone_number=wanted.phone_number,
                                             sms_url="https://example.com/sms")
    assert n.sid.startswith("PN") and n.phone_number == wanted.phone_number
    assert n.friendly_name == national(wanted.phone_number)
    assert n.capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert n.sms_url == "https://example.com/sms" and n.sms_method == "POST"
    fetched = client.incoming_phone_numbers(n.sid).fetch()
    assert fetched.phone_number == n.phone_number
    updated = client.incoming_phone_numbers(n.sid).update(
        friendly_name="Support", sms_url="https://example.com/in", sms_method="GET",
        voice_url="https://example.com/voice", status_callback="https://example.com/status")
    assert (updated.friendly_name, updated.sms_url, updated.sms_method, updated.voice_url,
            updated.status_callback) == ("Support", "https://example.com/in", "GET",
                                         "https://example.com/voice", "https://example.com/status")
    assert client.incoming_phone_numbers(n.sid).delete() is True
    assert _codes(lambda: client.incoming_phone_numbers(n.sid).fetch()) == (20404, 404)


def test_buy_by_area_code_and_errors(client):
    n = client.incoming_phone_numbers.create(area_code="312")
    assert n.phone_number.startswith("+1312")
    # owned by someone: not available
    assert _codes(lambda: client.incoming_phone_numbers.create(phone_number=n.phone_number)) \
        == (21422, 400)
    assert _codes(lambda: client.incoming_phone_numbers.create(phone_number="+1999")) \
        == (21421, 400)
    assert _codes(lambda: client.incoming_phone_numbers.create(phone_number="+15005551234"))[0] \
        == 21421
    assert _codes(lambda: client.incoming_phone_numbers.create(area_code="999")) == (21451, 400)
    assert _codes(lambda: client.incoming_phone_numbers.create()) == (21421, 400)


def test_invalid_update_is_400_naming_the_url_and_changes_nothing(client):
    n = client.incoming_phone_numbers.create(area_code="617")
    for bad in ("not a url", "https://bad_host.example.com/x"):
        with pytest.raises(TwilioRestException) as e:
            client.incoming_phone_numbers(n.sid).update(friendly_name="new", sms_url=bad)
        assert e.value.status == 400 and "SmsUrl" in e.value.msg
    assert client.incoming_phone_numbers(n.sid).fetch().friendly_name == n.friendly_name


def test_typed_sublists_and_capabilities_by_type(client):
    local = client.incoming_phone_numbers.local.create(
        phone_number=client.available_phone_numbers("US").local.list(limit=1)[0].phone_number)
    tf = client.incoming_phone_numbers.toll_free.create(
        phone_number=client.available_phone_numbers("US").toll_free.list(limit=1)[0].phone_number)
    gb = client.incoming_phone_numbers.mobile.create(
        phone_number=client.available_phone_numbers("GB").mobile.list(limit=1)[0].phone_number)
    assert gb.capabilities["mms"] is False and gb.capabilities["sms"] is True
    local_sids = {x.sid for x in client.incoming_phone_numbers.local.list()}
    tf_sids = {x.sid for x in client.incoming_phone_numbers.toll_free.list()}
    mobile_sids = {x.sid for x in client.incoming_phone_numbers.mobile.list()}
    assert local.sid in local_sids and tf.sid in tf_sids and gb.sid in mobile_sids
    assert tf.sid not in local_sids and local.sid not in tf_sids
    # a local number bought from the toll-free list is refused
    other = client.available_phone_numbers("US").local.list(limit=2)[1].phone_number
    assert _codes(lambda: client.incoming_phone_numbers.toll_free.create(phone_number=other))[0] \
        == 21421
    assert client.incoming_phone_numbers(tf.sid).fetch().type == "tollfree"


def test_list_filters(client):
    a = client.incoming_phone_numbers.create(area_code="206", friendly_name="alpha")
    b = client.incoming_phone_numbers.create(area_code="303")
    assert [x.sid for x in client.incoming_phone_numbers.list(friendly_name="alpha")] == [a.sid]
    assert [x.sid for x in client.incoming_phone_numbers.list(phone_number=b.phone_number)] \
        == [b.sid]
    # PhoneNumber matches any part of the number: "+1303" only numbers of area code 303 hold
    # (a bare "303" may also sit inside a random 206 number)
    assert b.sid in [x.sid for x in client.incoming_phone_numbers.list(phone_number="+1303")]
    assert a.sid not in [x.sid for x in client.incoming_phone_numbers.list(phone_number="+1303")]


def test_move_number_to_subaccount(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="child")
    n = client.incoming_phone_numbers.create(area_code="404")
    moved = client.incoming_phone_numbers(n.sid).update(account_sid=sub.sid)
    assert moved.account_sid == sub.sid
    sub_client = sim.client(sub.sid, sub.auth_token)
    assert [x.sid for x in sub_client.incoming_phone_numbers.list()] == [n.sid]
    assert n.sid not in [x.sid for x in client.incoming_phone_numbers.list()]
    # the subaccount cannot move it to its parent
    assert _codes(lambda: sub_client.incoming_phone_numbers(n.sid).update(
        account_sid=sim.account_sid)) == (20003, 401)
    assert client.api.v2010.accounts(sub.sid).incoming_phone_numbers(n.sid).fetch().account_sid \
        == sub.sid


def test_seeded_numbers(client):
    numbers = client.incoming_phone_numbers.list()
    local = [n for n in numbers if n.type == "local" and n.capabilities["sms"]
             and n.capabilities["voice"]]
    toll_free = [n for n in numbers if n.type == "tollfree"]
    assert local and toll_free
    assert client.messaging.v1.tollfree_verifications.list(
        tollfree_phone_number_sid=toll_free[0].sid) == []


def test_helpers_for_other_products():
    """new_incoming_number() and new_service() work on a Simulator, without a request; what
    they make is then seen through the API like any other number or service."""
    app = create_app(Settings(seed=7))
    s = app.extensions["twilio_sim"]
    try:
        handle = SimulatorHandle(app)
        account = handle.account_sid
        n = new_incoming_number(s, account, sms_url="https://example.com/sms")
        assert US_NUMBER.match(n["phone_number"])
        tf = new_incoming_number(s, account, number_type="toll_free")
        gb = new_incoming_number(s, account, country="GB", number_type="mobile",
                                 friendly_name="uk")
        fixed = new_incoming_number(s, account, phone_number="+14155550123",
                                    voice_url="https://example.com/v")
        svc = new_service(s, account, "Flex", inbound_request_url="https://example.com/in")
        client = handle.client()
        seen = {x.sid: x for x in client.incoming_phone_numbers.list()}
        assert seen[n["sid"]].sms_url == "https://example.com/sms"
        assert seen[tf["sid"]].phone_number[2:5] in TOLL_FREE and seen[tf["sid"]].type == "tollfree"
        assert seen[gb["sid"]].phone_number.startswith("+447") and seen[gb["sid"]].friendly_name == "uk"
        assert (seen[fixed["sid"]].phone_number, seen[fixed["sid"]].voice_url) == (
            "+14155550123", "https://example.com/v")
        assert seen[fixed["sid"]].friendly_name == "(415) 555-0123"
        service = client.messaging.v1.services(svc["sid"]).fetch()
        assert re.fullmatch(r"MG[0-9a-f]{32}", service.sid)
        assert (service.friendly_name, service.inbound_request_url) == (
            "Flex", "https://example.com/in")
    finally:
        s.close()
