"""The seeded Owl Contact Center (fixtures/default.json) for the contact-center tests: its
credentials, its Flex number, and an agent signed in through SSO and made Available."""
from __future__ import annotations

OWL_SID = "ACbe3ffa32eebf1db578b3b070032de0ef"
OWL_TOKEN = "3b1a89629dc2fed7a310f0ee5bd16e51"
FLEX_NUMBER = "+14155550150"
CUSTOMER = "+14155550123"


def owl_info(sim) -> dict:
    return next(a for a in sim.control("GET", "flex/accounts")["flex_accounts"]
                if a["account_sid"] == OWL_SID)


def available_agent(sim, api) -> dict:
    """One of Owl's SSO agents, signed in (a Flex user token) and Available: the only worker
    free for tasks (everyone else is Offline)."""
    info = owl_info(sim)
    agent = next(u for u in info["users"] if u["roles"] == ["agent"])
    status, signed = api.sso(info["flex_instance_sid"], roles=["agent"],
                             full_name=agent["full_name"], email=agent["email"])
    assert status in (200, 201), signed
    token = signed["token"]
    api.ok("POST", "/flex/agent-desktop/activity", token=token,
           body={"friendly_name": "Available"})
    return {"token": token, "worker_sid": agent["worker_sid"], "email": agent["email"],
            "instance_sid": info["flex_instance_sid"], "workspace_sid": info["workspace_sid"]}


def desk(api, agent) -> list[dict]:
    return api.ok("GET", "/flex/agent-desktop", token=agent["token"])["tasks"]


def press(api, agent, reservation_sid: str, action: str) -> dict:
    return api.ok("POST", f"/flex/agent-desktop/reservations/{reservation_sid}",
                  token=agent["token"], body={"action": action})


def reply(api, agent, task_sid: str, body: str) -> dict:
    return api.ok("POST", f"/flex/agent-desktop/tasks/{task_sid}/messages", token=agent["token"],
                  body={"body": body}, expect=201)


def identity(email: str) -> str:
    """Flex's client identity for an email (``a.b@x.com`` -> ``a_2Eb_40x_2Ecom``)."""
    return "".join(c if c.isalnum() else f"_{ord(c):02X}" for c in email)
