"""rules/messaging.py and rules/numbers.py line by line; webhook signing against the SDK."""
import random

import pytest
from twilio.request_validator import RequestValidator

from simulator.errors import TwilioError
from simulator.rules import messaging as m
from simulator.rules import numbers as n
from simulator.webhooks.signing import signature

US = "+14155550199"
OURS = "+14155550100"


def code(fn):
    with pytest.raises(TwilioError) as e:
        fn()
    return e.value.code


# -- numbers ----------------------------------------------------------------------------------
def test_parse_countries_and_kinds():
    assert n.parse("+1 (415) 555-0199") == n.PhoneNumber(US, "US", "local", "4155550199", "CA")
    assert n.parse("+18005550100").kind == "toll_free"
    assert n.parse("+14165550100").country == "CA" and n.parse("+14165550100").region == "ON"
    assert n.parse("+447700900123").kind == "mobile"
    assert n.parse("+442079460000").kind == "landline"
    assert n.parse("+448001234567").kind == "toll_free"
    assert n.parse("+61412345678").country == "AU"
    for bad in (None, "", "4155550199", "+1415", "+15005550006", "+11234567890",
                "+14151234567"[:-1], "+999123456", "+4412", "abc"):
        assert n.parse(bad) is None, bad
    assert n.parse("+14151234567") is None   # exchange cannot start with 1


def test_sms_reachability():
    assert n.parse(US).sms_reachable and n.parse("+447700900123").sms_reachable
    assert not n.parse("+442079460000").sms_reachable
    assert not n.parse("+448001234567").sms_reachable


def test_purchasable_and_area_codes():
    assert n.check_purchasable(US).e164 == US
    assert code(lambda: n.check_purchasable("+61412345678")) == 21421
    assert code(lambda: n.check_purchasable(US, "toll_free")) == 21421
    assert n.check_purchasable(US, "mobile").e164 == US          # NANP: mobile or local
    assert code(lambda: n.check_purchasable("+18005550100", "mobile")) == 21421
    assert code(lambda: n.check_purchasable("+442079460000", "mobile")) == 21421
    assert n.matches_type(n.parse("+447700900123"), "mobile")
    n.check_area_code("US", "415")
    assert code(lambda: n.check_area_code("US", "999")) == 21451
    assert code(lambda: n.check_area_code("CA", "415")) == 21451
    assert "415" in n.area_codes("US", "ca") and "416" in n.area_codes("CA", "ON")


def test_candidates_are_valid_numbers_of_their_type():
    rnd = random.Random(1)
    for country, kind in [("US", "local"), ("US", "toll_free"), ("CA", "local"),
                          ("GB", "local"), ("GB", "mobile"), ("GB", "toll_free")]:
        for _ in range(50):
            number = n.parse(n.candidate(country, kind, rnd))
            assert number is not None and n.number_type_of(number) == kind
            if kind != "toll_free" or country == "GB":
                assert number.country == country
    assert n.candidate("US", "local", rnd, area_code="999") is None
    assert n.candidate("US", "toll_free", rnd, area_code="415") is None
    assert n.candidate("FR", "local", rnd) is None


def test_contains_patterns():
    p = n.contains_pattern("HELLO")
    assert n.matches_contains("+14154355600", p) and not n.matches_contains(US, p)
    assert n.matches_contains("+15105551234", n.contains_pattern("510555****"))
    assert code(lambda: n.contains_pattern("1")) == 20422
    assert code(lambda: n.contains_pattern("12#")) == 20422
    assert n.with_pattern("+14155550199", "43556") == "+14155543556"
    assert n.with_pattern("+14155550199", "55*0") == "+14155555590"
    assert n.with_pattern("+14155550199", "1" * 11) == "+14155550199"


def test_friendly_names():
    assert n.friendly_name(US) == "(415) 555-0199"
    assert n.friendly_name("+447700900123") == "+447700900123"


