"""TaskRouter's decisions: expressions, workflow configurations, parameter rules.

Pure functions: facts in, a value or a TwilioError out (twilio-rules.md §8.1).
Expressions are TaskRouter's SQL-like language: string ('..' or "..."), number
and boolean constants, lists ``[..]``, keys with dots, ``==  !=  >  >=  <  <=
IN  NOT IN  HAS  CONTAINS  AND  OR  NOT`` and parentheses. A missing key is
NULL, which matches nothing but ``!=``.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from ..errors import TwilioError
from .messaging import check_url

DEFAULT_TARGET_WORKERS = "1==1"
TASK_RESERVATION_TIMEOUT_DEFAULT = 120
TASK_RESERVATION_TIMEOUT_MAX = 86400
TARGET_NUMBER_MAX = 2**31 - 1      # a Workflow target's timeout (seconds) or priority: a 32-bit int
MAX_RESERVED_WORKERS = (1, 50)
QUEUE_ORDERS = ("FIFO", "LIFO")
TEMPLATES = ("NONE", "FIFO")
DEFAULT_ACTIVITIES = (("Offline", False), ("Available", True), ("Unavailable", False))
DEFAULT_TASK_CHANNELS = (("Default", "default"), ("Voice", "voice"), ("Chat", "chat"),
                         ("SMS", "sms"), ("Video", "video"))
FRIENDLY_NAME_MAX = 64

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>-?\d+(?:\.\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>==|!=|>=|<=|>|<|\(|\)|\[|\]|,)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
)""", re.VERBOSE)

_WORD_OPS = {"IN", "NOT", "HAS", "CONTAINS", "AND", "OR", "TRUE", "FALSE", "NULL"}
_MISSING = object()


EXPRESSION_SHOWN = 80   # characters of a bad expression an error message quotes


def _clip(text: str) -> str:
    return text if len(text) <= EXPRESSION_SHOWN else text[:EXPRESSION_SHOWN] + "..."


def _invalid_expression(expr: str, name: str, detail: str) -> TwilioError:
    """20001-style 400 naming the parameter; a long expression is quoted in part (an error
    message never echoes a megabyte back)."""
    return TwilioError.invalid(name, f"{_clip(expr)!r} is not a valid expression: {detail}")


def _tokens(expr: str, name: str) -> list[tuple[str, object]]:
    out, pos = [], 0
    expr_stripped = expr.rstrip()
    while pos < len(expr_stripped):
        m = _TOKEN.match(expr_stripped, pos)
        if not m or m.end() == pos:
            raise _invalid_expression(expr, name,
                                      f"unexpected text at {_clip(expr_stripped[pos:])!r}")
        pos = m.end()
        if m.group("num") is not None:
            text = m.group("num")
            if len(text) > 64:  # int() refuses 4,300 digits; no attribute needs 64
                raise _invalid_expression(expr, name,
                                          f"the number at {m.start('num')} is too long")
            out.append(("val", float(text) if "." in text else int(text)))
        elif m.group("str") is not None:
            out.append(("val", m.group("str")[1:-1]))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            word = m.group("word")
            upper = word.upper()
            if upper in ("TRUE", "FALSE"):
                out.append(("val", upper == "TRUE"))
            elif upper == "NULL":
                out.append(("val", None))
            elif upper in _WORD_OPS:
                out.append(("op", upper))
            else:
                out.append(("key", word))
    return out


class _Parser:
    """Recursive descent into a tree of tuples."""

    def __init__(self, expr: str, name: str):
        self.expr, self.name = expr, name
        self.toks = _tokens(expr, name)
        self.i = 0

    def fail(self, detail: str):
        raise _invalid_expression(self.expr, self.name, detail)

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            self.fail(f"expected {value or kind}" if (value or kind) else "unexpected end")
        self.i += 1
        return tok

    def parse(self):
        if not self.toks:
            self.fail("it is empty")
        tree = self.or_()
        if self.i != len(self.toks):
            self.fail(f"unexpected {self.toks[self.i][1]!r}")
        return tree

    def or_(self):
        left = self.and_()
        while self.peek() == ("op", "OR"):
            self.i += 1
            left = ("or", left, self.and_())
        return left

    def and_(self):
        left = self.not_()
        while self.peek() == ("op", "AND"):
            self.i += 1
            left = ("and", left, self.not_())
        return left

    def not_(self):
        if self.peek() == ("op", "NOT"):
            self.i += 1
            return ("not", self.not_())
        return self.comparison()

    def comparison(self):
        if self.peek() == ("op", "("):
            self.i += 1
            inner = self.or_()
            self.take("op", ")")
            return inner
        left = self.operand()
        kind, value = self.peek()
        if kind == "op" and value in ("==", "!=", ">", ">=", "<", "<=", "IN", "HAS", "CONTAINS"):
            self.i += 1
            return ("cmp", value, left, self.operand())
        if (kind, value) == ("op", "NOT") and self.i + 1 < len(self.toks) \
                and self.toks[self.i + 1] == ("op", "IN"):
            self.i += 2
            return ("not", ("cmp", "IN", left, self.operand()))
        return ("truthy", left)

    def operand(self):
        kind, value = self.peek()
        if kind == "val":
            self.i += 1
            return ("val", value)
        if kind == "key":
            self.i += 1
            return ("key", value)
        if (kind, value) == ("op", "["):
            self.i += 1
            items = []
            while self.peek() != ("op", "]"):
                items.append(self.take("val")[1])
                if self.peek() == ("op", ","):
                    self.i += 1
            self.take("op", "]")
            return ("val", items)
        self.fail(f"expected a value, found {value!r}" if value is not None else "unexpected end")


