"""The contract checker itself (tests/contract.py): it must catch what it is there to catch.

The conforming bodies are the official specs' own response examples, so the checker is
tried against Twilio's word, and each mutation below is one a simulator could make."""
import copy
import json

import pytest

import contract

pytestmark = pytest.mark.skipif(not contract.available(),
                                reason=f"official specs folder {contract.SPECS} is absent")

A, B = "a" * 32, "b" * 32
ACCOUNT_URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{A}.json"
ACCOUNTS_URL = "https://api.twilio.com/2010-04-01/Accounts.json"
WORKSPACE_URL = f"https://taskrouter.twilio.com/v1/Workspaces/WS{A}"
WORKERS_URL = f"https://taskrouter.twilio.com/v1/Workspaces/WS{A}/Workers"
NUMBER_URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{A}/IncomingPhoneNumbers/PN{A}.json"
KEY_URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{A}/Keys/SK{A}.json"


def example(method, url, status=200):
    """The spec's first response example of the operation (a fresh copy)."""
    op = contract.operation_for(method, url)
    assert op is not None, url
    return copy.deepcopy(op.examples(status)[0])


def problems(method, url, body, status=200):
    return contract.check(method, url, status, json.dumps(body), "application/json")


def account():
    return example("GET", ACCOUNT_URL)


def workers_page(n=5):
    """A Workers page of ``n`` records, each the spec's example worker."""
    page = example("GET", WORKERS_URL)
    page["workers"] = [copy.deepcopy(page["workers"][0]) for _ in range(n)]
    page["meta"]["url"] = page["meta"]["first_page_url"] = WORKERS_URL + "?PageSize=50&Page=0"
    return page


# -- the spec's own examples conform ----------------------------------------------------------
@pytest.mark.parametrize("method,url", [
    ("GET", ACCOUNT_URL), ("GET", WORKSPACE_URL), ("GET", KEY_URL),
    ("GET", f"https://api.twilio.com/2010-04-01/Accounts/AC{A}/Messages/SM{A}.json"),
    ("GET", f"{WORKSPACE_URL}/Workers/WK{A}"), ("GET", f"{WORKSPACE_URL}/TaskQueues/WQ{A}"),
    ("GET", "https://flex-api.twilio.com/v1/Configuration"),
    ("GET", f"https://messaging.twilio.com/v1/Services/MG{A}"),
])
def test_the_specs_own_examples_conform(method, url):
    assert problems(method, url, example(method, url)) == []


def test_a_list_of_records_conforms():
    assert problems("GET", WORKERS_URL + "?PageSize=50", workers_page()) == []


# -- every level ------------------------------------------------------------------------------
def test_an_extra_key_at_the_top_is_caught():
    body = account()
    body["secret"] = "x"
    assert any("keys not in the schema: ['secret']" in p for p in problems("GET", ACCOUNT_URL, body))


def test_an_extra_key_in_subresource_uris_is_caught():
    body = account()
    body["subresource_uris"]["secrets"] = f"/2010-04-01/Accounts/AC{A}/Secrets.json"
    found = problems("GET", ACCOUNT_URL, body)
    assert any("subresource_uris" in p and "'secrets'" in p for p in found), found


def test_a_missing_key_in_subresource_uris_is_caught():
    body = account()
    del body["subresource_uris"]["calls"]
    assert any("subresource_uris" in p and "'calls'" in p for p in problems("GET", ACCOUNT_URL, body))


def test_a_subresource_uri_of_another_account_is_caught():
    body = account()
    body["subresource_uris"]["calls"] = f"/2010-04-01/Accounts/AC{B}/Calls.json"
    assert any("subresource_uris.calls" in p for p in problems("GET", ACCOUNT_URL, body))


def test_an_extra_key_in_capabilities_is_caught():
    body = example("GET", NUMBER_URL)
    body["capabilities"]["pigeon"] = True
    assert any("capabilities" in p and "pigeon" in p for p in problems("GET", NUMBER_URL, body))


def test_a_missing_key_in_capabilities_is_caught():
    body = example("GET", NUMBER_URL)
    del body["capabilities"]["fax"]
    assert any("capabilities" in p and "fax" in p for p in problems("GET", NUMBER_URL, body))


def test_an_extra_or_missing_link_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["links"]["secrets"] = WORKSPACE_URL + "/Secrets"
    assert any("links" in p and "secrets" in p for p in problems("GET", WORKSPACE_URL, body))
    body = example("GET", WORKSPACE_URL)
    del body["links"]["workers"]
    assert any("links" in p and "workers" in p for p in problems("GET", WORKSPACE_URL, body))


def test_a_missing_key_in_meta_is_caught():
    page = workers_page()
    del page["meta"]["key"]
    assert any("body.meta" in p and "'key'" in p for p in problems("GET", WORKERS_URL, page))


def test_every_list_item_is_checked_not_only_the_first_three():
    page = workers_page(8)
    page["workers"][7]["links"]["extra"] = WORKERS_URL
    page["workers"][6]["date_created"] = "Mon, 13 Jun 2016 22:50:08 +0000"
    found = problems("GET", WORKERS_URL, page)
    assert any("workers[7].links" in p for p in found), found
    assert any("workers[6].date_created" in p for p in found), found


def test_a_missing_record_key_in_a_list_item_is_caught():
    page = workers_page(4)
    del page["workers"][3]["activity_name"]
    assert any("workers[3]" in p and "activity_name" in p for p in problems("GET", WORKERS_URL, page))


# -- dates, per field -------------------------------------------------------------------------
def test_an_iso_date_in_the_2010_api_is_caught():
    body = account()
    body["date_created"] = "2015-07-30T20:00:00Z"
    assert any("date_created" in p and "RFC 2822" in p for p in problems("GET", ACCOUNT_URL, body))


