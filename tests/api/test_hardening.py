"""Bad input found by fuzzing gets a clear 4xx with a catalogue code, never a 500, and
changes nothing: paging values out of range, bytes that are not UTF-8, OPTIONS, numbers
and nesting JSON cannot hold, over-long Console fields; and buying a number is atomic."""
from __future__ import annotations

import io
import json
import threading

import pytest

from simulator import create_app
from simulator.config import Settings
from simulator.domain import numbers as domain_numbers
from simulator.errors import TwilioError


def _error(result, code: int, status: int = 400) -> dict:
    got_status, headers, body = result
    assert got_status == status, body
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["code"] == code and data["status"] == status, data
    assert data["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    return data


def _accounts(http, sim) -> list[str]:
    status, _, body = http("GET", "/api/2010-04-01/Accounts.json?PageSize=1000",
                           auth=(sim.account_sid, sim.auth_token))
    assert status == 200
    return [a["sid"] for a in json.loads(body)["accounts"]]


# -- paging -------------------------------------------------------------------------------------
LISTS = ["/api/2010-04-01/Accounts/{sid}/Messages.json", "/api/2010-04-01/Accounts.json",
         "/messaging/v1/Services", "/monitor/v1/Alerts"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("page", ["9223372036854775807", "2147483648"])
def test_a_page_out_of_range_is_400_20422(http, sim, path, page):
    data = _error(http("GET", path.format(sid=sim.account_sid) + f"?Page={page}",
                       auth=(sim.account_sid, sim.auth_token)), 20422)
    assert "Page" in data["message"]


def test_the_last_page_index_in_range_is_an_empty_page(http, sim):
    status, _, body = http("GET", "/api/2010-04-01/Accounts.json?Page=2147483647",
                           auth=(sim.account_sid, sim.auth_token))
    assert status == 200 and json.loads(body)["accounts"] == []


@pytest.mark.parametrize("path", LISTS)
def test_a_page_token_this_list_could_not_have_issued_is_400(http, sim, path):
    for token in ("PAgarbage", "PA", "PAAC" + "z" * 32, "PAac" + "0" * 32, "PAAC" + "0" * 31,
                  "XX" + "0" * 34):
        data = _error(http("GET", path.format(sid=sim.account_sid) + f"?Page=1&PageToken={token}",
                           auth=(sim.account_sid, sim.auth_token)), 20422)
        assert "PageToken" in data["message"], token


def test_a_well_formed_token_still_pages(sim, client):
    for i in range(3):
        client.api.v2010.accounts.create(friendly_name=f"page {i}")
    page = client.api.v2010.accounts.page(page_size=2)
    assert page.next_page_url and "PageToken=PAAC" in page.next_page_url
    assert len(list(page.next_page())) >= 1


# -- bytes that are not UTF-8 --------------------------------------------------------------------
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("body", [b"FriendlyName=\xc3\x28", b"FriendlyName=%C3%28",
                                  b"FriendlyName=ok&Other=\xff", b"Friendly\xffName=x"])
def test_a_form_that_is_not_utf8_is_400_and_creates_nothing(http, sim, body):
    before = _accounts(http, sim)
    data = _error(http("POST", "/api/2010-04-01/Accounts.json", data=body, headers=FORM,
                       auth=(sim.account_sid, sim.auth_token)), 20422)
    assert "UTF-8" in data["message"]
    assert _accounts(http, sim) == before


def test_a_message_whose_to_is_not_utf8_is_400_not_21604(http, sim):
    data = _error(http("POST", f"/api/2010-04-01/Accounts/{sim.account_sid}/Messages.json",
                       data=b"To=%2B1415555\xc3\x28&From=%2B14155550100&Body=hi", headers=FORM,
                       auth=(sim.account_sid, sim.auth_token)), 20422)
    assert "UTF-8" in data["message"]


def test_a_query_string_that_is_not_utf8_is_400(http, sim):
    _error(http("GET", "/api/2010-04-01/Accounts.json?FriendlyName=%C3%28",
                auth=(sim.account_sid, sim.auth_token)), 20422)


def test_utf8_forms_are_read_as_before(http, sim):
    status, _, body = http("POST", "/api/2010-04-01/Accounts.json",
                           data="FriendlyName=Caf%C3%A9+%E2%98%95".encode(), headers=FORM,
                           auth=(sim.account_sid, sim.auth_token))
    assert status == 201 and json.loads(body)["friendly_name"] == "Café ☕"


# -- OPTIONS -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/2010-04-01/Accounts.json", "/console/signup",
                                  "/_sim/v1/reset", "/flex/me", "/flex-api/v1/Configuration"])
