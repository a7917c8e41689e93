"""Fuzz: requests generated from Twilio's official OpenAPI specs never get a 5xx.

For each spec, schemathesis generates requests (valid ones and ones that break the spec: wrong
types, out-of-range numbers, odd strings, missing required fields) for every operation the
simulator serves, and sends them into a fresh in-process simulator with the account's
credentials. Path parameters are mostly real SIDs of the seeded data (so requests reach the
handlers, not just the 404), sometimes generated. Bad input must get a 4xx in Twilio's shape;
any 5xx (or a stack trace in a body) fails, listing every request that got one.

The budget is fixed and the generation deterministic (``derandomize``), so a run repeats: a few
examples per operation, about 30 s for all specs. The long run is the same check through
schemathesis's CLI against a served simulator (``python tests/fuzz_served.py``; see the
README's "Testing" section).

Below the fuzz: one regression test per 5xx the fuzz found, each a 400 that changes nothing.
"""
from __future__ import annotations

import base64
import json
import os
import re
import time
from urllib.parse import quote

import pytest

import contract
from simulator import create_app
from simulator.config import Settings
from simulator.domain.taskrouter import instructions

if os.environ.get("CI") == "true":   # CI installs the test extra: a missing fuzzer fails there
    import hypothesis
    import schemathesis
    from hypothesis import strategies as st
else:
    schemathesis = pytest.importorskip("schemathesis")
    hypothesis = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")

MAIN = ("AC02af17f4eb5c599711bcc3c917f73f7a", "baef4c179a30345bf7767d852a2acd02")
OWL_NAME = "Owl Contact Center"      # the seeded Flex account: its workspace, instance, services

# spec -> (host label, whose credentials: "main" or the Flex account, examples per operation)
SPECS = {
    "twilio_api_v2010": ("api", "main", 8),
    "twilio_taskrouter_v1": ("taskrouter", "owl", 10),
    "twilio_flex_v1": ("flex-api", "owl", 10),
    "twilio_flex_v2": ("flex-api", "owl", 25),
    "twilio_messaging_v1": ("messaging", "main", 15),
    "twilio_monitor_v1": ("monitor", "main", 30),
    "twilio_conversations_v1": ("conversations", "owl", 10),
    "twilio_studio_v2": ("studio", "owl", 20),
    "twilio_iam_v1": ("iam", "main", 25),
    "twilio_accounts_v1": ("accounts", "main", 25),
}
SEED = 20_240_501
BUDGET_SECONDS = 60     # per spec: a guard against a runaway, far above what it takes (< 10 s)
TRACE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")

pytestmark = pytest.mark.skipif(not contract.available(),
                                reason=f"the official specs folder {contract.SPECS} is absent")


# -- the simulator under fuzz -----------------------------------------------------------------
def basic(account) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(":".join(account).encode()).decode()}


