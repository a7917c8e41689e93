"""rules/conversations.py: Conversations' decisions, line by line."""
import pytest

from simulator.errors import TwilioError
from simulator.rules import conversations as r


def code(fn):
    with pytest.raises(TwilioError) as err:
        fn()
    return err.value.code


def test_attributes_and_states():
    assert r.check_attributes(None) == "{}" and r.check_attributes('{"a": 1}') == '{"a": 1}'
    assert code(lambda: r.check_attributes("{nope")) == 50304
    assert r.check_initial_state(None) == "active"
    assert r.check_initial_state("inactive") == "inactive"
    assert code(lambda: r.check_initial_state("closed")) == 50384
    assert code(lambda: r.check_open({"sid": "CH1", "state": "closed"})) == 50377
    r.check_open({"sid": "CH1", "state": "inactive"})


def test_timers():
    assert r.duration_seconds("PT5M") == 300 and r.duration_seconds("P1DT2H") == 93600
    assert r.duration_seconds("PT90S") == 90
    for bad in ("", "P", "PT", "5M", "PT5X", "P1DT"):
        assert r.duration_seconds(bad) is None, bad
    assert r.timers("PT1M", "PT10M") == {"inactive": 60, "closed": 600}
    assert r.timers(None, None) == {}
    assert code(lambda: r.timers("PT59S", None)) == 50375
    assert code(lambda: r.timers(None, "PT9M")) == 50376
    assert code(lambda: r.timers("soon", None)) == 50379
    assert code(lambda: r.timers(None, "later")) == 50380


def test_sms_bindings():
    r.check_sms_binding("+14155550123", "+14155550100", address_ok=True, proxy_owned=True)
    assert code(lambda: r.check_sms_binding("x", "+14155550100", address_ok=False,
                                            proxy_owned=True)) == 50407
    assert code(lambda: r.check_sms_binding("+14155550123", None, address_ok=True,
                                            proxy_owned=False)) == 50412
    assert code(lambda: r.check_sms_binding("+14155550123", "+14155550199", address_ok=True,
                                            proxy_owned=False)) == 50413
    assert code(lambda: r.check_sms_binding("+14155550100", "+14155550100", address_ok=True,
                                            proxy_owned=True)) == 50409


def test_triggers_receipts_and_delivery():
    assert r.trigger_matches("I want a REFUND now", ["refund"])
    assert not r.trigger_matches("refunded", ["refund"]) and not r.trigger_matches(None, ["a"])
    assert [r.receipt_status(s) for s in ("queued", "sent", "delivered", "undelivered",
                                          "failed", None)] == \
        ["sent", "sent", "delivered", "undelivered", "failed", "failed"]
    assert r.delivery_summary([]) is None
    assert r.delivery_summary(["delivered", "sent"]) == {
        "total": 2, "sent": "all", "delivered": "some", "read": "none",
        "undelivered": "none", "failed": "none"}
    assert r.delivery_summary(["failed"])["sent"] == "none"