def test_options_is_405_like_any_method_a_route_does_not_take(http, sim, path):
    data = _error(http("OPTIONS", path, auth=(sim.account_sid, sim.auth_token)), 20004, 405)
    assert "OPTIONS" in data["message"]


def test_options_on_an_unknown_path_is_404(http):
    _error(http("OPTIONS", "/nowhere/at/all"), 20404, 404)


# -- the control plane's numbers -----------------------------------------------------------------
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("raw", ['{"seconds": 1e300}', '{"seconds": "1e300"}',
                                 '{"seconds": 1e400}', '{"seconds": NaN}',
                                 '{"seconds": Infinity}', '{"seconds": -Infinity}',
                                 '{"seconds": "nan"}', '{"seconds": true}', '{"seconds": null}',
                                 '{"seconds": [1]}', '{"seconds": 9e15}'])
def test_clock_advance_takes_only_a_sane_number(http, sim, raw):
    before = sim.control("GET", "clock")["now"]
    _error(http("POST", "/_sim/v1/clock/advance", data=raw, headers=JSON), 20422)
    assert sim.control("GET", "clock")["now"][:16] == before[:16]


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "yesterday", 5])
def test_clock_freeze_takes_only_a_sane_time(http, at):
    _error(http("POST", "/_sim/v1/clock/freeze", json={"at": at}), 20422)


def test_clock_advance_still_takes_strings_and_numbers(sim, http):
    sim.freeze("2030-01-01T00:00:00Z")
    assert http("POST", "/_sim/v1/clock/advance", json={"seconds": "60"})[0] == 200
    status, _, body = http("POST", "/_sim/v1/clock/advance", json={"seconds": 0.5e2})
    assert status == 200 and json.loads(body)["now"] == "2030-01-01T00:01:50Z"


@pytest.mark.parametrize("limit", ["abc", "-1", "0", "1.5", "99999999"])
def test_journal_limit_must_be_a_count(http, limit):
    data = _error(http("GET", f"/_sim/v1/journal?limit={limit}"), 20422)
    assert "limit" in data["message"]


def test_journal_limit_in_range(http, sim, client):
    client.api.v2010.accounts.create(friendly_name="one")
    client.api.v2010.accounts.create(friendly_name="two")
    status, _, body = http("GET", "/_sim/v1/journal?limit=1")
    assert status == 200 and len(json.loads(body)["requests"]) == 1


@pytest.mark.parametrize("value", [1e300, -1, True, "5", 1_000_000_001])
def test_messaging_delays_must_be_sane(http, value):
    _error(http("POST", "/_sim/v1/messaging/settings", json={"sending": value}), 20422)


