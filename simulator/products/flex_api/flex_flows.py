"""Flex Flows: /v1/FlexFlows (legacy Flex messaging routing, SID FO)."""
from __future__ import annotations

import re

from ...auth import principal
from ...current import sim
from ...domain.flex import flex_flows
from ...domain.flex.flex_flows import (CHANNEL_TYPES, INTEGRATION_TYPES, check_integration,
                                       integration_defaults)
from ...errors import TwilioError
from ...wire import boolean, choice, integer, list_v1, text
from . import bp, require_admin, url

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
    flow = flex_flows.flex_flow_of(sim(), principal().account_sid, sid)
    if flow is None:
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
    integ = integration_defaults(kind, _integration(None))
    check_integration(kind, integ)
    flow = flex_flows.new_flex_flow(
        sim(), principal().account_sid, friendly_name=name, chat_service_sid=chat,
        channel_type=channel_type, contact_identity=text("ContactIdentity"),
        enabled=boolean("Enabled", False), integration_type=kind, integration=integ,
        long_lived=boolean("LongLived", False),
        janitor_enabled=boolean("JanitorEnabled", False))
    return to_wire(flow), 201


@bp.get("/FlexFlows")
def list_flex_flows():
    fetch = flex_flows.list_flex_flows(sim(), principal().account_sid, text("FriendlyName"))
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
    return to_wire(flex_flows.update_flex_flow(sim(), flow, changes, kind, integ))


@bp.delete("/FlexFlows/<sid>")
def delete_flex_flow(sid):
    flow = flow_of(sid)
    require_admin("Flex Flows")
    flex_flows.delete_flex_flow(sim(), flow)
    return "", 204
