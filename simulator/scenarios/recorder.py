"""Turning a recorded run (``domain/recording.py``'s entries) into a scenario that replays
green against a fresh simulator.

* Values the simulator made (SIDs, tokens, secrets, codes) become variables: the step whose
  response first held one captures it, and later requests use ``{{ name }}``. Credentials
  that exist at the start become ``{{ main.sid }}``, ``{{ accounts.2.auth_token }}`` and the
  actors ``main``, ``main.test``, ``main.key``.
* Responses become expectations on stable fields: the status, Twilio's error code, the
  fields the request set (``FriendlyName`` -> ``friendly_name``), and statuses.
* Time that passed on the simulator clock between two requests becomes an ``advance``.
* Customer actions (an inbound SMS or call, a hang-up, a web-chat message, toll-free reviews,
  caller IDs) and faults on the control plane become their shortcut steps; reading
  the control plane (codes "sent", invitations) stays a request, so its values are captured.
"""
from __future__ import annotations

import re
from datetime import datetime

import yaml

from .matching import SID

SKIPPED_CONTROL = re.compile(r"^/_sim/v1/(recording|journal|health|credentials|snapshot|reset"
                             r"|clock(?!/advance)|webhooks/deliveries)")
MADE_KEYS = re.compile(r"(^|_)(sid|token|secret|code)$")
NAMES = {"AC": "account", "SM": "message", "MM": "message", "PN": "number", "MG": "service",
         "HH": "verification", "CA": "call", "SK": "key", "WS": "workspace", "WK": "worker",
         "WQ": "queue", "WW": "workflow", "WA": "activity", "TC": "channel", "WT": "task",
         "WR": "reservation", "GO": "flex_instance", "FU": "flex_user", "FO": "flex_flow",
         "CH": "channel", "US": "user", "NO": "alert", "ME": "media", "JQ": "sso_connection",
         "FW": "studio_flow", "IS": "chat_service", "WH": "delivery"}
MIN_SUBSTRING = 8   # a known value this long is replaced inside longer strings (paths, URLs)


def to_scenario(recording: dict, name: str | None = None) -> dict:
    """The scenario (a plain dict, as its YAML would load) of a recording."""
    return _Converter(recording).convert(name or recording.get("name"))


