"""The scenario format as a JSON Schema (draft 2020-12): ``twilio-sim scenario schema``
prints it, ``twilio-sim scenario validate FILE...`` checks files against it."""
from __future__ import annotations

ACTIONS = ("request", "advance", "wait_until", "inbound_sms", "inbound_call", "hang_up",
           "webchat_message", "approve_tollfree", "review_tollfree", "reject_tollfree",
           "verify_caller_id", "fault", "clear_faults", "set")

_duration = {"description": "simulated seconds: a number, or a string like '90s', '5m', '2h', '1d'",
             "anyOf": [{"type": "number", "minimum": 0},
                       {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(s|m|h|d)?\s*$"}]}

_actor = {
    "description": "who sends the request: 'main' (the first main account's AccountSid and "
                   "Auth Token), 'main.test' (its test credentials), 'main.key' (its first API "
                   "key), 'anonymous', 'control' (the control plane), an actor declared under "
                   "'actors', or an actor spec",
    "anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/actor_spec"}],
}

_actor_spec = {
    "type": "object",
    "description": "exactly one of: account (an AccountSid; its Auth Token is looked up unless "
                   "auth_token is given), api_key (+ secret), test_credentials (the AccountSid "
                   "whose test credentials to use), basic [user, password], bearer (a Console "
                   "session or Flex user token), console {email, password} (logs in), "
                   "flex {email, password, account} (logs in and launches Flex)",
    "properties": {
        "account": {"type": "string"}, "auth_token": {"type": "string"},
        "api_key": {"type": "string"}, "secret": {"type": "string"},
        "test_credentials": {"type": "string"},
        "basic": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "bearer": {"type": "string"},
        "console": {"type": "object", "required": ["email", "password"],
                    "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
                    "additionalProperties": False},
        "flex": {"type": "object", "required": ["email", "password", "account"],
                 "properties": {"email": {"type": "string"}, "password": {"type": "string"},
                                "account": {"type": "string"}},
                 "additionalProperties": False},
    },
    "additionalProperties": False,
    "oneOf": [{"required": [k]} for k in ("account", "api_key", "test_credentials", "basic",
                                          "bearer", "console", "flex")],
}

_template = {"type": "string", "pattern": r"^\s*\{\{[^}]+\}\}\s*$"}

_request_object = {
    "type": "object",
    "required": ["path"],
    "properties": {
        "as": _actor,
        "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "get", "post", "put",
                            "patch", "delete"]},
        "path": {"type": "string", "minLength": 1,
                 "description": "product path (api/2010-04-01/..., flex-api/v1/..., "
                                "console/..., flex/..., _sim/v1/...) or a https://*.twilio.com URL"},
        "params": {"description": "form parameters (a list repeats a name), or a template "
                                  "naming an object variable",
                   "anyOf": [{"type": "object"}, _template]},
        "query": {"type": "object"},
        "json": {"description": "a JSON body"},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": False,
    "not": {"required": ["params", "json"]},
}

_request = {
    "description": "an object, or the shorthand 'METHOD path'",
    "anyOf": [{"type": "string", "pattern": r"^(GET|POST|PUT|PATCH|DELETE)\s+\S.*$"},
              _request_object],
}

_delivery = {
    "type": "object",
    "properties": {
        "url": {}, "method": {}, "kind": {}, "account_sid": {}, "resource_sid": {},
        "params": {"type": "object"}, "transport": {}, "response_status": {}, "error": {},
        "signature_valid": {"type": "boolean"},
        "count": {"type": "integer", "minimum": 0},
    },
    "additionalProperties": False,
}

_expect = {
    "type": "object",
    "properties": {
        "status": {"anyOf": [{"type": "integer"},
                             {"type": "array", "items": {"type": "integer"}, "minItems": 1}]},
        "code": {"type": ["integer", "null"], "description": "Twilio's error code in the body"},
        "json": {"description": "the JSON body: an object is a partial match (keys may be "
                                "dotted paths), other values match exactly; {$regex}, {$type}, "
                                "{$present}, {$absent}, {$length}, {$contains}, {$in}, {$not}, "
                                "{$gt}/{$gte}/{$lt}/{$lte}, {$eq}, {$sid} are matchers"},
        "headers": {"type": "object"},
        "text": {"description": "the body as text (a string or a matcher)"},
        "webhooks": {"type": "array", "items": _delivery,
                     "description": "each item: some delivery since the scenario started "
                                    "matches it (count: exactly that many do)"},
        "dropped": {"type": "boolean", "description": "the connection was dropped (a fault)"},
    },
    "additionalProperties": False,
}

