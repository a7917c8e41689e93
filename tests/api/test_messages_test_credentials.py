"""Test credentials and Twilio's magic numbers (twilio-rules §5), through the real SDK."""
import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from messaging_fixtures import deliveries

OK_FROM = "+15005550006"
US_MOBILE = "+14155550199"


@pytest.fixture
def test_client(sim):
    creds = sim.main["test_credentials"]
    return sim.client(creds["sid"], creds["auth_token"])


def _code(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code, e.value.status


@pytest.mark.parametrize("from_, to, code", [
    ("+15005550001", US_MOBILE, 21212),
    ("+15005550007", US_MOBILE, 21606),
    ("+15005550008", US_MOBILE, 21611),
    ("+14155550100", US_MOBILE, 21606),       # any other From, even a live number of ours
    (OK_FROM, "+15005550001", 21211),
    (OK_FROM, "+15005550002", 21612),
    (OK_FROM, "+15005550003", 21408),
    (OK_FROM, "+15005550004", 21610),
    (OK_FROM, "+15005550009", 21614),
])
def test_message_magic_numbers(test_client, from_, to, code):
    assert _code(lambda: test_client.messages.create(to=to, from_=from_, body="x")) == (code, 400)


def test_message_success_stores_nothing_and_sends_no_callback(sim, client, test_client, frozen,
                                                              receiver):
    m = test_client.messages.create(to=US_MOBILE, from_=OK_FROM, body="magic",
                                    status_callback=receiver.url("/status"))
    assert m.sid.startswith("SM") and m.status == "queued"
    assert m.account_sid == sim.main["test_credentials"]["sid"]
    sim.advance(60)
    assert receiver.at("/status") == [] and deliveries(sim) == []
    assert client.messages.list() == []
    # required parameters are still checked first
    assert _code(lambda: test_client.messages.create(to=US_MOBILE, from_=OK_FROM))[0] == 21602


@pytest.mark.parametrize("from_, to, code", [
    ("+15005550001", US_MOBILE, 21212),
    ("+14155550100", US_MOBILE, 21210),
    (OK_FROM, "+15005550001", 21217),
    (OK_FROM, "+15005550002", 21214),
    (OK_FROM, "+15005550003", 21215),
    (OK_FROM, "+15005550004", 21216),
])
def test_call_magic_numbers(test_client, from_, to, code):
    assert _code(lambda: test_client.calls.create(to=to, from_=from_,
                                                  url="https://example.com/v"))[0] == code


def test_call_success_stores_nothing(client, test_client):
    call = test_client.calls.create(to=US_MOBILE, from_=OK_FROM, url="https://example.com/v")
    assert call.sid.startswith("CA") and call.status == "queued"
    assert client.calls.list() == []


def test_buy_number_magic_numbers(client, test_client):
    assert _code(lambda: test_client.incoming_phone_numbers.create(
        phone_number="+15005550000")) == (21422, 400)
    assert _code(lambda: test_client.incoming_phone_numbers.create(
        phone_number="+15005550001")) == (21421, 400)
    assert _code(lambda: test_client.incoming_phone_numbers.create(area_code="533")) \
        == (21452, 400)
    ok = test_client.incoming_phone_numbers.create(phone_number=OK_FROM)
    assert ok.phone_number == OK_FROM and ok.sid.startswith("PN")
    by_area = test_client.incoming_phone_numbers.create(area_code="500")
    assert by_area.phone_number == OK_FROM
    local = test_client.incoming_phone_numbers.local.create(phone_number=OK_FROM)
    assert local.phone_number == OK_FROM
    assert OK_FROM not in [n.phone_number for n in client.incoming_phone_numbers.list()]


def test_any_other_resource_is_20008(client, test_client):
    local = client.incoming_phone_numbers.list()[0]
    m = client.messages.create(to=US_MOBILE, from_=local.phone_number, body="live")
    for fn in (lambda: test_client.messages(m.sid).fetch(),
               lambda: test_client.incoming_phone_numbers(local.sid).fetch(),
               lambda: test_client.incoming_phone_numbers(local.sid).update(friendly_name="x"),
               lambda: test_client.calls("CA" + "0" * 32).fetch(),
               lambda: test_client.available_phone_numbers("US").fetch(),
               lambda: test_client.messaging.v1.services("MG" + "0" * 32).fetch(),
               lambda: test_client.messaging.v1.tollfree_verifications("HH" + "0" * 32).fetch()):
        assert _code(fn) == (20008, 403)
    with pytest.raises(TwilioException) as e:   # the SDK's list raises on the 403 page
        test_client.messages.list()
    assert "20008" in str(e.value)


@pytest.mark.parametrize("kwargs, code", [
    ({"content_sid": "HX" + "0" * 32}, 21655),                   # no Content template exists here
    ({"content_sid": "HX" + "0" * 32, "content_variables": '{"1": "Ann"}'}, 21655),
    ({"body": "hi", "content_variables": '{"1": "Ann"}'}, 21654),  # variables need a ContentSid
    ({"content_sid": "HX" + "0" * 32, "content_variables": "[1]"}, 21656),
])
def test_content_sid_is_refused_the_same_with_live_and_test_credentials(client, test_client,
                                                                        kwargs, code):
    live = _code(lambda: client.messages.create(to=US_MOBILE, from_="+14155550100", **kwargs))
    test = _code(lambda: test_client.messages.create(to=US_MOBILE, from_=OK_FROM, **kwargs))
    assert live == test == (code, 400)
    assert [m.sid for m in client.messages.list(to=US_MOBILE)] == []   # nothing was sent
