"""Flex roles: which views each role may open, who may change the instance,
which roles the Console may invite, and what an SSO sign-in must carry.

Sources: twilio-rules.md §2 and the onboarding guide (seed-set-up-your-flex-account):
Administrators see every view and configure everything; Supervisors see Agent
Desktop, Teams and Queue Stats and "cannot modify the Flex UI instance"; Agents
use the Agent Desktop; Administrators and Supervisors may be added in the
Console or through SSO, Agents only through SSO; SAML attributes ``roles``,
``full_name``, ``email`` are mandatory, a missing one or an unknown role is 45050.
"""
from __future__ import annotations

from ..errors import TwilioError

ROLES = ("agent", "supervisor", "admin")
VIEWS = {  # view -> roles that may open it, in the order the Flex UI shows them
    "agent-desktop": ("agent", "supervisor", "admin"),
    "teams": ("supervisor", "admin"),
    "queue-stats": ("supervisor", "admin"),
    "admin": ("admin",),
}
CONSOLE_INVITE_ROLES = ("admin", "supervisor")
ROLE_ALIASES = {"administrator": "admin", "admin": "admin", "supervisor": "supervisor",
                "agent": "agent"}
REQUIRED_SSO_ATTRIBUTES = ("roles", "full_name", "email")
INSIGHTS_ROLES = {"admin": "wfo.full_access", "supervisor": "wfo.team_leader"}


def may_open(roles, view: str) -> bool:
    if view not in VIEWS:
        return False
    return any(r in VIEWS[view] for r in roles)


def views_for(roles) -> list[str]:
    return [v for v in VIEWS if may_open(roles, v)]


def check_view(roles, view: str) -> None:
    if view not in VIEWS:
        raise TwilioError.not_found(f"/flex/{view}")
    if not may_open(roles, view):
        allowed = ", ".join(VIEWS[view])
        raise TwilioError(20403, f"The {view} view is open to {allowed} only; this user has "
                                 f"roles {', '.join(roles) or 'none'}")


def may_change_instance(roles) -> bool:
    return "admin" in roles


def check_change_instance(roles, what: str) -> None:
    """Only Administrators modify the Flex instance (Configuration, Flex Flows, users)."""
    if not may_change_instance(roles):
        raise TwilioError(20403, f"Only a Flex Administrator can change {what}; "
                                 f"supervisors and agents cannot modify the Flex instance")


def console_invite_role(role) -> str:
    """The role of a Console invitation: Administrator or Supervisor. Agents are
    added only through SSO."""
    normalized = ROLE_ALIASES.get(str(role or "").strip().lower())
    if normalized == "agent":
        raise TwilioError(20422, "Agents cannot be invited through the Console: agents are "
                                 "added only through SSO (Single Sign-On)")
    if normalized not in CONSOLE_INVITE_ROLES:
        raise TwilioError.invalid("role", "must be Administrator (admin) or Supervisor")
    return normalized


def sso_attributes(attributes) -> dict:
    """Validate the SAML attributes of an SSO sign-in; returns
    ``{"roles": [...], "full_name", "email", "image_url"}`` or raises 45050."""
    if not isinstance(attributes, dict):
        raise TwilioError(45050, "Authentication error - Missing User Attributes: the IdP "
                                 "sent no attributes")
    missing = [a for a in REQUIRED_SSO_ATTRIBUTES
               if attributes.get(a) in (None, "", [])]
    if missing:
        raise TwilioError(45050, "Authentication error - Missing User Attributes: "
                                 + ", ".join(missing))
    raw = attributes["roles"]
    if isinstance(raw, str):
        raw = [r for r in raw.replace(";", ",").split(",")]
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise TwilioError(45050, "Authentication error - Missing User Attributes: roles must "
                                 "be a list of role names")
    roles = []
    for r in (x.strip() for x in raw):
        if r.startswith("http://") or r.startswith("https://"):
            raise TwilioError(45050, f"Authentication error - Missing User Attributes: "
                                     f"namespaced claim {r!r} is not accepted")
        if r not in ROLES:
            raise TwilioError(45050, f"Authentication error - Missing User Attributes: unknown "
                                     f"role {r!r} (valid roles: {', '.join(ROLES)})")
        if r not in roles:
            roles.append(r)
    if not roles:
        raise TwilioError(45050, "Authentication error - Missing User Attributes: roles")
    for name in ("full_name", "email"):
        if not isinstance(attributes[name], str):
            raise TwilioError(45050, f"Authentication error - Missing User Attributes: {name} "
                                     "must be a string")
    image = attributes.get("image_url")
    if image is not None and not isinstance(image, str):
        raise TwilioError(45050, "Authentication error - Missing User Attributes: image_url "
                                 "must be a string")
    return {"roles": roles, "full_name": attributes["full_name"].strip(),
            "email": attributes["email"].strip().lower(), "image_url": image}


def insights_roles(roles) -> list[str]:
    return [INSIGHTS_ROLES[r] for r in ROLES[::-1] if r in roles and r in INSIGHTS_ROLES]


WORKER_CHANNEL_CAPACITY_MAX = 50   # as a WorkerChannel's Capacity


def check_worker_channels(value) -> None:
    """The Flex Configuration's ``taskrouter_worker_channels``: for a role, a list of
    ``{name, capacity?, availability?}`` (a capacity from 0 to 50, as a WorkerChannel's);
    anything else is a 20422, before it is stored."""
    name = "taskrouter_worker_channels"
    if value is None:
        return
    if not isinstance(value, dict):
        raise TwilioError.invalid(name, "must be an object")
    for role, channels in value.items():
        if role not in ROLES:
            continue
        if not isinstance(channels, list):
            raise TwilioError.invalid(name, f"{role} must be a list of channels")
        for i, c in enumerate(channels):
            where = f"{role}[{i}]"
            if not isinstance(c, dict) or not isinstance(c.get("name"), str):
                raise TwilioError.invalid(name, f"{where} must be an object with a name")
            capacity = c.get("capacity", 1)
            if (not isinstance(capacity, int) or isinstance(capacity, bool)
                    or not 0 <= capacity <= WORKER_CHANNEL_CAPACITY_MAX):
                raise TwilioError.invalid(name, f"{where}.capacity must be a whole number "
                                                f"from 0 to {WORKER_CHANNEL_CAPACITY_MAX}")
            if not isinstance(c.get("availability", True), bool):
                raise TwilioError.invalid(name, f"{where}.availability must be true or false")


def worker_channels(roles, taskrouter_worker_channels: dict | None) -> dict:
    """Channel capacities for a worker with ``roles`` from the Configuration's
    ``taskrouter_worker_channels`` ({role: [{name, capacity, availability}]}):
    the highest role that has an entry wins. -> {unique_name: (capacity, available)}"""
    table = taskrouter_worker_channels or {}
    for role in ROLES[::-1]:
        if role in roles and isinstance(table.get(role), list):
            return {c["name"]: (int(c.get("capacity", 1)), bool(c.get("availability", True)))
                    for c in table[role] if isinstance(c, dict) and "name" in c}
    return {}
