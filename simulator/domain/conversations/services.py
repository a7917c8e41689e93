"""Conversation Services (IS...) and an account's Conversations Configuration.

Every account has a default Conversation Service, made on first use ("Default Conversations
Service"); a Flex account's is its "Flex Chat Service" (provisioning makes it the default, as
Flex requires). ``/v1/Conversations`` without a service in the path are the default service's.
"""
from __future__ import annotations

from ...errors import TwilioError

DEFAULT_NAME = "Default Conversations Service"


def new_service(s, account_sid: str, friendly_name: str, *, sid: str | None = None) -> dict:
    now = s.now()
    return s.store.insert("conv_services", {
        "sid": sid or s.ids.sid("IS"), "account_sid": account_sid,
        "friendly_name": friendly_name, "role_sid": s.ids.sid("RL"),
        "date_created": now, "date_updated": now})


def configuration(s, account_sid: str) -> dict:
    """The account's Conversations Configuration (made, with a default service, on first use)."""
    config = s.store.get("conv_configurations", account_sid)
    if config is not None:
        return config
    with s.store.lock:
        config = s.store.get("conv_configurations", account_sid)
        if config is None:
            service = new_service(s, account_sid, DEFAULT_NAME)
            config = set_configuration(s, account_sid, chat_service_sid=service["sid"])
    return config


def set_configuration(s, account_sid: str, *, chat_service_sid: str,
                      messaging_service_sid: str | None = None) -> dict:
    """Write the configuration (a Flex account's: its Flex Chat and Messaging Services)."""
    now = s.now()
    s.store.delete("conv_configurations", account_sid)
    return s.store.insert("conv_configurations", {
        "sid": account_sid, "account_sid": account_sid,
        "default_chat_service_sid": chat_service_sid,
        "default_messaging_service_sid": messaging_service_sid,
        "default_inactive_timer": None, "default_closed_timer": None,
        "date_created": now, "date_updated": now})


def update_configuration(s, account_sid: str, changes: dict) -> dict:
    config = configuration(s, account_sid)
    if "default_chat_service_sid" in changes:
        service_of(s, account_sid, changes["default_chat_service_sid"],
                   param="DefaultChatServiceSid")
    if "default_messaging_service_sid" in changes:
        sid = changes["default_messaging_service_sid"]
        found = s.store.get("messaging_services", sid)
        if found is None or found["account_sid"] != account_sid:
            raise TwilioError.invalid("DefaultMessagingServiceSid",
                                      f"{sid[:64]} is not a Messaging Service of this account")
    return s.modify("conv_configurations", config,
                    {k: v for k, v in changes.items() if config.get(k) != v})


def default_service(s, account_sid: str) -> dict:
    config = configuration(s, account_sid)
    service = s.store.get("conv_services", config["default_chat_service_sid"])
    if service is None:   # deleted from under the configuration: a fresh default
        service = new_service(s, account_sid, DEFAULT_NAME)
        s.modify("conv_configurations", config, {"default_chat_service_sid": service["sid"]})
    return service


def service_of(s, account_sid: str, sid: str, *, param: str | None = None) -> dict:
    """The account's service ``sid`` (20404; a 20422 naming ``param`` when it is a parameter)."""
    service = s.store.get("conv_services", sid)
    if service is None or service["account_sid"] != account_sid:
        if param:
            raise TwilioError.invalid(param, f"{sid} is not a Conversation Service of this "
                                             "account")
        raise TwilioError.not_found()
    return service


def list_services(s, account_sid: str):
    default_service(s, account_sid)
    return s.store.pager("conv_services", account_sid)


def check_deletable(s, service: dict):
    """The default service cannot go (20422)."""
    if configuration(s, service["account_sid"])["default_chat_service_sid"] == service["sid"]:
        raise TwilioError.invalid("Sid", f"{service['sid']} is the account's default "
                                         "Conversation Service")
