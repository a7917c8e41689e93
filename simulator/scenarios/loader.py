"""Reading scenario files: YAML (one scenario per document), checked against the JSON
Schema and a few rules the schema cannot say, with messages that name the file, the line,
the step and the field."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from .matching import TEMPLATE
from .schema import ACTIONS, SCHEMA

SUFFIXES = (".yaml", ".yml")
BUILTIN_ACTORS = ("main", "main.test", "main.key", "anonymous", "control")
ANSWERING = ("request", "wait_until", "inbound_sms", "inbound_call", "hang_up",
             "webchat_message", "approve_tollfree", "review_tollfree", "reject_tollfree",
             "verify_caller_id", "fault", "clear_faults")
_validator = Draft202012Validator(SCHEMA)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Scenario:
    name: str
    file: Path
    doc: dict
    index: int = 0                       # its document's position in the file
    lines: list[int] = field(default_factory=list)   # each step's line in the file
    line: int = 1

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"

    def step_label(self, i: int) -> str:
        step = self.doc["steps"][i]
        name = step.get("name") if isinstance(step, dict) else None
        label = f"step {i + 1}"
        return f"{label} '{name}'" if name else label


@dataclass
class Problem:
    file: Path
    line: int | None
    where: str
    message: str
    scenario: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{place}: {self.where + ': ' if self.where else ''}{self.message}"


def find_files(paths) -> list[Path]:
    """Every scenario file under the paths given (folders are searched recursively)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        else:
            found.append(p)
    return found


def load_file(path) -> tuple[list[Scenario], list[Problem]]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        return [], [Problem(path, None, "", f"cannot read: {e.strerror or e}")]
    return load_text(text, path)


def load_text(text: str, path: Path) -> tuple[list[Scenario], list[Problem]]:
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
        docs = list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return [], [Problem(path, mark.line + 1 if mark else None, "",
                            f"not valid YAML: {getattr(e, 'problem', None) or e}")]
    scenarios, problems = [], []
    for index, (node, doc) in enumerate((n, d) for n, d in zip(nodes, docs) if d is not None):
        found = check(doc, path, node)
        if found:
            problems += found
            continue
        steps_node = _child(node, "steps")
        lines = [(_child(steps_node, i) or steps_node).start_mark.line + 1
                 for i in range(len(doc["steps"]))]
        scenarios.append(Scenario(doc["name"], path, doc, index, lines, node.start_mark.line + 1))
    if not scenarios and not problems:
        problems.append(Problem(path, None, "", "holds no scenario"))
    return scenarios, problems


def check(doc, path: Path, node=None) -> list[Problem]:
    """The schema's verdict and the format's own rules, as Problems."""
    name = doc.get("name") if isinstance(doc, dict) else None
    problems = []
    for error in _validator.iter_errors(doc):
        problems.append(_problem(error, doc, path, node, name))
    problems.sort(key=lambda p: p.line or 0)
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return problems
    actors = doc.get("actors") if isinstance(doc.get("actors"), dict) else {}
    for i, step in enumerate(doc["steps"]):
        present = [a for a in ACTIONS if isinstance(step, dict) and a in step]
        if len(present) != 1:
            continue   # the schema has said so
        action = present[0]
        where = _step_where(doc, i)
        line = _line(node, ["steps", i])
        if action not in ANSWERING:
            for extra in ("expect", "capture"):
                if extra in step:
                    problems.append(Problem(path, line, where, f"'{extra}' needs a step that "
                                            f"gets an answer, not '{action}'", name))
        requests = [step.get("request"), (step.get("wait_until") or {}).get("request")]
        for req in requests:
            actor = req.get("as") if isinstance(req, dict) else None
            if isinstance(actor, str) and actor not in BUILTIN_ACTORS and actor not in actors \
                    and not TEMPLATE.search(actor):
                problems.append(Problem(path, line, f"{where}: request.as",
                                        f"unknown actor '{actor}' (built in: "
                                        f"{', '.join(BUILTIN_ACTORS)}; declared: "
                                        f"{', '.join(sorted(actors)) or 'none'})", name))
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _step_where(doc: dict, i: int) -> str:
    step = doc["steps"][i] if isinstance(doc.get("steps"), list) else None
    label = f"step {i + 1}"
    if isinstance(step, dict) and isinstance(step.get("name"), str):
        label += f" '{step['name']}'"
    return label


