"""Flex records as the Console, the Flex UI and the control plane show them."""
from __future__ import annotations


def instance_wire(inst: dict, facts: dict) -> dict:
    """A Flex instance; ``facts`` is ``domain.flex.instances.instance_facts`` of it."""
    return {
        "account_sid": inst["account_sid"], "friendly_name": inst["friendly_name"],
        "flex_instance_sid": inst["sid"],
        "status": facts["status"],
        "workspace_sid": inst["workspace_sid"], "workflow_sid": inst["workflow_sid"],
        "task_queue_sid": inst["queue_sid"], "phone_number": inst["phone_number"],
        "phone_number_sid": inst["phone_number_sid"],
        "messaging_service_sid": inst["messaging_service_sid"],
        "conversations_service_sid": inst["conversations_service_sid"],
        "studio_flows": [{"sid": sid, "friendly_name": name}
                         for name, sid in inst["studio_flow_sids"].items()],
        "flex_url": facts["flex_url"], "sso_configured": facts["sso_configured"],
        "users": [{"flex_user_sid": u["sid"], "email": u["email"], "full_name": u["full_name"],
                   "roles": u["roles"], "worker_sid": u["worker_sid"]}
                  for u in facts["users"]],
    }