def test_an_rfc_2822_date_in_v1_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["date_updated"] = "Thu, 30 Jul 2015 20:00:00 +0000"
    assert any("date_updated" in p and "ISO 8601" in p for p in problems("GET", WORKSPACE_URL, body))


@pytest.mark.parametrize("bad", ["Thu, 30 Jul 2015 20:00:00 GMT", "Fri, 30 Jul 2015 20:00:00 +0000",
                                 "Thu, 30 Jul 2015 20:00 +0000", "30 Jul 2015 20:00:00 +0000"])
def test_near_miss_rfc_2822_dates_are_caught(bad):
    body = account()
    body["date_updated"] = bad  # a wrong zone, a wrong weekday, no seconds, no weekday
    assert problems("GET", ACCOUNT_URL, body)


def test_a_date_without_its_zone_in_v1_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["date_created"] = "2016-08-01T22:10:40"
    assert problems("GET", WORKSPACE_URL, body)


# -- URLs on the right host -------------------------------------------------------------------
def test_a_url_on_the_wrong_twilio_host_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["url"] = f"https://api.twilio.com/v1/Workspaces/WS{A}"
    assert any("body.url" in p for p in problems("GET", WORKSPACE_URL, body))
    body = example("GET", WORKSPACE_URL)
    body["links"]["workers"] = f"https://flex-api.twilio.com/v1/Workspaces/WS{A}/Workers"
    assert any("links.workers" in p for p in problems("GET", WORKSPACE_URL, body))


def test_a_local_url_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["url"] = f"http://127.0.0.1:4010/taskrouter/v1/Workspaces/WS{A}"
    assert any("body.url" in p for p in problems("GET", WORKSPACE_URL, body))


def test_a_url_naming_another_record_is_caught():
    body = example("GET", WORKSPACE_URL)
    body["url"] = f"https://taskrouter.twilio.com/v1/Workspaces/WS{B}"
    assert any("body.url" in p for p in problems("GET", WORKSPACE_URL, body))


def test_paging_urls_point_at_the_list_asked_for():
    page = workers_page()
    page["meta"]["next_page_url"] = f"{WORKSPACE_URL}/Activities?PageSize=50&Page=1"
    assert any("next_page_url" in p for p in problems("GET", WORKERS_URL, page))
    listing = example("GET", ACCOUNTS_URL)
    listing["next_page_uri"] = f"/2010-04-01/Accounts/AC{A}/Keys.json?Page=1"
    assert any("next_page_uri" in p for p in problems("GET", ACCOUNTS_URL, listing))


# -- bodies, statuses, errors -----------------------------------------------------------------
def test_an_empty_2xx_body_is_caught_where_the_spec_has_one():
    assert contract.check("GET", ACCOUNT_URL, 200, "")
    assert contract.check("DELETE", KEY_URL, 204, "") == []          # no body documented
    assert contract.check("DELETE", KEY_URL, 204, '{"deleted": true}')
    assert contract.check("POST", ACCOUNTS_URL, 200, json.dumps(account()))  # create is 201


def test_a_mistyped_value_and_a_bad_sid_are_caught():
    body = example("GET", KEY_URL)
    body["friendly_name"] = 5
    assert problems("GET", KEY_URL, body)
    body = example("GET", KEY_URL)
    body["sid"] = "SKnothex"
    assert problems("GET", KEY_URL, body)


def test_error_bodies_need_twilio_shape_code_and_page():
    ok = {"code": 20404, "message": "m", "more_info": "https://www.twilio.com/docs/errors/20404",
          "status": 404}
    assert problems("GET", ACCOUNT_URL, ok, 404) == []
    assert problems("GET", ACCOUNT_URL, {**ok, "code": 99999,
                                         "more_info": "https://www.twilio.com/docs/errors/99999"}, 404)
    assert problems("GET", ACCOUNT_URL, {**ok, "more_info": "https://example.com"}, 404)
    assert problems("GET", ACCOUNT_URL, {**ok, "status": 400}, 404)
    assert problems("GET", ACCOUNT_URL, {"error": "nope"}, 404)
    assert contract.check("GET", ACCOUNT_URL, 404, "<html>Not Found</html>")


def test_the_simulators_own_surfaces_answer_errors_in_twilio_shape():
    ok = '{"code": 20403, "message": "m", "more_info": "x", "status": 403}'
    assert contract.check_exchange("POST", "/console/login", None, "", 403, ok,
                                   "application/json") == []
    assert contract.check_exchange("POST", "/console/login", None, "", 403, '{"error": "x"}',
                                   "application/json")
    assert contract.check_exchange("GET", "/_sim/v1/health", None, "", 200, '{"any": 1}',
                                   "application/json") == []


def test_local_paths_and_twilio_hosts_map_to_public_urls():
    assert contract.public_url("/api/2010-04-01/Accounts.json") == ACCOUNTS_URL
    assert contract.public_url("/2010-04-01/Accounts.json", "api.twilio.com") == ACCOUNTS_URL
    assert contract.public_url("/v1/Configuration", "flex-api.sydney.au1.twilio.com:443") \
        == "https://flex-api.twilio.com/v1/Configuration"
    assert contract.public_url("/console/me") is None


def test_unknown_operation_is_reported():
    assert contract.check("GET", "https://api.twilio.com/2010-04-01/Nope.json", 200, "{}")


def test_a_numbered_segment_is_the_records_number():
    """A Studio revision's URL ends in its revision number (an integer field)."""
    url = f"https://studio.twilio.com/v2/Flows/FW{A}/Revisions/4"
    revision = example("GET", url)
    revision.update(revision=4, url=url)
    assert problems("GET", url, revision) == []
    revision["revision"] = 3
    assert any("revision" in p for p in problems("GET", url, revision))
