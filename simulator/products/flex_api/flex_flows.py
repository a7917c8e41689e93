"""Flex Flows: /v1/FlexFlows (legacy Flex messaging routing, SID FO)."""
from __future__ import annotations

import re

from ...auth import principal
from ...errors import TwilioError
from ...runtime import sim
from ...wire import boolean, choice, integer, list_v1, text
from . import bp, require_admin, url

CHANNEL_TYPES = ("web", "sms", "facebook", "whatsapp", "line", "custom")
INTEGRATION_TYPES = ("studio", "external", "task")
_SID = {"ChatServiceSid": "IS", "Integration.FlowSid": "FW", "Integration.WorkspaceSid": "WS",
        "Integration.WorkflowSid": "WW"}


def _sid(name: str):
    value = text(name)
    if value is not None and not re.fullmatch(_SID[name] + r"[0-9a-fA-F]{32}", value):
        raise TwilioError.invalid(name, f"must be a {_SID[name]} SID")
    return value


def _integration(current: dict | None) -> dict:
    integ = dict(current or {})
    for param, key in (("Integration.FlowSid", "flow_sid"),
                       ("Integration.WorkspaceSid", "workspace_sid"),
                       ("Integration.WorkflowSid", "workflow_sid")):
        value = _sid(param)
        if value is not None:
            integ[key] = value
    for param, key in (("Integration.Url", "url"), ("Integration.Channel", "channel")):
        value = text(param)
        if value is not None:
            integ[key] = value
    for param, key, lo, hi in (("Integration.Timeout", "timeout", 0, 86400 * 14),
                               ("Integration.Priority", "priority", 0, 2 ** 31 - 1),
                               ("Integration.RetryCount", "retry_count", 0, 3)):
        value = integer(param, minimum=lo, maximum=hi)
        if value is not None:
            integ[key] = value
    creation = boolean("Integration.CreationOnMessage")
    if creation is not None:
        integ["creation_on_message"] = creation
    return integ


def _defaults(kind: str, integ: dict) -> dict:
    if kind == "task":
        integ.setdefault("priority", 0)
        integ.setdefault("timeout", 86400)
        integ.setdefault("creation_on_message", False)
    else:
        integ.setdefault("retry_count", 3)
    return integ


def _check_integration(kind: str, integ: dict):
    needed = {"studio": ("flow_sid",), "external": ("url",),
              "task": ("workspace_sid", "workflow_sid")}[kind]
    missing = [k for k in needed if not integ.get(k)]
    if missing:
        names = {"flow_sid": "Integration.FlowSid", "url": "Integration.Url",
                 "workspace_sid": "Integration.WorkspaceSid",
                 "workflow_sid": "Integration.WorkflowSid"}
        raise TwilioError(20422, f"IntegrationType {kind} needs "
                                 + ", ".join(names[m] for m in missing))


def to_wire(f: dict) -> dict:
    return {
        "account_sid": f["account_sid"], "date_created": f["date_created"],
        "date_updated": f["date_updated"], "sid": f["sid"],
        "friendly_name": f["friendly_name"], "chat_service_sid": f["chat_service_sid"],
        "channel_type": f["channel_type"], "contact_identity": f["contact_identity"],
        "enabled": f["enabled"], "integration_type": f["integration_type"],
        "integration": f["integration"], "long_lived": f["long_lived"],
        "janitor_enabled": f["janitor_enabled"], "url": url(f"/v1/FlexFlows/{f['sid']}"),
    }


def flow_of(sid: str) -> dict:
    flow = sim().store.get("flex_flows", sid)
    if flow is None or flow["account_sid"] != principal().account_sid:
        raise TwilioError.not_found()
    return flow


@bp.post("/FlexFlows")
def create_flex_flow():
    require_admin("Flex Flows")
    name = text("FriendlyName", required=True)
    chat = _sid("ChatServiceSid")
    if chat is None:
        raise TwilioError(20422, "Missing required parameter ChatServiceSid in the post body")
    channel_type = choice("ChannelType", CHANNEL_TYPES)
    if channel_type is None:
        raise TwilioError(20422, "Missing required parameter ChannelType in the post body")
    kind = choice("IntegrationType", INTEGRATION_TYPES, "studio")
    integ = _defaults(kind, _integration(None))
    _check_integration(kind, integ)
    s = sim()
    now = s.now()
    flow = s.store.insert("flex_flows", {
        "sid": s.ids.sid("FO"), "account_sid": principal().account_sid, "friendly_name": name,
        "chat_service_sid": chat, "channel_type": channel_type,
        "contact_identity": text("ContactIdentity"), "enabled": boolean("Enabled", False),
        "integration_type": kind, "integration": integ,
        "long_lived": boolean("LongLived", False), "janitor_enabled": boolean("JanitorEnabled", False),
        "date_created": now, "date_updated": now,
    })
    return to_wire(flow), 201


@bp.get("/FlexFlows")
def list_flex_flows():
    name = text("FriendlyName")

    fetch = sim().store.pager("flex_flows", principal().account_sid,
                              where=(lambda f: f["friendly_name"] == name) if name else None)

    return list_v1("flex-api", "/v1/FlexFlows", "flex_flows", fetch, to_wire)


@bp.get("/FlexFlows/<sid>")
def fetch_flex_flow(sid):
    return to_wire(flow_of(sid))


@bp.post("/FlexFlows/<sid>")
def update_flex_flow(sid):
    flow = flow_of(sid)
    require_admin("Flex Flows")
    changes = {}
    for param, field in (("FriendlyName", "friendly_name"), ("ContactIdentity", "contact_identity")):
        value = text(param)
        if value is not None:
            changes[field] = value
    chat = _sid("ChatServiceSid")
    if chat is not None:
        changes["chat_service_sid"] = chat
    channel_type = choice("ChannelType", CHANNEL_TYPES)
    if channel_type is not None:
        changes["channel_type"] = channel_type
    for param, field in (("Enabled", "enabled"), ("LongLived", "long_lived"),
                         ("JanitorEnabled", "janitor_enabled")):
        value = boolean(param)
        if value is not None:
            changes[field] = value
    kind = choice("IntegrationType", INTEGRATION_TYPES)
    integ = _integration(flow["integration"] if kind in (None, flow["integration_type"]) else None)
    kind = kind or flow["integration_type"]
    integ = _defaults(kind, integ)
    _check_integration(kind, integ)
    if integ != flow["integration"] or kind != flow["integration_type"]:
        changes.update(integration=integ, integration_type=kind)
    return to_wire(sim().modify("flex_flows", flow, changes))


@bp.delete("/FlexFlows/<sid>")
def delete_flex_flow(sid):
    flow = flow_of(sid)
    require_admin("Flex Flows")
    sim().store.delete("flex_flows", flow["sid"])
    return "", 204