# -- nesting, and one parser for every JSON door ----------------------------------------------------
def _deep(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


DOORS = [("POST", "/_sim/v1/clock/advance"), ("POST", "/_sim/v1/messaging/settings"),
         ("PUT", "/_sim/v1/snapshot"), ("POST", "/console/signup"), ("POST", "/console/login"),
         ("POST", "/flex/agent-desktop/activity"), ("POST", "/flex-api/v1/Configuration")]


def _door_call(request, http, method, path, raw):
    headers, auth = dict(JSON), None
    if path.startswith("/flex"):
        cc = request.getfixturevalue("cc")  # a contact center, for the Flex doors only
        if path.startswith("/flex/"):
            headers["Authorization"] = f"Bearer {cc['agent']}"
        else:
            auth = (cc["account_sid"], cc["auth_token"])
    return http(method, path, data=raw, headers=headers, auth=auth)


BAD_BODIES = [
    ("[" * 200_000 + "]" * 200_000, "nested"),
    (_deep(40), "nested more than 32 levels"),
    ('{"x": NaN}', "not valid JSON"),
    ('{"x": 1e999}', "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"x": ', "not valid JSON"),
    ('"\\ud800"', "must be a JSON object"),
]


@pytest.mark.parametrize("method, path", DOORS)
def test_every_json_door_parses_bodies_the_same_way(request, http, sim, method, path):
    for raw, says in BAD_BODIES:
        data = _error(_door_call(request, http, method, path, raw), 20422)
        assert says in data["message"], (raw[:40], data)


def test_a_body_nested_within_the_limit_is_read(http):
    status, _, body = http("POST", "/_sim/v1/messaging/settings",
                           data=json.dumps({"sending": 2}), headers=JSON)
    assert status == 200 and json.loads(body)["sending"] == 2


# -- the Console's fields --------------------------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("email", "a" * 1_000_000 + "@example.com"),
    ("email", "a" * 250 + "@example.com"),
    ("password", "p" * 1025),
    ("phone", "+1" + "5" * 100_000),
    ("full_name", "N" * 256),
])
def test_console_sign_up_refuses_oversized_fields(http, field, value):
    body = {"email": "big@example.com", "password": "correct horse", "phone": "+15017122661",
            field: value}
    data = _error(http("POST", "/console/signup", json=body), 20422)
    assert field in data["message"]


# -- buying a number is atomic ---------------------------------------------------------------------
def test_two_buyers_of_one_number_never_both_get_it(monkeypatch):
    """Both buyers pass 'nobody owns it' before either inserts, if they can: the barrier
    holds each check until the other buyer has made its own (or 0.5 s have passed)."""
    app = create_app(Settings())
    s = app.extensions["twilio_sim"]
    try:
        main = domain_numbers.owner_of(s, "+14155550100")["account_sid"]
        original = domain_numbers.owner_of
        both_checked = threading.Barrier(2, timeout=0.5)

        def slow_owner_of(s_, phone):
            found = original(s_, phone)
            try:
                both_checked.wait()
            except threading.BrokenBarrierError:
                pass
            return found

        monkeypatch.setattr(domain_numbers, "owner_of", slow_owner_of)
        outcomes: list = []

        def buy():
            try:
                outcomes.append(domain_numbers.buy_number(
                    s, main, None, phone_number="+14155550177", area_code=None,
                    settings={"friendly_name": "mine"})["sid"])
            except TwilioError as e:
                outcomes.append(e.code)

        threads = [threading.Thread(target=buy) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        monkeypatch.undo()
        owners = s.store.find("incoming_phone_numbers",
                              lambda n: n["phone_number"] == "+14155550177")
        assert len(owners) == 1, owners
        assert sorted(outcomes, key=str) == sorted([owners[0]["sid"], 21422], key=str)
        assert owners[0]["friendly_name"] == "mine"
    finally:
        s.close()


def test_a_chunked_form_that_is_not_utf8_is_400_too():
    """A form sent chunked (no Content-Length; the server marks the input terminated) is
    checked like any other."""
    app = create_app(Settings(seed=3))
    s = app.extensions["twilio_sim"]
    main = next(a for a in s.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    r = app.test_client().post(
        "/api/2010-04-01/Accounts.json", input_stream=io.BytesIO(b"FriendlyName=%C3%28"),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
        auth=(main["sid"], main["auth_token"]))
    assert r.status_code == 400 and r.get_json()["code"] == 20422
    s.close()