class Seeded:
    """A simulator (over any transport) with a little of everything, and its real SIDs.

    ``send(method, path, headers, data)`` -> ``(status, JSON body or None)``; ``label`` is the
    product fuzzed, ``who`` whose credentials it is fuzzed with ("main" or the Flex account).
    """

    def __init__(self, send, label: str, who: str):
        self._send = send
        self.label = label
        _, credentials = send("GET", "/_sim/v1/credentials", {}, None)
        owl = next(a for a in credentials["accounts"] if a["friendly_name"] == OWL_NAME)
        self.owl = (owl["sid"], owl["auth_token"])
        self.account = MAIN if who == "main" else self.owl
        self.auth = basic(self.account)
        self._seed_records()

    def call(self, method: str, path: str, *, account=None, data=None):
        return self._send(method, path, basic(account or self.account), data)

    def _seed_records(self):
        """Records the seed data lacks, so that a SID of each kind can be found."""
        main, owl = MAIN, self.owl
        acct = f"/api/2010-04-01/Accounts/{MAIN[0]}"
        self.call("POST", f"{acct}/Messages.json", account=main,
                  data={"From": "+14155550100", "To": "+14155550123", "Body": "fuzz",
                        "MediaUrl": "https://example.com/cat.png"})
        self.call("POST", f"{acct}/Calls.json", account=main,
                  data={"From": "+14155550100", "To": "+14155550123",
                        "Url": "https://example.com/twiml"})
        self.call("POST", f"{acct}/Applications.json", account=main, data={"FriendlyName": "fz"})
        _, service = self.call("POST", "/messaging/v1/Services", account=main,
                               data={"FriendlyName": "fuzz"})
        _, numbers = self.call("GET", f"{acct}/IncomingPhoneNumbers.json", account=main)
        self.call("POST", f"/messaging/v1/Services/{service['sid']}/PhoneNumbers", account=main,
                  data={"PhoneNumberSid": numbers["incoming_phone_numbers"][0]["sid"]})
        _, config = self.call("GET", "/flex-api/v1/Configuration", account=owl)
        self.config = config
        _, conv = self.call("POST", "/conversations/v1/Conversations", account=owl,
                            data={"FriendlyName": "fuzz"})
        base = f"/conversations/v1/Conversations/{conv['sid']}"
        self.call("POST", f"{base}/Participants", account=owl, data={"Identity": "fz"})
        self.call("POST", f"{base}/Messages", account=owl, data={"Author": "fz", "Body": "fuzz"})
        self.call("POST", f"{base}/Webhooks", account=owl,
                  data={"Target": "webhook", "Configuration.Url": "https://example.com/hook"})
        ws = config["taskrouter_workspace_sid"]
        self.call("POST", f"/taskrouter/v1/Workspaces/{ws}/Tasks", account=owl,
                  data={"WorkflowSid": config["taskrouter_target_workflow_sid"],
                        "Attributes": "{}"})
        _, studio = self.call("GET", "/studio/v2/Flows", account=owl)
        _, flow = self.call("POST", "/flex-api/v1/FlexFlows", account=owl, data={
            "FriendlyName": "fuzz", "ChatServiceSid": config["chat_service_instance_sid"],
            "ChannelType": "web", "Integration.FlowSid": studio["flows"][0]["sid"]})
        chat = {"FlexFlowSid": flow["sid"], "Identity": "fz", "ChatFriendlyName": "fz"}
        self.call("POST", "/flex-api/v1/WebChannels", account=owl,
                  data={**chat, "CustomerFriendlyName": "fz"})
        self.call("POST", "/flex-api/v1/Channels", account=owl,
                  data={**chat, "ChatUserFriendlyName": "fz"})
        _, interaction = self.call("POST", "/flex-api/v1/Interactions", account=owl, data={
            "Channel": json.dumps({"type": "sms", "initiated_by": "customer",
                                   "properties": {"media_channel_sid": conv["sid"]}}),
            "Routing": json.dumps({"properties": {"workspace_sid": ws,
                                                  "task_channel_unique_name": "sms"}})})
        # what no list of the simulator shows: known beforehand
        self._known = {"/v1/Interactions": interaction.get("sid"),
                       "/v1/Keys": "SK85414614680bf30061eb75c2a4e4cd98"}   # the main account's

    # -- real values for path parameters ------------------------------------------------------
    def known(self, template: str, name: str, prefix: str) -> str | None:
        """A real value for ``{name}`` of ``template``, found by listing what comes before it
        (``/v1/Workspaces/{WorkspaceSid}`` -> the first workspace of ``/v1/Workspaces``)."""
        if name == "AccountSid":
            return self.account[0]
        if name == "CountryCode":
            return "US"
        if name in ("InstanceSid",):
            return self.config["flex_instance_sid"]
        if name == "ChatServiceSid":
            return self.config["chat_service_instance_sid"]
        if prefix in self._known:
            return self._known[prefix]
        list_path = prefix + ".json" if self.label == "api" else prefix
        status, body = self.call("GET", f"/{self.label}{list_path}")
        found = None
        if status == 200 and isinstance(body, dict):
            for key, value in body.items():
                if key != "meta" and isinstance(value, list) and value \
                        and isinstance(value[0], dict):
                    first = value[0]
                    found = first.get("sid") or first.get("flex_user_sid") or (
                        str(first["revision"]) if "revision" in first else None)
                    break
        self._known[prefix] = found
        return found

    def path_parameters(self, template: str) -> dict[str, str]:
        """Every path parameter of ``template`` that has a real value, resolved left to right."""
        out: dict[str, str] = {}
        for m in re.finditer(r"\{(\w+)\}", template):
            prefix = template[:m.start()].rstrip("/")
            for k, v in out.items():
                prefix = prefix.replace("{" + k + "}", v)
            if "{" in prefix:
                break
            value = self.known(template, m.group(1), prefix)
            if value is None:
                break
            out[m.group(1)] = value
        return out


