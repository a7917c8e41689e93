"""Provisioning a Flex account, its users and their sign-in tokens.

``provision_flex_account`` does what Twilio does when the Console creates a Flex
account (twilio-rules.md §1.3): a new account, a Flex instance (GO), the Flex
Configuration, the TaskRouter workspace "Flex Task Assignment" (activities
Offline, Available, Unavailable, Break; queue "Everyone" ``1==1``; workflow
"Assign to Anyone"; task channels default/voice/chat/sms/video), a voice+SMS
phone number, the Studio flows Webchat Flow, Messaging Flow and Voice IVR (as
records), a Messaging Service and a Conversations service SID. Everything is
written at once; the Configuration's ``status`` reads ``inprogress`` until
``rules.flex.PROVISIONING_SECONDS`` have passed on the simulator clock.
"""
from __future__ import annotations

import json
import re

from .errors import TwilioError
from .rules import flex as flex_rules
from .rules import roles as role_rules
from .runtime import sim
from .wire import parse_iso

WORKSPACE_NAME = "Flex Task Assignment"
ACTIVITIES = (("Offline", False), ("Available", True), ("Unavailable", False), ("Break", False))
QUEUE_NAME = "Everyone"
WORKFLOW_NAME = "Assign to Anyone"
STUDIO_FLOWS = ("Webchat Flow", "Messaging Flow", "Voice IVR")
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


def _identity(email: str) -> str:
    """Flex's client identity for an email (``a.b@x.com`` -> ``a_2Eb_40x_2Ecom``)."""
    return re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):02X}", email)


def new_configuration(account_sid: str, *, instance_sid: str, workspace_sid: str,
                      workflow_sid: str, queue_sid: str, offline_activity_sid: str,
                      messaging_service_sid: str | None, conversations_service_sid: str,
                      flex_service_sid: str, serverless_sids=()) -> dict:
    s = sim()
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


def configuration_status(config: dict) -> str:
    return flex_rules.configuration_status(parse_iso(config["provisioning_started"]),
                                           sim().clock.now(),
                                           provisioned=bool(config.get("provisioned")))


def provision_flex_account(friendly_name: str, *, console_user: dict | None = None,
                           account_spec: dict | None = None, phone_number: str | None = None) -> dict:
    """Create the account and everything a Flex instance comes with; returns the
    instance record (``sid`` GO..., ``account_sid``, ``workspace_sid`` ...)."""
    from .products.api.accounts import new_account
    from .products.api.incoming_phone_numbers import new_incoming_number
    from .products.messaging.services import new_service
    from .products.taskrouter.task_queues import new_task_queue
    from .products.taskrouter.workflows import new_workflow
    from .products.taskrouter.workspaces import new_workspace
    from .rules import taskrouter as tr_rules
    s = sim()
    spec = account_spec or {}
    with s.store.lock:
        # the number first: if none is available (21422) nothing else has been written
        asid = spec.get("sid") or s.ids.sid("AC")
        flow_sids = {name: s.ids.sid("FW") for name in STUDIO_FLOWS}
        hook = "https://webhooks.twilio.com/v1/Accounts/{}/Flows/{}"
        number = new_incoming_number(
            asid, phone_number=phone_number, friendly_name=f"{friendly_name} Flex number",
            voice_url=hook.format(asid, flow_sids["Voice IVR"]),
            sms_url=hook.format(asid, flow_sids["Messaging Flow"]))
        new_account(owner_sid=None, friendly_name=friendly_name, sid=asid,
                    auth_token=spec.get("auth_token"), type_=spec.get("type", "Trial"))
        ws = new_workspace(asid, WORKSPACE_NAME, activities=ACTIVITIES)
        queue = new_task_queue(ws, QUEUE_NAME, target_workers="1==1")
        workflow = new_workflow(ws, WORKFLOW_NAME, tr_rules.queue_configuration(queue["sid"]))
        now = s.now()
        flows = {}
        for name in STUDIO_FLOWS:
            flows[name] = s.store.insert("studio_flows", {
                "sid": flow_sids[name], "account_sid": asid, "friendly_name": name,
                "status": "published", "send_to_flex_workflow_sid": workflow["sid"],
                "date_created": now, "date_updated": now})
        service = new_service(asid, "Flex Messaging Service")
        instance = s.store.insert("flex_instances", {
            "sid": s.ids.sid("GO"), "account_sid": asid, "friendly_name": friendly_name,
            "workspace_sid": ws["sid"], "workflow_sid": workflow["sid"],
            "queue_sid": queue["sid"], "phone_number_sid": number["sid"],
            "phone_number": number["phone_number"],
            "messaging_service_sid": service["sid"],
            "conversations_service_sid": s.ids.sid("IS"),
            "default_team_sid": s.ids.sid("QO"),
            "studio_flow_sids": {k: v["sid"] for k, v in flows.items()},
            "console_user_sid": console_user["sid"] if console_user else None,
            "date_created": now, "date_updated": now,
        })
        new_configuration(asid, instance_sid=instance["sid"], workspace_sid=ws["sid"],
                          workflow_sid=workflow["sid"], queue_sid=queue["sid"],
                          offline_activity_sid=ws["default_activity_sid"],
                          messaging_service_sid=service["sid"],
                          conversations_service_sid=instance["conversations_service_sid"],
                          flex_service_sid=instance["conversations_service_sid"])
        if console_user is not None:
            new_flex_user(instance, email=console_user["email"],
                          full_name=console_user.get("full_name") or console_user["email"],
                          roles=["admin"], user_sid=console_user["sid"])
    return instance