@lru_cache(maxsize=4096)
def parse_expression(expr: str, name: str = "TargetWorkers"):
    """The parsed expression, or a 20422 naming the parameter. (Cached: the engine evaluates
    the same few queue and routing expressions for every worker and task.)"""
    if not isinstance(expr, str):
        raise _invalid_expression(str(expr), name, "it must be a string")
    try:
        return _Parser(expr, name).parse()
    except RecursionError:
        raise _invalid_expression(expr[:40] + "...", name, "it is nested too deeply") from None


def _lookup(attributes: dict, key: str, prefixes: tuple[str, ...]):
    parts = key.split(".")
    if len(parts) > 1 and parts[0] in prefixes:
        parts = parts[1:]
    node = attributes
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def _value(node, attributes, prefixes):
    if node[0] == "val":
        return node[1]
    return _lookup(attributes, node[1], prefixes)


def _compare(op, a, b):
    if a is _MISSING or b is _MISSING:
        return op == "!=" and not (a is _MISSING and b is _MISSING)
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op in ("HAS", "CONTAINS"):
        if isinstance(a, list):
            return b in a
        return isinstance(a, str) and isinstance(b, str) and b in a
    if op == "IN":
        return isinstance(b, list) and a in b
    try:
        return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]
    except TypeError:
        return False


def _eval(node, attributes, prefixes) -> bool:
    kind = node[0]
    if kind == "or":
        return _eval(node[1], attributes, prefixes) or _eval(node[2], attributes, prefixes)
    if kind == "and":
        return _eval(node[1], attributes, prefixes) and _eval(node[2], attributes, prefixes)
    if kind == "not":
        return not _eval(node[1], attributes, prefixes)
    if kind == "truthy":
        value = _value(node[1], attributes, prefixes)
        return value is not _MISSING and bool(value)
    _, op, left, right = node
    return _compare(op, _value(left, attributes, prefixes), _value(right, attributes, prefixes))


def matches(expr: str, attributes: dict, prefixes: tuple[str, ...] = ("worker",)) -> bool:
    """Does a worker (its attributes) match a target-workers expression?"""
    return _eval(parse_expression(expr), attributes, prefixes)


def matches_target(target_workers: str | None, worker_attributes: dict) -> bool:
    """Does a queue's ``TargetWorkers`` select a worker? An empty one selects nobody: its
    tasks wait until moved or deleted."""
    return bool(target_workers) and matches(target_workers, worker_attributes)


# -- parameters -------------------------------------------------------------------
def attributes_json(value: str | None, name: str = "Attributes") -> dict:
    """Worker/Task attributes: a JSON object (default ``{}``)."""
    if value is None or value == "":
        return {}
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        raise TwilioError.invalid(name, "must be valid JSON") from None
    if not isinstance(data, dict):
        raise TwilioError.invalid(name, "must be a JSON object")
    return data


def callback_url(value: str | None, name: str) -> str | None:
    """A callback URL parameter (``EventCallbackUrl``, ``AssignmentCallbackUrl``,
    ``FallbackAssignmentCallbackUrl``): an absolute http(s) URL, checked as Messages checks
    ``StatusCallback``; an empty value clears the URL (None)."""
    if value is None or value == "":
        return None
    check_url(value, name)
    return value


def duplicate_name(kind: str, name: str, workspace_sid: str, account_sid: str) -> TwilioError:
    """A TaskQueue or Activity name already taken in the workspace: Twilio's 400/20001."""
    return TwilioError(20001, f"{kind} named {name} already exists for workspace "
                              f"{workspace_sid} for account {account_sid}")


