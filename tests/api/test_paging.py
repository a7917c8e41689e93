"""Paging exactly as the SDK consumes it (twilio/base/page.py)."""
import json
from urllib.parse import parse_qs, urlsplit


def _get(http, sim, path):
    status, _, body = http("GET", path, auth=(sim.account_sid, sim.auth_token))
    assert status == 200, body
    return json.loads(body)


def test_2010_envelope(http, sim, client):
    for i in range(7):
        client.api.v2010.accounts.create(friendly_name=f"p{i}")
    page = _get(http, sim, "/api/2010-04-01/Accounts.json?PageSize=3")
    assert set(page) == {"first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start",
                         "next_page_uri", "page", "accounts"}
    assert page["page"] == 0 and page["page_size"] == 3 and page["start"] == 0 and page["end"] == 2
    assert page["first_page_uri"] == "/2010-04-01/Accounts.json?PageSize=3&Page=0"
    assert page["previous_page_uri"] is None
    nxt = urlsplit(page["next_page_uri"])
    q = parse_qs(nxt.query)
    assert nxt.path == "/2010-04-01/Accounts.json" and q["Page"] == ["1"]
    assert q["PageToken"] == ["PA" + page["accounts"][-1]["sid"]]
    second = _get(http, sim, "/api" + page["next_page_uri"])
    assert second["page"] == 1 and second["start"] == 3 and second["end"] == 5
    assert second["previous_page_uri"] == "/2010-04-01/Accounts.json?PageSize=3&Page=0"
    sids = [a["sid"] for a in page["accounts"] + second["accounts"]]
    assert len(set(sids)) == 6


def test_filters_are_kept_in_page_uris(http, sim, client):
    for _ in range(3):
        client.api.v2010.accounts.create(friendly_name="same")
    page = _get(http, sim, "/api/2010-04-01/Accounts.json?FriendlyName=same&PageSize=2")
    assert page["uri"].startswith("/2010-04-01/Accounts.json?FriendlyName=same&PageSize=2&Page=0")
    assert "FriendlyName=same" in page["next_page_uri"]
    last = _get(http, sim, "/api" + page["next_page_uri"])
    assert len(last["accounts"]) == 1 and last["next_page_uri"] is None


def test_default_and_maximum_page_size(http, sim):
    assert _get(http, sim, "/api/2010-04-01/Accounts.json")["page_size"] == 50
    assert _get(http, sim, "/api/2010-04-01/Accounts.json?PageSize=1000")["page_size"] == 1000


def test_sdk_limit_and_page_size(client):
    for i in range(11):
        client.api.v2010.accounts.create(friendly_name=f"l{i}")
    assert len(client.api.v2010.accounts.list(limit=5)) == 5
    page = client.api.v2010.accounts.page(page_size=4)
    first = [a.sid for a in page]
    second = [a.sid for a in page.next_page()]
    assert len(first) == len(second) == 4 and not set(first) & set(second)


def test_stream_survives_deletion_between_pages(sim, client):
    keys = client.api.v2010.accounts(sim.account_sid)
    made = [keys.new_keys.create(friendly_name=f"k{i}").sid for i in range(6)]
    page = keys.keys.page(page_size=3)
    first = [k.sid for k in page]
    keys.keys(made[0]).delete()  # a record of a page already read disappears
    rest = []
    while (page := page.next_page()) is not None:
        rest += [k.sid for k in page]
    assert not set(first) & set(rest)
    assert len(rest) == len(set(rest))
    assert set(made[1:]) <= set(rest) | set(first)
