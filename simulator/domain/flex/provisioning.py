"""Provisioning a Flex account.

``provision_flex_account`` does what Twilio does when the Console creates a Flex
account (twilio-rules.md §1.3): a new account, a Flex instance (GO), the Flex
Configuration, the TaskRouter workspace "Flex Task Assignment" (activities
Offline, Available, Unavailable, Break; queue "Everyone" ``1==1``; workflow
"Assign to Anyone"; task channels default/voice/chat/sms/video), a voice+SMS
phone number, the Studio flows Webchat Flow, Messaging Flow and Voice IVR (each with a
Send to Flex widget: studio.flex_flow_definition), a Messaging Service, the "Flex Chat
Service" (the account's default Conversation Service) and two address configurations: the
number (``sms``, auto-creating conversations that run the Messaging Flow) and "Flex Web Chat"
(``chat``, running the Webchat Flow). Everything is written at once; the Configuration's
``status`` reads ``inprogress`` until ``rules.flex.PROVISIONING_SECONDS`` have passed on the
simulator clock.
"""
from __future__ import annotations

import re

from ...rules import taskrouter as tr_rules
from .. import studio
from ..accounts import account_of, new_account
from ..console import add_account, check_code, new_console_user
from ..conversations.addresses import new_address
from ..conversations.services import new_service as new_conversation_service
from ..conversations.services import set_configuration as set_conversations_configuration
from ..messaging_services import new_service
from ..numbers import new_incoming_number
from ..taskrouter.task_queues import new_task_queue
from ..taskrouter.workflows import new_workflow
from ..taskrouter.workspaces import new_workspace
from .instances import mark_provisioned, new_configuration
from .sso import set_sso
from .users import all_flex_users, new_flex_user

WORKSPACE_NAME = "Flex Task Assignment"
ACTIVITIES = (("Offline", False), ("Available", True), ("Unavailable", False), ("Break", False))
QUEUE_NAME = "Everyone"
WORKFLOW_NAME = "Assign to Anyone"
STUDIO_FLOWS = ("Webchat Flow", "Messaging Flow", "Voice IVR")
WEB_CHAT_ADDRESS = "flex-web-chat"   # the chat address's "address" (Twilio shows none)


def provision_flex_account(s, friendly_name: str, *, console_user: dict | None = None,
                           account_spec: dict | None = None,
                           phone_number: str | None = None) -> dict:
    """Create the account and everything a Flex instance comes with; returns the
    instance record (``sid`` GO..., ``account_sid``, ``workspace_sid`` ...)."""
    spec = account_spec or {}
    with s.store.lock:
        # the number first: if none is available (21422) nothing else has been written
        asid = spec.get("sid") or s.ids.sid("AC")
        flow_sids = {name: s.ids.sid("FW") for name in STUDIO_FLOWS}
        hook = "https://webhooks.twilio.com/v1/Accounts/{}/Flows/{}"
        number = new_incoming_number(
            s, asid, phone_number=phone_number, friendly_name=f"{friendly_name} Flex number",
            voice_url=hook.format(asid, flow_sids["Voice IVR"]),
            sms_url=hook.format(asid, flow_sids["Messaging Flow"]))
        new_account(s, owner_sid=None, friendly_name=friendly_name, sid=asid,
                    auth_token=spec.get("auth_token"), type_=spec.get("type", "Trial"))
        ws = new_workspace(s, asid, WORKSPACE_NAME, activities=ACTIVITIES)
        queue = new_task_queue(s, ws, QUEUE_NAME, target_workers="1==1")
        workflow = new_workflow(s, ws, WORKFLOW_NAME, tr_rules.queue_configuration(queue["sid"]))
        now = s.now()
        service = new_service(s, asid, "Flex Messaging Service")
        instance = s.store.insert("flex_instances", {
            "sid": s.ids.sid("GO"), "account_sid": asid, "friendly_name": friendly_name,
            "workspace_sid": ws["sid"], "workflow_sid": workflow["sid"],
            "queue_sid": queue["sid"], "phone_number_sid": number["sid"],
            "phone_number": number["phone_number"],
            "messaging_service_sid": service["sid"],
            "conversations_service_sid": s.ids.sid("IS"),
            "default_team_sid": s.ids.sid("QO"),
            "studio_flow_sids": dict(flow_sids),
            "console_user_sid": console_user["sid"] if console_user else None,
            "date_created": now, "date_updated": now,
        })
        new_configuration(s, asid, instance_sid=instance["sid"], workspace_sid=ws["sid"],
                          workflow_sid=workflow["sid"], queue_sid=queue["sid"],
                          offline_activity_sid=ws["default_activity_sid"],
                          messaging_service_sid=service["sid"],
                          conversations_service_sid=instance["conversations_service_sid"],
                          flex_service_sid=instance["conversations_service_sid"])
        _conversations_setup(s, instance, number, workflow["sid"])
        if console_user is not None:
            new_flex_user(s, instance, email=console_user["email"],
                          full_name=console_user.get("full_name") or console_user["email"],
                          roles=["admin"], user_sid=console_user["sid"])
    return instance


