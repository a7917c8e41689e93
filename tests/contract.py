"""The official Twilio OpenAPI specs as a response checker for the test suite.

The specs folder comes from ``TWILIO_SIM_SPECS`` (default ``../shared/specs``
beside the checkout); Twilio's error list from ``TWILIO_SIM_ERROR_CODES``. Nothing
here comes from the simulator: the oracle is the specs (schemas *and* their response
examples), Twilio's error list and the literal values below.

``check(method, url, status, text)`` checks one response of a Twilio product
(``url`` is the public URL, ``https://api.twilio.com/2010-04-01/...``):

* a 2xx body against its operation's response schema, at every level: every
  declared property present and no other, in the top-level record, in nested
  objects (``capabilities``, ``meta``, ...) and in every item of every list; a
  ``uri-map`` object (``subresource_uris``, ``links``) has exactly the keys of the
  spec's examples of that resource, each URL on the example's Twilio host and of the
  example's shape (same path template, same record fields in it);
* dates per field: ``date-time-rfc-2822`` (the 2010 API) as
  ``Thu, 30 Jul 2015 20:00:00 +0000``, ``date-time`` (v1/v2) as ISO 8601 UTC;
* URLs on the right host: a URL on a Twilio API host must be a path of that host in
  the specs; paging URLs must point at the list that was asked for;
* an empty 2xx body where the spec has a JSON body, a JSON body where it has none;
* an error body in Twilio's shape with a code from Twilio's error list.

``check_other`` checks what the simulator's own surfaces (Console, Flex UI, the
control plane) answer: they have no schema, but an error there is still in
Twilio's error shape. ``check_exchange`` picks between the two from a local path.
"""
from __future__ import annotations

import email.utils
import json
import os
import re
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(os.environ.get("TWILIO_SIM_SPECS", ROOT.parent / "shared" / "specs"))
ERROR_CODES = Path(os.environ.get("TWILIO_SIM_ERROR_CODES",
                                  ROOT.parent / "shared" / "reference" / "twilio-error-codes.json"))

# Codes Twilio documents that are younger than the error list on disk (a 2019 snapshot).
DOCUMENTED_LATER = {
    45050: "https://www.twilio.com/docs/api/errors/45050",  # Flex SSO: missing user attributes
    20412: "https://www.twilio.com/docs/api/errors/20412",  # Precondition failed (If-Match)
}

SID = re.compile(r"^([A-Z]{2})[0-9a-fA-F]{32}$")
RFC_2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
                      r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                      r"\d{2}:\d{2}:\d{2} \+0000$")
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
PAGING_2010 = ("uri", "first_page_uri", "next_page_uri", "previous_page_uri")
PAGING_META = ("url", "first_page_url", "next_page_url", "previous_page_url")


def available() -> bool:
    return SPECS.is_dir() and any(SPECS.glob("twilio_*.json"))


# -- the specs, indexed ------------------------------------------------------------------------
class Operation:
    def __init__(self, spec: dict, host: str, path: str, method: str, op: dict, item: dict):
        self.spec, self.host, self.path, self.method, self.op = spec, host, path, method, op
        self.item = item
        self.operation_id = op.get("operationId", f"{method} {path}")
        self.pattern = _template(path)

    def response(self, status: int) -> dict | None:
        return self.op.get("responses", {}).get(str(status))

    def schema(self, status: int):
        content = (self.response(status) or {}).get("content", {}).get("application/json")
        return content and content.get("schema")

    def examples(self, status: int) -> list:
        content = (self.response(status) or {}).get("content", {}).get("application/json") or {}
        return [e["value"] for e in (content.get("examples") or {}).values() if "value" in e]


def _template(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(path)) + "$")


@lru_cache(maxsize=1)
def _specs() -> list[dict]:
    return [json.loads(f.read_text()) for f in sorted(SPECS.glob("twilio_*.json"))]


