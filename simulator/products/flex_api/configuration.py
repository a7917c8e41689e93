"""Flex Configuration: GET/POST /v1/Configuration (POST takes JSON)."""
from __future__ import annotations

import re

from flask import request

from ...auth import principal
from ...current import sim
from ...domain.flex import instances
from ...domain.flex.instances import configuration_of, configuration_status
from ...errors import TwilioError
from ...rules.roles import check_worker_channels
from ...wire import json_object
from . import bp, require_admin, url

FIELDS = (
    "account_sid", "date_created", "date_updated", "attributes", "status",
    "taskrouter_workspace_sid", "taskrouter_target_workflow_sid",
    "taskrouter_target_taskqueue_sid", "taskrouter_taskqueues", "taskrouter_skills",
    "taskrouter_worker_channels", "taskrouter_worker_attributes",
    "taskrouter_offline_activity_sid", "runtime_domain", "messaging_service_instance_sid",
    "chat_service_instance_sid", "flex_service_instance_sid", "flex_instance_sid",
    "ui_language", "ui_attributes", "ui_dependencies", "ui_version", "service_version",
    "call_recording_enabled", "call_recording_webhook_url", "crm_enabled", "crm_type",
    "crm_callback_url", "crm_fallback_url", "crm_attributes", "public_attributes",
    "plugin_service_enabled", "plugin_service_attributes", "integrations",
    "outbound_call_flows", "serverless_service_sids", "queue_stats_configuration",
    "notifications", "markdown", "url", "flex_insights_hr", "flex_insights_drilldown",
    "flex_url", "channel_configs", "debugger_integration", "flex_ui_status_report",
    "agent_conv_end_methods", "citrix_voice_vdi", "offline_config",
)
READ_ONLY = {"account_sid", "date_created", "date_updated", "status", "url",
             "flex_instance_sid", "service_version"}
BOOLEANS = {"call_recording_enabled", "crm_enabled", "plugin_service_enabled",
            "flex_insights_drilldown"}
ARRAYS = {"taskrouter_taskqueues", "taskrouter_skills", "integrations",
          "serverless_service_sids", "channel_configs"}
OBJECTS = {"attributes", "taskrouter_worker_channels", "taskrouter_worker_attributes",
           "ui_attributes", "ui_dependencies", "crm_attributes", "public_attributes",
           "plugin_service_attributes", "outbound_call_flows", "queue_stats_configuration",
           "notifications", "markdown", "flex_insights_hr", "debugger_integration",
           "flex_ui_status_report", "agent_conv_end_methods", "citrix_voice_vdi",
           "offline_config"}

SIDS = {"taskrouter_workspace_sid": "WS", "taskrouter_target_workflow_sid": "WW",
        "taskrouter_target_taskqueue_sid": "WQ", "taskrouter_offline_activity_sid": "WA",
        "messaging_service_instance_sid": "MG", "chat_service_instance_sid": "IS",
        "flex_service_instance_sid": "IS"}
STRINGS = {"runtime_domain", "ui_language", "ui_version", "call_recording_webhook_url",
           "crm_type", "crm_callback_url", "crm_fallback_url", "flex_url"}


def to_wire(c: dict) -> dict:
    out = {}
    for f in FIELDS:
        if f == "status":
            out[f] = configuration_status(sim(), c)
        elif f == "url":
            out[f] = url("/v1/Configuration")
        else:
            out[f] = c.get(f)
    return out


def _configuration() -> dict:
    config = configuration_of(sim(), principal().account_sid)
    if config is None:
        raise TwilioError(45101, f"Account {principal().account_sid} has no Flex instance, "
                                 "so no Flex Configuration")
    return config


@bp.get("/Configuration")
def fetch_configuration():
    return to_wire(_configuration())


def check_changes(body, config: dict) -> dict:
    if not isinstance(body, dict):
        raise TwilioError(20422, "The Configuration update must be a JSON object")
    changes = {}
    for key, value in body.items():
        if key == "account_sid":
            if value != config["account_sid"]:
                raise TwilioError.invalid("account_sid", "must be the account of these credentials")
            continue
        if key not in FIELDS:
            raise TwilioError.invalid(key, "is not a Flex Configuration property")
        if key in READ_ONLY:
            raise TwilioError.invalid(key, "is read-only")
        if value is not None:
            if key in BOOLEANS and not isinstance(value, bool):
                raise TwilioError.invalid(key, "must be true or false")
            if key in ARRAYS and not isinstance(value, list):
                raise TwilioError.invalid(key, "must be an array")
            if key in OBJECTS and not isinstance(value, dict):
                raise TwilioError.invalid(key, "must be an object")
            if key in STRINGS and not isinstance(value, str):
                raise TwilioError.invalid(key, "must be a string")
            if key in SIDS and not (isinstance(value, str) and re.fullmatch(
                    SIDS[key] + r"[0-9a-fA-F]{32}", value)):
                raise TwilioError.invalid(key, f"must be a {SIDS[key]} SID")
            if key == "taskrouter_worker_channels":
                check_worker_channels(value)
        changes[key] = value
    return changes


@bp.post("/Configuration")
def update_configuration():
    config = _configuration()
    require_admin("the Flex Configuration")
    if not request.is_json:
        raise TwilioError(20422, "POST /v1/Configuration takes a JSON object "
                                 "(Content-Type: application/json)")
    changes = check_changes(json_object(form=False), config)
    return to_wire(instances.update_configuration(sim(), config, changes))
