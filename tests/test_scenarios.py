"""Scenarios: the format and its validation messages, the matchers, replay (in-process and
against a served simulator), the report, JUnit XML, the CLI and the pytest plugin."""
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simulator import create_app
from simulator.cli import main
from simulator.config import Settings
from simulator.scenarios.loader import load_text, parse_duration
from simulator.scenarios.matching import MISSING, TemplateError, compare, render
from simulator.scenarios.replay import replay
from simulator.scenarios.reporter import describe
from simulator.scenarios.runner import Runner
from simulator.server import Server

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios"


def _load(text: str, name: str = "s.yaml"):
    return load_text(text, Path(name))


def _one(text: str):
    scenarios, problems = _load(text)
    assert problems == [], "\n".join(map(str, problems))
    return scenarios[0]


def _run(text: str, **runner):
    with Runner(**runner) as r:
        return r.run(_one(text))


# -- the format ---------------------------------------------------------------------------------
def test_validation_names_file_line_step_and_field():
    _, problems = _load("""\
name: Bad
steps:
  - name: first
    request: {method: POST, path: console/login, json: {}}
    expect: {status: "two hundred"}
  - request: {method: FETCH, path: x}
  - advance: 5
    expect: {status: 200}
  - request: {path: x, as: nobody}
  - request: GET x
    advance: 3
  - request: {path: x, params: {a: 1}, json: {}}
  - {}
  - request: {path: x}
    expectt: {}
""")
    text = [str(p) for p in problems]
    assert text[0] == "s.yaml:5: step 1 'first': expect.status: 'two hundred' should be " \
                      "integer or array"
    assert "s.yaml:6: step 2: request.method: 'FETCH' is not one of GET, POST, PUT, PATCH, " \
           "DELETE" in text
    assert any("s.yaml:7: step 3: 'expect' needs a step that gets an answer, not 'advance'" == t
               for t in text)
    assert any("step 4: request.as: unknown actor 'nobody'" in t for t in text)
    assert any("step 5: a step takes exactly one of request, advance" in t
               and "this one has request, advance" in t for t in text)
    assert any("step 6: request: a request sends params (a form) or json, not both" in t
               for t in text)
    assert any("step 7: a step needs one of: request, advance" in t for t in text)
    assert any("step 8: unknown field(s) 'expectt'" in t for t in text)


def test_validation_of_the_top_level_and_of_yaml():
    _, problems = _load("steps: []\ncolour: red\n")
    text = " | ".join(map(str, problems))
    assert "'name' is a required property" in text and "unknown field(s) 'colour'" in text
    assert "steps: [] should be non-empty" in text
    _, problems = _load("name: x\nsteps:\n  - request: {path: [\n")
    assert len(problems) == 1 and "not valid YAML" in str(problems[0])
    assert str(problems[0]).startswith("s.yaml:")


def test_several_scenarios_in_one_file():
    scenarios, problems = _load("name: a\nsteps: [{advance: 1}]\n---\nname: b\n"
                                "steps: [{advance: 2m}]\n")
    assert problems == [] and [s.name for s in scenarios] == ["a", "b"]
    assert scenarios[1].line == 4