@lru_cache(maxsize=1)
def _routes() -> list[Operation]:
    routes = []
    for spec in _specs():
        for path, item in spec.get("paths", {}).items():
            servers = item.get("servers") or spec.get("servers") or []
            if not servers:
                continue
            host = urlsplit(servers[0]["url"]).hostname
            for method in ("get", "post", "delete", "put"):
                if method in item:
                    routes.append(Operation(spec, host, path, method.upper(), item[method], item))
    routes += _documented_lists(routes)
    # literal paths before templated ones (``/Users/Provision`` before ``/Users/{Sid}``)
    routes.sort(key=lambda op: op.path.count("{"))
    return routes


# Lists Twilio documents that the spec snapshot lacks: (host, path, list key, record schema).
DOCUMENTED_LISTS = [
    # "List FlexUsers (public beta)": https://www.twilio.com/docs/flex/developer/user-management/flex-users-api
    ("flex-api.twilio.com", "/v2/Instances/{InstanceSid}/Users", "users", "flex.v2.flex_user"),
]


def _documented_lists(routes: list[Operation]) -> list[Operation]:
    """The lists above, with the records of their schema and a v1/v2 ``meta``."""
    meta = next(op.schema(200)["properties"]["meta"] for op in routes
                if op.host == "flex-api.twilio.com" and op.method == "GET"
                and "meta" in (op.schema(200) or {}).get("properties", {}))
    found = []
    for host, path, key, record in DOCUMENTED_LISTS:
        spec = next(op.spec for op in routes if op.host == host
                    and record in op.spec.get("components", {}).get("schemas", {}))
        schema = {"type": "object", "properties": {
            key: {"type": "array", "items": {"$ref": f"#/components/schemas/{record}"}},
            "meta": meta}}
        op = {"operationId": f"List {record} (documented, not in the spec snapshot)",
              "responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
        found.append(Operation(spec, host, path, "GET", op, {}))
    return found


@lru_cache(maxsize=1)
def hosts() -> dict[str, str]:
    """Product label -> Twilio API host, for every host the specs describe."""
    return {op.host.split(".")[0]: op.host for op in _routes()}


@lru_cache(maxsize=1)
def _by_shape() -> dict[tuple[str, int], list[Operation]]:
    """Routes by host and number of path segments (a template segment is one segment)."""
    index: dict[tuple[str, int], list[Operation]] = {}
    for op in _routes():
        index.setdefault((op.host, op.path.count("/")), []).append(op)
    return index


def operation_for(method: str, url: str) -> Operation | None:
    parts = urlsplit(url)
    for op in _by_shape().get((parts.hostname, parts.path.count("/")), []):
        if op.method == method.upper() and op.pattern.match(parts.path):
            return op
    return None


def _path_template(host: str, path: str) -> Operation | None:
    """The spec path (any method) a URL path of ``host`` matches."""
    for op in _by_shape().get((host, path.count("/")), []):
        if op.pattern.match(path):
            return op
    return None


@lru_cache(maxsize=1)
def error_codes() -> set[int] | None:
    """Twilio's error codes, or None when the error list is absent."""
    if not ERROR_CODES.exists():
        return None
    return {e["code"] for e in json.loads(ERROR_CODES.read_text())}


def _resolve(spec: dict, schema: dict) -> tuple[dict, str | None]:
    name = None
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema, name


@lru_cache(maxsize=1)
def _component_examples() -> dict[str, list]:
    """Every example value of every component, from every operation's response examples
    (the records of a list example included)."""
    found: dict[str, list] = {}
    seen: dict[str, set] = {}

    def collect(spec, schema, value):
        schema, name = _resolve(spec, schema)
        if name is not None and isinstance(value, dict):
            key = json.dumps(value, sort_keys=True)
            if key not in seen.setdefault(name, set()):  # the same example, shown by many ops
                seen[name].add(key)
                found.setdefault(name, []).append(value)
        if isinstance(value, dict) and "properties" in schema:
            for key, sub in schema["properties"].items():
                if key in value:
                    collect(spec, sub, value[key])
        elif isinstance(value, list) and "items" in schema:
            for item in value:
                collect(spec, schema["items"], item)

    for op in _routes():
        for status in op.op.get("responses", {}):
            schema = op.schema(int(status)) if status.isdigit() else None
            if schema:
                for example in op.examples(int(status)):
                    collect(op.spec, schema, example)
    return found


# -- checking one response ------------------------------------------------------------------
def check(method: str, url: str, status: int, text: str, content_type: str | None = None) -> list[str]:
    """Problems with one response of a Twilio product (empty when it conforms)."""
    where = f"{method} {url}"
    if status >= 400:
        return [f"{where}: {p}" for p in error_problems(status, text, twilio=True)]
    op = operation_for(method, url)
    if op is None:
        return [f"{where}: no operation in the official specs"]
    where = f"{where} ({op.operation_id})"
    if op.response(status) is None:
        return [f"{where}: the spec documents no HTTP {status} "
                f"(only {sorted(op.op.get('responses', {}))})"]
    schema = op.schema(status)
    if schema is None:
        return [f"{where}: HTTP {status} has no body in the spec, got {text[:200]!r}"] if text else []
    if not text:
        return [f"{where}: empty body where the spec has a JSON body for HTTP {status}"]
    if content_type is not None and not content_type.startswith("application/json"):
        return [f"{where}: Content-Type {content_type!r}, not application/json"]
    try:
        body = json.loads(text)
    except ValueError:
        return [f"{where}: response is not JSON: {text[:200]!r}"]
    problems = [f"{e.message} at {list(e.absolute_path)}"
                for e in _validator(op, status).iter_errors(body)]
    walker = _Walker(op, url)
    walker.walk(schema, body, [(e, None) for e in op.examples(status)], None, "body")
    return [f"{where}: {p}" for p in problems + walker.problems]


@lru_cache(maxsize=None)
def _validator(op: Operation, status: int):
    from openapi_schema_validator import OAS30Validator
    return OAS30Validator({**op.schema(status), "components": op.spec.get("components", {})})


def error_problems(status: int, text: str, *, twilio: bool) -> list[str]:
    """An error body in Twilio's shape; with ``twilio``, a code from Twilio's list."""
    try:
        body = json.loads(text)
    except ValueError:
        return [f"error body is not JSON: {text[:200]!r}"]
    if not isinstance(body, dict) or set(body) != {"code", "message", "more_info", "status"}:
        return [f"error body keys {sorted(body) if isinstance(body, dict) else type(body)}"]
    problems = []
    if body["status"] != status:
        problems.append(f"error status {body['status']} != HTTP {status}")
    if not isinstance(body["code"], int) or isinstance(body["code"], bool):
        problems.append(f"error code {body['code']!r} is not an integer")
    if not isinstance(body["message"], str) or not body["message"]:
        problems.append(f"error message {body['message']!r}")
    if twilio:
        codes = error_codes()
        if codes is not None and body["code"] not in codes and body["code"] not in DOCUMENTED_LATER:
            problems.append(f"error code {body['code']} is not Twilio's")
        if body["more_info"] != f"https://www.twilio.com/docs/errors/{body['code']}":
            problems.append(f"more_info {body['more_info']!r} is not Twilio's page for "
                            f"{body['code']}")
    return problems


def check_other(method: str, path: str, status: int, text: str,
                content_type: str | None = None) -> list[str]:
    """The Console, Flex UI and control plane: no schema, but errors in Twilio's shape."""
    if status < 400 or not text or (content_type and "json" not in content_type):
        return []
    return [f"{method} {path}: {p}" for p in error_problems(status, text, twilio=False)]


OWN_SURFACES = ("/_sim/", "/console/", "/flex/")


def public_url(path: str, host: str | None = None, query: str = "") -> str | None:
    """The Twilio URL of a request the simulator received (``/api/2010-04-01/x`` or
    ``Host: api.twilio.com`` + ``/2010-04-01/x``), or None for its own surfaces."""
    labels = hosts()
    name = (host or "").split(":")[0].lower()
    if name.endswith(".twilio.com") and name.split(".")[0] in labels:
        full = f"https://{labels[name.split('.')[0]]}{path}"
    else:
        label, _, rest = path.lstrip("/").partition("/")
        if label not in labels:
            return None
        full = f"https://{labels[label]}/{rest}"
    return full + (f"?{query}" if query else "")


def check_exchange(method: str, path: str, host: str | None, query: str, status: int,
                   text: str, content_type: str | None) -> list[str]:
    """One request the simulator answered, as seen on the wire (a local path)."""
    if method in ("HEAD", "OPTIONS"):
        return []
    url = public_url(path, host, query)
    if url is None:
        return check_other(method, path, status, text, content_type)
    if status >= 400 and not (content_type or "").startswith("application/json"):
        return [f"{method} {url}: error answered as {content_type!r}, not Twilio's JSON"]
    return check(method, url, status, text, content_type)


class _Walker:
    def __init__(self, op: Operation, url: str):
        self.op, self.spec, self.problems = op, op.spec, []
        self.request = urlsplit(url)

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    def walk(self, schema, value, examples, record, where):
        """``examples``: (example value here, the example record around it) pairs."""
        schema, name = _resolve(self.spec, schema)
        if name is not None and isinstance(value, dict) and _component_examples().get(name):
            # every example of this resource, from every operation (this one's among them)
            examples = [(e, None) for e in _component_examples()[name]]
        if value is None:
            return
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            if not isinstance(value, dict):
                return  # the schema validator reports the type
            if "properties" in schema:
                self._record(schema, value, examples, where)
            elif schema.get("format") == "uri-map":
                self._uri_map(value, examples, record, where)
        elif kind == "array" and isinstance(value, list) and "items" in schema:
            items = [(item, None) for ex, _ in examples if isinstance(ex, list) for item in ex]
            for i, item in enumerate(value):  # every item, not a sample
                self.walk(schema["items"], item, items, record, f"{where}[{i}]")
        elif kind == "string" and isinstance(value, str):
            self._string(schema, value, examples, record, where)

    def _record(self, schema, value, examples, where):
        props = schema["properties"]
        extra, missing = set(value) - set(props), set(props) - set(value)
        if extra:
            self.problem(where, f"keys not in the schema: {sorted(extra)}")
        if missing:
            self.problem(where, f"schema keys missing: {sorted(missing)}")
        exs = [e for e, _ in examples if isinstance(e, dict)]
        for key, sub in props.items():
            if key in value:
                self.walk(sub, value[key], [(e[key], e) for e in exs if key in e], value,
                          f"{where}.{key}")
        self._paging(value, where)

    def _paging(self, value, where):
        """A list's own URLs point at the list that was asked for."""
        if where == "body" and "end" in value and "page" in value:  # a 2010 list envelope
            for key in PAGING_2010:
                if isinstance(value.get(key), str):
                    path = urlsplit(value[key]).path
                    if path != self.request.path:
                        self.problem(f"{where}.{key}", f"{value[key]!r} is not the list asked for "
                                                       f"({self.request.path})")
        if where == "body.meta":
            for key in PAGING_META:
                if isinstance(value.get(key), str):
                    parts = urlsplit(value[key])
                    if (parts.hostname, parts.path) != (self.request.hostname, self.request.path):
                        self.problem(f"{where}.{key}", f"{value[key]!r} is not the list asked for "
                                                       f"(https://{self.request.hostname}"
                                                       f"{self.request.path})")

    def _uri_map(self, value, examples, record, where):
        maps = [(e, r) for e, r in examples if isinstance(e, dict)]
        if maps:
            union = set().union(*(set(e) for e, _ in maps))
            common = set.intersection(*(set(e) for e, _ in maps))
            if set(value) - union:
                self.problem(where, f"keys in no example of the spec: {sorted(set(value) - union)}")
            missing = {k for k in common - set(value)
                       if not any(_unbound(e[k], r, record) for e, r in maps)}
            if missing:
                self.problem(where, f"keys of every example missing: {sorted(missing)}")
        for key, link in value.items():
            if not isinstance(link, str):
                self.problem(f"{where}.{key}", f"{link!r} is not a URI")
                continue
            self._link(link, [(e[key], r) for e, r in maps if key in e], record, f"{where}.{key}")

    def _string(self, schema, value, examples, record, where):
        fmt = schema.get("format")
        if fmt == "date-time-rfc-2822":
            if not RFC_2822.match(value) or not _parses_2822(value):
                self.problem(where, f"{value!r} is not an RFC 2822 date (the 2010 API's)")
        elif fmt == "date-time":
            if not ISO_8601.match(value) or not _parses_iso(value):
                self.problem(where, f"{value!r} is not an ISO 8601 UTC date-time")
        elif fmt == "date":
            if not ISO_DATE.match(value):
                self.problem(where, f"{value!r} is not an ISO 8601 date")
        elif fmt == "phone-number" and value and not value.startswith("client:") \
                and not where.endswith(".friendly_name"):
            # (a ``friendly_name`` has this format too, and is "(415) 555-0100" in the examples)
            shown = [e for e, _ in examples if isinstance(e, str) and e]
            if shown and all(E164.match(e) for e in shown) and not E164.match(value):
                self.problem(where, f"{value!r} is not an E.164 phone number")
        name = where.rsplit(".", 1)[-1]
        if name in PAGING_2010 or name in PAGING_META and where.startswith("body.meta."):
            self._link(value, [], record, where)  # its path: see _paging
        elif fmt == "uri" or name in ("uri", "url") or _looks_twilio(value):
            # the record's own URL has the shape of the examples'; a URL of another
            # resource (an Event's resource_url) is only checked to exist on its host
            shaped = [(e, r) for e, r in examples if isinstance(e, str)] \
                if name in ("uri", "url") else []
            self._link(value, shaped, record, where)

    def _link(self, link, examples, record, where):
        """A URL or 2010 URI: on the right Twilio host, a path of that host, and of the
        shape the spec's examples give for this field."""
        parts = urlsplit(link)
        if not parts.scheme and link.startswith("/"):
            host = "api.twilio.com"  # the 2010 API's URIs are relative to it
        elif parts.scheme in ("http", "https") and parts.hostname:
            host = parts.hostname
        elif parts.scheme or where.rsplit(".", 1)[-1] in ("uri", "url"):
            self.problem(where, f"{link!r} is not a URL")
            return
        else:
            return  # a user's value (e.g. a Flex runtime domain) that is not a URL
        twilio_examples = [(e, r) for e, r in examples if _looks_twilio(e)]
        if host not in hosts().values():
            if twilio_examples and not any(urlsplit(e).hostname == host for e, _ in examples):
                self.problem(where, f"{link!r} is not on the host of the spec's example "
                                    f"{twilio_examples[0][0]!r}")
            return  # a user's URL, or a Twilio host without an API spec here
        if parts.scheme and parts.scheme != "https":
            self.problem(where, f"{link!r}: Twilio's URLs are https")
        if twilio_examples and record is not None:
            first = None
            for e, r in twilio_examples:
                why = _same_shape(parts, host, record, e, r)
                if why is None:
                    break
                first = first or why
            else:
                self.problem(where, f"{link!r} has not the shape of the spec's example "
                                    f"{twilio_examples[0][0]!r}: {first}")
        elif _path_template(host, parts.path) is None:
            self.problem(where, f"{link!r}: no such path on {host} in the official specs")


def _unbound(example_link, example_record, record) -> bool:
    """The example link names a field of its record that is null in ours (a TaskQueue
    without an assignment activity has no link to it)."""
    if not isinstance(example_link, str) or not example_record or record is None:
        return False
    for segment in urlsplit(example_link).path.split("/"):
        stem = segment.removesuffix(".json")
        for key, v in example_record.items():
            if stem and v == stem and key in record and record[key] is None:
                return True
    return False


def _looks_twilio(value) -> bool:
    return isinstance(value, str) and (value.startswith("/2010-04-01/") or bool(
        re.match(r"^https?://[a-z0-9-]+\.twilio\.com/", value)))


def _segment(value):
    """A record's value as a URL path segment shows it (a Studio revision 2 is ``/2``)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _same_shape(parts, host, record, example, example_record) -> str | None:
    """None when the URL is the example URL of this field with the record's own values
    where the example has the example record's values (SIDs of the same kind elsewhere)."""
    ex = urlsplit(example)
    ex_host = ex.hostname or "api.twilio.com"
    if ex_host != host:
        return f"host {host} instead of {ex_host}"
    ours, theirs = parts.path.split("/"), ex.path.split("/")
    if len(ours) != len(theirs):
        return f"path {parts.path} instead of one like {ex.path}"
    kinds = None
    for i, (mine, example_value) in enumerate(zip(ours, theirs)):
        mine_stem, ex_stem = mine.removesuffix(".json"), example_value.removesuffix(".json")
        if (mine == mine_stem) != (example_value == ex_stem):
            return f"{mine!r} instead of one like {example_value!r}"
        fields = [k for k, v in (example_record or {}).items() if _segment(v) == ex_stem and ex_stem]
        if fields:
            if not any(_segment(record.get(k)) == mine_stem for k in fields):
                return f"{mine_stem!r} is not the record's {'/'.join(fields)}"
        elif SID.match(ex_stem):
            m = SID.match(mine_stem)
            if kinds is None:
                kinds = _parameter_patterns(host, parts.path)
            if i in kinds:  # the spec's pattern for this path parameter (SM or MM, ...)
                if not kinds[i].match(mine_stem):
                    return f"{mine_stem!r} does not match {kinds[i].pattern}"
            elif not m or m.group(1) != ex_stem[:2]:
                return f"{mine_stem!r} is not a {ex_stem[:2]} SID"
        elif mine != example_value:
            return f"{mine!r} instead of {example_value!r}"
    return None


def _parameter_patterns(host: str, path: str) -> dict[int, re.Pattern]:
    """Segment index -> the spec's pattern for the path parameter there."""
    op = _path_template(host, path)
    return {} if op is None else _op_parameter_patterns(op)


@lru_cache(maxsize=None)
def _op_parameter_patterns(op: Operation) -> dict[int, re.Pattern]:
    params = {p["name"]: p.get("schema", {}).get("pattern")
              for p in op.op.get("parameters", []) + op.item.get("parameters", [])
              if p.get("in") == "path"}
    found = {}
    for i, segment in enumerate(op.path.split("/")):
        m = re.fullmatch(r"\{(\w+)\}(\.json)?", segment)
        if m and params.get(m.group(1)):
            found[i] = re.compile(params[m.group(1)])
    return found


def _parses_2822(value: str) -> bool:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return False
    return parsed.strftime("%a, %d %b %Y %H:%M:%S +0000") == value


def _parses_iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# -- what the suite received ----------------------------------------------------------------
class Recorder:
    """Every response the suite receives is checked here (see conftest.py)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.problems: list[str] = []
        self.checked = 0

    def record(self, problems: list[str]):
        with self.lock:
            self.checked += 1
            self.problems += problems

    def since(self, mark: int) -> list[str]:
        with self.lock:
            return self.problems[mark:]

    def mark(self) -> int:
        with self.lock:
            return len(self.problems)


RECORDER = Recorder()
