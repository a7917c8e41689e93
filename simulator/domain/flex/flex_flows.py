"""Flex Flows (FO...): the legacy Flex messaging routing of a channel type to a
Studio flow, an external URL or a TaskRouter task."""
from __future__ import annotations

from ...errors import TwilioError

CHANNEL_TYPES = ("web", "sms", "facebook", "whatsapp", "line", "custom")
INTEGRATION_TYPES = ("studio", "external", "task")


def integration_defaults(kind: str, integ: dict) -> dict:
    if kind == "task":
        integ.setdefault("priority", 0)
        integ.setdefault("timeout", 86400)
        integ.setdefault("creation_on_message", False)
    else:
        integ.setdefault("retry_count", 3)
    return integ


def check_integration(kind: str, integ: dict):
    needed = {"studio": ("flow_sid",), "external": ("url",),
              "task": ("workspace_sid", "workflow_sid")}[kind]
    missing = [k for k in needed if not integ.get(k)]
    if missing:
        names = {"flow_sid": "Integration.FlowSid", "url": "Integration.Url",
                 "workspace_sid": "Integration.WorkspaceSid",
                 "workflow_sid": "Integration.WorkflowSid"}
        raise TwilioError(20422, f"IntegrationType {kind} needs "
                                 + ", ".join(names[m] for m in missing))


def new_flex_flow(s, account_sid: str, *, friendly_name: str, chat_service_sid: str,
                  channel_type: str, contact_identity: str | None, enabled: bool,
                  integration_type: str, integration: dict, long_lived: bool,
                  janitor_enabled: bool) -> dict:
    """``integration`` as ``integration_defaults`` completed and ``check_integration``
    accepted it."""
    now = s.now()
    return s.store.insert("flex_flows", {
        "sid": s.ids.sid("FO"), "account_sid": account_sid, "friendly_name": friendly_name,
        "chat_service_sid": chat_service_sid, "channel_type": channel_type,
        "contact_identity": contact_identity, "enabled": enabled,
        "integration_type": integration_type, "integration": integration,
        "long_lived": long_lived, "janitor_enabled": janitor_enabled,
        "date_created": now, "date_updated": now,
    })


def flex_flow_of(s, account_sid: str, sid: str) -> dict | None:
    """The account's Flex Flow ``sid``, or None."""
    flow = s.store.get("flex_flows", sid)
    if flow is None or flow["account_sid"] != account_sid:
        return None
    return flow


def list_flex_flows(s, account_sid: str, friendly_name: str | None = None):
    """The pager ``fetch`` over the account's Flex Flows (by name when given)."""
    return s.store.pager("flex_flows", account_sid,
                         where=(lambda f: f["friendly_name"] == friendly_name)
                         if friendly_name else None)


def update_flex_flow(s, flow: dict, changes: dict, kind: str | None,
                     integration: dict) -> dict:
    """``integration`` is the flow's integration with the given fields applied (a new
    one when ``kind`` changes the integration type)."""
    kind = kind or flow["integration_type"]
    integration = integration_defaults(kind, integration)
    check_integration(kind, integration)
    if integration != flow["integration"] or kind != flow["integration_type"]:
        changes = {**changes, "integration": integration, "integration_type": kind}
    return s.modify("flex_flows", flow, changes)


def delete_flex_flow(s, flow: dict):
    s.store.delete("flex_flows", flow["sid"])