class Target(Seeded):
    """A fresh in-process simulator, seeded."""

    def __init__(self, label: str, who: str):
        self.app = create_app(Settings(seed=SEED, freeze_clock=True))
        client = self.app.test_client()

        def send(method, path, headers, data):
            r = client.open(path, method=method, headers=headers, data=data)
            return r.status_code, r.get_json(silent=True)

        super().__init__(send, label, who)

    def close(self):
        self.app.extensions["twilio_sim"].close()

    def serves(self, method: str, path: str) -> bool:
        adapter = self.app.url_map.bind("localhost")
        probe = re.sub(r"\{\w+\}", "XX00000000000000000000000000000000", path)
        try:
            adapter.match(f"/{self.label}{probe}", method=method.upper())
        except Exception:  # noqa: BLE001  (NotFound, MethodNotAllowed: not served)
            return False
        return True


# -- the fuzz -------------------------------------------------------------------------------
def _load(spec: str):
    schema = schemathesis.openapi.from_path(contract.SPECS / f"{spec}.json")
    schema.config.generation.update(with_security_parameters=False)
    return schema


def _describe(case, response) -> str:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in (case.query or {}).items())
    body = case.body if not isinstance(case.body, type(schemathesis.core.NOT_SET)) else None
    return (f"{response.status_code} {case.method.upper()} {case.formatted_path}"
            f"{'?' + query if query else ''} body={str(body)[:300]!r}: {response.text[:300]}")


@pytest.mark.parametrize("spec", list(SPECS))
def test_fuzz_finds_no_server_error(spec):
    label, who, examples = SPECS[spec]
    schema = _load(spec)
    target = Target(label, who)
    base_url = f"http://localhost/{label}"
    failures: list[str] = []
    sent = 0
    operations = [r.ok() for r in schema.get_all_operations()]
    served = [op for op in operations if target.serves(op.method, op.path)]
    # deletes last: the other operations keep finding the records they need
    served.sort(key=lambda op: (op.method.lower() == "delete", op.path, op.method))
    assert served, f"the simulator serves none of {spec}'s operations"
    started = time.monotonic()
    try:
        for op in served:
            real = target.path_parameters(op.path)
            strategy = st.one_of(
                op.as_strategy(schemathesis.GenerationMode.POSITIVE, path_parameters=real),
                op.as_strategy(schemathesis.GenerationMode.NEGATIVE, path_parameters=real),
                op.as_strategy(schemathesis.GenerationMode.POSITIVE),
            )

            @hypothesis.settings(max_examples=examples, derandomize=True, deadline=None,
                                 database=None, phases=[hypothesis.Phase.generate],
                                 suppress_health_check=list(hypothesis.HealthCheck))
            @hypothesis.given(case=strategy)
            def send(case):
                nonlocal sent
                response = case.call(app=target.app, base_url=base_url, headers=target.auth)
                sent += 1
                if response.status_code >= 500 or TRACE.search(response.text or ""):
                    failures.append(_describe(case, response))

            send()
            assert time.monotonic() - started < BUDGET_SECONDS, \
                f"the fuzz of {spec} is far over its budget (at {op.method} {op.path})"
    finally:
        target.close()
    assert sent >= len(served), f"only {sent} requests for {len(served)} operations"
    assert not failures, (f"{len(failures)} of {sent} generated requests got a server error:\n"
                          + "\n".join(dict.fromkeys(failures)))