def instance_of_account(account_sid: str) -> dict | None:
    found = sim().store.owned("flex_instances", account_sid, limit=1)
    return found[0] if found else None


def configuration_of(account_sid: str) -> dict | None:
    return sim().store.get("flex_configurations", account_sid)


# -- Flex users ------------------------------------------------------------------------
def _capacities(instance: dict, roles) -> dict:
    config = configuration_of(instance["account_sid"]) or {}
    return role_rules.worker_channels(roles, config.get("taskrouter_worker_channels"))


def new_flex_user(instance: dict, *, email: str, full_name: str, roles, user_sid: str | None = None,
                  image_url: str | None = None, sid: str | None = None) -> dict:
    """A Flex user (FU) and its TaskRouter worker in the instance's workspace."""
    from .products.taskrouter.workers import new_worker
    s = sim()
    ws = s.store.require("tr_workspaces", instance["workspace_sid"])
    identity = _identity(email)
    attributes = {"roles": list(roles), "full_name": full_name, "email": email,
                  "contact_uri": f"client:{identity}"}
    if image_url:
        attributes["image_url"] = image_url
    worker = new_worker(ws, identity, attributes=attributes,
                        capacities=_capacities(instance, roles))
    now = s.now()
    return s.store.insert("flex_users", {
        "sid": sid or s.ids.sid("FU"), "account_sid": instance["account_sid"],
        "instance_sid": instance["sid"], "user_sid": user_sid or s.ids.sid("US"),
        "worker_sid": worker["sid"], "workspace_sid": ws["sid"],
        "flex_team_sid": instance["default_team_sid"], "username": identity,
        "email": email, "full_name": full_name, "image_url": image_url, "locale": "en-US",
        "roles": list(roles), "version": 0, "date_created": now, "date_updated": now,
    })


def flex_user_by_email(instance_sid: str, email: str) -> dict | None:
    found = sim().store.owned("flex_users", instance_sid, where=lambda u: u["email"] == email,
                              limit=1)
    return found[0] if found else None


def update_flex_user(user: dict, *, roles=None, full_name=None, email=None, image_url=None) -> dict:
    """Later sign-ins: roles (and the worker's channel capacities), name and picture."""
    from .products.taskrouter.workers import set_capacities
    s = sim()
    changes = {}
    if roles is not None and list(roles) != user["roles"]:
        changes["roles"] = list(roles)
    if full_name is not None and full_name != user["full_name"]:
        changes["full_name"] = full_name
    if email is not None and email != user["email"]:
        changes["email"] = email
    if image_url is not None and image_url != user.get("image_url"):
        changes["image_url"] = image_url
    if not changes:
        return user
    now = s.now()
    changes.update(date_updated=now, version=user["version"] + 1)
    user = s.store.update("flex_users", user["sid"], changes)
    worker = s.store.get("tr_workers", user["worker_sid"])
    if worker is not None:
        attrs = json.loads(worker["attributes"])
        attrs.update(roles=user["roles"], full_name=user["full_name"], email=user["email"])
        if user.get("image_url"):
            attrs["image_url"] = user["image_url"]
        s.store.update("tr_workers", worker["sid"], {"attributes": json.dumps(attrs),
                                                     "date_updated": now})
        if "roles" in changes:
            instance = s.store.require("flex_instances", user["instance_sid"])
            set_capacities(worker, _capacities(instance, user["roles"]))
    return user


