"""Errors always come back in Twilio's shape with Twilio's code: never HTML, never a 500."""
import json

import pytest


def _twilio_error(status, headers, body, code, http_status):
    assert status == http_status
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert set(data) == {"code", "message", "more_info", "status"}
    assert data["code"] == code and data["status"] == http_status
    assert data["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    return data


def test_unknown_path_is_20404(http, sim):
    data = _twilio_error(*http("GET", "/api/2010-04-01/Nope.json", auth=(sim.account_sid, sim.auth_token)),
                         20404, 404)
    assert data["message"] == "The requested resource /2010-04-01/Nope.json was not found"


def test_unknown_product_path_is_20404(http):
    _twilio_error(*http("GET", "/definitely/not/here"), 20404, 404)


def test_wrong_method_is_405_20004(http, sim):
    _twilio_error(*http("DELETE", "/api/2010-04-01/Accounts.json", auth=(sim.account_sid, sim.auth_token)),
                  20004, 405)
    _twilio_error(*http("PUT", f"/api/2010-04-01/Accounts/{sim.account_sid}.json",
                        auth=(sim.account_sid, sim.auth_token)), 20004, 405)


@pytest.mark.parametrize("query", ["PageSize=0", "PageSize=1001", "PageSize=abc", "Page=-1",
                                   "PageToken=garbage", "Status=bogus"])
def test_malformed_list_input_is_400(http, sim, query):
    _twilio_error(*http("GET", f"/api/2010-04-01/Accounts.json?{query}",
                        auth=(sim.account_sid, sim.auth_token)), 20422, 400)


def test_bad_input_changes_nothing(http, sim):
    auth = (sim.account_sid, sim.auth_token)
    before = http("GET", "/_sim/v1/snapshot")[2]
    _twilio_error(*http("POST", "/api/2010-04-01/Accounts.json", auth=auth,
                        data={"FriendlyName": "x" * 200}), 20422, 400)
    assert json.loads(http("GET", "/_sim/v1/snapshot")[2]) == json.loads(before)


def test_malformed_snapshot_is_400_in_twilio_shape(http):
    _twilio_error(*http("PUT", "/_sim/v1/snapshot", data="{not json",
                        headers={"Content-Type": "application/json"}), 20422, 400)
    _twilio_error(*http("PUT", "/_sim/v1/snapshot", json={"format": 1, "tables": [1, 2]}), 20422, 400)


def test_garbage_authorization_header_is_401(http, sim):
    _twilio_error(*http("GET", "/api/2010-04-01/Accounts.json", headers={"Authorization": "Basic %%%"}),
                  20003, 401)
    _twilio_error(*http("GET", "/api/2010-04-01/Accounts.json", headers={"Authorization": "Bearer x"}),
                  20003, 401)