# -- what the fuzz found: each a 400 that changes nothing ---------------------------------------
def _error(result, code: int, status: int = 400) -> dict:
    got_status, headers, body = result
    assert got_status == status, body
    data = json.loads(body)
    assert data["code"] == code and data["status"] == status, data
    assert data["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    return data


def _ok(result, status: int = 200) -> dict:
    got_status, _, body = result
    assert got_status == status, body
    return json.loads(body)


def _count(http, auth, path: str, key: str) -> int:
    return len(_ok(http("GET", path + "?PageSize=1000", auth=auth))[key])


@pytest.fixture
def owl(cc):
    """The contact center's credentials, its workspace and first TaskQueue."""
    return {**cc, "auth": (cc["account_sid"], cc["auth_token"]),
            "ws": f"/taskrouter/v1/Workspaces/{cc['workspace_sid']}"}


def _queue_sid(http, owl) -> str:
    return _ok(http("GET", owl["ws"] + "/TaskQueues", auth=owl["auth"]))["task_queues"][0]["sid"]


@pytest.mark.parametrize("query", [
    "Minutes=1099511627777",                      # reaches back before the year 1
    "EndDate=0001-01-01T00:00:00%2B05:00",        # before the first UTC instant
    "StartDate=9999-12-31T23:00:00-05:00",        # after the last one
])
@pytest.mark.parametrize("rest", ["/Statistics", "/CumulativeStatistics", "/Events",
                                  "/Workers/CumulativeStatistics", "/TaskQueues/Statistics",
                                  "/TaskQueues/{queue}/Statistics",
                                  "/TaskQueues/{queue}/CumulativeStatistics"])
def test_a_window_beyond_the_calendar_is_a_400(http, owl, rest, query):
    path = owl["ws"] + rest.replace("{queue}", _queue_sid(http, owl))
    data = _error(http("GET", f"{path}?{query}", auth=owl["auth"]), 20422)
    assert query.split("=")[0] in data["message"]


@pytest.mark.parametrize("value", ["%C2%B2", "5," + "9" * 5000, "99999999999"])
def test_split_by_wait_time_takes_ascii_seconds_only(http, owl, value):
    _error(http("GET", f"{owl['ws']}/TaskQueues/Statistics?SplitByWaitTime={value}",
                auth=owl["auth"]), 20422)
    _ok(http("GET", f"{owl['ws']}/TaskQueues/Statistics?SplitByWaitTime=5,30", auth=owl["auth"]))


def test_an_expression_with_an_overlong_number_is_a_400(http, owl):
    before = _count(http, owl["auth"], owl["ws"] + "/TaskQueues", "task_queues")
    data = _error(http("POST", owl["ws"] + "/TaskQueues", auth=owl["auth"],
                       data={"FriendlyName": "Huge", "TargetWorkers": "level == " + "9" * 5000}),
                  20422)
    assert "too long" in data["message"] and len(data["message"]) < 300
    assert _count(http, owl["auth"], owl["ws"] + "/TaskQueues", "task_queues") == before


def test_a_workflow_target_timeout_is_a_32_bit_number(http, owl):
    queue = _queue_sid(http, owl)

    def workflow(name, *timeouts):
        targets = [{"queue": queue, "timeout": t} for t in timeouts]
        config = {"task_routing": {"filters": [{"expression": "1==1", "targets": targets}]}}
        return http("POST", owl["ws"] + "/Workflows", auth=owl["auth"],
                    data={"FriendlyName": name, "Configuration": json.dumps(config)})

    before = _count(http, owl["auth"], owl["ws"] + "/Workflows", "workflows")
    _error(workflow("Forever", 10**20), 20422)
    assert _count(http, owl["auth"], owl["ws"] + "/Workflows", "workflows") == before
    # the largest, twice: the steps' deadlines add up beyond any task's life, and a task routes
    created = _ok(workflow("Patient", 2**31 - 1, 2**31 - 1), 201)
    task = _ok(http("POST", owl["ws"] + "/Tasks", auth=owl["auth"],
                    data={"WorkflowSid": created["sid"], "Attributes": "{}"}), 201)
    assert task["assignment_status"] in ("pending", "reserved")


@pytest.mark.parametrize("field,value,code", [
    ("Timers.Inactive", "P99999999999D", 50379), ("Timers.Closed", "P36501D", 50380),
    ("Timers.Inactive", "P" + "9" * 5000 + "D", 50379),
])
def test_a_conversation_timer_beyond_100_years_is_refused(http, owl, field, value, code):
    before = _count(http, owl["auth"], "/conversations/v1/Conversations", "conversations")
    data = _error(http("POST", "/conversations/v1/Conversations", auth=owl["auth"],
                       data={"FriendlyName": "forever", field: value}), code)
    assert len(data["message"]) < 200
    assert _count(http, owl["auth"], "/conversations/v1/Conversations", "conversations") == before
    _ok(http("POST", "/conversations/v1/Conversations", auth=owl["auth"],
             data={"FriendlyName": "a century", field: "P36500D"}), 201)


def test_a_conversation_dated_in_the_year_1_lists(http, owl):
    created = _ok(http("POST", "/conversations/v1/Conversations", auth=owl["auth"],
                       data={"FriendlyName": "old", "DateCreated": "0001-01-01T00:00:00Z"}), 201)
    assert created["date_created"] == "0001-01-01T00:00:00Z"
    listed = _ok(http("GET", "/conversations/v1/Conversations?StartDate=0001-01-01",
                      auth=owl["auth"]))["conversations"]
    assert created["sid"] in [c["sid"] for c in listed]


def test_the_default_messaging_service_must_be_the_accounts(http, owl):
    before = _ok(http("GET", "/conversations/v1/Configuration", auth=owl["auth"]))
    for sid in ("MG756a88713Bc8Db9B751F5AcdF3539C1B*", "MG" + "0" * 32):
        _error(http("POST", "/conversations/v1/Configuration", auth=owl["auth"],
                    data={"DefaultMessagingServiceSid": sid}), 20422)
    assert _ok(http("GET", "/conversations/v1/Configuration", auth=owl["auth"])) == before


@pytest.mark.parametrize("channels", [
    [{"name": "voice", "capacity": "abc"}], [{"name": "chat", "capacity": 10**24}],
    [{"name": "chat", "capacity": True}], [{"capacity": 1}], ["voice"],
    [{"name": "sms", "availability": "yes"}], {"name": "voice"},
])
def test_flex_worker_channels_are_checked_before_they_are_stored(http, api, owl, channels):
    before = _ok(http("GET", "/flex-api/v1/Configuration", auth=owl["auth"]))
    changed = {**before["taskrouter_worker_channels"], "agent": channels}
    _error(http("POST", "/flex-api/v1/Configuration", auth=owl["auth"],
                json={"taskrouter_worker_channels": changed}), 20422)
    assert _ok(http("GET", "/flex-api/v1/Configuration", auth=owl["auth"])) == before
    status, agent = api.sso(owl["instance_sid"], roles=["agent"], full_name="New Agent",
                            email="new.agent@example.com")
    assert status == 201, agent


DEEP_ARRAY = "[" * 50_000 + "]" * 50_000        # deeper than Python's JSON decoder recurses
DEEP_OBJECT = '{"a":' * 3_000 + "1" + "}" * 3_000


@pytest.mark.parametrize("deep", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_conversation_attributes_nested_too_deeply_are_a_50304(http, owl, deep):
    auth = owl["auth"]
    before = _count(http, auth, "/conversations/v1/Conversations", "conversations")
    _error(http("POST", "/conversations/v1/Conversations", auth=auth,
                data={"Attributes": deep}), 50304)
    assert _count(http, auth, "/conversations/v1/Conversations", "conversations") == before
    conversation = _ok(http("POST", "/conversations/v1/Conversations", auth=auth,
                            data={"FriendlyName": "deep"}), 201)
    base = f"/conversations/v1/Conversations/{conversation['sid']}"
    _error(http("POST", base, auth=auth, data={"Attributes": deep}), 50304)
    _error(http("POST", base + "/Participants", auth=auth,
                data={"Identity": "deep", "Attributes": deep}), 50304)
    _error(http("POST", base + "/Messages", auth=auth,
                data={"Author": "deep", "Body": "hi", "Attributes": deep}), 50304)
    assert _ok(http("GET", base, auth=auth))["attributes"] == "{}"
    assert _ok(http("GET", base + "/Participants", auth=auth))["participants"] == []
    assert _ok(http("GET", base + "/Messages", auth=auth))["messages"] == []


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT, "{not json"],
                         ids=["array", "object", "malformed"])
