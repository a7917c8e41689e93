"""rules/roles.py, rules/flex.py and rules/taskrouter.py, line by line."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from simulator.errors import TwilioError
from simulator.rules import flex, roles, taskrouter as tr

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _code(call):
    with pytest.raises(TwilioError) as e:
        call()
    return e.value


# -- roles -------------------------------------------------------------------------
@pytest.mark.parametrize("role,views", [
    ("agent", ["agent-desktop"]),
    ("supervisor", ["agent-desktop", "teams", "queue-stats"]),
    ("admin", ["agent-desktop", "teams", "queue-stats", "admin"]),
])
def test_views_per_role(role, views):
    assert roles.views_for([role]) == views
    for view in roles.VIEWS:
        assert roles.may_open([role], view) is (view in views)


def test_views_union_of_roles_and_unknown_view():
    assert roles.views_for(["agent", "supervisor"]) == ["agent-desktop", "teams", "queue-stats"]
    assert roles.views_for([]) == []
    assert roles.may_open(["admin"], "billing") is False
    assert _code(lambda: roles.check_view(["admin"], "billing")).code == 20404
    e = _code(lambda: roles.check_view(["agent"], "admin"))
    assert e.code == 20403 and e.status == 403 and "admin only" in e.message
    roles.check_view(["agent"], "agent-desktop")


def test_only_admins_change_the_instance():
    assert roles.may_change_instance(["admin"]) and roles.may_change_instance(["agent", "admin"])
    assert not roles.may_change_instance(["supervisor"]) and not roles.may_change_instance(["agent"])
    e = _code(lambda: roles.check_change_instance(["supervisor"], "the Flex Configuration"))
    assert e.status == 403 and "the Flex Configuration" in e.message
    roles.check_change_instance(["admin"], "x")


def test_console_invite_roles():
    assert roles.console_invite_role("Administrator") == "admin"
    assert roles.console_invite_role("admin") == "admin"
    assert roles.console_invite_role(" Supervisor ") == "supervisor"
    e = _code(lambda: roles.console_invite_role("Agent"))
    assert e.status == 400 and "only through SSO" in e.message
    assert _code(lambda: roles.console_invite_role("owner")).code == 20422
    assert _code(lambda: roles.console_invite_role(None)).code == 20422


def test_sso_attributes_valid():
    got = roles.sso_attributes({"roles": "agent, supervisor", "full_name": " Al ", "email": "Al@X.com"})
    assert got == {"roles": ["agent", "supervisor"], "full_name": "Al", "email": "al@x.com", "image_url": None}
    got = roles.sso_attributes({"roles": ["admin", "admin"], "full_name": "A", "email": "a@x.com",
                                "image_url": "https://i/x.png"})
    assert got["roles"] == ["admin"] and got["image_url"] == "https://i/x.png"


@pytest.mark.parametrize("attrs,fragment", [
    (None, "no attributes"),
    ({"full_name": "A", "email": "a@x.com"}, "roles"),
    ({"roles": ["agent"], "email": "a@x.com"}, "full_name"),
    ({"roles": ["agent"], "full_name": "A"}, "email"),
    ({"roles": [], "full_name": "A", "email": "a@x.com"}, "roles"),
    ({"roles": ["boss"], "full_name": "A", "email": "a@x.com"}, "boss"),
    ({"roles": ["http://schemas.example.com/role/agent"], "full_name": "A", "email": "a@x.com"}, "namespaced"),
    ({"roles": [1], "full_name": "A", "email": "a@x.com"}, "list"),
    ({"roles": ["agent"], "full_name": 5, "email": "a@x.com"}, "full_name"),
    ({"roles": ["agent"], "full_name": "A", "email": "a@x.com", "image_url": 3}, "image_url"),
    ({"roles": ",", "full_name": "A", "email": "a@x.com"}, "role"),
])
def test_sso_attributes_invalid_is_45050(attrs, fragment):
    e = _code(lambda: roles.sso_attributes(attrs))
    assert e.code == 45050 and e.status == 400 and fragment in e.message


def test_insights_roles_and_worker_channels():
    assert roles.insights_roles(["admin"]) == ["wfo.full_access"]
    assert roles.insights_roles(["supervisor", "admin"]) == ["wfo.full_access", "wfo.team_leader"]
    assert roles.insights_roles(["agent"]) == []
    table = {"agent": [{"name": "default", "capacity": 1, "availability": True},
                       {"name": "voice", "capacity": 2, "availability": False}],
             "supervisor": [{"name": "default", "capacity": 3}]}
    assert roles.worker_channels(["agent"], table) == {"default": (1, True), "voice": (2, False)}
    assert roles.worker_channels(["agent", "supervisor"], table) == {"default": (3, True)}
    assert roles.worker_channels(["admin"], table) == {}
    assert roles.worker_channels(["agent"], None) == {}


# -- flex ----------------------------------------------------------------------------
def test_configuration_status_on_the_clock():
    assert flex.configuration_status(T0, T0) == "inprogress"
    assert flex.configuration_status(T0, T0 + timedelta(seconds=flex.PROVISIONING_SECONDS - 1)) == "inprogress"
    assert flex.configuration_status(T0, T0 + timedelta(seconds=flex.PROVISIONING_SECONDS)) == "ok"
    assert flex.configuration_status(T0, T0 - timedelta(seconds=5), provisioned=True) == "ok"
    assert flex.provision_status("ok") == "active"
    assert flex.provision_status("inprogress") == "in-progress"
    assert flex.provision_status(None) == "not-configured"


def test_sign_up_checks():
    assert flex.check_sign_up(" A@B.co ", "12345678", "+15017122661") == ("a@b.co", "12345678", "+15017122661")
    for args, name in ((("ab.co", "12345678", "+15017122661"), "email"),
                       (("a@b.co", "1234567", "+15017122661"), "password"),
                       (("a@b.co", "12345678", "15017122661"), "phone"),
                       ((None, None, None), "email")):
        assert name in _code(lambda: flex.check_sign_up(*args)).message


def test_may_create_flex_account_and_name():
    flex.check_may_create_flex_account(True)
    e = _code(lambda: flex.check_may_create_flex_account(False))
    assert e.status == 403 and "existing Twilio account" in e.message
    assert flex.check_flex_account_name("  Owl ") == "Owl"
    assert _code(lambda: flex.check_flex_account_name("")).code == 20422
    assert _code(lambda: flex.check_flex_account_name("x" * 65)).code == 20422


def test_verification():
    v = {"status": "pending", "attempts": 0, "code": "123456"}
    flex.check_verification(v, "123456", T0, T0)
    flex.check_verification(v, " 123456 ", T0, T0)
    assert "request a code" in _code(lambda: flex.check_verification(None, "1", T0, T0)).message
    assert "request a code" in _code(lambda: flex.check_verification({**v, "status": "approved"}, "123456", T0, T0)).message
    assert "not correct" in _code(lambda: flex.check_verification(v, "654321", T0, T0)).message
    assert "not correct" in _code(lambda: flex.check_verification(v, None, T0, T0)).message
    late = T0 + timedelta(seconds=flex.VERIFICATION_TTL_SECONDS + 1)
    assert "expired" in _code(lambda: flex.check_verification(v, "123456", late, T0)).message
    spent = {**v, "attempts": flex.VERIFICATION_MAX_ATTEMPTS}
    assert "Too many" in _code(lambda: flex.check_verification(spent, "123456", T0, T0)).message


# -- taskrouter ---------------------------------------------------------------------------
@pytest.mark.parametrize("expr,attrs,expected", [
    ("1==1", {}, True),
    ("1 == 2", {}, False),
    ('languages HAS "es"', {"languages": ["es", "en"]}, True),
    ('languages HAS "fr"', {"languages": ["es"]}, False),
    ("level > 2", {"level": 3}, True),
    ("level >= 3 AND level <= 3", {"level": 3}, True),
    ("level < 2 OR team == 'a'", {"level": 5, "team": "a"}, True),
    ("team IN ['a', 'b']", {"team": "b"}, True),
    ("team NOT IN ['a', 'b']", {"team": "b"}, False),
    ("NOT (team == 'a')", {"team": "b"}, True),
    ("worker.team == 'a'", {"team": "a"}, True),
    ("routing.skills CONTAINS 'x'", {"routing": {"skills": ["x"]}}, True),
    ("missing == 1", {}, False),
    ("missing != 1", {}, True),
    ("vip == true", {"vip": True}, True),
    ("vip", {"vip": True}, True),
    ("level > 'a'", {"level": 1}, False),
    ("name CONTAINS 'li'", {"name": "alice"}, True),
])
def test_expressions(expr, attrs, expected):
    assert tr.matches(expr, attrs) is expected


@pytest.mark.parametrize("expr", ["", "a ==", "(a == 1", "a == 1 )", "a $ 1", "[1,", "a IN",
                                  "(" * 5000 + "1==1" + ")" * 5000, 7])
def test_bad_expressions(expr):
    assert _code(lambda: tr.parse_expression(expr)).code == 20422


def test_workflow_configuration():
    q = "WQ" + "a" * 32
    doc = tr.check_workflow_configuration(tr.queue_configuration(q), {q})
    assert doc["task_routing"]["default_filter"]["queue"] == q
    good = {"task_routing": {"filters": [{"expression": "a == 1",
                                          "targets": [{"queue": q, "expression": "b == 2"}]}]}}
    tr.check_workflow_configuration(json.dumps(good), {q})
    for bad in ("", "{", "[]", '{"task_routing": []}', '{"task_routing": {"filters": {}}}',
                '{"task_routing": {}}', json.dumps({"task_routing": {"filters": [1]}}),
                json.dumps({"task_routing": {"filters": [{"targets": []}]}}),
                json.dumps({"task_routing": {"filters": [{"targets": [{"priority": 1}]}]}}),
                json.dumps({"task_routing": {"default_filter": {"queue": "WQ" + "b" * 32}}}),
                json.dumps({"task_routing": {"default_filter": "x"}}),
                json.dumps({"task_routing": {"default_filter": {"queue": [q]}}}),
                json.dumps({"task_routing": {"filters": [{"expression": "a ==", "targets": [{"queue": q}]}]}}),
                json.dumps({"task_routing": {"filters": [{"targets": [{"queue": q, "expression": "("}]}]}})):
        assert _code(lambda: tr.check_workflow_configuration(bad, {q})).code == 20422, bad


def test_parameter_rules():
    assert tr.attributes_json(None) == {} and tr.attributes_json('{"a": 1}') == {"a": 1}
    assert _code(lambda: tr.attributes_json("[1]")).code == 20422
    assert _code(lambda: tr.attributes_json("{")).code == 20422
    assert tr.check_friendly_name("x", required=True) == "x"
    assert tr.check_friendly_name(None, required=False) is None
    assert _code(lambda: tr.check_friendly_name("", required=True)).code == 20422
    assert _code(lambda: tr.check_friendly_name("x" * 65, required=False)).code == 20422
    assert tr.check_unique_name("email") == "email"
    assert _code(lambda: tr.check_unique_name("e-mail")).code == 20422
    tr.check_activity_update(True, None)
    tr.check_activity_update(True, True)
    assert "cannot be changed" in _code(lambda: tr.check_activity_update(True, False)).message
    assert tr.check_reservation_timeout(None) == 120 and tr.check_reservation_timeout(86400) == 86400
    assert _code(lambda: tr.check_reservation_timeout(0)).code == 20422
    assert tr.parse_ordering(None) is None
    assert tr.parse_ordering("DateCreated:desc") == ("DateCreated", True)
    assert tr.parse_ordering("DateCreated") == ("DateCreated", False)
    assert _code(lambda: tr.parse_ordering("DateCreated:up")).code == 20422


@pytest.mark.parametrize("expr", ["skills HAS 'x' " + "AND " * 250_000,   # a megabyte, then junk
                                  "a == " + "9" * 1_000_000,
                                  "x" * 1_000_000 + " @"])
def test_a_huge_bad_expression_is_quoted_in_part(expr):
    with pytest.raises(TwilioError) as e:
        tr.parse_expression(expr)
    assert e.value.code == 20422 and "TargetWorkers" in e.value.message
    assert len(e.value.message) < 400 and "..." in e.value.message
