"""Replaying scenarios: each against a fresh simulator (an in-process app, reset, or a served
simulator at a URL, reset), step by step, through the doors a client uses: HTTP requests to
Twilio's products, the Console, the Flex UI, and the control plane for the clock, customer
actions and faults. Never the domain directly.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json as jsonlib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..app import create_app
from ..config import Settings
from ..hosts import local_path
from .loader import Scenario, parse_duration
from .matching import MISSING, TemplateError, compare, lookup, render, show
from .target import Answer, InProcess, Remote

CONTROL = "/_sim/v1"


class StepFailed(Exception):
    def __init__(self, message: str, problems=(), exchange: list | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.exchange = exchange or []


@dataclass
class Failure:
    step: int | None          # 0-based; None before the first step
    label: str
    line: int | None
    message: str
    problems: list = field(default_factory=list)    # (path, message)
    exchange: list = field(default_factory=list)    # text blocks: the request and the response


@dataclass
class Result:
    scenario: Scenario | None
    name: str
    file: Path
    outcome: str              # "passed" | "failed" | "error"
    seconds: float = 0.0
    steps: int = 0
    failure: Failure | None = None

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


class Runner:
    """Replays scenarios. Without ``url``, in-process: one app per (seed, fixtures), reset
    before each scenario; with ``url``, against that server, reset before each scenario."""

    def __init__(self, url: str | None = None, seed: int | None = None):
        self.url = url
        self.seed = seed
        self._apps: dict = {}
        self._fixture_files: dict = {}
        self._remote = Remote(url) if url else None
        self._remote_clock = None

    # -- targets -------------------------------------------------------------------------
    def _fixtures(self, scenario: Scenario) -> str | None:
        fixtures = scenario.doc.get("fixtures")
        if fixtures is None:
            return None
        if isinstance(fixtures, str):
            return str((scenario.file.parent / fixtures).resolve())
        key = jsonlib.dumps(fixtures, sort_keys=True)
        if key not in self._fixture_files:
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                jsonlib.dump(fixtures, f)
            self._fixture_files[key] = f.name
        return self._fixture_files[key]

    def _app(self, seed, fixtures):
        key = (seed, fixtures)
        if key not in self._apps:
            self._apps[key] = create_app(Settings(seed=seed, fixtures=fixtures, freeze_clock=True))
        return self._apps[key]

    def _target(self, scenario: Scenario):
        seed = scenario.doc.get("seed", self.seed)
        fixtures = self._fixtures(scenario)
        if self._remote is None:
            return InProcess(self._app(seed, fixtures))
        if self._remote_clock is None:
            self._remote_clock = self._remote.send("GET", f"{CONTROL}/clock").json
        _control(self._remote, "POST", "reset")
        if seed is not None or fixtures is not None:
            # the server cannot change its seed or fixtures: give it the state they make
            state = _control(InProcess(self._app(seed, fixtures)), "GET", "snapshot")
            _control(self._remote, "PUT", "snapshot", state)
        return self._remote

    def close(self):
        for app in self._apps.values():
            app.extensions["twilio_sim"].close()
        self._apps.clear()
        for name in self._fixture_files.values():
            Path(name).unlink(missing_ok=True)
        self._fixture_files.clear()
        if self._remote is not None:
            clock = self._remote_clock
            if isinstance(clock, dict) and clock.get("mode") == "real":
                self._remote.send("POST", f"{CONTROL}/clock/real", json={})
            self._remote.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- one scenario ----------------------------------------------------------------------
    def run(self, scenario: Scenario) -> Result:
        started = time.perf_counter()
        result = Result(scenario, scenario.name, scenario.file, "passed")
        try:
            target = self._target(scenario)
            replay = Replay(scenario, target)
            replay.start()
        except (StepFailed, TemplateError, OSError, ValueError) as e:
            result.outcome = "error"
            result.failure = Failure(None, "set-up", scenario.line, str(e),
                                     exchange=getattr(e, "exchange", []))
            result.seconds = time.perf_counter() - started
            return result
        for i, step in enumerate(scenario.doc["steps"]):
            try:
                replay.step(step)
            except StepFailed as e:
                result.outcome = "failed"
                result.failure = Failure(i, scenario.step_label(i), _at(scenario, i), e.message,
                                         e.problems, e.exchange)
                break
            except (TemplateError, ValueError) as e:
                result.outcome = "error"
                result.failure = Failure(i, scenario.step_label(i), _at(scenario, i), str(e))
                break
            result.steps = i + 1
        result.seconds = time.perf_counter() - started
        return result


def _at(scenario: Scenario, i: int) -> int | None:
    return scenario.lines[i] if i < len(scenario.lines) else None


def _control(target, method: str, path: str, body=None):
    if body is None and method != "GET":
        body = {}   # the control plane takes JSON on every call but a GET
    answer = target.send(method, f"{CONTROL}/{path}", json=MISSING if body is None else body)
    if answer.status is None or answer.status >= 400:
        raise StepFailed(f"the control plane answered {method} {CONTROL}/{path} with "
                         f"{answer.status}: {answer.text[:300]}")
    data = answer.json
    return None if data is MISSING else data


# -- the steps of one replay ------------------------------------------------------------------
class Replay:
    def __init__(self, scenario: Scenario, target):
        self.scenario = scenario
        self.target = target
        self.vars: dict = {}
        self.sessions: dict = {}

    def start(self):
        doc = self.scenario.doc
        at = doc.get("clock")
        _control(self.target, "POST", "clock/freeze", {"at": at} if at else {})
        if doc.get("webhook_transport"):
            _control(self.target, "POST", "webhooks/settings",
                     {"transport": doc["webhook_transport"]})
        self._credentials()
        for name, value in (doc.get("variables") or {}).items():
            self.vars[name] = render(value, self.vars)

    def _credentials(self):
        accounts = _control(self.target, "GET", "credentials")["accounts"]
        self.vars["accounts"] = accounts
        self.vars["main"] = next((a for a in accounts if a["sid"] == a["owner_account_sid"]),
                                 accounts[0] if accounts else {})

    # -- dispatch ----------------------------------------------------------------------------
    def step(self, step: dict):
        expect = step.get("expect")
        if "request" in step:
            answer, exchange = self.request(step["request"])
            self.check(answer, expect, exchange, implicit_ok=False)
        elif "wait_until" in step:
            answer, exchange = self.wait_until(step["wait_until"])
        elif "advance" in step:
            seconds = parse_duration(render(step["advance"], self.vars))
            _control(self.target, "POST", "clock/advance", {"seconds": seconds})
            return
        elif "set" in step:
            for name, value in step["set"].items():
                self.vars[name] = render(value, self.vars)
            return
        else:
            answer, exchange = self.shortcut(step)
            self.check(answer, expect, exchange, implicit_ok=True)
        if step.get("capture"):
            self.capture(step["capture"], answer, exchange)

    def shortcut(self, step: dict):
        def sid_of(value):
            value = render(value, self.vars)
            return value["sid"] if isinstance(value, dict) else value

        if "inbound_sms" in step:
            return self.control("POST", "messages/inbound", render(step["inbound_sms"], self.vars))
        if "inbound_call" in step:
            return self.control("POST", "calls/inbound", render(step["inbound_call"], self.vars))
        if "hang_up" in step:
            return self.control("POST", f"calls/{quote(str(sid_of(step['hang_up'])))}/hangup", {})
        if "webchat_message" in step:
            spec = dict(render(step["webchat_message"], self.vars))
            conversation = quote(str(spec.pop("conversation")))
            return self.control("POST", f"webchat/{conversation}/messages", spec)
        for action, verb in (("approve_tollfree", "approve"), ("review_tollfree", "review")):
            if action in step:
                return self.control("POST", f"tollfree-verifications/"
                                            f"{quote(str(sid_of(step[action])))}/{verb}", {})
        if "reject_tollfree" in step:
            spec = render(step["reject_tollfree"], self.vars)
            spec = spec if isinstance(spec, dict) else {"sid": spec}
            body = {k: v for k, v in spec.items() if k != "sid"}
            return self.control("POST", f"tollfree-verifications/{quote(str(spec['sid']))}/reject",
                                body)
        if "verify_caller_id" in step:
            return self.control("POST", "caller-ids", render(step["verify_caller_id"], self.vars))
        if "fault" in step:
            return self.control("POST", "faults", render(step["fault"], self.vars))
        if "clear_faults" in step:
            return self.control("DELETE", "faults", None)
        raise ValueError(f"unknown step: {', '.join(step)}")

    def control(self, method: str, path: str, body):
        if body is None and method != "GET":
            body = {}   # the control plane takes JSON on every call but a GET
        return self.send(method, f"{CONTROL}/{path}", json=MISSING if body is None else body,
                         actor="control")

    # -- requests -----------------------------------------------------------------------------
    def request(self, spec):
        if isinstance(spec, str):
            method, _, path = spec.strip().partition(" ")
            spec = {"method": method, "path": path.strip()}
        spec = render(spec, self.vars)
        path = spec["path"]
        if path.startswith(("http://", "https://")):
            path = local_path(path)
        path = "/" + path.lstrip("/")
        has_body = "params" in spec or "json" in spec
        method = (spec.get("method") or ("POST" if has_body else "GET")).upper()
        actor = spec.get("as") or _default_actor(path)
        return self.send(method, path, query=spec.get("query"), form=spec.get("params"),
                         json=spec["json"] if "json" in spec else MISSING,
                         headers=spec.get("headers"), actor=actor)

    def send(self, method, path, *, query=None, form=None, json=MISSING, headers=None,
             actor="control"):
        headers = {**self.auth(actor), **(headers or {})}
        answer = self.target.send(method, path, query=query, form=form, json=json,
                                  headers=headers)
        return answer, _exchange(method, path, actor, query, form, json, answer)

    def auth(self, actor) -> dict:
        if isinstance(actor, str):
            if actor in ("anonymous", "control"):
                return {}
            main = self.vars.get("main") or {}
            if actor == "main":
                return _basic(main.get("sid"), main.get("auth_token"))
            if actor == "main.test":
                test = main.get("test_credentials") or {}
                return _basic(test.get("sid"), test.get("auth_token"))
            if actor == "main.key":
                keys = main.get("keys") or []
                if not keys:
                    raise StepFailed("actor main.key: the main account has no API key")
                return _basic(keys[0]["sid"], keys[0]["secret"])
            declared = (self.scenario.doc.get("actors") or {}).get(actor)
            if declared is None:
                raise StepFailed(f"unknown actor '{actor}'")
            actor = render(declared, self.vars)
        if "basic" in actor:
            return _basic(*actor["basic"])
        if "bearer" in actor:
            return {"Authorization": f"Bearer {actor['bearer']}"}
        if "account" in actor:
            token = actor.get("auth_token") or self._find(
                lambda a: a["sid"] == actor["account"], lambda a: a["auth_token"],
                f"no account {actor['account']}")
            return _basic(actor["account"], token)
        if "test_credentials" in actor:
            test = self._find(lambda a: a["sid"] == actor["test_credentials"],
                              lambda a: a["test_credentials"],
                              f"no account {actor['test_credentials']}")
            return _basic(test["sid"], test["auth_token"])
        if "api_key" in actor:
            secret = actor.get("secret") or self._find(
                lambda a: any(k["sid"] == actor["api_key"] for k in a.get("keys", [])),
                lambda a: next(k["secret"] for k in a["keys"] if k["sid"] == actor["api_key"]),
                f"no API key {actor['api_key']}")
            return _basic(actor["api_key"], secret)
        if "console" in actor:
            return {"Authorization": f"Bearer {self._session(actor['console'])}"}
        if "flex" in actor:
            spec = actor["flex"]
            key = ("flex", spec["email"], spec["account"])
            if key not in self.sessions:
                session = self._session(spec)
                answer, exchange = self.send(
                    "POST", f"/console/flex-accounts/{spec['account']}/flex-sign-in",
                    json={}, headers={"Authorization": f"Bearer {session}"}, actor="anonymous")
                self.sessions[key] = self._must(answer, exchange, "token", "Flex sign-in")
            return {"Authorization": f"Bearer {self.sessions[key]}"}
        raise StepFailed(f"cannot tell who the actor {show(actor)} is")

    def _session(self, spec: dict) -> str:
        key = ("console", spec["email"], spec["password"])
        if key not in self.sessions:
            answer, exchange = self.send("POST", "/console/login", actor="anonymous",
                                         json={"email": spec["email"],
                                               "password": spec["password"]})
            self.sessions[key] = self._must(answer, exchange, "session_token", "Console log-in")
        return self.sessions[key]

    @staticmethod
    def _must(answer: Answer, exchange, field_: str, what: str):
        data = answer.json
        if answer.status not in (200, 201) or not isinstance(data, dict) or field_ not in data:
            raise StepFailed(f"{what} failed ({answer.status})", exchange=exchange)
        return data[field_]

    def _find(self, where, pick, missing: str):
        for refresh in (False, True):
            if refresh:
                self._credentials()
            for account in self.vars["accounts"]:
                if where(account):
                    return pick(account)
        raise StepFailed(f"actor: {missing} among the simulator's credentials")

    # -- expectations -----------------------------------------------------------------------
    def check(self, answer: Answer, expect: dict | None, exchange, implicit_ok: bool):
        problems = self.problems(answer, expect or {}, implicit_ok)
        if problems:
            raise StepFailed("expected vs got", problems, exchange)

    def problems(self, answer: Answer, expect: dict, implicit_ok: bool = False) -> list:
        expect = render(expect, self.vars)
        problems = []
        if answer.dropped or expect.get("dropped"):
            if bool(expect.get("dropped")) != answer.dropped:
                problems.append(("connection", "expected it dropped, got a response"
                                 if expect.get("dropped") else "dropped without a response"))
            return problems
        if "status" in expect:
            wanted = expect["status"]
            options = wanted if isinstance(wanted, list) else [wanted]
            if answer.status not in options:
                problems.append(("status", f"expected {' or '.join(map(str, options))}, "
                                           f"got {answer.status}"))
        elif implicit_ok and not 200 <= answer.status < 300:
            problems.append(("status", f"expected 2xx, got {answer.status}"))
        elif answer.status >= 500:
            problems.append(("status", f"expected no server error, got {answer.status}"))
        body = answer.json
        if "code" in expect:
            got = body.get("code", MISSING) if isinstance(body, dict) else MISSING
            if expect["code"] is None:
                if got not in (MISSING, None):
                    problems.append(("code", f"expected no error code, got {got}"))
            else:
                problems += [("code" if not p else f"code.{p}", m)
                             for p, m in compare(expect["code"], got)]
        if "json" in expect:
            problems += [(f"json.{p}" if p else "json", m) for p, m in compare(expect["json"], body)]
        if "text" in expect:
            problems += [("text", m) for _, m in compare(expect["text"], answer.text)]
        for name, want in (expect.get("headers") or {}).items():
            problems += [(f"headers.{name}", m) for _, m in compare(want, answer.header(name))]
        if "webhooks" in expect:
            problems += self.webhook_problems(expect["webhooks"])
        return problems

    def webhook_problems(self, wanted: list) -> list:
        deliveries = _control(self.target, "GET", "webhooks/deliveries")["deliveries"]
        problems = []
        for i, item in enumerate(wanted):
            item = dict(item)
            count = item.pop("count", None)
            valid = item.pop("signature_valid", None)
            matching = [d for d in deliveries if not compare(item, d)
                        and (valid is None or self.signature_valid(d) == valid)]
            if count is not None and len(matching) != count:
                problems.append((f"webhooks.{i}", f"expected {count} deliveries matching "
                                                  f"{show(item)}, got {len(matching)}"))
            elif count is None and not matching:
                nearest = _nearest(item, deliveries)
                detail = f"; nearest: {'; '.join(f'{p}: {m}' for p, m in nearest)}" \
                    if nearest else f" among {len(deliveries)} deliveries"
                if nearest is not None and not nearest and valid is not None:
                    detail = f"; the signature is {'not ' if valid else ''}valid"
                problems.append((f"webhooks.{i}", f"no delivery matches {show(item)}{detail}"))
        return problems

    def signature_valid(self, delivery: dict) -> bool:
        token = self._find(lambda a: a["sid"] == delivery["account_sid"],
                           lambda a: a["auth_token"], f"no account {delivery['account_sid']}")
        params = {} if delivery["method"] == "GET" else delivery["params"]
        return hmac.compare_digest(_signature(token, delivery["signed_url"], params),
                                   delivery["signature"])

    def capture(self, spec: dict, answer: Answer, exchange):
        body = answer.json
        for name, where in spec.items():
            if isinstance(where, str):
                value = lookup(body, render(where, self.vars)) if body is not MISSING else MISSING
                what = where
            elif "header" in where:
                value, what = answer.header(where["header"]), f"header {where['header']}"
            else:
                where = render(where, self.vars)
                items = lookup(body, where.get("path", "")) if body is not MISSING else MISSING
                what = where.get("path") or "the body"
                if not isinstance(items, list):
                    value = MISSING
                else:
                    found = next((x for x in items if not compare(where.get("where", {}), x)),
                                 MISSING)
                    value = found if found is MISSING or not where.get("field") \
                        else lookup(found, where["field"])
                    what = f"{what} where {show(where.get('where'))}"
            if value is MISSING:
                raise StepFailed(f"capture {name}: nothing at {what} in the response",
                                 exchange=exchange)
            self.vars[name] = value

    def wait_until(self, spec: dict):
        within = parse_duration(render(spec.get("within", 60), self.vars))
        every = max(parse_duration(render(spec.get("every", 1), self.vars)), 0.001)
        waited = 0.0
        while True:
            answer, exchange = self.request(spec["request"])
            problems = self.problems(answer, spec["expect"])
            if not problems:
                return answer, exchange
            if waited >= within:
                raise StepFailed(f"still not so after {waited:g} simulated seconds (within: "
                                 f"{within:g}); the last answer:", problems, exchange)
            _control(self.target, "POST", "clock/advance", {"seconds": every})
            waited += every


def _default_actor(path: str) -> str:
    if path.startswith("/_sim/"):
        return "control"
    if path.startswith(("/console/", "/flex/")) or path in ("/console", "/flex"):
        return "anonymous"
    return "main"


def _basic(user, password) -> dict:
    if not user or password is None:
        raise StepFailed("actor: missing credentials")
    raw = f"{user}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode("ascii")}


def _signature(token: str, url: str, params: dict) -> str:
    """X-Twilio-Signature as a receiving app computes it (what twilio's RequestValidator does)."""
    data = url + "".join(f"{k}{v}" for k in sorted(params)
                         for v in sorted(params[k] if isinstance(params[k], list)
                                         else [params[k]]))
    mac = hmac.new(token.encode(), data.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def _nearest(item: dict, deliveries: list):
    """The differences to the delivery closest to what was expected (None: no deliveries)."""
    if not deliveries:
        return None
    return min((compare(item, d) for d in deliveries), key=len)


def _exchange(method, path, actor, query, form, json, answer: Answer) -> list[str]:
    who = actor if isinstance(actor, str) else show(actor, 80)
    lines = [f"request:  {method} {path}" + (f"  (as {who})" if who != "control" or
                                             not path.startswith("/_sim/") else "")]
    if query:
        lines.append(f"  query:  {jsonlib.dumps(query, ensure_ascii=False)}")
    if form:
        lines.append(f"  params: {jsonlib.dumps(form, ensure_ascii=False)}")
    if json is not MISSING:
        lines.append(f"  json:   {jsonlib.dumps(json, ensure_ascii=False)[:500]}")
    if answer.dropped:
        lines.append(f"response: (connection dropped) {answer.text[:200]}")
        return lines
    lines.append(f"response: {answer.status}")
    body = answer.json
    text = jsonlib.dumps(body, indent=2, ensure_ascii=False) if body is not MISSING \
        else answer.text
    shown = text.splitlines()
    if len(shown) > 40:
        shown = shown[:40] + [f"... ({len(shown) - 40} more lines)"]
    lines += ["  " + line for line in shown]
    return lines