class _Converter:
    def __init__(self, recording: dict):
        self.recording = recording
        self.known: dict[str, str] = {}        # value -> its template
        self.candidates: dict[str, tuple] = {} # value made by a response -> (step, path, key)
        self.inputs: set[str] = set()          # values a request sent before any response had
        self.names: dict[str, str] = {}        # variable name -> value
        self.main = None
        self.actors: dict[str, dict] = {}
        for i, account in enumerate(recording.get("credentials") or []):
            prefix = f"accounts.{i}"
            if self.main is None and account["sid"] == account.get("owner_account_sid"):
                self.main = account
                prefix = "main"
            self.known.setdefault(account["sid"], f"{{{{ {prefix}.sid }}}}")
            self.known.setdefault(account["auth_token"], f"{{{{ {prefix}.auth_token }}}}")
            test = account.get("test_credentials") or {}
            if test:
                self.known.setdefault(test["sid"], f"{{{{ {prefix}.test_credentials.sid }}}}")
                self.known.setdefault(test["auth_token"],
                                      f"{{{{ {prefix}.test_credentials.auth_token }}}}")
            for k, key in enumerate(account.get("keys") or []):
                self.known.setdefault(key["sid"], f"{{{{ {prefix}.keys.{k}.sid }}}}")
                self.known.setdefault(key["secret"], f"{{{{ {prefix}.keys.{k}.secret }}}}")

    # -- the whole recording -----------------------------------------------------------------
    def convert(self, name: str | None) -> dict:
        steps: list[dict] = []
        last = None
        for entry in self.recording.get("entries") or []:
            path, method = entry["path"], entry["method"]
            now = _time(entry.get("time"))
            is_advance = (path == "/_sim/v1/clock/advance" and method == "POST"
                          and entry["status"] < 400)
            advance_by = (_seconds((entry.get("json") or {}).get("seconds")) or 0) \
                if is_advance else 0
            if last is not None and now is not None:
                gap = (now - last).total_seconds() - advance_by
                if gap > 0:   # time that passed on the clock between two requests
                    steps.append({"advance": _number(gap)})
            if now is not None:
                last = now
            if is_advance:
                if advance_by:
                    steps.append({"advance": _number(advance_by)})
                continue
            if path.startswith("/_sim/") and (SKIPPED_CONTROL.match(path) or (
                    method == "GET" and path.startswith("/_sim/v1/faults"))):
                continue
            steps.append(self.step(entry))
        doc = {"name": name or "Recorded run",
               "description": f"Recorded from a simulator run started at "
                              f"{self.recording.get('started_at', '?')}."}
        if self.recording.get("seed") is not None:
            doc["seed"] = self.recording["seed"]
        if self.recording.get("fixtures"):
            doc["fixtures"] = self.recording["fixtures"]
        if self.actors:
            doc["actors"] = self.actors
        doc["steps"] = steps or [{"advance": 0}]
        return doc

    # -- one request ----------------------------------------------------------------------------
    def step(self, entry: dict) -> dict:
        method, path = entry["method"], entry["path"]
        form = {k: (v[0] if len(v) == 1 else v) for k, v in (entry.get("form") or {}).items()}
        query = {k: (v[0] if len(v) == 1 else v) for k, v in (entry.get("query") or {}).items()}
        body = entry.get("json")
        for value in _strings([form, query, body, entry.get("auth"), path]):
            if value not in self.known and value not in self.candidates:
                self.inputs.add(value)
        step = self.shortcut(method, path, body)
        if step is None:
            request = {}
            actor = self.actor(entry.get("auth"), path)
            if actor is not None:
                request["as"] = actor
            request["method"] = method
            request["path"] = self.fill(path.lstrip("/"), partial=True)
            if query:
                request["query"] = self.fill(query)
            if form:
                request["params"] = self.fill(form)
            elif body is not None:
                request["json"] = self.fill(body)
            step = {"request": request}
        expect = self.expect(entry, form, body if isinstance(body, dict) else {})
        if "request" not in step:   # a shortcut: its answer is the simulator's, not the app's
            expect.pop("json", None)
        if expect:
            step["expect"] = expect
        self.learn(step, entry.get("body"))
        return step

    def shortcut(self, method: str, path: str, body) -> dict | None:
        if method != "POST" and not (method == "DELETE" and path == "/_sim/v1/faults"):
            return None
        body = body if isinstance(body, dict) else {}
        if path == "/_sim/v1/messages/inbound":
            return {"inbound_sms": self.fill(body)}
        m = re.fullmatch(r"/_sim/v1/tollfree-verifications/([^/]+)/(approve|review|reject)", path)
        if m:
            sid = self.fill(m.group(1))
            if m.group(2) == "reject":
                return {"reject_tollfree": {"sid": sid, **self.fill(body)}}
            return {f"{m.group(2)}_tollfree": sid}
        if path == "/_sim/v1/calls/inbound":
            return {"inbound_call": self.fill(body)}
        m = re.fullmatch(r"/_sim/v1/calls/([^/]+)/hangup", path)
        if m:
            return {"hang_up": self.fill(m.group(1))}
        m = re.fullmatch(r"/_sim/v1/webchat/([^/]+)/messages", path)
        if m:
            return {"webchat_message": {"conversation": self.fill(m.group(1)), **self.fill(body)}}
        if path == "/_sim/v1/caller-ids":
            return {"verify_caller_id": self.fill(body)}
        if path == "/_sim/v1/faults":
            return {"fault": self.fill(body)} if method == "POST" else {"clear_faults": True}
        return None

    def actor(self, auth, path: str):
        default = "control" if path.startswith("/_sim/") else \
            "anonymous" if path.startswith(("/console", "/flex/")) else "main"
        if not auth:
            return None if default in ("control", "anonymous") else "anonymous"
        if auth[0] == "bearer":
            return self.declare("user", {"bearer": self.fill(auth[1])})
        user, password = auth[1], auth[2]
        main = self.main or {}
        if user == main.get("sid") and password == main.get("auth_token"):
            return None if default == "main" else "main"
        test = main.get("test_credentials") or {}
        if user == test.get("sid") and password == test.get("auth_token"):
            return "main.test"
        keys = main.get("keys") or []
        if keys and user == keys[0]["sid"] and password == keys[0]["secret"]:
            return "main.key"
        if user.startswith("AC"):
            return self.declare("account", {"account": self.fill(user),
                                            "auth_token": self.fill(password)})
        if user.startswith("SK"):
            return self.declare("key", {"api_key": self.fill(user), "secret": self.fill(password)})
        return self.declare("user", {"basic": [self.fill(user), self.fill(password)]})

    def declare(self, kind: str, spec: dict) -> str:
        """The name of a declared actor with this spec (declared on first use)."""
        for name, known in self.actors.items():
            if known == spec:
                return name
        n = sum(1 for name in self.actors if name.startswith(kind + "_")) + 1
        name = f"{kind}_{n}"
        self.actors[name] = spec
        return name

    def expect(self, entry: dict, form: dict, body: dict) -> dict:
        if entry.get("dropped"):
            return {"dropped": True}
        expect = {"status": entry["status"]}
        answer = entry.get("body")
        if not isinstance(answer, dict):
            return expect
        if entry["status"] >= 400 and isinstance(answer.get("code"), int):
            expect["code"] = answer["code"]
            return expect
        fields = {}
        for name, value in form.items():
            key = _snake(name)
            if key in answer and not isinstance(value, list) and _same(answer[key], value):
                fields[key] = self.fill(answer[key])
        for key, value in body.items():
            if key in answer and not isinstance(value, (dict, list)) and answer[key] == value:
                fields[key] = self.fill(answer[key])
        for key, value in answer.items():
            if (key == "status" or key.endswith("_status")) and isinstance(value, str):
                fields.setdefault(key, value)
        if fields:
            expect["json"] = fields
        return expect

    # -- values ----------------------------------------------------------------------------
    def learn(self, step: dict, body, path: str = "", key: str = "", depth: int = 0):
        """Remember the values this response made, to capture them if a later request uses them."""
        if depth > 6:
            return
        if isinstance(body, dict):
            for k, v in body.items():
                self.learn(step, v, f"{path}.{k}" if path else str(k), str(k), depth + 1)
        elif isinstance(body, list):
            for i, v in enumerate(body[:50]):
                self.learn(step, v, f"{path}.{i}" if path else str(i), key, depth + 1)
        elif isinstance(body, str) and body and (SID.match(body) or MADE_KEYS.search(key)):
            if body in self.known or body in self.candidates or body in self.inputs:
                return
            if key != "sid" and not SID.match(body) and len(body) < 4:
                return
            self.candidates[body] = (step, path, key)

    def fill(self, value, partial: bool = False):
        """A request's value with the values known or made replaced by their templates."""
        if isinstance(value, dict):
            return {k: self.fill(v, partial) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v, partial) for v in value]
        if not isinstance(value, str) or not value:
            return value
        whole = self.template(value)
        if whole is not None:
            return whole
        if "{{" in value:
            return value
        for made in sorted(set(self.known) | set(self.candidates), key=len, reverse=True):
            if len(made) >= MIN_SUBSTRING and made in value:
                value = value.replace(made, self.template(made))
        return value

    def template(self, value: str) -> str | None:
        if value in self.known:
            return self.known[value]
        if value not in self.candidates:
            return None
        step, path, key = self.candidates.pop(value)
        name = self.name_for(value, key)
        step.setdefault("capture", {})[name] = path
        self.known[value] = f"{{{{ {name} }}}}"
        return self.known[value]

    def name_for(self, value: str, key: str) -> str:
        if key == "sid" and SID.match(value):
            base = NAMES.get(value[:2], value[:2].lower()) + "_sid"
        else:
            base = re.sub(r"\W", "_", key) or "value"
            if base[0].isdigit():
                base = "v_" + base
        name, n = base, 2
        while name in self.names or name in ("main", "accounts"):
            name, n = f"{base}_{n}", n + 1
        self.names[name] = value
        return name


def _strings(value):
    if isinstance(value, str):
        yield value
        for part in value.split("/"):
            yield part.removesuffix(".json")
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.replace(".", "_")).lower()


def _same(answer_value, sent: str) -> bool:
    if isinstance(answer_value, bool):
        return str(answer_value).lower() == sent.lower()
    if isinstance(answer_value, (int, float)):
        return str(answer_value) == sent
    return answer_value == sent


def _time(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _seconds(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _number(seconds: float):
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)


# -- YAML ---------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    pass


def _represent_dict(dumper, data):
    flow = len(data) <= 4 and all(isinstance(v, (str, int, float, bool, type(None)))
                                  and len(str(v)) < 40 for v in data.values()) and \
        sum(len(str(k)) + len(str(v)) for k, v in data.items()) < 70
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_list(dumper, data):
    flow = len(data) <= 4 and all(isinstance(v, (str, int, float, bool)) and len(str(v)) < 40
                                  for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(doc: dict) -> str:
    """A scenario as readable YAML (small objects on one line)."""
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