def check_friendly_name(value: str | None, *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise TwilioError(20422, "Missing required parameter FriendlyName in the post body")
        return None
    if len(value) > FRIENDLY_NAME_MAX:
        raise TwilioError.invalid("FriendlyName", f"must be at most {FRIENDLY_NAME_MAX} characters")
    return value


def check_unique_name(value: str) -> str:
    """TaskChannel unique names: no hyphens (twilio-rules.md §8.1)."""
    if "-" in value:
        raise TwilioError.invalid("UniqueName", "must not contain hyphens")
    return value


def check_activity_update(current_available: bool, requested) -> None:
    """An Activity's availability cannot change after creation."""
    if requested is not None and requested != current_available:
        raise TwilioError.invalid("Available", "an Activity's availability cannot be changed "
                                               "after it is created")


def check_reservation_timeout(value: int | None) -> int:
    if value is None:
        return TASK_RESERVATION_TIMEOUT_DEFAULT
    if not 1 <= value <= TASK_RESERVATION_TIMEOUT_MAX:
        raise TwilioError.invalid("TaskReservationTimeout",
                                  f"must be between 1 and {TASK_RESERVATION_TIMEOUT_MAX}")
    return value


def check_workflow_configuration(value: str | None, queue_sids: set[str]) -> dict:
    """A Workflow configuration: JSON ``{"task_routing": {"filters": [...],
    "default_filter": {"queue": WQ}}}`` whose queues exist in the workspace and
    whose expressions parse. Returns the parsed document."""
    name = "Configuration"
    if value is None or value == "":
        raise TwilioError(20422, "Missing required parameter Configuration in the post body")
    try:
        doc = json.loads(value)
    except (ValueError, RecursionError):
        raise TwilioError.invalid(name, "must be valid JSON") from None
    routing = doc.get("task_routing") if isinstance(doc, dict) else None
    if not isinstance(routing, dict):
        raise TwilioError.invalid(name, "must be a JSON object with a 'task_routing' object")
    filters = routing.get("filters", [])
    if not isinstance(filters, list):
        raise TwilioError.invalid(name, "'task_routing.filters' must be a list")

    def queue(q, where):
        if not isinstance(q, str) or q not in queue_sids:
            raise TwilioError.invalid(name, f"{where} names queue {q!r}, which is not a "
                                            "TaskQueue of this workspace")

    for i, f in enumerate(filters):
        where = f"filter {i}"
        if not isinstance(f, dict):
            raise TwilioError.invalid(name, f"{where} must be an object")
        if "expression" in f:
            parse_expression(f["expression"], f"{name} ({where} expression)")
        targets = f.get("targets")
        if not isinstance(targets, list) or not targets:
            raise TwilioError.invalid(name, f"{where} needs a non-empty 'targets' list")
        for j, t in enumerate(targets):
            # a step without a queue stays in the previous step's queue
            if not isinstance(t, dict) or ("queue" not in t and j == 0):
                raise TwilioError.invalid(name, f"{where} target {j} needs a 'queue'")
            if "queue" in t:
                queue(t["queue"], f"{where} target {j}")
            for key in ("expression", "skip_if"):
                if key in t:
                    parse_expression(t[key], f"{name} ({where} target {j} {key})")
            if "known_worker_sid" in t and "known_worker_friendly_name" in t:
                raise TwilioError.invalid(name, f"{where} target {j} names both "
                                                "known_worker_sid and known_worker_friendly_name")
            for key in ("timeout", "priority"):
                if key in t and (not isinstance(t[key], int) or isinstance(t[key], bool)
                                 or not 0 <= t[key] <= TARGET_NUMBER_MAX):
                    raise TwilioError.invalid(name, f"{where} target {j} {key} must be a "
                                                    f"whole number from 0 to {TARGET_NUMBER_MAX}")
    default = routing.get("default_filter")
    if default is not None:
        if not isinstance(default, dict) or "queue" not in default:
            raise TwilioError.invalid(name, "'default_filter' needs a 'queue'")
        queue(default["queue"], "default_filter")
    if not filters and default is None:
        raise TwilioError.invalid(name, "needs at least one filter or a default_filter")
    return doc


def queue_configuration(queue_sid: str) -> str:
    """A configuration routing every task to one queue (Flex's "Assign to Anyone")."""
    return json.dumps({"task_routing": {"filters": [], "default_filter": {"queue": queue_sid}}})


def parse_ordering(value: str | None, allowed: tuple[str, ...] = ("DateCreated",)) -> tuple[str, bool] | None:
    """``DateCreated:desc`` -> ("DateCreated", True)."""
    if value is None:
        return None
    field, _, direction = value.partition(":")
    direction = direction or "asc"
    if field not in allowed or direction not in ("asc", "desc"):
        raise TwilioError.invalid("Ordering", f"must be one of "
                                              f"{', '.join(a + ':asc|desc' for a in allowed)}")
    return field, direction == "desc"


# -- routing ---------------------------------------------------------------------------
def routing_steps(configuration: dict, task_attributes: dict) -> tuple[str | None, list[dict]]:
    """The filter a task matches (first match wins, top-down) and its targets in order.

    A target without ``queue`` inherits the previous step's queue. With no filter matching,
    ``default_filter`` is used (one step, no timeout); without it the task matches nothing
    and ``(None, [])`` comes back.
    """
    routing = configuration.get("task_routing", {})
    for i, f in enumerate(routing.get("filters", [])):
        expression = f.get("expression")
        if expression is None or matches(expression, task_attributes, ("task",)):
            steps, queue = [], None
            for target in f.get("targets", []):
                queue = target.get("queue", queue)
                steps.append({**target, "queue": queue})
            return f.get("filter_friendly_name") or f"filter {i}", steps
    default = routing.get("default_filter")
    if default and default.get("queue"):
        return "default_filter", [{"queue": default["queue"]}]
    return None, []


def target_matches(expression: str | None, worker_attributes: dict, task_attributes: dict) -> bool:
    """A routing step's ``expression`` sees ``worker.*`` and ``task.*``."""
    if not expression:
        return True
    return _eval(parse_expression(expression, "expression"),
                 {"worker": worker_attributes, "task": task_attributes}, ())


def skip_step(skip_if: str | None, available: int, unavailable: int) -> bool:
    """``skip_if`` over ``workers.available`` / ``workers.unavailable`` of the step's queue."""
    if not skip_if:
        return False
    return _eval(parse_expression(skip_if, "skip_if"),
                 {"workers": {"available": available, "unavailable": unavailable}}, ())


def order_by(clause: str | None) -> list[tuple[str, bool]]:
    """``worker.level DESC, worker.tenure ASC`` -> [("level", True), ("tenure", False)]."""
    out = []
    for part in (clause or "").split(","):
        words = part.split()
        if not words:
            continue
        key = words[0][len("worker."):] if words[0].startswith("worker.") else words[0]
        out.append((key, len(words) > 1 and words[1].upper() == "DESC"))
    return out


def known_worker(target: dict, task_attributes: dict) -> tuple[str, object] | None:
    """("sid" | "friendly_name", the value at the task attribute the step names), or None."""
    for field, kind in (("known_worker_sid", "sid"), ("known_worker_friendly_name", "friendly_name")):
        if field in target:
            path = target[field]
            value = _lookup(task_attributes, path, ("task",)) if isinstance(path, str) else _MISSING
            return kind, None if value is _MISSING else value
    return None


# -- task and reservation lifecycle ----------------------------------------------------------
TASK_STATUSES = ("pending", "reserved", "assigned", "canceled", "completed", "wrapping")
TASK_FINAL = ("canceled", "completed")
RESERVATION_ACTIVE = ("pending", "accepted", "wrapping")
RESERVATION_STATUSES = ("pending", "accepted", "rejected", "timeout", "canceled", "rescinded",
                        "wrapping", "completed")
INSTRUCTIONS = ("accept", "reject", "dequeue", "call", "redirect", "conference")
TASK_TIMEOUT_DEFAULT = 86_400
TASK_TIMEOUT_MAX = 1_209_600
MAX_REJECTIONS = 1000


def check_task_transition(current: str, requested: str, task_sid: str, workspace_sid: str,
                          account_sid: str) -> None:
    """Which ``AssignmentStatus`` a Task update may set from its current status (HTTP 400,
    20001, in Twilio's words)."""
    where = f"task {task_sid} in workspace {workspace_sid} for account {account_sid}"
    if requested == "canceled" and current not in ("pending", "reserved"):
        raise TwilioError(20001, f"Cannot cancel {where} because it is not pending or reserved.")
    if requested == "completed" and current not in ("assigned", "wrapping"):
        raise TwilioError(20001, f"Cannot complete {where} because it is not currently assigned.")
    if requested == "wrapping" and current != "assigned":
        raise TwilioError(20001, f"Cannot wrap up {where} because it is not currently assigned.")
    if requested in ("pending", "reserved", "assigned") and requested != current:
        raise TwilioError(20001, f"Cannot move {where} to {requested}: TaskRouter sets that "
                                 "status itself.")


RESERVATION_MOVES = {
    "accepted": ("pending",),
    "rejected": ("pending",),
    "canceled": ("pending",),
    "wrapping": ("accepted",),
    "completed": ("accepted", "wrapping"),
}


def check_reservation_transition(current: str, requested: str, sid: str) -> None:
    allowed = RESERVATION_MOVES.get(requested)
    if allowed is None:
        raise TwilioError.invalid("ReservationStatus", "must be one of accepted, rejected, "
                                                       "canceled, wrapping, completed")
    if current not in allowed:
        raise TwilioError(20001, f"Cannot set reservation {sid} to {requested}: it is {current}")