def test_bulk_queue_statistics_take_a_json_body_or_a_400(http, owl, body):
    _error(http("POST", owl["ws"] + "/TaskQueues/RealTimeStatistics", auth=owl["auth"],
                headers={"Content-Type": "application/json"}, data=body), 20422)


def test_web_chat_pre_engagement_data_nested_too_deeply_is_kept_as_text(sim, http):
    auth = ("ACbe3ffa32eebf1db578b3b070032de0ef", "3b1a89629dc2fed7a310f0ee5bd16e51")  # Owl
    addresses = _ok(http("GET", "/conversations/v1/Configuration/Addresses?Type=chat",
                         auth=auth))["address_configurations"]
    chat = _ok(http("POST", "/flex-api/v2/WebChats", auth=auth,
                    data={"AddressSid": addresses[0]["sid"], "PreEngagementData": DEEP_OBJECT}),
               201)
    conversation = _ok(http("GET", f"/conversations/v1/Conversations/{chat['conversation_sid']}",
                            auth=auth))
    assert json.loads(conversation["attributes"])["pre_engagement_data"] == DEEP_OBJECT


def test_an_assignment_callback_answering_json_nested_too_deeply_is_a_40001():
    from_callback = {"response_body": DEEP_ARRAY, "response_content_type": "application/json"}
    assert instructions._instruction(from_callback) == (None, 40001)