_capture_value = {
    "anyOf": [
        {"type": "string", "description": "a dotted path into the JSON body (sid, users.0.sid)"},
        {"type": "object",
         "properties": {"path": {"type": "string"}, "where": {"type": "object"},
                        "field": {"type": "string"}, "header": {"type": "string"}},
         "additionalProperties": False},
    ],
}

_fault = {
    "type": "object",
    "description": "a fault as POST /_sim/v1/faults takes it",
    "properties": {
        "target": {"enum": ["request", "webhook"]},
        "method": {"type": "string"}, "product": {"type": "string"},
        "path": {"type": "string"}, "account_sid": {"type": "string"},
        "url": {"type": "string"}, "kind": {"type": "string"},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "code": {"type": "integer"}, "message": {"type": "string"},
        "retry_after": {"type": "number", "minimum": 0},
        "latency": {"type": "number", "minimum": 0},
        "drop": {"type": "boolean"}, "timeout": {"type": "boolean"},
        "count": {"type": "integer", "minimum": 1},
        "probability": {"type": "number", "minimum": 0, "maximum": 1},
        "seed": {"type": "integer"}, "name": {"type": "string"},
    },
    "additionalProperties": False,
}

_sid_or_object = {"anyOf": [{"type": "string"},
                            {"type": "object", "required": ["sid"],
                             "properties": {"sid": {"type": "string"}},
                             "additionalProperties": False}]}

STEP = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "request": _request,
        "advance": _duration,
        "wait_until": {
            "type": "object", "required": ["request", "expect"],
            "properties": {"request": _request, "expect": {"$ref": "#/$defs/expect"},
                           "within": _duration, "every": _duration},
            "additionalProperties": False,
        },
        "inbound_sms": {
            "type": "object", "required": ["From", "To"],
            "properties": {"From": {"type": "string"}, "To": {"type": "string"},
                           "Body": {"type": "string"},
                           "MediaUrl": {"anyOf": [{"type": "string"},
                                                  {"type": "array", "items": {"type": "string"}}]}},
            "additionalProperties": False,
        },
        "inbound_call": {
            "type": "object", "required": ["From", "To"],
            "properties": {"From": {"type": "string"}, "To": {"type": "string"}},
            "additionalProperties": False,
        },
        "hang_up": _sid_or_object,
        "webchat_message": {
            "type": "object", "required": ["conversation", "Body"],
            "properties": {"conversation": {"type": "string"}, "Body": {"type": "string"},
                           "Identity": {"type": "string"}},
            "additionalProperties": False,
        },
        "approve_tollfree": _sid_or_object,
        "review_tollfree": _sid_or_object,
        "reject_tollfree": {
            "anyOf": [{"type": "string"},
                      {"type": "object", "required": ["sid"],
                       "properties": {"sid": {"type": "string"}, "reason": {"type": "string"},
                                      "error_code": {"type": "integer"}},
                       "additionalProperties": False}]},
        "verify_caller_id": {
            "type": "object", "required": ["PhoneNumber"],
            "properties": {"PhoneNumber": {"type": "string"}, "AccountSid": {"type": "string"},
                           "FriendlyName": {"type": "string"}},
            "additionalProperties": False,
        },
        "fault": _fault,
        "clear_faults": {"const": True},
        "set": {"type": "object", "description": "variables to set (templates allowed)"},
        "expect": {"$ref": "#/$defs/expect"},
        "capture": {"type": "object", "additionalProperties": _capture_value,
                    "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"}},
    },
    "additionalProperties": False,
    "oneOf": [{"required": [action]} for action in ACTIONS],
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/twilio-flex-simulator/scenario.schema.json",
    "title": "twilio-sim scenario",
    "description": "A replayable Twilio journey: requests through the simulator's doors, with "
                   "expectations, captures, clock moves, customer actions and faults. "
                   "Strings may hold {{ variable }} templates.",
    "type": "object",
    "required": ["name", "steps"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "seed": {"type": "integer"},
        "fixtures": {"description": "a fixtures file (relative to the scenario) or the "
                                    "fixtures themselves",
                     "anyOf": [{"type": "string"}, {"type": "object"}]},
        "clock": {"type": "string", "description": "freeze the clock at this ISO 8601 time "
                                                   "(default: when the scenario starts)"},
        "webhook_transport": {"enum": ["auto", "http", "record"]},
        "variables": {"type": "object",
                      "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"}},
        "actors": {"type": "object", "additionalProperties": {"$ref": "#/$defs/actor_spec"},
                   "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_.-]*$"}},
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
    },
    "additionalProperties": False,
    "$defs": {"step": STEP, "expect": _expect, "actor_spec": _actor_spec},
}
