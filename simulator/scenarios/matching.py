"""Expectations against what came back, and the variables a scenario carries.

``compare(expected, got)`` lists every difference as ``(path, message)``. An object expects
a subset of the keys (a key may be a dotted path: ``instance.status``, ``users.0.email``);
a list expects that many items, each matching; a scalar expects equality. A one-key object
whose key starts with ``$`` is a matcher:

``$regex`` (searched in the text), ``$type`` (string, number, integer, boolean, null, object,
array, sid), ``$sid`` (a SID with this prefix), ``$present`` / ``$absent``, ``$length`` (a
number or a matcher), ``$contains`` (a list item that matches; a substring of a text),
``$every`` (every item matches), ``$in`` (one of), ``$not``, ``$eq`` (exactly, objects too),
``$gt`` ``$gte`` ``$lt`` ``$lte``, ``$any``.

Templates: ``{{ name }}`` or ``{{ name.key.0 }}`` in any string; a string that is only a
template takes the variable's value as it is (a number stays a number).
"""
from __future__ import annotations

import re

MISSING = object()
SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
TEMPLATE = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")
MATCHERS = ("$regex", "$type", "$sid", "$present", "$absent", "$length", "$contains", "$every",
            "$in", "$not", "$eq", "$gt", "$gte", "$lt", "$lte", "$any")


class TemplateError(Exception):
    pass


# -- variables -----------------------------------------------------------------------------
def lookup(data, path: str, *, missing=MISSING):
    """``a.b.0.c`` in nested dicts and lists; ``missing`` when a part is absent."""
    if path in ("", "."):
        return data
    if isinstance(data, dict) and path in data:
        return data[path]
    current = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and re.fullmatch(r"-?\d+", part) \
                and -len(current) <= int(part) < len(current):
            current = current[int(part)]
        else:
            return missing
    return current


def render(value, variables: dict):
    """Fill the ``{{ }}`` templates of a value (strings, lists and objects, keys included)."""
    if isinstance(value, str):
        whole = TEMPLATE.fullmatch(value.strip())
        if whole and value.strip() == value:
            return _variable(whole.group(1), variables)
        if "{{" not in value:
            return value
        return TEMPLATE.sub(lambda m: _text(_variable(m.group(1), variables)), value)
    if isinstance(value, list):
        return [render(v, variables) for v in value]
    if isinstance(value, dict):
        return {render(k, variables): render(v, variables) for k, v in value.items()}
    return value


def _variable(name: str, variables: dict):
    value = lookup(variables, name)
    if value is MISSING:
        known = ", ".join(sorted(k for k in variables if not k.startswith("_"))) or "none"
        raise TemplateError(f"unknown variable '{{{{ {name} }}}}' (variables: {known})")
    return value


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# -- expectations ----------------------------------------------------------------------------
def is_matcher(value) -> bool:
    return isinstance(value, dict) and len(value) >= 1 and all(
        isinstance(k, str) and k.startswith("$") for k in value)


def show(value, limit: int = 120) -> str:
    if value is MISSING:
        return "(absent)"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def compare(expected, got, path: str = "") -> list[tuple[str, str]]:
    if is_matcher(expected):
        problems = []
        for op, arg in expected.items():
            problems += _matcher(op, arg, got, path)
        return problems
    if isinstance(expected, dict):
        if got is MISSING:
            return [(path, f"expected an object with {show(expected)}, got (absent)")]
        if not isinstance(got, dict):
            return [(path, f"expected an object, got {show(got)}")]
        problems = []
        for key, want in expected.items():
            key = str(key)
            value = got[key] if key in got else lookup(got, key)
            problems += compare(want, value, f"{path}.{key}" if path else key)
        return problems
    if isinstance(expected, list):
        if not isinstance(got, list):
            return [(path, f"expected a list of {len(expected)}, got {show(got)}")]
        if len(got) != len(expected):
            return [(path, f"expected {len(expected)} items, got {len(got)}: {show(got)}")]
        problems = []
        for i, (want, value) in enumerate(zip(expected, got)):
            problems += compare(want, value, f"{path}.{i}" if path else str(i))
        return problems
    if got is MISSING or not _equal(expected, got):
        return [(path, f"expected {show(expected)}, got {show(got)}")]
    return []


def _equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    return a == b


TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "sid": lambda v: isinstance(v, str) and bool(SID.match(v)),
}


def _matcher(op: str, arg, got, path: str) -> list[tuple[str, str]]:
    def fail(message):
        return [(path, message)]

    if op == "$present":
        if bool(arg) == (got is not MISSING):
            return []
        return fail("expected to be present, is absent" if arg
                    else f"expected to be absent, got {show(got)}")
    if op == "$absent":
        return _matcher("$present", not arg, got, path)
    if op == "$any":
        return [] if got is not MISSING else fail("expected a value, is absent")
    if op == "$not":
        return fail(f"expected not {show(arg)}, got {show(got)}") if not compare(arg, got, path) \
            else []
    if got is MISSING:
        return fail(f"expected {{{op}: {show(arg)}}}, is absent")
    if op == "$regex":
        if isinstance(got, (dict, list)) or got is None \
                or not re.search(str(arg), _text(got)):
            return fail(f"expected to match /{arg}/, got {show(got)}")
        return []
    if op == "$type":
        names = arg if isinstance(arg, list) else [arg]
        unknown = [n for n in names if n not in TYPES]
        if unknown:
            return fail(f"unknown $type {unknown[0]!r} (one of {', '.join(TYPES)})")
        return [] if any(TYPES[n](got) for n in names) else \
            fail(f"expected a {' or '.join(names)}, got {show(got)}")
    if op == "$sid":
        ok = isinstance(got, str) and SID.match(got) and got.startswith(str(arg))
        return [] if ok else fail(f"expected a {arg}... SID, got {show(got)}")
    if op == "$length":
        if not isinstance(got, (list, str, dict)):
            return fail(f"expected something with a length, got {show(got)}")
        problems = compare(arg, len(got), path)
        return [(path, f"length: {m} ({show(got, 80)})") for _, m in problems]
    if op == "$contains":
        if isinstance(got, str):
            return [] if str(arg) in got else fail(f"expected to contain {show(arg)}, "
                                                   f"got {show(got)}")
        if not isinstance(got, list):
            return fail(f"expected a list containing {show(arg)}, got {show(got)}")
        if any(not compare(arg, item) for item in got):
            return []
        return fail(f"no item matches {show(arg)} among {len(got)}: {show(got)}")
    if op == "$every":
        if not isinstance(got, list):
            return fail(f"expected a list, got {show(got)}")
        problems = []
        for i, item in enumerate(got):
            problems += compare(arg, item, f"{path}.{i}")
        return problems
    if op == "$in":
        options = arg if isinstance(arg, list) else [arg]
        return [] if any(_equal(o, got) for o in options) else \
            fail(f"expected one of {show(options)}, got {show(got)}")
    if op == "$eq":
        return [] if _equal(arg, got) else fail(f"expected exactly {show(arg)}, got {show(got)}")
    if op in ("$gt", "$gte", "$lt", "$lte"):
        try:
            ok = {"$gt": got > arg, "$gte": got >= arg, "$lt": got < arg,
                  "$lte": got <= arg}[op]
        except TypeError:
            ok = False
        return [] if ok else fail(f"expected {op[1:]} {show(arg)}, got {show(got)}")
    return fail(f"unknown matcher {op} (one of {', '.join(MATCHERS)})")
