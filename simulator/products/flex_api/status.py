"""/v1/account/provision/status and /v1/Insights/UserRoles."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.flex.instances import configuration_of, configuration_status
from ...rules import flex as flex_rules
from ...rules import roles as role_rules
from . import bp, flex_user, url


@bp.get("/account/provision/status")
def fetch_provisioning_status():
    s = sim()
    config = configuration_of(s, principal().account_sid)
    status = flex_rules.provision_status(configuration_status(s, config) if config else None)
    return {"status": status, "url": url("/v1/account/provision/status")}


@bp.get("/Insights/UserRoles")
def fetch_insights_user_roles():
    """The Flex Insights roles of the signed-in Flex user; account credentials
    (the account owner) get ``wfo.full_access``."""
    user = flex_user()
    roles = role_rules.insights_roles(user["roles"]) if user else ["wfo.full_access"]
    return {"roles": roles, "url": url("/v1/Insights/UserRoles")}
