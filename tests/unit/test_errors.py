"""The error catalogue against Twilio's own error list (../shared/reference)."""
import json

import pytest

import contract
from simulator.errors import CATALOGUE, DOCUMENTED_AFTER_SNAPSHOT, TwilioError


@pytest.mark.skipif(not contract.ERROR_CODES.exists(),
                    reason=f"Twilio's error list {contract.ERROR_CODES} is absent")
def test_every_code_is_one_of_twilios():
    twilio_codes = {e["code"] for e in json.loads(contract.ERROR_CODES.read_text())}
    later = {c for c, url in DOCUMENTED_AFTER_SNAPSHOT.items()
             if url.startswith("https://www.twilio.com/docs/")}  # newer than the 2019 list
    assert set(CATALOGUE) - twilio_codes - later == set()


def test_statuses_are_client_or_server_errors():
    for code, (status, message) in CATALOGUE.items():
        assert 400 <= status <= 599 and message, code


def test_body_shape():
    body = TwilioError(20404, "The requested resource /x was not found").body()
    assert body == {"code": 20404, "message": "The requested resource /x was not found",
                    "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        TwilioError(12345678)
