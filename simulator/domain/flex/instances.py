"""A Flex instance (GO...) and its Flex Configuration (one per account)."""
from __future__ import annotations

from ...dates import parse_iso
from ...rules import flex as flex_rules

FLEX_URL = "https://flex.twilio.com"

# Channel capacities per role (the Configuration's taskrouter_worker_channels);
# Twilio does not document its defaults, these are the simulator's.
_CHANNELS = ("default", "voice", "chat", "sms", "video")
WORKER_CHANNELS = {
    "agent": [{"name": n, "availability": True, "capacity": 2 if n in ("chat", "sms") else 1}
              for n in _CHANNELS],
    "supervisor": [{"name": n, "availability": True, "capacity": 1} for n in _CHANNELS],
    "admin": [{"name": n, "availability": True, "capacity": 1} for n in _CHANNELS],
}


def new_configuration(s, account_sid: str, *, instance_sid: str, workspace_sid: str,
                      workflow_sid: str, queue_sid: str, offline_activity_sid: str,
                      messaging_service_sid: str | None, conversations_service_sid: str,
                      flex_service_sid: str, serverless_sids=()) -> dict:
    now = s.now()
    return s.store.insert("flex_configurations", {
        "sid": account_sid,
        "account_sid": account_sid,
        "date_created": now,
        "date_updated": now,
        "attributes": {},
        "provisioning_started": now,
        "taskrouter_workspace_sid": workspace_sid,
        "taskrouter_target_workflow_sid": workflow_sid,
        "taskrouter_target_taskqueue_sid": queue_sid,
        "taskrouter_taskqueues": [{"sid": queue_sid, "targettable": True}],
        "taskrouter_skills": [],
        "taskrouter_worker_channels": WORKER_CHANNELS,
        "taskrouter_worker_attributes": {},
        "taskrouter_offline_activity_sid": offline_activity_sid,
        "runtime_domain": FLEX_URL,
        "messaging_service_instance_sid": messaging_service_sid,
        "chat_service_instance_sid": conversations_service_sid,
        "flex_service_instance_sid": flex_service_sid,
        "flex_instance_sid": instance_sid,
        "ui_language": "en",
        "ui_attributes": {},
        "ui_dependencies": {},
        "ui_version": "2.14.0",
        "service_version": "1.0",
        "call_recording_enabled": False,
        "call_recording_webhook_url": None,
        "crm_enabled": False,
        "crm_type": None,
        "crm_callback_url": None,
        "crm_fallback_url": None,
        "crm_attributes": {},
        "public_attributes": {},
        "plugin_service_enabled": True,
        "plugin_service_attributes": {},
        "integrations": [],
        "outbound_call_flows": {},
        "serverless_service_sids": list(serverless_sids),
        "queue_stats_configuration": {},
        "notifications": {"enabled": True, "mode": "whenNotInFocus"},
        "markdown": {"enabled": False, "mode": "readOnly"},
        "flex_insights_hr": {},
        "flex_insights_drilldown": False,
        "flex_url": FLEX_URL,
        "channel_configs": [],
        "debugger_integration": {"enabled": False, "console_errors_included": False},
        "flex_ui_status_report": {"enabled": False},
        "agent_conv_end_methods": {},
        "citrix_voice_vdi": {"enabled": False},
        "offline_config": {"presence": True, "presence_ttl": 30},
    })


def configuration_status(s, config: dict) -> str:
    return flex_rules.configuration_status(parse_iso(config["provisioning_started"]),
                                           s.clock.now(),
                                           provisioned=bool(config.get("provisioned")))


def configuration_of(s, account_sid: str) -> dict | None:
    return s.store.get("flex_configurations", account_sid)


def update_configuration(s, config: dict, changes: dict) -> dict:
    return s.modify("flex_configurations", config, changes)


def mark_provisioned(s, account_sid: str) -> dict:
    """A Configuration that reads ``ok`` at once (fixtures: accounts ready from the start)."""
    return s.store.update("flex_configurations", account_sid, {"provisioned": True})


def instance_of_account(s, account_sid: str) -> dict | None:
    found = s.store.owned("flex_instances", account_sid, limit=1)
    return found[0] if found else None


def instance_by_sid(s, sid: str) -> dict | None:
    return s.store.get("flex_instances", sid)


def all_instances(s) -> list[dict]:
    return s.store.find("flex_instances", lambda i: True)


def instance_facts(s, inst: dict) -> dict:
    """What the instance view shows besides the instance record: provisioning status,
    Flex URL, whether SSO is set, and the Flex users."""
    config = configuration_of(s, inst["account_sid"])
    return {"status": configuration_status(s, config) if config else "notstarted",
            "flex_url": FLEX_URL,
            "sso_configured": bool(s.store.owned("flex_sso", inst["sid"], limit=1)),
            "users": s.store.owned("flex_users", inst["sid"])}


def instance_of_user(s, user: dict) -> dict:
    """The instance a Flex user belongs to."""
    return s.store.require("flex_instances", user["instance_sid"])
