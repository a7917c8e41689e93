"""The official Twilio OpenAPI specs as a response checker for the test suite.

The specs folder comes from ``TWILIO_SIM_SPECS`` (default ``../shared/specs``
beside the checkout). Every JSON response the suite's SDK clients receive is
checked here: a 2xx body against its operation's response schema (and, for
resources, exactly the schema's properties), an error body against Twilio's
error shape with a code from Twilio's error catalogue.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from simulator.errors import DOCUMENTED_AFTER_SNAPSHOT

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(os.environ.get("TWILIO_SIM_SPECS", ROOT.parent / "shared" / "specs"))
ERROR_CODES = Path(os.environ.get("TWILIO_SIM_ERROR_CODES",
                                  ROOT.parent / "shared" / "reference" / "twilio-error-codes.json"))


def available() -> bool:
    return SPECS.is_dir() and any(SPECS.glob("twilio_*.json"))


class Operation:
    def __init__(self, spec: dict, path: str, method: str, op: dict):
        self.spec, self.path, self.method, self.op = spec, path, method, op
        self.operation_id = op.get("operationId", f"{method} {path}")

    def schema(self, status: int):
        resp = self.op.get("responses", {}).get(str(status))
        if resp is None:
            return None
        content = resp.get("content", {}).get("application/json")
        return content and content.get("schema")


@lru_cache(maxsize=1)
def _routes():
    routes = []  # (host label, compiled regex, method, Operation)
    for file in sorted(SPECS.glob("twilio_*.json")):
        spec = json.loads(file.read_text())
        for path, item in spec.get("paths", {}).items():
            servers = item.get("servers") or spec.get("servers") or []
            if not servers:
                continue
            label = urlsplit(servers[0]["url"]).hostname.split(".")[0]
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            for method in ("get", "post", "delete", "put"):
                if method in item:
                    routes.append((label, pattern, method.upper(), Operation(spec, path, method, item[method])))
    # literal paths before templated ones (``/Users/Provision`` before ``/Users/{Sid}``)
    routes.sort(key=lambda r: r[3].path.count("{"))
    return routes


def operation_for(method: str, url: str) -> Operation | None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    label = host.split(".")[0]
    for r_label, pattern, r_method, op in _routes():
        if r_label == label and r_method == method.upper() and pattern.match(parts.path):
            return op
    return None


@lru_cache(maxsize=1)
def error_codes() -> set[int] | None:
    """Twilio's error codes, or None when the error list is absent."""
    if not ERROR_CODES.exists():
        return None
    return {e["code"] for e in json.loads(ERROR_CODES.read_text())}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _exact_keys(spec: dict, schema: dict, body, where: str) -> list[str]:
    schema = _resolve(spec, schema)
    if not isinstance(body, dict) or schema.get("type") != "object" or "properties" not in schema:
        return []
    props = schema["properties"]
    problems = []
    extra = set(body) - set(props)
    missing = set(props) - set(body)
    if extra:
        problems.append(f"{where}: keys not in the schema: {sorted(extra)}")
    if missing:
        problems.append(f"{where}: schema keys missing: {sorted(missing)}")
    for key, sub in props.items():
        sub = _resolve(spec, sub)
        if sub.get("type") == "array" and isinstance(body.get(key), list) and "items" in sub:
            for i, item in enumerate(body[key][:3]):
                problems += _exact_keys(spec, sub["items"], item, f"{where}.{key}[{i}]")
    return problems


def check(method: str, url: str, status: int, text: str) -> list[str]:
    """Problems with one response (empty when it conforms)."""
    if not text:
        return []
    try:
        body = json.loads(text)
    except ValueError:
        return [f"{method} {url}: response is not JSON: {text[:200]!r}"]
    if status >= 400:
        problems = []
        if set(body) != {"code", "message", "more_info", "status"}:
            problems.append(f"{method} {url}: error body keys {sorted(body)}")
        elif error_codes() is not None and body["code"] not in error_codes() \
                and body["code"] not in DOCUMENTED_AFTER_SNAPSHOT:
            problems.append(f"{method} {url}: error code {body['code']} is not Twilio's")
        elif body["status"] != status:
            problems.append(f"{method} {url}: error status {body['status']} != HTTP {status}")
        return problems
    op = operation_for(method, url)
    if op is None:
        return [f"{method} {url}: no operation in the official specs"]
    schema = op.schema(status)
    if schema is None:
        return [f"{method} {url}: {op.operation_id} has no JSON response for HTTP {status}"]
    from openapi_schema_validator import OAS30Validator
    root = {**schema, "components": op.spec.get("components", {})}
    validator = OAS30Validator(root)
    problems = [f"{method} {url} ({op.operation_id}): {e.message} at {list(e.absolute_path)}"
                for e in validator.iter_errors(body)]
    return problems + [f"{method} {url} ({op.operation_id}): {p}"
                       for p in _exact_keys(op.spec, schema, body, "body")]
