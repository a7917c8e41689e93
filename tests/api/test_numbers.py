"""AvailablePhoneNumbers and IncomingPhoneNumbers through the real twilio SDK."""
import re

import pytest
from twilio.base.exceptions import TwilioRestException

from simulator import create_app
from simulator.config import Settings
from simulator.domain.messaging_services import new_service
from simulator.domain.numbers import new_incoming_number
from simulator.rules import numbers as nrules


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
        assert re.fullmatch(r"\+1[2-9]\d{2}[2-9]\d{6}", n.phone_number)
        assert n.phone_number[2:5] in nrules.US_AREA_CODES
        assert n.iso_country == "US" and n.capabilities["sms"] is True
        assert n.region == nrules.US_AREA_CODES[n.phone_number[2:5]]


def test_area_code_region_and_contains_filters(client):
    by_area = client.available_phone_numbers("US").local.list(area_code=415, limit=10)
    assert by_area and all(n.phone_number.startswith("+1415") for n in by_area)
    in_tx = client.available_phone_numbers("US").local.list(in_region="TX", limit=10)
    assert in_tx and all(nrules.US_AREA_CODES[n.phone_number[2:5]] == "TX" for n in in_tx)
    word = client.available_phone_numbers("US").local.list(contains="HELLO", limit=5)
    assert word and all("43556" in n.phone_number for n in word)
    wild = client.available_phone_numbers("US").local.list(contains="510555****", limit=5)
    assert wild and all(re.fullmatch(r"\+1510555\d{4}", n.phone_number) for n in wild)
    assert client.available_phone_numbers("US").local.list(area_code=999) == []


def test_toll_free_prefixes_and_ca(client):
    tf = client.available_phone_numbers("US").toll_free.list(limit=40)
    assert tf and all(n.phone_number[2:5] in nrules.TOLL_FREE_PREFIXES for n in tf)
    assert {n.phone_number[2:5] for n in tf} > {"800"} or len({n.phone_number[2:5] for n in tf}) > 1
    only_888 = client.available_phone_numbers("US").toll_free.list(area_code=888, limit=5)
    assert only_888 and all(n.phone_number.startswith("+1888") for n in only_888)
    ca = client.available_phone_numbers("CA").local.list(limit=10)
    assert ca and all(n.phone_number[2:5] in nrules.CA_AREA_CODES for n in ca)


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
    assert n.friendly_name == nrules.friendly_name(wanted.phone_number)
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


def test_invalid_update_is_400_and_changes_nothing(client):
    n = client.incoming_phone_numbers.create(area_code="617")
    with pytest.raises(TwilioRestException) as e:
        client.incoming_phone_numbers(n.sid).update(friendly_name="new", sms_url="not a url")
    assert e.value.status == 400
    with pytest.raises(TwilioRestException):
        client.incoming_phone_numbers(n.sid).update(friendly_name="new",
                                                    sms_url="https://bad_host.example.com/x")
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
    assert b.sid in [x.sid for x in client.incoming_phone_numbers.list(phone_number="303")]
    assert a.sid not in [x.sid for x in client.incoming_phone_numbers.list(phone_number="303")]


def test_move_number_to_subaccount(sim, client):
    sub = client.api.v2010.accounts.create(friendly_name="child")
    n = client.incoming_phone_numbers.create(area_code="404")
    moved = client.incoming_phone_numbers(n.sid).update(account_sid=sub.sid)
    assert moved.account_sid == sub.sid
    sub_client = sim.client(sub.sid, sub.auth_token)
    assert [x.sid for x in sub_client.incoming_phone_numbers.list()] == [n.sid]
    assert n.sid not in [x.sid for x in client.incoming_phone_numbers.list()]
    # the subaccount cannot move it to its parent
    with pytest.raises(TwilioRestException) as e:
        sub_client.incoming_phone_numbers(n.sid).update(account_sid=sim.account_sid)
    assert e.value.status == 401


def test_seeded_numbers(client):
    numbers = client.incoming_phone_numbers.list()
    local = [n for n in numbers if n.type == "local" and n.capabilities["sms"]
             and n.capabilities["voice"]]
    toll_free = [n for n in numbers if n.type == "tollfree"]
    assert local and toll_free
    assert client.messaging.v1.tollfree_verifications.list(
        tollfree_phone_number_sid=toll_free[0].sid) == []


def test_helpers_for_other_products():
    """new_incoming_number() and new_service() work on a Simulator, without a request."""
    app = create_app(Settings(seed=7))
    s = app.extensions["twilio_sim"]
    try:
        account = s.store.find("accounts", lambda a: True)[0]["sid"]
        n = new_incoming_number(s, account, sms_url="https://example.com/sms")
        assert nrules.parse(n["phone_number"]).country == "US"
        assert n["sms_url"] == "https://example.com/sms"
        tf = new_incoming_number(s, account, number_type="toll_free")
        assert tf["phone_number"][2:5] in nrules.TOLL_FREE_PREFIXES
        gb = new_incoming_number(s, account, country="GB", number_type="mobile",
                                 friendly_name="uk")
        assert gb["phone_number"].startswith("+447") and gb["friendly_name"] == "uk"
        fixed = new_incoming_number(s, account, phone_number="+14155550123",
                                    voice_url="https://example.com/v")
        assert s.store.get("incoming_phone_numbers", fixed["sid"]) == fixed
        svc = new_service(s, account, "Flex", inbound_request_url="https://example.com/in")
        assert svc["sid"].startswith("MG") and len(svc["sid"]) == 34
        assert s.store.get("messaging_services", svc["sid"])["inbound_request_url"] \
            == "https://example.com/in"
    finally:
        s.close()