# -- sending ----------------------------------------------------------------------------------
def facts(**kw):
    base = dict(to=US, from_=OURS, service_sid=None, body="hi",
                sender=lambda e: m.Sender(OURS, True, True, "local", "US") if e == OURS else None)
    base.update(kw)
    return m.SendFacts(**base)


def test_validate_send_order():
    assert m.validate_send(facts()).e164 == US
    assert code(lambda: m.validate_send(facts(to=None, from_=None, body=None))) == 21604
    assert code(lambda: m.validate_send(facts(from_=None, body=None))) == 21603
    assert code(lambda: m.validate_send(facts(body=None))) == 21602
    assert code(lambda: m.validate_send(facts(from_=None, service_sid="MG1", body=""))) == 21619
    assert m.validate_send(facts(body=None, media_urls=["https://x.com/a.png"]))
    assert code(lambda: m.validate_send(facts(to="+1", from_="bad"))) == 21211
    assert code(lambda: m.validate_send(facts(to=OURS))) == 21211
    assert code(lambda: m.validate_send(facts(from_="bad"))) == 21212
    assert code(lambda: m.validate_send(facts(from_="+12125550111"))) == 21606
    assert code(lambda: m.validate_send(facts(body="x" * 1601, opted_out=lambda t: True))) == 21617
    assert m.validate_send(facts(body="x" * 1600))
    assert code(lambda: m.validate_send(facts(media_urls=["u"] * 11))) == 21623
    assert code(lambda: m.validate_send(facts(opted_out=lambda t: True, to="+5355512345"))) \
        == 21610
    assert code(lambda: m.validate_send(facts(to="+5355512345"))) == 21408
    assert code(lambda: m.validate_send(facts(to="+442079460000", trial=True))) == 21614
    assert code(lambda: m.validate_send(facts(trial=True))) == 21608
    assert m.validate_send(facts(trial=True, verified=lambda t: True))


def test_sms_incapable_sender_and_mms_abroad():
    no_sms = facts(sender=lambda e: m.Sender(OURS, False, False, "local", "GB"))
    assert code(lambda: m.validate_send(no_sms)) == 21606
    sms_only = lambda e: m.Sender(OURS, True, False, "mobile", "GB")  # noqa: E731
    assert code(lambda: m.validate_send(facts(sender=sms_only, to="+447700900123",
                                              media_urls=["https://x.com/a.png"]))) == 21606
    assert m.validate_send(facts(sender=sms_only, media_urls=["https://x.com/a.png"]))


def test_required_checks():
    m.check_required(US, OURS, None, "x")
    assert code(lambda: m.check_required(None, OURS, None, "x")) == 21604


def test_trial_body():
    assert m.trial_body("hi", True) == "Sent from your Twilio trial account - hi"
    assert m.trial_body("hi", False) == "hi" and m.trial_body(None, True) is None


def test_message_magic_numbers():
    ok = "+15005550006"
    m.test_credentials_send(US, ok, None)
    for to, from_, expected in [("+15005550001", "+15005550001", 21211),
                                (US, "+15005550001", 21212), (US, "+15005550007", 21606),
                                (US, "+15005550008", 21611), (US, OURS, 21606),
                                ("+15005550002", ok, 21612), ("+15005550003", ok, 21408),
                                ("+15005550004", ok, 21610), ("+15005550009", ok, 21614),
                                ("+1", ok, 21211)]:
        assert code(lambda: m.test_credentials_send(to, from_, None)) == expected, (to, from_)
    assert code(lambda: m.test_credentials_send(US, None, "MG1")) == 21603


def test_call_magic_numbers():
    ok = "+15005550006"
    m.test_credentials_call(US, ok)
    for to, from_, expected in [(US, None, 21213), (US, "+15005550001", 21212), (US, OURS, 21210),
                                ("+15005550001", ok, 21217), ("+15005550002", ok, 21214),
                                ("+15005550003", ok, 21215), ("+15005550004", ok, 21216)]:
        assert code(lambda: m.test_credentials_call(to, from_)) == expected