def _conversations_setup(s, instance: dict, number: dict, workflow_sid: str):
    """The Studio flows with their Send to Flex widgets, the Flex Chat Service as the
    account's default Conversation Service, and the number's and web chat's addresses."""
    asid, flows = instance["account_sid"], instance["studio_flow_sids"]
    channels = {c["unique_name"]: c["sid"]
                for c in s.store.owned("tr_task_channels", instance["workspace_sid"])}
    for name in STUDIO_FLOWS:
        studio.new_flow(s, asid, friendly_name=name, sid=flows[name],
                        definition=studio.flex_flow_definition(name, workflow_sid, channels))
    chat = new_conversation_service(s, asid, "Flex Chat Service",
                                    sid=instance["conversations_service_sid"])
    set_conversations_configuration(s, asid, chat_service_sid=chat["sid"],
                                    messaging_service_sid=instance["messaging_service_sid"])
    new_address(s, asid, type_="sms", address=number["phone_number"],
                friendly_name=f"{instance['friendly_name']} SMS",
                auto_creation={"enabled": True, "type": "studio",
                               "conversation_service_sid": chat["sid"],
                               "studio_flow_sid": flows["Messaging Flow"],
                               "studio_retry_count": 3})
    new_address(s, asid, type_="chat", address=WEB_CHAT_ADDRESS, friendly_name="Flex Web Chat",
                auto_creation={"enabled": True, "type": "studio",
                               "conversation_service_sid": chat["sid"],
                               "studio_flow_sid": flows["Webchat Flow"],
                               "studio_retry_count": 3})


def create_flex_account(s, console_user: dict, friendly_name: str, code) -> tuple[dict, dict]:
    """The Console's "create a Flex account": the phone code approved, a provisioned
    Flex account owned by the Console user (its first Administrator). Returns
    (instance, account)."""
    with s.store.lock:
        check_code(s, console_user, "flex-account", code)
        inst = provision_flex_account(s, friendly_name, console_user=console_user)
        add_account(s, console_user, inst["account_sid"])
    return inst, account_of(s, inst["account_sid"])


# -- fixtures ----------------------------------------------------------------------------------
def load_flex_accounts(s, specs: list) -> list[dict]:
    """The ``flex_accounts`` of a fixtures file (format in README, "Flex and the
    Console"): each a ready (already provisioned) Flex account with its owner
    (a Console user, the first Administrator), Console users with roles, SSO
    settings, and ``agents`` SSO agents with Faker names."""
    made = []
    for spec in specs:
        faker = s.ids.faker
        owner_spec = spec.get("owner") or {}
        domain = spec.get("email_domain", "example.com")
        owner = new_console_user(
            s, (owner_spec.get("email") or f"admin@{domain}").lower(),
            owner_spec.get("password") or s.ids.token(), owner_spec.get("phone"),
            full_name=owner_spec.get("full_name") or faker.name(), phone_verified=True,
            sid=owner_spec.get("user_sid"))
        inst = provision_flex_account(s, spec.get("friendly_name") or f"{faker.company()} Flex",
                                      console_user=owner, account_spec=spec.get("account"),
                                      phone_number=spec.get("phone_number"))
        mark_provisioned(s, inst["account_sid"])
        s.store.update("console_users", owner["sid"], {"account_sids": [inst["account_sid"]]})
        for user in spec.get("users", []):
            roles = user.get("roles") or ["agent"]
            full_name = user.get("full_name") or faker.name()
            email = (user.get("email") or _email(s, full_name, domain)).lower()
            console_sid = None
            if user.get("password"):
                console_sid = new_console_user(s, email, user["password"], user.get("phone"),
                                               full_name=full_name)["sid"]
            new_flex_user(s, inst, email=email, full_name=full_name, roles=roles,
                          user_sid=console_sid, image_url=user.get("image_url"))
        if spec.get("sso"):
            sso = spec["sso"]
            set_sso(s, inst, sso.get("issuer"), sso.get("sso_url"), sso.get("certificate"))
        for _ in range(int(spec.get("agents", 0))):
            full_name = faker.name()
            new_flex_user(s, inst, email=_email(s, full_name, domain), full_name=full_name,
                          roles=["agent"])
        made.append(inst)
    return made


def _email(s, full_name: str, domain: str) -> str:
    """``Jane Doe`` -> ``jane.doe@domain`` (``jane.doe2@...`` when taken)."""
    local = ".".join(re.sub(r"[^a-z]", "", p.lower()) for p in full_name.split()[:2]) or "agent"
    taken = {u["email"] for u in all_flex_users(s)}
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    return email