# -- Flex user tokens ------------------------------------------------------------------
def issue_token(user: dict) -> str:
    s = sim()
    token = "FX" + s.ids.hex(48)
    s.store.insert("flex_tokens", {"sid": token, "flex_user_sid": user["sid"],
                                   "instance_sid": user["instance_sid"],
                                   "account_sid": user["account_sid"],
                                   "date_created": s.now()})
    return token


def user_for_token(token: str | None) -> dict | None:
    if not token:
        return None
    record = sim().store.get("flex_tokens", token)
    if record is None:
        return None
    return sim().store.get("flex_users", record["flex_user_sid"])


def token_from_request(request) -> str | None:
    """A Flex user token from ``X-Flex-JWE`` or ``Authorization: Bearer``."""
    token = request.headers.get("X-Flex-JWE")
    if token:
        return token.strip()
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def require_token_user(request) -> dict:
    user = user_for_token(token_from_request(request))
    if user is None:
        raise TwilioError(20003, "Sign in to Flex first: send the Flex user token as "
                                 "'Authorization: Bearer <token>' or 'X-Flex-JWE'")
    return user


# -- fixtures ----------------------------------------------------------------------------------
def load_flex_accounts(specs: list) -> list[dict]:
    """The ``flex_accounts`` of a fixtures file (format in README, "Flex and the
    Console"): each a ready (already provisioned) Flex account with its owner
    (a Console user, the first Administrator), Console users with roles, SSO
    settings, and ``agents`` SSO agents with Faker names."""
    from .console.routes import new_console_user, set_sso
    s = sim()
    made = []
    for spec in specs:
        faker = s.ids.faker
        owner_spec = spec.get("owner") or {}
        domain = spec.get("email_domain", "example.com")
        owner = new_console_user(
            (owner_spec.get("email") or f"admin@{domain}").lower(),
            owner_spec.get("password") or s.ids.token(), owner_spec.get("phone"),
            full_name=owner_spec.get("full_name") or faker.name(), phone_verified=True,
            sid=owner_spec.get("user_sid"))
        inst = provision_flex_account(spec.get("friendly_name") or f"{faker.company()} Flex",
                                      console_user=owner, account_spec=spec.get("account"),
                                      phone_number=spec.get("phone_number"))
        s.store.update("flex_configurations", inst["account_sid"], {"provisioned": True})
        s.store.update("console_users", owner["sid"], {"account_sids": [inst["account_sid"]]})
        for user in spec.get("users", []):
            roles = user.get("roles") or ["agent"]
            full_name = user.get("full_name") or faker.name()
            email = (user.get("email") or _email(full_name, domain)).lower()
            console_sid = None
            if user.get("password"):
                console_sid = new_console_user(email, user["password"], user.get("phone"),
                                               full_name=full_name)["sid"]
            new_flex_user(inst, email=email, full_name=full_name, roles=roles,
                          user_sid=console_sid, image_url=user.get("image_url"))
        if spec.get("sso"):
            sso = spec["sso"]
            set_sso(inst, sso.get("issuer"), sso.get("sso_url"), sso.get("certificate"))
        for _ in range(int(spec.get("agents", 0))):
            full_name = faker.name()
            new_flex_user(inst, email=_email(full_name, domain), full_name=full_name,
                          roles=["agent"])
        made.append(inst)
    return made


def _email(full_name: str, domain: str) -> str:
    """``Jane Doe`` -> ``jane.doe@domain`` (``jane.doe2@...`` when taken)."""
    local = ".".join(re.sub(r"[^a-z]", "", p.lower()) for p in full_name.split()[:2]) or "agent"
    taken = {u["email"] for u in sim().store.find("flex_users", lambda u: True)}
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    return email
