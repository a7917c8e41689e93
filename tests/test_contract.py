"""The contract checker itself: it must catch what it is there to catch."""
import pytest

import contract

pytestmark = pytest.mark.skipif(not contract.available(),
                                reason=f"official specs folder {contract.SPECS} is absent")

GOOD_KEY = ('{"sid": "SK' + "a" * 32 + '", "friendly_name": "k", '
            '"date_created": "Mon, 13 Jun 2016 22:50:08 +0000", '
            '"date_updated": "Mon, 13 Jun 2016 22:50:08 +0000"}')
URL = "https://api.twilio.com/2010-04-01/Accounts/AC" + "a" * 32 + "/Keys/SK" + "a" * 32 + ".json"


def test_conforming_body_passes():
    assert contract.check("GET", URL, 200, GOOD_KEY) == []


def test_extra_missing_and_mistyped_properties_are_caught():
    assert any("not in the schema" in p for p in
               contract.check("GET", URL, 200, GOOD_KEY[:-1] + ', "secret": "x"}'))
    assert any("missing" in p for p in
               contract.check("GET", URL, 200, '{"sid": "SK' + "a" * 32 + '"}'))
    assert contract.check("GET", URL, 200, GOOD_KEY.replace('"k"', "5"))


def test_bad_sid_pattern_is_caught():
    assert contract.check("GET", URL, 200, GOOD_KEY.replace("SK" + "a" * 32, "SKnothex"))


def test_error_bodies_need_twilio_shape_and_code():
    ok = '{"code": 20404, "message": "m", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}'
    assert contract.check("GET", URL, 404, ok) == []
    assert contract.check("GET", URL, 404, ok.replace("20404", "99999"))
    assert contract.check("GET", URL, 404, '{"error": "nope"}')


def test_unknown_operation_is_reported():
    assert contract.check("GET", "https://api.twilio.com/2010-04-01/Nope.json", 200, "{}")