def _problem(error, doc, path: Path, node, name) -> Problem:
    extra, message = _resolve(error)
    location = list(error.absolute_path) + extra
    where = ""
    rest = location
    if len(location) >= 2 and location[0] == "steps" and isinstance(location[1], int):
        where = _step_where(doc, location[1])
        rest = location[2:]
    field_ = ".".join(map(str, rest))
    if field_:
        where = f"{where}: {field_}" if where else field_
    return Problem(path, _line(node, location), where, message, name)


JSON_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
              "integer": int, "number": (int, float), "null": type(None)}


def _resolve(error) -> tuple[list, str]:
    """(the path below the error, the message) of the most telling error under an
    anyOf/oneOf: the one in the branch meant for this kind of value."""
    if error.validator not in ("anyOf", "oneOf") or not error.context or _one_key_choice(error):
        return [], _message(error)
    same = _same_kind(error)
    if same:
        deepest = best_match(same)
        below, message = _resolve(deepest)
        return list(deepest.path) + below, message
    kinds = []
    for branch in error.validator_value:
        kind = branch.get("type", "a value") if isinstance(branch, dict) else "a value"
        kinds += kind if isinstance(kind, list) else [kind]
    return [], f"{error.instance!r} should be {' or '.join(dict.fromkeys(kinds))}"


def _same_kind(error) -> list:
    """The errors of the anyOf/oneOf branches meant for this kind of value (an object's
    errors for an object), so the message is about what was written."""
    kept = []
    for e in error.context:
        branch = error.validator_value[e.relative_schema_path[0]]
        kinds = branch.get("type") if isinstance(branch, dict) else None
        kinds = [kinds] if isinstance(kinds, str) else kinds or []
        if any(isinstance(error.instance, JSON_TYPES[k]) for k in kinds if k in JSON_TYPES):
            kept.append(e)
    return kept


def _one_key_choice(error) -> bool:
    """A oneOf of ``{"required": [key]}`` options: "exactly one of these keys"."""
    return error.validator == "oneOf" and isinstance(error.instance, dict) and all(
        set(o) == {"required"} for o in error.validator_value)


def _message(error) -> str:
    if _one_key_choice(error):
        options = [o["required"][0] for o in error.validator_value if "required" in o]
        present = [o for o in options if o in error.instance]
        kind = "a step" if set(options) == set(ACTIONS) else "an actor"
        if not present:
            return f"{kind} needs one of: {', '.join(options)}"
        return f"{kind} takes exactly one of {', '.join(options)}; this one has " \
               f"{', '.join(present)}"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(error.schema.get("properties", {}))
        return f"unknown field(s) {', '.join(map(repr, extra))} (known: {known})"
    if error.validator == "not" and error.validator_value == {"required": ["params", "json"]}:
        return "a request sends params (a form) or json, not both"
    if error.validator == "enum":
        options = {}
        for v in error.validator_value:   # GET and get: shown once
            options.setdefault(str(v).lower(), str(v))
        return f"{error.instance!r} is not one of {', '.join(options.values())}"
    if error.validator == "pattern" and "GET|POST" in error.validator_value:
        return f"{error.instance!r} is not 'METHOD path' (e.g. 'GET api/2010-04-01/Accounts.json')"
    return error.message


def _child(node, key):
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _line(node, location) -> int | None:
    best = node
    for key in location:
        child = _child(best, key)
        if child is None:
            break
        best = child
    return best.start_mark.line + 1 if best is not None else None


def parse_duration(value) -> float:
    """``90``, ``"90s"``, ``"5m"``, ``"2h"``, ``"1d"`` -> seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value))
    if not m:
        raise ValueError(f"not a duration: {value!r}")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
