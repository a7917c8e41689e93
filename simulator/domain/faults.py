"""Faults: Twilio failing on purpose, for tests and scenario replays.

A fault is plain JSON kept in the store (so it resets, snapshots and persists with the
state). It matches either the requests the simulator answers (``target: "request"``, the
default: by method, product label, Twilio's public path with ``*`` for one segment and
``**`` for any, account) or the webhooks it sends to the user's app (``target: "webhook"``:
by URL pattern, webhook kind, account). Its effect is a Twilio error (``status``, ``code``,
``message``, ``retry_after``), added ``latency`` (seconds), a dropped connection
(``drop``), and, for webhooks, a ``timeout``. ``count`` limits how often it fires;
``probability`` (with ``seed``) makes it fire on a repeatable share of its matches.
"""
from __future__ import annotations

import random
import re
import time
from functools import lru_cache

from ..errors import CATALOGUE, TwilioError
from ..webhooks.transports import TIMEOUT_SECONDS
from .accounts import credentials_owner
from .settings import read_setting, write_setting

TARGETS = ("request", "webhook")
FIELDS = {
    "target": str, "method": str, "product": str, "path": str, "account_sid": str,
    "url": str, "kind": str,
    "status": int, "code": int, "message": str, "retry_after": (int, float),
    "latency": (int, float), "drop": bool, "timeout": bool,
    "count": int, "probability": (int, float), "seed": int, "name": str,
}
ACCOUNT_IN_PATH = re.compile(r"/Accounts/(AC[0-9a-fA-F]{32})")


def _stored(s) -> dict:
    return read_setting(s, "faults") or {"faults": [], "next_id": 1}


def list_faults(s) -> list[dict]:
    return _stored(s)["faults"]


def add_fault(s, data: dict) -> dict:
    """Check and store one fault; returns it with its ``id`` and counters."""
    fault = check_fault(data)
    with s.store.lock:
        state = _stored(s)
        fault = {"id": state["next_id"], **fault, "matched": 0, "fired": 0}
        write_setting(s, "faults", {"faults": state["faults"] + [fault],
                                    "next_id": state["next_id"] + 1})
    return fault


def clear_faults(s, fault_id: int | None = None) -> int:
    """Remove one fault (by id) or all of them; returns how many were removed."""
    with s.store.lock:
        state = _stored(s)
        kept = [f for f in state["faults"] if fault_id is not None and f["id"] != fault_id]
        removed = len(state["faults"]) - len(kept)
        if removed:
            write_setting(s, "faults", {"faults": kept, "next_id": state["next_id"]})
    return removed


def check_fault(data: dict) -> dict:
    if not isinstance(data, dict):
        raise TwilioError(20422, "A fault is a JSON object")
    unknown = sorted(set(data) - set(FIELDS) - {"id", "matched", "fired"})
    if unknown:
        raise TwilioError(20422, f"Unknown fault field(s): {', '.join(unknown)}; "
                               f"known: {', '.join(FIELDS)}")
    fault = {}
    for name, kind in FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise TwilioError(20422, f"Fault field '{name}' has the wrong type ({value!r})")
        fault[name] = value
    fault.setdefault("target", "request")
    if fault["target"] not in TARGETS:
        raise TwilioError(20422, f"Fault 'target' is one of {', '.join(TARGETS)}")
    if "method" in fault:
        fault["method"] = fault["method"].upper()
    status = fault.get("status")
    if status is not None and not 100 <= status <= 599:
        raise TwilioError(20422, "Fault 'status' must be an HTTP status (100-599)")
    if fault["target"] == "request":
        if status is not None and status < 400:
            raise TwilioError(20422, "A request fault's 'status' is an error status (400-599)")
        if "code" in fault and status is None:
            fault["status"] = CATALOGUE.get(fault["code"], (500, ""))[0]
        if "status" in fault and "code" not in fault:
            fault["code"] = 20000 + fault["status"]
        for name in ("url", "kind", "timeout"):
            if name in fault:
                raise TwilioError(20422, f"'{name}' is a webhook fault's field (target: webhook)")
    else:
        for name in ("path", "product", "code", "message", "retry_after"):
            if name in fault:
                raise TwilioError(20422, f"'{name}' is a request fault's field; a webhook fault "
                                       "has url, kind, account_sid, status, timeout, drop, latency")
    if not any(k in fault for k in ("status", "latency", "drop", "timeout")):
        raise TwilioError(20422, "A fault needs an effect: status (and code), latency, drop "
                               "or (webhooks) timeout")
    if fault.get("count") is not None and fault["count"] < 1:
        raise TwilioError(20422, "Fault 'count' must be at least 1 (leave it out: no limit)")
    p = fault.get("probability")
    if p is not None and not 0 <= p <= 1:
        raise TwilioError(20422, "Fault 'probability' is between 0 and 1")
    for name in ("latency", "retry_after"):
        if fault.get(name) is not None and fault[name] < 0:
            raise TwilioError(20422, f"Fault '{name}' cannot be negative")
    return fault


@lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern:
    parts = re.split(r"(\*\*|\*)", glob)
    regex = "".join(".*" if p == "**" else "[^/]*" if p == "*" else re.escape(p) for p in parts)
    return re.compile(regex + r"\Z")


def matches_path(glob: str, *paths: str) -> bool:
    """Twilio's public path against a pattern: ``*`` one segment (or part), ``**`` any."""
    pattern = _pattern(glob)
    return any(p is not None and pattern.match(p) for p in paths)


def _fires(f: dict) -> bool:
    p = f.get("probability")
    if p is None:
        return True
    return random.Random(f"{f.get('seed', 0)}:{f['id']}:{f['matched']}").random() < p


def armed(s) -> bool:
    """Whether any fault is set (every request asks first: a cheap look)."""
    state = s.store.peek("sim_settings", "faults")
    return bool(state and state["faults"])


def _take(s, wanted) -> dict | None:
    """The first live fault ``wanted(fault)`` matches and whose draw fires; counts it."""
    if not armed(s):
        return None
    with s.store.lock:
        state = _stored(s)
        for f in state["faults"]:
            if f.get("count") is not None and f["fired"] >= f["count"]:
                continue
            if not wanted(f):
                continue
            fires = _fires(f)
            f["matched"] += 1
            if fires:
                f["fired"] += 1
            write_setting(s, "faults", {"faults": state["faults"]})
            if fires:
                return f
    return None


def request_fault(s, method: str, product: str | None, public_path: str, local_path: str,
                  account_sid) -> dict | None:
    """The fault (if any) that takes this request. ``account_sid`` is a callable giving the
    request's account, asked only when a fault names one. Latency is slept here."""
    def wanted(f):
        return (f["target"] == "request"
                and f.get("method") in (None, method)
                and f.get("product") in (None, product)
                and (f.get("path") is None or matches_path(f["path"], public_path, local_path))
                and (f.get("account_sid") is None or f["account_sid"] == account_sid()))
    fault = _take(s, wanted)
    if fault and fault.get("latency"):
        time.sleep(fault["latency"])
    return fault


def request_account(s, path: str, username: str | None, password: str | None) -> str | None:
    """The account a request is about: the one in its path, else its credentials' owner."""
    m = ACCOUNT_IN_PATH.search(path)
    if m:
        return m.group(1)
    if username and password is not None:
        found = credentials_owner(s, username, password)
        if found:
            return found[0]["sid"]
    return username if username and username.startswith("AC") else None


def error_body(fault: dict) -> tuple[dict, int, dict]:
    """A request fault's Twilio error: (body, status, headers)."""
    status, code = fault["status"], fault["code"]
    if code in CATALOGUE:
        error = TwilioError(code, fault.get("message"), status=status)
        body = error.body()
    else:   # a code the user chose that the catalogue does not hold
        body = {"code": code, "message": fault.get("message") or "Injected fault",
                "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    headers = {}
    retry_after = fault.get("retry_after", 1 if status == 429 else None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after) if float(retry_after).is_integer()
                                     else retry_after)
    return body, status, headers


def webhook_outcome(s, account_sid: str, url: str, kind: str):
    """None when no fault takes this webhook (after any injected latency), else the
    delivery's outcome ``(status, body, content_type, error)`` as the app "answered"."""
    fault = _take(s, lambda f: f["target"] == "webhook"
                  and (f.get("url") is None or matches_path(f["url"], url))
                  and f.get("kind") in (None, kind)
                  and f.get("account_sid") in (None, account_sid))
    if fault is None:
        return None
    if fault.get("latency"):
        time.sleep(fault["latency"])
    tag = f"(injected by fault {fault['id']})"
    if fault.get("timeout"):
        return None, None, None, f"ReadTimeout: no answer within {TIMEOUT_SECONDS} s {tag}"
    if fault.get("drop"):
        return None, None, None, f"ConnectionError: the connection was dropped {tag}"
    if fault.get("status") is not None:
        return fault["status"], f"Injected fault {fault['id']}", "text/plain", None
    return None   # latency only: deliver as usual