def test_the_cli_validates_and_prints_the_schema(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text("name: fine\nsteps: [{advance: 1s}]\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nsteps:\n  - request: {path: x, method: FETCH}\n")
    assert main(["scenario", "validate", str(good)]) == 0
    assert "ok (1 scenario: fine)" in capsys.readouterr().out
    assert main(["scenario", "validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:3: step 1: request.method: 'FETCH' is not one of" in out
    assert main(["scenario", "validate", str(SHIPPED)]) == 0
    capsys.readouterr()
    assert main(["scenario", "schema"]) == 0
    assert '"title": "twilio-sim scenario"' in capsys.readouterr().out


def test_durations():
    assert [parse_duration(v) for v in (5, 2.5, "90s", "5m", "2h", "1d", "7")] == [
        5, 2.5, 90, 300, 7200, 86400, 7]
    with pytest.raises(ValueError):
        parse_duration("soon")


# -- matchers and templates ---------------------------------------------------------------------
@pytest.mark.parametrize("expected,got,ok", [
    ({"a": 1}, {"a": 1, "b": 2}, True),
    ({"a": 1}, {"a": "1"}, False),
    ({"a.b.0": "x"}, {"a": {"b": ["x"]}}, True),
    ({"a": {"$regex": "^SM[0-9a-f]{32}$"}}, {"a": "SM" + "0" * 32}, True),
    ({"a": {"$type": "integer"}}, {"a": True}, False),
    ({"a": {"$type": ["string", "null"]}}, {"a": None}, True),
    ({"a": {"$sid": "AC"}}, {"a": "AC" + "f" * 32}, True),
    ({"a": {"$present": True}}, {}, False),
    ({"a": {"$absent": True}}, {}, True),
    ({"a": {"$absent": True}}, {"a": None}, False),
    ({"a": {"$length": 2}}, {"a": [1, 2]}, True),
    ({"a": {"$length": {"$gte": 3}}}, {"a": [1, 2]}, False),
    ({"a": {"$contains": {"n": 2}}}, {"a": [{"n": 1}, {"n": 2, "m": 0}]}, True),
    ({"a": {"$contains": "ell"}}, {"a": "hello"}, True),
    ({"a": {"$every": {"ok": True}}}, {"a": [{"ok": True}, {"ok": False}]}, False),
    ({"a": {"$in": ["x", "y"]}}, {"a": "y"}, True),
    ({"a": {"$not": "x"}}, {"a": "y"}, True),
    ({"a": {"$eq": {"b": 1}}}, {"a": {"b": 1, "c": 2}}, False),
    ({"a": {"$gt": 1, "$lt": 3}}, {"a": 2}, True),
    ({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2, "c": 3}]}, True),
    ({"a": [1]}, {"a": [1, 2]}, False),
    ({"a": True}, {"a": 1}, False),
])
def test_matchers(expected, got, ok):
    assert (compare(expected, got) == []) is ok


def test_a_mismatch_names_the_field():
    assert compare({"status": "delivered", "x": {"y": 1}}, {"status": "undelivered", "x": {}}) == [
        ("status", "expected 'delivered', got 'undelivered'"),
        ("x.y", "expected 1, got (absent)")]
    assert "unknown matcher $frob" in compare({"a": {"$frob": 1}}, {"a": 1})[0][1]


def test_templates():
    v = {"main": {"sid": "AC1"}, "n": 3, "items": [{"x": "y"}]}
    assert render("Accounts/{{ main.sid }}.json", v) == "Accounts/AC1.json"
    assert render("{{ n }}", v) == 3 and render("{{n}} and {{ items.0.x }}", v) == "3 and y"
    assert render({"k": ["{{ main }}"]}, v) == {"k": [{"sid": "AC1"}]}
    with pytest.raises(TemplateError, match=r"unknown variable '\{\{ nope \}\}'"):
        render("{{ nope }}", v)
    assert MISSING is not None


# -- replay -----------------------------------------------------------------------------------
def test_all_shipped_scenarios_replay_and_report(tmp_path, capsys):
    # how long a replay takes is the benchmark's business (machines here are shared), not a test's
    junit = tmp_path / "ci" / "scenarios.xml"
    status = main(["replay", str(SHIPPED), "--junit", str(junit)])
    out = capsys.readouterr().out
    assert status == 0, out
    names = ["Flex onboarding", "Toll-free rule", "Trial account rules",
             "Test credentials and magic numbers", "Reservation timeout", "Faults",
             "Support conversation"]
    for name in names:
        assert f": {name} (" in out and "PASS" in out
    assert f"{len(names)} scenarios: {len(names)} passed, 0 failed in" in out
    root = ET.parse(junit).getroot()
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == (
        "testsuites", str(len(names)), "0", "0")
    assert sorted(c.get("name") for c in root.iter("testcase")) == sorted(names)


def test_a_broken_copy_fails_with_a_diff_naming_step_and_field(tmp_path, capsys):
    broken = tmp_path / "tollfree-rule.yaml"
    text = (SHIPPED / "tollfree-rule.yaml").read_text()
    broken.write_text(text.replace("error_code: 30032\n", "error_code: 30033\n", 1))
    junit = tmp_path / "junit.xml"
    assert main(["replay", str(broken), "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  " in out and "0 passed, 1 failed" in out
    assert "step 4 'its error code and message, and the signed status callback'" in out
    assert "json.error_code: expected 30033, got 30032" in out
    assert "request:  GET /api/2010-04-01/Accounts/AC02af17f4eb5c599711bcc3c917f73f7a/Messages/SM" in out
    assert "response: 200" in out and '"status": "undelivered"' in out
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    failure = case.find("failure")
    assert "json.error_code: expected 30033, got 30032" in failure.get("message")
    assert "response: 200" in failure.text


def test_keyword_selection(capsys):
    status, results = replay([SHIPPED], keywords=["toll-free", "TRIAL"])
    assert status == 0 and sorted(r.name for r in results) == ["Toll-free rule",
                                                               "Trial account rules"]
    status, results = replay([SHIPPED], keywords=["not onboarding", "not fault"])
    assert "Flex onboarding" not in [r.name for r in results] and len(results) == 5
    capsys.readouterr()


def test_an_invalid_file_is_an_error_and_the_exit_status_is_1(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("name: bad\nsteps:\n  - nothing: 1\n")
    assert main(["replay", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "bad.yaml:3: step 1" in out and "1 errors" in out
    assert main(["replay", str(tmp_path / "none")]) == 1


def test_replay_against_a_served_simulator():
    app = create_app(Settings())
    server = Server(app, host="127.0.0.1", port=0).start()
    try:
        status, results = replay([SHIPPED], url=server.base_url)
        assert status == 0, "\n".join(describe(r) for r in results if not r.passed)
        # the runner put the server's clock back in real time
        assert app.extensions["twilio_sim"].clock.frozen is False
    finally:
        server.stop()
        app.extensions["twilio_sim"].close()


def test_actors_captures_wait_until_and_webhooks():
    result = _run("""\
name: features
seed: 7
webhook_transport: record
variables: {to: "+14155550199", body: {From: "+14155550100", To: "{{ to }}", Body: hi}}
actors:
  sub: {account: "{{ accounts.1.sid }}"}
  key: {api_key: "{{ main.keys.0.sid }}"}
  owl_admin: {flex: {email: admin@owl.example.com, password: owl-admin-password,
                     account: ACbe3ffa32eebf1db578b3b070032de0ef}}
  owl_console: {console: {email: admin@owl.example.com, password: owl-admin-password}}
steps:
  - request: GET api/2010-04-01/Accounts/{{ accounts.1.sid }}.json
    as: sub
    expect: {json: {sid: "{{ accounts.1.sid }}"}}
""".replace("    as: sub\n", ""))
    assert result.passed, describe(result)
    result = _run("""\
name: features
webhook_transport: record
variables: {sms: {From: "+14155550100", To: "+14155550199", Body: hi,
                  StatusCallback: "https://app.example.test/s"}}
actors:
  sub: {account: "{{ accounts.1.sid }}"}
  key: {api_key: "{{ main.keys.0.sid }}"}
  owl_admin: {flex: {email: admin@owl.example.com, password: owl-admin-password,
                     account: ACbe3ffa32eebf1db578b3b070032de0ef}}
  owl_console: {console: {email: admin@owl.example.com, password: owl-admin-password}}
steps:
  - request: {as: sub, path: "api/2010-04-01/Accounts/{{ accounts.1.sid }}.json"}
    expect: {json: {sid: "{{ accounts.1.sid }}", owner_account_sid: "{{ main.sid }}"}}
  - request: {as: key, path: "api/2010-04-01/Accounts/{{ main.sid }}/Messages.json",
              params: "{{ sms }}"}
    expect: {status: 201}
    capture: {sid: sid, when: {header: Content-Type}}
  - wait_until:
      request: GET api/2010-04-01/Accounts/{{ main.sid }}/Messages/{{ sid }}.json
      expect: {json: {status: delivered}}
      every: 500ms
    capture: {final: status}
  - set: {copy: "{{ final }}"}
  - request: GET api/2010-04-01/Accounts/{{ main.sid }}/Messages/{{ sid }}.json
    expect:
      json: {status: "{{ copy }}"}
      headers: {Content-Type: {$contains: json}}
      webhooks:
        - {url: "https://app.example.test/s", count: 3, signature_valid: true}
        - {params: {MessageStatus: delivered, MessageSid: "{{ sid }}"}}
  - request: {as: owl_admin, method: GET, path: flex/me}
    expect: {json: {views: {$contains: admin}}}
  - request: {as: owl_console, method: GET, path: console/me}
    expect: {json: {email: admin@owl.example.com}}
  - request: {as: main.key, method: GET, path: "api/2010-04-01/Accounts/{{ main.sid }}/Messages.json"}
    expect: {status: 200}
  - request: {as: anonymous, method: GET, path: "api/2010-04-01/Accounts/{{ main.sid }}.json"}
    expect: {status: 401, code: 20003}
  - request: https://api.twilio.com/2010-04-01/Accounts/{{ main.sid }}.json
    expect: {json: {sid: "{{ main.sid }}"}}
""".replace("      every: 500ms\n", "      every: 0.5\n").replace(
        "  - request: https://api", "  - request: GET https://api"))
    assert result.passed, describe(result)
    assert result.steps == 10


def test_failures_of_wait_until_capture_and_variables():
    result = _run("""\
name: w
steps:
  - request: GET api/2010-04-01/Accounts/{{ main.sid }}.json
    capture: {x: no.such.field}
""")
    assert result.outcome == "failed" and "capture x: nothing at no.such.field" in describe(result)
    result = _run("""\
name: w
steps:
  - wait_until:
      request: GET api/2010-04-01/Accounts/{{ main.sid }}.json
      expect: {json: {status: closed}}
      within: 3
""")
    text = describe(result)
    assert "still not so after 3 simulated seconds" in text
    assert "json.status: expected 'closed', got 'active'" in text
    result = _run("name: v\nsteps:\n  - request: GET api/{{ nope }}\n")
    assert result.outcome == "error" and "unknown variable '{{ nope }}'" in describe(result)
    result = _run("name: v\nsteps:\n  - request: GET api/2010-04-01/Nothing.json\n")
    assert result.passed    # no expect: a 404 is not a failure...
    result = _run("name: v\nsteps:\n  - approve_tollfree: HH" + "0" * 32 + "\n")
    assert result.outcome == "failed" and "status: expected 2xx, got 404" in describe(result)


def test_the_pytest_plugin_collects_scenario_files(pytester):
    folder = pytester.path / "scenarios"
    folder.mkdir()
    shutil.copy(SHIPPED / "test-credentials.yaml", folder)
    (folder / "two.yaml").write_text(
        "name: passes\nsteps: [{advance: 1}]\n---\nname: fails\nsteps:\n"
        "  - request: GET api/2010-04-01/Accounts/{{ main.sid }}.json\n"
        "    expect: {json: {status: closed}}\n")
    (folder / "not-a-scenario.yaml").write_text("kind: Deployment\n")
    result = pytester.runpytest("scenarios", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*json.status: expected 'closed', got 'active'*",
                                 "*FAILED scenarios/two.yaml::fails*"])


def test_the_clock_starts_where_the_scenario_says():
    result = _run("""\
name: clock
clock: "2030-01-15T10:00:00Z"
steps:
  - request: GET _sim/v1/clock
    expect: {json: {now: "2030-01-15T10:00:00Z", mode: frozen}}
  - advance: 1h
  - request: GET _sim/v1/clock
    expect: {json: {now: "2030-01-15T11:00:00Z"}}
""")
    assert result.passed, describe(result)