def test_toll_free_rule():
    tf = m.Sender("+18445550100", True, True, "toll_free", "US")
    local = m.Sender(OURS, True, True, "local", "US")
    us, ca, gb = n.parse(US), n.parse("+14165550100"), n.parse("+447700900123")
    for status in (None, "PENDING_REVIEW", "IN_REVIEW", "TWILIO_REJECTED"):
        assert m.tollfree_blocked(tf, us, status) and m.tollfree_blocked(tf, ca, status)
        assert not m.tollfree_blocked(tf, gb, status)
    assert not m.tollfree_blocked(tf, us, "TWILIO_APPROVED")
    assert not m.tollfree_blocked(local, us, None) and not m.tollfree_blocked(None, us, None)
    assert m.outcome(True) == ("undelivered", 30032) and m.outcome(False) == ("delivered", None)
    failed = {"status": "failed", "error_code": 30003}
    assert m.outcome(False, failed) == ("failed", 30003)
    assert m.outcome(True, failed) == ("undelivered", 30032)   # the toll-free block wins
    assert m.check_carrier_override("undelivered", None) == 30003
    assert m.check_carrier_override("failed", 30007) == 30007
    assert code(lambda: m.check_carrier_override("delivered", None)) == 20422
    assert code(lambda: m.check_carrier_override("failed", 21211)) == 20422
    assert m.tollfree_restricted([]) and m.tollfree_restricted(["TWILIO_REJECTED"])
    assert not m.tollfree_restricted(["TWILIO_REJECTED", "TWILIO_APPROVED"])


def test_verification_transitions():
    m.check_verification_transition("PENDING_REVIEW", "IN_REVIEW")
    m.check_verification_transition("IN_REVIEW", "TWILIO_REJECTED")
    m.check_verification_transition("TWILIO_REJECTED", "PENDING_REVIEW")
    for current, new in [("TWILIO_APPROVED", "TWILIO_REJECTED"), ("IN_REVIEW", "PENDING_REVIEW"),
                         ("PENDING_REVIEW", "PENDING_REVIEW")]:
        assert code(lambda: m.check_verification_transition(current, new)) == 20422


def test_lifecycle_segments_keywords_urls():
    assert m.lifecycle("queued", "delivered", {}) == [("sending", 1), ("sent", 1),
                                                      ("delivered", 1)]
    assert m.lifecycle("accepted", "undelivered", {"queued": 0, "delivered": 4})[0] == ("queued", 0)
    assert m.lifecycle("accepted", "undelivered", {"delivered": 4})[-1] == ("undelivered", 4)
    assert m.segments("") == 1 and m.segments("a" * 160) == 1 and m.segments("a" * 161) == 2
    assert m.segments("é" * 160) == 1 and m.segments("😀" * 70) == 1 and m.segments("😀" * 71) == 2
    assert m.keyword(" stop ") == "stop" and m.keyword("Unsubscribe") == "stop"
    assert m.keyword("START") == "start" and m.keyword("unstop") == "start"
    assert m.keyword("help") == "help" and m.keyword("stop please") is None
    m.check_url("https://example.com/x?y=1")
    for bad in ("ftp://x.com", "https://bad_host.com/x", "/relative", "https://"):
        assert code(lambda: m.check_url(bad)) == 20422
    assert code(lambda: m.check_url("nope", "StatusCallback", code=21609)) == 21609


# -- signing ----------------------------------------------------------------------------------
def test_signature_matches_twilios_vector_and_validator():
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
              "From": "+12349013030", "To": "+18005551212"}
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert RequestValidator("12345").validate(url, params, signature("12345", url, params))
    assert not RequestValidator("other").validate(url, params, signature("12345", url, params))
    pairs = [("b", "2"), ("a", "1"), ("a", "0")]
    assert signature("t", "https://x.com", pairs) == signature("t", "https://x.com",
                                                               {"a": ["0", "1"], "b": "2"})
